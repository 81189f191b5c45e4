#pragma once
// The HPA's replica calculator (replica_calculator.go): what one metric proposes, from the pods'
// samples or an object's or external metric's value. Used by decide() (hpa.cpp).

#include "whatif/hpa.h"

namespace headroom::whatif::hpa {

/// The band around a usage ratio of 1 within which the controller keeps the current count.
struct Tolerances {
    double down = 0.1, up = 0.1;
    [[nodiscard]] bool within(double ratio) const { return 1 - down <= ratio && ratio <= 1 + up; }
};

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
