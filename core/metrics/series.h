#pragma once
// A metric series as Headroom keeps it: what it is (name, labels, unit, where it came from) and
// its samples, compressed in chunks of up to kChunkSamples. A series is immutable once built and
// shared by pointer, so copying a project (to save it in the background, say) never copies
// samples. Decoding goes chunk by chunk, so a time range touches only the chunks it overlaps.

#include "common/result.h"
#include "metrics/chunk_bytes.h"
#include "metrics/sample_codec.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::metrics {

inline constexpr std::size_t kChunkSamples = 1024;

/// Where a series came from, so a review can tell (and a later session re-import it).
struct SeriesSource {
    std::string kind;     ///< "csv", "grafana-csv", "prometheus-json", "prometheus", ...
    std::string location; ///< file path or server URL (never credentials)
    std::string query;    ///< PromQL or column name
    std::int64_t stepMs = 0;
    bool operator==(const SeriesSource&) const = default;
};

struct SeriesInfo {
    std::string name;
    std::map<std::string, std::string> labels;
    std::string unit;
    SeriesSource source;
    bool operator==(const SeriesInfo&) const = default;
};

/// How a chunk's bytes are encoded (named so in the project file).
enum class ChunkEncoding : std::uint8_t {
    Gorilla1, ///< "gorilla-1": XOR of IEEE-754 values (sample_codec.h); any double
    Decimal1, ///< "decimal-1": decimals as scaled integers (decimal_codec.h)
};
std::string_view encodingName(ChunkEncoding encoding);
std::optional<ChunkEncoding> encodingFromName(std::string_view name);

struct Chunk {
    std::int64_t firstMs = 0;
    std::int64_t lastMs = 0;
    std::uint32_t count = 0;
    ChunkBytes data;
    ChunkEncoding encoding = ChunkEncoding::Gorilla1;
    bool operator==(const Chunk&) const = default;
};

/// Encodes samples into one chunk the smallest way that keeps every value exact: decimal-1
/// when all are short decimals, else gorilla-1. The bytes go into `arena` when given (an
/// importer's thread), else into an allocation of their own.
Chunk encodeBest(std::span<const Sample> samples, ChunkArena* arena = nullptr);
Status decodeInto(const Chunk& chunk, std::vector<Sample>& out);

/// Summary figures of a series (the CLI's `series` listing).
struct SeriesStats {
    std::size_t count = 0;
    std::int64_t firstMs = 0;
    std::int64_t lastMs = 0;
    double min = 0;
    double max = 0;
    double mean = 0;
};

class Series {
  public:
    /// Builds a series from samples sorted by strictly increasing timestamp.
    static std::shared_ptr<const Series> fromSamples(SeriesInfo info,
                                                     std::span<const Sample> samples);
    static std::shared_ptr<const Series> fromSamples(SeriesInfo info,
                                                     const std::vector<Sample>& samples) {
        return fromSamples(std::move(info), std::span<const Sample>(samples));
    }
    /// The same samples under another description (a unit chosen when binding, say).
    static std::shared_ptr<const Series> withInfo(const Series& series, SeriesInfo info) {
        return fromChunks(std::move(info), series.chunks_);
    }
    /// Builds a series from stored chunks (the project file).
    static std::shared_ptr<const Series> fromChunks(SeriesInfo info, std::vector<Chunk> chunks);

    [[nodiscard]] const SeriesInfo& info() const { return info_; }
    [[nodiscard]] const std::vector<Chunk>& chunks() const { return chunks_; }
    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] std::size_t storedBytes() const;

    /// Every sample, decoded.
    [[nodiscard]] Result<std::vector<Sample>> samples() const;
    /// The samples with fromMs <= timestamp < toMs, decoding only the chunks that overlap.
    [[nodiscard]] Result<std::vector<Sample>> samples(std::int64_t fromMs, std::int64_t toMs) const;
    [[nodiscard]] Result<SeriesStats> stats() const;

    bool operator==(const Series& other) const {
        return info_ == other.info_ && chunks_ == other.chunks_;
    }

  private:
    Series(SeriesInfo info, std::vector<Chunk> chunks);
    SeriesInfo info_;
    std::vector<Chunk> chunks_;
    std::size_t size_ = 0;
};

} // namespace headroom::metrics
