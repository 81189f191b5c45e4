#include "whatif/hpa.h"

#include "whatif/hpa_replicas.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace headroom::whatif::hpa {
namespace {

const Condition kWithinRange{"DesiredWithinRange",
                             "the desired count is within the acceptable range"};
const Condition kTooFew{"TooFewReplicas",
                        "the desired replica count is less than the minimum replica count"};
const Condition kTooMany{"TooManyReplicas",
                         "the desired replica count is more than the maximum replica count"};
const Condition kUpLimit{
    "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate"};
const Condition kDownLimit{
    "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate"};

/// A condition, its message only when the decision is put in words (a simulation asks for
/// thousands of decisions a second and reads only the reasons).
Condition condition(const Condition& constant, bool words) {
    return words ? constant : Condition{constant.reason, {}};
}
Condition condition(std::string_view reason, const char* message, bool words) {
    return {reason, words ? message : ""};
}

const char* failureReason(SourceType source) {
    switch (source) {
    case SourceType::Resource:
        return "FailedGetResourceMetric";
    case SourceType::ContainerResource:
        return "FailedGetContainerResourceMetric";
    case SourceType::Pods:
        return "FailedGetPodsMetric";
    case SourceType::Object:
        return "FailedGetObjectMetric";
    case SourceType::External:
        return "FailedGetExternalMetric";
    }
    return "FailedGetMetric";
}

/// Replicas added (up) or removed (down) within the last `periodSeconds`
/// (getReplicasChangePerPeriod: events strictly younger than the period).
int changeWithin(const State& state, int periodSeconds, bool up) {
    int sum = 0;
    for (const auto& e : state.scaleEvents)
        if (e.ageSeconds < periodSeconds && (up ? e.replicaChange > 0 : e.replicaChange < 0))
            sum += up ? e.replicaChange : -e.replicaChange;
    return sum;
}

std::string policiesInWords(const ScalingRules& rules) {
    if (rules.selectPolicy == SelectPolicy::Disabled)
        return "selectPolicy Disabled";
    std::string out;
    for (const auto& p : rules.policies) {
        if (!out.empty())
            out += ", ";
        out += std::to_string(p.value) + (p.type == PolicyType::Pods ? " pods" : "%") + " per " +
               std::to_string(p.periodSeconds) + " s";
    }
    return out + (rules.policies.size() > 1
                      ? (rules.selectPolicy == SelectPolicy::Min ? ", the smaller change"
                                                                 : ", the larger change")
                      : "");
}

/// normalizeDesiredReplicas: without behavior, the highest proposal of the downscale window
/// (ages up to the window count), then min, max and the legacy scale-up limit of twice the
/// current count (at least 4).
void normalizeLegacy(Decision& d, const State& state, const ControllerSettings& settings,
                     int desired, bool words) {
    const int current = state.currentReplicas;
    int stabilized = desired;
    for (const auto& r : state.recommendations)
        if (!(r.ageSeconds > settings.downscaleStabilizationSeconds))
            stabilized = std::max(stabilized, r.replicas);
    d.stabilizedReplicas = stabilized;
    d.ableToScale =
        stabilized != desired
            ? condition("ScaleDownStabilized",
                        "recent recommendations were higher than current one, applying the "
                        "highest recent recommendation",
                        words)
            : condition("ReadyForNewScale", "recommended size matches current size", words);
    const int upLimit = static_cast<int>(std::max(2.0 * current, 4.0));
    const int maxAllowed = std::min(state.spec.maxReplicas, upLimit);
    const Condition& overMax = state.spec.maxReplicas > upLimit ? kUpLimit : kTooMany;
    if (stabilized < state.spec.minReplicas) {
        d.desiredReplicas = state.spec.minReplicas;
        d.scalingLimited = condition(kTooFew, words);
    } else if (stabilized > maxAllowed) {
        d.desiredReplicas = maxAllowed;
        d.scalingLimited = condition(overMax, words);
    } else {
        d.desiredReplicas = stabilized;
        d.scalingLimited = condition(kWithinRange, words);
    }
}

/// normalizeDesiredReplicasWithBehaviors: the proposal is held between the lowest of the
/// scale-up window and the highest of the scale-down window (ages strictly within), then
/// limited by the policies of its direction and by min and max.
void normalizeWithBehavior(Decision& d, const State& state, const ControllerSettings& settings,
                           int desired, bool words) {
    const int current = state.currentReplicas;
    const auto up = scaleUpRules(state.spec.behavior->scaleUp);
    const auto down =
        scaleDownRules(state.spec.behavior->scaleDown, settings.downscaleStabilizationSeconds);
    int upFloor = desired, downCeiling = desired;
    for (const auto& r : state.recommendations) {
        if (r.ageSeconds < *up.stabilizationWindowSeconds)
            upFloor = std::min(upFloor, r.replicas);
        if (r.ageSeconds < *down.stabilizationWindowSeconds)
            downCeiling = std::max(downCeiling, r.replicas);
    }
    const int stabilized = std::min(std::max(current, upFloor), downCeiling);
    d.stabilizedReplicas = stabilized;
    if (stabilized == desired)
        d.ableToScale =
            condition("ReadyForNewScale", "recommended size matches current size", words);
    else if (desired >= current)
        d.ableToScale = condition("ScaleUpStabilized",
                                  "recent recommendations were lower than current one, "
                                  "applying the lowest recent recommendation",
                                  words);
    else
        d.ableToScale = condition("ScaleDownStabilized",
                                  "recent recommendations were higher than current one, "
                                  "applying the highest recent recommendation",
                                  words);
    d.desiredReplicas = stabilized;
    d.scalingLimited = condition(kWithinRange, words);
    // Replicas added (up) or removed within a policy's period.
    const auto changed = [&](int period, bool added) { return changeWithin(state, period, added); };
    if (stabilized > current) {
        const int limit = std::max(scaleUpLimit(current, up, changed), current);
        const int maxAllowed = std::min(state.spec.maxReplicas, limit);
        if (stabilized > maxAllowed) {
            d.desiredReplicas = maxAllowed;
            d.scalingLimited =
                condition(state.spec.maxReplicas > limit ? kUpLimit : kTooMany, words);
            if (words && state.spec.maxReplicas > limit)
                d.scalingLimited.message += " (scale-up policies: " + policiesInWords(up) + ")";
        }
    } else if (stabilized < current) {
        const int limit = std::min(scaleDownLimit(current, down, changed), current);
        const int minAllowed = std::max(state.spec.minReplicas, limit);
        if (stabilized < minAllowed) {
            d.desiredReplicas = minAllowed;
            d.scalingLimited =
                condition(state.spec.minReplicas < limit ? kDownLimit : kTooFew, words);
            if (words && state.spec.minReplicas < limit)
                d.scalingLimited.message += " (scale-down policies: " + policiesInWords(down) + ")";
        }
    }
}

void explain(Decision& d, const State& state) {
    std::string words;
    for (const auto& p : d.proposals)
        words += p.metric + ": " + (p.replicas ? p.why : "not computed: " + p.error) + ". ";
    const int current = state.currentReplicas;
    if (!d.rescaleReason.empty() && !d.metricReplicas)
        words += d.rescaleReason + ". ";
    if (d.metricReplicas && d.proposals.size() > 1)
        words += "The largest proposal is " + std::to_string(*d.metricReplicas) + " (" +
                 d.metricName + "). ";
    if (d.stabilizedReplicas && d.metricReplicas && *d.stabilizedReplicas != *d.metricReplicas)
        words += std::string(d.ableToScale.reason) + ": " + d.ableToScale.message + ", so " +
                 std::to_string(*d.stabilizedReplicas) + ". ";
    if (d.limited)
        words += std::string(d.scalingLimited.reason) + ": " + d.scalingLimited.message + ", so " +
                 std::to_string(d.desiredReplicas) + ". ";
    words += d.desiredReplicas > current ? "Scale up from " + std::to_string(current) + " to " +
                                               std::to_string(d.desiredReplicas) + "."
             : d.desiredReplicas < current ? "Scale down from " + std::to_string(current) + " to " +
                                                 std::to_string(d.desiredReplicas) + "."
                                           : "Stay at " + std::to_string(current) + ".";
    d.reason = words;
}

} // namespace

MetricSpec defaultCpuMetric() {
    MetricSpec m;
    m.name = "cpu";
    m.averageUtilization = 80;
    return m;
}

Tolerances tolerancesFor(const Spec& spec, const ControllerSettings& settings) {
    Tolerances t{settings.tolerance, settings.tolerance};
    if (!spec.behavior || !settings.configurableTolerance)
        return t;
    if (spec.behavior->scaleDown && spec.behavior->scaleDown->tolerance)
        t.down = *spec.behavior->scaleDown->tolerance;
    if (spec.behavior->scaleUp && spec.behavior->scaleUp->tolerance)
        t.up = *spec.behavior->scaleUp->tolerance;
    return t;
}

ScalingRules scaleUpRules(const std::optional<ScalingRules>& given) {
    auto r = given.value_or(ScalingRules{});
    if (!r.stabilizationWindowSeconds)
        r.stabilizationWindowSeconds = 0;
    if (!r.selectPolicy)
        r.selectPolicy = SelectPolicy::Max;
    if (r.policies.empty())
        r.policies = {{PolicyType::Pods, 4, 15}, {PolicyType::Percent, 100, 15}};
    return r;
}

ScalingRules scaleDownRules(const std::optional<ScalingRules>& given, int controllerWindowSeconds) {
    auto r = given.value_or(ScalingRules{});
    if (!r.stabilizationWindowSeconds)
        r.stabilizationWindowSeconds = controllerWindowSeconds;
    if (!r.selectPolicy)
        r.selectPolicy = SelectPolicy::Max;
    if (r.policies.empty())
        r.policies = {{PolicyType::Percent, 100, 15}};
    return r;
}

Decision decide(const State& state, const ControllerSettings& settings, bool words) {
    Decision d;
    const auto& spec = state.spec;
    const int current = state.currentReplicas;
    d.desiredReplicas = current;
    if (current == 0 && spec.minReplicas != 0) {
        d.scalingActive = {"ScalingDisabled",
                           "scaling is disabled since the replica count of the target is zero"};
        d.reason = "The target has 0 replicas: the HPA does not scale it (ScalingDisabled).";
        return d;
    }
    if (current > spec.maxReplicas || current < spec.minReplicas) {
        const bool above = current > spec.maxReplicas;
        d.desiredReplicas = above ? spec.maxReplicas : spec.minReplicas;
        d.rescaleReason = above ? "Current number of replicas above Spec.MaxReplicas"
                                : "Current number of replicas below Spec.MinReplicas";
    } else {
        const auto tolerances = tolerancesFor(spec, settings);
        // The API server's default when none is listed: CPU at 80% of the request.
        static const std::vector<MetricSpec> kDefaultMetrics{defaultCpuMetric()};
        const auto& metrics = spec.metrics.empty() ? kDefaultMetrics : spec.metrics;
        std::size_t chosen = 0; // the metric of the largest proposal
        int replicas = 0;
        std::size_t invalid = 0;
        const MetricProposal* firstInvalid = nullptr;
        SourceType firstInvalidSource = SourceType::Resource;
        d.proposals.reserve(metrics.size());
        for (const auto& m : metrics)
            d.proposals.push_back(proposeReplicas(m, state, tolerances, settings, words));
        for (std::size_t i = 0; i < metrics.size(); ++i) {
            const auto& p = d.proposals[i];
            if (!p.replicas) {
                if (!firstInvalid) {
                    firstInvalid = &p;
                    firstInvalidSource = metrics[i].source;
                }
                ++invalid;
                continue;
            }
            if (replicas == 0 || *p.replicas > replicas) {
                replicas = *p.replicas;
                chosen = i;
                if (words) // named even when another metric fails (hpa decide shows it)
                    d.metricName = p.metric;
            }
        }
        // With every metric failing, or some failing while the rest would scale down, the
        // controller does nothing.
        if (invalid >= metrics.size() || (invalid > 0 && replicas < current)) {
            d.scalingActive = {failureReason(firstInvalidSource),
                               "the HPA was unable to compute the replica count: " +
                                   firstInvalid->error};
            if (!words)
                return d;
            explain(d, state);
            d.reason += invalid < metrics.size()
                            ? " A metric failed and the others would scale down: no change."
                            : " No metric could be computed: no change.";
            return d;
        }
        // Named in words, or when it changes the count (the controller's event text).
        if (!words && replicas != current)
            d.metricName = describeMetric(metrics[chosen]);
        d.scalingActive = {"ValidMetricFound",
                           words ? "the HPA was able to successfully calculate a replica count "
                                   "from " +
                                       d.metricName
                                 : std::string()};
        d.metricReplicas = replicas;
        d.recommendationToStore = replicas;
        if (replicas > current)
            d.rescaleReason = d.metricName + " above target";
        else if (replicas < current)
            d.rescaleReason = "All metrics below target";
        if (spec.behavior)
            normalizeWithBehavior(d, state, settings, replicas, words);
        else
            normalizeLegacy(d, state, settings, replicas, words);
        d.limited = d.desiredReplicas != *d.stabilizedReplicas;
    }
    d.rescale = d.desiredReplicas != current;
    if (d.rescale && spec.behavior)
        d.scaleEventToStore = d.desiredReplicas - current;
    if (words)
        explain(d, state);
    return d;
}

const char* toString(SourceType source) {
    switch (source) {
    case SourceType::Resource:
        return "Resource";
    case SourceType::ContainerResource:
        return "ContainerResource";
    case SourceType::Pods:
        return "Pods";
    case SourceType::Object:
        return "Object";
    case SourceType::External:
        return "External";
    }
    return "";
}

const char* toString(TargetType target) {
    switch (target) {
    case TargetType::Utilization:
        return "Utilization";
    case TargetType::Value:
        return "Value";
    case TargetType::AverageValue:
        return "AverageValue";
    }
    return "";
}

const char* toString(Phase phase) {
    switch (phase) {
    case Phase::Pending:
        return "Pending";
    case Phase::Running:
        return "Running";
    case Phase::Succeeded:
        return "Succeeded";
    case Phase::Failed:
        return "Failed";
    }
    return "";
}

} // namespace headroom::whatif::hpa
