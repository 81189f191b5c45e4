#include "common/huge_pages.h"
#include "metrics/csv_detail.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fast_float/fast_float.h>
#include <memory>
#include <thread>

namespace headroom::metrics::detail {
namespace {

// Read at a time: small enough that progress (and cancel) come several times a second.
// Between 256 KiB and 4 MiB: an eighth of the file, so even small files report progress a few
// times, and large ones do not pay for starting threads too often.
std::size_t blockBytesFor(std::uintmax_t fileSize) {
    return std::clamp<std::size_t>(static_cast<std::size_t>(fileSize / 8), std::size_t{1} << 18,
                                   std::size_t{4} << 20);
}
constexpr std::size_t kParallelBytes = std::size_t{1} << 17; // below this, one thread

/// One column's samples, written in place by the parser threads into raw memory: never zeroed
/// beforehand, and first touched by the thread that fills it, so both cores take their share of
/// the page faults. (Sample is an aggregate, so bytes copied into this memory are Samples.)
class SampleBuffer {
  public:
    void reserve(std::size_t capacity) {
        if (capacity <= capacity_)
            return;
        auto* fresh = static_cast<Sample*>(::operator new(capacity * sizeof(Sample)));
        adviseHugePages(fresh, capacity * sizeof(Sample));
        if (size_ > 0)
            std::memcpy(static_cast<void*>(fresh), data_.get(), size_ * sizeof(Sample));
        data_.reset(fresh);
        capacity_ = capacity;
    }
    [[nodiscard]] Sample* data() { return data_.get(); }
    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] std::size_t capacity() const { return capacity_; }
    void setSize(std::size_t size) { size_ = size; }
    [[nodiscard]] std::span<Sample> span() { return {data_.get(), size_}; }
    void release() {
        data_.reset();
        size_ = capacity_ = 0;
    }

  private:
    struct Free {
        void operator()(Sample* p) const { ::operator delete(static_cast<void*>(p)); }
    };
    std::unique_ptr<Sample, Free> data_;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

/// What one thread parsed from its part of a block, written straight into the columns' buffers
/// from `at` on (each line gives each column at most one sample).
struct Part {
    std::vector<Sample*> at;          ///< per file column; null for the time column
    std::vector<std::size_t> written; ///< per file column
    std::size_t rows = 0;
    std::size_t gaps = 0;
    bool bad = false; ///< a row the fast path does not take: the general reader decides
};

std::string_view trimSpaces(const char* begin, const char* end) {
    while (begin < end && (*begin == ' ' || *begin == '\t'))
        ++begin;
    while (end > begin && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        --end;
    return {begin, static_cast<std::size_t>(end - begin)};
}

/// The same scaling by magnitude as parseTimestampMs, on an already parsed number.
std::int64_t scaleTimestamp(double v) {
    const double magnitude = std::abs(v);
    const double ms = magnitude < 1e11   ? v * 1e3
                      : magnitude < 1e14 ? v
                      : magnitude < 1e17 ? v / 1e3
                                         : v / 1e6;
    return static_cast<std::int64_t>(std::llround(ms));
}

void parsePart(const char* begin, const char* end, char delimiter, std::size_t columnCount,
               std::size_t timeColumn, Part& out) {
    std::vector<std::string_view> fields(columnCount);
    for (const char* p = begin; p < end;) {
        const char* newline = static_cast<const char*>(std::memchr(p, '\n', end - p));
        const char* lineEnd = newline ? newline : end;
        const char* next = newline ? newline + 1 : end;
        const auto line = trimSpaces(p, lineEnd);
        p = next;
        if (line.empty())
            continue;
        if (std::memchr(line.data(), '"', line.size())) {
            out.bad = true;
            return;
        }
        // Exactly columnCount fields.
        const char* at = line.data();
        const char* lineStop = line.data() + line.size();
        for (std::size_t c = 0; c < columnCount; ++c) {
            const char* stop =
                c + 1 < columnCount
                    ? static_cast<const char*>(std::memchr(at, delimiter, lineStop - at))
                    : lineStop;
            if (!stop || (c + 1 == columnCount && std::memchr(at, delimiter, lineStop - at))) {
                out.bad = true;
                return;
            }
            fields[c] = trimSpaces(at, stop);
            at = stop + 1;
        }
        const auto timeText = fields[timeColumn];
        double number = 0;
        std::int64_t timestamp = 0;
        std::int64_t digits = 0;
        std::size_t k = 0;
        while (k < timeText.size() && k < 18 && timeText[k] >= '0' && timeText[k] <= '9')
            digits = digits * 10 + (timeText[k++] - '0');
        if (k > 0 && k == timeText.size()) {
            // Whole Unix time (the usual case): the same value fast_float would give, exactly.
            timestamp = scaleTimestamp(static_cast<double>(digits));
        } else if (const auto parsed = fast_float::from_chars(
                       timeText.data(), timeText.data() + timeText.size(), number);
                   parsed.ec == std::errc() && parsed.ptr == timeText.data() + timeText.size() &&
                   std::isfinite(number)) {
            timestamp = scaleTimestamp(number);
        } else if (const auto iso = parseTimestampMs(timeText)) {
            timestamp = *iso;
        } else {
            out.bad = true;
            return;
        }
        for (std::size_t c = 0; c < columnCount; ++c) {
            if (c == timeColumn)
                continue;
            const auto text = fields[c];
            double value = 0;
            const auto result =
                fast_float::from_chars(text.data(), text.data() + text.size(), value);
            if (result.ec == std::errc() && result.ptr == text.data() + text.size()) {
                if (std::isfinite(value))
                    ::new (static_cast<void*>(out.at[c] + out.written[c]++))
                        Sample{timestamp, value};
                else
                    ++out.gaps;
            } else if (isGap(text)) {
                ++out.gaps;
            } else {
                out.bad = true;
                return;
            }
        }
        ++out.rows;
    }
}

/// The end of the line holding `at` (just past its '\n'), or `end`.
const char* nextLineStart(const char* at, const char* end) {
    const char* newline = static_cast<const char*>(std::memchr(at, '\n', end - at));
    return newline ? newline + 1 : end;
}

} // namespace

std::optional<Result<ImportReport>> importCsvFast(const std::filesystem::path& path,
                                                  const CsvOptions& options,
                                                  const ProgressCallback& progress) {
    if (options.seriesAsRows)
        return std::nullopt;
    std::error_code ec;
    const auto fileSize = std::filesystem::file_size(path, ec);
    if (ec)
        return std::nullopt;
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file)
        return std::nullopt;

    const std::size_t blockBytes = blockBytesFor(fileSize);
    std::vector<char> buffer;
    buffer.reserve(blockBytes + (std::size_t{1} << 16));
    auto readMore = [&](std::size_t keep) {
        // Keeps the last `keep` bytes (an unfinished line) and appends the next block.
        std::memmove(buffer.data(), buffer.data() + buffer.size() - keep, keep);
        buffer.resize(keep + blockBytes);
        const auto got = std::fread(buffer.data() + keep, 1, blockBytes, file.get());
        buffer.resize(keep + got);
        return got;
    };
    buffer.resize(0);
    readMore(0);

    // The header: the first non-blank line, after a byte-order mark.
    std::size_t offset = 0;
    if (buffer.size() >= 3 && std::memcmp(buffer.data(), "\xEF\xBB\xBF", 3) == 0)
        offset = 3;
    std::string_view first;
    while (offset < buffer.size()) {
        const char* start = buffer.data() + offset;
        const char* lineEnd =
            static_cast<const char*>(std::memchr(start, '\n', buffer.size() - offset));
        if (!lineEnd)
            return std::nullopt; // one huge line, or a file without line ends: general reader
        first = trim(std::string_view(start, static_cast<std::size_t>(lineEnd - start)));
        if (!first.empty())
            break;
        offset = static_cast<std::size_t>(lineEnd - buffer.data()) + 1;
    }
    if (first.empty())
        return std::nullopt;
    const char delimiter = options.delimiter ? options.delimiter : detectDelimiter(first);
    std::vector<std::string> header;
    if (splitFields(first, delimiter, header) != 0 || header.size() < 2 ||
        static_cast<std::size_t>(options.timeColumn.value_or(0)) >= header.size())
        return std::nullopt;
    const bool named =
        !parseTimestampMs(header[static_cast<std::size_t>(options.timeColumn.value_or(0))]);
    std::vector<std::string> columns;
    std::size_t timeColumn = static_cast<std::size_t>(options.timeColumn.value_or(0));
    if (named) {
        columns = header;
        if (!options.timeColumn)
            for (std::size_t c = 0; c < columns.size(); ++c)
                if (looksLikeTimeName(columns[c])) {
                    timeColumn = c;
                    break;
                }
        offset = static_cast<std::size_t>(first.data() - buffer.data()) + first.size();
        offset = static_cast<std::size_t>(
            nextLineStart(buffer.data() + offset, buffer.data() + buffer.size()) - buffer.data());
    } else {
        for (std::size_t c = 0; c < header.size(); ++c)
            columns.push_back("value" + std::to_string(c));
    }
    if (timeColumn >= columns.size())
        return std::nullopt;

    const std::size_t columnCount = columns.size();
    // Room for the samples, estimated once from the first block's line length, so the buffers
    // almost never grow (growing would briefly hold the samples twice).
    std::vector<SampleBuffer> samples(columnCount);
    {
        const auto sampleBytes = std::min<std::size_t>(buffer.size() - offset, 1 << 20);
        std::size_t lines = 0;
        for (std::size_t i = offset; i < offset + sampleBytes; ++i)
            lines += buffer[i] == '\n';
        const double perLine =
            lines > 0 ? static_cast<double>(sampleBytes) / static_cast<double>(lines) : 16.0;
        const auto expected =
            static_cast<std::size_t>(static_cast<double>(fileSize) / perLine * 1.02 + 1024);
        for (std::size_t c = 0; c < columnCount; ++c)
            if (c != timeColumn)
                samples[c].reserve(expected);
    }

    const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
    std::vector<Part> parts(threads);
    for (auto& part : parts) {
        part.at.assign(columnCount, nullptr);
        part.written.assign(columnCount, 0);
    }
    ImportReport report;
    std::size_t consumed = 0;
    bool atEnd = buffer.size() < blockBytes;
    while (true) {
        // Whole lines only; the unfinished last one waits for the next block.
        const char* begin = buffer.data() + offset;
        const char* end = buffer.data() + buffer.size();
        if (!atEnd) {
            const char* last = end;
            while (last > begin && last[-1] != '\n')
                --last;
            end = last;
        }
        const std::size_t bytes = static_cast<std::size_t>(end - begin);
        const unsigned used = bytes < kParallelBytes ? 1U : threads;
        std::vector<const char*> cuts{begin};
        for (unsigned t = 1; t < used; ++t)
            cuts.push_back(std::max(cuts.back(), nextLineStart(begin + bytes * t / used, end)));
        cuts.push_back(end);
        // Each part writes from its own offset: the lines before it bound how many samples the
        // earlier parts can give.
        std::vector<std::size_t> firstSlot(used + 1, 0);
        for (unsigned t = 0; t < used; ++t) {
            std::size_t lines = 0;
            for (const char* p = cuts[t]; p < cuts[t + 1];) {
                const char* newline =
                    static_cast<const char*>(std::memchr(p, '\n', cuts[t + 1] - p));
                ++lines;
                p = newline ? newline + 1 : cuts[t + 1];
            }
            firstSlot[t + 1] = firstSlot[t] + lines;
        }
        for (std::size_t c = 0; c < columnCount; ++c) {
            if (c == timeColumn)
                continue;
            auto& column = samples[c];
            if (column.size() + firstSlot[used] > column.capacity())
                column.reserve(
                    std::max(column.size() + firstSlot[used], column.capacity() * 3 / 2));
            for (unsigned t = 0; t < used; ++t) {
                parts[t].at[c] = column.data() + column.size() + firstSlot[t];
                parts[t].written[c] = 0;
            }
        }
        {
            std::vector<std::jthread> workers;
            for (unsigned t = 1; t < used; ++t)
                workers.emplace_back([&, t] {
                    parsePart(cuts[t], cuts[t + 1], delimiter, columnCount, timeColumn, parts[t]);
                });
            parsePart(cuts[0], cuts[1], delimiter, columnCount, timeColumn, parts[0]);
        }
        for (unsigned t = 0; t < used; ++t)
            if (parts[t].bad)
                return std::nullopt;
        // Close the holes a part leaves when it gave fewer samples than it had lines.
        for (std::size_t c = 0; c < columnCount; ++c) {
            if (c == timeColumn)
                continue;
            auto& column = samples[c];
            std::size_t filled = column.size();
            for (unsigned t = 0; t < used; ++t) {
                Sample* target = column.data() + filled;
                if (parts[t].at[c] != target && parts[t].written[c] > 0)
                    std::memmove(static_cast<void*>(target), parts[t].at[c],
                                 parts[t].written[c] * sizeof(Sample));
                filled += parts[t].written[c];
            }
            column.setSize(filled);
        }
        for (unsigned t = 0; t < used; ++t) {
            report.rows += std::exchange(parts[t].rows, 0);
            report.gaps += std::exchange(parts[t].gaps, 0);
        }
        consumed += static_cast<std::size_t>(end - buffer.data());
        if (!keepGoing(progress, fileSize ? std::min(1.0, static_cast<double>(consumed) /
                                                              static_cast<double>(fileSize))
                                          : 1.0))
            return Result<ImportReport>(
                Error{"import cancelled; nothing was imported", path.string(), ""});
        if (atEnd)
            break;
        const std::size_t keep = buffer.size() - static_cast<std::size_t>(end - buffer.data());
        atEnd = readMore(keep) < blockBytes;
        offset = 0;
    }
    if (report.rows == 0 && report.gaps == 0)
        return std::nullopt; // nothing but a header: the general reader words it
    std::vector<std::pair<std::string, std::span<Sample>>> lists;
    std::vector<std::size_t> listColumn;
    for (std::size_t c = 0; c < columnCount; ++c)
        if (c != timeColumn) {
            lists.emplace_back(columns[c], samples[c].span());
            listColumn.push_back(c);
        }
    return finishSpans(lists, std::move(report), path.string(), options,
                       [&](std::size_t l) { samples[listColumn[l]].release(); });
}

} // namespace headroom::metrics::detail
