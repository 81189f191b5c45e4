#include "metrics/prometheus_query.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fast_float/fast_float.h>
#include <map>

namespace headroom::metrics {
namespace {

/// Milliseconds per unit of a Prometheus duration; "ms" must be tried before "m".
struct Unit {
    std::string_view suffix;
    std::int64_t ms;
};
constexpr Unit kUnits[] = {
    {"ms", 1},         {"s", 1000},        {"m", 60'000},        {"h", 3'600'000},
    {"d", 86'400'000}, {"w", 604'800'000}, {"y", 31'536'000'000}};

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

} // namespace

Result<std::int64_t> parsePrometheusDuration(std::string_view input) {
    const auto text = trim(input);
    const auto bad = [&] {
        return Error{"not a duration: '" + std::string(input) +
                         "' (write it like 15s, 1m, 1h30m, 7d, or a number of seconds)",
                     "", ""};
    };
    if (text.empty())
        return bad();
    // A plain number is seconds, as the HTTP API takes it.
    double seconds = 0;
    const auto plain = fast_float::from_chars(text.data(), text.data() + text.size(), seconds);
    if (plain.ec == std::errc() && plain.ptr == text.data() + text.size()) {
        if (!std::isfinite(seconds) || seconds <= 0 || seconds > 1e10)
            return bad();
        return static_cast<std::int64_t>(std::llround(seconds * 1000));
    }
    // Otherwise integer parts with units, largest first, each unit at most once: 1h30m, 2d12h.
    std::int64_t total = 0;
    std::size_t lastUnit = 0;                          // index into kUnits by size order, see below
    const std::size_t order[] = {6, 5, 4, 3, 2, 1, 0}; // y w d h m s ms
    bool any = false;
    std::string_view rest = text;
    while (!rest.empty()) {
        std::int64_t count = 0;
        const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), count);
        if (ec != std::errc() || end == rest.data() || count < 0)
            return bad();
        rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
        std::size_t position = 0;
        bool matched = false;
        for (; position < std::size(order); ++position) {
            const auto& unit = kUnits[order[position]];
            if (rest.starts_with(unit.suffix) && !(unit.suffix == "m" && rest.starts_with("ms"))) {
                matched = true;
                break;
            }
        }
        if (!matched || (any && position <= lastUnit))
            return bad();
        const auto& unit = kUnits[order[position]];
        if (count > (std::int64_t{1} << 53) / unit.ms)
            return bad();
        total += count * unit.ms;
        rest.remove_prefix(unit.suffix.size());
        lastUnit = position;
        any = true;
    }
    if (total <= 0)
        return bad();
    return total;
}

Result<std::int64_t> parseTimeSpec(std::string_view input, std::int64_t nowMs) {
    const auto text = trim(input);
    if (text == "now")
        return nowMs;
    if (text.starts_with("now-") || text.starts_with("now+")) {
        auto offset = parsePrometheusDuration(text.substr(4));
        if (!offset)
            return Error{"not a time: '" + std::string(input) + "' (" + offset.error().message +
                             ")",
                         "", ""};
        return text[3] == '-' ? nowMs - *offset : nowMs + *offset;
    }
    if (const auto ms = parseTimestampMs(text))
        return *ms;
    return Error{"not a time: '" + std::string(input) +
                     "' (write now, now-7d, 2026-11-20T00:00:00Z or Unix seconds)",
                 "", ""};
}

std::optional<std::string> checkRangeQuery(const RangeQuery& query) {
    if (trim(query.query).empty())
        return "the PromQL query is empty";
    if (query.stepMs <= 0)
        return "the step must be positive";
    if (query.endMs < query.startMs)
        return "the end of the range is before its start";
    // Guards against a typo like step 1ms over a year filling memory: 100 million points.
    if ((query.endMs - query.startMs) / query.stepMs > 100'000'000)
        return "the range holds more than 100 million steps; choose a larger step";
    return std::nullopt;
}

std::vector<TimeWindow> splitRange(const RangeQuery& query, std::int64_t maxPoints) {
    std::vector<TimeWindow> windows;
    if (query.stepMs <= 0 || query.endMs < query.startMs || maxPoints < 1)
        return windows;
    // A window [s, s + (maxPoints - 1) * step] holds exactly maxPoints points of the grid.
    const std::int64_t span = (maxPoints - 1) * query.stepMs;
    for (std::int64_t start = query.startMs; start <= query.endMs;) {
        const std::int64_t end = std::min(query.endMs, start + span);
        windows.push_back({start, end});
        if (end >= query.endMs)
            break;
        // The next grid point after this window's last one.
        start += ((end - start) / query.stepMs + 1) * query.stepMs;
    }
    return windows;
}

std::string formatPrometheusTime(std::int64_t ms) {
    const bool negative = ms < 0;
    const std::uint64_t magnitude =
        negative ? static_cast<std::uint64_t>(-(ms + 1)) + 1 : static_cast<std::uint64_t>(ms);
    std::string out = (negative ? "-" : "") + std::to_string(magnitude / 1000);
    if (const auto fraction = magnitude % 1000) {
        std::string digits = std::to_string(fraction);
        digits.insert(0, 3 - digits.size(), '0');
        while (digits.back() == '0')
            digits.pop_back();
        out += "." + digits;
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> rangeQueryFields(const RangeQuery& query,
                                                                  TimeWindow window) {
    return {{"query", query.query},
            {"start", formatPrometheusTime(window.startMs)},
            {"end", formatPrometheusTime(window.endMs)},
            {"step", formatPrometheusTime(query.stepMs)}};
}

std::string redactServerUrl(std::string_view url) {
    std::string out(url);
    // Anything after '?' or '#' may carry a token (?access_token=...): not kept.
    if (const auto cut = out.find_first_of("?#"); cut != std::string::npos)
        out.erase(cut);
    const auto scheme = out.find("://");
    const std::size_t hostStart = scheme == std::string::npos ? 0 : scheme + 3;
    const auto pathStart = out.find('/', hostStart);
    const auto at = out.rfind('@', pathStart == std::string::npos ? std::string::npos : pathStart);
    if (at != std::string::npos && at >= hostStart &&
        (pathStart == std::string::npos || at < pathStart))
        out.erase(hostStart, at + 1 - hostStart);
    while (out.size() > hostStart + 1 && out.back() == '/')
        out.pop_back();
    return out;
}

Result<ImportReport> joinWindowReports(std::vector<ImportReport> parts) {
    ImportReport joined;
    if (parts.size() == 1)
        return std::move(parts.front());
    using Key = std::pair<std::string, std::map<std::string, std::string>>;
    struct Pending {
        SeriesInfo info;
        std::vector<Sample> samples;
    };
    std::map<Key, std::size_t> index; // key -> position in `order`, first-seen order kept
    std::vector<Pending> order;
    for (auto& part : parts) {
        joined.rows += part.rows;
        joined.skippedRows += part.skippedRows;
        joined.gaps += part.gaps;
        joined.reordered += part.reordered;
        // Each part's gap count is summed and said once at the end; other warnings once each.
        ImportReport gapsOnly;
        gapsOnly.gaps = part.gaps;
        warnAboutGaps(gapsOnly);
        for (auto& w : part.warnings)
            if (std::find(joined.warnings.begin(), joined.warnings.end(), w) ==
                    joined.warnings.end() &&
                (gapsOnly.warnings.empty() || w != gapsOnly.warnings.front()))
                joined.warnings.push_back(std::move(w));
        for (const auto& series : part.series) {
            Key key{series->info().name, series->info().labels};
            auto [it, inserted] = index.try_emplace(std::move(key), order.size());
            if (inserted)
                order.push_back({series->info(), {}});
            auto samples = series->samples();
            if (!samples)
                return samples.error();
            auto& into = order[it->second].samples;
            for (const auto& s : *samples) {
                if (!into.empty() && s.timestampMs <= into.back().timestampMs) {
                    ++joined.duplicates;
                    continue;
                }
                into.push_back(s);
            }
        }
    }
    for (auto& p : order)
        joined.series.push_back(Series::fromSamples(std::move(p.info), p.samples));
    warnAboutGaps(joined);
    return joined;
}

} // namespace headroom::metrics
