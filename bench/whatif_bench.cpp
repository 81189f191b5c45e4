// What-if engine speed (issue 7 targets: 30 days at 15 s ticks for a 10-tier topology under
// 20 ms; a 1,000-policy sweep under 10 s on 2 cores). bench/whatif_bench.sh runs these beside a
// straightforward Python loop of the same simulation.
#include "whatif/hpa.h"
#include "whatif/simulation.h"

#include <benchmark/benchmark.h>
#include <string>

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
BENCHMARK(Whatif_Simulate30Days10Tiers)->Unit(benchmark::kMillisecond);

} // namespace
