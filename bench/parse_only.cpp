// headroom_parse_only FILE [--json]: how long reading a metric file takes without compressing
// it. Imports the file (parse + compress), then compresses the same samples again on their own,
// and prints both and their difference (the parse), as "parse_s compress_s samples".
// Used by bench/import_bench.sh; not a product binary.
#include "metrics/csv_import.h"
#include "metrics/prometheus_json.h"

#include <chrono>
#include <cstdio>
#include <cstring>

using namespace headroom::metrics;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: headroom_parse_only FILE [--json]\n");
        return 2;
    }
    const bool json = argc > 2 && std::strcmp(argv[2], "--json") == 0;
    const auto start = Clock::now();
    auto report = json ? importPrometheusJsonFile(argv[1]) : importCsvFile(argv[1], {});
    const auto imported = Clock::now();
    if (!report) {
        std::fprintf(stderr, "%s\n", report.error().describe().c_str());
        return 1;
    }
    double compress = 0;
    std::size_t samples = 0;
    for (const auto& series : report->series) {
        const auto decoded = series->samples();
        const auto before = Clock::now();
        const auto again = Series::fromSamples(series->info(), *decoded);
        compress += std::chrono::duration<double>(Clock::now() - before).count();
        samples += again->size();
    }
    const double total = std::chrono::duration<double>(imported - start).count();
    std::printf("%.3f %.3f %zu\n", total - compress, compress, samples);
    return 0;
}
