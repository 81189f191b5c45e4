#pragma once
// The what-if engine's fleet over time (issue 7): a load scenario replayed tick by tick through
// each scalable tier, its autoscaler deciding as the real one does (hpa.h for Kubernetes), new
// instances booting before they serve and removed ones draining while still billed, and a
// backlog when the ready instances cannot keep up. Per tick: load, replicas, utilisation,
// latency, backlog, drops and cost; per run: the minutes over the latency objective, scaling
// events with the controller's reason, instance-hours and cost. The model and its
// simplifications are in docs/simulation.md ("The simulation").

#include "common/result.h"
#include "model/project.h"
#include "whatif/hpa.h"
#include "whatif/load.h"
#include "whatif/ticks.h"

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace headroom::analysis {
struct Analysis;
}

namespace headroom::whatif {

class Autoscaler;

struct SimulationOptions {
    double tickSeconds = 15;
    std::string component;                ///< the tier to simulate; empty: every tier with a policy
    std::string policy;                   ///< by name; empty: the tier's first policy
    double latencyObjectiveSeconds = 0.5; ///< of a service's percentile response
    /// Of a worker group's percentile time from enqueue to done: no user waits on a message,
    /// so its objective is looser.
    double messageObjectiveSeconds = 300;
    double percentile = 0.95;
    double metricDelaySeconds = 30; ///< from a pod's work to its sample reaching the autoscaler
    double queueLimitSeconds = 30;  ///< backlog past this many seconds of capacity is dropped
    double drainSeconds = 30;       ///< a removed instance is billed while it drains
    double syncSeconds = 15;        ///< the HPA controller's sync period
    bool keepTicks = true;          ///< false: summaries and events only (a sweep's points)
    /// false: events without their reason in words (a sweep keeps only the summaries; the words
    /// are a tenth of a run).
    bool explainEvents = true;
    /// Every HPA sync through hpa::decide, as the quick path (hpa_quick.h) is checked against.
    bool referenceHpa = false;
    hpa::ControllerSettings controller;

    /// A tier's objective: the message objective for a worker group, else the latency one.
    [[nodiscard]] double objectiveFor(ComponentKind kind) const {
        return kind == ComponentKind::WorkerGroup ? messageObjectiveSeconds
                                                  : latencyObjectiveSeconds;
    }
};

/// A change of the desired count, a change the metrics wanted that the controller held back, or
/// a rolling update starting or ending (`rollout`).
struct ScalingEvent {
    double atSeconds = 0;
    int from = 0, to = 0;  ///< desired before and after; equal when held back
    int wanted = 0;        ///< what the metrics proposed
    std::string condition; ///< DesiredWithinRange, ScaleUpLimit, ScaleDownStabilized, ...
    std::string reason;    ///< in words
    bool rollout = false;
};

/// A rolling update over the run: how long it took and how far the ready pods fell.
struct RolloutSummary {
    double startSeconds = 0;
    double endSeconds = std::numeric_limits<double>::quiet_NaN(); ///< NaN: not done by the end
    int desired = 0;                                              ///< at the start
    int maxSurge = 0;                                             ///< resolved at the start
    int maxUnavailable = 0;                                       ///< resolved at the start
    int lowestReady = 0;
    double minutesOverObjective = 0; ///< while it ran
};

struct TierSummary {
    double minutesOverObjective = 0; ///< latency above the objective, or requests dropped
    double peakLatencySeconds = 0;
    double droppedRequests = 0;
    int scaleUps = 0, scaleDowns = 0;
    int flaps = 0; ///< reversals of direction within ten minutes of the last change
    double instanceHours = 0;
    double cost = 0;
    int peakReplicas = 0;
};

/// Predictive scaling's forecast for one hour beside what the hour brought, so a user can
/// judge the forecast before trusting it (AWS shows the same two lines).
struct ForecastHour {
    double atSeconds = 0;    ///< the hour's start, from the run's start
    double forecastLoad = 0; ///< of the policy's load metric (forecastUnit)
    double forecastRps = 0;  ///< the same as the tier's request rate, to plot beside the load
    double actualLoad = std::numeric_limits<double>::quiet_NaN(); ///< NaN: not seen to its end
    int forecastCapacity = 0; ///< instances the forecast calls for, within the limits
};

/// How well a forecast met what came, over the hours seen to their end with some load: the
/// mean absolute error and the mean signed error (over-forecast positive), both in percent of
/// the actual load.
struct ForecastAccuracy {
    int hours = 0;
    double meanAbsolutePercent = 0;
    double biasPercent = 0;
};
ForecastAccuracy forecastAccuracy(const std::vector<ForecastHour>& forecast);

struct TierRun {
    std::string component;
    std::string policy;
    double capacityPerInstanceRps = 0; ///< from the analysis at the drawn load
    /// The rest of what a tick's derived figures need.
    double cpuMsPerRequest = 0, coresMilli = 1000, cpuRequestMilli = 500, pricePerHour = 0;
    double tickSeconds = 15;
    /// Of the ready instances' capacity (infinite with load and nothing ready).
    [[nodiscard]] double utilisation(const TierTick& tick) const;
    /// Of the CPU request per ready instance, as the HPA reads it.
    [[nodiscard]] double cpuPercent(const TierTick& tick) const;
    /// Of the instances billed in the tick, USD.
    [[nodiscard]] double cost(const TierTick& tick) const;
    TickSeries ticks; ///< empty when the run kept only its summary (keepTicks false)
    std::vector<ScalingEvent> events;
    TierSummary summary;
    std::vector<RolloutSummary> rollouts; ///< the scenario's deploys of this tier
    std::vector<ForecastHour> forecast;   ///< a predictive scaling policy's; else empty
    std::string forecastUnit;             ///< "requests a minute", "CPU % summed over instances"
};

struct Simulation {
    std::shared_ptr<const LoadSeries> load; ///< shared with the tiers' ticks
    std::vector<TierRun> tiers;
};

/// Every tier with a policy (or the one options.component names), on all cores.
Result<Simulation> simulate(const Project& project, const Scenario& scenario,
                            const SimulationOptions& options = {});

/// What a run may change about a tier besides its autoscaler (a sweep sizes both together).
struct TierOverrides {
    std::optional<double> cpuRequestMilli; ///< instead of the component's cpu_request_millicores
};

/// A scenario prepared over a project: its load per tick and the drawing's rate where it applies,
/// and the analysis each tier's capacity comes from. Runs any tier under any policy; a sweep runs
/// one tier under many. The project must outlive it.
class Replay {
  public:
    static Result<Replay> prepare(const Project& project, const Scenario& scenario,
                                  const SimulationOptions& options = {});

    /// Tier `component` (an index into the project) under `policy`; nothing: its drawn
    /// replicas, fixed.
    [[nodiscard]] Result<TierRun> run(std::size_t component, const AutoscalingPolicy* policy,
                                      const TierOverrides& overrides = {}) const;
    /// Each (component, policy) of `jobs`, on all cores; the runs in the same order, or the
    /// first error.
    [[nodiscard]] Result<std::vector<TierRun>>
    runAll(const std::vector<std::pair<std::size_t, const AutoscalingPolicy*>>& jobs) const;
    /// The same with an HPA given as a parsed spec (nothing: the drawn replicas), named `name`.
    [[nodiscard]] Result<TierRun> runWith(std::size_t component, const std::string& name,
                                          const hpa::Spec* spec,
                                          const AutoscalingPolicy* policy = nullptr,
                                          const TierOverrides& overrides = {}) const;

    [[nodiscard]] const LoadSeries& load() const { return *load_; }
    /// The same, to keep beside the runs (their ticks share it).
    [[nodiscard]] std::shared_ptr<const LoadSeries> sharedLoad() const { return load_; }
    [[nodiscard]] const SimulationOptions& options() const { return options_; }

  private:
    Replay() = default;
    [[nodiscard]] Result<TierRun> runScaled(std::size_t component, const std::string& name,
                                            Autoscaler* scaler, const AutoscalingPolicy* policy,
                                            const TierOverrides& overrides) const;
    const Project* project_ = nullptr;
    SimulationOptions options_;
    std::shared_ptr<const LoadSeries> load_;
    std::vector<RollingDeploy> deploys_;
    double drawnRate_ = 1; ///< the drawing's rate where the load applies
    std::shared_ptr<const analysis::Analysis> analysis_;
};

} // namespace headroom::whatif
