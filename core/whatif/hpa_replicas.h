#pragma once
// The HPA's replica calculator (replica_calculator.go): what one metric proposes, from the pods'
// samples or an object's or external metric's value. Used by decide() (hpa.cpp).

#include "whatif/hpa.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>

namespace headroom::whatif::hpa {

/// The band around a usage ratio of 1 within which the controller keeps the current count.
struct Tolerances {
    double down = 0.1, up = 0.1;
    [[nodiscard]] bool within(double ratio) const { return 1 - down <= ratio && ratio <= 1 + up; }
};

/// The tolerances of a spec: behavior's per-direction ones where set (and the controller reads
/// them), else the controller's.
Tolerances tolerancesFor(const Spec& spec, const ControllerSettings& settings);

/// The API server's metric for an HPA that lists none: CPU at 80% of the request.
MetricSpec defaultCpuMetric();

/// ceil(x) as the controller's int32, saturating.
inline int ceilReplicas(double x) {
    const double c = std::ceil(x);
    return c > INT_MAX ? INT_MAX : static_cast<int>(c);
}

/// Whether a CPU sample of a running pod is set aside as unready: within the CPU
/// initialisation period, when the pod is not ready or the sample began before its readiness
/// last changed; after it, only when the pod is not ready and never has been (its readiness
/// last changed within the initial readiness delay of its start). Times in seconds ago.
inline bool cpuSampleUnready(bool ready, double startedSecondsAgo, double readyChangedSecondsAgo,
                             double sampleAgeSeconds, double sampleWindowSeconds,
                             const ControllerSettings& settings) {
    if (startedSecondsAgo < settings.cpuInitializationSeconds)
        return !ready || sampleAgeSeconds > readyChangedSecondsAgo - sampleWindowSeconds;
    return !ready &&
           readyChangedSecondsAgo > startedSecondsAgo - settings.initialReadinessDelaySeconds;
}

/// The most replicas the scale-up policies allow now (calculateScaleUpLimitWithScalingRules):
/// each policy counts from the replicas at the start of its period, Pods adds its value,
/// Percent multiplies (rounded up); selectPolicy Max takes the largest, Min the smallest.
/// `changed(periodSeconds, up)` is the replicas added (up) or removed within the period.
template <typename Changed>
int scaleUpLimit(int current, const ScalingRules& rules, const Changed& changed) {
    if (rules.selectPolicy == SelectPolicy::Disabled)
        return current;
    const bool takeMin = rules.selectPolicy == SelectPolicy::Min;
    int result = takeMin ? INT_MAX : INT_MIN;
    for (const auto& p : rules.policies) {
        const int start =
            current - changed(p.periodSeconds, true) + changed(p.periodSeconds, false);
        // The same floating-point expression as the controller, so its rounding agrees.
        const int proposed =
            p.type == PolicyType::Pods
                ? start + p.value
                : static_cast<int>(std::ceil(static_cast<double>(start) *
                                             (1 + static_cast<double>(p.value) / 100)));
        result = takeMin ? std::min(result, proposed) : std::max(result, proposed);
    }
    return result;
}

/// The fewest replicas the scale-down policies allow now (calculateScaleDownLimitWithBehaviors):
/// Pods removes its value, Percent keeps the rest rounded down; Max (the largest change) takes
/// the smallest count.
template <typename Changed>
int scaleDownLimit(int current, const ScalingRules& rules, const Changed& changed) {
    if (rules.selectPolicy == SelectPolicy::Disabled)
        return current;
    const bool largestChange = rules.selectPolicy != SelectPolicy::Min;
    int result = largestChange ? INT_MAX : INT_MIN;
    for (const auto& p : rules.policies) {
        const int start =
            current - changed(p.periodSeconds, true) + changed(p.periodSeconds, false);
        const int proposed = p.type == PolicyType::Pods
                                 ? start - p.value
                                 : static_cast<int>(static_cast<double>(start) *
                                                    (1 - static_cast<double>(p.value) / 100));
        result = largestChange ? std::min(result, proposed) : std::max(result, proposed);
    }
    return result;
}

/// With `words` false, the figures alone: no `why`, `current` or `target` text (a simulation
/// makes a decision every sync and reads the numbers).
/// How kubectl names a metric: "cpu resource utilization (percentage of request)", ...
std::string describeMetric(const MetricSpec& metric);

MetricProposal proposeReplicas(const MetricSpec& metric, const State& state,
                               const Tolerances& tolerances, const ControllerSettings& settings,
                               bool words = true);

/// A milli-value as Kubernetes writes a quantity: "2", "1500m".
std::string quantity(std::int64_t milli);

} // namespace headroom::whatif::hpa
