#pragma once
// What the scenario and policy editors need from the engine: a policy's definition from the
// text a user pastes (JSON, or YAML as kubectl prints it) and back, a starting definition for
// each kind of autoscaler, and the checks `simulate` would make, so a mistake is named while
// the user edits, not when a run fails.

#include "common/result.h"
#include "model/project.h"

#include <optional>
#include <string>
#include <string_view>

namespace headroom::whatif {

/// The compact JSON a project stores for a definition typed or pasted as JSON or YAML. It must
/// be an object (a whole manifest, or its spec, as each kind accepts); a problem says where.
Result<std::string> definitionFromText(std::string_view text);

/// A stored definition laid out for reading and editing (JSON, indented by two).
std::string definitionForEditing(std::string_view compactJson);

/// A definition to start from for `kind` on `component`: its min and max replicas, CPU at 70%
/// of the request (HPA, EC2 target tracking), 20 messages per replica (KEDA on SQS), or the
/// drawn replicas (fixed). Each one runs as it is.
std::string policyTemplate(PolicyKind kind, const Component& component);

/// What a run of this policy in this project would stop at: a tier that is missing or does not
/// scale by replicas, or a definition its autoscaler refuses (with the JSON pointer). Nothing
/// when it would run.
std::optional<Error> checkPolicy(const Project& project, const AutoscalingPolicy& policy);

/// What a run of this scenario would stop at: a value out of range, a recorded component
/// without an arrival-rate series, a deploy of a tier that is not there. Nothing when it
/// would run.
std::optional<Error> checkScenario(const Project& project, const Scenario& scenario);

} // namespace headroom::whatif
