#pragma once
// An example project without the sample metrics it binds, written into a test's folder: for
// tests that start from a topology with no series.

#include "storage/project_io.h"
#include "support/temp_dir.h"

#include <stdexcept>

namespace headroom::test {

inline std::filesystem::path bareExample(const TempDir& dir, const std::string& name) {
    auto project = loadProject(sourceDir() / "models" / (name + ".headroom.json"));
    if (!project)
        throw std::runtime_error(project.error().describe());
    project->series.clear();
    project->metricFiles.clear();
    const auto path = dir / (name + ".headroom.json");
    if (!saveProject(*project, path))
        throw std::runtime_error("cannot write " + path.string());
    return path;
}

} // namespace headroom::test
