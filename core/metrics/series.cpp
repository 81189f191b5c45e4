#include "metrics/series.h"

#include "common/huge_pages.h"
#include "metrics/decimal_codec.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

namespace headroom::metrics {

std::string_view encodingName(ChunkEncoding encoding) {
    return encoding == ChunkEncoding::Decimal1 ? "decimal-1" : "gorilla-1";
}

std::optional<ChunkEncoding> encodingFromName(std::string_view name) {
    if (name == "gorilla-1")
        return ChunkEncoding::Gorilla1;
    if (name == "decimal-1")
        return ChunkEncoding::Decimal1;
    return std::nullopt;
}

Chunk encodeBest(std::span<const Sample> samples, ChunkArena* arena) {
    Chunk chunk;
    if (samples.empty())
        return chunk;
    chunk.firstMs = samples.front().timestampMs;
    chunk.lastMs = samples.back().timestampMs;
    chunk.count = static_cast<std::uint32_t>(samples.size());
    std::span<const std::uint8_t> bytes;
    if (const auto decimal = encodeDecimalInPlace(samples)) {
        chunk.encoding = ChunkEncoding::Decimal1;
        bytes = *decimal;
    } else {
        chunk.encoding = ChunkEncoding::Gorilla1;
        bytes = encodeChunkInPlace(samples);
    }
    chunk.data = arena ? arena->keep(bytes) : ChunkBytes(bytes);
    return chunk;
}

Status decodeInto(const Chunk& chunk, std::vector<Sample>& out) {
    return chunk.encoding == ChunkEncoding::Decimal1
               ? decodeDecimalChunk(chunk.data, chunk.count, out)
               : decodeChunk(chunk.data, chunk.count, out);
}

Series::Series(SeriesInfo info, std::vector<Chunk> chunks)
    : info_(std::move(info)), chunks_(std::move(chunks)) {
    for (const auto& c : chunks_)
        size_ += c.count;
}

std::shared_ptr<const Series> Series::fromSamples(SeriesInfo info,
                                                  std::span<const Sample> samples) {
    // Chunks are independent: a long series is encoded on every core.
    const std::size_t count = (samples.size() + kChunkSamples - 1) / kChunkSamples;
    std::vector<Chunk> chunks(count);
    const auto encodeRange = [&](std::size_t from, std::size_t to) {
        ChunkArena arena((to - from) * kChunkSamples * 3); // 2-3 bytes a sample, mostly
        for (std::size_t k = from; k < to; ++k) {
            const std::size_t at = k * kChunkSamples;
            chunks[k] = encodeBest(
                {samples.data() + at, std::min(kChunkSamples, samples.size() - at)}, &arena);
        }
    };
    const unsigned threads =
        count < 64 ? 1U : std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
    {
        std::vector<std::jthread> workers;
        for (unsigned t = 1; t < threads; ++t)
            workers.emplace_back(encodeRange, count * t / threads, count * (t + 1) / threads);
        encodeRange(0, count / threads);
    }
    return std::shared_ptr<const Series>(new Series(std::move(info), std::move(chunks)));
}

std::shared_ptr<const Series> Series::fromChunks(SeriesInfo info, std::vector<Chunk> chunks) {
    return std::shared_ptr<const Series>(new Series(std::move(info), std::move(chunks)));
}

std::size_t Series::storedBytes() const {
    std::size_t bytes = 0;
    for (const auto& c : chunks_)
        bytes += c.data.size();
    return bytes;
}

Result<std::vector<Sample>> Series::samples() const {
    return samples(std::numeric_limits<std::int64_t>::min(),
                   std::numeric_limits<std::int64_t>::max());
}

Result<std::vector<Sample>> Series::samples(std::int64_t fromMs, std::int64_t toMs) const {
    std::vector<Sample> out;
    std::size_t expected = 0;
    for (const auto& chunk : chunks_)
        if (!(chunk.lastMs < fromMs || chunk.firstMs >= toMs))
            expected += chunk.count;
    out.reserve(expected);
    adviseHugePages(out.data(), expected * sizeof(Sample));
    std::vector<Sample> chunkSamples;
    for (const auto& chunk : chunks_) {
        if (chunk.lastMs < fromMs || chunk.firstMs >= toMs)
            continue;
        chunkSamples.clear();
        if (auto decoded = decodeInto(chunk, chunkSamples); !decoded)
            return Error{decoded.error().message + " (series " + info_.name + ")", "", ""};
        for (const auto& s : chunkSamples)
            if (s.timestampMs >= fromMs && s.timestampMs < toMs)
                out.push_back(s);
    }
    return out;
}

Result<SeriesStats> Series::stats() const {
    SeriesStats stats;
    if (chunks_.empty())
        return stats;
    stats.firstMs = chunks_.front().firstMs;
    stats.lastMs = chunks_.back().lastMs;
    stats.min = std::numeric_limits<double>::infinity();
    stats.max = -std::numeric_limits<double>::infinity();
    double sum = 0;
    std::vector<Sample> part;
    for (const auto& chunk : chunks_) {
        part.clear();
        if (auto decoded = decodeInto(chunk, part); !decoded)
            return decoded.error();
        for (const auto& s : part) {
            if (!std::isfinite(s.value))
                continue; // NaN is a gap (Prometheus' staleness marker), not a number
            stats.min = std::min(stats.min, s.value);
            stats.max = std::max(stats.max, s.value);
            sum += s.value;
            ++stats.count;
        }
    }
    stats.mean = stats.count ? sum / static_cast<double>(stats.count) : 0;
    if (stats.count == 0)
        stats.min = stats.max = 0;
    return stats;
}

} // namespace headroom::metrics
