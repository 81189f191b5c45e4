#pragma once
// Design checks: the scaling playbook as rules over the drawing and its analysis. Each finding
// has a rule id (stable, for scripts and suppressions), a severity, the components it names,
// what was found, why it matters, and the fix. The rules and their thresholds are listed in
// docs/methodology.md ("Design checks").

#include "analysis/analysis.h"
#include "model/project.h"

#include <string>
#include <string_view>
#include <vector>

namespace headroom::analysis {

enum class FindingSeverity { Info, Warning, Error };

struct Finding {
    std::string rule; ///< e.g. "grace-shorter-than-drain"
    FindingSeverity severity = FindingSeverity::Warning;
    std::vector<std::string> components; ///< ids
    std::string message;                 ///< what was found, with the numbers
    std::string why;                     ///< why it matters
    std::string fix;                     ///< what to change
};

std::string_view toKey(FindingSeverity severity);

/// Every finding for the project, given its analysis at the drawn load (multiplier 1), most
/// severe first.
std::vector<Finding> checkDesign(const Project& project, const Analysis& analysis);

} // namespace headroom::analysis
