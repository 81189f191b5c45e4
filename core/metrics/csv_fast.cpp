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
constexpr std::size_t kBlockBytes = std::size_t{1} << 20;
constexpr std::size_t kParallelBytes = std::size_t{1} << 17; // below this, one thread

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

/// What one thread parsed from its part of a block.
struct Part {
    std::vector<std::vector<Sample>> columns; ///< per file column (the time column stays empty)
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
        const auto parsed =
            fast_float::from_chars(timeText.data(), timeText.data() + timeText.size(), number);
        if (parsed.ec == std::errc() && parsed.ptr == timeText.data() + timeText.size() &&
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
                    out.columns[c].push_back({timestamp, value});
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

    std::vector<char> buffer;
    buffer.reserve(kBlockBytes + (std::size_t{1} << 16));
    auto readMore = [&](std::size_t keep) {
        // Keeps the last `keep` bytes (an unfinished line) and appends the next block.
        std::memmove(buffer.data(), buffer.data() + buffer.size() - keep, keep);
        buffer.resize(keep + kBlockBytes);
        const auto got = std::fread(buffer.data() + keep, 1, kBlockBytes, file.get());
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
    // Reserve the samples once, from the first block's line length, so the lists never
    // reallocate (a reallocation would briefly hold the samples three times).
    std::vector<std::vector<Sample>> samples(columnCount);
    {
        const auto sampleBytes = std::min<std::size_t>(buffer.size() - offset, 1 << 20);
        std::size_t lines = 0;
        for (std::size_t i = offset; i < offset + sampleBytes; ++i)
            lines += buffer[i] == '\n';
        if (lines > 0) {
            const double perLine = static_cast<double>(sampleBytes) / static_cast<double>(lines);
            const auto expected =
                static_cast<std::size_t>(static_cast<double>(fileSize) / perLine * 1.02 + 1024);
            for (std::size_t c = 0; c < columnCount; ++c)
                if (c != timeColumn) {
                    samples[c].reserve(expected);
                    adviseHugePages(samples[c].data(), expected * sizeof(Sample));
                }
        }
    }

    const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
    std::vector<Part> parts(threads);
    for (auto& part : parts)
        part.columns.resize(columnCount);
    ImportReport report;
    std::size_t consumed = 0;
    bool atEnd = buffer.size() < kBlockBytes;
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
        {
            std::vector<std::jthread> workers;
            for (unsigned t = 1; t < used; ++t)
                workers.emplace_back([&, t] {
                    parsePart(cuts[t], cuts[t + 1], delimiter, columnCount, timeColumn, parts[t]);
                });
            parsePart(cuts[0], cuts[1], delimiter, columnCount, timeColumn, parts[0]);
        }
        for (unsigned t = 0; t < used; ++t) {
            auto& part = parts[t];
            if (part.bad)
                return std::nullopt;
            for (std::size_t c = 0; c < columnCount; ++c) {
                samples[c].insert(samples[c].end(), part.columns[c].begin(), part.columns[c].end());
                part.columns[c].clear();
            }
            report.rows += std::exchange(part.rows, 0);
            report.gaps += std::exchange(part.gaps, 0);
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
        atEnd = readMore(keep) < kBlockBytes;
        offset = 0;
    }
    if (report.rows == 0 && report.gaps == 0)
        return std::nullopt; // nothing but a header: the general reader words it
    std::vector<std::pair<std::string, std::vector<Sample>>> lists;
    for (std::size_t c = 0; c < columnCount; ++c)
        if (c != timeColumn)
            lists.emplace_back(columns[c], std::move(samples[c]));
    return finishLists(lists, std::move(report), path.string(), options);
}

} // namespace headroom::metrics::detail
