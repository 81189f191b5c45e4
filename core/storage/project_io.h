#pragma once
// Opening and saving a project by file name: ".headroom" is the SQLite project file,
// ".headroom.json" the JSON interchange form.

#include "common/progress.h"
#include "common/result.h"
#include "model/project.h"

#include <filesystem>
#include <optional>

namespace headroom {

enum class ProjectFormat { Sqlite, Json };

/// The format a file name implies, or nothing for an unknown extension.
std::optional<ProjectFormat> formatFromPath(const std::filesystem::path& path);

Result<Project> loadProject(const std::filesystem::path& path);
Status saveProject(const Project& project, const std::filesystem::path& path,
                   const ProgressCallback& progress = {});

} // namespace headroom
