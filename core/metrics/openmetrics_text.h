#pragma once
// Importing Prometheus' text exposition format and OpenMetrics (what /metrics endpoints serve):
// one file holding one scrape or several (OpenMetrics scrapes end with "# EOF"). One series per
// metric and label set. Counters (and the _bucket, _sum and _count parts of histograms and
// summaries) become per-second rates, since a raw counter says nothing about load.
//
// Timestamps: Prometheus text writes integer milliseconds, OpenMetrics seconds (the "# EOF"
// marker tells them apart). Samples without one are stamped with the scrape's time: the
// given start plus the scrape's index times the scrape interval.

#include "metrics/csv_import.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace headroom::metrics {

struct ExpositionOptions {
    std::int64_t firstScrapeMs = 0; ///< time of the first scrape, for samples without one
    std::int64_t scrapeIntervalMs = 15000;
    std::string location;
};

Result<ImportReport> importExposition(std::string_view text, const ExpositionOptions& options);
/// For samples without timestamps the first scrape is taken to be the file's modification time.
Result<ImportReport> importExpositionFile(const std::filesystem::path& path,
                                          ExpositionOptions options = {});

} // namespace headroom::metrics
