#include "whatif/hpa_quick.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace headroom::whatif::hpa {
namespace {

/// The replica calculator's two passes (decidedOnReadyPods, then rebalance in
/// hpa_replicas.cpp) over pods alike: `again(missingCounted, unreadyCounted)` takes the ratio
/// once more with that many missing pods counted at their stand-in value (for a scale-down;
/// 0 for a scale-up) and unready ones at 0, and returns it with the pods it counted.
template <typename Again>
int podProposal(double ratio, const PodCounts& c, int current, const Tolerances& tol,
                const Again& again) {
    const bool upWithUnready = c.unready > 0 && ratio > 1.0;
    if (!upWithUnready && c.missing == 0)
        return tol.within(ratio) ? current : ceilReplicas(ratio * static_cast<double>(c.ready));
    const std::int64_t missing = c.missing > 0 && ratio != 1.0 ? c.missing : 0;
    const auto [newRatio, counted] = again(missing, upWithUnready ? c.unready : 0);
    if (tol.within(newRatio) || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0))
        return current;
    const int proposed = ceilReplicas(newRatio * static_cast<double>(counted));
    if ((newRatio < 1.0 && proposed > current) || (newRatio > 1.0 && proposed < current))
        return current;
    return proposed;
}

constexpr std::string_view kWithinRange = "DesiredWithinRange";
constexpr std::string_view kTooFew = "TooFewReplicas";
constexpr std::string_view kTooMany = "TooManyReplicas";
constexpr std::string_view kUpLimit = "ScaleUpLimit";
constexpr std::string_view kDownLimit = "ScaleDownLimit";

/// Replicas added (up) or removed (down) strictly within the last `periodSeconds`.
int changeWithin(const History& events, double t, int periodSeconds, bool up) {
    int sum = 0;
    for (const auto& [change, at] : events)
        if (t - at < periodSeconds && (up ? change > 0 : change < 0))
            sum += up ? change : -change;
    return sum;
}

} // namespace

void History::grow() {
    std::vector<Entry> bigger(std::max<std::size_t>(16, items_.size() * 2));
    for (std::size_t k = 0; k < size_; ++k)
        bigger[k] = items_[(head_ + k) & mask_];
    items_ = std::move(bigger);
    head_ = 0;
    mask_ = items_.size() - 1; // a power of two
}

ProposalWindows::ProposalWindows(const Spec& spec, const ControllerSettings& settings)
    : down_(true,
            spec.behavior
                ? *scaleDownRules(spec.behavior->scaleDown, settings.downscaleStabilizationSeconds)
                       .stabilizationWindowSeconds
                : settings.downscaleStabilizationSeconds,
            !spec.behavior),
      up_(false,
          spec.behavior ? *scaleUpRules(spec.behavior->scaleUp).stabilizationWindowSeconds : 0,
          false),
      behavior_(spec.behavior.has_value()) {}

QuickDecider::QuickDecider(const Spec& spec, const ControllerSettings& settings)
    : spec_(spec), settings_(settings), tolerances_(tolerancesFor(spec, settings)) {
    metrics_ = spec.metrics.empty() ? std::vector<MetricSpec>{defaultCpuMetric()} : spec.metrics;
    for (const auto& m : metrics_) {
        aboveTarget_.push_back(describeMetric(m) + " above target");
        // The simulation's pods have a CPU request and usage and nothing else a resource
        // metric could read.
        const bool resource =
            m.source == SourceType::Resource || m.source == SourceType::ContainerResource;
        if (resource && (m.source == SourceType::ContainerResource || m.name != "cpu"))
            applies_ = false;
        if (m.source != SourceType::Resource || m.name != "cpu")
            cpuOnly_ = false;
    }
    if (spec.behavior) {
        up_ = scaleUpRules(spec.behavior->scaleUp);
        down_ = scaleDownRules(spec.behavior->scaleDown, settings.downscaleStabilizationSeconds);
    }
}

/// proposeReplicas (hpa_replicas.cpp) for pods alike; nothing where it fails.
std::optional<int> QuickDecider::propose(std::size_t metric, const UniformPods& p) const {
    const auto& m = metrics_[metric];
    const int current = p.current;
    const auto& tol = tolerances_;
    switch (m.source) {
    case SourceType::Resource:
    case SourceType::ContainerResource:
    case SourceType::Pods: {
        const bool resource = m.source != SourceType::Pods;
        if (resource && m.target != TargetType::Utilization && m.target != TargetType::AverageValue)
            return std::nullopt;
        if (!resource && m.target != TargetType::AverageValue)
            return std::nullopt;
        const auto& c = resource ? p.cpu : p.other;
        if (p.pods == 0 || c.ready == 0)
            return std::nullopt;
        if (resource && m.target == TargetType::Utilization) {
            if (m.averageUtilization <= 0)
                return std::nullopt;
            const std::int64_t q = p.cpuRequestMilli, v = p.cpuUsageMilli;
            const std::int64_t fallback = q * std::max(100, m.averageUtilization) / 100;
            const auto ratioOf = [&](std::int64_t used, std::int64_t counted) {
                return static_cast<double>(used * 100 / (q * counted)) / m.averageUtilization;
            };
            return podProposal(ratioOf(v * c.ready, c.ready), c, current, tol,
                               [&](std::int64_t missing, std::int64_t unready) {
                                   const std::int64_t counted = c.ready + missing + unready;
                                   const double ratio = ratioOf(v * c.ready, c.ready);
                                   const std::int64_t used =
                                       v * c.ready + (ratio < 1.0 ? fallback : 0) * missing;
                                   return std::pair{ratioOf(used, counted), counted};
                               });
        }
        if (m.milli <= 0)
            return std::nullopt;
        const std::int64_t v = resource ? p.cpuUsageMilli : p.podMetricMilli;
        const auto ratioOf = [&](std::int64_t total, std::int64_t counted) {
            return static_cast<double>(total / counted) / static_cast<double>(m.milli);
        };
        const double ratio = ratioOf(v * c.ready, c.ready);
        return podProposal(ratio, c, current, tol, [&](std::int64_t missing, std::int64_t unready) {
            const std::int64_t counted = c.ready + missing + unready;
            const std::int64_t total = v * c.ready + (ratio < 1.0 ? m.milli : 0) * missing;
            return std::pair{ratioOf(total, counted), counted};
        });
    }
    case SourceType::Object:
    case SourceType::External: {
        if (m.target == TargetType::Utilization)
            return std::nullopt;
        const auto& value = (*p.objectValues)[metric];
        if (!value || m.milli <= 0)
            return std::nullopt;
        const auto usage = static_cast<double>(*value);
        if (m.target == TargetType::Value) {
            const double ratio = usage / static_cast<double>(m.milli);
            if (tol.within(ratio))
                return current;
            if (p.pods == 0)
                return std::nullopt;
            return ceilReplicas(ratio * static_cast<double>(p.runningReady));
        }
        const double ratio = usage / (static_cast<double>(m.milli) * static_cast<double>(current));
        return tol.within(ratio) ? current : ceilReplicas(usage / static_cast<double>(m.milli));
    }
    }
    return std::nullopt;
}

std::optional<std::pair<std::int64_t, std::int64_t>>
QuickDecider::steadyBand(const UniformPods& pods, std::int64_t highestUsage) const {
    const int current = pods.current;
    const auto& c = pods.cpu;
    if (!applies_ || !cpuOnly_ || current == 0 || current > spec_.maxReplicas ||
        current < spec_.minReplicas || pods.pods != current || c.ready != current ||
        c.unready != 0 || c.missing != 0)
        return std::nullopt;
    // With every pod ready and counted, each metric's proposal is the count within its
    // tolerance and ceil(ratio x count) outside it: below the count under the band, above it
    // over the band, so the largest proposal rises with the usage and the band is where it
    // equals the count.
    UniformPods at = pods;
    const auto proposalAt = [&](std::int64_t usage) {
        at.cpuUsageMilli = usage;
        const auto p = settledProposal(at);
        return p ? std::optional(p->replicas) : std::nullopt;
    };
    // The first usage proposing the count or more, and the first proposing more.
    const auto firstAbove = [&](int replicas) -> std::optional<std::int64_t> {
        std::int64_t lo = 0, hi = highestUsage + 1; // proposalAt(hi) counts as above
        while (lo < hi) {
            const std::int64_t mid = lo + (hi - lo) / 2;
            const auto p = proposalAt(mid);
            if (!p)
                return std::nullopt;
            if (*p > replicas)
                hi = mid;
            else
                lo = mid + 1;
        }
        return lo;
    };
    const auto from = firstAbove(current - 1), to = firstAbove(current);
    if (!from || !to || *from >= *to)
        return std::nullopt; // no usage proposes the count itself
    return std::pair{*from, *to - 1};
}

void QuickDecider::normalizeLegacy(QuickDecision& d, int current, int desired,
                                   const RecentProposals& recent) const {
    const int stabilized = std::max(desired, recent.highest.value_or(desired));
    d.stabilizedReplicas = stabilized;
    const int upLimit = static_cast<int>(std::max(2.0 * current, 4.0));
    const int maxAllowed = std::min(spec_.maxReplicas, upLimit);
    if (stabilized < spec_.minReplicas) {
        d.desired = spec_.minReplicas;
        d.condition = kTooFew;
    } else if (stabilized > maxAllowed) {
        d.desired = maxAllowed;
        d.condition = spec_.maxReplicas > upLimit ? kUpLimit : kTooMany;
    } else {
        d.desired = stabilized;
        d.condition = kWithinRange;
    }
    if (d.desired == stabilized) // not limited: the window, or the metrics, name it
        d.condition = stabilized != desired ? "ScaleDownStabilized" : std::string_view();
}

void QuickDecider::normalizeWithBehavior(QuickDecision& d, int current, int desired,
                                         const RecentProposals& recent, const History& events,
                                         double t) const {
    const int upFloor = std::min(desired, recent.lowest.value_or(desired));
    const int downCeiling = std::max(desired, recent.highest.value_or(desired));
    const int stabilized = std::min(std::max(current, upFloor), downCeiling);
    d.stabilizedReplicas = stabilized;
    d.desired = stabilized;
    d.condition = stabilized == desired ? std::string_view()
                  : desired >= current  ? "ScaleUpStabilized"
                                        : "ScaleDownStabilized";
    // Replicas added (up) or removed within a policy's period.
    const auto changed = [&](int period, bool added) {
        return changeWithin(events, t, period, added);
    };
    if (stabilized > current) {
        const int limit = std::max(scaleUpLimit(current, up_, changed), current);
        const int maxAllowed = std::min(spec_.maxReplicas, limit);
        if (stabilized > maxAllowed) {
            d.desired = maxAllowed;
            d.condition = spec_.maxReplicas > limit ? kUpLimit : kTooMany;
        }
    } else if (stabilized < current) {
        const int limit = std::min(scaleDownLimit(current, down_, changed), current);
        const int minAllowed = std::max(spec_.minReplicas, limit);
        if (stabilized < minAllowed) {
            d.desired = minAllowed;
            d.condition = spec_.minReplicas < limit ? kDownLimit : kTooFew;
        }
    }
}

std::optional<QuickDecision> QuickDecider::decide(const UniformPods& pods,
                                                  const RecentProposals& recent,
                                                  const History& scaleEvents, double t) const {
    const int current = pods.current;
    if (!applies_ || current == 0 || current > spec_.maxReplicas || current < spec_.minReplicas)
        return std::nullopt;
    int replicas = 0;
    std::size_t chosen = 0, invalid = 0;
    for (std::size_t i = 0; i < metrics_.size(); ++i) {
        const auto p = propose(i, pods);
        if (!p) {
            ++invalid;
            continue;
        }
        if (replicas == 0 || *p > replicas) {
            replicas = *p;
            chosen = i;
        }
    }
    // Every metric failing, or some failing while the rest would scale down: no change, and
    // nothing remembered.
    if (invalid >= metrics_.size() || (invalid > 0 && replicas < current)) {
        QuickDecision d;
        d.desired = current;
        return d;
    }
    return decideFrom(current, {replicas, chosen}, recent, scaleEvents, t);
}

std::optional<Proposal> QuickDecider::settledProposal(const UniformPods& pods) const {
    int replicas = 0;
    std::size_t chosen = 0;
    for (std::size_t i = 0; i < metrics_.size(); ++i) {
        const auto p = propose(i, pods);
        if (!p)
            return std::nullopt;
        if (replicas == 0 || *p > replicas) {
            replicas = *p;
            chosen = i;
        }
    }
    return Proposal{replicas, chosen};
}

QuickDecision QuickDecider::decideFrom(int current, Proposal proposal,
                                       const RecentProposals& recent, const History& scaleEvents,
                                       double t) const {
    const int replicas = proposal.replicas;
    QuickDecision d;
    d.desired = current;
    d.metricReplicas = replicas;
    d.recommendationToStore = replicas;
    if (spec_.behavior)
        normalizeWithBehavior(d, current, replicas, recent, scaleEvents, t);
    else
        normalizeLegacy(d, current, replicas, recent);
    // Neither limited nor stabilised: the metrics' own reason.
    if (d.condition.empty())
        d.condition = replicas > current   ? std::string_view(aboveTarget_[proposal.metric])
                      : replicas < current ? std::string_view("All metrics below target")
                                           : std::string_view();
    if (d.desired != current && spec_.behavior)
        d.scaleEventToStore = d.desired - current;
    return d;
}

} // namespace headroom::whatif::hpa
