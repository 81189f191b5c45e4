#pragma once
// The live Prometheus importer's transport: sends the range queries that core planned
// (metrics/prometheus_query.h) to a server speaking Prometheus' HTTP API (Prometheus, Thanos,
// Mimir, VictoriaMetrics) over QtNetwork, and hands each answer to core's parser. Shared by
// the GUI (run on a worker thread) and the CLI.
//
// Credentials live only in the request: the series it returns name the server by its redacted
// URL, so nothing secret reaches a project file.

#include "common/progress.h"
#include "common/result.h"
#include "metrics/csv_import.h"
#include "metrics/prometheus_query.h"

#include <chrono>
#include <string>

namespace headroom::net {

struct PrometheusAuth {
    enum class Kind { None, Basic, Bearer };
    Kind kind = Kind::None;
    std::string user;   ///< Basic
    std::string secret; ///< Basic: the password; Bearer: the token
};

struct PrometheusRequest {
    std::string server; ///< base URL, e.g. http://127.0.0.1:9090 or https://host/prometheus
    metrics::RangeQuery query;
    PrometheusAuth auth;
    /// A request fails when the server sends nothing for this long.
    std::chrono::milliseconds timeout{30'000};
    std::int64_t maxPointsPerRequest = metrics::kMaxPointsPerRequest;
    /// PEM file of extra certificate authorities to trust (a private CA); verification stays on.
    std::string caFile;
};

/// Sends the query, split into windows the server accepts, one after another, and joins the
/// answers. Blocks the calling thread (run it off the GUI thread) and needs a
/// QCoreApplication. `progress` is polled often; returning false cancels.
Result<metrics::ImportReport> fetchRange(const PrometheusRequest& request,
                                         const ProgressCallback& progress = {});

} // namespace headroom::net
