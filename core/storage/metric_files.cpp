#include "storage/metric_files.h"

#include "metrics/metrics_import.h"

#include <map>

namespace headroom {
namespace fs = std::filesystem;

namespace {

std::optional<std::string> unsafe(const fs::path& relative) {
    if (relative.empty())
        return "no file named";
    if (relative.is_absolute() || relative.has_root_name())
        return "metric files are named relative to the project's folder";
    for (const auto& part : relative)
        if (part == "..")
            return "metric files must lie in the project's folder or below it";
    return std::nullopt;
}

} // namespace

void attachMetricFiles(Project& project, const fs::path& folder) {
    std::map<std::string, Result<metrics::ImportReport>> read;
    for (auto& binding : project.metricFiles) {
        binding.problem.clear();
        const fs::path relative = fs::path(binding.file).lexically_normal();
        if (auto problem = unsafe(relative)) {
            binding.problem = *problem;
            continue;
        }
        auto it = read.find(binding.file);
        if (it == read.end()) {
            const fs::path path = folder / relative;
            std::error_code ec;
            const auto format = metrics::detectFileFormat(path);
            auto report = !fs::exists(path, ec) ? Result<metrics::ImportReport>(Error{
                                                      "no such file beside the project", "", ""})
                          : format              ? metrics::importMetricsFile(path, *format)
                                                : Result<metrics::ImportReport>(
                                         Error{"not a metric file Headroom can read", "", ""});
            it = read.emplace(binding.file, std::move(report)).first;
        }
        if (!it->second) {
            auto error = it->second.error();
            error.file.clear(); // the binding names the file already
            binding.problem = error.describe();
            continue;
        }
        std::shared_ptr<const metrics::Series> found;
        for (const auto& series : it->second->series)
            if (series->info().name == binding.series) {
                found = series;
                break;
            }
        if (!found) {
            binding.problem = "the file has no series named '" + binding.series + "'";
            continue;
        }
        auto info = found->info();
        info.source.location = binding.file; // relative, as the project names it
        if (!binding.unit.empty())
            info.unit = binding.unit;
        project.series.push_back(
            {metrics::Series::withInfo(*found, std::move(info)), binding.component, binding.role});
    }
}

} // namespace headroom
