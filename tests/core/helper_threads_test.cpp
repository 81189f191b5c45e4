#include "common/helper_threads.h"

#include <atomic>
#include <gtest/gtest.h>
#include <thread>
#include <vector>

namespace headroom {
namespace {

TEST(HelperThreads, EveryHelperRunsTheJobOnceAndFinishWaitsForThem) {
    for (const unsigned count : {1U, 3U, 2U, 5U}) { // the kept threads grow, then are reused
        std::atomic<int> runs{0};
        std::atomic<int> slow{0};
        HelperThreads helpers(count);
        EXPECT_EQ(helpers.count(), count);
        helpers.start([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            slow.fetch_add(1);
            runs.fetch_add(1);
        });
        helpers.finish();
        EXPECT_EQ(runs.load(), static_cast<int>(count)); // finish waited for the slow ones
        EXPECT_EQ(slow.load(), static_cast<int>(count));
    }
}

TEST(HelperThreads, JobsAfterJobsRunOnTheSameHelpers) {
    // Each job sees the one before it finished: the second adds what the first wrote.
    HelperThreads helpers(3);
    std::atomic<int> first{0}, second{0};
    for (int round = 0; round < 50; ++round) {
        helpers.start([&] { first.fetch_add(1); });
        helpers.finish();
        const int seen = first.load();
        helpers.start([&] { second.fetch_add(seen); });
        helpers.finish();
    }
    EXPECT_EQ(first.load(), 150);
    int expected = 0;
    for (int round = 1; round <= 50; ++round)
        expected += 3 * (3 * round);
    EXPECT_EQ(second.load(), expected);
}

TEST(HelperThreads, LeftUnstartedTheHelpersRunNothing) {
    std::atomic<int> runs{0};
    { HelperThreads helpers(2); }
    HelperThreads next(2); // the same kept threads, free again
    next.start([&] { runs.fetch_add(1); });
    next.finish();
    EXPECT_EQ(runs.load(), 2);
}

TEST(HelperThreads, TwoCallersAtOnceEachGetTheirOwnHelpers) {
    // One takes the kept threads, the other (finding them busy) makes its own: each job runs
    // exactly on its own helpers, many times over.
    std::atomic<int> a{0}, b{0};
    const auto caller = [](std::atomic<int>& runs) {
        for (int round = 0; round < 200; ++round) {
            HelperThreads helpers(2);
            helpers.start([&] { runs.fetch_add(1); });
            helpers.finish();
        }
    };
    {
        std::jthread first(caller, std::ref(a));
        std::jthread second(caller, std::ref(b));
    }
    EXPECT_EQ(a.load(), 400);
    EXPECT_EQ(b.load(), 400);
}

TEST(HelperThreads, NoneIsNothingToWaitFor) {
    HelperThreads helpers(0);
    int runs = 0;
    helpers.start([&] { ++runs; });
    helpers.finish();
    EXPECT_EQ(runs, 0);
}

} // namespace
} // namespace headroom
