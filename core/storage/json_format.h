#pragma once
// The .headroom.json interchange form of the model: pretty printed with a stable key order so it
// diffs well in git, and round trips exactly (load -> save -> load gives an equal Project).
// Metric samples are not part of it.

#include "common/result.h"
#include "model/project.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace headroom {

inline constexpr std::string_view kJsonFormatName = "headroom-project";
/// The clipboard form: the same document with this format name (copy and paste).
inline constexpr std::string_view kFragmentFormatName = "headroom-fragment";
inline constexpr int kJsonFormatVersion = 1;

std::string projectToJson(const Project& project, std::string_view format = kJsonFormatName);

/// Parses the interchange text. `file` only labels error messages; `format` is the format
/// name the document must carry.
Result<Project> projectFromJson(std::string_view text, const std::string& file = "",
                                std::string_view format = kJsonFormatName);

/// How many of the project's series a JSON save leaves out: all but those a metric-file binding
/// brings in (which the JSON names instead).
std::size_t seriesLeftOutOfJson(const Project& project);

Result<Project> loadJsonFile(const std::filesystem::path& path);
Status saveJsonFile(const Project& project, const std::filesystem::path& path);

} // namespace headroom
