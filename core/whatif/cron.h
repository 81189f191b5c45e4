#pragma once
// The five-field cron expressions scheduled scaling actions repeat on (EC2 Auto Scaling's
// Recurrence, "30 0 1 1,6,12 *": minute, hour, day of month, month, day of week), matched
// against a wall clock: UTC, or the action's TimeZone (time_zone.h).
// Fields take *, numbers, ranges (1-5), steps (*/15, 0-30/10), lists (1,15) and the names
// JAN-DEC and SUN-SAT; day of week 0 and 7 are Sunday. When both day fields are restricted a
// day matching either one matches (as cron has always read them).

#include "common/result.h"

#include <bitset>
#include <cstdint>
#include <string_view>

namespace headroom::whatif {

struct CronSchedule {
    std::bitset<60> minutes;
    std::bitset<24> hours;
    std::bitset<32> daysOfMonth; ///< 1-31
    std::bitset<13> months;      ///< 1-12
    std::bitset<7> daysOfWeek;   ///< 0 = Sunday
    bool anyDayOfMonth = true, anyDayOfWeek = true;

    /// Whether the minute starting at `clockSeconds` is one the schedule fires in: seconds
    /// since 1970-01-01 00:00 of the clock read (UTC, or TimeZone::localSeconds).
    [[nodiscard]] bool matches(std::int64_t unixSeconds) const;
};

/// A problem names the field and what in it is wrong.
Result<CronSchedule> parseCron(std::string_view text);

} // namespace headroom::whatif
