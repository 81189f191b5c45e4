// KEDA in the simulation: the HPA KEDA creates runs its own 15 s syncs (hpa_autoscaler.cpp) on
// the triggers' External metrics, and KEDA's loop polls the triggers every pollingInterval to
// take the fleet from zero to one (or to minReplicaCount) when a trigger is active, and back to
// zero (or idleReplicaCount) a cooldownPeriod after the last active poll
// (pkg/scaling/executor/scale_scaledobjects.go). While the fleet is at zero the HPA reports
// ScalingDisabled and changes nothing.

#include "whatif/hpa_autoscaler.h"
#include "whatif/keda.h"
#include "whatif/words.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace headroom::whatif {
namespace {

class KedaAutoscaler final : public Autoscaler {
  public:
    KedaAutoscaler(keda::ScaledObject object, const SimulationOptions& options)
        : object_(std::move(object)), hpa_(object_.hpa, options), delay_(options) {}

    [[nodiscard]] int initialReplicas(int drawn) const override {
        return std::clamp(drawn, object_.minReplicaCount, object_.maxReplicaCount);
    }

    std::optional<Verdict> onTick(const TierTick& tick, const Fleet& fleet, double t,
                                  const Tier& tier) override {
        delay_.push(tick);
        auto fromHpa = hpa_.onTick(tick, fleet, t, tier);
        if (t + 1e-9 >= nextPoll_) {
            nextPoll_ += object_.pollingInterval;
            auto fromKeda = poll(fleet.desired(), t, tier);
            // KEDA's change wins (the HPA is disabled at zero); else the HPA's change, else
            // KEDA's word on why it holds.
            const int now = fleet.desired();
            const bool kedaChanges = fromKeda && fromKeda->desired != now;
            const bool hpaChanges = fromHpa && fromHpa->desired != now;
            if (fromKeda && (kedaChanges || !hpaChanges)) {
                kedaDecided_ = true;
                return fromKeda;
            }
        }
        kedaDecided_ = false;
        return fromHpa;
    }

    [[nodiscard]] std::string explainLast() const override {
        return kedaDecided_ ? words_ : hpa_.explainLast();
    }

  private:
    /// KEDA's poll: whether any trigger is active, and what that means at `replicas`.
    std::optional<Verdict> poll(int replicas, double t, const Tier& tier) {
        if (!delay_.sampled())
            return std::nullopt; // no value read yet
        // KEDA keeps an object whose triggers are all cpu active (scale_handler.go); a cpu
        // trigger beside queue triggers has no say in activation.
        const bool cpuOnly = std::all_of(object_.triggers.begin(), object_.triggers.end(),
                                         [](const auto& tr) { return tr.cpu; });
        bool active = cpuOnly;
        std::string why = cpuOnly ? "its triggers are all cpu, so it is always active" : "";
        for (const auto& trigger : object_.triggers) {
            if (trigger.cpu)
                continue;
            const double value = objectMetricValue(trigger.metricName, delay_.seen(), tier);
            if (value > trigger.activation) {
                active = true;
                why = trigger.type + " holds " + shortNumber(value) + " messages, above the " +
                      "activation threshold " + shortNumber(trigger.activation);
            } else if (why.empty()) {
                why = trigger.type + " holds " + shortNumber(value) + " messages, not above the " +
                      "activation threshold " + shortNumber(trigger.activation);
            }
        }
        const int floor = object_.idleReplicaCount.value_or(object_.minReplicaCount);
        if (active) {
            lastActive_ = t;
            if (replicas == 0 || (object_.idleReplicaCount && replicas <= floor &&
                                  replicas < object_.minReplicaCount)) {
                const int to = std::max(object_.minReplicaCount, 1);
                words_ = "KEDA: " + why + ", so it scales from " + std::to_string(replicas) +
                         " to " + std::to_string(to) +
                         "; from there the HPA it created scales 1 to N.";
                return Verdict{to, to, "KEDAScaleFromZero"};
            }
            return std::nullopt;
        }
        if (replicas < object_.minReplicaCount && !object_.idleReplicaCount) {
            words_ = "KEDA: no trigger active, and the count is below minReplicaCount.";
            return Verdict{object_.minReplicaCount, object_.minReplicaCount, "KEDAMinReplicas"};
        }
        if (replicas <= floor || (object_.minReplicaCount > 0 && !object_.idleReplicaCount))
            return std::nullopt;
        const double since = lastActive_ ? *lastActive_ : 0;
        const double cooldown =
            lastActive_ ? object_.cooldownPeriod : object_.initialCooldownPeriod;
        if (since + cooldown < t) {
            words_ = "KEDA: " + why + " since " + runClock(since) + ", more than cooldownPeriod " +
                     std::to_string(object_.cooldownPeriod) + " s ago: it scales " +
                     std::to_string(replicas) + " to " + std::to_string(floor) + ".";
            return Verdict{floor, floor, "KEDAScaleToZero"};
        }
        words_ = "KEDA: " + why + "; it scales to " + std::to_string(floor) + " only when " +
                 std::to_string(object_.cooldownPeriod) + " s have passed since the last " +
                 "active poll (" + runClock(since) + ").";
        return Verdict{replicas, floor, "ScalerCooldown"};
    }

    keda::ScaledObject object_;
    HpaAutoscaler hpa_;
    DelayLine delay_;
    double nextPoll_ = 0;
    std::optional<double> lastActive_;
    bool kedaDecided_ = false;
    std::string words_;
};

} // namespace

std::unique_ptr<Autoscaler> makeKedaAutoscaler(keda::ScaledObject object,
                                               const SimulationOptions& options) {
    return std::make_unique<KedaAutoscaler>(std::move(object), options);
}

} // namespace headroom::whatif
