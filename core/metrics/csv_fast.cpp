#include "metrics/csv_detail.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fast_float/fast_float.h>
#include <memory>
#include <thread>

namespace headroom::metrics::detail {
namespace {

// Read at a time, between 256 KiB and 4 MiB: an eighth of the file, so even small files report
// progress a few times, and large ones do not pay for starting threads too often.
std::size_t blockBytesFor(std::uintmax_t fileSize) {
    return std::clamp<std::size_t>(static_cast<std::size_t>(fileSize / 8), std::size_t{1} << 18,
                                   std::size_t{4} << 20);
}
constexpr std::size_t kParallelBytes = std::size_t{1} << 17; // below this, one thread

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

/// An allocator whose resize leaves new elements uninitialised: the read buffer is about to be
/// overwritten by fread, and zeroing 4 MB per block cost 5% of an import.
template <typename T> struct Uninitialised : std::allocator<T> {
    template <typename U> struct rebind { using other = Uninitialised<U>; };
    template <typename U, typename... Args> void construct(U* p, Args&&... args) {
        if constexpr (sizeof...(Args) == 0)
            ::new (static_cast<void*>(p)) U;
        else
            ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

/// What one thread made of its part of a block: the samples of each column, in buffers reused
/// from block to block (so they stay in cache and never fault), and the chunks it compressed
/// them into. Decoded samples never pile up: memory holds the compressed series only.
/// Cache-line aligned: the threads' parts sit side by side, and a counter one thread bumps on
/// every row must not share a line with the vector another thread reads on every row (that false
/// sharing once cost a third of the parse).
struct alignas(64) Part {
    std::vector<std::vector<Sample>> samples; ///< per file column (the time column stays empty)
    std::vector<std::vector<Chunk>> chunks;   ///< per file column
    std::unique_ptr<ChunkArena> arena;        ///< where this thread's chunks' bytes go
    std::size_t rows = 0;
    std::size_t gaps = 0;
    std::size_t reordered = 0;  ///< samples before the one above them (sorted in the part)
    std::size_t duplicates = 0; ///< samples repeating a timestamp (the last one kept)
    bool bad = false;           ///< a row the fast path does not take: the general reader decides
};

/// Compresses each column of a parsed part into chunks of up to kChunkSamples. Samples out of
/// time order within the part are sorted and repeated timestamps folded (the last wins), as
/// the line reader does over the whole file (finishSpans): a file shuffled only locally, as
/// scrapes merged or rows appended late are, stays on the fast path. Disorder across parts
/// still sends the file to the line reader (importCsvFast).
void compressPart(Part& part) {
    for (std::size_t c = 0; c < part.samples.size(); ++c) {
        auto& samples = part.samples[c];
        samples.resize(sortAndFold(samples, part.reordered, part.duplicates));
        for (std::size_t at = 0; at < samples.size(); at += kChunkSamples)
            part.chunks[c].push_back(
                encodeBest({samples.data() + at, std::min(kChunkSamples, samples.size() - at)},
                           part.arena.get()));
    }
}

std::string_view trimSpaces(const char* begin, const char* end) {
    return trim(std::string_view(begin, static_cast<std::size_t>(end - begin)));
}

constexpr std::int64_t kPowersOfTen[] = {1,       10,        100,        1'000,      10'000,
                                         100'000, 1'000'000, 10'000'000, 100'000'000};

/// A whole-number Unix time as milliseconds: the value scaleTimestamp gives for it, without the
/// floating-point round trip for seconds and milliseconds.
std::int64_t timestampFromDigits(std::int64_t digits) {
    if (digits < 100'000'000'000) // seconds (exact: below 2^53 ms)
        return digits * 1000;
    if (digits < 100'000'000'000'000) // milliseconds
        return digits;
    return scaleTimestamp(static_cast<double>(digits)); // µs, ns: the general rounding
}

/// The common row in one pass: a whole-number time, numbers, the delimiter between them and a
/// line end, with nothing else (no spaces, quotes, empty fields or fractional times). Fills
/// `values` (per file column) and the time, and returns the start of the next line; nullptr
/// when the row is anything else, for the careful reader to take it field by field.
const char* quickRow(const char* p, const char* end, char delimiter, std::size_t columnCount,
                     std::size_t timeColumn, std::vector<double>& values, std::int64_t& timestamp) {
    for (std::size_t c = 0; c < columnCount; ++c) {
        if (c == timeColumn) {
            std::int64_t digits = 0;
            const char* start = p;
            // Eight digits at a time where there are eight (fast_float's SWAR helpers): a
            // 13-digit time in milliseconds one digit at a time was a fifth of the parse.
            for (int word = 0;
                 word < 2 && end - p >= 8 && fast_float::is_made_of_eight_digits_fast(p);
                 ++word, p += 8)
                digits = digits * 100'000'000 + fast_float::parse_eight_digits_unrolled(p);
            if (end - p >= 8) {
                // The rest (fewer than eight) from the same kind of word: its digits moved to
                // the top and '0's put in front of them (a millisecond time's last five digits
                // one at a time were a tenth of the parse).
                const std::uint64_t word = fast_float::read_u64(p);
                const std::uint64_t notDigit =
                    ((word + 0x4646464646464646) | (word - 0x3030303030303030)) &
                    0x8080808080808080;
                const int n = notDigit ? std::countr_zero(notDigit) / 8 : 8;
                if (p - start + n > 18)
                    return nullptr;
                if (n > 0) {
                    const std::uint64_t padded =
                        (word << (8 * (8 - n))) | (0x3030303030303030ULL >> (8 * n));
                    digits =
                        digits * kPowersOfTen[n] + fast_float::parse_eight_digits_unrolled(padded);
                    p += n;
                }
            } else {
                while (p < end && p - start < 18 && *p >= '0' && *p <= '9')
                    digits = digits * 10 + (*p++ - '0');
            }
            if (p == start)
                return nullptr;
            timestamp = timestampFromDigits(digits);
        } else {
            const auto parsed = fast_float::from_chars(p, end, values[c]);
            if (parsed.ec != std::errc())
                return nullptr;
            p = parsed.ptr;
        }
        if (c + 1 < columnCount) {
            if (p == end || *p != delimiter)
                return nullptr;
            ++p;
        }
    }
    if (p < end && *p == '\r')
        ++p;
    if (p == end)
        return p; // the part ends at a line end, so this was the last line
    return *p == '\n' ? p + 1 : nullptr;
}

void parsePart(const char* begin, const char* end, char delimiter, std::size_t columnCount,
               std::size_t timeColumn, Part& out) {
    std::vector<std::string_view> fields(columnCount);
    std::vector<double> values(columnCount);
    std::size_t rows = 0;
    std::size_t gaps = 0;
    // Counted locally and stored once at the end, so the loop keeps them in registers.
    struct Flush {
        Part& out;
        std::size_t& rows;
        std::size_t& gaps;
        ~Flush() {
            out.rows += rows;
            out.gaps += gaps;
        }
    } flush{out, rows, gaps};
    for (const char* p = begin; p < end;) {
        std::int64_t quickTime = 0;
        if (const char* next =
                quickRow(p, end, delimiter, columnCount, timeColumn, values, quickTime)) {
            for (std::size_t c = 0; c < columnCount; ++c) {
                if (c == timeColumn)
                    continue;
                if (std::isfinite(values[c]))
                    out.samples[c].push_back({quickTime, values[c]});
                else
                    ++gaps;
            }
            ++rows;
            p = next;
            continue;
        }
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
            timestamp = timestampFromDigits(digits);
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
                    out.samples[c].push_back({timestamp, value});
                else
                    ++gaps;
            } else if (isGap(text)) {
                ++gaps;
            } else {
                out.bad = true;
                return;
            }
        }
        ++rows;
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
    std::vector<char, Uninitialised<char>> buffer;
    buffer.reserve(blockBytes + (std::size_t{1} << 16));
    buffer.resize(blockBytes);
    buffer.resize(std::fread(buffer.data(), 1, blockBytes, file.get()));
    // The next block is read into this one while the threads parse the current block: reading
    // (a copy out of the page cache) was a serial tenth of an import, one core idle.
    std::vector<char, Uninitialised<char>> next;
    next.reserve(buffer.capacity());
    const auto readNext = [&](const char* keepFrom, std::size_t keep) {
        next.resize(keep + blockBytes);
        std::memcpy(next.data(), keepFrom, keep);
        const auto got = std::fread(next.data() + keep, 1, blockBytes, file.get());
        next.resize(keep + got);
        return got;
    };

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
    const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
    std::vector<Part> parts(threads);
    for (auto& part : parts) {
        part.samples.resize(columnCount);
        part.chunks.resize(columnCount);
        // About an eighth of the file ends up in chunks (2-3 bytes a sample, rows of 15-25).
        part.arena = std::make_unique<ChunkArena>(
            std::clamp<std::size_t>(static_cast<std::size_t>(fileSize / 8 / threads),
                                    std::size_t{64} << 10, std::size_t{8} << 20));
    }
    std::vector<std::vector<Chunk>> chunks(columnCount);
    std::vector<std::optional<std::int64_t>> lastMs(columnCount);
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
        // The calling thread reads the next block before it parses its part, so its part is
        // smaller: 84% of an even share (reading 4 MiB out of the page cache costs about a
        // fifth of parsing it on one core; 76% and 90% were slower on the 10 M-row file).
        const double first = atEnd || used < 2 ? 1.0 / used : 0.84 / used;
        for (unsigned t = 1; t < used; ++t) {
            const double upTo = first + (1 - first) * (t - 1) / (used - 1);
            cuts.push_back(std::max(
                cuts.back(),
                nextLineStart(begin + static_cast<std::size_t>(static_cast<double>(bytes) * upTo),
                              end)));
        }
        cuts.push_back(end);
        const auto work = [&](unsigned t) {
            parsePart(cuts[t], cuts[t + 1], delimiter, columnCount, timeColumn, parts[t]);
            if (!parts[t].bad)
                compressPart(parts[t]);
        };
        std::size_t got = 0;
        {
            std::vector<std::jthread> workers;
            if (atEnd) {
                for (unsigned t = 1; t < used; ++t)
                    workers.emplace_back(work, t);
                work(0);
            } else {
                for (unsigned t = 1; t < used; ++t)
                    workers.emplace_back(work, t);
                // The unfinished last line starts the next block.
                got = readNext(end, static_cast<std::size_t>(buffer.data() + buffer.size() - end));
                work(0);
            }
        }
        // The parts in file order: each must start after the one before it ended.
        for (unsigned t = 0; t < used; ++t) {
            auto& part = parts[t];
            if (part.bad)
                return std::nullopt; // the line reader says where
            for (std::size_t c = 0; c < columnCount; ++c) {
                auto& samples = part.samples[c];
                if (samples.empty())
                    continue;
                if (lastMs[c] && samples.front().timestampMs <= *lastMs[c])
                    return std::nullopt; // disorder across parts: the line reader sorts it all
                lastMs[c] = samples.back().timestampMs;
                for (auto& chunk : part.chunks[c])
                    chunks[c].push_back(std::move(chunk));
                part.chunks[c].clear();
                samples.clear();
            }
            report.rows += std::exchange(part.rows, 0);
            report.gaps += std::exchange(part.gaps, 0);
            report.reordered += std::exchange(part.reordered, 0);
            report.duplicates += std::exchange(part.duplicates, 0);
        }
        consumed += static_cast<std::size_t>(end - buffer.data());
        if (!keepGoing(progress, fileSize ? std::min(1.0, static_cast<double>(consumed) /
                                                              static_cast<double>(fileSize))
                                          : 1.0))
            return Result<ImportReport>(
                Error{"import cancelled; nothing was imported", path.string(), ""});
        if (atEnd)
            break;
        std::swap(buffer, next);
        atEnd = got < blockBytes;
        offset = 0;
    }
    for (std::size_t c = 0; c < columnCount; ++c) {
        if (c == timeColumn || chunks[c].empty())
            continue;
        SeriesInfo info;
        info.name = columns[c];
        info.source = {options.sourceKind, path.string(), columns[c], 0};
        report.series.push_back(Series::fromChunks(std::move(info), std::move(chunks[c])));
    }
    if (report.series.empty())
        return std::nullopt; // no numeric column: the general reader words it
    warnAboutOrder(report);
    warnAboutGaps(report);
    return Result<ImportReport>(std::move(report));
}

} // namespace headroom::metrics::detail
