#include "metrics/openmetrics_text.h"

#include "metrics/prometheus_value.h"
#include "metrics/series_ops.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

namespace headroom::metrics {
namespace {

struct Parsed {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
    std::optional<double> timestamp;
};

/// Parses `name{a="x",b="y"} value [timestamp]`; returns the 1-based column of a problem.
std::optional<std::pair<std::size_t, std::string>> parseSample(std::string_view line, Parsed& out) {
    std::size_t at = 0;
    while (at < line.size() && line[at] != '{' && line[at] != ' ' && line[at] != '\t')
        ++at;
    out.name = std::string(line.substr(0, at));
    if (out.name.empty())
        return std::pair{std::size_t{1}, std::string("expected a metric name")};
    out.labels.clear();
    if (at < line.size() && line[at] == '{') {
        ++at;
        while (true) {
            while (at < line.size() && (line[at] == ' ' || line[at] == ','))
                ++at;
            if (at < line.size() && line[at] == '}') {
                ++at;
                break;
            }
            const auto eq = line.find('=', at);
            if (eq == std::string_view::npos || eq + 1 >= line.size() || line[eq + 1] != '"')
                return std::pair{at + 1, std::string("expected label=\"value\"")};
            std::string key(line.substr(at, eq - at));
            std::string value;
            at = eq + 2;
            bool closed = false;
            while (at < line.size()) {
                const char c = line[at++];
                if (c == '\\' && at < line.size()) {
                    const char e = line[at++];
                    value += e == 'n' ? '\n' : e;
                } else if (c == '"') {
                    closed = true;
                    break;
                } else {
                    value += c;
                }
            }
            if (!closed)
                return std::pair{at, std::string("a label value is not closed")};
            out.labels.emplace(std::move(key), std::move(value));
        }
    }
    // Value and optional timestamp, separated by blanks.
    std::vector<std::pair<std::size_t, std::string_view>> words;
    while (at < line.size()) {
        while (at < line.size() && (line[at] == ' ' || line[at] == '\t'))
            ++at;
        const std::size_t start = at;
        while (at < line.size() && line[at] != ' ' && line[at] != '\t' && line[at] != '#')
            ++at;
        if (at > start)
            words.emplace_back(start, line.substr(start, at - start));
        if (at < line.size() && line[at] == '#')
            break; // an exemplar follows
    }
    if (words.empty())
        return std::pair{line.size() + 1, std::string("expected a value")};
    const auto value = parsePrometheusValue(words[0].second);
    if (!value)
        return std::pair{words[0].first + 1,
                         "not a number: '" + std::string(words[0].second) + "'"};
    out.value = *value;
    out.timestamp.reset();
    if (words.size() >= 2) {
        const auto t = parsePrometheusValue(words[1].second);
        if (!t || !std::isfinite(*t))
            return std::pair{words[1].first + 1,
                             "not a timestamp: '" + std::string(words[1].second) + "'"};
        out.timestamp = *t;
    }
    return std::nullopt;
}

bool endsWith(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

Result<ImportReport> importExposition(std::string_view text, const ExpositionOptions& options) {
    const bool openMetrics = text.find("# EOF") != std::string_view::npos;
    std::map<std::string, std::string> types; // family -> counter, gauge, histogram, ...
    struct Key {
        std::string name;
        std::map<std::string, std::string> labels;
        bool operator<(const Key& o) const {
            return std::tie(name, labels) < std::tie(o.name, o.labels);
        }
    };
    std::map<Key, std::vector<Sample>> series;
    std::vector<Key> order;
    ImportReport report;
    std::size_t lineNumber = 0;
    int scrape = 0;
    Parsed parsed;
    while (!text.empty()) {
        const auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty())
            continue;
        if (line[0] == '#') {
            if (line.rfind("# EOF", 0) == 0) {
                ++scrape;
            } else if (line.rfind("# TYPE ", 0) == 0) {
                std::istringstream words{std::string(line.substr(7))};
                std::string family, type;
                words >> family >> type;
                types[family] = type;
            }
            continue;
        }
        if (auto problem = parseSample(line, parsed))
            return Error{problem->second, options.location,
                         "line " + std::to_string(lineNumber) + ", column " +
                             std::to_string(problem->first)};
        ++report.rows;
        std::int64_t ms = options.firstScrapeMs + scrape * options.scrapeIntervalMs;
        if (parsed.timestamp)
            ms = static_cast<std::int64_t>(
                std::llround(openMetrics ? *parsed.timestamp * 1000 : *parsed.timestamp));
        Key key{parsed.name, parsed.labels};
        auto [it, added] = series.try_emplace(key);
        if (added)
            order.push_back(key);
        if (std::isnan(parsed.value)) {
            ++report.gaps;
            continue;
        }
        it->second.push_back({ms, parsed.value});
    }
    // The family a sample belongs to: histograms and summaries add suffixes to theirs.
    auto typeOf = [&](const std::string& name) {
        for (const char* suffix : {"", "_total", "_bucket", "_sum", "_count", "_created"}) {
            const std::string_view s(suffix);
            if (!endsWith(name, s))
                continue;
            const auto family = name.substr(0, name.size() - s.size());
            if (auto t = types.find(family); t != types.end())
                return t->second;
        }
        return std::string("untyped");
    };
    for (const auto& key : order) {
        auto samples = std::move(series[key]);
        std::stable_sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) {
            return a.timestampMs < b.timestampMs;
        });
        const auto type = typeOf(key.name);
        const bool cumulative =
            type == "counter" || ((type == "histogram" || type == "summary") &&
                                  (endsWith(key.name, "_bucket") || endsWith(key.name, "_sum") ||
                                   endsWith(key.name, "_count")));
        if (endsWith(key.name, "_created"))
            continue; // creation times, not measurements
        SeriesInfo info;
        info.labels = key.labels;
        info.source = {openMetrics ? "openmetrics" : "prometheus-text", options.location, key.name,
                       0};
        if (cumulative) {
            if (samples.size() < 2) {
                report.warnings.push_back("counter " + key.name +
                                          " has a single scrape: a rate needs two, left out");
                continue;
            }
            info.name = "rate(" + key.name + ")";
            info.unit = "/s";
            samples = counterRate(samples);
        } else {
            info.name = key.name;
            samples.erase(std::remove_if(samples.begin(), samples.end(),
                                         [&](const Sample& s) {
                                             const bool gap = !std::isfinite(s.value);
                                             report.gaps += gap;
                                             return gap;
                                         }),
                          samples.end());
        }
        report.series.push_back(Series::fromSamples(std::move(info), samples));
    }
    if (report.series.empty())
        return Error{report.rows == 0 ? "no samples in the file"
                                      : "no series to import (counters need two scrapes)",
                     options.location, ""};
    warnAboutGaps(report);
    return report;
}

Result<ImportReport> importExpositionFile(const std::filesystem::path& path,
                                          ExpositionOptions options) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return Error{"no such file", path.string(), ""};
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (options.location.empty())
        options.location = path.string();
    if (options.firstScrapeMs == 0) {
        const auto written = std::filesystem::last_write_time(path, ec);
        const auto system = std::chrono::file_clock::to_sys(written);
        options.firstScrapeMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(system.time_since_epoch())
                .count();
    }
    return importExposition(text.str(), options);
}

} // namespace headroom::metrics
