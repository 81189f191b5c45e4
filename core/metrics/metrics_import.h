#pragma once
// One door for every metric file format: tells the format from the file (extension and first
// bytes) and calls the right importer. The GUI's import dialog and drops use it.

#include "metrics/cloudwatch_json.h"
#include "metrics/csv_import.h"
#include "metrics/openmetrics_text.h"
#include "metrics/prometheus_json.h"

#include <filesystem>
#include <optional>
#include <span>
#include <string_view>

namespace headroom::metrics {

enum class FileFormat { Csv, GrafanaCsv, PrometheusJson, CloudWatchJson, Exposition };

std::string_view label(FileFormat format);
std::span<const FileFormat> allFileFormats();

/// The format a file most likely has, from its extension and its first kilobytes.
std::optional<FileFormat> detectFileFormat(const std::filesystem::path& path);

struct MetricsImportOptions {
    CsvOptions csv;
    std::int64_t scrapeIntervalMs = 15000;
};

Result<ImportReport> importMetricsFile(const std::filesystem::path& path, FileFormat format,
                                       const MetricsImportOptions& options = {},
                                       const ProgressCallback& progress = {});

} // namespace headroom::metrics
