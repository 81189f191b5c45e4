#pragma once
// What simulate and sweep (cmd_simulate.cpp, cmd_sweep.cpp) print the same way in JSON.

#include "whatif/simulation.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace headroom::cli {

/// A number, or null where it is infinite (JSON has no infinity).
inline nlohmann::ordered_json finiteOrNull(double v) {
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
}

/// A tier run's summary.
inline nlohmann::ordered_json summaryJson(const whatif::TierSummary& s) {
    return {{"minutes_over_objective", s.minutesOverObjective},
            {"peak_latency_s", finiteOrNull(s.peakLatencySeconds)},
            {"dropped_requests", s.droppedRequests},
            {"scale_ups", s.scaleUps},
            {"scale_downs", s.scaleDowns},
            {"flaps", s.flaps},
            {"peak_replicas", s.peakReplicas},
            {"instance_hours", s.instanceHours},
            {"cost_usd", s.cost}};
}

} // namespace headroom::cli
