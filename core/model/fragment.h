#pragma once
// Pieces of a project for copy, paste and duplicate: what to take, and how to make a piece fit
// into another project (fresh ids, links remapped, moved to where it is dropped).

#include "model/project.h"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace headroom {

/// The given components and the links between them, as a stand-alone project.
Project extractFragment(const Project& project, const std::vector<std::string>& componentIds);

/// `wanted` if it is free, else `wanted-2`, `wanted-3`, ... (and a valid id in any case).
std::string uniqueId(std::string_view wanted, const std::set<std::string>& taken);

/// Every component, link and zone id in use in the project.
std::set<std::string> idsInUse(const Project& project);

/// The fragment ready to add to `target`: ids that clash get fresh ones (links follow), every
/// position moves by `offset`, zone references the target does not have are dropped.
Project prepareForPaste(const Project& fragment, const Project& target, Point offset);

} // namespace headroom
