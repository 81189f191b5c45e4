// Load scenarios (whatif/load.h) and the simulated fleet (whatif/simulation.h) on cases with
// answers worked out by hand: the synthetic shape and transforms at chosen times, a constant
// load settling where the HPA's ratio says, a step answered after the metric delay and the
// boot time, a drop answered after the stabilisation window, and a backlog filling to the
// queue limit.

#include "test_projects.h"
#include "whatif/simulation.h"
#include "whatif/tier.h"

#include <cmath>
#include <gtest/gtest.h>

namespace headroom::whatif {
namespace {

constexpr const char* kCpuAt50 =
    R"({"spec": {"minReplicas": 2, "maxReplicas": 20, "metrics": [{"type": "Resource",
        "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]}})";

/// users -> web: web clones take 10 ms of CPU on one core per request (100 req/s each at
/// saturation), request 500m of CPU, boot in 60 s and cost 0.10 USD an hour. Drawn: 200 req/s
/// on 4 clones, CPU at 50%.
Project oneTier(const char* policy = kCpuAt50, PolicyKind kind = PolicyKind::KubernetesHpa) {
    auto p = test::cpuBoundTier();
    p.policies.push_back({"hpa", "web", kind, policy});
    return p;
}

TEST(Load, TheSyntheticShapeAndItsTransforms) {
    Scenario s;
    s.name = "week";
    s.synthetic = {100, 7, 0.5, 14, 0.5, false, 1};
    const auto load = buildLoad({}, s, 60);
    ASSERT_TRUE(load) << load.error().describe();
    ASSERT_EQ(load->rps.size(), 7u * 24 * 60);
    const auto at = [&](double hours) { return load->rps[static_cast<std::size_t>(hours * 60)]; };
    EXPECT_NEAR(at(14), 150, 1e-9);         // Monday's peak: 100 (1 + 0.5)
    EXPECT_NEAR(at(2), 50, 1e-9);           // and trough, twelve hours away
    EXPECT_NEAR(at(8), 100, 1e-9);          // cos(-pi/2) = 0
    EXPECT_NEAR(at(5 * 24 + 14), 75, 1e-9); // Saturday: half of Monday
    // A spike doubling a flat 100 req/s at hour 8, rising over 10 minutes and decaying with a
    // time constant of 30: 1.5x halfway up, 2x at the top, 1 + e^-1 thirty minutes after it.
    auto base = test::flatScenario(100, 24);
    base.transforms = {{TransformKind::Spike, 2, 8, 10, 30, 0, false, 1}};
    auto spiked = buildLoad({}, base, 60);
    EXPECT_NEAR(spiked->rps[8 * 60 + 5], 100 * 1.5, 1e-9);
    EXPECT_NEAR(spiked->rps[8 * 60 + 10], 100 * 2, 1e-9);
    EXPECT_NEAR(spiked->rps[8 * 60 + 40], 100 * (1 + std::exp(-1.0)), 1e-9);
    // 10% a month, linear: after 30 days x1.1; compounded over 60 days x1.21.
    Scenario longer = test::flatScenario(100, 60 * 24);
    longer.transforms = {{TransformKind::Growth, 1, 0, 5, 30, 10, false, 1}};
    EXPECT_NEAR(buildLoad({}, longer, 3600)->rps[30 * 24], 110, 1e-9);
    longer.transforms[0].compounded = true;
    EXPECT_NEAR(buildLoad({}, longer, 3600)->rps.back(), 100 * std::pow(1.1, 1439 / 720.0),
                1e-9); // the last hour starts 1,439 h = 1439/720 months in
    // A step and a repeat: three copies of one day, x3 from hour 30 on.
    Scenario day = test::flatScenario(10, 24);
    day.transforms = {{TransformKind::Repeat, 1, 0, 5, 30, 0, false, 3},
                      {TransformKind::Step, 3, 30, 5, 30, 0, false, 1}};
    const auto steps = buildLoad({}, day, 3600);
    ASSERT_EQ(steps->rps.size(), 72u);
    EXPECT_EQ(steps->rps[29], 10);
    EXPECT_EQ(steps->rps[30], 30);
}

TEST(Load, PoissonNoiseAveragesToTheRateAndRepeatsWithItsSeed) {
    // A day (two blocks of draws, on one thread) and a month (43 blocks, on all cores).
    for (const double hours : {24.0, 720.0}) {
        SCOPED_TRACE(hours);
        Scenario s = test::flatScenario(50, hours);
        s.synthetic.poissonNoise = true;
        s.synthetic.seed = 7;
        const auto a = buildLoad({}, s, 15);
        const auto b = buildLoad({}, s, 15);
        EXPECT_EQ(a->rps, b->rps);
        s.synthetic.seed = 8;
        EXPECT_NE(buildLoad({}, s, 15)->rps, a->rps);
        // The draws come in blocks of 4,096 ticks, each from its own stream: a block drawn
        // again from the same stream would repeat at that lag.
        double sum = 0, squares = 0, lagged = 0, blockLagged = 0;
        for (std::size_t i = 0; i < a->rps.size(); ++i) {
            sum += a->rps[i];
            squares += a->rps[i] * a->rps[i];
            if (i > 0)
                lagged += (a->rps[i] - 50) * (a->rps[i - 1] - 50);
            if (i >= 4096)
                blockLagged += (a->rps[i] - 50) * (a->rps[i - 4096] - 50);
        }
        const double n = static_cast<double>(a->rps.size());
        const double mean = sum / n, variance = squares / n - mean * mean;
        // Counts per 15 s tick are Poisson(750): the rate's variance is 750 / 15^2 = 3.33, and
        // one tick's noise says nothing of the next (within a block or across two).
        EXPECT_NEAR(mean, 50, 4 * std::sqrt(50.0 / 15 / n));
        EXPECT_NEAR(variance, 50.0 / 15, 0.3 * std::sqrt(5760 / n));
        EXPECT_NEAR(lagged / n / variance, 0, 4 / std::sqrt(n));
        EXPECT_NEAR(blockLagged / n / variance, 0, 4 / std::sqrt(n));
    }
}

TEST(Simulation, AConstantLoadSettlesWhereTheRatioSays) {
    // 200 req/s: a clone at N clones burns 2000 / N millicores, 400 / N % of its 500m request.
    // 50% needs 8. From 4 (100%) the ratio is 2: ceil(2 x 4) = 8, within the legacy limit of
    // max(2 x 4, 4) = 8, at the first sync with a sample (30 s in), ready 60 s later.
    const auto sim = simulate(oneTier(), test::flatScenario(200, 1));
    ASSERT_TRUE(sim) << sim.error().describe();
    const auto& tier = sim->tiers.at(0);
    EXPECT_NEAR(tier.capacityPerInstanceRps, 100, 1e-9);
    ASSERT_EQ(tier.events.size(), 1u);
    EXPECT_EQ(tier.events[0].atSeconds, 30);
    EXPECT_EQ(tier.events[0].from, 4);
    EXPECT_EQ(tier.events[0].to, 8);
    EXPECT_EQ(tier.ticks[5].ready, 4); // 75 s: still booting
    EXPECT_EQ(tier.ticks[5].booting, 4);
    EXPECT_EQ(tier.ticks[6].ready, 8); // 90 s: serving
    EXPECT_NEAR(tier.cpuPercent(tier.ticks.back()), 50, 1e-9);
    EXPECT_EQ(tier.summary.scaleUps, 1);
    EXPECT_EQ(tier.summary.scaleDowns, 0);
    EXPECT_EQ(tier.summary.flaps, 0);
    // Instance-hours: 4 in the ticks up to the decision's (0, 15 and 30 s), 8 from the next.
    EXPECT_NEAR(tier.summary.instanceHours, (4 * 45 + 8 * 3555) / 3600.0, 1e-9);
    EXPECT_NEAR(tier.summary.cost, tier.summary.instanceHours * 0.10, 1e-12);
}

TEST(Simulation, EventsWithoutWordsAreTheSameEvents) {
    // A sweep asks for no reasons in words: the events are the same, their reasons empty.
    auto scenario = test::flatScenario(200, 3);
    scenario.transforms = {{TransformKind::Step, 2, 1, 5, 30, 0, false, 1},
                           {TransformKind::Step, 0.5, 2, 5, 30, 0, false, 1}};
    SimulationOptions quiet;
    quiet.explainEvents = false;
    const auto a = simulate(oneTier(), scenario);
    const auto b = simulate(oneTier(), scenario, quiet);
    ASSERT_TRUE(a && b);
    const auto& x = a->tiers.at(0).events;
    const auto& y = b->tiers.at(0).events;
    ASSERT_EQ(x.size(), y.size());
    ASSERT_GE(x.size(), 2u);
    for (std::size_t i = 0; i < x.size(); ++i) {
        EXPECT_EQ(x[i].atSeconds, y[i].atSeconds);
        EXPECT_EQ(x[i].to, y[i].to);
        EXPECT_EQ(x[i].condition, y[i].condition);
        EXPECT_FALSE(x[i].reason.empty());
        EXPECT_TRUE(y[i].reason.empty());
    }
}

TEST(Simulation, AStepIsAnsweredAfterTheDelayAndADropAfterTheWindow) {
    // 200 req/s (8 clones at 50%), doubling at 1 h and back at 2 h. The first sample of the new
    // load reaches the controller 30 s after the step: 16 clones asked for at 3630 s, serving
    // from 3690 s. The drop is seen at 7230 s; the last high proposal (7215 s) keeps the
    // legacy downscale window (ages up to 300 s) until 7530 s.
    auto scenario = test::flatScenario(200, 3);
    scenario.transforms = {{TransformKind::Step, 2, 1, 5, 30, 0, false, 1},
                           {TransformKind::Step, 0.5, 2, 5, 30, 0, false, 1}};
    auto project = oneTier();
    project.components[1].properties["replicas"] = std::int64_t{8};
    const auto sim = simulate(project, scenario);
    ASSERT_TRUE(sim) << sim.error().describe();
    const auto& tier = sim->tiers.at(0);
    std::vector<std::pair<double, int>> changes;
    for (const auto& e : tier.events)
        if (e.to != e.from)
            changes.push_back({e.atSeconds, e.to});
    ASSERT_EQ(changes.size(), 2u) << tier.events.size();
    EXPECT_EQ(changes[0], (std::pair<double, int>{3630, 16}));
    EXPECT_EQ(changes[1], (std::pair<double, int>{7530, 8}));
    EXPECT_EQ(tier.ticks[3675 / 15].ready, 8);
    EXPECT_EQ(tier.ticks[3690 / 15].ready, 16);
    // While it was held, the controller said why.
    bool stabilised = false;
    for (const auto& e : tier.events)
        stabilised |= e.from == e.to && e.condition == "ScaleDownStabilized";
    EXPECT_TRUE(stabilised);
}

TEST(Simulation, AFixedFleetBacklogsToTheQueueLimitThenDrops) {
    // 4 fixed clones of 100 req/s against 500 req/s: 100 more than capacity each second, 1,500
    // a tick into the backlog until it holds 30 s of capacity (12,000), then 1,500 dropped a
    // tick. Every tick is over any objective once the queue forms.
    const auto sim =
        simulate(oneTier(R"({"replicas": 4})", PolicyKind::Fixed), test::flatScenario(500, 1));
    ASSERT_TRUE(sim) << sim.error().describe();
    const auto& ticks = sim->tiers.at(0).ticks;
    EXPECT_NEAR(ticks[0].backlog, 1500, 1e-9);
    EXPECT_NEAR(ticks[7].backlog, 12000, 1e-9);
    EXPECT_NEAR(ticks[7].dropped, 0, 1e-9);
    EXPECT_NEAR(ticks[8].dropped, 1500, 1e-9);
    EXPECT_NEAR(ticks[8].latencySeconds - ticks[7].latencySeconds, 0, 1e-9);
    EXPECT_NEAR(sim->tiers.at(0).summary.droppedRequests, 1500.0 * (240 - 8), 1e-6);
    EXPECT_NEAR(sim->tiers.at(0).summary.minutesOverObjective, 60, 1e-9);
    EXPECT_NEAR(sim->tiers.at(0).summary.cost, 4 * 0.10, 1e-12);
}

TEST(Simulation, ARollingUpdateStaysWithinItsSurgeAndUnavailableBudget) {
    // 4 fixed clones, a deploy at 900 s with the defaults 25% / 25%: 1 above the count, 1
    // below. At 900 s one old pod goes and two new ones boot (5 pods, 3 ready); at 960 s the
    // two are ready, two more old go and two new boot; at 1,020 s the last old pod goes.
    auto s = test::flatScenario(200, 1);
    s.deploys = {{0.25, "web", "25%", "25%"}};
    const auto sim = simulate(oneTier(R"({"replicas": 4})", PolicyKind::Fixed), s);
    ASSERT_TRUE(sim) << sim.error().describe();
    const auto& run = sim->tiers.at(0);
    ASSERT_EQ(run.rollouts.size(), 1u);
    const auto& r = run.rollouts[0];
    EXPECT_DOUBLE_EQ(r.startSeconds, 900);
    EXPECT_DOUBLE_EQ(r.endSeconds, 1020);
    EXPECT_EQ(r.maxSurge, 1);
    EXPECT_EQ(r.maxUnavailable, 1);
    EXPECT_EQ(r.lowestReady, 3);
    const auto at = [&](double t) { return run.ticks[static_cast<std::size_t>(t / 15)]; };
    EXPECT_EQ(at(885).ready, 4);
    EXPECT_EQ(at(900).ready, 3);
    EXPECT_EQ(at(900).booting, 2);
    EXPECT_EQ(at(960).ready, 3); // 1 old, 2 new
    EXPECT_EQ(at(960).booting, 2);
    EXPECT_EQ(at(1020).ready, 4);
    EXPECT_EQ(at(1020).booting, 0);
    for (const auto& t : run.ticks)
        EXPECT_EQ(t.desired, 4);
    ASSERT_EQ(run.events.size(), 2u);
    EXPECT_EQ(run.events[0].condition, "RolloutStarted");
    EXPECT_TRUE(run.events[1].rollout);
    // Without surge, one pod at a time: four boots of 60 s, done when the fourth new pod is
    // ready, 3 ready throughout. At 320 req/s the 3 cannot keep up (300 req/s), which the run
    // shows as minutes over the objective; without the deploy there are none.
    auto tight = test::flatScenario(320, 1);
    tight.deploys = {{0.25, "", "0", "1"}};
    const auto dip = simulate(oneTier(R"({"replicas": 4})", PolicyKind::Fixed), tight);
    ASSERT_TRUE(dip);
    const auto& d = dip->tiers.at(0).rollouts.at(0);
    EXPECT_DOUBLE_EQ(d.endSeconds, 900 + 4 * 60);
    EXPECT_EQ(d.lowestReady, 3);
    EXPECT_GT(d.minutesOverObjective, 0);
    tight.deploys.clear();
    EXPECT_EQ(simulate(oneTier(R"({"replicas": 4})", PolicyKind::Fixed), tight)
                  ->tiers.at(0)
                  .summary.minutesOverObjective,
              0);
}

TEST(Simulation, ARolloutStepRepeatsUntilNothingChanges) {
    // 3 old pods and 1 from a later scale-up (two old cohorts), all ready, then a 25% / 25%
    // update of 4: one new pod starts, the newest old pod goes (the pod count and the number
    // of cohorts are as before), and the controller, seeing 4 pods under 4 + 1, starts a
    // second new one at once: 5 pods, the 3 old ready.
    Fleet fleet(3, 60);
    fleet.scaleTo(4, 0, 30);
    fleet.startRollout(120, "25%", "25%", 30);
    EXPECT_EQ(fleet.pods(), 5);
    EXPECT_EQ(fleet.readyAt(120), 3);
    EXPECT_TRUE(fleet.rolling());
    // At 180 s the 2 new are ready: 2 old go, 2 new start; at 240 s the last old goes.
    EXPECT_FALSE(fleet.reconcile(180, 30));
    EXPECT_EQ(fleet.readyAt(180), 3);
    EXPECT_TRUE(fleet.reconcile(240, 30));
    EXPECT_EQ(fleet.pods(), 4);
}

TEST(Simulation, AFleetsCountsFollowItsPodsAndChanges) {
    // 4 ready pods; at 0 s two more start, ready at 60 s; at 100 s the count goes to 3: three
    // ready pods leave, billed while they drain until 130 s. The counts are kept between
    // changes (Fleet::countsAt): each must still turn at 60 and 130 s and at every change.
    Fleet fleet(4, 60);
    fleet.scaleTo(6, 0, 30);
    for (const double t : {0.0, 59.0}) {
        const auto n = fleet.countsAt(t);
        EXPECT_EQ(n.ready, 4) << t;
        EXPECT_EQ(n.booting, 2) << t;
        EXPECT_EQ(n.draining, 0) << t;
    }
    EXPECT_EQ(fleet.countsAt(60).ready, 6);
    EXPECT_EQ(fleet.countsAt(60).booting, 0);
    fleet.scaleTo(3, 100, 30);
    for (const double t : {100.0, 129.9}) {
        const auto n = fleet.countsAt(t);
        EXPECT_EQ(n.ready, 3) << t;
        EXPECT_EQ(n.booting, 0) << t;
        EXPECT_EQ(n.draining, 3) << t;
    }
    EXPECT_EQ(fleet.countsAt(130).draining, 0);
    EXPECT_EQ(fleet.countsAt(130).ready, 3);
}

TEST(Simulation, RefusesWhatItCannotRun) {
    auto p = oneTier(R"({"spec": {"maxReplicas": 0}})");
    auto r = simulate(p, test::flatScenario(200, 1));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().location, "/definition/spec/maxReplicas");
    Scenario recorded;
    recorded.name = "last month";
    recorded.recorded = true;
    recorded.component = "web";
    r = simulate(oneTier(), recorded);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("no arrival-rate series is bound"), std::string::npos);
    SimulationOptions only;
    only.component = "users";
    r = simulate(oneTier(), test::flatScenario(200, 1), only);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("only those scale by replicas"), std::string::npos);
}

} // namespace
} // namespace headroom::whatif
