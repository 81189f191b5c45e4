#pragma once
// The metric files a .headroom.json project binds (Project::metricFiles): read when the project
// opens, each file once, whatever its format (metrics_import.h tells it from the file).

#include "model/project.h"

#include <filesystem>

namespace headroom {

/// Adds the bound series to project.series. A file that is missing or broken does not stop the
/// project from opening: its bindings get a `problem`, which validation reports. Files must lie
/// in `folder` or below it (a project cannot make Headroom read /etc/passwd).
void attachMetricFiles(Project& project, const std::filesystem::path& folder);

} // namespace headroom
