#include "metrics/sample_codec.h"

#include "metrics/bit_stream.h"

#include <bit>
#include <cstring>

namespace headroom::metrics {
namespace {

std::uint64_t bitsOf(double value) {
    return std::bit_cast<std::uint64_t>(value);
}
double valueOf(std::uint64_t bits) {
    return std::bit_cast<double>(bits);
}

/// The delta-of-delta buckets: prefix, prefix length, payload bits.
struct Bucket {
    std::uint64_t prefix;
    int prefixBits;
    int payloadBits;
};
constexpr Bucket kBuckets[] = {{0b10, 2, 7}, {0b110, 3, 9}, {0b1110, 4, 12}};

bool fits(std::int64_t value, int bits) {
    const std::int64_t low = -(std::int64_t{1} << (bits - 1));
    const std::int64_t high = (std::int64_t{1} << (bits - 1)) - 1;
    return value >= low && value <= high;
}

void writeDeltaOfDelta(BitWriter& out, std::int64_t dod) {
    if (dod == 0) {
        out.writeBit(false);
        return;
    }
    for (const auto& bucket : kBuckets)
        if (fits(dod, bucket.payloadBits)) {
            out.write(bucket.prefix, bucket.prefixBits);
            out.write(static_cast<std::uint64_t>(dod), bucket.payloadBits);
            return;
        }
    out.write(0b1111, 4);
    out.write(static_cast<std::uint64_t>(dod), 64);
}

std::int64_t signExtend(std::uint64_t bits, int count) {
    if (count == 64)
        return static_cast<std::int64_t>(bits);
    const std::uint64_t sign = std::uint64_t{1} << (count - 1);
    return static_cast<std::int64_t>((bits ^ sign) - sign);
}

} // namespace

std::vector<std::uint8_t> encodeChunk(std::span<const Sample> samples) {
    BitWriter out;
    if (samples.empty())
        return {};
    out.write(static_cast<std::uint64_t>(samples[0].timestampMs), 64);
    out.write(bitsOf(samples[0].value), 64);
    std::int64_t previousDelta = 0;
    int leading = -1, trailing = 0; // the previous meaningful-bit window (-1: none yet)
    for (std::size_t i = 1; i < samples.size(); ++i) {
        const std::int64_t delta = samples[i].timestampMs - samples[i - 1].timestampMs;
        writeDeltaOfDelta(out, delta - previousDelta);
        previousDelta = delta;

        const std::uint64_t x = bitsOf(samples[i].value) ^ bitsOf(samples[i - 1].value);
        if (x == 0) {
            out.writeBit(false);
            continue;
        }
        const int lz = std::min(std::countl_zero(x), 63);
        const int tz = std::countr_zero(x);
        if (leading >= 0 && lz >= leading && tz >= trailing) {
            out.write(0b10, 2);
            out.write(x >> trailing, 64 - leading - trailing);
        } else {
            leading = lz;
            trailing = tz;
            const int length = 64 - lz - tz;
            out.write(0b11, 2);
            out.write(static_cast<std::uint64_t>(lz), 6);
            out.write(static_cast<std::uint64_t>(length - 1), 6);
            out.write(x >> tz, length);
        }
    }
    return out.take();
}

Status decodeChunk(std::span<const std::uint8_t> chunk, std::size_t count,
                   std::vector<Sample>& out) {
    if (count == 0)
        return Done{};
    BitReader in(chunk);
    const Error truncated{"a metric chunk is shorter than its sample count says", "", ""};
    auto ts = in.read(64);
    auto first = in.read(64);
    if (!ts || !first)
        return truncated;
    std::int64_t timestamp = static_cast<std::int64_t>(*ts);
    std::uint64_t value = *first;
    out.push_back({timestamp, valueOf(value)});
    std::int64_t delta = 0;
    int leading = 0, trailing = 0;
    for (std::size_t i = 1; i < count; ++i) {
        // Delta of delta: count the leading ones of the prefix (at most four).
        int ones = 0;
        while (ones < 4) {
            auto bit = in.read(1);
            if (!bit)
                return truncated;
            if (*bit == 0)
                break;
            ++ones;
        }
        std::int64_t dod = 0;
        if (ones > 0) {
            const int payload = ones == 4 ? 64 : kBuckets[ones - 1].payloadBits;
            auto bits = in.read(payload);
            if (!bits)
                return truncated;
            dod = signExtend(*bits, payload);
        }
        delta += dod;
        timestamp += delta;

        auto control = in.read(1);
        if (!control)
            return truncated;
        if (*control == 1) {
            auto window = in.read(1);
            if (!window)
                return truncated;
            if (*window == 1) {
                auto lz = in.read(6);
                auto length = in.read(6);
                if (!lz || !length)
                    return truncated;
                leading = static_cast<int>(*lz);
                const int bits = static_cast<int>(*length) + 1;
                trailing = 64 - leading - bits;
                if (trailing < 0)
                    return Error{"a metric chunk is damaged (bad bit window)", "", ""};
            }
            auto meaningful = in.read(64 - leading - trailing);
            if (!meaningful)
                return truncated;
            value ^= *meaningful << trailing;
        }
        out.push_back({timestamp, valueOf(value)});
    }
    return Done{};
}

} // namespace headroom::metrics
