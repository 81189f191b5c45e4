// The scenario noise's Poisson sampler (whatif/poisson.h) against the Poisson distribution
// itself: for means on both sides of the switch from inversion to PTRS at 10 (Boost.Random's), the
// counts of 2,000,000 draws are compared with the probabilities e^-m m^k / k! by a chi-square test.
#include "whatif/poisson.h"

#include <cmath>
#include <gtest/gtest.h>
#include <vector>

using namespace headroom::whatif;

namespace {

double probability(double mean, std::int64_t k) {
    return std::exp(static_cast<double>(k) * std::log(mean) - mean -
                    std::lgamma(static_cast<double>(k) + 1));
}

} // namespace

TEST(PoissonSampler, CountsFollowThePoissonDistribution) {
    constexpr int kDraws = 2'000'000;
    for (const double mean : {0.3, 4.0, 9.99, 10.0, 37.5, 750.0, 6000.0}) {
        SCOPED_TRACE(mean);
        PoissonSampler draw(2026);
        std::vector<int> seen(static_cast<std::size_t>(mean + 30 * std::sqrt(mean) + 60));
        double sum = 0, squares = 0;
        for (int i = 0; i < kDraws; ++i) {
            const auto k = draw(mean);
            ASSERT_GE(k, 0);
            ASSERT_LT(k, static_cast<std::int64_t>(seen.size()));
            ++seen[static_cast<std::size_t>(k)];
            sum += static_cast<double>(k);
            squares += static_cast<double>(k) * static_cast<double>(k);
        }
        const double average = sum / kDraws;
        // Mean and variance are both `mean`; the average's standard error is sqrt(mean / n).
        EXPECT_NEAR(average, mean, 5 * std::sqrt(mean / kDraws));
        EXPECT_NEAR((squares / kDraws - average * average) / mean, 1, 0.02);
        // Chi-square over cells of at least 50 expected draws (the tails merged into the cells
        // at each end), against the 1-in-a-million critical value for its degrees of freedom
        // (Wilson and Hilferty's approximation, z = 4.75).
        const auto centre = static_cast<std::int64_t>(mean);
        std::int64_t low = centre, high = centre;
        while (low > 0 && probability(mean, low - 1) * kDraws >= 50)
            --low;
        while (probability(mean, high + 1) * kDraws >= 50)
            ++high;
        double chi = 0, below = 0;
        for (std::int64_t k = 0; k < low; ++k)
            below += probability(mean, k);
        const auto cell = [&](double expectedShare, double observed) {
            const double expected = expectedShare * kDraws;
            chi += (observed - expected) * (observed - expected) / expected;
        };
        double observedBelow = 0, observedAbove = 0, inside = below;
        for (std::size_t k = 0; k < seen.size(); ++k) {
            if (static_cast<std::int64_t>(k) < low)
                observedBelow += seen[k];
            else if (static_cast<std::int64_t>(k) > high)
                observedAbove += seen[k];
        }
        int cells = 0;
        if (low > 0) {
            cell(below, observedBelow);
            ++cells;
        }
        for (std::int64_t k = low; k <= high; ++k) {
            cell(probability(mean, k), seen[static_cast<std::size_t>(k)]);
            inside += probability(mean, k);
            ++cells;
        }
        cell(1 - inside, observedAbove);
        ++cells;
        const double df = cells - 1;
        const double critical = df * std::pow(1 - 2 / (9 * df) + 4.75 * std::sqrt(2 / (9 * df)), 3);
        EXPECT_LT(chi, critical) << cells << " cells";
    }
}

TEST(PoissonSampler, RepeatsWithItsSeedAndGivesNothingForNoMean) {
    PoissonSampler a(7), b(7), c(8);
    int differ = 0;
    for (int i = 0; i < 100; ++i) {
        const auto x = a(750), y = b(750), z = c(750);
        EXPECT_EQ(x, y);
        differ += x != z;
    }
    EXPECT_GT(differ, 80);
    EXPECT_EQ(a(0), 0);
    EXPECT_EQ(a(-3), 0);
    EXPECT_EQ(a(std::nan("")), 0);
}
