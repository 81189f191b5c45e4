#pragma once
// The timestamp part shared by both chunk encodings (gorilla-1 and decimal-1): each timestamp
// as the delta of its delta, in variable-length buckets after Gorilla (Pelkonen et al., VLDB
// 2015, section 4.1.1): '0' = 0 | '10'+7 | '110'+9 | '1110'+12 | '1111'+64 bits, two's complement.

#include "metrics/bit_stream.h"

#include <cstdint>
#include <optional>

namespace headroom::metrics::bits {

struct Bucket {
    std::uint64_t prefix;
    int prefixBits;
    int payloadBits;
};
inline constexpr Bucket kBuckets[] = {{0b10, 2, 7}, {0b110, 3, 9}, {0b1110, 4, 12}};

inline void writeDeltaOfDelta(BitWriter& out, std::int64_t dod) {
    if (dod == 0) {
        out.writeBit(false);
        return;
    }
    for (const auto& bucket : kBuckets) {
        const std::int64_t low = -(std::int64_t{1} << (bucket.payloadBits - 1));
        if (dod >= low && dod < -low) {
            out.write(bucket.prefix, bucket.prefixBits);
            out.write(static_cast<std::uint64_t>(dod), bucket.payloadBits);
            return;
        }
    }
    out.write(0b1111, 4);
    out.write(static_cast<std::uint64_t>(dod), 64);
}

/// The next delta of delta, or nothing when the stream ends first.
inline std::optional<std::int64_t> readDeltaOfDelta(BitReader& in) {
    int ones = 0; // the prefix's leading ones, at most four
    while (ones < 4) {
        const auto bit = in.read(1);
        if (!bit)
            return std::nullopt;
        if (*bit == 0)
            break;
        ++ones;
    }
    if (ones == 0)
        return 0;
    const int payload = ones == 4 ? 64 : kBuckets[ones - 1].payloadBits;
    const auto value = in.read(payload);
    if (!value)
        return std::nullopt;
    if (payload == 64)
        return static_cast<std::int64_t>(*value);
    const std::uint64_t sign = std::uint64_t{1} << (payload - 1);
    return static_cast<std::int64_t>((*value ^ sign) - sign);
}

} // namespace headroom::metrics::bits
