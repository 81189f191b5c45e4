#include "whatif/hpa_autoscaler.h"

#include <algorithm>
#include <cmath>

namespace headroom::whatif {
namespace {

/// std::llround, inline for the values a sync meets, rates and usages from 0 up (the library
/// call was a tenth of a sync): x minus its truncation is exact. Anything else (negative,
/// huge, infinite, NaN: a hostile project's) takes the library's answer.
std::int64_t roundHalfAway(double x) {
    if (!(x >= 0 && x < 0x1p62))
        return std::llround(x);
    const auto i = static_cast<std::int64_t>(x);
    return x - static_cast<double>(i) >= 0.5 ? i + 1 : i;
}

/// A pod's CPU use in milli-cores at `perPodRate` requests a second, before its sample rounds it.
double unroundedUsage(double perPodRate, const Tier& tier) {
    return std::min(perPodRate * tier.cpuMsPerRequest, tier.coresMilli);
}

/// The same as its sample reads it.
std::int64_t roundedUsage(double perPodRate, const Tier& tier) {
    return roundHalfAway(unroundedUsage(perPodRate, tier));
}

/// The most a pod's sample reads: all of its cores.
std::int64_t highestUsage(const Tier& tier) {
    return roundHalfAway(tier.coresMilli);
}

} // namespace

double objectMetricValue(std::string_view name, const Sample& seen, const Tier& tier) {
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

HpaAutoscaler::HpaAutoscaler(hpa::Spec spec, const SimulationOptions& options)
    : options_(options), delay_(options), quick_(spec, options.controller),
      windows_(spec, options.controller) {
    state_.spec = std::move(spec);
    explainState_.spec = state_.spec;
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
    objectValues_.resize(quick_.metrics().size());
    for (const auto& m : quick_.metrics()) {
        const bool cpu = m.source == hpa::SourceType::Resource && m.name == "cpu";
        cpuUtilizationOnly_ =
            cpuUtilizationOnly_ && cpu && m.target == hpa::TargetType::Utilization;
        readsCpu_ = readsCpu_ || cpu;
        readsPods_ = readsPods_ || m.source == hpa::SourceType::Pods;
    }
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
    if (!options_.referenceHpa) {
        if (steadySync(fleet, t, tier))
            return Verdict{fleet.desired(), fleet.desired(), std::string_view()};
        if (auto v = quickSync(fleet, t, tier))
            return v;
    }
    last_ = sync(fleet, t, tier);
    return verdictOf(last_);
}

Verdict HpaAutoscaler::verdictOf(const hpa::Decision& d) {
    const bool stabilised =
        d.stabilizedReplicas && d.metricReplicas && *d.stabilizedReplicas != *d.metricReplicas;
    return {d.desiredReplicas, d.metricReplicas,
            d.limited    ? d.scalingLimited.reason
            : stabilised ? d.ableToScale.reason
                         : std::string_view(d.rescaleReason)};
}

void HpaAutoscaler::fillState(hpa::State& state, const std::vector<Cohort>& cohorts, int current,
                              double t, const Tier& tier) const {
    const bool sampled = delay_.sampled();
    const Sample& seen = delay_.seen();
    const double sampleTime = t - options_.metricDelaySeconds;
    const double perPodRate = seen.ready > 0 ? seen.servedRps / seen.ready : 0;
    const auto usage = static_cast<std::int64_t>(
        std::llround(std::min(perPodRate * tier.cpuMsPerRequest, tier.coresMilli)));
    const auto rateMilli = static_cast<std::int64_t>(std::llround(perPodRate * 1000));
    state.currentReplicas = current;
    // The pod groups are updated in place, sync after sync: their maps keep their keys,
    // so a sync allocates nothing.
    state.pods.resize(cohorts.size());
    for (std::size_t k = 0; k < cohorts.size(); ++k) {
        const auto& c = cohorts[k];
        auto& g = state.pods[k];
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
        for (const auto& m : state.spec.metrics)
            if (m.source == hpa::SourceType::Pods) {
                if (hasSample)
                    g.metricsMilli[m.name] = rateMilli;
                else
                    g.metricsMilli.erase(m.name);
            }
    }
    state.metricValues.clear();
    for (const auto& m : state.spec.metrics)
        if (sampled &&
            (m.source == hpa::SourceType::Object || m.source == hpa::SourceType::External))
            state.metricValues[m.name] = {static_cast<std::int64_t>(
                std::llround(objectMetricValue(m.name, seen, tier) * 1000))};
    state.recommendations.clear();
    for (const auto& r : recommendations_)
        if (r.second < t)
            state.recommendations.push_back({r.first, t - r.second});
    if (pending_.any && pending_.at < t) // a steady sync's, not stored yet
        state.recommendations.push_back({pending_.value, t - pending_.at});
    state.scaleEvents.clear();
    for (const auto& e : scaleEvents_)
        if (e.second < t)
            state.scaleEvents.push_back({e.first, t - e.second});
}

void HpaAutoscaler::remember(std::optional<int> recommendation, std::optional<int> scaleEvent,
                             double t) {
    if (recommendation) {
        recommendations_.push_back({*recommendation, t});
        windows_.push(*recommendation, t);
    }
    if (scaleEvent)
        scaleEvents_.push_back({*scaleEvent, t});
    // What no stabilisation window or policy period reaches any more changes nothing:
    // forgotten, so each sync looks at minutes of memory, not hours.
    while (!recommendations_.empty() &&
           t - recommendations_.front().second > recommendationHorizon_)
        recommendations_.pop_front();
    while (!scaleEvents_.empty() && t - scaleEvents_.front().second > eventHorizon_)
        scaleEvents_.pop_front();
}

void HpaAutoscaler::storePending() {
    if (!pending_.any)
        return;
    // The steady syncs all recommended the count: the windows take the highest or lowest
    // within their reach, and the last of equal recommendations is within every reach the
    // earlier ones are. Storing it alone decides as storing each would (HpaQuick.WholeRuns...
    // compares whole runs with hpa::decide at every sync).
    recommendations_.push_back({pending_.value, pending_.at});
    windows_.push(pending_.value, pending_.at);
    remember(std::nullopt, std::nullopt, pending_.at);
    pending_.any = false;
}

hpa::Decision HpaAutoscaler::sync(const Fleet& fleet, double t, const Tier& tier) {
    storePending();
    fillState(state_, fleet.cohorts(), fleet.desired(), t, tier);
    auto d = hpa::decide(state_, options_.controller, false);
    remember(d.recommendationToStore, d.scaleEventToStore, t);
    lastWasQuick_ = false;
    return d;
}

inline std::int64_t HpaAutoscaler::usageOf(double servedRps, int ready, const Tier& tier) {
    return roundedUsage(ready > 0 ? servedRps / ready : 0, tier);
}

bool HpaAutoscaler::windowBelowCount(double t) {
    return state_.spec.behavior ||
           windows_.at(t).highest.value_or(steady_.current) <= steady_.current;
}

void HpaAutoscaler::tookSteady(double t, const Tier& tier) {
    pending_ = {true, steady_.current, t}; // remembered by the next sync that is not steady
    quickLast_.current = steady_.current;
    quickLast_.t = t;
    quickLast_.tier = &tier;
    lastWasQuick_ = true;
}

bool HpaAutoscaler::steadySync(const Fleet& fleet, double t, const Tier& tier) {
    // The fleet's version changes with its count, so an equal one means the same count.
    if (!quiet(fleet) || !withinBand(usageOf(delay_.seen().servedRps, delay_.seen().ready, tier)) ||
        !windowBelowCount(t))
        return false;
    tookSteady(t, tier);
    return true;
}

Autoscaler::Quiet HpaAutoscaler::passQuiet(std::span<const TierTick> ticks, std::size_t first,
                                           double tickSeconds, const Tier& tier,
                                           const Holds& holds) {
    // A sync at tick k sees the tick a metric delay back: one of these, or one pushed before
    // them (steady pods are sampled, so it exists). Read once into locals: stores to the
    // ticks' doubles could otherwise alias them.
    const std::size_t delay = delay_.delay();
    const double syncSeconds = options_.syncSeconds;
    double nextSync = nextSync_, lastSteady = 0;
    // The band before rounding: a use from 0 up to 2^52 rounds (half away from zero) into
    // [low, high] exactly when it lies in [low - 0.5, high + 0.5); the rounding was a quarter
    // of a quiet tick.
    const double lowest = static_cast<double>(steady_.low) - 0.5;
    const double beyond = static_cast<double>(steady_.high) + 0.5;
    bool agreed = false, windowChecked = false;
    std::string_view held = holds.last; // the last sync's hold, as the loop would keep it
    LastHold lastHold = LastHold::Unchanged;
    std::size_t k = 0;
    for (; k < ticks.size(); ++k) {
        const double t = static_cast<double>(first + k) * tickSeconds;
        if (t + 1e-9 < nextSync) // not a sync, as onTick tells
            continue;
        const Sample& seen = k >= delay ? Sample(ticks[k - delay]) : delay_.back(delay - k);
        const double use = unroundedUsage(seen.ready > 0 ? seen.servedRps / seen.ready : 0, tier);
        if (use >= 0 && use < 0x1p52 ? use >= lowest && use < beyond
                                     : withinBand(roundHalfAway(use))) { // steadySync's
            if (!windowChecked && !windowBelowCount(t))
                break;
            windowChecked = true;
            agreed = true;
            lastSteady = t;
            held = {};
            lastHold = LastHold::Cleared;
        } else {
            // Held again for the last sync's reason, or for the last event's at this count
            // within ten minutes (TierLoop's heldRecently): no event. The steady syncs before
            // it leave their recommendation pending, as onTick's would, for it to store. Its
            // own stored, the window is looked at again.
            if (agreed) {
                tookSteady(lastSteady, tier);
                agreed = false;
            }
            const bool recentHolds = !holds.recent.empty() && Holds::covers(holds.recentAt, t);
            const int again = heldAgain(roundHalfAway(use), t, tier, held,
                                        recentHolds ? holds.recent : std::string_view());
            if (again == 0)
                break;
            if (again == 2) {
                held = holds.recent;
                lastHold = LastHold::Recent;
            }
            windowChecked = false;
        }
        nextSync += syncSeconds;
    }
    delay_.pushAll(ticks.first(k));
    nextSync_ = nextSync;
    if (agreed)
        tookSteady(lastSteady, tier);
    return {k, lastHold};
}

int HpaAutoscaler::heldAgain(std::int64_t usage, double t, const Tier& tier, std::string_view held,
                             std::string_view recent) {
    if (held.empty() && recent.empty())
        return 0;
    // quickSync's settled path, stopping short of storing anything unless the count is held.
    storePending();
    const int current = steady_.current;
    const auto proposal = settledProposal(current, usage, tier);
    if (!proposal)
        return 0;
    const auto d = quick_.decideFrom(current, *proposal, windows_.at(t), scaleEvents_, t);
    if (d.desired != current || !d.metricReplicas || *d.metricReplicas == current)
        return 0;
    const int which = !held.empty() && d.condition == held       ? 1
                      : !recent.empty() && d.condition == recent ? 2
                                                                 : 0;
    if (which != 0)
        remember(d.recommendationToStore, d.scaleEventToStore, t);
    return which;
}

hpa::UniformPods HpaAutoscaler::settledPods(int current, std::int64_t usage,
                                            const Tier& tier) const {
    hpa::UniformPods p;
    p.current = current;
    p.pods = p.runningReady = p.cpu.ready = p.other.ready = current;
    p.cpuUsageMilli = usage;
    p.cpuRequestMilli = static_cast<std::int64_t>(tier.requestMilli);
    p.objectValues = &objectValues_;
    return p;
}

HpaAutoscaler::SettledCount& HpaAutoscaler::settledCount(int current) {
    if (static_cast<std::size_t>(current) >= settled_.size())
        settled_.resize(static_cast<std::size_t>(current) + 1);
    return settled_[static_cast<std::size_t>(current)];
}

const HpaAutoscaler::SettledCount& HpaAutoscaler::bandOf(int current, const Tier& tier) {
    auto& s = settledCount(current);
    if (!s.bandKnown) {
        const auto band = quick_.steadyBand(settledPods(current, 0, tier), highestUsage(tier));
        s.low = band ? band->first : 0;
        s.high = band ? band->second : -1;
        s.bandKnown = true;
    }
    return s;
}

std::optional<hpa::Proposal> HpaAutoscaler::settledProposal(int current, std::int64_t usage,
                                                            const Tier& tier) {
    const std::int64_t highest = highestUsage(tier);
    if (usage < 0 || usage > highest)
        return std::nullopt;
    auto& s = settledCount(current);
    // A table by usage, filled as usages come (a noisy load meets a few dozen): 32 KB a count
    // up to 4 cores. Past that the proposal is worked out each time (a sweep of a 64-core
    // tier over hundreds of counts would otherwise hold tens of megabytes).
    constexpr std::int64_t kLongest = 1 << 12;
    if (highest >= kLongest)
        return quick_.settledProposal(settledPods(current, usage, tier));
    if (s.byUsage.empty())
        s.byUsage.assign(static_cast<std::size_t>(highest) + 1, {kUnknown, 0});
    auto& e = s.byUsage[static_cast<std::size_t>(usage)];
    if (e.replicas == kUnknown) {
        const auto p = quick_.settledProposal(settledPods(current, usage, tier));
        e = p ? Memo{p->replicas, static_cast<std::uint32_t>(p->metric)} : Memo{kNone, 0};
    }
    if (e.replicas == kNone)
        return std::nullopt;
    return hpa::Proposal{e.replicas, e.metric};
}

std::optional<Verdict> HpaAutoscaler::quickSync(const Fleet& fleet, double t, const Tier& tier) {
    if (!quick_.applies())
        return std::nullopt;
    storePending();
    const bool sampled = delay_.sampled();
    const Sample& seen = delay_.seen();
    const double sampleTime = t - options_.metricDelaySeconds;
    const double perPodRate = seen.ready > 0 ? seen.servedRps / seen.ready : 0;
    const std::int64_t usage = roundedUsage(perPodRate, tier);
    const int current = fleet.desired();
    hpa::UniformPods p;
    p.current = current;
    p.cpuUsageMilli = usage;
    p.cpuRequestMilli = static_cast<std::int64_t>(tier.requestMilli);
    p.podMetricMilli = roundHalfAway(perPodRate * 1000);
    std::optional<hpa::QuickDecision> d;
    // Settled pods since the fleet last changed: the proposal is the count's at this usage.
    if (steady_.settled && steady_.fleetVersion == fleet.version())
        if (const auto proposal = settledProposal(current, usage, tier))
            d = quick_.decideFrom(current, *proposal, windows_.at(t), scaleEvents_, t);
    quickLast_.settled = d.has_value();
    if (!d) {
        // The same sorting as fillState's pod groups give hpa::decide (a fresh sample over the
        // default window).
        for (const auto& c : fleet.cohorts()) {
            const std::int64_t n = c.count;
            if (n <= 0)
                continue;
            p.pods += n;
            if (c.readyAt > t) { // booting: pending
                p.cpu.unready += n;
                p.other.unready += n;
                continue;
            }
            p.runningReady += n;
            if (!(sampled && c.readyAt <= sampleTime)) {
                p.cpu.missing += n;
                p.other.missing += n;
                continue;
            }
            p.other.ready += n;
            (hpa::cpuSampleUnready(true, t - c.startedAt, t - c.readyAt, 0,
                                   hpa::kSampleWindowSeconds, options_.controller)
                 ? p.cpu.unready
                 : p.cpu.ready) += n;
        }
        const auto& metrics = quick_.metrics();
        for (std::size_t i = 0; i < metrics.size(); ++i) {
            const auto& m = metrics[i];
            const bool object =
                m.source == hpa::SourceType::Object || m.source == hpa::SourceType::External;
            objectValues_[i].reset();
            if (object && sampled)
                objectValues_[i] = static_cast<std::int64_t>(
                    std::llround(objectMetricValue(m.name, seen, tier) * 1000));
        }
        p.objectValues = &objectValues_;
        quickLast_.pods = p;
        d = quick_.decide(p, windows_.at(t), scaleEvents_, t);
        if (!d)
            return std::nullopt;
        // Settled pods stay settled (each test passed stays passed as time goes on) until the
        // fleet changes: from here to then, the syncs skip the sorting, and those within the
        // count's band (steadySync) the decision too.
        const bool settled = quick_.cpuOnly() && p.pods == current && p.cpu.ready == current &&
                             p.cpu.unready == 0 && p.cpu.missing == 0;
        if (settled && !(steady_.settled && steady_.fleetVersion == fleet.version())) {
            const auto& band = bandOf(current, tier);
            steady_ = {true, fleet.version(), current, band.low, band.high};
        }
    }
    remember(d->recommendationToStore, d->scaleEventToStore, t);
    // Kept only for a decision that may be explained: one that changes the count or wanted to.
    if (d->desired != p.current || (d->metricReplicas && *d->metricReplicas != p.current))
        quickLast_.cohorts = fleet.cohorts();
    quickLast_.current = p.current;
    quickLast_.t = t;
    quickLast_.tier = &tier;
    quickLast_.usage = usage;
    quickLast_.decision = *d;
    lastWasQuick_ = true;
    return Verdict{d->desired, d->metricReplicas, d->condition};
}

std::string HpaAutoscaler::explanationKey() const {
    std::string key;
    key.reserve(160); // the figures below and a condition: grown by appending, it moved twice
    const auto put = [&key](auto value) {
        key.append(reinterpret_cast<const char*>(&value), sizeof value);
    };
    const auto& q = quickLast_.decision;
    put(quickLast_.current);
    put(q.metricReplicas.value_or(-1));
    put(q.stabilizedReplicas.value_or(-1));
    put(q.desired);
    if (quickLast_.settled) {
        // Alike pods against Utilization targets: the words read used x 100 / requested, over
        // n pods that is usage x 100 / request, rounded down.
        key += 'S';
        const auto request = static_cast<std::int64_t>(quickLast_.tier->requestMilli);
        put(cpuUtilizationOnly_ && request > 0 ? quickLast_.usage * 100 / request
                                               : quickLast_.usage);
    } else {
        const auto& p = quickLast_.pods;
        key += 'U';
        for (const auto n : {p.pods, p.runningReady, p.cpu.ready, p.cpu.unready, p.cpu.missing,
                             p.other.ready, p.other.unready, p.other.missing, p.cpuRequestMilli})
            put(n);
        put(readsCpu_ ? p.cpuUsageMilli : 0);
        put(readsPods_ ? p.podMetricMilli : 0);
        for (const auto& v : objectValues_) {
            put(v.has_value());
            put(v.value_or(0));
        }
    }
    key += q.condition;
    return key;
}

std::string HpaAutoscaler::explainLast() const {
    if (!lastWasQuick_)
        return hpa::decide(state_, options_.controller, true).reason;
    // A quick sync's words follow from the count, what its pods showed as the quick path
    // counts them (ready, unready, missing; the usage and the metrics' values: every sampled
    // pod alike) and the decision's figures: the windows and policies show only through the
    // stabilised and desired counts and the condition, whose messages are fixed. A busy month
    // repeats a few dozen of them over a thousand events (ten tiers: 267 over 12,624).
    // HpaQuick.WholeRunsMatchTheReference holds the words to hpa::decide's at every event.
    auto key = explanationKey();
    if (const auto it = explained_.find(key); it != explained_.end())
        return it->second;
    // The quick sync's state, as hpa::decide would have been given it (the memory it stored
    // at that sync left out).
    fillState(explainState_, quickLast_.cohorts, quickLast_.current, quickLast_.t,
              *quickLast_.tier);
    auto words = hpa::decide(explainState_, options_.controller, true).reason;
    explained_.emplace(std::move(key), words);
    return words;
}

std::unique_ptr<Autoscaler> makeHpaAutoscaler(hpa::Spec spec, const SimulationOptions& options) {
    return std::make_unique<HpaAutoscaler>(std::move(spec), options);
}

} // namespace headroom::whatif
