#include "whatif/sweep.h"

#include "whatif/hpa_state.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <thread>

namespace headroom::whatif {
namespace {

std::string usd(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f USD", v);
    return text;
}

std::string minutes(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f min", v);
    return text;
}

std::string describe(const SweepPoint& p) {
    std::string out = std::string(toKey(p.metric)) + " " + std::to_string(p.targetPercent) +
                      "%, min " + std::to_string(p.minReplicas) + ", max " +
                      std::to_string(p.maxReplicas);
    if (p.scaleDownWindowSeconds)
        out += ", scale-down window " + std::to_string(*p.scaleDownWindowSeconds) + " s";
    char request[48];
    std::snprintf(request, sizeof request, ", CPU request %.0fm", p.cpuRequestMillicores);
    return out + request;
}

/// The HPA a grid point runs: the base policy with its metric, target, bounds and window
/// replaced.
hpa::Spec specFor(const hpa::Spec& base, const SweepPoint& p, double capacityRps,
                  double objectiveSeconds) {
    hpa::Spec spec = base;
    spec.minReplicas = p.minReplicas;
    spec.maxReplicas = p.maxReplicas;
    hpa::MetricSpec m;
    switch (p.metric) {
    case ScalingMetric::Cpu:
        m.name = "cpu";
        m.averageUtilization = p.targetPercent;
        break;
    case ScalingMetric::Requests:
        m.source = hpa::SourceType::Pods;
        m.name = "requests_per_second";
        m.target = hpa::TargetType::AverageValue;
        m.milli =
            std::max<std::int64_t>(1, std::llround(p.targetPercent / 100.0 * capacityRps * 1000));
        break;
    case ScalingMetric::Backlog:
        m.source = hpa::SourceType::External;
        m.name = "backlog";
        m.target = hpa::TargetType::AverageValue;
        m.milli = std::max<std::int64_t>(
            1, std::llround(p.targetPercent / 100.0 * capacityRps * 30 * 1000));
        break;
    case ScalingMetric::Latency:
        // The tier's percentile response as one figure for the Service (what a Prometheus
        // adapter serves from a histogram): Value, not per pod, since adding pods lowers it.
        m.source = hpa::SourceType::Object;
        m.name = "latency_seconds";
        m.objectKind = "Service";
        m.target = hpa::TargetType::Value;
        m.milli = std::max<std::int64_t>(
            1, std::llround(p.targetPercent / 100.0 * objectiveSeconds * 1000));
        break;
    }
    spec.metrics = {m};
    if (p.scaleDownWindowSeconds) {
        auto behavior = spec.behavior.value_or(hpa::Behavior{});
        auto down = behavior.scaleDown.value_or(hpa::ScalingRules{});
        down.stabilizationWindowSeconds = *p.scaleDownWindowSeconds;
        behavior.scaleDown = down;
        spec.behavior = behavior;
    }
    return spec;
}

/// Points no other beats on both cost and minutes over the objective, cheapest first.
std::vector<std::size_t> paretoFront(const std::vector<SweepPoint>& points) {
    std::vector<std::size_t> order(points.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto &x = points[a].summary, &y = points[b].summary;
        return x.cost != y.cost ? x.cost < y.cost : x.minutesOverObjective < y.minutesOverObjective;
    });
    std::vector<std::size_t> front;
    double best = std::numeric_limits<double>::infinity();
    for (const auto i : order)
        if (points[i].summary.minutesOverObjective < best) {
            front.push_back(i);
            best = points[i].summary.minutesOverObjective;
        }
    return front;
}

std::string reasonFor(const Sweep& s, double objectiveSeconds, const SweepOptions& options) {
    const auto objective = "the objective (" + minutes(options.allowedMinutesOver) +
                           " over the latency objective allowed, nothing dropped)";
    if (!s.recommended) {
        const SweepPoint* least = nullptr;
        for (const auto& p : s.points)
            if (!least || p.summary.minutesOverObjective < least->summary.minutesOverObjective)
                least = &p;
        return "No policy in the grid meets " + objective + "." +
               (least ? " The closest, " + least->name + ", is over for " +
                            minutes(least->summary.minutesOverObjective) +
                            ": raise max replicas, lower the target or add capacity per "
                            "instance."
                      : std::string());
    }
    const auto& r = s.points[*s.recommended];
    std::string out =
        "Recommended: " + r.name + ". On this scenario it is over the " +
        (objectiveSeconds >= 10
             ? std::to_string(static_cast<long long>(std::llround(objectiveSeconds))) + " s"
             : std::to_string(static_cast<long long>(std::llround(objectiveSeconds * 1000))) +
                   " ms") +
        " objective for " + minutes(r.summary.minutesOverObjective) + ", uses " +
        std::to_string(static_cast<long long>(std::llround(r.summary.instanceHours))) +
        " instance-hours and costs " + usd(r.summary.cost) + ", the least of the " +
        std::to_string(s.points.size()) + " policies tried that meet " + objective + ".";
    if (s.base.cost > 0) {
        const double saving = 1 - r.summary.cost / s.base.cost;
        const bool baseMisses = s.base.minutesOverObjective > options.allowedMinutesOver + 1e-9 ||
                                s.base.droppedRequests > 0;
        out += " The current policy (" + s.basePolicy + ") costs " + usd(s.base.cost) +
               " and is over for " + minutes(s.base.minutesOverObjective) +
               (baseMisses ? ", missing the objective" : "") + "; the recommendation costs " +
               std::to_string(std::lround(std::abs(saving) * 100)) +
               (saving >= 0 ? "% less." : "% more.");
    }
    // The next cheaper policy, and why it is not the one.
    const SweepPoint* cheaper = nullptr;
    for (const auto& p : s.points)
        if (p.summary.cost < r.summary.cost && (!cheaper || p.summary.cost > cheaper->summary.cost))
            cheaper = &p;
    if (cheaper)
        out += " The next cheaper, " + cheaper->name + " (" + usd(cheaper->summary.cost) +
               "), is over for " + minutes(cheaper->summary.minutesOverObjective) +
               (cheaper->summary.droppedRequests > 0 ? " and drops requests" : "") + ".";
    return out;
}

} // namespace

const char* toKey(ScalingMetric metric) {
    switch (metric) {
    case ScalingMetric::Cpu:
        return "cpu";
    case ScalingMetric::Requests:
        return "requests";
    case ScalingMetric::Backlog:
        return "backlog";
    case ScalingMetric::Latency:
        return "latency";
    }
    return "";
}

std::optional<ScalingMetric> scalingMetricFromKey(std::string_view key) {
    for (const auto m : {ScalingMetric::Cpu, ScalingMetric::Requests, ScalingMetric::Backlog,
                         ScalingMetric::Latency})
        if (key == toKey(m))
            return m;
    return std::nullopt;
}

std::size_t SweepGrid::size() const {
    const auto n = [](std::size_t k) { return std::max<std::size_t>(k, 1); };
    return metrics.size() * targetPercent.size() * n(minReplicas.size()) * n(maxReplicas.size()) *
           n(scaleDownWindowSeconds.size()) * n(cpuRequestMillicores.size());
}

Result<Sweep> sweep(const Project& project, const Scenario& scenario, const std::string& component,
                    const SweepGrid& grid, const SimulationOptions& simulation,
                    const SweepOptions& options) {
    const auto* c = project.findComponent(component);
    if (!c)
        return Error{"no component \"" + component + "\" in the project", "", ""};
    const auto index = static_cast<std::size_t>(c - project.components.data());
    if (grid.metrics.empty() || grid.targetPercent.empty())
        return Error{"the grid needs at least one metric and one target", "", ""};
    for (const int t : grid.targetPercent)
        if (t < 1 || t > 1000)
            return Error{"a target percent lies between 1 and 1000, got " + std::to_string(t), "",
                         ""};
    auto sim = simulation;
    sim.keepTicks = false;
    sim.explainEvents = false; // the points keep their summaries only
    auto replay = Replay::prepare(project, scenario, sim);
    if (!replay)
        return replay.error();

    // The base: the tier's first HPA policy, or one from the component's own bounds.
    Sweep out;
    out.component = component;
    const AutoscalingPolicy* current = nullptr;
    hpa::Spec base;
    base.minReplicas = std::max(1, static_cast<int>(c->number("min_replicas")));
    base.maxReplicas = std::max(base.minReplicas, static_cast<int>(c->number("max_replicas")));
    for (const auto& p : project.policies)
        if (p.component == component && !current)
            current = &p;
    for (const auto& p : project.policies)
        if (p.component == component && p.kind == PolicyKind::KubernetesHpa) {
            auto spec = hpa::parseHpaSpec(p.definition);
            if (!spec)
                return Error{"policy \"" + p.name + "\": " + spec.error().message, "",
                             "/definition" + spec.error().location};
            base = std::move(spec).value();
            current = &p;
            break;
        }
    auto baseRun = replay->run(index, current);
    if (!baseRun)
        return baseRun.error();
    out.basePolicy = baseRun->policy;
    out.base = baseRun->summary;
    const double capacity = baseRun->capacityPerInstanceRps;
    const double objective = simulation.objectiveFor(c->kind);
    const double request = c->number("cpu_request_millicores");

    const auto orBase = [](const std::vector<int>& v, int fallback) {
        return v.empty() ? std::vector<int>{fallback} : v;
    };
    const auto mins = orBase(grid.minReplicas, base.minReplicas);
    const auto maxs = orBase(grid.maxReplicas, base.maxReplicas);
    std::vector<std::optional<int>> windows;
    for (const int w : grid.scaleDownWindowSeconds)
        windows.push_back(w);
    if (windows.empty())
        windows.push_back(std::nullopt);
    const auto requests = grid.cpuRequestMillicores.empty() ? std::vector<double>{request}
                                                            : grid.cpuRequestMillicores;
    for (const auto metric : grid.metrics)
        for (const int target : grid.targetPercent)
            for (const int lo : mins)
                for (const int hi : maxs)
                    for (const auto& window : windows)
                        for (const double cpu : requests) {
                            if (hi < lo || lo < 0 || hi < 1)
                                continue;
                            SweepPoint p;
                            p.metric = metric;
                            p.targetPercent = target;
                            p.minReplicas = lo;
                            p.maxReplicas = hi;
                            p.scaleDownWindowSeconds = window;
                            p.cpuRequestMillicores = cpu;
                            p.spec = specFor(base, p, capacity, objective);
                            p.name = describe(p);
                            out.points.push_back(std::move(p));
                        }
    if (out.points.empty())
        return Error{"the grid has no valid point (every max is below its min)", "", ""};

    // The points on all cores; each thread takes the next point left.
    std::atomic<std::size_t> next{0}, done{0};
    std::atomic<bool> cancelled{false};
    std::vector<std::optional<Error>> failures(out.points.size());
    {
        const auto threads =
            std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, out.points.size());
        std::vector<std::jthread> workers;
        for (std::size_t w = 0; w < threads; ++w)
            workers.emplace_back([&] {
                for (std::size_t i = next++; i < out.points.size() && !cancelled; i = next++) {
                    auto& p = out.points[i];
                    TierOverrides overrides;
                    overrides.cpuRequestMilli = p.cpuRequestMillicores;
                    auto run = replay->runWith(index, p.name, &p.spec, nullptr, overrides);
                    if (run)
                        p.summary = run->summary;
                    else
                        failures[i] = run.error();
                    const auto finished = ++done;
                    if (options.progress && !options.progress(finished, out.points.size()))
                        cancelled = true;
                }
            });
    }
    for (const auto& f : failures)
        if (f)
            return *f;
    out.cancelled = cancelled;
    if (out.cancelled) {
        out.reason = "Cancelled after " + std::to_string(done.load()) + " of " +
                     std::to_string(out.points.size()) + " policies.";
        return out;
    }
    for (auto& p : out.points)
        p.meetsObjective = p.summary.minutesOverObjective <= options.allowedMinutesOver + 1e-9 &&
                           p.summary.droppedRequests <= 0;
    out.pareto = paretoFront(out.points);
    for (std::size_t i = 0; i < out.points.size(); ++i) {
        const auto& p = out.points[i];
        if (!p.meetsObjective)
            continue;
        if (!out.recommended)
            out.recommended = i;
        const auto& best = out.points[*out.recommended].summary;
        const int changes = p.summary.scaleUps + p.summary.scaleDowns;
        if (p.summary.cost < best.cost - 1e-9 || (std::abs(p.summary.cost - best.cost) <= 1e-9 &&
                                                  changes < best.scaleUps + best.scaleDowns))
            out.recommended = i;
    }
    out.reason = reasonFor(out, objective, options);
    return out;
}

} // namespace headroom::whatif
