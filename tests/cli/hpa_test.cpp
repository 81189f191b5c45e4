// headroom-cli hpa decide: the decision on STATE files (tests/data/hpa), worked out by hand
// from the Kubernetes documentation's examples, in text and JSON, and its refusals.

#include "support/cli_runner.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace headroom {
namespace {

using test::cli;

const std::string kData = std::string(HEADROOM_SOURCE_DIR) + "/tests/data/hpa/";

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(HpaDecide, EightyReplicasComeDownByTheLargerPolicyStep) {
    // Pods 4 / 60 s and Percent 10 / 60 s (the documentation's "Scaling policies" example):
    // the metric proposes ceil(0.125 x 80) = 10; the larger step allowed is 10% of 80 = 8.
    const auto run = cli({"hpa", "decide", kData + "scale-down-policies.json", "--format", "json"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto j = nlohmann::json::parse(run.out);
    EXPECT_EQ(j["currentReplicas"], 80);
    EXPECT_EQ(j["metricReplicas"], 10);
    EXPECT_EQ(j["desiredReplicas"], 72);
    EXPECT_EQ(j["limitingCondition"], "ScaleDownLimit");
    EXPECT_EQ(j["conditions"]["ScalingLimited"]["status"], "True");
    EXPECT_EQ(j["proposals"][0]["current"], "125m");
    EXPECT_EQ(j["proposals"][0]["target"], "1");
    EXPECT_EQ(j["rescaleReason"], "All metrics below target");
}

TEST(HpaDecide, APendingPodAndAMissingSampleHoldAScaleUpInText) {
    // Two ready pods at 96% and 94% of 500m (95% together) against 60%: ratio 1.58. The
    // pending pod and the one without a sample count as idle on a scale-up: 950 / 2000 =
    // 47%, ratio 0.783, the other direction, so the controller keeps 4.
    const auto run = cli({"hpa", "decide", kData + "cpu-rollout.yaml"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_TRUE(contains(run.out, "desiredReplicas           4 (no change)")) << run.out;
    EXPECT_TRUE(contains(run.out, "95% / 60%")) << run.out;
    EXPECT_TRUE(contains(run.out, "ratio again 0.783, which turns the direction around: keep 4"))
        << run.out;
    EXPECT_TRUE(contains(run.out, "Stay at 4.")) << run.out;
}

TEST(HpaDecide, ABrokenStateIsRefusedWithThePlace) {
    test::TempDir dir;
    const auto file = dir.path() / "state.yaml";
    test::writeFile(file, "hpa:\n  spec:\n    maxReplicas: 5\n    metrics:\n    - type: Resource\n"
                          "      resource: {name: cpu, target: {type: Utilization}}\n"
                          "currentReplicas: 2\n");
    auto run = cli({"hpa", "decide", file.string()});
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_TRUE(
        contains(run.err, "/hpa/spec/metrics/0/resource/target/averageUtilization: missing"))
        << run.err;
    run = cli({"hpa", "decide", (dir.path() / "absent.json").string()});
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_TRUE(contains(run.err, "no such file")) << run.err;
    EXPECT_EQ(cli({"hpa"}).exitCode, 2);
    EXPECT_EQ(cli({"hpa", "decide", "--help"}).exitCode, 0);
}

} // namespace
} // namespace headroom
