// What-if engine speed (issue 7 targets: 30 days at 15 s ticks for a 10-tier topology under
// 20 ms; a 1,000-policy sweep under 10 s on 2 cores). bench/whatif_bench.sh runs these beside a
// straightforward Python loop of the same simulation.
#include "whatif/hpa.h"
#include "whatif/simulation.h"
#include "whatif/sweep.h"

#include <benchmark/benchmark.h>
#include <string>
#include <vector>

using namespace headroom;

namespace {

/// users -> t0 -> t1 -> ... -> t9: ten services in a chain, each with its own HPA on CPU at
/// 60%, loaded by a month of a daily cycle with Poisson noise.
Project tenTiers() {
    Project p;
    p.name = "ten tiers";
    auto users = makeComponent(ComponentKind::Client, "users", "Users");
    users.properties["arrival_rate_rps"] = 400.0;
    p.components.push_back(users);
    std::string previous = "users";
    for (int i = 0; i < 10; ++i) {
        const auto id = "t" + std::to_string(i);
        auto c = makeComponent(ComponentKind::Service, id, "Tier " + std::to_string(i));
        c.properties["replicas"] = std::int64_t{6};
        c.properties["concurrency"] = std::int64_t{16};
        c.properties["service_time_ms"] = 20.0;
        c.properties["cpu_ms_per_request"] = 8.0 + i;
        c.properties["cores"] = 2.0;
        c.properties["cpu_request_millicores"] = 1000.0;
        p.components.push_back(c);
        p.links.push_back(
            {"l" + std::to_string(i), previous, id, LinkKind::SyncCall, 1.0, false, {}});
        p.policies.push_back(
            {"hpa " + id, id, PolicyKind::KubernetesHpa,
             R"({"spec": {"minReplicas": 2, "maxReplicas": 40, "metrics": [{"type": "Resource",
                 "resource": {"name": "cpu", "target": {"type": "Utilization",
                 "averageUtilization": 60}}}]}})"});
        previous = id;
    }
    return p;
}

Scenario month() {
    Scenario s;
    s.name = "month";
    s.synthetic = {400, 30, 0.6, 20, 1.3, true, 7};
    return s;
}

void Whatif_Simulate30Days10Tiers(benchmark::State& state) {
    const auto project = tenTiers();
    const auto scenario = month();
    for (auto _ : state)
        benchmark::DoNotOptimize(whatif::simulate(project, scenario));
    state.SetLabel("172,800 ticks x 10 tiers, HPA on CPU each");
}
BENCHMARK(Whatif_Simulate30Days10Tiers)->Unit(benchmark::kMillisecond)->UseRealTime();

/// The same run keeping only the summaries and events, as sweeps do: what is left without
/// keeping 1.7 million ticks.
void Whatif_Simulate30Days10TiersSummaryOnly(benchmark::State& state) {
    const auto project = tenTiers();
    const auto scenario = month();
    whatif::SimulationOptions options;
    options.keepTicks = false;
    for (auto _ : state)
        benchmark::DoNotOptimize(whatif::simulate(project, scenario, options));
    state.SetLabel("the same, summaries and events only");
}
BENCHMARK(Whatif_Simulate30Days10TiersSummaryOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

/// Where the time of a run goes: the load and the analysis alone (Replay::prepare), then one
/// tier on one core without an autoscaler (the tick loop) and with its HPA.
void Whatif_Prepare30Days(benchmark::State& state) {
    const auto project = tenTiers();
    const auto scenario = month();
    for (auto _ : state)
        benchmark::DoNotOptimize(whatif::Replay::prepare(project, scenario));
    state.SetLabel("load of 172,800 ticks and the analysis");
}
BENCHMARK(Whatif_Prepare30Days)->Unit(benchmark::kMillisecond)->UseRealTime();

void Whatif_OneTier30Days(benchmark::State& state) {
    const auto project = tenTiers();
    const auto scenario = month();
    whatif::SimulationOptions options;
    options.keepTicks = false;
    const auto replay = whatif::Replay::prepare(project, scenario, options);
    const bool scaled = state.range(0) != 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(replay->run(4, scaled ? &project.policies[3] : nullptr));
    state.SetLabel(scaled ? "tier t3 with its HPA, one core" : "tier t3 fixed, one core");
}
BENCHMARK(Whatif_OneTier30Days)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

/// Reading one tier's kept month back in order, as the CLI's CSV and the timeline do: most
/// ticks are worked out again from the load and the counts (whatif/ticks.h).
void Whatif_ReadTierMonthOfTicks(benchmark::State& state) {
    const auto project = tenTiers();
    const auto scenario = month();
    const auto replay = whatif::Replay::prepare(project, scenario);
    const auto run = replay->run(4, &project.policies[3]);
    for (auto _ : state) {
        double sum = 0;
        for (const auto& t : run->ticks)
            sum += t.latencySeconds + t.servedRps + t.ready;
        benchmark::DoNotOptimize(sum);
    }
    state.SetLabel("172,800 ticks of t3, one core");
}
BENCHMARK(Whatif_ReadTierMonthOfTicks)->Unit(benchmark::kMillisecond)->UseRealTime();

/// 1,000 HPAs for tier t3 over a week of the same load: 10 targets x 5 mins x 4 maxes x 5
/// scale-down windows, on all cores.
void Whatif_Sweep1000PoliciesWeek(benchmark::State& state) {
    const auto project = tenTiers();
    auto scenario = month();
    scenario.synthetic.days = 7;
    whatif::SweepGrid grid;
    grid.targetPercent = {40, 45, 50, 55, 60, 65, 70, 75, 80, 85};
    grid.minReplicas = {1, 2, 3, 4, 6};
    grid.maxReplicas = {20, 30, 40, 60};
    grid.scaleDownWindowSeconds = {0, 60, 120, 300, 600};
    for (auto _ : state) {
        const auto sweep = whatif::sweep(project, scenario, "t3", grid);
        if (!sweep || sweep->points.size() != 1000)
            state.SkipWithError("the sweep did not run 1,000 policies");
        benchmark::DoNotOptimize(sweep);
    }
    state.SetLabel("40,320 ticks each, 1,000 policies, all cores");
}
BENCHMARK(Whatif_Sweep1000PoliciesWeek)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace
