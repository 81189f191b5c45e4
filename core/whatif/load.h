#pragma once
// A load scenario (model/scenario.h) turned into an arrival rate per tick: the recorded series
// resampled, or the synthetic shape drawn, then the transforms in order, then the noise. The
// formulas are in docs/simulation.md ("Load scenarios").

#include "common/result.h"
#include "model/project.h"

#include <cstdint>
#include <string>
#include <vector>

namespace headroom::whatif {

struct LoadSeries {
    std::int64_t startMs = 0; ///< the first tick, Unix ms (UTC)
    double tickSeconds = 15;
    std::vector<double> rps; ///< requests per second at `component`, one per tick
    std::string component;   ///< where the rate applies; empty: entering the system
    [[nodiscard]] double seconds() const { return tickSeconds * static_cast<double>(rps.size()); }
};

/// Where a synthetic scenario's Monday 00:00 falls: 2024-01-01, a Monday, 00:00 UTC, so that
/// scheduled actions (cron in UTC, or in their time zone from this instant) meet the days and
/// hours the shape was drawn for.
inline constexpr std::int64_t kSyntheticStartMs = 1'704'067'200'000;

/// Seconds in the month growth is quoted per (30 days).
inline constexpr double kSecondsPerMonth = 30 * 86400.0;

Result<LoadSeries> buildLoad(const Project& project, const Scenario& scenario,
                             double tickSeconds = 15);

} // namespace headroom::whatif
