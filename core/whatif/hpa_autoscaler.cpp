#include "whatif/hpa_autoscaler.h"

#include <algorithm>
#include <cmath>

namespace headroom::whatif {

double objectMetricValue(std::string_view name, const TierTick& seen, const Tier& tier) {
    if (name.find("latency") != std::string_view::npos)
        return std::min(seen.latencySeconds, 3600.0); // an hour stands for "nothing ready"
    if (name.find("queue") != std::string_view::npos)
        return seen.backlog + seen.servedRps * tier.baseHolding; // Little's law: in flight
    return seen.backlog;
}

DelayLine::DelayLine(const SimulationOptions& options)
    : delay_(
          static_cast<std::size_t>(std::llround(options.metricDelaySeconds / options.tickSeconds))),
      ring_(delay_ + 1) {}

void DelayLine::push(const TierTick& tick) {
    ring_[pushed_++ % ring_.size()] = tick;
}

const TierTick& DelayLine::seen() const {
    return ring_[(pushed_ > delay_ ? pushed_ - 1 - delay_ : 0) % ring_.size()];
}

HpaAutoscaler::HpaAutoscaler(hpa::Spec spec, const SimulationOptions& options)
    : options_(options), delay_(options) {
    state_.spec = std::move(spec);
    const int controllerWindow = options.controller.downscaleStabilizationSeconds;
    recommendationHorizon_ = controllerWindow;
    if (const auto& b = state_.spec.behavior) {
        const auto up = hpa::scaleUpRules(b->scaleUp);
        const auto down = hpa::scaleDownRules(b->scaleDown, controllerWindow);
        recommendationHorizon_ =
            std::max(*up.stabilizationWindowSeconds, *down.stabilizationWindowSeconds);
        for (const auto* rules : {&up, &down})
            for (const auto& p : rules->policies)
                eventHorizon_ = std::max(eventHorizon_, double(p.periodSeconds));
    }
    recommendationHorizon_ += options.syncSeconds;
    eventHorizon_ += options.syncSeconds;
}

int HpaAutoscaler::initialReplicas(int drawn) const {
    return std::clamp(drawn, state_.spec.minReplicas, state_.spec.maxReplicas);
}

std::optional<Verdict> HpaAutoscaler::onTick(const TierTick& tick, const Fleet& fleet, double t,
                                             const Tier& tier) {
    delay_.push(tick);
    if (t + 1e-9 < nextSync_)
        return std::nullopt;
    nextSync_ += options_.syncSeconds;
    return verdictOf(sync(fleet, t, tier));
}

Verdict HpaAutoscaler::verdictOf(const hpa::Decision& d) {
    const bool stabilised =
        d.stabilizedReplicas && d.metricReplicas && *d.stabilizedReplicas != *d.metricReplicas;
    return {d.desiredReplicas, d.metricReplicas,
            std::string(d.limited    ? d.scalingLimited.reason
                        : stabilised ? d.ableToScale.reason
                                     : std::string_view(d.rescaleReason))};
}

/// The pods as the controller sees them (serving cohorts with the per-pod samples of the tick
/// a metric delay back; booting ones pending), the decision, and what it remembers.
hpa::Decision HpaAutoscaler::sync(const Fleet& fleet, double t, const Tier& tier) {
    const bool sampled = delay_.sampled();
    const TierTick& seen = delay_.seen();
    const double sampleTime = t - options_.metricDelaySeconds;
    const double perPodRate = seen.ready > 0 ? seen.servedRps / seen.ready : 0;
    const auto usage = static_cast<std::int64_t>(
        std::llround(std::min(perPodRate * tier.cpuMsPerRequest, tier.coresMilli)));
    const auto rateMilli = static_cast<std::int64_t>(std::llround(perPodRate * 1000));
    state_.currentReplicas = fleet.desired();
    // The pod groups are updated in place, sync after sync: their maps keep their keys,
    // so a sync allocates nothing.
    const auto& cohorts = fleet.cohorts();
    state_.pods.resize(cohorts.size());
    for (std::size_t k = 0; k < cohorts.size(); ++k) {
        const auto& c = cohorts[k];
        auto& g = state_.pods[k];
        g.count = c.count;
        g.requestsMilli["cpu"] = static_cast<std::int64_t>(tier.requestMilli);
        const bool booting = c.readyAt > t;
        g.phase = booting ? hpa::Phase::Pending : hpa::Phase::Running;
        g.ready = !booting;
        g.startedSecondsAgo = t - c.startedAt;
        g.readyChangedSecondsAgo = booting ? t - c.startedAt : t - c.readyAt;
        // A sample exists for instances that were serving when it was taken.
        const bool hasSample = !booting && sampled && c.readyAt <= sampleTime;
        if (hasSample)
            g.usageMilli["cpu"] = usage;
        else
            g.usageMilli.erase("cpu");
        for (const auto& m : state_.spec.metrics)
            if (m.source == hpa::SourceType::Pods) {
                if (hasSample)
                    g.metricsMilli[m.name] = rateMilli;
                else
                    g.metricsMilli.erase(m.name);
            }
    }
    state_.metricValues.clear();
    for (const auto& m : state_.spec.metrics)
        if (sampled &&
            (m.source == hpa::SourceType::Object || m.source == hpa::SourceType::External))
            state_.metricValues[m.name] = {static_cast<std::int64_t>(
                std::llround(objectMetricValue(m.name, seen, tier) * 1000))};
    state_.recommendations.clear();
    for (const auto& r : recommendations_)
        state_.recommendations.push_back({r.first, t - r.second});
    state_.scaleEvents.clear();
    for (const auto& e : scaleEvents_)
        state_.scaleEvents.push_back({e.first, t - e.second});
    auto d = hpa::decide(state_, options_.controller, false);
    if (d.recommendationToStore)
        recommendations_.push_back({*d.recommendationToStore, t});
    if (d.scaleEventToStore)
        scaleEvents_.push_back({*d.scaleEventToStore, t});
    // What no stabilisation window or policy period reaches any more changes nothing:
    // forgotten, so each sync copies minutes of memory, not hours.
    while (!recommendations_.empty() &&
           t - recommendations_.front().second > recommendationHorizon_)
        recommendations_.pop_front();
    while (!scaleEvents_.empty() && t - scaleEvents_.front().second > eventHorizon_)
        scaleEvents_.pop_front();
    return d;
}

std::string HpaAutoscaler::explainLast() const {
    return hpa::decide(state_, options_.controller, true).reason;
}

std::unique_ptr<Autoscaler> makeHpaAutoscaler(hpa::Spec spec, const SimulationOptions& options) {
    return std::make_unique<HpaAutoscaler>(std::move(spec), options);
}

} // namespace headroom::whatif
