#include "metrics/csv_import.h"

#include "metrics/csv_detail.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <ctime>
#include <fast_float/fast_float.h>
#include <fstream>
#include <functional>
#include <map>

namespace headroom::metrics {
namespace detail {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// Parses a whole field as a double; nothing if anything but a number is in it.
std::optional<double> parseNumber(std::string_view text) {
    double value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = fast_float::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end)
        return std::nullopt;
    return value;
}

bool isGap(std::string_view text) {
    if (text.empty())
        return true;
    const auto l = lower(text);
    return l == "nan" || l == "inf" || l == "+inf" || l == "-inf" || l == "infinity" ||
           l == "-infinity" || l == "null" || l == "none";
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<int> digits(std::string_view text, std::size_t at, std::size_t count) {
    if (at + count > text.size())
        return std::nullopt;
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

std::optional<std::int64_t> parseIso8601(std::string_view t) {
    // YYYY-MM-DD[T ]hh:mm[:ss[.fff]][Z|+hh:mm|-hh:mm|+hhmm]
    const auto year = digits(t, 0, 4), month = digits(t, 5, 2), day = digits(t, 8, 2);
    if (!year || !month || !day || t.size() < 16 || t[4] != '-' || t[7] != '-' ||
        (t[10] != 'T' && t[10] != ' ' && t[10] != 't'))
        return std::nullopt;
    const auto hour = digits(t, 11, 2), minute = digits(t, 14, 2);
    if (!hour || !minute || t[13] != ':' || *month < 1 || *month > 12 || *day < 1 || *day > 31 ||
        *hour > 23 || *minute > 59)
        return std::nullopt;
    std::size_t at = 16;
    int second = 0;
    double fraction = 0;
    if (at < t.size() && t[at] == ':') {
        const auto s = digits(t, at + 1, 2);
        if (!s || *s > 60)
            return std::nullopt;
        second = *s;
        at += 3;
        if (at < t.size() && (t[at] == '.' || t[at] == ',')) {
            std::size_t end = at + 1;
            while (end < t.size() && t[end] >= '0' && t[end] <= '9')
                ++end;
            if (end == at + 1)
                return std::nullopt;
            std::string number = "0." + std::string(t.substr(at + 1, end - at - 1));
            fraction = *parseNumber(number);
            at = end;
        }
    }
    std::int64_t offsetMinutes = 0;
    if (at < t.size()) {
        const char sign = t[at];
        if (sign == 'Z' || sign == 'z') {
            ++at;
        } else if (sign == '+' || sign == '-') {
            const auto oh = digits(t, at + 1, 2);
            std::size_t minuteAt = at + 3;
            if (minuteAt < t.size() && t[minuteAt] == ':')
                ++minuteAt;
            const auto om = digits(t, minuteAt, 2);
            if (!oh || !om)
                return std::nullopt;
            offsetMinutes = (*oh * 60 + *om) * (sign == '-' ? -1 : 1);
            at = minuteAt + 2;
        } else {
            return std::nullopt;
        }
    }
    if (at != t.size())
        return std::nullopt;
    const std::int64_t seconds =
        daysFromCivil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)) * 86400 +
        *hour * 3600 + *minute * 60 + second - offsetMinutes * 60;
    return seconds * 1000 + static_cast<std::int64_t>(std::llround(fraction * 1000));
}

/// Splits one line into fields, honouring double quotes ("" inside quotes is one quote).
/// Returns the 1-based column of an unterminated quote, or 0.
std::size_t splitFields(std::string_view line, char delimiter, std::vector<std::string>& fields) {
    fields.clear();
    std::size_t at = 0;
    while (true) {
        std::string field;
        if (at < line.size() && line[at] == '"') {
            const std::size_t open = at;
            ++at;
            while (true) {
                if (at >= line.size())
                    return open + 1;
                if (line[at] == '"') {
                    if (at + 1 < line.size() && line[at + 1] == '"') {
                        field += '"';
                        at += 2;
                        continue;
                    }
                    ++at;
                    break;
                }
                field += line[at++];
            }
            // Anything between the closing quote and the delimiter is kept (lenient).
            while (at < line.size() && line[at] != delimiter)
                field += line[at++];
        } else {
            const auto end = line.find(delimiter, at);
            field = std::string(
                line.substr(at, end == std::string_view::npos ? line.size() - at : end - at));
            at = end == std::string_view::npos ? line.size() : end;
        }
        fields.push_back(std::string(trim(field)));
        if (at >= line.size())
            return 0;
        ++at; // the delimiter
    }
}

char detectDelimiter(std::string_view line) {
    std::array<std::pair<char, int>, 3> counts{{{',', 0}, {';', 0}, {'\t', 0}}};
    bool quoted = false;
    for (char c : line) {
        if (c == '"')
            quoted = !quoted;
        else if (!quoted)
            for (auto& [d, n] : counts)
                n += c == d;
    }
    const auto best = std::max_element(counts.begin(), counts.end(),
                                       [](auto a, auto b) { return a.second < b.second; });
    return best->second > 0 ? best->first : ',';
}

std::int64_t scaleTimestamp(double v) {
    const double magnitude = std::abs(v);
    const double ms = magnitude < 1e11   ? v * 1e3
                      : magnitude < 1e14 ? v
                      : magnitude < 1e17 ? v / 1e3
                                         : v / 1e6;
    return static_cast<std::int64_t>(std::llround(ms));
}

bool looksLikeTimeName(const std::string& name) {
    const auto l = lower(name);
    return l == "time" || l == "timestamp" || l == "ts" || l == "date" || l == "datetime" ||
           l.find("time") != std::string::npos || l.find("date") != std::string::npos;
}

Result<ImportReport> finishSpans(std::vector<std::pair<std::string, std::span<Sample>>>& lists,
                                 ImportReport report, const std::string& name,
                                 const CsvOptions& options,
                                 const std::function<void(std::size_t)>& done) {
    std::size_t kept = 0;
    for (std::size_t l = 0; l < lists.size(); ++l) {
        auto& [seriesName, samples] = lists[l];
        if (samples.empty()) {
            if (done)
                done(l);
            continue;
        }
        const std::size_t out = sortAndFold(samples, report.reordered, report.duplicates);
        SeriesInfo info;
        info.name = seriesName;
        info.source = {options.sourceKind, name, seriesName, 0};
        report.series.push_back(Series::fromSamples(std::move(info), samples.first(out)));
        if (done)
            done(l); // the samples are compressed: their memory can go
        ++kept;
    }
    if (kept == 0)
        return Error{"no numeric column: every value column is empty or not a number", name, ""};
    warnAboutOrder(report);
    warnAboutGaps(report);
    if (report.skippedRows)
        report.warnings.push_back(std::to_string(report.skippedRows) + " bad rows were skipped");
    return report;
}

Result<ImportReport> finishLists(std::vector<std::pair<std::string, std::vector<Sample>>>& lists,
                                 ImportReport report, const std::string& name,
                                 const CsvOptions& options) {
    std::vector<std::pair<std::string, std::span<Sample>>> spans;
    for (auto& [seriesName, samples] : lists)
        spans.emplace_back(seriesName, std::span<Sample>(samples));
    return finishSpans(spans, std::move(report), name, options,
                       [&lists](std::size_t l) { lists[l].second = {}; });
}

} // namespace detail

namespace {
using namespace detail;

class CsvImporter {
  public:
    CsvImporter(std::string name, const CsvOptions& options)
        : name_(std::move(name)), options_(options) {}

    /// Takes one line; an Error stops the import.
    Status line(std::string_view text, std::size_t number) {
        if (number == 1 && text.substr(0, 3) == "\xEF\xBB\xBF")
            text.remove_prefix(3); // UTF-8 byte-order mark
        if (trim(text).empty())
            return Done{};
        if (!started_)
            return start(text, number);
        return row(text, number);
    }

    Result<ImportReport> finish() {
        if (!started_)
            return Error{"the file is empty", name_, ""};
        // One list of samples per series: per value column, or per named series in rows.
        std::vector<std::pair<std::string, std::vector<Sample>>> lists;
        if (seriesColumn_ >= 0) {
            for (const auto& key : rowsOrder_)
                lists.emplace_back(key, std::move(rows_[key]));
        } else {
            for (std::size_t c = 0; c < columns_.size(); ++c)
                if (static_cast<int>(c) != timeColumn_)
                    lists.emplace_back(columns_[c], std::move(samples_[c]));
        }
        return finishLists(lists, std::move(report_), name_, options_);
    }

  private:
    Status start(std::string_view text, std::size_t number) {
        started_ = true;
        delimiter_ = options_.delimiter ? options_.delimiter : detectDelimiter(text);
        if (auto bad = splitFields(text, delimiter_, fields_))
            return where(number, bad, "a quoted field is not closed");
        if (fields_.size() < 2)
            return where(number, 1,
                         "found one column; a time column and at least one value column are "
                         "needed (is the delimiter right?)");
        timeColumn_ = options_.timeColumn.value_or(-1);
        const bool header = !parseTimestampMs(
            fields_[static_cast<std::size_t>(timeColumn_ >= 0 ? timeColumn_ : 0)]);
        if (header) {
            columns_ = fields_;
            if (timeColumn_ < 0) {
                timeColumn_ = 0;
                for (std::size_t c = 0; c < columns_.size(); ++c)
                    if (looksLikeTimeName(columns_[c])) {
                        timeColumn_ = static_cast<int>(c);
                        break;
                    }
            }
        } else {
            timeColumn_ = std::max(timeColumn_, 0);
            for (std::size_t c = 0; c < fields_.size(); ++c)
                columns_.push_back("value" + std::to_string(c));
        }
        if (timeColumn_ >= static_cast<int>(columns_.size()))
            return where(number, 1,
                         "the time column " + std::to_string(timeColumn_ + 1) + " does not exist");
        if (options_.seriesAsRows) {
            for (std::size_t c = 0; c < columns_.size(); ++c) {
                const auto l = lower(columns_[c]);
                if (static_cast<int>(c) != timeColumn_ &&
                    (l == "series" || l == "metric" || l == "name"))
                    seriesColumn_ = static_cast<int>(c);
            }
            if (!header || seriesColumn_ < 0)
                return where(number, 1,
                             "a series-as-rows file needs a header with a Series (or Metric, "
                             "Name) column");
        }
        samples_.assign(columns_.size(), {});
        return header ? Status(Done{}) : row(text, number);
    }

    Status row(std::string_view text, std::size_t number) {
        if (auto bad = splitFields(text, delimiter_, fields_))
            return bad_(number, bad, "a quoted field is not closed");
        if (fields_.size() != columns_.size())
            return bad_(number, 1,
                        "expected " + std::to_string(columns_.size()) + " fields, found " +
                            std::to_string(fields_.size()));
        const auto& timeText = fields_[static_cast<std::size_t>(timeColumn_)];
        const auto timestamp = parseTimestampMs(timeText);
        if (!timestamp)
            return bad_(number, static_cast<std::size_t>(timeColumn_) + 1,
                        "not a timestamp: '" + timeText + "'");
        // Check the whole row before taking any of it, so a skipped row leaves nothing.
        values_.assign(columns_.size(), std::nullopt);
        for (std::size_t c = 0; c < columns_.size(); ++c) {
            if (static_cast<int>(c) == timeColumn_ || static_cast<int>(c) == seriesColumn_ ||
                isGap(fields_[c]))
                continue;
            values_[c] = parseNumber(fields_[c]);
            if (!values_[c])
                return bad_(number, c + 1,
                            "not a number: '" + fields_[c] + "' (column '" + columns_[c] + "')");
        }
        const std::size_t valueColumns = columns_.size() - 1 - (seriesColumn_ >= 0 ? 1 : 0);
        for (std::size_t c = 0; c < columns_.size(); ++c) {
            if (static_cast<int>(c) == timeColumn_ || static_cast<int>(c) == seriesColumn_)
                continue;
            if (!values_[c] || !std::isfinite(*values_[c])) {
                ++report_.gaps;
                continue;
            }
            if (seriesColumn_ < 0) {
                samples_[c].push_back({*timestamp, *values_[c]});
                continue;
            }
            std::string key = fields_[static_cast<std::size_t>(seriesColumn_)];
            if (valueColumns > 1)
                key += "/" + columns_[c];
            auto [it, added] = rows_.try_emplace(key);
            if (added)
                rowsOrder_.push_back(key);
            it->second.push_back({*timestamp, *values_[c]});
        }
        ++report_.rows;
        return Done{};
    }

    Error where(std::size_t line, std::size_t column, const std::string& message) const {
        return {message, name_,
                "line " + std::to_string(line) + ", column " + std::to_string(column)};
    }

    /// A bad row: skipped (and counted) when asked to, else the import stops here.
    Status bad_(std::size_t line, std::size_t column, const std::string& message) {
        if (options_.skipBadRows) {
            ++report_.skippedRows;
            if (report_.skippedRows == 1)
                report_.warnings.push_back("first skipped row: " +
                                           where(line, column, message).describe());
            return Done{};
        }
        return where(line, column, message);
    }

    std::string name_;
    CsvOptions options_;
    bool started_ = false;
    char delimiter_ = ',';
    int timeColumn_ = 0;
    std::vector<std::string> columns_;
    std::vector<std::string> fields_;
    std::vector<std::optional<double>> values_;
    std::vector<std::vector<Sample>> samples_;
    int seriesColumn_ = -1; ///< series-as-rows layout: the column naming the series
    std::map<std::string, std::vector<Sample>> rows_;
    std::vector<std::string> rowsOrder_;
    ImportReport report_;
};

} // namespace

std::string formatIsoTimestamp(std::int64_t ms) {
    const std::int64_t millis = ((ms % 1000) + 1000) % 1000;
    const std::time_t seconds = static_cast<std::time_t>((ms - millis) / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[48];
    const auto length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
    std::string out(buffer, length);
    if (millis) {
        const std::string digits = std::to_string(1000 + millis).substr(1);
        out += "." + digits;
    }
    return out + "Z";
}

std::size_t detail::sortAndFold(std::span<Sample> samples, std::size_t& reordered,
                                std::size_t& duplicates) {
    const auto rising =
        std::adjacent_find(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) {
            return b.timestampMs <= a.timestampMs;
        }) == samples.end();
    if (rising)
        return samples.size();
    for (std::size_t i = 1; i < samples.size(); ++i)
        reordered += samples[i].timestampMs < samples[i - 1].timestampMs;
    std::stable_sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) {
        return a.timestampMs < b.timestampMs;
    });
    // Keep the last of equal timestamps (a later scrape corrects an earlier one), in place,
    // so no second copy of the samples is ever held.
    std::size_t out = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        if (out > 0 && samples[out - 1].timestampMs == samples[i].timestampMs) {
            samples[out - 1] = samples[i];
            ++duplicates;
        } else {
            samples[out++] = samples[i];
        }
    }
    return out;
}

void detail::warnAboutOrder(ImportReport& report) {
    if (report.reordered)
        report.warnings.push_back(std::to_string(report.reordered) +
                                  " samples were out of time order and have been sorted");
    if (report.duplicates)
        report.warnings.push_back(std::to_string(report.duplicates) +
                                  " samples repeated a timestamp; the last one was kept");
}

void warnAboutGaps(ImportReport& report) {
    if (report.gaps)
        report.warnings.push_back(std::to_string(report.gaps) +
                                  " empty, NaN or infinite values were left out as gaps");
}

std::optional<std::int64_t> parseTimestampMs(std::string_view text) {
    text = trim(text);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
        text = text.substr(1, text.size() - 2);
    if (text.empty())
        return std::nullopt;
    if (const auto number = parseNumber(text)) {
        if (!std::isfinite(*number))
            return std::nullopt;
        return scaleTimestamp(*number);
    }
    return parseIso8601(text);
}

Result<ImportReport> importCsvText(std::string_view text, const std::string& name,
                                   const CsvOptions& options) {
    CsvImporter importer(name, options);
    std::size_t number = 0;
    while (!text.empty()) {
        const auto end = text.find('\n');
        const auto line = text.substr(0, end);
        if (auto status = importer.line(line, ++number); !status)
            return status.error();
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
    return importer.finish();
}

Result<ImportReport> importGrafanaCsvFile(const std::filesystem::path& path, CsvOptions options,
                                          const ProgressCallback& progress) {
    // Look at the header to tell the two layouts apart.
    std::ifstream in(path, std::ios::binary);
    std::string first;
    while (in && trim(first).empty())
        std::getline(in, first);
    if (first.substr(0, 3) == "\xEF\xBB\xBF")
        first.erase(0, 3);
    std::vector<std::string> header;
    splitFields(first, options.delimiter ? options.delimiter : detectDelimiter(first), header);
    for (const auto& column : header) {
        const auto l = lower(column);
        options.seriesAsRows = options.seriesAsRows || l == "series" || l == "metric";
    }
    options.sourceKind = "grafana-csv";
    return importCsvFile(path, options, progress);
}

Result<ImportReport> importCsvFile(const std::filesystem::path& path, const CsvOptions& options,
                                   const ProgressCallback& progress) {
    // The common shape goes through the parallel fast path; anything it does not take (quotes,
    // the series-as-rows layout, a bad row) is read again here, with exact error places.
    if (auto fast = detail::importCsvFast(path, options, progress))
        return std::move(*fast);
    const std::string name = path.string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return Error{"no such file", name, ""};
    const auto size = std::filesystem::file_size(path, ec);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{"cannot open the file for reading", name, ""};
    CsvImporter importer(name, options);
    std::vector<char> block(1 << 20);
    std::string carry;
    std::size_t number = 0, done = 0;
    while (in) {
        in.read(block.data(), static_cast<std::streamsize>(block.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0)
            break;
        done += got;
        std::string_view chunk(block.data(), got);
        while (true) {
            const auto end = chunk.find('\n');
            if (end == std::string_view::npos) {
                carry.append(chunk);
                break;
            }
            Status status = Done{};
            if (carry.empty()) {
                status = importer.line(chunk.substr(0, end), ++number);
            } else {
                carry.append(chunk.substr(0, end));
                status = importer.line(carry, ++number);
                carry.clear();
            }
            if (!status)
                return status.error();
            chunk.remove_prefix(end + 1);
        }
        if (!keepGoing(progress, size ? static_cast<double>(done) / static_cast<double>(size) : 1))
            return Error{"import cancelled; nothing was imported", name, ""};
    }
    if (!carry.empty())
        if (auto status = importer.line(carry, ++number); !status)
            return status.error();
    return importer.finish();
}

} // namespace headroom::metrics
