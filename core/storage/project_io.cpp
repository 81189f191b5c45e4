#include "storage/project_io.h"

#include "storage/json_format.h"
#include "storage/metric_files.h"
#include "storage/project_file.h"

namespace headroom {
namespace fs = std::filesystem;

namespace {
bool endsWith(const std::string& text, std::string_view suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Error unknownExtension(const fs::path& path) {
    return Error{"unknown file type: use .headroom (project) or .headroom.json (interchange)",
                 path.string(), ""};
}
} // namespace

std::optional<ProjectFormat> formatFromPath(const fs::path& path) {
    const std::string name = path.filename().string();
    if (endsWith(name, ".headroom.json"))
        return ProjectFormat::Json;
    if (endsWith(name, ".headroom"))
        return ProjectFormat::Sqlite;
    return std::nullopt;
}

Result<Project> loadProject(const fs::path& path) {
    const auto format = formatFromPath(path);
    if (!format)
        return unknownExtension(path);
    if (*format == ProjectFormat::Sqlite)
        return loadProjectFile(path);
    auto project = loadJsonFile(path);
    if (project)
        attachMetricFiles(*project, path.parent_path());
    return project;
}

Status saveProject(const Project& project, const fs::path& path, const ProgressCallback& progress) {
    const auto format = formatFromPath(path);
    if (!format)
        return unknownExtension(path);
    return *format == ProjectFormat::Json ? saveJsonFile(project, path)
                                          : saveProjectFile(project, path, progress);
}

} // namespace headroom
