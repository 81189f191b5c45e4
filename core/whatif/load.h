#pragma once
// A load scenario (model/scenario.h) turned into an arrival rate per tick: the recorded series
// resampled, or the synthetic shape drawn, then the transforms in order, then the noise. The
// formulas are in docs/autoscalers.md ("Load scenarios").

#include "common/result.h"
#include "model/project.h"

#include <cstdint>
#include <string>
#include <vector>

namespace headroom::whatif {

struct LoadSeries {
    std::int64_t startMs = 0; ///< the first tick (a synthetic scenario starts on a Monday 00:00)
    double tickSeconds = 15;
    std::vector<double> rps; ///< requests per second at `component`, one per tick
    std::string component;   ///< where the rate applies; empty: entering the system
    [[nodiscard]] double seconds() const { return tickSeconds * static_cast<double>(rps.size()); }
};

/// Seconds in the month growth is quoted per (30 days).
inline constexpr double kSecondsPerMonth = 30 * 86400.0;

Result<LoadSeries> buildLoad(const Project& project, const Scenario& scenario,
                             double tickSeconds = 15);

} // namespace headroom::whatif
