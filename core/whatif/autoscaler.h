#pragma once
// The autoscalers the what-if engine replays, behind one interface: each sees the tier's ticks
// as its metrics pipeline would (with its delay and aggregation), decides at its own rhythm
// (the HPA every 15 s, KEDA at its polling interval, an EC2 Auto Scaling group when its
// CloudWatch alarms change), and says why in its own terms. One per kind of policy
// (model/scenario.h): hpa_autoscaler.cpp, aws_autoscaler.cpp, keda_autoscaler.cpp. The rules of
// each, with their sources, are in docs/autoscalers.md.

#include "common/result.h"
#include "whatif/aws.h"
#include "whatif/hpa.h"
#include "whatif/keda.h"
#include "whatif/simulation.h"
#include "whatif/tier.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace headroom::whatif {

/// One decision: the count the autoscaler set, what its metrics wanted before its limits,
/// windows and cooldowns, and the condition that settled it.
struct Verdict {
    int desired = 0;
    std::optional<int> wanted;
    /// "DesiredWithinRange", "ScaleDownStabilized", "AlarmLow", ...: a constant, or text the
    /// autoscaler keeps until its next onTick.
    std::string_view condition;
};

class Autoscaler {
  public:
    virtual ~Autoscaler() = default;
    /// The count the fleet starts at, given the drawn replicas: within the policy's limits.
    [[nodiscard]] virtual int initialReplicas(int drawn) const = 0;
    /// Called once a tick after the tick is served: `tick` is what happened in it, `fleet`
    /// the instances now. A decision when the autoscaler evaluates at `t`, else nothing.
    virtual std::optional<Verdict> onTick(const TierTick& tick, const Fleet& fleet, double t,
                                          const Tier& tier) = 0;
    /// What the simulation records of holds (a sync that leaves the count where its metrics
    /// did not want it): one whose condition differs from the last sync's, unless the last
    /// event recorded the same hold at the same count within ten minutes.
    struct Holds {
        /// How long a recorded hold keeps a repeat of it from being news.
        static constexpr double kRepeatSeconds = 600;
        /// Whether a hold recorded at `at` still covers a repeat at `t`.
        static bool covers(double at, double t) { return !(t - at > kRepeatSeconds); }
        std::string_view last;   ///< the last sync's hold; empty after one that agreed
        std::string_view recent; ///< the last event's, when it held the count as it is now
        double recentAt = 0;     ///< its time
    };
    /// What passQuiet leaves of the last hold: as it was, cleared by a sync that agreed, or
    /// the recent event's, repeated unrecorded.
    enum class LastHold { Unchanged, Cleared, Recent };
    /// Ticks taken by passQuiet, and the last hold after them.
    struct Quiet {
        std::size_t ticks = 0;
        LastHold lastHold = LastHold::Unchanged;
    };
    /// Whether passQuiet may take ticks with the fleet as it is.
    [[nodiscard]] virtual bool quiet(const Fleet& /*fleet*/) const { return false; }
    /// Takes `ticks` (tick `first` on, one every `tickSeconds`, the fleet as it is throughout)
    /// as onTick would, one by one, while each leaves the count as it is and would record no
    /// event: the metrics agree with the count, or the count is held back for a reason
    /// `holds` says is not news. Stops before the first that might record one, which onTick is
    /// then given. Only after quiet() said yes.
    virtual Quiet passQuiet(std::span<const TierTick> /*ticks*/, std::size_t /*first*/,
                            double /*tickSeconds*/, const Tier& /*tier*/, const Holds& /*holds*/) {
        return {};
    }
    /// The last decision in words: asked only for those that make an event.
    [[nodiscard]] virtual std::string explainLast() const = 0;
    /// How long after becoming ready an instance still differs to this autoscaler (a warm-up):
    /// the simulation keeps it apart that long.
    [[nodiscard]] virtual double settledAfterSeconds() const { return 0; }
    /// Adds what else the autoscaler has to show for the run (a forecast).
    virtual void finish(TierRun& /*run*/) const {}
};

/// The autoscaler a policy configures, for a run whose first tick is at `startMs` (Unix ms,
/// for schedules); a definition that is wrong is refused with its JSON pointer. A `fixed`
/// policy has none (nothing: the fleet keeps its count).
Result<std::unique_ptr<Autoscaler>> makeAutoscaler(const AutoscalingPolicy& policy,
                                                   const SimulationOptions& options,
                                                   std::int64_t startMs = 0);
/// A Kubernetes HPA (hpa_autoscaler.cpp).
std::unique_ptr<Autoscaler> makeHpaAutoscaler(hpa::Spec spec, const SimulationOptions& options);
/// A KEDA ScaledObject (keda_autoscaler.cpp).
std::unique_ptr<Autoscaler> makeKedaAutoscaler(keda::ScaledObject object,
                                               const SimulationOptions& options);
/// An EC2 Auto Scaling group (aws_autoscaler.cpp).
std::unique_ptr<Autoscaler> makeAwsAutoscaler(aws::Group group, const SimulationOptions& options,
                                              std::int64_t startMs);

} // namespace headroom::whatif
