#include "whatif/hpa_replicas.h"

#include "common/digits.h"

#include <climits>
#include <cmath>
#include <cstdio>
#include <functional>

namespace headroom::whatif::hpa {
namespace {

std::string band(const Tolerances& t) {
    char text[64];
    std::snprintf(text, sizeof text, "[%.2f, %.2f]", 1 - t.down, 1 + t.up);
    return text;
}

/// The pods a metric is read from, sorted the way groupPods sorts them: ignored (being
/// deleted, failed), unready (pending; for CPU also not ready, or warming up), without a sample
/// (missing), and ready with one.
struct Grouped {
    struct Sample {
        const PodGroup* pod;
        std::int64_t value;
    };
    std::vector<Sample> samples; ///< the ready pods' samples, the metrics the ratio is taken over
    std::vector<const PodGroup*> unready, missing;
    std::int64_t ready = 0, unreadyCount = 0, missingCount = 0, ignored = 0;
};

bool unreadyForCpu(const PodGroup& p, const ControllerSettings& s) {
    constexpr double kLongAgo = 1e12;
    const double started = p.startedSecondsAgo.value_or(kLongAgo);
    return cpuSampleUnready(p.ready, started, p.readyChangedSecondsAgo.value_or(started),
                            p.sampleAgeSeconds, p.sampleWindowSeconds, s);
}

Grouped groupPods(const State& state,
                  const std::function<const std::int64_t*(const PodGroup&)>& sample, bool cpu,
                  const ControllerSettings& settings) {
    Grouped g;
    for (const auto& p : state.pods) {
        if (p.count <= 0)
            continue;
        if (p.deleting || p.phase == Phase::Failed) {
            g.ignored += p.count;
            continue;
        }
        if (p.phase == Phase::Pending) {
            g.unready.push_back(&p);
            g.unreadyCount += p.count;
            continue;
        }
        const auto* value = sample(p);
        if (!value) {
            g.missing.push_back(&p);
            g.missingCount += p.count;
            continue;
        }
        if (cpu && unreadyForCpu(p, settings)) {
            g.unready.push_back(&p);
            g.unreadyCount += p.count;
            continue;
        }
        g.ready += p.count;
        g.samples.push_back({&p, *value});
    }
    return g;
}

std::int64_t podCount(const State& state) {
    std::int64_t n = 0;
    for (const auto& p : state.pods)
        n += std::max(p.count, 0);
    return n;
}

MetricProposal failed(MetricProposal out, std::string error) {
    out.error = std::move(error);
    return out;
}

/// The first pass both pod-based calculators make: with every pod ready and sampled (or
/// unready ones on a scale-down), keep the count within the tolerance, else ceil(ratio x ready
/// pods). False when the second pass (rebalance) has to decide.
bool decidedOnReadyPods(MetricProposal& out, const Grouped& g, const State& state,
                        const Tolerances& tol, bool words) {
    if (g.ignored > 0)
        if (words)
            out.why += "; " + std::to_string(g.ignored) + " pod(s) being deleted or failed ignored";
    if (g.unreadyCount > 0)
        if (words)
            out.why += "; " + std::to_string(g.unreadyCount) + " unready pod(s) set aside";
    const bool scaleUpWithUnready = g.unreadyCount > 0 && out.usageRatio > 1.0;
    if (scaleUpWithUnready || g.missingCount > 0)
        return false;
    if (tol.within(out.usageRatio)) {
        out.replicas = state.currentReplicas;
        if (words)
            out.why += ", within the tolerance " + band(tol) + ": keep " +
                       std::to_string(state.currentReplicas);
    } else {
        out.replicas = ceilReplicas(out.usageRatio * static_cast<double>(g.ready));
        if (words)
            out.why += ": ceil(" + threeDigits(out.usageRatio) + " x " + std::to_string(g.ready) +
                       " ready pods) = " + std::to_string(*out.replicas);
    }
    return true;
}

/// The second pass both pod-based calculators make when pods are unready or lack samples:
/// missing pods count as `missingValue` on a scale-down and 0 on a scale-up; unready pods as 0
/// on a scale-up; the ratio is taken again, and the current count kept if it falls within the
/// tolerance or would turn the direction around.
template <typename Ratio>
void rebalance(MetricProposal& out, const Grouped& g, const State& state, const Tolerances& tol,
               const std::function<std::int64_t(const PodGroup&)>& missingValue,
               const std::string& missingSteps, const Ratio& ratioOf, bool words) {
    const double ratio = out.usageRatio;
    const bool scaleUpWithUnready = g.unreadyCount > 0 && ratio > 1.0;
    auto samples = g.samples;
    std::string steps;
    if (g.missingCount > 0 && ratio != 1.0) {
        for (const auto* p : g.missing)
            samples.push_back({p, ratio < 1.0 ? missingValue(*p) : 0});
        if (words)
            steps += std::to_string(g.missingCount) + " pod(s) without a sample counted at " +
                     (ratio < 1.0 ? missingSteps + " (scale-down)" : std::string("0 (scale-up)")) +
                     "; ";
    }
    if (scaleUpWithUnready) {
        for (const auto* p : g.unready)
            samples.push_back({p, 0});
        if (words)
            steps += std::to_string(g.unreadyCount) + " unready pod(s) counted at 0 (scale-up); ";
    }
    const auto [newRatio, counted] = ratioOf(samples);
    const int current = state.currentReplicas;
    if (words)
        steps += "ratio again " + threeDigits(newRatio);
    if (tol.within(newRatio) || (ratio < 1.0 && newRatio > 1.0) ||
        (ratio > 1.0 && newRatio < 1.0)) {
        out.replicas = current;
        if (words)
            out.why += "; " + steps +
                       (tol.within(newRatio) ? ", within the tolerance " + band(tol)
                                             : ", which turns the direction around") +
                       ": keep " + std::to_string(current);
        return;
    }
    const int proposed = ceilReplicas(newRatio * static_cast<double>(counted));
    if ((newRatio < 1.0 && proposed > current) || (newRatio > 1.0 && proposed < current)) {
        out.replicas = current;
        if (words)
            out.why += "; " + steps + ": ceil(" + threeDigits(newRatio) + " x " +
                       std::to_string(counted) + ") = " + std::to_string(proposed) +
                       " would move against the ratio: keep " + std::to_string(current);
        return;
    }
    out.replicas = proposed;
    if (words)
        out.why += "; " + steps + ": ceil(" + threeDigits(newRatio) + " x " +
                   std::to_string(counted) + " pods) = " + std::to_string(proposed);
}

/// GetResourceReplicas: utilisation as a whole percent of the pods' requests.
MetricProposal resourceUtilization(MetricProposal out, const MetricSpec& m, const State& state,
                                   const Tolerances& tol, const ControllerSettings& settings,
                                   bool words) {
    if (podCount(state) == 0)
        return failed(std::move(out),
                      "no pods returned by selector while calculating replica count");
    const auto g = groupPods(
        state,
        [&](const PodGroup& p) -> const std::int64_t* {
            const auto it = p.usageMilli.find(m.name);
            return it == p.usageMilli.end() ? nullptr : &it->second;
        },
        m.name == "cpu", settings);
    if (g.samples.empty())
        return failed(std::move(out),
                      "did not receive metrics for targeted pods (pods might be unready)");
    for (const auto& p : state.pods)
        if (p.count > 0 && !p.requestsMilli.count(m.name))
            return failed(std::move(out), "missing request for " + m.name + " in pod " + p.name);
    if (m.averageUtilization <= 0)
        return failed(std::move(out), "the utilization target must be above 0%");
    const auto request = [&](const PodGroup& p) { return p.requestsMilli.at(m.name); };
    std::int64_t utilisation = 0;
    bool matched = true;
    const auto ratioOf = [&](const std::vector<Grouped::Sample>& samples) {
        std::int64_t used = 0, requested = 0, counted = 0;
        for (const auto& s : samples) {
            used += s.value * s.pod->count;
            requested += request(*s.pod) * s.pod->count;
            counted += s.pod->count;
        }
        if (requested == 0) {
            matched = false;
            return std::pair{0.0, counted};
        }
        utilisation = used * 100 / requested; // a whole percent, rounded down
        return std::pair{static_cast<double>(utilisation) / m.averageUtilization, counted};
    };
    out.usageRatio = ratioOf(g.samples).first;
    if (!matched)
        return failed(std::move(out), "no metrics returned matched known pods");
    if (words)
        out.current = std::to_string(utilisation) + "%";
    if (words)
        out.target = std::to_string(m.averageUtilization) + "%";
    if (words)
        out.why = m.name + " at " + out.current + " of request over " + std::to_string(g.ready) +
                  " ready pod(s) (integer percent), target " + out.target + ": ratio " +
                  threeDigits(out.usageRatio);
    if (decidedOnReadyPods(out, g, state, tol, words))
        return out;
    // Missing pods on a scale-down use all of their request, or the target where it is
    // above 100%.
    const std::int64_t fallbackPercent = std::max(100, m.averageUtilization);
    rebalance(
        out, g, state, tol, [&](const PodGroup& p) { return request(p) * fallbackPercent / 100; },
        std::to_string(fallbackPercent) + "% of their request", ratioOf, words);
    return out;
}

/// calcPlainMetricReplicas: the pods' average of a metric (a Pods metric, or a resource with
/// an AverageValue target) against a target per pod. Only CPU looks at readiness beyond
/// Pending; a Pods metric counts a running pod's sample even while it is not ready.
MetricProposal plainMetric(MetricProposal out, const MetricSpec& m, const State& state,
                           const Tolerances& tol, const ControllerSettings& settings, bool resource,
                           bool words) {
    if (podCount(state) == 0)
        return failed(std::move(out),
                      "no pods returned by selector while calculating replica count");
    const auto g = groupPods(
        state,
        [&](const PodGroup& p) -> const std::int64_t* {
            const auto& values = resource ? p.usageMilli : p.metricsMilli;
            const auto it = values.find(m.name);
            return it == values.end() ? nullptr : &it->second;
        },
        resource&& m.name == "cpu", settings);
    if (g.samples.empty())
        return failed(std::move(out),
                      "did not receive metrics for targeted pods (pods might be unready)");
    if (m.milli <= 0)
        return failed(std::move(out), "the averageValue target must be above 0");
    std::int64_t average = 0;
    const auto ratioOf = [&](const std::vector<Grouped::Sample>& samples) {
        std::int64_t total = 0, counted = 0;
        for (const auto& s : samples) {
            total += s.value * s.pod->count;
            counted += s.pod->count;
        }
        average = total / counted; // milli-units, rounded down
        return std::pair{static_cast<double>(average) / static_cast<double>(m.milli), counted};
    };
    out.usageRatio = ratioOf(g.samples).first;
    if (words)
        out.current = quantity(average);
    if (words)
        out.target = quantity(m.milli);
    if (words)
        out.why = m.name + " averages " + out.current + " over " + std::to_string(g.ready) +
                  " pod(s), target " + out.target + " per pod: ratio " +
                  threeDigits(out.usageRatio);
    if (decidedOnReadyPods(out, g, state, tol, words))
        return out;
    rebalance(
        out, g, state, tol, [&](const PodGroup&) { return m.milli; }, "the target", ratioOf, words);
    return out;
}

/// Pods that are running and ready (getReadyPodsCount; one being deleted still counts).
std::int64_t readyPods(const State& state) {
    std::int64_t n = 0;
    for (const auto& p : state.pods)
        if (p.phase == Phase::Running && p.ready)
            n += std::max(p.count, 0);
    return n;
}

/// Object and External metrics: one value (an Object's), or the sum of the matched series (an
/// External's), against a Value target (scaled by the ready pods) or an AverageValue target
/// (divided by it).
MetricProposal objectOrExternal(MetricProposal out, const MetricSpec& m, const State& state,
                                const Tolerances& tol, bool words) {
    const auto it = state.metricValues.find(m.name);
    if (it == state.metricValues.end() || it->second.empty())
        return failed(std::move(out),
                      "unable to get metric " + m.name + ": no values given for it");
    std::int64_t usage = 0;
    if (m.source == SourceType::Object) {
        if (it->second.size() != 1)
            return failed(std::move(out), "an Object metric has one value; " + m.name + " has " +
                                              std::to_string(it->second.size()));
        usage = it->second.front();
    } else {
        for (const auto v : it->second)
            usage = v > 0 && usage > INT64_MAX - v ? INT64_MAX : usage + v;
    }
    if (m.milli <= 0)
        return failed(std::move(out), "the target must be above 0");
    const int current = state.currentReplicas;
    if (words)
        out.target = quantity(m.milli);
    if (m.target == TargetType::Value) {
        out.usageRatio = static_cast<double>(usage) / static_cast<double>(m.milli);
        if (words)
            out.current = quantity(usage);
        if (words)
            out.why = m.name + " is " + out.current + ", target " + out.target + ": ratio " +
                      threeDigits(out.usageRatio);
        if (current == 0) { // scaling from zero: no pods to count
            out.replicas = ceilReplicas(out.usageRatio);
            if (words)
                out.why += ": from 0 replicas, ceil(" + threeDigits(out.usageRatio) +
                           ") = " + std::to_string(*out.replicas);
        } else if (tol.within(out.usageRatio)) {
            out.replicas = current;
            if (words)
                out.why +=
                    ", within the tolerance " + band(tol) + ": keep " + std::to_string(current);
        } else if (podCount(state) == 0) {
            return failed(std::move(out),
                          "unable to calculate ready pods: no pods returned by selector "
                          "while calculating replica count");
        } else {
            const auto ready = readyPods(state);
            out.replicas = ceilReplicas(out.usageRatio * static_cast<double>(ready));
            if (words)
                out.why += ": ceil(" + threeDigits(out.usageRatio) + " x " + std::to_string(ready) +
                           " ready pods) = " + std::to_string(*out.replicas);
        }
        return out;
    }
    const int status = state.statusReplicas.value_or(current);
    out.usageRatio =
        static_cast<double>(usage) / (static_cast<double>(m.milli) * static_cast<double>(status));
    if (words)
        out.current = status > 0 ? quantity(static_cast<std::int64_t>(
                                       std::ceil(static_cast<double>(usage) / status)))
                                 : quantity(usage);
    if (words)
        out.why = m.name + " totals " + quantity(usage) + " over " + std::to_string(status) +
                  " replica(s), target " + out.target + " each: ratio " +
                  threeDigits(out.usageRatio);
    if (tol.within(out.usageRatio)) {
        out.replicas = status;
        if (words)
            out.why += ", within the tolerance " + band(tol) + ": keep " + std::to_string(status);
    } else {
        out.replicas = ceilReplicas(static_cast<double>(usage) / static_cast<double>(m.milli));
        if (words)
            out.why += ": ceil(" + quantity(usage) + " / " + out.target +
                       ") = " + std::to_string(*out.replicas);
    }
    return out;
}

/// How kubectl names a metric (horizontal.go's metricNameProposal).
std::string describe(const MetricSpec& m) {
    switch (m.source) {
    case SourceType::Resource:
        return m.target == TargetType::Utilization
                   ? m.name + " resource utilization (percentage of request)"
                   : m.name + " resource";
    case SourceType::ContainerResource:
        return m.target == TargetType::Utilization
                   ? m.name + " container resource utilization (percentage of request)"
                   : m.name + " container resource";
    case SourceType::Pods:
        return "pods metric " + m.name;
    case SourceType::Object:
        return m.objectKind + " metric " + m.name;
    case SourceType::External:
        return "external metric " + m.name;
    }
    return m.name;
}

} // namespace

std::string quantity(std::int64_t milli) {
    if (milli % 1000 == 0)
        return std::to_string(milli / 1000);
    return std::to_string(milli) + "m";
}

std::string describeMetric(const MetricSpec& m) {
    return describe(m);
}

MetricProposal proposeReplicas(const MetricSpec& m, const State& state, const Tolerances& tol,
                               const ControllerSettings& settings, bool words) {
    MetricProposal out;
    if (words) // else the decision names only the metric that changes the count
        out.metric = describe(m);
    switch (m.source) {
    case SourceType::Resource:
    case SourceType::ContainerResource:
        if (m.target == TargetType::AverageValue)
            return plainMetric(std::move(out), m, state, tol, settings, true, words);
        if (m.target != TargetType::Utilization)
            return failed(std::move(out),
                          "a resource metric's target is Utilization or AverageValue");
        return resourceUtilization(std::move(out), m, state, tol, settings, words);
    case SourceType::Pods:
        if (m.target != TargetType::AverageValue)
            return failed(std::move(out), "a Pods metric's target is AverageValue");
        return plainMetric(std::move(out), m, state, tol, settings, false, words);
    case SourceType::Object:
    case SourceType::External:
        if (m.target == TargetType::Utilization)
            return failed(std::move(out),
                          "an Object or External metric's target is Value or AverageValue");
        return objectOrExternal(std::move(out), m, state, tol, words);
    }
    return failed(std::move(out), "unknown metric source");
}

} // namespace headroom::whatif::hpa
