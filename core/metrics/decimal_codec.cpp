#include "metrics/decimal_codec.h"

#include "metrics/bit_stream.h"
#include "metrics/timestamp_bits.h"

#include <array>
#include <bit>
#include <cmath>

namespace headroom::metrics {
namespace {

constexpr std::array<double, 10> kPowers{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
constexpr double kExact = 9007199254740992.0; // 2^53

std::uint64_t zigzag(std::int64_t v) {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t unzigzag(std::uint64_t z) {
    return static_cast<std::int64_t>(z >> 1) ^ -static_cast<std::int64_t>(z & 1);
}

bool exactAt(double v, int scale, std::int64_t* scaled = nullptr) {
    const double x = std::nearbyint(v * kPowers[static_cast<std::size_t>(scale)]);
    if (!(std::abs(x) < kExact))
        return false;
    const double back = scale == 0 ? x : x / kPowers[static_cast<std::size_t>(scale)];
    if (back != v)
        return false;
    if (scaled)
        *scaled = static_cast<std::int64_t>(x);
    return true;
}

/// The width minimising '0'+w bits per fitting value and '1'+64 per escaped one.
int bestWidth(const std::array<std::size_t, 65>& byLength, std::size_t& cost) {
    int best = 64;
    cost = SIZE_MAX;
    std::size_t escaped = 0;
    for (std::size_t n : byLength)
        escaped += n;
    std::size_t fitting = 0;
    for (int w = 0; w <= 64; ++w) {
        fitting += byLength[static_cast<std::size_t>(w)];
        escaped -= byLength[static_cast<std::size_t>(w)];
        const std::size_t c = fitting * (1 + static_cast<std::size_t>(w)) + escaped * 65;
        if (c < cost) {
            cost = c;
            best = w;
        }
    }
    return std::min(best, 63);
}

} // namespace

namespace {

/// Finds the scale and the scaled integers in one pass: each value is scaled at the scale so
/// far; when one needs more digits, the integers before it are multiplied up (exact: k / 10^s
/// and k 10^d / 10^(s+d) are the same rational, so the same correctly rounded double).
std::optional<int> scaleValues(std::span<const Sample> samples, std::vector<std::int64_t>& scaled) {
    scaled.resize(samples.size());
    int scale = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const double v = samples[i].value;
        if (!std::isfinite(v) || (v == 0 && std::signbit(v)))
            return std::nullopt;
        if (exactAt(v, scale, &scaled[i]))
            continue;
        const int before = scale;
        do
            if (++scale > 9)
                return std::nullopt;
        while (!exactAt(v, scale, &scaled[i]));
        const auto factor =
            static_cast<std::int64_t>(kPowers[static_cast<std::size_t>(scale - before)]);
        constexpr std::int64_t kLimit = std::int64_t{1} << 53;
        for (std::size_t k = 0; k < i; ++k) {
            if (scaled[k] >= kLimit / factor || scaled[k] <= -kLimit / factor)
                return std::nullopt;
            scaled[k] *= factor;
        }
    }
    return scale;
}

std::span<const std::uint8_t> encodeScaled(std::span<const Sample> samples, int scale,
                                           const std::vector<std::int64_t>& scaled);

} // namespace

std::optional<int> decimalScale(std::span<const Sample> samples) {
    thread_local std::vector<std::int64_t> scaled;
    return scaleValues(samples, scaled);
}

std::optional<std::span<const std::uint8_t>> encodeDecimalInPlace(std::span<const Sample> samples,
                                                                  int* scaleOut) {
    thread_local std::vector<std::int64_t> scaled; // reused: chunks are encoded by the million
    const auto scale = scaleValues(samples, scaled);
    if (!scale || samples.empty())
        return std::nullopt;
    if (scaleOut)
        *scaleOut = *scale;
    return encodeScaled(samples, *scale, scaled);
}

std::vector<std::uint8_t> encodeDecimalChunk(std::span<const Sample> samples, int scale) {
    if (samples.empty())
        return {};
    thread_local std::vector<std::int64_t> scaled;
    scaled.resize(samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i)
        exactAt(samples[i].value, scale, &scaled[i]);
    const auto bytes = encodeScaled(samples, scale, scaled);
    return {bytes.begin(), bytes.end()};
}

namespace {

std::span<const std::uint8_t> encodeScaled(std::span<const Sample> samples, int scale,
                                           const std::vector<std::int64_t>& scaled) {
    // Costs of both modes, to pick the smaller.
    std::array<std::size_t, 65> deltas{}, dods{};
    std::int64_t previousDelta = 0;
    for (std::size_t i = 1; i < samples.size(); ++i) {
        const std::int64_t delta = scaled[i] - scaled[i - 1];
        ++deltas[static_cast<std::size_t>(64 - std::countl_zero(zigzag(delta)))];
        ++dods[static_cast<std::size_t>(64 - std::countl_zero(zigzag(delta - previousDelta)))];
        previousDelta = delta;
    }
    std::size_t deltaCost = 0, dodCost = 0;
    const int deltaWidth = bestWidth(deltas, deltaCost);
    const int dodWidth = bestWidth(dods, dodCost);
    const bool byDod = dodCost < deltaCost;
    const int width = byDod ? dodWidth : deltaWidth;

    thread_local std::vector<std::uint8_t> scratch;
    BitWriter out(scratch);
    out.write(static_cast<std::uint64_t>(scale), 4);
    out.writeBit(byDod);
    out.write(static_cast<std::uint64_t>(width), 6);
    out.write(static_cast<std::uint64_t>(samples[0].timestampMs), 64);
    out.write(static_cast<std::uint64_t>(scaled[0]), 64);
    std::int64_t timeDelta = 0;
    previousDelta = 0;
    const std::uint64_t limit = width == 0 ? 0 : (std::uint64_t{1} << width) - 1;
    for (std::size_t i = 1; i < samples.size(); ++i) {
        const std::int64_t d = samples[i].timestampMs - samples[i - 1].timestampMs;
        bits::writeDeltaOfDelta(out, d - timeDelta);
        timeDelta = d;
        const std::int64_t delta = scaled[i] - scaled[i - 1];
        const std::uint64_t z = zigzag(byDod ? delta - previousDelta : delta);
        previousDelta = delta;
        if (z <= limit) {
            out.write(z, 1 + width); // the leading '0' flag comes free: z < 2^width
        } else {
            out.writeBit(true);
            out.write(z, 64);
        }
    }
    return out.finish();
}

} // namespace

Status decodeDecimalChunk(std::span<const std::uint8_t> chunk, std::size_t count,
                          std::vector<Sample>& out) {
    if (count == 0)
        return Done{};
    const Error truncated{"a metric chunk is shorter than its sample count says", "", ""};
    BitReader in(chunk);
    const auto scale = in.read(4);
    const auto mode = in.read(1);
    const auto width = in.read(6);
    const auto firstTime = in.read(64);
    const auto firstValue = in.read(64);
    if (!scale || !mode || !width || !firstTime || !firstValue)
        return truncated;
    if (*scale > 9)
        return Error{"a metric chunk is damaged (bad decimal scale)", "", ""};
    const double divisor = kPowers[*scale];
    const auto valueOf = [&](std::int64_t v) {
        return *scale == 0 ? static_cast<double>(v) : static_cast<double>(v) / divisor;
    };
    const bool byDod = *mode == 1;
    const int w = static_cast<int>(*width);
    auto timestamp = static_cast<std::int64_t>(*firstTime);
    auto value = static_cast<std::int64_t>(*firstValue);
    out.push_back({timestamp, valueOf(value)});
    std::int64_t timeDelta = 0, delta = 0;
    for (std::size_t i = 1; i < count; ++i) {
        const auto dod = bits::readDeltaOfDelta(in);
        if (!dod)
            return truncated;
        timeDelta += *dod;
        timestamp += timeDelta;
        const auto flag = in.read(1);
        if (!flag)
            return truncated;
        const auto z = in.read(*flag ? 64 : w);
        if (!z)
            return truncated;
        const std::int64_t step = unzigzag(*z);
        delta = byDod ? delta + step : step;
        value += delta;
        out.push_back({timestamp, valueOf(value)});
    }
    return Done{};
}

} // namespace headroom::metrics
