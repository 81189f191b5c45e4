#include "metrics/chunk_bytes.h"
#include "metrics/series.h"

#include <gtest/gtest.h>
#include <numeric>

namespace headroom::metrics {
namespace {

std::vector<std::uint8_t> bytes(std::size_t count, std::uint8_t first) {
    std::vector<std::uint8_t> out(count);
    std::iota(out.begin(), out.end(), first);
    return out;
}

TEST(ChunkArena, PacksChunksIntoOneBlockAndKeepsItAliveAfterTheArena) {
    std::vector<ChunkBytes> kept;
    {
        ChunkArena arena(4096);
        kept.push_back(arena.keep(bytes(1000, 1)));
        kept.push_back(arena.keep(bytes(1000, 2)));
        kept.push_back(arena.keep(bytes(1000, 3)));
        // Three slices of one 4 KiB block, one after the other.
        EXPECT_EQ(kept[1].data(), kept[0].data() + 1000);
        EXPECT_EQ(kept[2].data(), kept[1].data() + 1000);
        // The fourth does not fit in what is left (1,096 bytes): a new block (8 KiB, doubled).
        kept.push_back(arena.keep(bytes(1500, 4)));
        EXPECT_NE(kept[3].data(), kept[2].data() + 1000);
    } // the arena is gone; the chunks hold their blocks
    EXPECT_EQ(kept[0], ChunkBytes(bytes(1000, 1)));
    EXPECT_EQ(kept[2], ChunkBytes(bytes(1000, 3)));
    EXPECT_EQ(kept[3], ChunkBytes(bytes(1500, 4)));
    EXPECT_NE(kept[0], kept[1]);
}

TEST(ChunkArena, AChunkLargerThanABlockGetsABlockOfItsOwn) {
    ChunkArena arena(4096);
    const auto big = arena.keep(bytes(10000, 7));
    EXPECT_EQ(big.size(), 10000u);
    EXPECT_EQ(big, ChunkBytes(bytes(10000, 7)));
    EXPECT_TRUE(arena.keep({}).empty());
}

TEST(ChunkArena, EncodedIntoAnArenaAChunkIsTheSameAsOnItsOwn) {
    std::vector<Sample> samples;
    for (int i = 0; i < 1024; ++i)
        samples.push_back({1'700'000'000'000 + i * 15'000LL, 500 + (i * 37 % 101) / 8.0});
    ChunkArena arena(1 << 16);
    const auto inArena = encodeBest(samples, &arena);
    const auto alone = encodeBest(samples);
    EXPECT_EQ(inArena, alone);
    std::vector<Sample> decoded;
    ASSERT_TRUE(decodeInto(inArena, decoded));
    ASSERT_EQ(decoded.size(), samples.size());
    EXPECT_EQ(decoded[1023].value, samples[1023].value);
}

} // namespace
} // namespace headroom::metrics
