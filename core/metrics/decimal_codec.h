#pragma once
// A second chunk encoding, "decimal-1", for the values metrics mostly are: decimals with a few
// digits (412.31, 0.85, 3975.73) or whole numbers. Each value is stored as an integer at a
// decimal scale chosen per chunk (412.31 -> 41231 at scale 2), so consecutive values differ by
// small integers; those differences (or, for counters, the differences of differences) are
// bit-packed at the width that makes the chunk smallest, with an escape for outliers. The
// XOR encoding of Gorilla cannot see that 412.31 and 412.35 are close: their mantissas differ
// in most bits. Timestamps use the same delta-of-delta buckets as gorilla-1.
//
// Chunk layout (bits, most significant first):
//   4 scale (0..9)   1 mode (0 = deltas, 1 = deltas of deltas)   6 width w (0..63)
//   64 first timestamp   64 first scaled value (two's complement)
//   then per further sample: timestamp delta-of-delta as in gorilla-1, then the value:
//     '0' + w bits of the zigzag-coded difference | '1' + 64 bits of it
// A value is exactly scaled / 10^scale (one correctly rounded division), so decoding gives the
// very double that was stored.

#include "common/result.h"
#include "metrics/sample_codec.h"

#include <optional>

namespace headroom::metrics {

/// The smallest decimal scale (0..9) at which every value in the chunk is an exact integer
/// below 2^53 (and none is NaN, infinite or negative zero), or nothing.
std::optional<int> decimalScale(std::span<const Sample> samples);

/// Encodes at `scale` (from decimalScale).
std::vector<std::uint8_t> encodeDecimalChunk(std::span<const Sample> samples, int scale);

/// Finds the scale and encodes in one pass over the values (what encodeBest uses); nothing
/// when the chunk has no decimal scale. The scale found goes to `scale` when given. The bytes
/// are left in this thread's scratch buffer (valid until its next encoding): the caller copies
/// them on (chunk_bytes.h).
std::optional<std::span<const std::uint8_t>> encodeDecimalInPlace(std::span<const Sample> samples,
                                                                  int* scale = nullptr);

Status decodeDecimalChunk(std::span<const std::uint8_t> chunk, std::size_t count,
                          std::vector<Sample>& out);

} // namespace headroom::metrics
