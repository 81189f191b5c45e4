#pragma once
// The kinds of component an architect can place, and the descriptor table of their properties.

#include "model/property.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace headroom {

enum class ComponentKind {
    Client,
    Cdn,
    LoadBalancer,
    Service,
    Cache,
    DatabasePrimary,
    ReadReplicas,
    Queue,
    WorkerGroup,
    ObjectStorage,
    ExternalApi,
};

/// A component kind as data: its stable key, its label and its properties.
struct KindDescriptor {
    ComponentKind kind;
    std::string key;         ///< stable identifier used in files, e.g. "load_balancer"
    std::string label;       ///< e.g. "Load balancer"
    std::string description; ///< one line for the palette and tooltips
    std::vector<PropertyDescriptor> properties;
    /// What the canvas shows under the name: "{key}" is replaced by the property's value,
    /// "{key:%}" by a 0..1 fraction as a percentage, e.g. "{replicas} · {service_time_ms}".
    std::string keyFigures;

    [[nodiscard]] const PropertyDescriptor* findProperty(std::string_view key) const;
};

/// Every kind, in palette order.
std::span<const KindDescriptor> allKinds();

const KindDescriptor& describe(ComponentKind kind);
std::string_view toKey(ComponentKind kind);
std::optional<ComponentKind> componentKindFromKey(std::string_view key);

} // namespace headroom
