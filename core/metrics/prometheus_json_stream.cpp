#include "metrics/prometheus_json_detail.h"
#include "metrics/prometheus_value.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <simdjson.h>

// How a large query_range answer is read in bounded memory. The file comes in blocks. Outside
// the "values" arrays its text is copied into a skeleton (labels, status: small). Each "values"
// array is replaced in the skeleton by [] and its pairs are handed to simdjson in slices of a
// few megabytes, each slice cut at the end of a pair and parsed as an array of its own; the
// samples are compressed chunk by chunk as they arrive. Finally the skeleton is parsed by the
// whole-document parser, which takes the n-th array's samples from what was streamed. A values
// array holds only [number, "number"] pairs, so its pairs end where its brackets balance; a
// backslash or anything else unexpected there hands the file back to the whole-document parser.

namespace headroom::metrics::detail {
namespace {

using namespace simdjson;

constexpr std::size_t kBlockBytes = std::size_t{8} << 20;
constexpr std::size_t kSliceBytes = std::size_t{4} << 20;

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

bool isSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/// Where `"values"` followed by a colon and an opening bracket starts at or after `from`, and
/// the index just past that bracket; npos when not in `text` (or too near its end to tell).
std::pair<std::size_t, std::size_t> findValues(std::string_view text, std::size_t from) {
    static constexpr std::string_view kKey = "\"values\"";
    for (std::size_t at = text.find(kKey, from); at != std::string_view::npos;
         at = text.find(kKey, at + 1)) {
        std::size_t i = at + kKey.size();
        while (i < text.size() && isSpace(text[i]))
            ++i;
        if (i >= text.size())
            return {at, std::string_view::npos}; // cannot tell yet
        if (text[i] != ':')
            continue;
        ++i;
        while (i < text.size() && isSpace(text[i]))
            ++i;
        if (i >= text.size())
            return {at, std::string_view::npos};
        if (text[i] == '[')
            return {at, i + 1};
    }
    return {std::string_view::npos, std::string_view::npos};
}

class Streamer {
  public:
    Streamer(const std::filesystem::path& path, const PrometheusJsonOptions& options)
        : options_(options), file_(std::fopen(path.c_str(), "rb")) {}

    std::optional<Result<ImportReport>> run() {
        if (!file_)
            return std::nullopt;
        bool atEnd = !readMore();
        while (true) {
            if (!inside_) {
                const auto [key, open] = findValues(window_, pos_);
                if (open != std::string_view::npos) {
                    skeleton_.append(window_, pos_, open - pos_);
                    skeleton_ += ']'; // an empty array in the skeleton
                    pos_ = open;
                    inside_ = true;
                    streamed_.emplace_back();
                    pairIndex_ = 0;
                    continue;
                }
                // Copy what surely holds no start of "values": [, keep the tail for later.
                const std::size_t keep =
                    key != std::string_view::npos ? window_.size() - key : std::size_t{64};
                const std::size_t upTo =
                    atEnd ? window_.size() : window_.size() - std::min(keep, window_.size());
                if (upTo > pos_) {
                    skeleton_.append(window_, pos_, upTo - pos_);
                    pos_ = upTo;
                }
                if (atEnd)
                    break;
                atEnd = !readMore();
                continue;
            }
            // Inside a values array: find the pairs that are complete in the window.
            const auto scan = scanPairs();
            if (scan == Scan::Unexpected)
                return std::nullopt;
            if (!flush())
                return std::nullopt; // the whole-document parser names the bad pair exactly
            if (scan == Scan::ArrayEnd) {
                inside_ = false;
                continue;
            }
            if (scan == Scan::SliceFull)
                continue; // more complete pairs may be in the window
            if (atEnd)
                return std::nullopt; // the file stops inside an array: let the parser say so
            atEnd = !readMore();
        }
        if (inside_)
            return std::nullopt;
        skeleton_.append(SIMDJSON_PADDING, '\0');
        return parseAnswer(std::string_view(skeleton_.data(), skeleton_.size() - SIMDJSON_PADDING),
                           options_, &streamed_);
    }

  private:
    enum class Scan { SliceFull, NeedMore, ArrayEnd, Unexpected };

    /// Reads the next block behind what is not yet consumed; false at the end of the file.
    bool readMore() {
        window_.erase(0, pos_);
        scanFrom_ -= std::min(scanFrom_, pos_);
        sliceEnd_ -= std::min(sliceEnd_, pos_);
        pos_ = 0;
        const std::size_t old = window_.size();
        window_.resize(old + kBlockBytes);
        const auto got = std::fread(window_.data() + old, 1, kBlockBytes, file_.get());
        window_.resize(old + got);
        return got > 0;
    }

    /// Moves sliceEnd_ past every complete pair after pos_ that is in the window (stopping
    /// once a slice's worth is there), or to the array's closing bracket.
    Scan scanPairs() {
        std::size_t i = std::max(pos_, scanFrom_);
        sliceEnd_ = std::max(sliceEnd_, pos_);
        for (; i < window_.size(); ++i) {
            const char c = window_[i];
            if (c == '[') {
                ++depth_;
            } else if (c == ']') {
                if (depth_ == 0) { // the values array closes
                    arrayEnd_ = i;
                    scanFrom_ = i + 1;
                    return Scan::ArrayEnd;
                }
                if (--depth_ == 0) {
                    sliceEnd_ = i + 1;
                    if (sliceEnd_ - pos_ >= kSliceBytes) {
                        scanFrom_ = i + 1;
                        return Scan::SliceFull;
                    }
                }
            } else if (c == '\\' || c == '{') {
                return Scan::Unexpected; // not a plain [number, "number"] pair
            }
        }
        // Resume after the last complete pair: the partial one is scanned again with the
        // next block, from depth 0.
        scanFrom_ = sliceEnd_;
        depth_ = 0;
        return Scan::NeedMore;
    }

    /// Parses the complete pairs [pos_, sliceEnd_) (and consumes the array's end when
    /// scanPairs found it). False when a pair is bad or something follows the last pair.
    bool flush() {
        const bool closing = arrayEnd_ != std::string::npos;
        std::size_t from = pos_;
        while (from < sliceEnd_ && isSpace(window_[from]))
            ++from;
        // Between pairs a comma; before the first pair none.
        if (from < sliceEnd_ && window_[from] == ',') {
            if (pairIndex_ == 0)
                return false;
            ++from;
        }
        if (closing) // after the last pair only blanks: "[[1,\"2\"], 7]" must not lose the 7
            for (std::size_t i = sliceEnd_; i < arrayEnd_; ++i)
                if (!isSpace(window_[i]))
                    return false;
        if (from < sliceEnd_) {
            slice_.clear();
            slice_ += '[';
            slice_.append(window_, from, sliceEnd_ - from);
            slice_ += ']';
            const std::size_t length = slice_.size();
            slice_.append(SIMDJSON_PADDING, '\0');
            if (!parseSlice(std::string_view(slice_.data(), length)))
                return false;
        }
        pos_ = sliceEnd_;
        if (closing) {
            streamed_.back().seal(); // its tail compressed now, not after the whole file
            pos_ = arrayEnd_ + 1;
            arrayEnd_ = std::string::npos;
            sliceEnd_ = pos_;
            scanFrom_ = pos_;
            depth_ = 0;
        }
        return true;
    }

    bool parseSlice(std::string_view text) {
        auto& values = streamed_.back();
        // Any problem: false, and the whole-document parser reads the file and says where.
        const auto fail = [](const std::string&, const std::string&) { return false; };
        const auto where = [] { return std::string(); };
        ondemand::document doc;
        if (parser_
                .iterate(
                    padded_string_view(text.data(), text.size(), text.size() + SIMDJSON_PADDING))
                .get(doc))
            return fail(where(), "not JSON");
        ondemand::array pairs;
        if (doc.get_array().get(pairs))
            return fail(where(), "expected [timestamp, \"value\"]");
        for (auto element : pairs) {
            ondemand::array pair;
            if (element.get_array().get(pair))
                return fail(where(), "expected [timestamp, \"value\"]");
            double seconds = 0;
            std::string_view text;
            std::size_t index = 0;
            for (auto part : pair) {
                if (index == 0 && part.get_double().get(seconds))
                    return fail(where() + "/0", "expected the timestamp as a number");
                if (index == 1 && part.get_string().get(text))
                    return fail(where() + "/1", "expected the value as a string");
                ++index;
            }
            if (index != 2)
                return fail(where(), "expected [timestamp, \"value\"]");
            const auto value = parsePrometheusValue(text);
            if (!value)
                return fail(where() + "/1", "not a number: \"" + std::string(text) + "\"");
            ++values.rows;
            ++pairIndex_;
            if (!std::isfinite(*value))
                ++values.gaps; // NaN is Prometheus' staleness marker: a gap
            else
                values.add({static_cast<std::int64_t>(std::llround(seconds * 1000)), *value});
        }
        return true;
    }

    const PrometheusJsonOptions& options_;
    std::unique_ptr<std::FILE, FileCloser> file_;
    std::string window_;   ///< the file from pos_ on, a block or two of it
    std::size_t pos_ = 0;  ///< consumed up to here
    std::string skeleton_; ///< the document with every values array emptied
    std::vector<StreamedValues> streamed_;
    bool inside_ = false;
    int depth_ = 0;                            ///< bracket depth inside the values array
    std::size_t scanFrom_ = 0;                 ///< where scanPairs goes on
    std::size_t sliceEnd_ = 0;                 ///< just past the last complete pair
    std::size_t arrayEnd_ = std::string::npos; ///< the closing bracket, once found
    std::size_t pairIndex_ = 0;
    std::string slice_;
    ondemand::parser parser_;
};

} // namespace

std::optional<Result<ImportReport>>
importPrometheusJsonStreaming(const std::filesystem::path& path,
                              const PrometheusJsonOptions& options) {
    return Streamer(path, options).run();
}

} // namespace headroom::metrics::detail
