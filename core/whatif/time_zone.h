#pragma once
// A time zone of the IANA database (the system's tzdata, read through Howard Hinnant's date
// library), for schedules written in local time: EC2 Auto Scaling's scheduled actions take a
// TimeZone ("America/New_York") and follow its daylight-saving changes.

#include "common/result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace headroom::whatif {

class TimeZone {
  public:
    /// UTC.
    TimeZone() = default;
    /// The zone of that IANA name; UTC, Etc/UTC and GMT need no database. A name the database
    /// does not know is refused, naming it.
    static Result<TimeZone> named(std::string_view name);

    /// The wall clock in the zone at `unixSeconds`, as seconds since 1970-01-01 00:00 of that
    /// clock (what a cron expression in the zone is matched against).
    [[nodiscard]] std::int64_t localSeconds(std::int64_t unixSeconds) const;
    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] bool isUtc() const { return zone_ == nullptr; }

  private:
    const date::time_zone* zone_ = nullptr;
    std::string name_ = "UTC";
};

} // namespace headroom::whatif
