#pragma once
// Importing metric series from CSV files: comma, semicolon or tab separated, with or without
// quotes, a header row, a byte-order mark and CRLF line ends; one timestamp column (Unix
// seconds, milliseconds, microseconds or nanoseconds, or ISO 8601 with an offset) and one or
// more value columns, each becoming a series. The file is read in blocks, so its size is not
// limited by memory (only the decoded samples are kept). Numbers are parsed with fast_float.

#include "common/progress.h"
#include "common/result.h"
#include "metrics/series.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::metrics {

struct CsvOptions {
    char delimiter = 0;            ///< 0: detect from the first line
    std::optional<int> timeColumn; ///< 0-based; default: the column named like a time, else 0
    bool skipBadRows = false;      ///< default: stop at the first bad row, import nothing
    /// "Series as rows" layout (Grafana's other CSV export): a column (named series, metric or
    /// name) says which series each row belongs to, instead of one column per series.
    bool seriesAsRows = false;
    std::string sourceKind = "csv";
};

struct ImportReport {
    std::vector<std::shared_ptr<const Series>> series;
    std::size_t rows = 0;        ///< data rows read
    std::size_t skippedRows = 0; ///< bad rows left out (skipBadRows)
    std::size_t gaps = 0;        ///< empty, NaN or infinite values left out as gaps
    std::size_t reordered = 0;   ///< samples that arrived out of time order (sorted)
    std::size_t duplicates = 0;  ///< samples with a timestamp seen before (the last one kept)
    std::vector<std::string> warnings;
};

/// Adds the "N ... left out as gaps" warning when the report has gaps.
void warnAboutGaps(ImportReport& report);

/// Parses one timestamp: a number (unit by magnitude: below 1e11 seconds, 1e14 milliseconds,
/// 1e17 microseconds, else nanoseconds) or ISO 8601 ("2024-03-01T12:00:00.250+02:00", "Z", a
/// space instead of T). Milliseconds since the Unix epoch, or nothing.
std::optional<std::int64_t> parseTimestampMs(std::string_view text);

/// The inverse, in UTC: "2026-11-20T00:00:00Z", with ".250" when there are milliseconds.
std::string formatIsoTimestamp(std::int64_t ms);

Result<ImportReport> importCsvFile(const std::filesystem::path& path, const CsvOptions& options,
                                   const ProgressCallback& progress = {});
/// A CSV exported from a Grafana panel, in either layout ("series joined by time": one column
/// per series; "series as rows": Series, Time, Value columns), told apart by the header.
Result<ImportReport> importGrafanaCsvFile(const std::filesystem::path& path, CsvOptions options,
                                          const ProgressCallback& progress = {});

/// The same on text in memory; `name` labels errors and the series' source.
Result<ImportReport> importCsvText(std::string_view text, const std::string& name,
                                   const CsvOptions& options);

} // namespace headroom::metrics
