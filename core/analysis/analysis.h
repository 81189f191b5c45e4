#pragma once
// The bottleneck analysis: the traffic at every component (traffic.h), each component as a
// queueing station (station.h) with its synchronous calls nested inside the workers that wait
// for them (layered queueing: a worker is held for its own service plus its callees' response,
// solved callees first, so a pool can run out while every CPU idles), and from those: the load
// multiplier at which each component saturates, the order they go in, the bottleneck, the
// headroom to a utilisation target, the replicas a tier needs, and the end-to-end latency of
// each entry point along its synchronous calls. Every formula: docs/methodology.md.

#include "analysis/calibration.h"
#include "analysis/station.h"
#include "analysis/traffic.h"
#include "model/project.h"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace headroom::analysis {

struct AnalysisOptions {
    double loadMultiplier = 1;      ///< times every client's arrival rate
    double percentile = 0.95;       ///< of the response times reported
    double utilisationTarget = 0.8; ///< headroom and replicas needed are measured to this
    /// A percentile response objective in seconds that replicas needed must also meet.
    std::optional<double> latencyObjective;
    /// Calibrate from bound metrics (calibration.h): measured values that are sound replace
    /// the entered ones.
    bool useMetrics = true;
    /// Search every load multiplier with all the callees evaluated at each step, instead of
    /// on the shared grid with callees interpolated between its points (docs/methodology.md
    /// section 9): the reference the grid's error is measured against, ten times slower.
    bool exactSearches = false;
    /// Threads the searches of a large project (64 components or more) run on; 0: one per
    /// core (up to eight). The figures do not depend on it.
    unsigned threads = 0;
};

struct ComponentAnalysis {
    std::string id;
    ComponentTraffic traffic; ///< at the analysed load
    double visits = 0;        ///< requests here per request entering the system
    StationFigures station;   ///< at the analysed load
    /// Load multipliers (of the clients' rates as drawn) at which the busiest resource reaches
    /// the target and saturates; nothing for a component without limits or without traffic.
    std::optional<double> targetMultiplier;
    std::optional<double> saturationMultiplier;
    /// The resource that runs out at that multiplier (at the analysed load another may be the
    /// busiest: a CPU at 56% while the workers, held by slowing callees, fill up first).
    std::string saturatingResource;
    /// Fewest replicas keeping the utilisation under the target (and the percentile under the
    /// objective) at the analysed load, for kinds that scale by replicas.
    std::optional<int> replicasNeeded;
    /// A pool (workers, connections) that runs out only because a synchronous callee's
    /// response explodes as the callee saturates, within 5% more load: that callee (index).
    std::optional<std::size_t> pushedBy;

    /// More load the component takes, as a share of the analysed load (0.5: 50% more),
    /// until the target and until saturation; negative when already past.
    [[nodiscard]] std::optional<double> headroomToTarget(double multiplier) const;
    [[nodiscard]] std::optional<double> headroomToSaturation(double multiplier) const;
};

struct EntryLatency {
    std::string client;
    std::optional<double> meanResponse; ///< nothing when something on its path saturates
    /// From the client down, at each step the callee contributing the most time.
    std::vector<std::string> criticalPath;
};

struct Analysis {
    AnalysisOptions options;
    double entryRate = 0; ///< requests per second entering, at the analysed load
    std::vector<ComponentAnalysis> components; ///< in project order
    std::vector<LinkTraffic> links;            ///< in project order
    /// The first to saturate as load grows, or, when that is a pool pushed over by a callee
    /// (pushedBy), the callee: the component whose capacity has to grow.
    std::optional<std::size_t> bottleneck;
    std::vector<std::size_t> saturationOrder; ///< components by saturation multiplier
    std::vector<EntryLatency> entries;
    std::vector<std::vector<std::string>> cycles;
    std::vector<std::string> notes;
    /// What the bound metrics said, per component that has some, and what was used.
    std::vector<ComponentCalibration> calibration;
};

/// With `calibrated` (from calibrateFromMetrics on the same project), the metrics are not
/// read again: a caller that analyses one project at many loads reads them once.
Analysis analyze(const Project& project, const AnalysisOptions& options = {},
                 const CalibrationResult* calibrated = nullptr);

/// What the project's bound metrics say (calibration.h), beside the drawing's own rates.
CalibrationResult calibrateFromMetrics(const Project& project);

struct CurvePoint {
    double multiplier = 0;
    double utilisation = 0; ///< of the busiest resource
    std::optional<double> meanResponse;
    std::optional<double> percentileResponse;
};

/// One component's figures as the load grows, at each multiplier given (a chart's points);
/// `options.loadMultiplier` is ignored. Only the component and its callees are evaluated.
std::vector<CurvePoint> loadCurve(const Project& project, std::size_t component,
                                  std::span<const double> multipliers,
                                  const AnalysisOptions& options = {},
                                  const CalibrationResult* calibrated = nullptr);

/// Every component's mean response at load multiplier `multiplier` (means only: no
/// percentiles, no searches), in project order; nothing where it is saturated.
std::vector<std::optional<double>> meanResponses(const Project& project, double multiplier,
                                                 const AnalysisOptions& options = {},
                                                 const CalibrationResult* calibrated = nullptr);

} // namespace headroom::analysis
