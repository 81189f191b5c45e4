// Bottleneck analysis speed (issue 6 targets: full analysis of 1,000 components under 5 ms,
// exact MVA at N = 10,000 over 100 stations under 10 ms, Erlang C for c = 5,000 under 1 ms, so
// the GUI can re-analyse on every keystroke).
#include "analysis/analysis.h"
#include "analysis/closed.h"
#include "analysis/design_checks.h"
#include "analysis/mva.h"
#include "analysis/queueing.h"
#include "synthetic_topology.h"

#include <benchmark/benchmark.h>

using namespace headroom;

namespace {

Project thousand() {
    auto p = bench::syntheticTopology(1000, 1500);
    for (auto& c : p.components)
        if (c.kind == ComponentKind::Client)
            c.properties["arrival_rate_rps"] = 10.0;
    return p;
}

void Analysis_Full1000Components(benchmark::State& state) {
    const auto project = thousand();
    for (auto _ : state)
        benchmark::DoNotOptimize(analysis::analyze(project));
    state.SetLabel("1,000 components, 1,500 links: traffic, stations, saturation, order");
}
BENCHMARK(Analysis_Full1000Components)->Unit(benchmark::kMillisecond);

void Analysis_ClosedView1000Components(benchmark::State& state) {
    const auto project = thousand();
    const auto result = analysis::analyze(project);
    analysis::ClosedOptions options;
    options.maxWork = 4'000'000; // as the GUI's Users tab
    for (auto _ : state)
        benchmark::DoNotOptimize(analysis::closedWorkload(project, result, options));
    state.SetLabel("the Users tab's MVA and its lone-request responses, on the analysis above");
}
BENCHMARK(Analysis_ClosedView1000Components)->Unit(benchmark::kMillisecond);

void Analysis_DesignChecks1000Components(benchmark::State& state) {
    const auto project = thousand();
    const auto result = analysis::analyze(project);
    for (auto _ : state)
        benchmark::DoNotOptimize(analysis::checkDesign(project, result));
}
BENCHMARK(Analysis_DesignChecks1000Components)->Unit(benchmark::kMillisecond);

void Analysis_ExactMva10000Jobs100Stations(benchmark::State& state) {
    analysis::ClosedNetwork network;
    network.thinkSeconds = 1;
    network.population = 10000;
    for (int i = 0; i < 100; ++i)
        network.stations.push_back(
            {"s" + std::to_string(i), 0.001 * (1 + i % 7),
             i % 10 == 0 ? analysis::MvaStationKind::Delay : analysis::MvaStationKind::Queue});
    for (auto _ : state)
        benchmark::DoNotOptimize(analysis::exactMva(network));
}
BENCHMARK(Analysis_ExactMva10000Jobs100Stations)->Unit(benchmark::kMillisecond);

void Analysis_ErlangC5000Servers(benchmark::State& state) {
    double load = 4900;
    for (auto _ : state) {
        benchmark::DoNotOptimize(analysis::erlangC(5000, load));
        load = load == 4900 ? 4900.5 : 4900; // defeat caching of a constant
    }
}
BENCHMARK(Analysis_ErlangC5000Servers)->Unit(benchmark::kMicrosecond);

} // namespace
