// A tier's ticks (whatif/ticks.h): TickServer on a backlog worked out by hand, and the compact
// series reading every tick back as it was served, at random and in order.

#include "whatif/ticks.h"

#include <gtest/gtest.h>
#include <limits>
#include <memory>

namespace headroom::whatif {
namespace {

/// 100 req/s an instance; a response of 10 ms plus 100 ms x utilisation.
std::shared_ptr<Tier> linearTier() {
    auto t = std::make_shared<Tier>();
    t->capacity = 100;
    t->unitRate = 200;
    for (int j = 0; j < kLatencyTableSize; ++j)
        t->latencyTable.push_back(0.01 + 0.1 * j / kLatencyTableSize);
    t->latencyCeiling = t->latencyTable.back();
    return t;
}

double latencyAt(double u) {
    return 0.01 + 0.1 * u;
}

void expectSame(const TierTick& a, const TierTick& b, std::size_t i) {
    EXPECT_EQ(a.offeredRps, b.offeredRps) << "tick " << i;
    EXPECT_EQ(a.servedRps, b.servedRps) << "tick " << i;
    EXPECT_EQ(a.desired, b.desired) << "tick " << i;
    EXPECT_EQ(a.ready, b.ready) << "tick " << i;
    EXPECT_EQ(a.booting, b.booting) << "tick " << i;
    EXPECT_EQ(a.draining, b.draining) << "tick " << i;
    EXPECT_EQ(a.latencySeconds, b.latencySeconds) << "tick " << i;
    EXPECT_EQ(a.backlog, b.backlog) << "tick " << i;
    EXPECT_EQ(a.dropped, b.dropped) << "tick " << i;
}

TEST(Ticks, ABacklogFillsToTheQueueLimitAndDrains) {
    // The load is at twice the drawn rate's multiplier (unit rate 200 over a drawn 100): three
    // instances (300 req/s) until tick 4, then two serving and one booting. A 30 s queue limit.
    auto load = std::make_shared<LoadSeries>();
    load->rps = {100, 150, 400, 500, 100, 0, 50, 50, 50, 50};
    const auto tier = linearTier();
    const TickRules rules{15, 30, false, 0.95};
    TickSeries series(load, 100, tier, rules);
    const TickServer server(*tier, *load, 100, rules);
    std::vector<TierTick> served;
    double backlog = 0;
    for (std::size_t i = 0; i < load->rps.size(); ++i) {
        const Fleet::Counts counts = i < 4 ? Fleet::Counts{3, 0, 0} : Fleet::Counts{2, 1, 0};
        const double before = backlog;
        served.push_back(server.serve(i, 3, counts, backlog));
        series.add(served.back(), before);
    }
    // Tick 0: 200 of 300 req/s; tick 2: 800 offered, 300 served, 500 x 15 s waiting, 25 s of
    // the capacity, read at 99%; tick 3: 7,500 + 700 x 15 = 18,000 waiting, past the 9,000 of
    // 30 s, so 9,000 dropped; tick 4: two instances, 9,000 waiting past the 6,000 of 30 s
    // at 200 req/s; ticks 5-7 drain it, 200 req/s served: 3,000, then 1,500, then none.
    EXPECT_DOUBLE_EQ(served[0].servedRps, 200);
    EXPECT_NEAR(served[0].latencySeconds, latencyAt(2.0 / 3), 1e-12);
    EXPECT_DOUBLE_EQ(served[2].servedRps, 300);
    EXPECT_DOUBLE_EQ(served[2].backlog, 7500);
    EXPECT_NEAR(served[2].latencySeconds, latencyAt(0.99) + 25, 1e-12);
    EXPECT_DOUBLE_EQ(served[3].dropped, 9000);
    EXPECT_DOUBLE_EQ(served[3].backlog, 9000);
    EXPECT_DOUBLE_EQ(served[4].servedRps, 200);
    EXPECT_DOUBLE_EQ(served[4].dropped, 3000);
    EXPECT_DOUBLE_EQ(served[4].backlog, 6000);
    EXPECT_DOUBLE_EQ(served[5].servedRps, 200);
    EXPECT_DOUBLE_EQ(served[5].backlog, 3000);
    EXPECT_NEAR(served[5].latencySeconds, latencyAt(0.99) + 15, 1e-12);
    EXPECT_DOUBLE_EQ(served[6].backlog, 1500);
    EXPECT_DOUBLE_EQ(served[7].backlog, 0);
    EXPECT_DOUBLE_EQ(served[8].servedRps, 100);
    EXPECT_NEAR(served[8].latencySeconds, latencyAt(0.5), 1e-12);

    // Read back: the plain ticks worked out again, the others kept, to the same bits.
    ASSERT_EQ(series.size(), served.size());
    for (std::size_t i = 0; i < served.size(); ++i)
        expectSame(series[i], served[i], i);
    std::size_t i = 0;
    for (const auto& t : series)
        expectSame(t, served[i], i), ++i;
    EXPECT_EQ(i, served.size());
    expectSame(series.back(), served.back(), served.size() - 1);
}

TEST(Ticks, TheLatencyTableReadsInfinityPastItsLastFiniteEntry) {
    // Finite up to 60% (the workers saturate there), infinite from 60% on.
    auto tier = linearTier();
    for (int j = 120; j < kLatencyTableSize; ++j)
        tier->latencyTable[static_cast<std::size_t>(j)] = std::numeric_limits<double>::infinity();
    LoadSeries load;
    const TickServer server(*tier, load, 1, TickRules{});
    EXPECT_NEAR(server.latency(0.5), latencyAt(0.5), 1e-12); // between two finite points
    EXPECT_NEAR(server.latency(0.595), latencyAt(0.595), 1e-12);
    // Between the last finite point and the first infinite one; on an infinite point (where
    // infinity x 0 would give NaN); between two infinite ones.
    EXPECT_EQ(server.latency(0.5975), std::numeric_limits<double>::infinity());
    EXPECT_EQ(server.latency(0.75), std::numeric_limits<double>::infinity());
    EXPECT_EQ(server.latency(0.8025), std::numeric_limits<double>::infinity());
}

TEST(Ticks, AQuietMonthIsKeptInAFewBytes) {
    // 172,800 ticks without a backlog and at one count: one run of counts, nothing kept whole
    // (a TierTick a tick was 9.7 MB).
    auto load = std::make_shared<LoadSeries>();
    load->rps.assign(172'800, 0);
    for (std::size_t i = 0; i < load->rps.size(); ++i)
        load->rps[i] = 50 + static_cast<double>(i % 97);
    const auto tier = linearTier();
    const TickRules rules;
    TickSeries series(load, 100, tier, rules);
    const TickServer server(*tier, *load, 100, rules);
    double backlog = 0;
    for (std::size_t i = 0; i < load->rps.size(); ++i)
        series.add(server.serve(i, 4, {4, 0, 0}, backlog), 0);
    EXPECT_LT(series.bytes(), 1024u);
    EXPECT_DOUBLE_EQ(series[100'000].offeredRps, (50 + 100'000 % 97) * 2);
    EXPECT_NEAR(series[100'000].latencySeconds, latencyAt((50 + 100'000 % 97) * 2 / 400.0), 1e-12);
}

} // namespace
} // namespace headroom::whatif
