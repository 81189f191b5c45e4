#pragma once
// Planning a range query against a Prometheus-compatible server (Prometheus, Thanos, Mimir,
// VictoriaMetrics): reading the times and steps a user types, splitting a long range so no
// request asks for more than the server's per-series limit, the form fields of each request,
// and joining the answers back into one series per label set. No I/O here: net/ sends the
// requests and prometheus_json.h parses each answer.

#include "common/result.h"
#include "metrics/csv_import.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace headroom::metrics {

/// Prometheus refuses a query_range whose (end - start) / step exceeds 11,000 ("exceeded maximum
/// resolution of 11,000 points per timeseries"), so no request asks for more points than this.
inline constexpr std::int64_t kMaxPointsPerRequest = 11000;

struct RangeQuery {
    std::string query; ///< PromQL
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    std::int64_t stepMs = 0;
};

struct TimeWindow {
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    bool operator==(const TimeWindow&) const = default;
};

/// A Prometheus duration ("15s", "1h30m", "500ms", "7d", "2w", "1y") or a number of seconds
/// ("15", "0.5"), as the HTTP API accepts for step. Milliseconds, or an error saying why not.
Result<std::int64_t> parsePrometheusDuration(std::string_view text);

/// A point in time as users type it: "now", "now-7d", "now-1h30m", RFC 3339 / ISO 8601
/// ("2026-11-20T00:00:00Z"), or a Unix timestamp in seconds or milliseconds. `nowMs` is what
/// "now" means.
Result<std::int64_t> parseTimeSpec(std::string_view text, std::int64_t nowMs);

/// The query's problems (empty query, step not positive, end before start), or nothing.
std::optional<std::string> checkRangeQuery(const RangeQuery& query);

/// Consecutive, non-overlapping windows covering [start, end] on the step grid that starts at
/// `start`, each holding at most `maxPoints` evaluation points.
std::vector<TimeWindow> splitRange(const RangeQuery& query,
                                   std::int64_t maxPoints = kMaxPointsPerRequest);

/// Seconds with millisecond precision, as the API takes times: "1700000000.25".
std::string formatPrometheusTime(std::int64_t ms);

/// The form fields of one /api/v1/query_range request (query, start, end, step).
std::vector<std::pair<std::string, std::string>> rangeQueryFields(const RangeQuery& query,
                                                                  TimeWindow window);

/// The server address as it may be shown and stored: user name and password taken out of the
/// URL ("https://u:p@host/x" -> "https://host/x"), and the query string with them.
std::string redactServerUrl(std::string_view url);

/// Joins the answers to consecutive windows, in time order, into one series per name and label
/// set; counts, warnings and gaps add up. A timestamp already seen is dropped as a duplicate.
Result<ImportReport> joinWindowReports(std::vector<ImportReport> parts);

} // namespace headroom::metrics
