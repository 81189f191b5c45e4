#pragma once
// Importing the output of AWS CloudWatch GetMetricData (`aws cloudwatch get-metric-data`, or
// the API's JSON): one series per MetricDataResults entry, named by its Label (else Id).
// CloudWatch lists the newest sample first by default; samples are sorted by time here.

#include "metrics/csv_import.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace headroom::metrics {

Result<ImportReport> importCloudWatchJson(std::string_view body, const std::string& location);
Result<ImportReport> importCloudWatchJsonFile(const std::filesystem::path& path);

} // namespace headroom::metrics
