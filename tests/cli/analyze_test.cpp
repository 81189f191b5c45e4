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

} // namespace
} // namespace headroom
