#include "analysis/analysis.h"

#include "analysis/evaluator.h"
#include "common/helper_threads.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <optional>
#include <thread>

namespace headroom::analysis {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

} // namespace

std::optional<double> ComponentAnalysis::headroomToTarget(double multiplier) const {
    if (!targetMultiplier || multiplier <= 0)
        return std::nullopt;
    return *targetMultiplier / multiplier - 1;
}

std::optional<double> ComponentAnalysis::headroomToSaturation(double multiplier) const {
    if (!saturationMultiplier || multiplier <= 0)
        return std::nullopt;
    return *saturationMultiplier / multiplier - 1;
}

namespace {

/// The project the engines read: the drawing, or with metrics on, the drawing with the
/// measured values calibration trusts put in (given, or computed into `holder`).
const Project& subject(const Project& drawn, const AnalysisOptions& options,
                       const CalibrationResult* given, CalibrationResult& holder,
                       std::vector<ComponentCalibration>& figures) {
    if (!options.useMetrics || drawn.series.empty())
        return drawn;
    if (!given) {
        holder = calibrateFromMetrics(drawn);
        given = &holder;
    }
    figures = given->components;
    return given->calibrated;
}

/// What every engine entry point starts from: the project it reads (subject above), its graph,
/// and its traffic per unit of load. Holds the calibration it may have made, so it stays put.
struct Prepared {
    CalibrationResult holder;
    std::vector<ComponentCalibration> figures;
    const Project& project;
    Topology topology;
    TrafficResult unit;

    Prepared(const Project& drawn, const AnalysisOptions& options,
             const CalibrationResult* calibrated)
        : project(subject(drawn, options, calibrated, holder, figures)),
          topology(buildTopology(project)), unit(propagateTraffic(project, topology, 1.0)) {}
    Prepared(const Prepared&) = delete;
    Prepared& operator=(const Prepared&) = delete;
};

} // namespace

CalibrationResult calibrateFromMetrics(const Project& drawn) {
    const auto topology = buildTopology(drawn);
    const auto unit = propagateTraffic(drawn, topology, 1.0);
    std::vector<double> rates;
    for (const auto& c : unit.components)
        rates.push_back(c.total());
    return calibrate(drawn, rates);
}

Analysis analyze(const Project& drawn, const AnalysisOptions& options,
                 const CalibrationResult* calibrated) {
    // The stations' parameters (read by name), from the drawing unless calibration replaces
    // values in a copy of it: a few at a time, by a helper while this thread builds the graph
    // and the traffic, then by both (the helper may still be waking up; waiting for it to read
    // them all had cost up to 0.35 ms).
    const bool fromDrawing = !options.useMetrics || drawn.series.empty();
    const std::size_t count = fromDrawing ? drawn.components.size() : 0;
    std::vector<StationParameters> parameters(count);
    std::atomic<std::size_t> nextParameter{0}, parametersRead{0};
    const auto readParameters = [&] {
        constexpr std::size_t kChunk = 64;
        for (std::size_t from; (from = nextParameter.fetch_add(kChunk)) < count;) {
            const std::size_t to = std::min(count, from + kChunk);
            for (std::size_t v = from; v < to; ++v)
                parameters[v] = stationParameters(drawn.components[v]);
            parametersRead.fetch_add(to - from, std::memory_order_acq_rel);
        }
    };
    // Large projects run on every core. The other threads start now, so that they are running
    // by the time there is work for them (common/helper_threads.h); what one of them does
    // meanwhile, this thread does when there is none. (Declared after what their jobs use:
    // should this thread throw, they finish before that goes.)
    const unsigned threads = drawn.components.size() < 64 ? 1U
                             : options.threads > 0
                                 ? options.threads
                                 : std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
    HelperThreads helpers(threads - 1);
    helpers.start(readParameters);
    std::optional<Prepared> prepared;
    prepared.emplace(drawn, options, calibrated);
    readParameters();
    while (parametersRead.load(std::memory_order_acquire) != count) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
    const auto once = [](std::atomic<bool>& taken, auto&& work) {
        if (!taken.exchange(true, std::memory_order_acq_rel))
            work();
    };
    const Project& project = prepared->project;
    const auto& topology = prepared->topology;
    const auto& unit = prepared->unit;
    Analysis out;
    out.options = options;
    const double k0 = options.loadMultiplier;
    out.entryRate = unit.entryRate * k0;
    out.cycles = unit.cycles;
    out.notes = unit.notes;
    out.links = unit.links;
    for (auto& link : out.links)
        link.rate *= k0;

    out.calibration = std::move(prepared->figures);
    Evaluator evaluator(project, topology, unit, out.options, std::move(parameters));
    const std::size_t n = project.components.size();
    out.components.resize(n);
    std::atomic<bool> filled{false};
    const auto fill = [&] {
        for (std::size_t v = 0; v < n; ++v) {
            auto& a = out.components[v];
            a.id = project.components[v].id;
            const auto& t = unit.components[v];
            a.traffic = {t.reads * k0, t.writes * k0, t.calls * k0, t.staticRate * k0};
            a.visits = unit.entryRate > 0 ? t.total() / unit.entryRate : 0;
        }
    };
    // Every component at the analysed load, utilisations and means only (callees first, each
    // once): what the percentiles below and every search start from.
    std::vector<StationPoint> baseline(n);
    helpers.alongside([&] { once(filled, fill); },
                      [&] {
                          for (std::size_t v = 0; v < n; ++v)
                              baseline[v] = evaluator.point(v, k0);
                      });
    once(filled, fill);
    evaluator.baseline_ = &baseline;
    // Then per component, independent of each other, so large projects spread them over the
    // cores (each thread with an evaluator and memo of its own): the figures shown (percentiles
    // are the costly part of a station), and the searches over the load.
    const auto search = [&](Evaluator& evaluator, std::size_t v) {
        auto& a = out.components[v];
        a.station = evaluator.shown(v);
        a.targetMultiplier = evaluator.solve(v, options.utilisationTarget);
        a.saturationMultiplier = evaluator.solve(v, 1.0);
        if (a.saturationMultiplier && *a.saturationMultiplier > 0)
            a.saturatingResource = evaluator.bindingAt(v, *a.saturationMultiplier * (1 - 1e-6));
        if (scalingProperty(project.components[v].kind) && unit.components[v].total() > 0)
            a.replicasNeeded = evaluator.replicasNeeded(v, a.saturationMultiplier);
    };
    {
        // Components are handed out a few at a time to whichever thread is free: their costs
        // differ a hundredfold (a pool over dozens of callees against a cache), and a fixed
        // split (every other component) left one core with twice the work of the other.
        constexpr std::size_t kBatch = 4;
        std::atomic<std::size_t> next{0};
        const auto searchAll = [&](Evaluator& own) {
            for (std::size_t from; (from = next.fetch_add(kBatch)) < n;)
                for (std::size_t v = from; v < std::min(n, from + kBatch); ++v)
                    search(own, v);
        };
        // A special function refusing an extreme input throws; out of a worker thread that
        // would end the process, so it is carried over and rethrown here, to the caller.
        std::vector<std::exception_ptr> failed(threads);
        std::atomic<unsigned> helperIndex{1};
        helpers.alongside(
            [&] {
                const unsigned t = helperIndex.fetch_add(1);
                try {
                    // Each thread makes its own evaluator, sharing the first one's fixed data
                    // (the stations' parameters, read by name once), with memos of its own.
                    auto own = evaluator.sibling();
                    searchAll(own);
                } catch (...) {
                    failed[t] = std::current_exception();
                    next = n; // the others stop too: the analysis fails as a whole
                }
            },
            [&] {
                try {
                    searchAll(evaluator);
                } catch (...) {
                    failed[0] = std::current_exception();
                    next = n;
                }
            });
        for (const auto& e : failed)
            if (e)
                std::rethrow_exception(e);
    }

    for (std::size_t v = 0; v < n; ++v)
        if (out.components[v].saturationMultiplier)
            out.saturationOrder.push_back(v);
    std::stable_sort(out.saturationOrder.begin(), out.saturationOrder.end(),
                     [&](std::size_t a, std::size_t b) {
                         return *out.components[a].saturationMultiplier <
                                *out.components[b].saturationMultiplier;
                     });
    // A pool that saturates just before a callee does is pushed over by it: the callee's
    // response time explodes near its own saturation and holds the pool's workers (layered
    // queueing). Within 5% the pool would not outlast the callee by more than the noise of the
    // inputs, and the callee is the one to give capacity to.
    // Each component's walk writes only its own pushedBy: they are shared between the threads.
    std::atomic<std::size_t> nextWalk{0};
    const auto walks = [&] {
        std::vector<std::size_t> seen(n, n); // seen[u] == v: u reached from v already
        std::vector<std::size_t> stack;
        constexpr std::size_t kWalks = 16;
        for (std::size_t from; (from = nextWalk.fetch_add(kWalks)) < n;)
            for (std::size_t v = from; v < std::min(n, from + kWalks); ++v) {
                auto& a = out.components[v];
                const auto kind = project.components[v].kind;
                if (!a.saturationMultiplier ||
                    (kind != ComponentKind::Service && kind != ComponentKind::WorkerGroup))
                    continue;
                stack.assign(1, v);
                while (!stack.empty()) {
                    const auto at = stack.back();
                    stack.pop_back();
                    evaluator.forEachCallee(at, [&](std::size_t to) {
                        if (seen[to] == v)
                            return;
                        seen[to] = v;
                        stack.push_back(to);
                        const auto& callee = out.components[to];
                        if (callee.saturationMultiplier &&
                            *callee.saturationMultiplier <= *a.saturationMultiplier * 1.05 &&
                            (!a.pushedBy || *callee.saturationMultiplier <
                                                *out.components[*a.pushedBy].saturationMultiplier))
                            a.pushedBy = to;
                    });
                }
            }
    };
    helpers.alongside(walks, walks);
    if (!out.saturationOrder.empty()) {
        auto first = out.saturationOrder.front();
        for (int i = 0; i < static_cast<int>(n) && out.components[first].pushedBy; ++i)
            first = *out.components[first].pushedBy;
        out.bottleneck = first;
    }

    // End to end: each client's response, and the path of the largest contributions.
    for (std::size_t v = 0; v < n; ++v) {
        if (project.components[v].kind != ComponentKind::Client)
            continue;
        EntryLatency entry{project.components[v].id, out.components[v].station.meanResponse, {}};
        std::size_t at = v;
        std::vector<bool> seen(n, false);
        while (!seen[at]) {
            seen[at] = true;
            entry.criticalPath.push_back(project.components[at].id);
            std::optional<std::size_t> next;
            double most = -1;
            for (const auto l : topology.outLinks[at]) {
                if (!evaluator.synchronous(l) || unit.links[l].perCallerRequest <= 0)
                    continue;
                const auto to = *topology.to[l];
                const double time = unit.links[l].perCallerRequest *
                                    out.components[to].station.meanResponse.value_or(kInfinity);
                if (time > most) {
                    most = time;
                    next = to;
                }
            }
            if (!next)
                break;
            at = *next;
        }
        out.entries.push_back(std::move(entry));
    }
    return out;
}

std::vector<CurvePoint> loadCurve(const Project& drawn, std::size_t component,
                                  std::span<const double> multipliers,
                                  const AnalysisOptions& options,
                                  const CalibrationResult* calibrated) {
    std::vector<CurvePoint> out;
    if (component >= drawn.components.size())
        return out;
    Prepared prepared(drawn, options, calibrated);
    const Project& project = prepared.project;
    const auto& topology = prepared.topology;
    const auto& unit = prepared.unit;
    Evaluator evaluator(project, topology, unit, options);
    evaluator.alwaysDetailed_ = true;
    for (const double k : multipliers) {
        const auto f = evaluator.at(component, k);
        out.push_back({k, f.utilisation(), f.meanResponse, f.percentileResponse});
    }
    return out;
}

std::vector<std::optional<double>> meanResponses(const Project& drawn, double multiplier,
                                                 const AnalysisOptions& options,
                                                 const CalibrationResult* calibrated) {
    Prepared prepared(drawn, options, calibrated);
    const Project& project = prepared.project;
    const auto& topology = prepared.topology;
    const auto& unit = prepared.unit;
    Evaluator evaluator(project, topology, unit, options);
    std::vector<std::optional<double>> out;
    out.reserve(project.components.size());
    for (std::size_t v = 0; v < project.components.size(); ++v)
        out.push_back(evaluator.at(v, multiplier).meanResponse);
    return out;
}

} // namespace headroom::analysis
