#pragma once
// Replace a file so that a crash at any moment leaves either the old file or the new one:
// write a temporary file beside the target, flush it to disk, rename it over the target, then
// flush the directory entry.

#include "common/result.h"

#include <filesystem>
#include <functional>
#include <string>

namespace headroom {

/// Writes the content into the temporary path it is given; on failure it returns an Error and
/// the target is left untouched.
using TempWriter = std::function<Status(const std::filesystem::path& temporary)>;

Status replaceFileAtomically(const std::filesystem::path& target, const TempWriter& write);

/// Flushes a file's data to the disk (fsync).
Status flushToDisk(const std::filesystem::path& file);

/// Writes text to a file atomically.
Status writeTextAtomically(const std::filesystem::path& target, const std::string& text);

} // namespace headroom
