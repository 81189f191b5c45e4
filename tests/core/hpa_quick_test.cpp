// The simulation's quick HPA path (whatif/hpa_quick.h) against the reference, hpa::decide: the
// same figures and conditions on random controller states, and the same ticks, events and
// explanations on whole runs with every kind of metric, behavior, boots and rolling updates.
// hpa::decide itself is checked against worked examples from Kubernetes' documentation in
// hpa_test.cpp; this file only holds the transcription to it.

#include "storage/project_io.h"
#include "support/temp_dir.h"
#include "test_projects.h"
#include "whatif/hpa_autoscaler.h"
#include "whatif/hpa_quick.h"
#include "whatif/simulation.h"

#include <cmath>
#include <cstdio>
#include <gtest/gtest.h>
#include <random>

namespace headroom::whatif {
namespace {

using hpa::PodGroup;

/// A random spec: one to three metrics of any kind the simulation feeds, limits, and half the
/// time a behavior with random windows, policies, selectPolicy and tolerances.
hpa::Spec randomSpec(std::mt19937_64& random) {
    const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    hpa::Spec spec;
    spec.minReplicas = 1 + pick(4);
    spec.maxReplicas = spec.minReplicas + pick(40);
    const int metrics = pick(4); // 0: the API's default, CPU at 80%
    for (int i = 0; i < metrics; ++i) {
        hpa::MetricSpec m;
        switch (pick(6)) {
        case 0:
        case 1:
            m.name = "cpu";
            m.averageUtilization = pick(8) == 0 ? 0 : 10 + pick(140);
            break;
        case 2:
            m.name = "cpu";
            m.target = hpa::TargetType::AverageValue;
            m.milli = pick(8) == 0 ? 0 : 50 + pick(900);
            break;
        case 3:
            m.source = hpa::SourceType::Pods;
            m.name = "requests_per_second";
            m.target = hpa::TargetType::AverageValue;
            m.milli = 500 + pick(50'000);
            break;
        default:
            m.source = pick(2) ? hpa::SourceType::Object : hpa::SourceType::External;
            m.name = pick(2) ? "latency_seconds" : "queue_messages";
            m.target = pick(2) ? hpa::TargetType::Value : hpa::TargetType::AverageValue;
            m.milli = 1 + pick(400'000);
            break;
        }
        spec.metrics.push_back(m);
    }
    if (pick(2)) {
        hpa::Behavior b;
        for (auto* rules : {&b.scaleUp, &b.scaleDown}) {
            if (pick(4) == 0)
                continue; // the default for this direction
            hpa::ScalingRules r;
            if (pick(2))
                r.stabilizationWindowSeconds = 15 * pick(30);
            if (pick(3) == 0)
                r.selectPolicy = static_cast<hpa::SelectPolicy>(pick(3));
            for (int k = pick(3); k > 0; --k)
                r.policies.push_back({pick(2) ? hpa::PolicyType::Pods : hpa::PolicyType::Percent,
                                      1 + pick(150), 15 * (1 + pick(20))});
            if (pick(3) == 0)
                r.tolerance = pick(20) / 100.0;
            *rules = r;
        }
        spec.behavior = b;
    }
    return spec;
}

TEST(HpaQuick, AgreesWithDecideOnRandomStates) {
    std::mt19937_64 random(20261124);
    const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    hpa::ControllerSettings settings;
    int quick = 0, limited = 0, stabilised = 0, failed = 0, rebalanced = 0;
    for (int round = 0; round < 100'000; ++round) {
        SCOPED_TRACE(round);
        hpa::State state;
        state.spec = randomSpec(random);
        state.currentReplicas = pick(12) == 0 ? 0
                                : pick(8) == 0
                                    ? 1 + pick(60)
                                    : state.spec.minReplicas +
                                          pick(state.spec.maxReplicas - state.spec.minReplicas + 1);
        // Pod groups of four plain kinds (pending, unsampled, initialising, settled), whose sorting
        // is known by construction.
        hpa::UniformPods pods;
        pods.current = state.currentReplicas;
        pods.cpuRequestMilli = 100 + pick(1000);
        pods.cpuUsageMilli = pick(2000);
        pods.podMetricMilli = pick(100'000);
        for (int groups = pick(4); groups >= 0; --groups) {
            PodGroup g;
            g.count = pick(6);
            g.requestsMilli["cpu"] = pods.cpuRequestMilli;
            const std::int64_t n = g.count;
            pods.pods += n;
            switch (pick(3)) {
            case 0: // booting: pending
                g.phase = hpa::Phase::Pending;
                g.ready = false;
                g.startedSecondsAgo = g.readyChangedSecondsAgo = pick(60);
                pods.cpu.unready += n;
                pods.other.unready += n;
                break;
            case 1: // serving, its first sample not taken yet
                g.startedSecondsAgo = 60 + pick(30);
                g.readyChangedSecondsAgo = pick(30);
                pods.runningReady += n;
                pods.cpu.missing += n;
                pods.other.missing += n;
                break;
            default: { // serving with a sample: settled, or ready 10 s within its CPU
                       // initialisation, which CPU sets aside
                const bool initialising = pick(3) == 0;
                g.startedSecondsAgo = initialising ? 70 : 301 + pick(100'000);
                g.readyChangedSecondsAgo = initialising ? 10 : 300 + pick(10);
                g.usageMilli["cpu"] = pods.cpuUsageMilli;
                g.metricsMilli["requests_per_second"] = pods.podMetricMilli;
                pods.runningReady += n;
                (initialising ? pods.cpu.unready : pods.cpu.ready) += n;
                pods.other.ready += n;
                break;
            }
            }
            state.pods.push_back(g);
        }
        const hpa::QuickDecider decider(state.spec, settings);
        ASSERT_TRUE(decider.applies());
        std::vector<std::optional<std::int64_t>> objects(decider.metrics().size());
        const bool sampled = pick(5) != 0;
        for (std::size_t i = 0; i < objects.size(); ++i) {
            const auto& m = decider.metrics()[i];
            if (sampled &&
                (m.source == hpa::SourceType::Object || m.source == hpa::SourceType::External)) {
                objects[i] = pick(600'000);
                state.metricValues[m.name] = {*objects[i]};
            }
        }
        // Two metrics of one name read one value, as in the simulation.
        for (std::size_t i = 0; i < objects.size(); ++i)
            if (objects[i])
                objects[i] = state.metricValues[decider.metrics()[i].name].front();
        pods.objectValues = &objects;
        // The memory: proposals at past syncs, and a few changes.
        const double t = 100'000;
        hpa::History events;
        hpa::ProposalWindows windows(state.spec, settings);
        for (int age = 15 * (1 + pick(40)); age > 0; age -= 15) {
            const int r = 1 + pick(50);
            windows.push(r, t - age);
            state.recommendations.push_back({r, static_cast<double>(age)});
            if (pick(6) == 0) {
                const int change = pick(21) - 10;
                events.push_back({change, t - age});
                state.scaleEvents.push_back({change, static_cast<double>(age)});
            }
        }
        const auto reference = hpa::decide(state, settings, false);
        const auto fast = decider.decide(pods, windows.at(t), events, t);
        if (!fast) { // left to decide: the count at zero or outside the limits
            EXPECT_TRUE(state.currentReplicas == 0 ||
                        state.currentReplicas > state.spec.maxReplicas ||
                        state.currentReplicas < state.spec.minReplicas);
            continue;
        }
        ++quick;
        limited += reference.limited;
        stabilised += reference.stabilizedReplicas != reference.metricReplicas;
        failed += !reference.metricReplicas;
        rebalanced += pods.cpu.missing + pods.cpu.unready > 0;
        const auto verdict = HpaAutoscaler::verdictOf(reference);
        ASSERT_EQ(fast->desired, reference.desiredReplicas);
        ASSERT_EQ(fast->metricReplicas, reference.metricReplicas);
        ASSERT_EQ(fast->recommendationToStore, reference.recommendationToStore);
        ASSERT_EQ(fast->scaleEventToStore, reference.scaleEventToStore);
        if (reference.metricReplicas) {
            ASSERT_EQ(fast->stabilizedReplicas, reference.stabilizedReplicas);
        }
        ASSERT_EQ(fast->condition, verdict.condition);
    }
    // The cases are all there, many times over.
    EXPECT_GT(quick, 70'000);
    EXPECT_GT(limited, 3'000);
    EXPECT_GT(stabilised, 3'000);
    EXPECT_GT(failed, 3'000);
    EXPECT_GT(rebalanced, 20'000);
}

/// Every tick and event of `a` and `b` alike, explanations included.
void expectSameRuns(const Simulation& a, const Simulation& b) {
    ASSERT_EQ(a.tiers.size(), b.tiers.size());
    for (std::size_t k = 0; k < a.tiers.size(); ++k) {
        const auto &x = a.tiers[k], &y = b.tiers[k];
        SCOPED_TRACE(x.component);
        ASSERT_EQ(x.ticks.size(), y.ticks.size());
        for (std::size_t i = 0; i < x.ticks.size(); ++i) {
            ASSERT_EQ(x.ticks[i].desired, y.ticks[i].desired) << "tick " << i;
            ASSERT_EQ(x.ticks[i].ready, y.ticks[i].ready) << "tick " << i;
            ASSERT_EQ(x.ticks[i].latencySeconds, y.ticks[i].latencySeconds) << "tick " << i;
        }
        ASSERT_EQ(x.events.size(), y.events.size());
        for (std::size_t i = 0; i < x.events.size(); ++i) {
            EXPECT_EQ(x.events[i].atSeconds, y.events[i].atSeconds);
            EXPECT_EQ(x.events[i].to, y.events[i].to);
            EXPECT_EQ(x.events[i].wanted, y.events[i].wanted);
            EXPECT_EQ(x.events[i].condition, y.events[i].condition);
            EXPECT_EQ(x.events[i].reason, y.events[i].reason);
        }
        EXPECT_EQ(x.summary.cost, y.summary.cost);
        EXPECT_EQ(x.summary.minutesOverObjective, y.summary.minutesOverObjective);
    }
}

TEST(HpaQuick, ASteadySyncLooksAtTheLegacyWindow) {
    // Four settled pods of a legacy HPA (CPU at 50%, at most 4). At 0 s the pods burn 150% of
    // their request: the proposal is ceil(3 x 4) = 12, held at the max (TooManyReplicas), and
    // the scale-down window keeps the 12. At 15 s they burn 50%, within the band that leaves 4
    // as they are: the steady path must still see the 12 in the window and say, as decide
    // does, that the count is held at the max, not that the metrics want it.
    hpa::Spec spec;
    spec.minReplicas = 1;
    spec.maxReplicas = 4;
    auto cpu = hpa::defaultCpuMetric();
    cpu.averageUtilization = 50;
    spec.metrics = {cpu};
    SimulationOptions quick;
    quick.metricDelaySeconds = 0;
    SimulationOptions reference = quick;
    reference.referenceHpa = true;
    Tier tier;
    tier.cpuMsPerRequest = 10;
    tier.coresMilli = 2000;
    tier.requestMilli = 1000;
    HpaAutoscaler a(spec, quick), b(spec, reference);
    const Fleet fleet(4, 0);
    TierTick tick;
    tick.ready = 4;
    for (const auto& [t, served] : {std::pair{0.0, 600.0}, {15.0, 200.0}, {30.0, 200.0}}) {
        SCOPED_TRACE(t);
        tick.servedRps = served; // 150 or 50 a pod: 1500 or 500 milli-cores of 1000
        const auto x = a.onTick(tick, fleet, t, tier);
        const auto y = b.onTick(tick, fleet, t, tier);
        ASSERT_TRUE(x && y);
        EXPECT_EQ(x->desired, 4);
        EXPECT_EQ(x->desired, y->desired);
        EXPECT_EQ(x->wanted, y->wanted);
        EXPECT_EQ(x->condition, y->condition);
        EXPECT_EQ(x->condition, "TooManyReplicas");
    }
}

TEST(HpaQuick, WholeRunsMatchTheReference) {
    // Two days of a noisy daily cycle with a spike to x4 and two rolling updates, under HPAs
    // of every kind of metric, with and without behavior.
    Scenario scenario;
    scenario.name = "days";
    scenario.synthetic = {200, 2, 0.6, 14, 1, true, 11};
    scenario.transforms = {{TransformKind::Spike, 4, 20, 5, 60, 0, false, 1}};
    scenario.deploys = {{9, "", "25%", "25%"}, {30, "", "1", "0"}};
    const char* policies[] = {
        R"({"spec": {"minReplicas": 2, "maxReplicas": 30, "metrics": [{"type": "Resource",
            "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]}})",
        R"({"spec": {"minReplicas": 1, "maxReplicas": 40}})",
        R"({"spec": {"minReplicas": 2, "maxReplicas": 30, "metrics": [{"type": "Resource",
            "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}}],
            "behavior": {"scaleUp": {"stabilizationWindowSeconds": 60, "policies": [
              {"type": "Pods", "value": 2, "periodSeconds": 60}], "tolerance": 0.05},
            "scaleDown": {"stabilizationWindowSeconds": 120, "selectPolicy": "Min", "policies": [
              {"type": "Percent", "value": 20, "periodSeconds": 60},
              {"type": "Pods", "value": 3, "periodSeconds": 120}]}}}})",
        R"({"spec": {"minReplicas": 2, "maxReplicas": 30, "metrics": [
            {"type": "Pods", "pods": {"metric": {"name": "requests_per_second"},
             "target": {"type": "AverageValue", "averageValue": "40"}}},
            {"type": "Object", "object": {"metric": {"name": "latency_seconds"},
             "describedObject": {"kind": "Service", "name": "web", "apiVersion": "v1"},
             "target": {"type": "Value", "value": "150m"}}}]}})",
        R"({"spec": {"minReplicas": 2, "maxReplicas": 30, "metrics": [
            {"type": "External", "external": {"metric": {"name": "queue_messages"},
             "target": {"type": "AverageValue", "averageValue": "5"}}},
            {"type": "Resource", "resource": {"name": "cpu",
             "target": {"type": "AverageValue", "averageValue": "300m"}}}],
            "behavior": {"scaleDown": {"stabilizationWindowSeconds": 0}}}})",
    };
    int events = 0;
    // One core, and eight (past four, settled pods' proposals are not kept in a table).
    for (const double cores : {1.0, 8.0})
        for (const char* policy : policies) {
            SCOPED_TRACE(policy);
            SCOPED_TRACE(cores);
            auto project = test::cpuBoundTier();
            project.findComponent("web")->properties["cores"] = cores;
            project.policies.push_back({"hpa", "web", PolicyKind::KubernetesHpa, policy});
            SimulationOptions reference;
            reference.referenceHpa = true;
            const auto a = simulate(project, scenario);
            const auto b = simulate(project, scenario, reference);
            ASSERT_TRUE(a) << a.error().describe();
            ASSERT_TRUE(b) << b.error().describe();
            expectSameRuns(*a, *b);
            events += static_cast<int>(a->tiers.at(0).events.size());
        }
    EXPECT_GT(events, 100); // the runs scale, hold and roll, not sit still
    // And the examples' own scenarios under each of their policies (KEDA's HPA among them).
    int runs = 0;
    for (const char* name : {"webshop", "video-pipeline", "legacy-sticky"}) {
        SCOPED_TRACE(name);
        const auto project =
            loadProject(test::sourceDir() / "models" / (std::string(name) + ".headroom.json"));
        ASSERT_TRUE(project) << project.error().describe();
        for (const auto& policy : project->policies)
            for (const auto& scenario : project->scenarios) {
                SCOPED_TRACE(policy.name + " in " + scenario.name);
                SimulationOptions quick, reference;
                quick.component = reference.component = policy.component;
                quick.policy = reference.policy = policy.name;
                reference.referenceHpa = true;
                const auto a = simulate(*project, scenario, quick);
                const auto b = simulate(*project, scenario, reference);
                ASSERT_EQ(bool(a), bool(b));
                if (a) {
                    expectSameRuns(*a, *b);
                    ++runs;
                }
            }
    }
    EXPECT_GE(runs, 20); // webshop: five policies, four scenarios
}

} // namespace
} // namespace headroom::whatif
