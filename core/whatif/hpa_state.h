#pragma once
// Reading what `headroom-cli hpa decide` is given: a STATE document (JSON or YAML) holding a
// HorizontalPodAutoscaler object as Kubernetes writes it, the pods and metric values the
// controller would see, and its memory of earlier decisions. The fields are listed in
// docs/autoscalers.md; a field that is wrong is refused with its JSON pointer.

#include "common/result.h"
#include "whatif/hpa.h"

#include <string>
#include <string_view>

namespace headroom::whatif::hpa {

struct StateDocument {
    State state;
    ControllerSettings settings; ///< from the optional `controller` object
};

/// Parses a STATE document; `yaml` chooses the YAML reader (JSON is YAML too, but the JSON
/// reader gives better positions). `file` names the source in errors.
Result<StateDocument> parseState(std::string_view text, bool yaml, const std::string& file = "");

/// A HorizontalPodAutoscaler object, or its spec alone, as JSON (an autoscaling policy's
/// definition, model/scenario.h).
Result<Spec> parseHpaSpec(std::string_view json);

/// A HorizontalPodAutoscaler object (autoscaling/v2) for `spec`, scaling the Deployment `name`,
/// as JSON: what Kubernetes reads back (parseHpaSpec(hpaObjectJson(s)) gives s again).
std::string hpaObjectJson(const Spec& spec, const std::string& name);

/// A Kubernetes quantity ("500m", "1.5", "2Ki", "1e3") in milli-units, rounded up as
/// Quantity.MilliValue() rounds; nothing when it is not one.
std::optional<std::int64_t> parseQuantityMilli(std::string_view text);

} // namespace headroom::whatif::hpa
