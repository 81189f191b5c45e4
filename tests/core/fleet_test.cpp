#include "analysis/fleet.h"
#include "analysis/queueing.h"

#include <gtest/gtest.h>

namespace headroom::analysis {
namespace {

FleetSpec threeClonesOfFour(double rate, Balancing balancing, double scv = 1) {
    FleetSpec s;
    s.arrivalRate = rate;
    s.serviceTime = 0.020;
    s.serviceScv = scv;
    s.replicas = 3;
    s.concurrency = 4;
    s.balancing = balancing;
    return s;
}

TEST(Fleet, EachBalancerGivesItsQueue) {
    // 540 req/s over 3 clones of 4 workers at 20 ms: 90% busy, saturating at 600 req/s.
    const auto rr = analyzeFleet(threeClonesOfFour(540, Balancing::RoundRobin), 0.95);
    ASSERT_TRUE(rr);
    EXPECT_NEAR(rr->utilisation, 0.9, 1e-12);
    EXPECT_NEAR(rr->saturationThroughput, 600, 1e-9);
    EXPECT_NEAR(rr->cloneArrivalRate, 180, 1e-12);
    EXPECT_NEAR(rr->cloneArrivalScv, 1.0 / 3, 1e-12); // every third gap of a Poisson stream
    EXPECT_NEAR(*rr->meanResponse, *ggcMeanWait(180, 50, 4, 1.0 / 3, 1) + 0.02, 1e-15);
    // Random routing keeps each clone's stream Poisson: exactly M/M/4 per clone.
    const auto random = analyzeFleet(threeClonesOfFour(540, Balancing::Random), 0.95);
    EXPECT_NEAR(*random->meanResponse, mmc(180, 50, 4)->meanResponse, 1e-15);
    EXPECT_NEAR(*random->percentileResponse, *mmcResponsePercentile(180, 50, 4, 0.95), 1e-9);
    // Least connections is one pool of 12 workers: exactly M/M/12 for Poisson and exponential.
    const auto pooled = analyzeFleet(threeClonesOfFour(540, Balancing::LeastConnections), 0.95);
    EXPECT_NEAR(*pooled->meanResponse, mmc(540, 50, 12)->meanResponse, 1e-15);
    // The smoother the queue, the shorter the wait.
    EXPECT_LT(*pooled->meanResponse, *rr->meanResponse);
    EXPECT_LT(*rr->meanResponse, *random->meanResponse);
}

TEST(Fleet, HashRoutingLoadsTheBusiestCloneAndSaturatesEarlier) {
    auto spec = threeClonesOfFour(300, Balancing::Hash);
    spec.imbalance = 0.2;
    const auto f = analyzeFleet(spec, 0.99);
    ASSERT_TRUE(f);
    EXPECT_NEAR(f->cloneArrivalRate, 120, 1e-12); // 100 x 1.2
    EXPECT_NEAR(f->utilisation, 0.6, 1e-12);
    EXPECT_NEAR(f->saturationThroughput, 500, 1e-9); // 600 / 1.2
    EXPECT_NEAR(*f->percentileResponse, *mmcResponsePercentile(120, 50, 4, 0.99), 1e-9);
}

TEST(Fleet, SaturatedAndNonsenseInputsSaySo) {
    const auto full = analyzeFleet(threeClonesOfFour(600, Balancing::RoundRobin), 0.95);
    ASSERT_TRUE(full);
    EXPECT_FALSE(full->meanResponse);
    EXPECT_FALSE(full->percentileResponse);
    const auto idle = analyzeFleet(threeClonesOfFour(0, Balancing::RoundRobin, 0), 0.95);
    ASSERT_TRUE(idle);
    EXPECT_NEAR(*idle->meanResponse, 0.020, 1e-9) << "no load: the service time";
    EXPECT_NEAR(idle->saturationThroughput, 600, 1e-9);
    auto bad = threeClonesOfFour(10, Balancing::RoundRobin);
    bad.replicas = 0;
    EXPECT_FALSE(analyzeFleet(bad, 0.95));
    EXPECT_FALSE(analyzeFleet(threeClonesOfFour(10, Balancing::RoundRobin), 1.5));
    EXPECT_EQ(balancingFromKey("cookie_hash"), Balancing::Hash);
    EXPECT_FALSE(balancingFromKey("weighted"));
}

} // namespace
} // namespace headroom::analysis
