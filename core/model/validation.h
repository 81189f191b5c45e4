#pragma once
// Checks that a project is well formed before anything computes with it: unique ids, links
// between existing components of kinds that may connect, values in range.

#include "model/project.h"

#include <string>
#include <vector>

namespace headroom {

enum class Severity { Error, Warning };

/// One finding, naming the object, the property and what is wrong.
struct Diagnostic {
    Severity severity = Severity::Error;
    std::string subjectKind; ///< "component", "link", "zone" or "project"
    std::string subject;     ///< id of the object, empty for the project
    std::string property;    ///< property or field concerned, empty when the whole object
    std::string message;

    bool operator==(const Diagnostic&) const = default;

    /// e.g. "error: component 'web': replicas: 0 is outside the range 1 to 100000 instances"
    [[nodiscard]] std::string describe() const;
};

std::string_view toKey(Severity severity);

std::vector<Diagnostic> validate(const Project& project);

/// Counts of each severity in a list of diagnostics.
struct DiagnosticCounts {
    int errors = 0;
    int warnings = 0;
};
DiagnosticCounts count(const std::vector<Diagnostic>& diagnostics);

} // namespace headroom
