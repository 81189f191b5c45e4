#include "metrics/series_ops.h"

#include <cmath>
#include <gtest/gtest.h>
#include <random>
#include <tuple>

namespace headroom::metrics {
namespace {

const std::vector<Sample> kEvery10s{{0, 1},      {10'000, 3},   {20'000, 2},
                                    {30'000, 8}, {40'000, NAN}, {50'000, 4}};

TEST(Resample, BucketsAlignedToTheStep) {
    // 30 s buckets: [0, 30 s) holds 1, 3, 2; [30 s, 60 s) holds 8, (gap), 4.
    const auto avg = resample(kEvery10s, 30'000, Aggregation::Average);
    ASSERT_EQ(avg.size(), 2u);
    EXPECT_EQ(avg[0].timestampMs, 0);
    EXPECT_DOUBLE_EQ(avg[0].value, 2.0);
    EXPECT_EQ(avg[1].timestampMs, 30'000);
    EXPECT_DOUBLE_EQ(avg[1].value, 6.0);
    EXPECT_EQ(resample(kEvery10s, 30'000, Aggregation::Max)[1].value, 8);
    EXPECT_EQ(resample(kEvery10s, 30'000, Aggregation::Min)[0].value, 1);
    EXPECT_EQ(resample(kEvery10s, 30'000, Aggregation::Last)[0].value, 2);
}

TEST(Resample, EmptyBucketsStayGaps) {
    const auto out =
        resample(std::vector<Sample>{{0, 1}, {100'000, 2}}, 30'000, Aggregation::Average);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[1].timestampMs, 90'000);
}

TEST(CounterRate, PerSecondAndAcrossAReset) {
    // 100 -> 160 in 15 s: 4/s; then the counter restarts and reads 30 after 15 s: 2/s.
    const std::vector<Sample> counter{{0, 100}, {15'000, 160}, {30'000, 30}};
    const auto rate = counterRate(counter);
    ASSERT_EQ(rate.size(), 2u);
    EXPECT_EQ(rate[0].timestampMs, 15'000);
    EXPECT_DOUBLE_EQ(rate[0].value, 4.0);
    EXPECT_DOUBLE_EQ(rate[1].value, 2.0);
}

TEST(Percentile, LinearInterpolationLikeNumpy) {
    // numpy.percentile([1, 2, 3, 8], 95) = 3 + 0.85 * (8 - 3) = 7.25 (position 2.85).
    const std::vector<Sample> s{{0, 8}, {1, 1}, {2, 3}, {3, 2}};
    const auto p95 = percentileOverWindows(s, 60'000, 0.95);
    ASSERT_EQ(p95.size(), 1u);
    EXPECT_DOUBLE_EQ(p95[0].value, 7.25);
    EXPECT_DOUBLE_EQ(percentileOverWindows(s, 60'000, 0.5)[0].value, 2.5);
}

TEST(MinMaxDownsample, KeepsASingleSpike) {
    std::vector<Sample> s;
    for (int i = 0; i < 100'000; ++i)
        s.push_back({i, i == 54'321 ? 1000.0 : 1.0});
    const auto out = minMaxDownsample(s, 0, 100'000, 500);
    EXPECT_LE(out.size(), 1000u);
    double peak = 0;
    for (const auto& p : out)
        peak = std::max(peak, p.value);
    EXPECT_EQ(peak, 1000.0) << "the spike survives";
    for (std::size_t i = 1; i < out.size(); ++i)
        EXPECT_LT(out[i - 1].timestampMs, out[i].timestampMs);
}

TEST(Lttb, KeepsEndsAndTheExtremeOfEachBucket) {
    std::vector<Sample> s;
    for (int i = 0; i < 1000; ++i)
        s.push_back({i * 1000LL, std::sin(i / 50.0) + (i == 500 ? 10 : 0)});
    const auto out = lttb(s, 100);
    ASSERT_EQ(out.size(), 100u);
    EXPECT_EQ(out.front().timestampMs, 0);
    EXPECT_EQ(out.back().timestampMs, 999'000);
    bool spike = false;
    for (const auto& p : out)
        spike = spike || p.timestampMs == 500'000;
    EXPECT_TRUE(spike);
    EXPECT_EQ(lttb(s, 2000).size(), 1000u) << "nothing to drop";
}

} // namespace
} // namespace headroom::metrics

namespace headroom::metrics {
namespace {

TEST(MinMaxIndex, GivesExactlyWhatTheFullScanGives) {
    std::mt19937 random(7);
    std::uniform_real_distribution<double> value(-50, 50);
    std::vector<Sample> samples;
    std::int64_t t = 1'000;
    for (int i = 0; i < 100'000; ++i) {
        t += 1 + static_cast<std::int64_t>(random() % 3000); // uneven spacing
        const bool gap = random() % 50 == 0 && i % 5000 != 0;
        samples.push_back({t, gap ? std::nan("") : value(random) + (i % 5000 == 0 ? 900 : 0)});
    }
    const MinMaxIndex index(samples, 64);
    const std::int64_t first = samples.front().timestampMs, last = samples.back().timestampMs;
    const std::vector<std::tuple<std::int64_t, std::int64_t, int>> cases{
        {first, last + 1, 1000},
        {first - 5'000, last + 5'000, 7},
        {first, last, 1},
        {first + 123'456, first + 9'999'999, 333},
        {first + 100, first + 200, 50},
        {last - 1'000'000, last + 1, 2000}};
    for (const auto& [from, to, buckets] : cases) {
        const auto expected = minMaxDownsample(samples, from, to, buckets);
        const auto actual = index.downsample(samples, from, to, buckets);
        ASSERT_EQ(actual.size(), expected.size()) << from << ".." << to << " / " << buckets;
        for (std::size_t i = 0; i < actual.size(); ++i) {
            EXPECT_EQ(actual[i].timestampMs, expected[i].timestampMs);
            EXPECT_EQ(actual[i].value, expected[i].value);
        }
    }
    // The spikes every 5000 samples survive a 100-column chart of everything.
    int spikes = 0;
    for (const auto& s : index.downsample(samples, first, last + 1, 100))
        spikes += s.value > 800;
    EXPECT_EQ(spikes, 20);
}

} // namespace
} // namespace headroom::metrics
