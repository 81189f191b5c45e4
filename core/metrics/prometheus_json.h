#pragma once
// Importing the answer of the Prometheus HTTP API (/api/v1/query_range gives a "matrix",
// /api/v1/query a "vector" or "scalar"), as saved to a file or received from a server (Thanos,
// Mimir and VictoriaMetrics answer the same). Parsed with simdjson's On-Demand API, so large
// responses are read without building a DOM. Each result becomes one series named after its
// __name__ (else the query), its other labels kept.

#include "metrics/csv_import.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace headroom::metrics {

struct PrometheusJsonOptions {
    std::string query;    ///< the PromQL asked, for names and the series' source
    std::string location; ///< file or URL it came from
    std::string sourceKind = "prometheus-json";
    std::int64_t stepMs = 0;
    /// An answer without series is an error, unless it is one window of a longer range.
    bool allowEmpty = false;
    /// Files larger than this are streamed: read in blocks, their samples compressed as they
    /// come, so memory stays bounded (below it the whole document is parsed at once).
    std::uintmax_t streamAboveBytes = std::uintmax_t{32} << 20;
};

/// Parses a response body. A response with "status": "error" becomes an Error carrying the
/// server's own message.
Result<ImportReport> importPrometheusJson(std::string_view body,
                                          const PrometheusJsonOptions& options);
Result<ImportReport> importPrometheusJsonFile(const std::filesystem::path& path,
                                              PrometheusJsonOptions options = {});

} // namespace headroom::metrics
