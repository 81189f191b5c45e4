#pragma once
// Documents people paste or keep beside a project (a HorizontalPodAutoscaler as kubectl prints
// it, an AWS CLI answer, a ScaledObject manifest) come as JSON or as YAML; the parsers read
// JSON values. YAML becomes the JSON it stands for here, typed as YAML 1.2's core schema
// types plain scalars (true, null, 12, 1.5) and keeping quoted ones as strings.

#include "common/result.h"

#include <nlohmann/json.hpp>
#include <string_view>

namespace YAML {
class Node;
}

namespace headroom {

/// A YAML node as the JSON value it stands for, keys in the document's order.
nlohmann::ordered_json yamlToJson(const YAML::Node& node);

/// JSON when the text starts (after blanks and comment lines) with '{' or '[', else YAML;
/// keys stay in the order written. A problem says where, as "line L, column C".
Result<nlohmann::ordered_json> parseJsonOrYaml(std::string_view text);

} // namespace headroom
