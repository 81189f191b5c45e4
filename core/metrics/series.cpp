#include "metrics/series.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace headroom::metrics {

Series::Series(SeriesInfo info, std::vector<Chunk> chunks)
    : info_(std::move(info)), chunks_(std::move(chunks)) {
    for (const auto& c : chunks_)
        size_ += c.count;
}

std::shared_ptr<const Series> Series::fromSamples(SeriesInfo info,
                                                  const std::vector<Sample>& samples) {
    std::vector<Chunk> chunks;
    for (std::size_t at = 0; at < samples.size(); at += kChunkSamples) {
        const std::size_t n = std::min(kChunkSamples, samples.size() - at);
        const std::span<const Sample> part(samples.data() + at, n);
        chunks.push_back({part.front().timestampMs, part.back().timestampMs,
                          static_cast<std::uint32_t>(n), encodeChunk(part)});
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
    std::vector<Sample> chunkSamples;
    for (const auto& chunk : chunks_) {
        if (chunk.lastMs < fromMs || chunk.firstMs >= toMs)
            continue;
        chunkSamples.clear();
        if (auto decoded = decodeChunk(chunk.data, chunk.count, chunkSamples); !decoded)
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
        if (auto decoded = decodeChunk(chunk.data, chunk.count, part); !decoded)
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
