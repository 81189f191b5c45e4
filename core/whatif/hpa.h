#pragma once
// One decision of the Kubernetes HorizontalPodAutoscaler (autoscaling/v2) as the controller in
// kube-controller-manager makes it at every sync (15 s by default): a replica proposal per
// metric (replica_calculator.go), the largest one taken, then the stabilisation windows and
// rate policies of `behavior`, or the legacy rules when there is none, then min and max
// (horizontal.go). Every step says why, in the controller's own terms (DesiredWithinRange,
// ScaleUpLimit, ScaleDownStabilized, ...), so "why did my HPA (not) scale?" has an answer.
// The rules, with the source lines they come from, are in docs/autoscalers.md.
//
// Quantities are milli-units, as the controller computes them (500m CPU = 500; a Pods metric
// of 2 requests a second = 2000), and the controller's integer arithmetic is kept: a CPU
// utilisation is a whole percent, rounded down.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::whatif::hpa {

enum class SourceType { Resource, ContainerResource, Pods, Object, External };
enum class TargetType { Utilization, Value, AverageValue };

struct MetricSpec {
    SourceType source = SourceType::Resource;
    std::string name;      ///< the resource (cpu, memory) or the metric's name
    std::string container; ///< ContainerResource: which container (pods carry one figure each)
    std::string objectKind = "Object"; ///< Object: the described object's kind, for the words
    std::string objectName;            ///< Object: the described object's name
    TargetType target = TargetType::Utilization;
    int averageUtilization = 0; ///< Utilization: percent of the request
    std::int64_t milli = 0;     ///< Value or AverageValue, in milli-units
    bool operator==(const MetricSpec&) const = default;
};

enum class PolicyType { Pods, Percent };
struct ScalingPolicy {
    PolicyType type = PolicyType::Pods;
    int value = 0;
    int periodSeconds = 15;
    bool operator==(const ScalingPolicy&) const = default;
};
enum class SelectPolicy { Max, Min, Disabled };

/// One direction of `behavior`, as written: what is left out takes the API server's default.
struct ScalingRules {
    std::optional<int> stabilizationWindowSeconds;
    std::optional<SelectPolicy> selectPolicy;
    std::vector<ScalingPolicy> policies; ///< empty: the default policies
    std::optional<double> tolerance;     ///< the per-direction tolerance (Kubernetes 1.33+)
    bool operator==(const ScalingRules&) const = default;
};
struct Behavior {
    std::optional<ScalingRules> scaleUp, scaleDown;
    bool operator==(const Behavior&) const = default;
};

/// The API server's defaults (pkg/apis/autoscaling/v2/defaults.go): scale up with no
/// stabilisation, by the larger of 4 pods or 100% per 15 s; scale down by up to 100% per 15 s,
/// stabilised over the controller's window (300 s unless set).
ScalingRules scaleUpRules(const std::optional<ScalingRules>& given);
ScalingRules scaleDownRules(const std::optional<ScalingRules>& given, int controllerWindowSeconds);

struct Spec {
    int minReplicas = 1;
    int maxReplicas = 1;
    std::vector<MetricSpec> metrics;  ///< empty: CPU at 80% of the request (the API's default)
    std::optional<Behavior> behavior; ///< absent: the legacy rules (no per-policy limits)
    bool operator==(const Spec&) const = default;
};

enum class Phase { Pending, Running, Succeeded, Failed };

/// The window metrics-server averages a resource sample over, by default.
inline constexpr double kSampleWindowSeconds = 15;

/// Pods alike in everything the controller looks at, `count` of them: one per pod when a
/// cluster's state is read; a few groups (booting, warming up, serving) in a simulation.
struct PodGroup {
    std::string name;
    int count = 1;
    Phase phase = Phase::Running;
    bool ready = true;
    bool deleting = false;                             ///< has a deletion timestamp
    std::map<std::string, std::int64_t> requestsMilli; ///< per resource (cpu, memory)
    std::map<std::string, std::int64_t> usageMilli;    ///< per resource; absent: no sample
    std::map<std::string, std::int64_t> metricsMilli;  ///< Pods metrics; absent: no sample
    /// When the pod started and its Ready condition last changed; unknown: started long ago,
    /// and a pod that is not ready has never been. They decide whether a CPU sample counts.
    std::optional<double> startedSecondsAgo, readyChangedSecondsAgo;
    double sampleAgeSeconds = 0;                       ///< how old the resource sample is
    double sampleWindowSeconds = kSampleWindowSeconds; ///< the window it was averaged over
};

struct Recommendation {
    int replicas = 0;
    double ageSeconds = 0;
};
struct ScaleEvent {
    int replicaChange = 0; ///< added (positive) or removed (negative)
    double ageSeconds = 0;
};

/// What the controller knows at a sync.
struct State {
    Spec spec;
    int currentReplicas = 0;           ///< the target's spec.replicas
    std::optional<int> statusReplicas; ///< pods that exist (status.replicas); default: current
    std::vector<PodGroup> pods;
    /// Object and External metrics, by name, in milli-units: an Object metric's one value, or
    /// the values an External metric's selector matched (summed).
    std::map<std::string, std::vector<std::int64_t>> metricValues;
    std::vector<Recommendation> recommendations; ///< earlier proposals, within the windows
    std::vector<ScaleEvent> scaleEvents;         ///< earlier changes, within the policy periods
};

/// kube-controller-manager's flags for the HPA.
struct ControllerSettings {
    double tolerance = 0.1; ///< --horizontal-pod-autoscaler-tolerance
    int downscaleStabilizationSeconds =
        300; ///< --horizontal-pod-autoscaler-downscale-stabilization
    double cpuInitializationSeconds =
        300; ///< --horizontal-pod-autoscaler-cpu-initialization-period
    double initialReadinessDelaySeconds =
        30; ///< --horizontal-pod-autoscaler-initial-readiness-delay
    /// The HPAConfigurableTolerance feature gate (alpha in 1.33, on by default since 1.35):
    /// whether behavior's per-direction tolerances are read.
    bool configurableTolerance = true;
};

/// What one metric proposes.
struct MetricProposal {
    std::string metric; ///< as kubectl describes it: "cpu resource utilization ..." (in words)
    std::optional<int> replicas; ///< nothing when it could not be computed
    std::string error;           ///< then, why (the controller's message)
    double usageRatio = 0;       ///< current over target
    std::string current, target; ///< "75%", "1500m"
    std::string why;             ///< the steps, in words
};

/// A condition as the HPA's status shows it.
struct Condition {
    std::string_view reason; ///< one of the controller's constants: "ScaleUpLimit", ...
    std::string message;     ///< filled when the decision is asked for in words
};

struct Decision {
    int desiredReplicas = 0;
    bool rescale = false;
    std::vector<MetricProposal> proposals;
    /// The largest proposal (before stabilisation and limits), and the metric that made it.
    std::optional<int> metricReplicas;
    std::string metricName;
    std::optional<int> stabilizedReplicas; ///< after the stabilisation window
    Condition scalingActive; ///< ValidMetricFound, ScalingDisabled, FailedGet...Metric
    Condition ableToScale;   ///< ReadyForNewScale, ScaleUpStabilized, ScaleDownStabilized
    Condition
        scalingLimited;   ///< DesiredWithinRange, ScaleUpLimit, ScaleDownLimit, TooFew/ManyReplicas
    bool limited = false; ///< the limit changed the stabilised count
    std::string rescaleReason; ///< the controller's event text: "cpu resource ... above target"
    std::string reason;        ///< the whole decision in words
    /// What the controller remembers for the next syncs: this proposal (when metrics were
    /// computed), and the change made (when there was one and behavior is set).
    std::optional<int> recommendationToStore;
    std::optional<int> scaleEventToStore;
};

/// With `words` false the decision carries its figures and condition reasons but no text (no
/// `why`, `reason` or messages): what a simulation needs at every sync, several times faster.
Decision decide(const State& state, const ControllerSettings& settings = {}, bool words = true);

const char* toString(SourceType source);
const char* toString(TargetType target);
const char* toString(Phase phase);

} // namespace headroom::whatif::hpa
