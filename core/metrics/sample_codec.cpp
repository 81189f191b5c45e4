#include "metrics/sample_codec.h"

#include "metrics/bit_stream.h"
#include "metrics/timestamp_bits.h"

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

} // namespace

std::vector<std::uint8_t> encodeChunk(std::span<const Sample> samples) {
    const auto bytes = encodeChunkInPlace(samples);
    return {bytes.begin(), bytes.end()};
}

std::span<const std::uint8_t> encodeChunkInPlace(std::span<const Sample> samples) {
    thread_local std::vector<std::uint8_t> scratch; // see BitWriter(scratch)
    BitWriter out(scratch);
    if (samples.empty())
        return {};
    out.write(static_cast<std::uint64_t>(samples[0].timestampMs), 64);
    out.write(bitsOf(samples[0].value), 64);
    std::int64_t previousDelta = 0;
    int leading = -1, trailing = 0; // the previous meaningful-bit window (-1: none yet)
    for (std::size_t i = 1; i < samples.size(); ++i) {
        const std::int64_t delta = samples[i].timestampMs - samples[i - 1].timestampMs;
        bits::writeDeltaOfDelta(out, delta - previousDelta);
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
    return out.finish();
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
        const auto dod = bits::readDeltaOfDelta(in);
        if (!dod)
            return truncated;
        delta += *dod;
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
