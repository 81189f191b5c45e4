// headroom-cli analyze: the numbers the GUI shows (core's analysis), in text, JSON and markdown,
// with exit code 1 when the design has an error finding.

#include "analysis/analysis.h"
#include "analysis/design_checks.h"
#include "storage/project_io.h"
#include "support/cli_runner.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace headroom {
namespace {

using test::cli;

std::string example(const std::string& name) {
    return (test::sourceDir() / "models" / (name + ".headroom.json")).string();
}

TEST(Analyze, JsonCarriesCoresFiguresForEveryComponent) {
    const auto run =
        cli({"analyze", example("webshop"), "--load-multiplier", "2.6", "--format", "json"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto j = nlohmann::json::parse(run.out);
    const auto project = loadProject(example("webshop"));
    ASSERT_TRUE(project);
    analysis::AnalysisOptions options;
    options.loadMultiplier = 2.6;
    const auto a = analysis::analyze(*project, options);
    ASSERT_EQ(j["components"].size(), a.components.size());
    for (std::size_t i = 0; i < a.components.size(); ++i) {
        const auto& c = a.components[i];
        const auto& row = j["components"][i];
        EXPECT_EQ(row["id"], c.id);
        EXPECT_DOUBLE_EQ(row["rate_rps"].get<double>(), c.traffic.total()) << c.id;
        if (c.station.binding()) {
            EXPECT_DOUBLE_EQ(row["utilisation"].get<double>(), c.station.utilisation()) << c.id;
        }
        if (c.station.meanResponse) {
            EXPECT_DOUBLE_EQ(row["mean_response_s"].get<double>(), *c.station.meanResponse);
        }
        if (c.saturationMultiplier) {
            EXPECT_DOUBLE_EQ(row["saturation_multiplier"].get<double>(), *c.saturationMultiplier);
        }
    }
    EXPECT_EQ(j["bottleneck"], "replicas");
    EXPECT_EQ(j["saturation_order"][0]["id"], "web") << "its pool, pushed over by the replicas";
    EXPECT_EQ(j["components"][3]["pushed_by"], "replicas");
    EXPECT_EQ(j["findings"].size(), 2u);
    EXPECT_FALSE(j["calibration"].empty()) << "the example binds a week of web metrics";
}

TEST(Analyze, ExactSearchesGiveTheCoresExactMultipliers) {
    // legacy-sticky's app pool: the grid search and the exact one differ in the ninth digit,
    // and the JSON carries every digit, so the flag is seen to reach the analysis.
    const auto project = loadProject(example("legacy-sticky"));
    ASSERT_TRUE(project);
    analysis::AnalysisOptions options;
    options.loadMultiplier = 3;
    const auto grid = analysis::analyze(*project, options);
    options.exactSearches = true;
    const auto exact = analysis::analyze(*project, options);
    const auto run = cli({"analyze", example("legacy-sticky"), "--load-multiplier", "3",
                          "--exact-searches", "--format", "json"});
    ASSERT_EQ(run.exitCode, 1) << run.err; // legacy-sticky has error findings
    const auto j = nlohmann::json::parse(run.out);
    bool differs = false;
    for (std::size_t i = 0; i < exact.components.size(); ++i)
        if (const auto& m = exact.components[i].saturationMultiplier) {
            EXPECT_DOUBLE_EQ(j["components"][i]["saturation_multiplier"].get<double>(), *m);
            differs = differs || *m != *grid.components[i].saturationMultiplier;
        }
    EXPECT_TRUE(differs) << "no component to tell the two searches apart by";
}

TEST(Analyze, TextNamesTheBottleneckAndExitsOneOnAnErrorFinding) {
    const auto shop = cli({"analyze", example("webshop")});
    EXPECT_EQ(shop.exitCode, 0) << shop.err;
    EXPECT_NE(shop.out.find("Bottleneck: replicas (read capacity) saturates at x3.05"),
              std::string::npos)
        << shop.out;
    const auto legacy = cli({"analyze", example("legacy-sticky"), "--format", "markdown"});
    EXPECT_EQ(legacy.exitCode, 1) << "state in the clones and a drain longer than the grace";
    EXPECT_NE(legacy.out.find("| component | kind |"), std::string::npos) << legacy.out;
    EXPECT_NE(legacy.out.find("**error [grace-shorter-than-drain]**"), std::string::npos);
}

TEST(Analyze, BadInputSaysWhat) {
    EXPECT_EQ(cli({"analyze", "/nonexistent.headroom.json"}).exitCode, 2);
    const auto bad = cli({"analyze", example("webshop"), "--load-multiplier", "-1"});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("load-multiplier"), std::string::npos) << bad.err;
}

TEST(Users, ClosedWorkloadOfTheWebshopInJsonAndText) {
    const auto run = cli({"users", example("webshop"), "--users", "5000", "--latency-objective-ms",
                          "60", "--format", "json"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto j = nlohmann::json::parse(run.out);
    // 400 req/s entering, think time 8 s: the open analysis' bottleneck (read replicas, x3.05)
    // caps the users' throughput at 400 x 3.05 = 1,220 req/s.
    EXPECT_NEAR(j["entry_rate_per_s"].get<double>(), 400, 1e-9);
    EXPECT_NEAR(j["think_time_s"].get<double>(), 8, 1e-12);
    EXPECT_NEAR(j["max_throughput_per_s"].get<double>(), 1220, 1);
    const double usersNow = j["users_now"];
    EXPECT_NEAR(usersNow, 400 * (j["response_now_s"].get<double>() + 8), 1e-6);
    bool asked = false;
    for (const auto& p : j["points"])
        if (p["users"] == 5000) {
            asked = true;
            EXPECT_LT(p["throughput_per_s"].get<double>(), 5000 / 8.0);
        }
    EXPECT_TRUE(asked) << "--users 5000 is among the points";
    const int most = j["most_users_within_objective"];
    EXPECT_GT(most, usersNow);
    EXPECT_LT(most, j["saturation_users"].get<double>());
    const auto text = cli({"users", example("webshop")});
    EXPECT_EQ(text.exitCode, 0);
    EXPECT_NE(text.out.find("replicas"), std::string::npos);
    EXPECT_NE(text.out.find("<- bottleneck"), std::string::npos) << text.out;
    EXPECT_EQ(cli({"users", "/nonexistent.headroom.json"}).exitCode, 2);
    EXPECT_EQ(cli({"users", example("webshop"), "--think-time", "-1"}).exitCode, 2);
}

} // namespace
} // namespace headroom
