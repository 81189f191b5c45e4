#pragma once
// Inside the CSV importer: the pieces its general line-by-line reader (csv_import.cpp) and its
// parallel fast path (csv_fast.cpp) share. Not for use elsewhere.

#include "metrics/csv_import.h"

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace headroom::metrics::detail {

std::string_view trim(std::string_view text);
std::string lower(std::string_view text);
/// The whole field as a number (fast_float), or nothing.
std::optional<double> parseNumber(std::string_view text);
/// Empty, NaN, Inf, null, none: a gap, not an error.
bool isGap(std::string_view text);
char detectDelimiter(std::string_view line);
/// Splits a line honouring double quotes; the 1-based column of an unclosed quote, or 0.
std::size_t splitFields(std::string_view line, char delimiter, std::vector<std::string>& fields);
bool looksLikeTimeName(const std::string& name);
/// A Unix time in seconds, ms, µs or ns (told apart by magnitude) as milliseconds.
std::int64_t scaleTimestamp(double value);

/// Puts samples in time order (stable; counting those below the one before them into
/// `reordered`) and folds repeated timestamps in place, the last one kept (counted into
/// `duplicates`): the rule both CSV readers apply. Returns how many samples are left.
std::size_t sortAndFold(std::span<Sample> samples, std::size_t& reordered, std::size_t& duplicates);

/// The warnings for samples sorted and timestamps folded (report.reordered, duplicates).
void warnAboutOrder(ImportReport& report);

/// Sorts (counting out-of-order samples), de-duplicates in place (the last wins) and
/// compresses each named list of samples into a series; adds the warnings. `done(i)` is called
/// once list i is compressed, so its memory can be freed before the next one is.
Result<ImportReport> finishSpans(std::vector<std::pair<std::string, std::span<Sample>>>& lists,
                                 ImportReport report, const std::string& name,
                                 const CsvOptions& options,
                                 const std::function<void(std::size_t)>& done);
/// The same on vectors, each freed as soon as it is compressed.
Result<ImportReport> finishLists(std::vector<std::pair<std::string, std::vector<Sample>>>& lists,
                                 ImportReport report, const std::string& name,
                                 const CsvOptions& options);

/// The fast path: a file in the common shape (one optional header line, unquoted data rows,
/// numeric values) is read in large blocks, each split at line ends across the cores and parsed
/// in parallel. Nothing when the file is not in that shape or a row is bad: the general reader
/// then reads it and says exactly where.
std::optional<Result<ImportReport>> importCsvFast(const std::filesystem::path& path,
                                                  const CsvOptions& options,
                                                  const ProgressCallback& progress);

} // namespace headroom::metrics::detail
