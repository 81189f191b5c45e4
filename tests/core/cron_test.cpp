// Cron schedules of scheduled scaling actions (whatif/cron.h), on dates whose weekday is known:
// 2026-11-23 was a Monday (1,795,392,000 s after the epoch), 2026-12-01 a Tuesday.

#include "whatif/cron.h"

#include <gtest/gtest.h>

namespace headroom::whatif {
namespace {

constexpr std::int64_t kMonday = 1'795'392'000; // 2026-11-23 00:00 UTC
constexpr std::int64_t kDay = 86'400;

std::int64_t at(int day, int hour, int minute) {
    return kMonday + day * kDay + hour * 3600 + minute * 60;
}

TEST(Cron, WeekdayMornings) {
    const auto s = parseCron("0 8 * * 1-5");
    ASSERT_TRUE(s) << s.error().describe();
    EXPECT_TRUE(s->matches(at(0, 8, 0)));      // Monday 08:00
    EXPECT_TRUE(s->matches(at(0, 8, 0) + 59)); // within that minute
    EXPECT_FALSE(s->matches(at(0, 8, 1)));     // 08:01
    EXPECT_TRUE(s->matches(at(4, 8, 0)));      // Friday
    EXPECT_FALSE(s->matches(at(5, 8, 0)));     // Saturday
    EXPECT_FALSE(s->matches(at(6, 8, 0)));     // Sunday
    EXPECT_TRUE(parseCron("0 8 * * MON-fri")->matches(at(2, 8, 0)));
}

TEST(Cron, StepsListsAndMonths) {
    const auto quarter = parseCron("*/15 * * * *");
    EXPECT_TRUE(quarter->matches(at(0, 9, 45)));
    EXPECT_FALSE(quarter->matches(at(0, 9, 50)));
    const auto fromFive = parseCron("5/20 * * * *"); // 5, 25, 45
    EXPECT_TRUE(fromFive->matches(at(0, 9, 45)));
    EXPECT_FALSE(fromFive->matches(at(0, 9, 5 + 10)));
    // AWS's own example: 00:30 on the first of January, June and December.
    const auto aws = parseCron("30 0 1 1,6,12 *");
    EXPECT_TRUE(aws->matches(at(8, 0, 30)));                   // 2026-12-01
    EXPECT_FALSE(aws->matches(kMonday - 22 * kDay + 30 * 60)); // 2026-11-01
}

TEST(Cron, BothDayFieldsRestrictedMatchEither) {
    const auto s = parseCron("0 0 1 * MON");
    EXPECT_TRUE(s->matches(at(0, 0, 0)));                      // a Monday, the 23rd
    EXPECT_TRUE(s->matches(at(8, 0, 0)));                      // the 1st, a Tuesday
    EXPECT_FALSE(s->matches(at(1, 0, 0)));                     // Tuesday the 24th
    EXPECT_TRUE(parseCron("0 0 * * 7")->matches(at(6, 0, 0))); // 7 is Sunday too
}

TEST(Cron, SaysWhatIsWrong) {
    const auto fields = parseCron("0 8 * *");
    ASSERT_FALSE(fields);
    EXPECT_NE(fields.error().message.find("five fields"), std::string::npos);
    EXPECT_NE(parseCron("61 * * * *").error().message.find("minute"), std::string::npos);
    EXPECT_NE(parseCron("*/0 * * * *").error().message.find("step"), std::string::npos);
    EXPECT_NE(parseCron("0 8 * * FOO").error().message.find("day of week"), std::string::npos);
    EXPECT_FALSE(parseCron("0 8 * 13 *"));
    EXPECT_FALSE(parseCron("0 8 5-2 * *"));
}

} // namespace
} // namespace headroom::whatif
