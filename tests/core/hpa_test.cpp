// The HPA decision (core/whatif/hpa.h) on cases worked out by hand from the Kubernetes
// documentation ("Horizontal Pod Autoscaling", kubernetes.io: "Algorithm details", "Scaling
// policies", "Stabilization window", "Default Behavior") and from the controller's rules
// (replica_calculator.go, horizontal.go) as docs/autoscalers.md writes them down.

#include "whatif/hpa.h"
#include "whatif/hpa_state.h"

#include <gtest/gtest.h>

namespace headroom::whatif::hpa {
namespace {

MetricSpec cpuAt(int percent) {
    MetricSpec m;
    m.name = "cpu";
    m.averageUtilization = percent;
    return m;
}

MetricSpec podsMetric(const std::string& name, std::int64_t averageMilli) {
    MetricSpec m;
    m.source = SourceType::Pods;
    m.name = name;
    m.target = TargetType::AverageValue;
    m.milli = averageMilli;
    return m;
}

/// `count` running, ready pods, each requesting `requestMilli` CPU and using `usageMilli`.
PodGroup pods(int count, std::int64_t requestMilli, std::optional<std::int64_t> usageMilli,
              Phase phase = Phase::Running, bool ready = true) {
    PodGroup p;
    p.name = "web";
    p.count = count;
    p.phase = phase;
    p.ready = ready;
    p.requestsMilli["cpu"] = requestMilli;
    if (usageMilli)
        p.usageMilli["cpu"] = *usageMilli;
    return p;
}

State state(int current, int minReplicas, int maxReplicas, std::vector<MetricSpec> metrics,
            std::vector<PodGroup> groups) {
    State s;
    s.currentReplicas = current;
    s.spec.minReplicas = minReplicas;
    s.spec.maxReplicas = maxReplicas;
    s.spec.metrics = std::move(metrics);
    s.pods = std::move(groups);
    return s;
}

TEST(Hpa, TheDocumentedRatioDoublesAndHalves) {
    // "if the current metric value is 200m, and the desired value is 100m, the number of
    // replicas will be doubled ... If the current value is instead 50m, you'll halve the
    // number of replicas" (Algorithm details).
    PodGroup busy;
    busy.count = 3;
    busy.metricsMilli["requests"] = 200;
    auto s = state(3, 1, 20, {podsMetric("requests", 100)}, {busy});
    auto d = decide(s);
    EXPECT_EQ(d.desiredReplicas, 6);
    EXPECT_EQ(d.proposals.at(0).usageRatio, 2.0);
    EXPECT_EQ(d.scalingLimited.reason, "DesiredWithinRange");

    s.currentReplicas = 4;
    s.pods[0].count = 4;
    s.pods[0].metricsMilli["requests"] = 50;
    d = decide(s);
    EXPECT_EQ(d.desiredReplicas, 2);
    EXPECT_EQ(d.rescaleReason, "All metrics below target");
}

TEST(Hpa, WithinTheToleranceNothingChanges) {
    // Ten pods of 1000m at 54% against 50%: ratio 1.08, within 0.1 of 1. At 56%, ratio 1.12:
    // ceil(1.12 x 10) = 12.
    auto s = state(10, 1, 50, {cpuAt(50)}, {pods(10, 1000, 540)});
    EXPECT_EQ(decide(s).desiredReplicas, 10);
    EXPECT_EQ(decide(s).proposals.at(0).replicas, 10);
    s.pods[0].usageMilli["cpu"] = 560;
    EXPECT_EQ(decide(s).desiredReplicas, 12);
    // A per-direction tolerance of 5% up (behavior.scaleUp.tolerance) acts on 1.08.
    s.pods[0].usageMilli["cpu"] = 540;
    s.spec.behavior = Behavior{ScalingRules{{}, {}, {}, 0.05}, std::nullopt};
    EXPECT_EQ(decide(s).desiredReplicas, 11); // ceil(1.08 x 10) = 11
    // ... unless the feature gate is off, as before Kubernetes 1.35.
    ControllerSettings gateOff;
    gateOff.configurableTolerance = false;
    EXPECT_EQ(decide(s, gateOff).desiredReplicas, 10);
}

TEST(Hpa, UtilisationIsAWholePercentRoundedDown) {
    // 5,505m used of 10,000m requested is 55.05%: the controller keeps 55%, a ratio of exactly
    // 1.1 against 50%, which is within the tolerance; the exact 1.101 would have made 12.
    const auto s = state(10, 1, 50, {cpuAt(50)}, {pods(9, 1000, 550), pods(1, 1000, 555)});
    const auto d = decide(s);
    EXPECT_EQ(d.proposals.at(0).current, "55%");
    EXPECT_DOUBLE_EQ(d.proposals.at(0).usageRatio, 1.1);
    EXPECT_EQ(d.desiredReplicas, 10);
}

TEST(Hpa, PodsWithoutASampleCountAsBusyOnAScaleDown) {
    // Three pods at 20% and one with no sample, target 50%: the three say 0.4, but "assuming
    // those pods were consuming 100% of the desired value in case of a scale down" (for a
    // utilization target, 100% of the request): (3 x 200 + 1000) / 4000 = 40%, ratio 0.8,
    // ceil(0.8 x 4) = 4, which is not below the current 4: nothing changes.
    auto s = state(4, 1, 20, {cpuAt(50)}, {pods(3, 1000, 200), pods(1, 1000, std::nullopt)});
    auto d = decide(s);
    EXPECT_EQ(d.proposals.at(0).replicas, 4);
    EXPECT_EQ(d.desiredReplicas, 4);
    // On a scale-up the missing pod counts as idle: three at 90% say 1.8; with it at 0%,
    // 2700 / 4000 = 67%, ratio 1.34, ceil(1.34 x 4) = 6.
    s.pods[0].usageMilli["cpu"] = 900;
    d = decide(s);
    EXPECT_EQ(d.proposals.at(0).replicas, 6);
}

TEST(Hpa, UnreadyPodsCountAsIdleOnAScaleUp) {
    // Two ready pods at 100% and three pending, current 5, target 50%: ratio 2.0, but with the
    // pending ones at 0%, 2000 / 5000 = 40%, ratio 0.8, which turns the direction around:
    // the controller keeps 5 rather than act on a half-started fleet.
    const auto s = state(5, 1, 20, {cpuAt(50)},
                         {pods(2, 1000, 1000), pods(3, 1000, std::nullopt, Phase::Pending, false)});
    const auto d = decide(s);
    EXPECT_DOUBLE_EQ(d.proposals.at(0).usageRatio, 2.0);
    EXPECT_EQ(d.proposals.at(0).replicas, 5);
    EXPECT_NE(d.proposals.at(0).why.find("turns the direction around"), std::string::npos);
}

TEST(Hpa, ACpuSampleFromBeforeReadinessIsSetAside) {
    // Within the CPU initialisation period (5 min), a sample counts only if a whole metric
    // window (15 s) was collected after the pod became ready.
    auto fresh = pods(1, 1000, 1000);
    fresh.startedSecondsAgo = 60;
    fresh.readyChangedSecondsAgo = 10; // ready 10 s ago: the 15 s window began before
    auto settled = pods(1, 1000, 400);
    settled.startedSecondsAgo = 600;
    auto s = state(2, 1, 20, {cpuAt(50)}, {fresh, settled});
    // Only the settled pod's 40% counts: ratio 0.8, ceil(0.8 x 1) = 1, one ready pod. The
    // fresh pod is unready, so on this scale-down it is simply left out.
    EXPECT_EQ(decide(s).proposals.at(0).replicas, 1);
    s.pods[0].readyChangedSecondsAgo = 30; // a full window since: it counts, (1000 + 400) / 2000
    EXPECT_EQ(decide(s).proposals.at(0).current, "70%");
}

TEST(Hpa, ThePolicyAllowingTheMostChangeScalesDownEightyReplicas) {
    // Scaling policies: Pods 4 per 60 s and Percent 10 per 60 s. "if there are 80 replicas and
    // the target has to be scaled down to 10 replicas then during the first step 8 replicas
    // will be reduced. In the next iteration when the number of replicas is 72, 10% of the
    // pods is 7.2 but the number is rounded up to 8."
    ScalingRules down;
    down.stabilizationWindowSeconds = 0;
    down.policies = {{PolicyType::Pods, 4, 60}, {PolicyType::Percent, 10, 60}};
    PodGroup idle;
    idle.count = 80;
    idle.metricsMilli["requests"] = 125; // 80 x 125 / 1000 = ten pods' worth
    auto s = state(80, 1, 100, {podsMetric("requests", 1000)}, {idle});
    s.spec.behavior = Behavior{std::nullopt, down};
    auto d = decide(s);
    EXPECT_EQ(d.metricReplicas, 10);
    EXPECT_EQ(d.desiredReplicas, 72);
    EXPECT_EQ(d.scalingLimited.reason, "ScaleDownLimit");
    EXPECT_EQ(d.scaleEventToStore, -8);
    // The next step, after the period: 72 -> 64 (72 x 0.9 = 64.8, kept whole: 64).
    s.currentReplicas = 72;
    s.pods[0].count = 72;
    s.pods[0].metricsMilli["requests"] = 139; // still about ten pods' worth
    s.scaleEvents = {{-8, 61}};
    EXPECT_EQ(decide(s).desiredReplicas, 64);
    // Within the period the 8 already removed count: the period began at 80, and 80 x 0.9 =
    // 72 is the floor, so no more this minute.
    s.scaleEvents = {{-8, 30}};
    d = decide(s);
    EXPECT_EQ(d.desiredReplicas, 72);
    EXPECT_FALSE(d.rescale);
    // Below 40 replicas, 4 pods a minute is the larger change.
    s.currentReplicas = 30;
    s.pods[0].count = 30;
    s.scaleEvents.clear();
    EXPECT_EQ(decide(s).desiredReplicas, 26);
}

TEST(Hpa, TheDefaultScaleUpAddsFourPodsOrDoublesEveryFifteenSeconds) {
    // Default Behavior: "4 pods or a 100% of the currently running replicas may at most be
    // added every 15 seconds". From 1 wanting 10: max(1 + 4, 2 x 1) = 5; 15 s later from 5:
    // max(9, 10) = 10.
    PodGroup hot;
    hot.count = 1;
    hot.metricsMilli["requests"] = 10000;
    auto s = state(1, 1, 100, {podsMetric("requests", 1000)}, {hot});
    s.spec.behavior = Behavior{};
    auto d = decide(s);
    EXPECT_EQ(d.metricReplicas, 10);
    EXPECT_EQ(d.desiredReplicas, 5);
    EXPECT_EQ(d.scalingLimited.reason, "ScaleUpLimit");
    s.currentReplicas = 5;
    s.pods[0].count = 5;
    s.pods[0].metricsMilli["requests"] = 2000;
    s.scaleEvents = {{4, 15}}; // exactly one period ago: outside it
    EXPECT_EQ(decide(s).desiredReplicas, 10);
    s.scaleEvents = {{4, 14}}; // still inside: the period began at 1, so max(5, 2) = 5
    EXPECT_EQ(decide(s).desiredReplicas, 5);
}

TEST(Hpa, WithoutBehaviorTheLegacyLimitIsTwiceTheCurrentCountAndAtLeastFour) {
    PodGroup hot;
    hot.count = 3;
    hot.metricsMilli["requests"] = 10000;
    auto s = state(3, 1, 100, {podsMetric("requests", 1000)}, {hot});
    auto d = decide(s);
    EXPECT_EQ(d.metricReplicas, 30);
    EXPECT_EQ(d.desiredReplicas, 6);
    EXPECT_EQ(d.scalingLimited.reason, "ScaleUpLimit");
    EXPECT_FALSE(d.scaleEventToStore); // without behavior the controller records no events
    s.spec.maxReplicas = 5;
    d = decide(s);
    EXPECT_EQ(d.desiredReplicas, 5);
    EXPECT_EQ(d.scalingLimited.reason, "TooManyReplicas");
}

TEST(Hpa, TheScaleDownWindowKeepsTheHighestRecentProposal) {
    // Stabilization window: "uses the highest value from the specified interval" (300 s).
    PodGroup quiet;
    quiet.count = 10;
    quiet.metricsMilli["requests"] = 500; // proposes 5
    auto s = state(10, 1, 20, {podsMetric("requests", 1000)}, {quiet});
    s.recommendations = {{10, 100}, {8, 200}};
    auto d = decide(s);
    EXPECT_EQ(d.metricReplicas, 5);
    EXPECT_EQ(d.desiredReplicas, 10);
    EXPECT_EQ(d.ableToScale.reason, "ScaleDownStabilized");
    EXPECT_EQ(d.recommendationToStore, 5);
    // The legacy rule keeps a proposal exactly 300 s old; behavior's window does not.
    s.recommendations = {{10, 300}, {8, 200}};
    EXPECT_EQ(decide(s).desiredReplicas, 10);
    s.spec.behavior = Behavior{};
    EXPECT_EQ(decide(s).desiredReplicas, 8);
    s.recommendations = {{10, 301}, {8, 200}};
    s.spec.behavior.reset();
    EXPECT_EQ(decide(s).desiredReplicas, 8);
}

TEST(Hpa, AScaleUpWindowTakesTheLowestRecentProposal) {
    ScalingRules up;
    up.stabilizationWindowSeconds = 60;
    PodGroup hot;
    hot.count = 4;
    hot.metricsMilli["requests"] = 2000; // proposes 8
    auto s = state(4, 1, 20, {podsMetric("requests", 1000)}, {hot});
    s.spec.behavior = Behavior{up, std::nullopt};
    s.recommendations = {{5, 30}, {4, 90}};
    const auto d = decide(s);
    EXPECT_EQ(d.desiredReplicas, 5);
    EXPECT_EQ(d.ableToScale.reason, "ScaleUpStabilized");
}

TEST(Hpa, TheLargestProposalWinsAndAFailedMetricBlocksOnlyAScaleDown) {
    PodGroup p = pods(4, 1000, 300);   // cpu 30% of 60%: proposes 2
    p.metricsMilli["requests"] = 3000; // 3 per pod against 1: proposes 12
    auto s = state(4, 1, 20, {cpuAt(60), podsMetric("requests", 1000)}, {p});
    auto d = decide(s);
    EXPECT_EQ(d.metricReplicas, 12);
    EXPECT_EQ(d.metricName, "pods metric requests");
    EXPECT_EQ(d.desiredReplicas, 8); // the legacy limit: twice 4
    // The requests metric missing: cpu alone would scale down, which a failure forbids.
    s.pods[0].metricsMilli.clear();
    d = decide(s);
    EXPECT_EQ(d.desiredReplicas, 4);
    EXPECT_EQ(d.scalingActive.reason, "FailedGetPodsMetric");
    // With cpu hot, its scale-up goes ahead despite the failure.
    s.pods[0].usageMilli["cpu"] = 900;
    d = decide(s);
    EXPECT_EQ(d.desiredReplicas, 6); // ceil(1.5 x 4)
    EXPECT_EQ(d.scalingActive.reason, "ValidMetricFound");
}

TEST(Hpa, ExternalAndObjectMetrics) {
    // A queue of 95 messages against 10 per replica (AverageValue): ceil(95 / 10) = 10.
    MetricSpec queue;
    queue.source = SourceType::External;
    queue.name = "queue_messages_ready";
    queue.target = TargetType::AverageValue;
    queue.milli = 10'000;
    auto s = state(3, 1, 30, {queue}, {pods(3, 100, 10)});
    s.metricValues["queue_messages_ready"] = {95'000};
    s.spec.behavior = Behavior{};
    EXPECT_EQ(decide(s).metricReplicas, 10);
    // An Object metric with a Value target: 2,000 req/s on the ingress against 1,000, with 3
    // ready pods: ceil(2 x 3) = 6.
    MetricSpec ingress;
    ingress.source = SourceType::Object;
    ingress.objectKind = "Ingress";
    ingress.name = "requests-per-second";
    ingress.target = TargetType::Value;
    ingress.milli = 1'000'000;
    s.spec.metrics = {ingress};
    s.metricValues = {{"requests-per-second", {2'000'000}}};
    const auto d = decide(s);
    EXPECT_EQ(d.metricReplicas, 6);
    EXPECT_EQ(d.metricName, "Ingress metric requests-per-second");
    // With no pods to count the controller cannot scale the ratio: the metric fails and, being
    // the only one, changes nothing (rather than proposing 0 and falling to minReplicas).
    s.pods.clear();
    const auto none = decide(s);
    EXPECT_EQ(none.desiredReplicas, 3);
    EXPECT_EQ(none.scalingActive.reason, "FailedGetObjectMetric");
}

TEST(Hpa, OutOfRangeAndDisabledTargets) {
    auto s = state(0, 1, 10, {cpuAt(50)}, {});
    auto d = decide(s);
    EXPECT_EQ(d.scalingActive.reason, "ScalingDisabled");
    EXPECT_FALSE(d.rescale);
    s = state(12, 1, 10, {cpuAt(50)}, {pods(12, 100, 10)});
    d = decide(s);
    EXPECT_EQ(d.desiredReplicas, 10);
    EXPECT_EQ(d.rescaleReason, "Current number of replicas above Spec.MaxReplicas");
    EXPECT_FALSE(d.recommendationToStore);
}

TEST(Hpa, NoReadyPodWithASampleIsAnError) {
    const auto s = state(2, 1, 10, {cpuAt(50)}, {pods(2, 100, std::nullopt, Phase::Pending)});
    const auto d = decide(s);
    EXPECT_EQ(d.desiredReplicas, 2);
    EXPECT_EQ(d.scalingActive.reason, "FailedGetResourceMetric");
    EXPECT_EQ(d.proposals.at(0).error,
              "did not receive metrics for targeted pods (pods might be unready)");
}

TEST(HpaState, QuantitiesInMilliUnitsRoundedUp) {
    EXPECT_EQ(parseQuantityMilli("500m"), 500);
    EXPECT_EQ(parseQuantityMilli("2"), 2000);
    EXPECT_EQ(parseQuantityMilli("1.5"), 1500);
    EXPECT_EQ(parseQuantityMilli("1k"), 1'000'000);
    EXPECT_EQ(parseQuantityMilli("2Ki"), 2'048'000);
    EXPECT_EQ(parseQuantityMilli("1e3"), 1'000'000);
    EXPECT_EQ(parseQuantityMilli("0.0001"), 1); // 0.1 milli, rounded up as MilliValue does
    EXPECT_EQ(parseQuantityMilli("250u"), 1);
    EXPECT_FALSE(parseQuantityMilli("abc"));
    EXPECT_FALSE(parseQuantityMilli("5 "));
    EXPECT_FALSE(parseQuantityMilli("1Zi"));
    EXPECT_FALSE(parseQuantityMilli("99999999999999999E"));
}

TEST(HpaState, YamlAndJsonReadTheSame) {
    const char* yaml = R"(hpa:
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  spec:
    minReplicas: 2
    maxReplicas: 10
    metrics:
    - type: Pods
      pods:
        metric: {name: requests}
        target: {type: AverageValue, averageValue: "1500m"}
    behavior:
      scaleDown:
        stabilizationWindowSeconds: 60
        selectPolicy: Min
        policies: [{type: Percent, value: 50, periodSeconds: 30}]
        tolerance: "0.05"
currentReplicas: 3
pods:
- {name: a, metrics: {requests: 3000}}
- {name: b, phase: Pending, ready: false}
history:
  recommendations: [{replicas: 4, ageSeconds: 20}]
  scaleEvents: [{replicaChange: -1, ageSeconds: 10}]
)";
    const char* json =
        R"({"hpa": {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
  "spec": {"minReplicas": 2, "maxReplicas": 10,
    "metrics": [{"type": "Pods", "pods": {"metric": {"name": "requests"},
                 "target": {"type": "AverageValue", "averageValue": "1500m"}}}],
    "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60, "selectPolicy": "Min",
      "policies": [{"type": "Percent", "value": 50, "periodSeconds": 30}], "tolerance": "0.05"}}}},
  "currentReplicas": 3,
  "pods": [{"name": "a", "metrics": {"requests": 3000}}, {"name": "b", "phase": "Pending", "ready": false}],
  "history": {"recommendations": [{"replicas": 4, "ageSeconds": 20}],
              "scaleEvents": [{"replicaChange": -1, "ageSeconds": 10}]}})";
    const auto a = parseState(yaml, true);
    const auto b = parseState(json, false);
    ASSERT_TRUE(a) << a.error().describe();
    ASSERT_TRUE(b) << b.error().describe();
    for (const auto* doc : {&*a, &*b}) {
        const auto& s = doc->state;
        EXPECT_EQ(s.spec.minReplicas, 2);
        EXPECT_EQ(s.spec.metrics.at(0).milli, 1500);
        EXPECT_EQ(s.spec.behavior->scaleDown->selectPolicy, SelectPolicy::Min);
        EXPECT_DOUBLE_EQ(*s.spec.behavior->scaleDown->tolerance, 0.05);
        EXPECT_EQ(s.pods.at(1).phase, Phase::Pending);
        EXPECT_EQ(s.recommendations.at(0).replicas, 4);
        EXPECT_EQ(s.scaleEvents.at(0).replicaChange, -1);
        // One ready pod at 3 against 1.5: ratio 2; the pending pod at 0 makes it 1.0 exactly,
        // within the tolerance: keep 3.
        EXPECT_EQ(decide(s).proposals.at(0).replicas, 3);
    }
}

TEST(HpaState, WrongFieldsAreNamedByTheirPointer) {
    const auto where = [](const char* text, bool yaml = false) {
        const auto r = parseState(text, yaml, "state.json");
        return r ? std::string("accepted") : r.error().location + ": " + r.error().message;
    };
    EXPECT_EQ(where(R"({"hpa": {"spec": {"maxReplicas": 5}}})"), "/currentReplicas: missing");
    EXPECT_EQ(where(R"({"hpa": {"spec": {"maxReplicas": 5, "metrics": [{"type": "Resource",
        "resource": {"name": "cpu", "target": {"type": "Utilisation"}}}]}}, "currentReplicas": 1})"),
              "/hpa/spec/metrics/0/resource/target/type: expected Utilization, Value or "
              "AverageValue, found \"Utilisation\"");
    EXPECT_EQ(where(R"({"hpa": {"spec": {"maxReplicas": 5}}, "currentReplicas": 1,
        "pods": [{"cpuUsageMili": 3}]})"),
              "/pods/0/cpuUsageMili: unknown field; expected one of name, count, phase, ready, "
              "deleting, cpuRequestMilli, cpuUsageMilli, requestsMilli, usageMilli, metrics, "
              "startedSecondsAgo, readyChangedSecondsAgo, sampleAgeSeconds, sampleWindowSeconds");
    EXPECT_EQ(
        where(R"({"hpa": {"spec": {"minReplicas": 6, "maxReplicas": 5}}, "currentReplicas": 1})"),
        "/hpa/spec/maxReplicas: is below minReplicas (6)");
    EXPECT_EQ(where("{\"hpa\": [1,"), "line 1, column 12: not valid JSON: unexpected end of input; "
                                      "expected '[', '{', or a literal");
    EXPECT_EQ(where("hpa: [unclosed", true).substr(0, 7), "line 1,");
}

} // namespace
} // namespace headroom::whatif::hpa
