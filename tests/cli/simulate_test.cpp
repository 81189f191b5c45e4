// headroom-cli simulate: a one-tier project whose answers are worked out by hand (the same
// tier as tests/core/simulation_test.cpp), in text, JSON and CSV, and its refusals.

#include "core/test_projects.h"
#include "storage/json_format.h"
#include "storage/project_io.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

namespace headroom {
namespace {

using test::cli;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// users -> web (4 clones of 100 req/s of CPU each, 500m requests, 60 s boot, 0.10 USD/h), an
/// HPA at 50% CPU, and one hour of a flat 200 req/s.
std::filesystem::path writeProject(const test::TempDir& dir) {
    auto p = test::cpuBoundTier();
    Scenario flat;
    flat.name = "flat hour";
    flat.synthetic = {200, 1.0 / 24, 0, 14, 1, false, 1};
    p.scenarios = {flat};
    p.policies.push_back(
        {"cpu 50", "web", PolicyKind::KubernetesHpa,
         R"({"spec": {"minReplicas": 2, "maxReplicas": 20, "metrics": [{"type": "Resource",
             "resource": {"name": "cpu", "target": {"type": "Utilization",
             "averageUtilization": 50}}}]}})"});
    const auto file = dir.path() / "one.headroom.json";
    EXPECT_TRUE(saveJsonFile(p, file));
    return file;
}

TEST(Simulate, TextSaysWhenAndWhyItScaled) {
    // From 4 clones at 100% of their CPU request the ratio to 50% is 2: 8 clones, asked for at
    // the first sync with a sample (30 s), billed from the next tick: 4 x 45 s + 8 x 3555 s.
    test::TempDir dir;
    const auto run = cli({"simulate", writeProject(dir).string(), "--scenario", "flat hour"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_TRUE(contains(run.out, "web (cpu 50, 100.0 req/s per instance)")) << run.out;
    EXPECT_TRUE(contains(run.out, "scaling                 1 up, 0 down")) << run.out;
    EXPECT_TRUE(contains(run.out, "0d 00:00:30  4 -> 8  cpu resource utilization (percentage of "
                                  "request) above target"))
        << run.out;
    EXPECT_TRUE(contains(run.out, "instance-hours          7.9")) << run.out; // 7.95
    // 7.95 x 0.10 USD = 0.795, a hair below in binary: printed 0.79.
    EXPECT_TRUE(contains(run.out, "cost                    0.79 USD")) << run.out;
}

TEST(Simulate, AnEc2GroupWithADeployAndAForecast) {
    // The same tier as an EC2 Auto Scaling group: target tracking at 50% CPU adds 4 at 210 s
    // (3 one-minute datapoints at 100%, arriving 30 s late) when 400 req/s meet 4 instances.
    // The minute they start serving reads 75%, but the 4 are warming for 300 s: only the
    // 4 past warm-up count, asking for ceil(4 x 75 / 50) = 6, below the 8 there are. A
    // rolling update at 0.5 h of the 8 (25% / 25%: 2 above, 2 below) is done after two boots.
    test::TempDir dir;
    auto p = test::cpuBoundTier();
    Scenario s;
    s.name = "busy hour";
    s.synthetic = {400, 1.0 / 24, 0, 14, 1, false, 1};
    s.deploys = {{0.5, "web", "25%", "25%"}};
    p.scenarios = {s};
    p.policies.push_back(
        {"asg", "web", PolicyKind::AwsAutoScaling,
         R"({"MinSize": 1, "MaxSize": 20, "DefaultInstanceWarmup": 300, "ScalingPolicies": [
             {"PolicyType": "TargetTrackingScaling", "TargetTrackingConfiguration": {
              "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
              "TargetValue": 50}}]})"});
    const auto file = dir.path() / "asg.headroom.json";
    ASSERT_TRUE(saveJsonFile(p, file));
    auto run = cli({"simulate", file.string(), "--scenario", "busy hour"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_TRUE(contains(run.out, "0d 00:03:30  4 -> 8  ScaleOut")) << run.out;
    EXPECT_TRUE(contains(run.out, "rolling update          at 0d 00:30:00: 120 s, ready fell to "
                                  "6 of 8 (surge 2, unavailable 2)"))
        << run.out;
    run = cli({"simulate", file.string(), "--scenario", "busy hour", "--format", "json"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto j = nlohmann::json::parse(run.out);
    const auto& tier = j["tiers"][0];
    EXPECT_EQ(tier["events"][0]["condition"], "ScaleOut");
    EXPECT_NE(tier["events"][0]["reason"].get<std::string>().find("AlarmHigh"), std::string::npos);
    ASSERT_EQ(tier["rollouts"].size(), 1u);
    EXPECT_EQ(tier["rollouts"][0]["end_s"], 1920);
    EXPECT_EQ(tier["rollouts"][0]["lowest_ready"], 6);
    EXPECT_FALSE(tier.contains("forecast"));
}

TEST(Simulate, JsonAndCsvCarryEveryTick) {
    test::TempDir dir;
    const auto file = writeProject(dir).string();
    auto run = cli({"simulate", file, "--scenario", "flat hour", "--format", "json"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto j = nlohmann::json::parse(run.out);
    const auto& tier = j["tiers"][0];
    ASSERT_EQ(tier["ticks"].size(), 240u);
    EXPECT_EQ(tier["ticks"][5]["ready"], 4);
    EXPECT_EQ(tier["ticks"][6]["ready"], 8);
    EXPECT_NEAR(tier["ticks"][239]["cpu_percent"].get<double>(), 50, 1e-9);
    EXPECT_NEAR(tier["summary"]["instance_hours"].get<double>(), (4 * 45 + 8 * 3555) / 3600.0,
                1e-9);
    EXPECT_EQ(tier["events"][0]["to"], 8);

    run = cli({"simulate", file, "--scenario", "flat hour", "--format", "csv"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    std::istringstream lines(run.out);
    std::string line;
    std::getline(lines, line);
    EXPECT_EQ(line, "t_s,component,offered_rps,served_rps,desired,ready,booting,draining,"
                    "utilisation,cpu_percent,latency_s,backlog,dropped,cost_usd");
    int rows = 0;
    while (std::getline(lines, line))
        ++rows;
    EXPECT_EQ(rows, 240);
}

TEST(Simulate, AnUnknownScenarioNamesTheOnesThereAre) {
    test::TempDir dir;
    const auto run = cli({"simulate", writeProject(dir).string(), "--scenario", "black friday"});
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_TRUE(contains(run.err, "no scenario \"black friday\" (the project has \"flat hour\")"))
        << run.err;
    EXPECT_EQ(cli({"simulate", writeProject(dir).string()}).exitCode, 2); // --scenario required
}

TEST(Recommend, TheCheapestHpaMeetingTheObjectiveIsSavedWhenAsked) {
    // Targets 40..80%: ceil(400 / T) clones; 80% needs 5, the fewest (tests/core/sweep_test.cpp).
    test::TempDir dir;
    const auto file = writeProject(dir).string();
    auto run = cli({"recommend", file, "--scenario", "flat hour", "--component", "web", "--targets",
                    "40,50,60,70,80", "--format", "json"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    auto j = nlohmann::json::parse(run.out);
    EXPECT_EQ(j["recommended"], "cpu 80%, min 2, max 20, CPU request 500m");
    EXPECT_EQ(j["hpa"]["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"], 80);
    EXPECT_FALSE(j.contains("points"));

    run = cli({"sweep", file, "--scenario", "flat hour", "--component", "web", "--targets", "40,80",
               "--format", "json"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    j = nlohmann::json::parse(run.out);
    ASSERT_EQ(j["points"].size(), 2u);
    EXPECT_EQ(j["points"][1]["summary"]["peak_replicas"], 5);
    EXPECT_EQ(j["points"][1]["pareto"], true);

    run = cli({"recommend", file, "--scenario", "flat hour", "--component", "web", "--targets",
               "50,80", "--save", "sized"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_TRUE(contains(run.out, "Recommended: cpu 80%")) << run.out;
    const auto saved = loadProject(file);
    ASSERT_TRUE(saved) << saved.error().describe();
    ASSERT_EQ(saved->policies.size(), 2u);
    EXPECT_EQ(saved->policies[1].name, "sized");
    EXPECT_TRUE(contains(saved->policies[1].definition, "\"averageUtilization\":80"))
        << saved->policies[1].definition;
    EXPECT_EQ(saved->findComponent("web")->number("cpu_request_millicores"), 500);

    // Sized with another CPU request: the request is saved with the HPA it was chosen with.
    run = cli({"recommend", file, "--scenario", "flat hour", "--component", "web", "--targets",
               "50,80", "--cpu-requests", "250", "--save", "small pods"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_TRUE(contains(run.err, "CPU request set to 250m")) << run.err;
    const auto resized = loadProject(file);
    ASSERT_TRUE(resized) << resized.error().describe();
    EXPECT_EQ(resized->policies.back().name, "small pods");
    EXPECT_EQ(resized->findComponent("web")->number("cpu_request_millicores"), 250);
}

} // namespace
} // namespace headroom
