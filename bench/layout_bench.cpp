// Auto-layout of a 500-component, 800-link topology (target: under 100 ms).
// Run: build/bench/headroom_bench --benchmark_filter=Layout
#include "layout/layered_layout.h"
#include "synthetic_topology.h"

#include <benchmark/benchmark.h>

namespace headroom::bench {
namespace {

void Layout_Layered500x800(benchmark::State& state) {
    const auto project = syntheticTopology(500, 800);
    int crossings = 0;
    for (auto _ : state) {
        auto result = layout::layeredLayout(project);
        crossings = result.crossings;
        benchmark::DoNotOptimize(result);
    }
    state.counters["crossings"] = crossings;
}
BENCHMARK(Layout_Layered500x800)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace headroom::bench
