#include "whatif/time_zone.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <date/tz.h>
#include <exception>

namespace headroom::whatif {

Result<TimeZone> TimeZone::named(std::string_view name) {
    TimeZone out;
    if (name == "UTC" || name == "Etc/UTC" || name == "GMT" || name == "Etc/GMT")
        return out;
    // An IANA name (Area/Location): letters, digits and _ + - /. The database's other files
    // (zone1970.tab, zonenow.tab, localtime) are not zones, and this date library reads any
    // file it is given as one.
    const bool plain = !name.empty() && name.front() != '/' && name != "localtime" &&
                       std::all_of(name.begin(), name.end(),
                                   [](char c) {
                                       return std::isalnum(static_cast<unsigned char>(c)) ||
                                              c == '_' || c == '+' || c == '-' || c == '/';
                                   }) &&
                       name.find("//") == std::string_view::npos;
    if (!plain)
        return Error{"\"" + std::string(name) +
                         "\" is not a time zone name: expected an IANA name such as "
                         "America/New_York",
                     "", ""};
    try {
        out.zone_ = date::locate_zone(name);
    } catch (const std::exception&) {
        return Error{"unknown time zone \"" + std::string(name) +
                         "\": expected an IANA name such as America/New_York or Europe/Berlin",
                     "", ""};
    }
    out.name_ = std::string(name);
    return out;
}

std::int64_t TimeZone::localSeconds(std::int64_t unixSeconds) const {
    if (!zone_)
        return unixSeconds;
    const auto info = zone_->get_info(date::sys_seconds{std::chrono::seconds{unixSeconds}});
    return unixSeconds + std::chrono::duration_cast<std::chrono::seconds>(info.offset).count();
}

} // namespace headroom::whatif
