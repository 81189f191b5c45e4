// The core benchmarks' main: Google Benchmark's, after the allocator setting the applications
// make first thing (common/allocator.h), so that the figures are the applications'.
#include "common/allocator.h"

#include <benchmark/benchmark.h>

int main(int argc, char** argv) {
    headroom::keepFreedMemory();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
