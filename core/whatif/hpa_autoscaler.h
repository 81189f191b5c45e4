#pragma once
// The Kubernetes HPA in the simulation: at every sync (15 s) the tier's pods as the controller
// would list them (booting cohorts pending, serving ones with the samples of a metric delay
// back), one hpa::decide, and the controller's memory (its recommendations and scale events,
// as long as a window or policy period reaches back). KEDA (keda_autoscaler.cpp) drives one
// for the 1 <-> N range.

#include "whatif/autoscaler.h"
#include "whatif/hpa_quick.h"

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace headroom::whatif {

/// What the metrics read of a tick: the served rate over the ready instances (each pod's
/// sample), and for Object and External metrics the percentile response and the backlog.
struct Sample {
    double servedRps = 0, latencySeconds = 0, backlog = 0;
    int ready = 0;
    explicit Sample(const TierTick& tick = {})
        : servedRps(tick.servedRps), latencySeconds(tick.latencySeconds), backlog(tick.backlog),
          ready(tick.ready) {}
};

/// What an Object or External metric of this name reads from a tick: a name containing
/// "latency", the tier's percentile response in seconds; "queue", the messages waiting plus
/// those in flight (served rate x holding time, as a queue's length counts unacknowledged
/// ones); any other, the backlog (requests waiting).
double objectMetricValue(std::string_view name, const Sample& seen, const Tier& tier);

/// The ticks of the last `metricDelaySeconds`: what a metrics pipeline shows at a tick is the
/// one that many seconds back.
class DelayLine {
  public:
    explicit DelayLine(const SimulationOptions& options);
    void push(const TierTick& tick) {
        ring_[next_] = Sample(tick);
        next_ = next_ + 1 == ring_.size() ? 0 : next_ + 1;
        ++pushed_;
    }
    /// The tick a metric delay back (the oldest one kept, in the slot written next);
    /// meaningful only when sampled().
    [[nodiscard]] const Sample& seen() const { return ring_[sampled() ? next_ : 0]; }
    /// The sample `ago` pushes back (1: the last one; at most the delay + 1).
    [[nodiscard]] const Sample& back(std::size_t ago) const {
        return ring_[(next_ + ring_.size() - ago) % ring_.size()];
    }
    /// Pushes each of `ticks`: only the last delay + 1 are written, the ring holding no more.
    void pushAll(std::span<const TierTick> ticks) {
        const std::size_t keep = std::min(ticks.size(), ring_.size());
        next_ = (next_ + ticks.size() - keep) % ring_.size();
        pushed_ += ticks.size() - keep;
        for (const auto& tick : ticks.last(keep))
            push(tick);
    }
    [[nodiscard]] std::size_t delay() const { return delay_; }
    /// Whether the run is old enough for a sample to exist.
    [[nodiscard]] bool sampled() const { return pushed_ > delay_; }

  private:
    std::size_t delay_;
    std::size_t pushed_ = 0, next_ = 0;
    std::vector<Sample> ring_; ///< the last delay + 1 ticks
};

class HpaAutoscaler final : public Autoscaler {
  public:
    HpaAutoscaler(hpa::Spec spec, const SimulationOptions& options);

    [[nodiscard]] int initialReplicas(int drawn) const override;
    std::optional<Verdict> onTick(const TierTick& tick, const Fleet& fleet, double t,
                                  const Tier& tier) override;
    [[nodiscard]] std::string explainLast() const override;
    /// Steady syncs (steadySync) while the fleet stays as it is.
    [[nodiscard]] bool quiet(const Fleet& fleet) const override {
        return !options_.referenceHpa && steady_.settled && steady_.fleetVersion == fleet.version();
    }
    Quiet passQuiet(std::span<const TierTick> ticks, std::size_t first, double tickSeconds,
                    const Tier& tier, const Holds& holds) override;

    /// One sync at `t`, whatever the period, through hpa::decide.
    hpa::Decision sync(const Fleet& fleet, double t, const Tier& tier);
    /// A decision as a verdict: the limit, the stabilisation window or the metrics themselves
    /// (the controller's event text, "cpu resource utilization ... above target") set it. The
    /// verdict's condition points into `d`.
    static Verdict verdictOf(const hpa::Decision& d);

  private:
    /// The sync of settled pods at a usage within their band (steady_): true when it took
    /// it, the count left as it is.
    bool steadySync(const Fleet& fleet, double t, const Tier& tier);
    /// The usage of `ready` pods serving `servedRps`, as a pod's sample reads it.
    [[nodiscard]] static std::int64_t usageOf(double servedRps, int ready, const Tier& tier);
    /// Whether `usage` lies within the steady count's band.
    [[nodiscard]] bool withinBand(std::int64_t usage) const {
        return usage >= steady_.low && usage <= steady_.high;
    }
    /// Settled pods' sync at `t` reading `usage` outside the band, when it holds the count
    /// back for `held` or `recent`: stored as quickSync would store it, and which (1, 2). Else
    /// 0, and nothing changed that onTick would not change the same way.
    int heldAgain(std::int64_t usage, double t, const Tier& tier, std::string_view held,
                  std::string_view recent);
    /// Whether the legacy scale-down window (no behavior) holds nothing above the steady
    /// count, which would raise it. Once true, it stays true until a recommendation is stored:
    /// the window only loses proposals as time goes on.
    bool windowBelowCount(double t);
    /// Keeps what a steady sync at `t` leaves behind: its recommendation, pending.
    void tookSteady(double t, const Tier& tier);
    /// What settled pods propose, per count: the band, and the proposal at each usage met.
    static constexpr int kUnknown = -1, kNone = -2; ///< not worked out; a metric has none
    struct Memo {
        int replicas = kUnknown;
        std::uint32_t metric = 0;
    };
    struct SettledCount {
        bool bandKnown = false;
        std::int64_t low = 0, high = -1;
        std::vector<Memo> byUsage;
    };
    [[nodiscard]] hpa::UniformPods settledPods(int current, std::int64_t usage,
                                               const Tier& tier) const;
    SettledCount& settledCount(int current);
    const SettledCount& bandOf(int current, const Tier& tier);
    /// Settled pods' proposal at `usage`; nothing when a metric has none.
    std::optional<hpa::Proposal> settledProposal(int current, std::int64_t usage, const Tier& tier);
    /// The sync through hpa::QuickDecider; nothing where it leaves the sync to hpa::decide.
    std::optional<Verdict> quickSync(const Fleet& fleet, double t, const Tier& tier);
    /// The controller's State at a sync at `t`: the cohorts as pod groups (booting ones
    /// pending, serving ones with the samples of a metric delay back), the Object and External
    /// values, and the memory stored before `t`.
    void fillState(hpa::State& state, const std::vector<Cohort>& cohorts, int current, double t,
                   const Tier& tier) const;
    /// Stores the steady syncs' recommendation held back in pending_.
    void storePending();
    /// Stores what a decision asks to be remembered, and forgets what no window reaches.
    void remember(std::optional<int> recommendation, std::optional<int> scaleEvent, double t);

    SimulationOptions options_;
    DelayLine delay_;
    hpa::State state_;
    hpa::QuickDecider quick_;
    hpa::ProposalWindows windows_; ///< the recommendations' extremes, for the quick path
    hpa::Decision last_;           ///< of the last sync via decide
    std::vector<std::optional<std::int64_t>> objectValues_; ///< per metric, reused
    double nextSync_ = 0;
    hpa::History recommendations_;                        ///< replicas, time
    hpa::History scaleEvents_;                            ///< change, time
    double recommendationHorizon_ = 0, eventHorizon_ = 0; ///< seconds worth remembering
    /// The last quick sync, enough to ask hpa::decide for its words.
    struct Snapshot {
        std::vector<Cohort> cohorts;
        int current = 0;
        double t = 0;
        const Tier* tier = nullptr;
        bool settled = false; ///< decided from the settled pods' proposal (settledProposal)
        std::int64_t usage = 0;
        hpa::UniformPods pods; ///< what it saw, when not settled (object values: objectValues_)
        hpa::QuickDecision decision;
    } quickLast_;
    /// The last quick sync's explanation by what its words follow from (explainLast), as bytes.
    [[nodiscard]] std::string explanationKey() const;
    mutable std::unordered_map<std::string, std::string> explained_;
    /// What the words of the spec's metrics read (explanationKey): every metric CPU against a
    /// Utilization target (settled pods' words then show the usage as a whole percent of the
    /// request), any CPU metric, any Pods metric.
    bool cpuUtilizationOnly_ = true, readsCpu_ = false, readsPods_ = false;
    bool lastWasQuick_ = false;
    /// The state explainLast gives hpa::decide for a quick sync, filled in place (its maps
    /// keep their keys): a copy of state_ each time was a fifth of an explanation.
    mutable hpa::State explainState_;
    /// Settled pods (each ready, sampled and past its CPU initialisation, as many as the
    /// count, under a spec of CPU metrics only) at `fleetVersion`: while the fleet's cohorts
    /// stay as they are, the proposal is a function of the count and the usage, and a sync
    /// whose usage lies within the count's band [low, high] (QuickDecider::steadyBand)
    /// leaves the count as it is.
    struct Steady {
        bool settled = false;
        std::uint64_t fleetVersion = 0;
        int current = 0;
        std::int64_t low = 0, high = -1;
    } steady_;
    std::vector<SettledCount>
        settled_; ///< by count ///< the tier (its CPU request) is the same at every sync of a run
    /// The last steady sync since the memory was stored: storing each steady sync's
    /// recommendation was a third of its cost; the next sync that is not steady stores it.
    struct Pending {
        bool any = false;
        int value = 0; ///< the count, recommended at every steady sync
        double at = 0;
    } pending_;
};

} // namespace headroom::whatif
