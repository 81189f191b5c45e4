#pragma once
// One box on the canvas: a component of the system with its kind-specific properties.

#include "model/component_kind.h"
#include "model/geometry.h"
#include "model/property.h"

#include <string>
#include <string_view>

namespace headroom {

struct Component {
    std::string id; ///< unique within the project; letters, digits, '-', '_', '.'
    ComponentKind kind = ComponentKind::Service;
    std::string name; ///< free text for people; may hold any characters
    std::string zone; ///< id of the zone it sits in, empty when none
    Point position;   ///< centre on the canvas
    PropertyMap properties;

    bool operator==(const Component&) const = default;

    /// The stored value, or the kind's default when the property is not set.
    [[nodiscard]] PropertyValue value(std::string_view key) const;
    /// A numeric property as double (default when unset, 0 when not numeric or unknown).
    [[nodiscard]] double number(std::string_view key) const;
    [[nodiscard]] const KindDescriptor& descriptor() const { return describe(kind); }
};

/// A component of the kind with every property at its default.
Component makeComponent(ComponentKind kind, std::string id, std::string name);

/// The figures the canvas shows under a component's name, e.g. "3 instances · 50 ms".
std::string keyFigures(const Component& component);

} // namespace headroom
