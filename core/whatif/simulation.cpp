#include "whatif/simulation.h"

#include "analysis/analysis.h"
#include "whatif/autoscaler.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
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
double costOf(const TierTick& k, double pricePerHour, double dt) {
    return (k.ready + k.booting + k.draining) * pricePerHour * dt / 3600;
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

/// Whether one of the last few events already says the count was held at `from` for the same
/// reason within ten minutes: noise moving the wanted count back and forth would otherwise
/// repeat it at every other sync.
bool heldRecently(const std::vector<ScalingEvent>& events, int from, std::string_view condition,
                  double t) {
    for (std::size_t k = 0; k < 4 && k < events.size(); ++k) {
        const auto& e = events[events.size() - 1 - k];
        if (e.from != e.to || t - e.atSeconds > 600)
            return false;
        if (e.from == from && e.condition == condition)
            return true;
    }
    return false;
}

/// Tier `tier` over the load `loadSeries` (requests a second where the scenario applies, one a
/// tick), which is `drawnRate` in the drawing: each tick's rate at the tier is the load /
/// drawnRate times the tier's rate in the drawing.
TierRun runTier(const Tier& tier, const Project& project,
                const std::shared_ptr<const LoadSeries>& loadSeries, double drawnRate,
                const std::vector<RollingDeploy>& scenarioDeploys, const SimulationOptions& options,
                Autoscaler* scaler) {
    TierRun out;
    out.component = project.components[tier.index].id;
    out.capacityPerInstanceRps = tier.capacity;
    out.cpuMsPerRequest = tier.cpuMsPerRequest;
    out.coresMilli = tier.coresMilli;
    out.cpuRequestMilli = tier.requestMilli;
    out.pricePerHour = tier.pricePerHour;
    out.tickSeconds = options.tickSeconds;
    const double dt = options.tickSeconds;
    int replicas = tier.initialReplicas;
    if (scaler) {
        replicas = scaler->initialReplicas(replicas);
    } else if (tier.policy && tier.policy->kind == PolicyKind::Fixed) {
        const auto j = nlohmann::json::parse(tier.policy->definition, nullptr, false);
        if (j.is_object() && j.contains("replicas") && j["replicas"].is_number_integer())
            replicas = std::max(0, j["replicas"].get<int>());
    }
    Fleet fleet(replicas, tier.bootSeconds);
    // The scenario's deploys of this tier, in time order.
    std::vector<const RollingDeploy*> deploys;
    for (const auto& d : scenarioDeploys)
        if (d.component.empty() || d.component == out.component)
            deploys.push_back(&d);
    std::stable_sort(deploys.begin(), deploys.end(),
                     [](const auto* a, const auto* b) { return a->atHours < b->atHours; });
    std::size_t nextDeploy = 0;
    // Past this, instances are alike to every autoscaler: the CPU initialisation period, the
    // metric delay, an EC2 warm-up.
    const double settledAfter =
        std::max({options.controller.cpuInitializationSeconds, options.metricDelaySeconds,
                  scaler ? scaler->settledAfterSeconds() : 0.0}) +
        options.syncSeconds;
    const TickRules rules{dt, options.queueLimitSeconds,
                          project.components[tier.index].kind == ComponentKind::WorkerGroup,
                          options.percentile};
    const double objective = options.objectiveFor(project.components[tier.index].kind);
    double backlog = 0, lastChangeAt = -kInfinity;
    int lastDirection = 0;
    std::string lastHeld;
    const auto explain = [&] {
        return options.explainEvents ? scaler->explainLast() : std::string();
    };
    if (options.keepTicks) {
        auto kept = std::make_shared<Tier>(tier);
        kept->policy = nullptr; // the series outlives the project's policies
        out.ticks = TickSeries(loadSeries, drawnRate, std::move(kept), rules);
    }
    const auto startDeploys = [&](double t) __attribute__((noinline, cold)) {
        while (nextDeploy < deploys.size() && deploys[nextDeploy]->atHours * 3600 <= t + 1e-9) {
            const auto& d = *deploys[nextDeploy++];
            const int before = fleet.desired();
            // A deploy during a rollout supersedes it: the first ends here, unfinished pods
            // and all replaced by the new template.
            if (fleet.rolling() && !out.rollouts.empty())
                out.rollouts.back().endSeconds = t;
            const auto [surge, unavailable] =
                fleet.startRollout(t, d.maxSurge, d.maxUnavailable, options.drainSeconds);
            out.rollouts.push_back({t, std::numeric_limits<double>::quiet_NaN(), before, surge,
                                    unavailable, fleet.readyAt(t), 0});
            out.events.push_back({t, before, before, before, "RolloutStarted",
                                  "rolling update of " + std::to_string(before) +
                                      " pods: at most " + std::to_string(surge) +
                                      " above the count (maxSurge " + d.maxSurge + ") and " +
                                      std::to_string(unavailable) + " below it (maxUnavailable " +
                                      d.maxUnavailable + "); new pods serve after " +
                                      std::to_string(static_cast<int>(tier.bootSeconds)) + " s",
                                  true});
        }
    };
    const auto reconcileRollout = [&](double t) __attribute__((noinline, cold)) {
        if (!fleet.reconcile(t, options.drainSeconds))
            return;
        auto& r = out.rollouts.back();
        r.endSeconds = t;
        out.events.push_back({t, fleet.desired(), fleet.desired(), fleet.desired(),
                              "RolloutComplete",
                              "rolling update done in " +
                                  std::to_string(static_cast<long long>(t - r.startSeconds)) +
                                  " s; the ready pods fell to " + std::to_string(r.lowestReady) +
                                  " of " + std::to_string(r.desired),
                              true});
    };
    // The summary adds up in a local: in `out`, which the autoscaler's call may reach, it went
    // to memory and back every tick.
    TierSummary s;
    // Read once: through references, the compiler reads them again after every call.
    const double unitRate = tier.unitRate;
    const double pricePerHour = tier.pricePerHour;
    const bool keepTicks = options.keepTicks;
    const double* load = loadSeries->rps.data();
    const std::size_t ticks = loadSeries->rps.size();
    for (std::size_t i = 0; i < ticks; ++i) {
        const double t = static_cast<double>(i) * dt;
        // A deploy due: a rolling update of every pod, then one controller step a tick.
        // (Out of line: rare, and its words kept the loop's figures from the registers.)
        if (nextDeploy < deploys.size() && deploys[nextDeploy]->atHours * 3600 <= t + 1e-9)
            startDeploys(t);
        if (fleet.rolling())
            reconcileRollout(t);
        const double backlogBefore = backlog;
        const TierTick tick = serveTick(tier, rules, load[i] / drawnRate * unitRate,
                                        fleet.desired(), fleet.countsAt(t), backlog);
        const double cost = costOf(tick, pricePerHour, dt);
        if (keepTicks)
            out.ticks.add(tick, backlogBefore);

        if (tick.latencySeconds > objective || tick.dropped > 0)
            s.minutesOverObjective += dt / 60;
        if (std::isfinite(tick.latencySeconds))
            s.peakLatencySeconds = std::max(s.peakLatencySeconds, tick.latencySeconds);
        else
            s.peakLatencySeconds = kInfinity;
        s.droppedRequests += tick.dropped;
        s.instanceHours += (tick.ready + tick.booting + tick.draining) * dt / 3600;
        if (fleet.rolling() || (!out.rollouts.empty() && out.rollouts.back().endSeconds == t)) {
            auto& r = out.rollouts.back();
            r.lowestReady = std::min(r.lowestReady, tick.ready);
            if (tick.latencySeconds > objective || tick.dropped > 0)
                r.minutesOverObjective += dt / 60;
        }
        s.cost += cost;
        s.peakReplicas = std::max(s.peakReplicas, tick.desired);

        if (!scaler)
            continue;
        fleet.settle(t, settledAfter);
        const auto d = scaler->onTick(tick, fleet, t, tier);
        if (!d)
            continue;
        const int from = tick.desired;
        if (d->desired != from) {
            const int direction = d->desired > from ? 1 : -1;
            (direction > 0 ? s.scaleUps : s.scaleDowns) += 1;
            if (lastDirection == -direction && t - lastChangeAt <= 600)
                ++s.flaps;
            lastDirection = direction;
            lastChangeAt = t;
            fleet.scaleTo(d->desired, t, options.drainSeconds);
            out.events.push_back({t, from, d->desired, d->wanted.value_or(from),
                                  std::string(d->condition), explain()});
            lastHeld.clear();
        } else if (d->wanted && *d->wanted != from) {
            // Held back: recorded when the reason changes, not at every sync it lasts (nor
            // each time noise moves the count the metrics want).
            if (d->condition != lastHeld && !heldRecently(out.events, from, d->condition, t))
                out.events.push_back(
                    {t, from, from, *d->wanted, std::string(d->condition), explain()});
            lastHeld = d->condition;
        } else {
            lastHeld.clear();
        }
    }
    out.summary = s;
    if (scaler)
        scaler->finish(out);
    return out;
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
    // The runs are independent once the load is known: one thread each, up to the cores.
    std::vector<std::optional<Result<TierRun>>> runs(jobs.size());
    {
        const auto threads =
            std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, jobs.size());
        // Taken one at a time as threads come free: tiers differ in cost (a policy of several
        // metrics, a deploy), and a fixed split leaves a core idle at the end.
        std::atomic<std::size_t> next{0};
        std::vector<std::jthread> workers;
        for (std::size_t w = 0; w < threads; ++w)
            workers.emplace_back([&] {
                for (std::size_t j; (j = next.fetch_add(1)) < jobs.size();)
                    runs[j].emplace(run(jobs[j].first, jobs[j].second));
            });
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
    return costOf(tick, pricePerHour, tickSeconds);
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
