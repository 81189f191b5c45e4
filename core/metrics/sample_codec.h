#pragma once
// Compression of (timestamp, value) samples into chunks, after Facebook's Gorilla
// (Pelkonen et al., "Gorilla: A Fast, Scalable, In-Memory Time Series Database", VLDB 2015,
// section 4.1): timestamps as delta-of-delta with variable-length buckets, values as the XOR
// with the previous value, storing only the meaningful bits. A regular 15 s scrape of a slowly
// changing counter costs about 1.4 bytes per sample; a constant one 2 bits.
//
// Chunk layout (bits, most significant first):
//   64  first timestamp (ms, two's complement)     64  first value (IEEE-754 bits)
//   then per further sample: timestamp delta-of-delta, then the value XOR:
//     dod  '0' = 0 | '10'+7 | '110'+9 | '1110'+12 | '1111'+64 bits (signed, two's complement)
//     xor  '0' = same value | '10' + bits inside the previous leading/trailing-zero window
//          | '11' + 6 bits leading zeros + 6 bits (length-1) + the meaningful bits
// The sample count is kept beside the chunk (not in it).

#include "common/result.h"

#include <cstdint>
#include <span>
#include <vector>

namespace headroom::metrics {

struct Sample {
    std::int64_t timestampMs = 0;
    double value = 0;
};

/// Encodes samples (timestamps strictly increasing) into one chunk.
std::vector<std::uint8_t> encodeChunk(std::span<const Sample> samples);
/// The same bytes, left in this thread's scratch buffer (valid until its next encoding): for
/// callers that copy them on, into an arena (chunk_bytes.h).
std::span<const std::uint8_t> encodeChunkInPlace(std::span<const Sample> samples);

/// Decodes `count` samples from a chunk, appending them to `out`. An Error if the chunk is
/// shorter than the count says (a damaged file).
Status decodeChunk(std::span<const std::uint8_t> chunk, std::size_t count,
                   std::vector<Sample>& out);

} // namespace headroom::metrics
