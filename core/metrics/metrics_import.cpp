#include "metrics/metrics_import.h"

#include <array>
#include <fstream>

namespace headroom::metrics {
namespace {
constexpr std::array kFormats{FileFormat::Csv, FileFormat::GrafanaCsv, FileFormat::PrometheusJson,
                              FileFormat::CloudWatchJson, FileFormat::Exposition};
}

std::string_view label(FileFormat format) {
    switch (format) {
    case FileFormat::Csv:
        return "CSV (time column + value columns)";
    case FileFormat::GrafanaCsv:
        return "Grafana panel CSV";
    case FileFormat::PrometheusJson:
        return "Prometheus API answer (JSON)";
    case FileFormat::CloudWatchJson:
        return "CloudWatch GetMetricData (JSON)";
    case FileFormat::Exposition:
        return "Prometheus text / OpenMetrics scrapes";
    }
    return "";
}

std::span<const FileFormat> allFileFormats() {
    return kFormats;
}

std::optional<FileFormat> detectFileFormat(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    const auto ext = path.extension().string();
    if (head.find("\"MetricDataResults\"") != std::string::npos)
        return FileFormat::CloudWatchJson;
    if (head.find("\"resultType\"") != std::string::npos ||
        head.find("\"status\"") != std::string::npos)
        return FileFormat::PrometheusJson;
    if (head.rfind("# HELP", 0) == 0 || head.rfind("# TYPE", 0) == 0 || ext == ".prom" ||
        head.find("\n# TYPE ") != std::string::npos)
        return FileFormat::Exposition;
    const auto firstLine = head.substr(0, head.find('\n'));
    if (firstLine.find("Series") != std::string::npos &&
        firstLine.find("Time") != std::string::npos)
        return FileFormat::GrafanaCsv;
    if (ext == ".csv" || ext == ".tsv" || ext == ".txt" ||
        firstLine.find(',') != std::string::npos || firstLine.find(';') != std::string::npos ||
        firstLine.find('\t') != std::string::npos)
        return FileFormat::Csv;
    return std::nullopt;
}

Result<ImportReport> importMetricsFile(const std::filesystem::path& path, FileFormat format,
                                       const MetricsImportOptions& options,
                                       const ProgressCallback& progress) {
    switch (format) {
    case FileFormat::Csv:
        return importCsvFile(path, options.csv, progress);
    case FileFormat::GrafanaCsv:
        return importGrafanaCsvFile(path, options.csv, progress);
    case FileFormat::PrometheusJson:
        return importPrometheusJsonFile(path);
    case FileFormat::CloudWatchJson:
        return importCloudWatchJsonFile(path);
    case FileFormat::Exposition: {
        ExpositionOptions exposition;
        exposition.scrapeIntervalMs = options.scrapeIntervalMs;
        return importExpositionFile(path, exposition);
    }
    }
    return Error{"unknown format", path.string(), ""};
}

} // namespace headroom::metrics
