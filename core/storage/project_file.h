#pragma once
// The .headroom project file: one SQLite database holding the model (and, from schema version 2,
// room for metric series). Saving is atomic; opening checks what the file is and migrates older
// versions in memory, so opening never changes the file on disk.

#include "common/progress.h"
#include "common/result.h"
#include "model/project.h"

#include <filesystem>

namespace headroom {

Result<Project> loadProjectFile(const std::filesystem::path& path);

/// Writes the project beside `path` and renames it into place. If progress returns false the
/// save stops, the temporary file is removed and `path` keeps its previous content.
Status saveProjectFile(const Project& project, const std::filesystem::path& path,
                       const ProgressCallback& progress = {});

} // namespace headroom
