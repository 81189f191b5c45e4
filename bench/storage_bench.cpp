// Open and save times of a 500-component, 800-link project in both file formats, and
// validation of it. Run: build/bench/headroom_bench --benchmark_filter=Storage
#include "model/validation.h"
#include "storage/json_format.h"
#include "storage/project_file.h"
#include "synthetic_topology.h"

#include <benchmark/benchmark.h>
#include <filesystem>

namespace headroom::bench {
namespace {
namespace fs = std::filesystem;

const Project& bigProject() {
    static const Project project = syntheticTopology(500, 800);
    return project;
}

fs::path scratch(const std::string& name) {
    return fs::temp_directory_path() / name;
}

void Storage_SaveProjectFile(benchmark::State& state) {
    const auto path = scratch("headroom-bench.headroom");
    for (auto _ : state)
        if (!saveProjectFile(bigProject(), path))
            state.SkipWithError("save failed");
    fs::remove(path);
}
BENCHMARK(Storage_SaveProjectFile)->Unit(benchmark::kMillisecond);

void Storage_LoadProjectFile(benchmark::State& state) {
    const auto path = scratch("headroom-bench-load.headroom");
    if (!saveProjectFile(bigProject(), path))
        state.SkipWithError("save failed");
    for (auto _ : state) {
        auto loaded = loadProjectFile(path);
        benchmark::DoNotOptimize(loaded);
    }
    fs::remove(path);
}
BENCHMARK(Storage_LoadProjectFile)->Unit(benchmark::kMillisecond);

void Storage_SaveJson(benchmark::State& state) {
    for (auto _ : state) {
        auto text = projectToJson(bigProject());
        benchmark::DoNotOptimize(text);
    }
}
BENCHMARK(Storage_SaveJson)->Unit(benchmark::kMillisecond);

void Storage_LoadJson(benchmark::State& state) {
    const auto text = projectToJson(bigProject());
    for (auto _ : state) {
        auto loaded = projectFromJson(text);
        benchmark::DoNotOptimize(loaded);
    }
}
BENCHMARK(Storage_LoadJson)->Unit(benchmark::kMillisecond);

void Model_Validate(benchmark::State& state) {
    for (auto _ : state) {
        auto found = validate(bigProject());
        benchmark::DoNotOptimize(found);
    }
}
BENCHMARK(Model_Validate)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace headroom::bench
