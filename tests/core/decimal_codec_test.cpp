#include "metrics/decimal_codec.h"
#include "metrics/series.h"

#include <cmath>
#include <gtest/gtest.h>
#include <random>

namespace headroom::metrics {
namespace {

std::vector<Sample> roundTrip(const std::vector<Sample>& in) {
    const auto chunk = encodeBest(in);
    std::vector<Sample> out;
    EXPECT_TRUE(decodeInto(chunk, out));
    EXPECT_EQ(out.size(), in.size());
    for (std::size_t i = 0; i < std::min(in.size(), out.size()); ++i) {
        EXPECT_EQ(out[i].timestampMs, in[i].timestampMs) << i;
        EXPECT_EQ(std::bit_cast<std::uint64_t>(out[i].value),
                  std::bit_cast<std::uint64_t>(in[i].value))
            << i << ": " << in[i].value;
    }
    return out;
}

TEST(DecimalCodec, FindsTheSmallestExactScale) {
    EXPECT_EQ(*decimalScale(std::vector<Sample>{{0, 412.31}, {1, 5}, {2, -0.5}}), 2);
    EXPECT_EQ(*decimalScale(std::vector<Sample>{{0, 3}, {1, 1e15}}), 0);
    EXPECT_EQ(*decimalScale(std::vector<Sample>{{0, 0.000000001}}), 9);
    EXPECT_FALSE(decimalScale(std::vector<Sample>{{0, 1.0 / 3}}));
    EXPECT_FALSE(decimalScale(std::vector<Sample>{{0, -0.0}})) << "the sign of zero would go";
    EXPECT_FALSE(decimalScale(std::vector<Sample>{{0, std::nan("")}}));
    EXPECT_FALSE(decimalScale(std::vector<Sample>{{0, 1e17}})) << "beyond 2^53";
}

TEST(DecimalCodec, EveryDoubleComesBackBitForBit) {
    std::mt19937 random(3);
    std::normal_distribution<double> noise(500, 50);
    std::vector<Sample> gauge;
    for (int i = 0; i < 1024; ++i)
        gauge.push_back(
            {1'700'000'000'000 + i * 15'000LL, std::round(noise(random) * 1000) / 1000});
    gauge[500].value = 98765.432; // a spike: escaped, not widening every value
    gauge[501].value = -12.5;
    roundTrip(gauge);
    const auto chunk = encodeBest(gauge);
    EXPECT_EQ(chunk.encoding, ChunkEncoding::Decimal1);
    // Differences of two draws with sigma 50 have sigma 70.7, 70,700 at 3 decimals; nearly
    // all lie within 4 sigma (283,000), which zigzag-coded needs 20 bits; with the flag bit and
    // a 1-bit regular timestamp that is 22 bits, 2.75 bytes, a sample (gzip -9 of the same CSV
    // text takes about 6.2).
    EXPECT_LE(chunk.data.size(), 1024u * 275 / 100 + 40);
    EXPECT_GT(chunk.data.size(), 1024u * 24 / 10);

    const std::vector<Sample> thirds{{0, 1.0 / 3}, {1, 2.0 / 3}};
    EXPECT_EQ(encodeBest(thirds).encoding, ChunkEncoding::Gorilla1);
    roundTrip(thirds);
}

TEST(DecimalCodec, ASteadyCounterCostsTwoBitsASample) {
    // A counter growing by 7 a scrape at exactly 15 s: after the 139-bit header, the second
    // sample is the only one whose deltas of deltas are not zero (15,000 ms: '1111' + 64 bits;
    // 7: escaped, '1' + 64 bits), and every later one costs one timestamp bit and one value bit.
    std::vector<Sample> counter;
    for (int i = 0; i < 1024; ++i)
        counter.push_back({1'700'000'000'000 + i * 15'000LL, 1000.0 + 7 * i});
    roundTrip(counter);
    const auto chunk = encodeBest(counter);
    EXPECT_EQ(chunk.data.size(), (4 + 1 + 6 + 64 + 64 + (68 + 65) + 1022 * 2 + 7) / 8u);
}

TEST(DecimalCodec, ADamagedChunkSaysSo) {
    std::vector<Sample> in{{0, 1.5}, {1000, 2.5}, {2000, 4.5}};
    auto chunk = encodeBest(in);
    chunk.data = std::span(chunk.data).first(10);
    std::vector<Sample> out;
    const auto decoded = decodeInto(chunk, out);
    ASSERT_FALSE(decoded);
    EXPECT_NE(decoded.error().message.find("shorter than its sample count"), std::string::npos);
    chunk.data = std::vector<std::uint8_t>(40, 0xff); // scale 15
    out.clear();
    EXPECT_FALSE(decodeInto(chunk, out));
}

} // namespace
} // namespace headroom::metrics
