#pragma once
// The drawn system as a closed workload: N users, each waiting for the answer to a request and
// then thinking for Z seconds before the next, as a load test's virtual users do. The open
// analysis answers "what does this rate do"; this answers "how many users can it hold", by
// Mean Value Analysis (mva.h) over the components the users' requests pass through.
//
// The network (docs/methodology.md, "Closed workloads"):
// - one queue station per component on the users' synchronous path, with the demand the
//   utilisation law gives at the analysed load: D = U / X, U the component's busiest resource,
//   X the requests entering per second. The component saturates when X D reaches 1, as in the
//   open analysis;
// - one delay station for the rest of what a lone request waits for: the zero-load end-to-end
//   response R0 minus the queue demands (a server of m workers is one queue of D = U / X plus
//   this share of delay, Seidmann's approximation, summed over the path);
// - think time Z: the clients' think time, weighted by their arrival rates.
// Components fed only asynchronously (workers behind a queue) do not hold a user; they are
// listed as left out.

#include "analysis/analysis.h"
#include "analysis/mva.h"
#include "common/result.h"
#include "model/project.h"

#include <optional>
#include <string>
#include <vector>

namespace headroom::analysis {

/// The most users a closed view works out (exact MVA is users x stations).
inline constexpr int kMostClosedUsers = 200'000;

struct ClosedOptions {
    std::optional<double> thinkSeconds; ///< instead of the clients' own
    /// The largest population worked out; 0: twice the larger of N* and the users the drawn
    /// load amounts to (at least 10).
    int maxUsers = 0;
    /// The curve reaches at least this population (users asked about), within the cap.
    int includeUsers = 0;
    std::optional<double> responseObjective; ///< seconds, on the mean response
    /// When above 0, fewer users are worked out if users x stations would pass this (the GUI
    /// re-analyses on every edit and keeps the work to milliseconds).
    std::size_t maxWork = 0;
};

struct ClosedStation {
    std::size_t component = 0; ///< index in the project
    double demandSeconds = 0;  ///< per request entering: U / X at the analysed load
};

struct ClosedPoint {
    int users = 0;
    double throughputPerSecond = 0;
    double responseSeconds = 0;       ///< think time excluded
    double bottleneckUtilisation = 0; ///< X Dmax
};

struct ClosedWorkload {
    double thinkSeconds = 0;
    double entryRate = 0;                  ///< X at the analysed load, requests per second
    std::optional<double> responseNow;     ///< end to end at the analysed load (rate-weighted)
    std::optional<double> usersNow;        ///< X (R + Z): the users the drawn load amounts to
    double zeroLoadResponse = 0;           ///< R0, a lone request end to end
    std::vector<ClosedStation> stations;   ///< the queue stations, in project order
    double delaySeconds = 0;               ///< R0 minus the queue demands (not below 0)
    std::optional<std::size_t> bottleneck; ///< index into stations: the largest demand
    /// 1 / Dmax, requests per second; nothing when no station on the path has a limit.
    std::optional<double> maxThroughput;
    std::optional<double> saturationUsers; ///< N* = (D + Z) / Dmax
    std::vector<ClosedPoint> curve;        ///< exact MVA at every population 1..max
    /// The most users whose mean response stays within the objective (nothing without one,
    /// or when even one user misses it).
    std::optional<int> mostUsersWithinObjective;
    std::vector<std::size_t> leftOut; ///< busy components off the users' synchronous path
    /// Where the model is rough for this drawing, in words.
    std::vector<std::string> notes;
    ClosedNetwork network; ///< what MVA solved (queue stations, then the delay)
};

/// The closed view of `analysis` (made by analyze on the same project and options). Errors:
/// no load drawn, or a component on the users' path saturated at the analysed load.
Result<ClosedWorkload> closedWorkload(const Project& project, const Analysis& analysis,
                                      const ClosedOptions& options = {},
                                      const CalibrationResult* calibrated = nullptr);

/// The point of `curve` at `users` (clamped to the curve; a zero point for an empty one).
const ClosedPoint& closedPointAt(const ClosedWorkload& workload, int users);

} // namespace headroom::analysis
