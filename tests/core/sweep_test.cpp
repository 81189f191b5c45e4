// Sweeps (whatif/sweep.h) that must find an optimum worked out by hand, refuse what they cannot
// run, and give the HPA they recommend as an object Kubernetes reads back the same.

#include "test_projects.h"
#include "whatif/hpa_state.h"
#include "whatif/sweep.h"

#include <cmath>
#include <gtest/gtest.h>

namespace headroom::whatif {
namespace {

/// users -> web at a flat 200 req/s for an hour; web clones burn 10 ms of CPU per request
/// against a 500m request, so at N clones each uses 2000 / N millicores, 400 / N % of it.
Project oneTier() {
    auto p = test::cpuBoundTier();
    p.policies.push_back({"cpu 50", "web", PolicyKind::KubernetesHpa,
                          R"({"spec": {"minReplicas": 2, "maxReplicas": 20}})"});
    Scenario flat;
    flat.name = "flat";
    flat.synthetic = {200, 1.0 / 24, 0, 14, 1, false, 1};
    p.scenarios = {flat};
    return p;
}

TEST(Sweep, FindsTheFewestClonesThatKeepTheObjective) {
    // Targets 40..80%: ceil(400 / T) clones, 10, 8, 7, 6 and 5, all far from saturation (at
    // 5 clones each serves 40 of its 100 req/s). The cheapest is 80%: 4 clones until the
    // decision at 30 s (billed for 45 s), 5 after.
    const auto project = oneTier();
    SweepGrid grid;
    grid.targetPercent = {40, 50, 60, 70, 80};
    const auto s = sweep(project, project.scenarios[0], "web", grid);
    ASSERT_TRUE(s) << s.error().describe();
    ASSERT_EQ(s->points.size(), 5u);
    for (std::size_t i = 0; i < 5; ++i)
        EXPECT_EQ(s->points[i].summary.peakReplicas, std::vector<int>({10, 8, 7, 6, 5})[i]);
    ASSERT_TRUE(s->recommended);
    const auto& best = s->points[*s->recommended];
    EXPECT_EQ(best.targetPercent, 80);
    EXPECT_NEAR(best.summary.instanceHours, (4 * 45 + 5 * 3555) / 3600.0, 1e-9);
    EXPECT_NE(s->reason.find("Recommended: cpu 80%, min 2, max 20"), std::string::npos)
        << s->reason;
    // Every point meets the objective here, so the front is the cheapest alone.
    EXPECT_EQ(s->pareto, std::vector<std::size_t>{*s->recommended});
    // The base policy (no metrics: the API's CPU at 80%) runs the same as the 80% point.
    EXPECT_NEAR(s->base.cost, best.summary.cost, 1e-12);
}

TEST(Sweep, AMinimumAboveTheNeedCostsMore) {
    const auto project = oneTier();
    SweepGrid grid;
    grid.targetPercent = {80};
    grid.minReplicas = {6, 2};
    const auto s = sweep(project, project.scenarios[0], "web", grid);
    ASSERT_TRUE(s) << s.error().describe();
    ASSERT_EQ(s->points.size(), 2u);
    EXPECT_EQ(s->points[0].summary.peakReplicas, 6);
    EXPECT_EQ(*s->recommended, 1u); // min 2: 5 clones
}

TEST(Sweep, SaysSoWhenNothingMeetsTheObjective) {
    const auto project = oneTier();
    SimulationOptions tight;
    tight.latencyObjectiveSeconds = 0.001; // below the 20 ms service time
    SweepGrid grid;
    grid.targetPercent = {50, 80};
    const auto s = sweep(project, project.scenarios[0], "web", grid, tight);
    ASSERT_TRUE(s) << s.error().describe();
    EXPECT_FALSE(s->recommended);
    EXPECT_EQ(s->reason.rfind("No policy in the grid meets the objective", 0), 0u) << s->reason;
}

TEST(Sweep, CancelsWhenProgressSaysSo) {
    const auto project = oneTier();
    SweepGrid grid;
    grid.targetPercent = {40, 50, 60, 70, 80, 90};
    SweepOptions options;
    options.progress = [](std::size_t done, std::size_t) { return done < 2; };
    const auto s = sweep(project, project.scenarios[0], "web", grid, {}, options);
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->cancelled);
    EXPECT_FALSE(s->recommended);
}

TEST(Sweep, ALatencyTargetIsAValueOnTheServiceAndReadsTheTiersLatency) {
    // Latency at 90% of the 500 ms objective: an Object metric, Value 450m, on the Service.
    const auto project = oneTier();
    SweepGrid grid;
    grid.metrics = {ScalingMetric::Latency};
    grid.targetPercent = {90};
    const auto s = sweep(project, project.scenarios[0], "web", grid);
    ASSERT_TRUE(s) << s.error().describe();
    const auto& spec = s->points[0].spec;
    ASSERT_EQ(spec.metrics.size(), 1u);
    EXPECT_EQ(spec.metrics[0].source, hpa::SourceType::Object);
    EXPECT_EQ(spec.metrics[0].target, hpa::TargetType::Value);
    EXPECT_EQ(spec.metrics[0].milli, 450);
    EXPECT_EQ(spec.metrics[0].objectKind, "Service");
    // The first decision reads the latency of the tick a metric delay (30 s, two ticks) back:
    // far under 450 ms at 4 clones, so it wants ceil(4 x L / 0.45) (Value: current x ratio).
    auto replay = Replay::prepare(project, project.scenarios[0]);
    ASSERT_TRUE(replay);
    const auto run = replay->runWith(1, "latency", &spec);
    ASSERT_TRUE(run) << run.error().describe();
    ASSERT_FALSE(run->events.empty());
    const auto& first = run->events.front();
    const auto seen = static_cast<std::size_t>(first.atSeconds / 15) - 2;
    const double latencyMilli = std::round(run->ticks[seen].latencySeconds * 1000);
    EXPECT_EQ(first.wanted, static_cast<int>(std::ceil(4 * latencyMilli / 450)));
    EXPECT_LT(first.wanted, 4);
}

TEST(Sweep, TheRecommendedHpaReadsBackTheSame) {
    hpa::Spec spec;
    spec.minReplicas = 2;
    spec.maxReplicas = 30;
    hpa::MetricSpec cpu;
    cpu.name = "cpu";
    cpu.averageUtilization = 65;
    hpa::MetricSpec rps;
    rps.source = hpa::SourceType::Pods;
    rps.name = "requests_per_second";
    rps.target = hpa::TargetType::AverageValue;
    rps.milli = 42'500;
    spec.metrics = {cpu, rps};
    hpa::ScalingRules down;
    down.stabilizationWindowSeconds = 120;
    down.selectPolicy = hpa::SelectPolicy::Min;
    down.policies = {{hpa::PolicyType::Percent, 10, 60}};
    down.tolerance = 0.05;
    spec.behavior = hpa::Behavior{std::nullopt, down};
    const auto back = hpa::parseHpaSpec(hpa::hpaObjectJson(spec, "web"));
    ASSERT_TRUE(back) << back.error().describe();
    EXPECT_EQ(*back, spec);
}

TEST(Sweep, RefusesWhatItCannotRun) {
    const auto project = oneTier();
    SweepGrid grid;
    EXPECT_FALSE(sweep(project, project.scenarios[0], "nope", grid));
    grid.minReplicas = {5};
    grid.maxReplicas = {3};
    const auto s = sweep(project, project.scenarios[0], "web", grid);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("every max is below its min"), std::string::npos);
}

} // namespace
} // namespace headroom::whatif
