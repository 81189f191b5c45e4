#pragma once
// A region or availability zone: a labelled frame that groups components.

#include "model/geometry.h"

#include <optional>
#include <string>
#include <string_view>

namespace headroom {

enum class ZoneKind { Region, AvailabilityZone };

struct Zone {
    std::string id;
    std::string name;
    ZoneKind kind = ZoneKind::Region;
    std::string parent; ///< id of the enclosing zone (an AZ inside its region), empty when none
    Rect bounds;        ///< frame on the canvas

    bool operator==(const Zone&) const = default;
};

std::string_view toKey(ZoneKind kind);
std::string_view label(ZoneKind kind);
std::optional<ZoneKind> zoneKindFromKey(std::string_view key);

} // namespace headroom
