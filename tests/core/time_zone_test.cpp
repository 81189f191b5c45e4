// IANA time zones for schedules (whatif/time_zone.h): the wall clock a cron expression in a
// TimeZone is matched against, checked against the tz database's published rules.

#include "whatif/cron.h"
#include "whatif/time_zone.h"

#include <gtest/gtest.h>

namespace headroom::whatif {
namespace {

TEST(TimeZone, LocalTimeFollowsDaylightSavingTime) {
    // US rules (tz database, America/New_York): clocks go from 02:00 EST to 03:00 EDT on
    // 2024-03-10 and from 02:00 EDT back to 01:00 EST on 2024-11-03.
    const auto ny = TimeZone::named("America/New_York");
    ASSERT_TRUE(ny) << ny.error().describe();
    EXPECT_EQ(ny->localSeconds(1704067200), 1704067200 - 5 * 3600); // 2024-01-01, EST
    EXPECT_EQ(ny->localSeconds(1719835200), 1719835200 - 4 * 3600); // 2024-07-01, EDT
    const auto berlin = TimeZone::named("Europe/Berlin");
    ASSERT_TRUE(berlin);
    EXPECT_EQ(berlin->localSeconds(1719835200), 1719835200 + 2 * 3600); // CEST
    EXPECT_FALSE(TimeZone::named("Mars/Olympus_Mons"));
    // The database's other files are not zones (this date library would read them as one).
    for (const auto* notAZone : {"zonenow.tab", "localtime", "/etc/passwd", "../zone1970.tab"})
        EXPECT_FALSE(TimeZone::named(notAZone)) << notAZone;
    EXPECT_TRUE(TimeZone::named("Etc/GMT+9"));
    EXPECT_TRUE(TimeZone::named("UTC")->isUtc());
    // Each UTC minute of a day, matched on the New York clock as AWS reads a TimeZone.
    const auto firings = [&](const char* cron, std::int64_t fromUtc) {
        const auto schedule = parseCron(cron);
        int n = 0;
        for (std::int64_t m = 0; m < 36 * 60; ++m)
            n += schedule->matches(ny->localSeconds(fromUtc + m * 60));
        return n;
    };
    // 2024-03-10 00:00 EST is 05:00 UTC (1710046800): 02:30 does not happen that night.
    EXPECT_EQ(firings("30 2 10 3 *", 1710046800), 0);
    EXPECT_EQ(firings("30 3 10 3 *", 1710046800), 1);
    // 2024-11-03 00:00 EDT is 04:00 UTC (1730606400): 01:30 happens twice.
    EXPECT_EQ(firings("30 1 3 11 *", 1730606400), 2);
}

} // namespace
} // namespace headroom::whatif
