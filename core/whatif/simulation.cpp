#include "whatif/simulation.h"

#include "analysis/analysis.h"
#include "common/helper_threads.h"
#include "whatif/autoscaler.h"
#include "whatif/run_tier.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <optional>
#include <thread>

namespace headroom::whatif {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// A tick's derived figures, the same expressions in the loop and in TierRun's accessors (so
// the CSV shows what the summary added up).
double utilisationOf(const TierTick& k, double capacityPerInstance) {
    const double capacity = k.ready * capacityPerInstance;
    return capacity > 0 ? k.servedRps / capacity : (k.offeredRps > 0 ? kInfinity : 0);
}
double cpuPercentOf(const TierTick& k, double cpuMsPerRequest, double coresMilli,
                    double requestMilli) {
    const double perPod = k.ready > 0 ? k.servedRps / k.ready : 0;
    return 100 * std::min(perPod * cpuMsPerRequest, coresMilli) / requestMilli;
}

Result<Tier> tierFor(const Project& project, const analysis::Analysis& analysis, std::size_t v,
                     const AutoscalingPolicy* policy, const SimulationOptions& options) {
    const auto& c = project.components[v];
    const auto& a = analysis.components[v];
    Tier t;
    t.index = v;
    t.policy = policy;
    t.unitRate = a.traffic.total() / analysis.options.loadMultiplier;
    const int drawn = std::max(1, a.station.instances);
    const double u = a.station.utilisation();
    if (!(t.unitRate > 0) || !(u > 0) || !std::isfinite(u))
        return Error{"\"" + c.id +
                         "\" carries no load in the drawing, so its capacity per "
                         "instance is unknown: give its callers some load",
                     "", ""};
    t.capacity = t.unitRate / drawn / u;
    const double service = (c.kind == ComponentKind::WorkerGroup ? c.number("message_cost_ms")
                                                                 : c.number("service_time_ms")) /
                           1000;
    const double holding = a.station.holdingSeconds > 0 ? a.station.holdingSeconds : service;
    // The drawn load's CPU stretch taken out: instanceLatency puts back the one at each rate.
    if (c.kind == ComponentKind::Service) {
        t.cores = std::max(c.number("cores"), 1e-6);
        t.cpuSeconds = std::clamp(c.number("cpu_ms_per_request") / 1000, 0.0, service);
        if (!std::isfinite(t.cpuSeconds))
            t.cpuSeconds = 0;
    }
    const double drawnStretch = cpuStretch(t.unitRate / drawn * t.cpuSeconds / t.cores, t.cores);
    t.baseHolding =
        std::isfinite(drawnStretch) ? holding - t.cpuSeconds * (drawnStretch - 1) : service;
    t.workers = std::max(1, static_cast<int>(c.number("concurrency")));
    const double scv = c.number("service_time_scv");
    t.serviceScv = std::isfinite(scv) && scv >= 0 ? scv : 1.0;
    t.cpuMsPerRequest = std::max(0.0, c.number("cpu_ms_per_request"));
    if (!std::isfinite(t.cpuMsPerRequest))
        t.cpuMsPerRequest = 0;
    t.coresMilli = std::max(1.0, c.number("cores") * 1000);
    t.requestMilli = std::max(1.0, c.number("cpu_request_millicores"));
    t.bootSeconds = std::max(0.0, c.number("boot_time_s"));
    t.pricePerHour = std::max(0.0, c.number("price_per_hour_usd"));
    if (!std::isfinite(t.pricePerHour))
        t.pricePerHour = 0;
    t.initialReplicas = drawn;
    t.latencyTable.resize(kLatencyTableSize);
    for (int j = 0; j < kLatencyTableSize; ++j)
        t.latencyTable[j] =
            instanceLatency(t, static_cast<double>(j) / kLatencyTableSize, options.percentile);
    // Where the steady state has no answer near 100% (the workers saturate as the CPU wait
    // stretches), a saturated tick reads the highest finite response.
    t.latencyCeiling = 0;
    for (const double l : t.latencyTable)
        if (std::isfinite(l))
            t.latencyCeiling = std::max(t.latencyCeiling, l);
    return t;
}

} // namespace

Result<Replay> Replay::prepare(const Project& project, const Scenario& scenario,
                               const SimulationOptions& options) {
    if (!(options.tickSeconds >= 1) || !(options.syncSeconds >= options.tickSeconds))
        return Error{"the tick must be 1 s or more, and the sync period at least one tick", "", ""};
    auto load = buildLoad(project, scenario, options.tickSeconds);
    if (!load)
        return load.error();
    Replay r;
    r.project_ = &project;
    r.options_ = options;
    r.analysis_ = std::make_shared<const analysis::Analysis>(analysis::analyze(project));
    // The drawn rate where the scenario's load applies turns its rates into multipliers of
    // the drawn load.
    double drawnRate = r.analysis_->entryRate;
    if (!load->component.empty()) {
        const auto* c = project.findComponent(load->component);
        if (!c)
            return Error{"scenario \"" + scenario.name + "\" names \"" + load->component +
                             "\", which is not in the project",
                         "", ""};
        drawnRate = r.analysis_->components[static_cast<std::size_t>(c - project.components.data())]
                        .traffic.total();
    }
    if (!(drawnRate > 0))
        return Error{"the drawing carries no load at " +
                         (load->component.empty() ? std::string("its entry")
                                                  : "\"" + load->component + "\"") +
                         ", so the scenario's rates cannot be spread over the tiers",
                     "", ""};
    r.drawnRate_ = drawnRate;
    r.load_ = std::make_shared<const LoadSeries>(std::move(load).value());
    r.deploys_ = scenario.deploys;
    return r;
}

Result<TierRun> Replay::run(std::size_t component, const AutoscalingPolicy* policy,
                            const TierOverrides& overrides) const {
    std::unique_ptr<Autoscaler> scaler;
    if (policy) {
        auto made = makeAutoscaler(*policy, options_, load_->startMs);
        if (!made)
            return made.error();
        scaler = std::move(made).value();
    }
    return runScaled(component, policy ? policy->name : "", scaler.get(), policy, overrides);
}

Result<std::vector<TierRun>>
Replay::runAll(const std::vector<std::pair<std::size_t, const AutoscalingPolicy*>>& jobs) const {
    // The runs are independent once the load is known: one thread each, up to the cores, on
    // the process's kept helper threads (a new thread costs 0.1-0.3 ms here). Taken one at a
    // time as threads come free: tiers differ in cost (a policy of several metrics, a
    // deploy), and a fixed split leaves a core idle at the end.
    std::vector<std::optional<Result<TierRun>>> runs(jobs.size());
    {
        const auto threads =
            std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, jobs.size());
        HelperThreads helpers(static_cast<unsigned>(threads - 1));
        std::atomic<std::size_t> next{0};
        const auto work = [&] {
            for (std::size_t j; (j = next.fetch_add(1)) < jobs.size();)
                runs[j].emplace(run(jobs[j].first, jobs[j].second));
        };
        helpers.alongside(work, work);
    }
    std::vector<TierRun> out;
    for (auto& r : runs) {
        if (!*r)
            return r->error();
        out.push_back(std::move(*r).value());
    }
    return out;
}

Result<TierRun> Replay::runWith(std::size_t component, const std::string& name,
                                const hpa::Spec* spec, const AutoscalingPolicy* policy,
                                const TierOverrides& overrides) const {
    const auto scaler = spec ? makeHpaAutoscaler(*spec, options_) : nullptr;
    return runScaled(component, name, scaler.get(), policy, overrides);
}

Result<TierRun> Replay::runScaled(std::size_t component, const std::string& name,
                                  Autoscaler* scaler, const AutoscalingPolicy* policy,
                                  const TierOverrides& overrides) const {
    const auto& c = project_->components.at(component);
    if (c.kind != ComponentKind::Service && c.kind != ComponentKind::WorkerGroup)
        return Error{"\"" + c.id +
                         "\" is not a service or worker group: only those scale by "
                         "replicas",
                     "", ""};
    auto tier = tierFor(*project_, *analysis_, component, policy, options_);
    if (!tier)
        return tier.error();
    if (overrides.cpuRequestMilli)
        tier->requestMilli = std::max(1.0, *overrides.cpuRequestMilli);
    auto out = runTier(*tier, *project_, load_, drawnRate_, deploys_, options_, scaler);
    out.policy = name.empty() ? "drawn replicas" : name;
    return out;
}

double TierRun::utilisation(const TierTick& tick) const {
    return utilisationOf(tick, capacityPerInstanceRps);
}

double TierRun::cpuPercent(const TierTick& tick) const {
    return cpuPercentOf(tick, cpuMsPerRequest, coresMilli, cpuRequestMilli);
}

double TierRun::cost(const TierTick& tick) const {
    return tickCost(tick, pricePerHour, tickSeconds);
}

ForecastAccuracy forecastAccuracy(const std::vector<ForecastHour>& forecast) {
    ForecastAccuracy out;
    for (const auto& f : forecast) {
        if (!(f.actualLoad > 0))
            continue; // not over yet (NaN), or nothing came to measure against
        const double error = (f.forecastLoad - f.actualLoad) / f.actualLoad * 100;
        out.meanAbsolutePercent += std::abs(error);
        out.biasPercent += error;
        ++out.hours;
    }
    if (out.hours > 0) {
        out.meanAbsolutePercent /= out.hours;
        out.biasPercent /= out.hours;
    }
    return out;
}

Result<Simulation> simulate(const Project& project, const Scenario& scenario,
                            const SimulationOptions& options) {
    auto replay = Replay::prepare(project, scenario, options);
    if (!replay)
        return replay.error();
    // Every tier with a policy, or the one asked for.
    std::vector<std::pair<std::size_t, const AutoscalingPolicy*>> jobs;
    for (std::size_t v = 0; v < project.components.size(); ++v) {
        const auto& c = project.components[v];
        if (!options.component.empty() && c.id != options.component)
            continue;
        const AutoscalingPolicy* policy = nullptr;
        for (const auto& p : project.policies)
            if (p.component == c.id && (options.policy.empty() || p.name == options.policy)) {
                policy = &p;
                break;
            }
        if (!policy && options.component.empty())
            continue;
        if (!policy && !options.policy.empty())
            return Error{"no policy \"" + options.policy + "\" for \"" + c.id + "\"", "", ""};
        jobs.push_back({v, policy});
    }
    if (jobs.empty())
        return Error{options.component.empty()
                         ? "no tier has an autoscaling policy to simulate"
                         : "no component \"" + options.component + "\" in the project",
                     "", ""};
    auto runs = replay->runAll(jobs);
    if (!runs)
        return runs.error();
    Simulation out;
    out.tiers = std::move(runs).value();
    out.load = replay->sharedLoad();
    return out;
}

} // namespace headroom::whatif
