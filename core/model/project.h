#pragma once
// The whole design under review: components, the links between them and the zones around them.

#include "model/component.h"
#include "model/link.h"
#include "model/zone.h"

#include <string>
#include <string_view>
#include <vector>

namespace headroom {

struct Project {
    std::string name;
    std::string description; ///< what the system is and where its numbers come from
    std::vector<Zone> zones;
    std::vector<Component> components;
    std::vector<Link> links;

    bool operator==(const Project&) const = default;

    [[nodiscard]] const Component* findComponent(std::string_view id) const;
    [[nodiscard]] Component* findComponent(std::string_view id);
    [[nodiscard]] const Zone* findZone(std::string_view id) const;
    [[nodiscard]] const Link* findLink(std::string_view id) const;
};

/// Is `id` acceptable as a component, link or zone id (non-empty; letters, digits, - _ .)?
bool isValidId(std::string_view id);

} // namespace headroom
