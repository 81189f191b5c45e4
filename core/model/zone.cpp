#include "model/zone.h"

namespace headroom {

std::string_view toKey(ZoneKind kind) {
    return kind == ZoneKind::Region ? "region" : "availability_zone";
}

std::string_view label(ZoneKind kind) {
    return kind == ZoneKind::Region ? "Region" : "Availability zone";
}

std::optional<ZoneKind> zoneKindFromKey(std::string_view key) {
    if (key == "region")
        return ZoneKind::Region;
    if (key == "availability_zone")
        return ZoneKind::AvailabilityZone;
    return std::nullopt;
}

} // namespace headroom
