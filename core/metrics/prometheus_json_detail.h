#pragma once
// Inside the Prometheus JSON importer: what its whole-document parser (prometheus_json.cpp)
// and its streaming reader for large files (prometheus_json_stream.cpp) share. Not for use
// elsewhere.

#include "metrics/prometheus_json.h"
#include "metrics/series.h"

#include <memory>
#include <optional>
#include <vector>

namespace headroom::metrics::detail {

/// The samples of one "values" array, read ahead of the rest of the document: compressed
/// chunk by chunk while they come in time order, kept whole once they do not.
struct StreamedValues {
    std::vector<Chunk> chunks;
    std::vector<Sample> pending; ///< the chunk being filled, or every sample once unordered
    /// Where the chunks' bytes go: a long series in a few blocks, not a small allocation each.
    std::unique_ptr<ChunkArena> arena = std::make_unique<ChunkArena>(std::size_t{64} << 10);
    bool ordered = true;
    std::size_t rows = 0;
    std::size_t gaps = 0;

    void add(const Sample& sample);
    /// The array is complete: compress what is pending now (memory stays bounded however many
    /// series the file holds).
    void seal();
    /// The series' samples as chunks (sorted first if they came out of order).
    std::vector<Chunk> finish();
};

/// Parses an answer. With `streamed`, each "values" array in the text is empty and the n-th
/// one's samples are streamed[n] (a skeleton of a large file whose values were read apart).
Result<ImportReport> parseAnswer(std::string_view paddedText, const PrometheusJsonOptions& options,
                                 std::vector<StreamedValues>* streamed = nullptr);

/// Reads a large file in blocks, handing each "values" array to the parser in slices of a few
/// megabytes, so memory stays bounded whatever the file's size. Nothing when the file is not
/// in the shape it expects (the whole-document parser then reads it and says what is wrong).
std::optional<Result<ImportReport>>
importPrometheusJsonStreaming(const std::filesystem::path& path,
                              const PrometheusJsonOptions& options);

} // namespace headroom::metrics::detail
