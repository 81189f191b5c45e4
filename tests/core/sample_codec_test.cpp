#include "metrics/sample_codec.h"

#include <bit>
#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <random>

namespace headroom::metrics {
namespace {

std::vector<Sample> roundTrip(const std::vector<Sample>& in) {
    const auto chunk = encodeChunk(in);
    std::vector<Sample> out;
    EXPECT_TRUE(decodeChunk(chunk, in.size(), out));
    return out;
}

void expectSameBits(const std::vector<Sample>& a, const std::vector<Sample>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].timestampMs, b[i].timestampMs) << i;
        EXPECT_EQ(std::bit_cast<std::uint64_t>(a[i].value),
                  std::bit_cast<std::uint64_t>(b[i].value))
            << i;
    }
}

TEST(SampleCodec, AConstantRegularSeriesCostsTwoBitsPerSample) {
    std::vector<Sample> in;
    for (int i = 0; i < 1000; ++i)
        in.push_back({1'700'000'000'000 + i * 15'000LL, 42.5});
    // 128 header bits; the first delta (15000) needs the 64-bit bucket (4 + 64 bits) and its
    // value is unchanged (1 bit); every later sample is dod 0 (1 bit) + same value (1 bit).
    const std::size_t bits = 128 + 68 + 1 + 998 * 2;
    EXPECT_EQ(encodeChunk(in).size(), (bits + 7) / 8);
    expectSameBits(roundTrip(in), in);
}

TEST(SampleCodec, RoundTripsJitterCountersAndSpecialValues) {
    std::mt19937_64 random(3);
    std::vector<Sample> in;
    std::int64_t t = -5'000; // timestamps before 1970 too
    double counter = 1e6;
    for (int i = 0; i < 5000; ++i) {
        t += 15'000 + static_cast<std::int64_t>(random() % 41) - 20; // scrape jitter
        if (i % 977 == 0)
            t += 3'600'000; // a gap of an hour
        counter += static_cast<double>(random() % 1000) * 0.25;
        double value = counter;
        if (i == 100)
            value = std::numeric_limits<double>::quiet_NaN();
        if (i == 101)
            value = -std::numeric_limits<double>::infinity();
        if (i == 102)
            value = -0.0;
        if (i == 103)
            value = std::numeric_limits<double>::denorm_min();
        in.push_back({t, value});
    }
    expectSameBits(roundTrip(in), in);
}

TEST(SampleCodec, ASingleSampleAndNothing) {
    expectSameBits(roundTrip({{7, 1.5}}), {{7, 1.5}});
    EXPECT_TRUE(encodeChunk({}).empty());
}

TEST(SampleCodec, ATruncatedChunkIsAnErrorNotACrash) {
    std::vector<Sample> in;
    for (int i = 0; i < 100; ++i)
        in.push_back({i * 1000LL, std::sin(i)});
    auto chunk = encodeChunk(in);
    chunk.resize(chunk.size() / 2);
    std::vector<Sample> out;
    EXPECT_FALSE(decodeChunk(chunk, in.size(), out));
}

} // namespace
} // namespace headroom::metrics
