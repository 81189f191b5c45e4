#include "metrics/prometheus_json.h"

#include "common/huge_pages.h"
#include "metrics/prometheus_json_detail.h"
#include "metrics/prometheus_value.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <simdjson.h>

namespace headroom::metrics {
namespace {
using namespace simdjson;

struct Problem {
    std::string path;
    std::string message;
};

/// Reads one [timestamp, "value"] pair.
/// Reads one [timestamp, "value"] pair. `where` gives the pair's path, and is only called when
/// there is a problem to report (building a path string per sample would cost more than the
/// parse).
template <typename Where>
std::optional<Sample> readPair(ondemand::array pair, const Where& where, Problem& problem,
                               bool& gap) {
    double seconds = 0;
    std::string_view text;
    std::size_t index = 0;
    for (auto element : pair) {
        if (index == 0) {
            if (element.get_double().get(seconds)) {
                problem = {where() + "/0", "expected the timestamp as a number"};
                return std::nullopt;
            }
        } else if (index == 1) {
            if (element.get_string().get(text)) {
                problem = {where() + "/1", "expected the value as a string"};
                return std::nullopt;
            }
        }
        ++index;
    }
    if (index != 2) {
        problem = {where(), "expected [timestamp, \"value\"]"};
        return std::nullopt;
    }
    const auto value = parsePrometheusValue(text);
    if (!value) {
        problem = {where() + "/1", "not a number: \"" + std::string(text) + "\""};
        return std::nullopt;
    }
    gap = !std::isfinite(*value);
    return Sample{static_cast<std::int64_t>(std::llround(seconds * 1000)), *value};
}

} // namespace

Result<ImportReport> importPrometheusJson(std::string_view body,
                                          const PrometheusJsonOptions& options) {
    padded_string padded(body); // simdjson reads a little past the end: it needs the padding
    return detail::parseAnswer(std::string_view(padded.data(), padded.size()), options);
}

namespace detail {

void StreamedValues::add(const Sample& sample) {
    if (ordered && !pending.empty() && sample.timestampMs < pending.back().timestampMs)
        ordered = false;
    else if (ordered && pending.empty() && !chunks.empty() &&
             sample.timestampMs < chunks.back().lastMs)
        ordered = false;
    if (!ordered && !chunks.empty()) { // keep everything from now on, and sort at the end
        std::vector<Sample> all;
        for (const auto& chunk : chunks)
            if (!decodeInto(chunk, all))
                break;
        all.insert(all.end(), pending.begin(), pending.end());
        pending = std::move(all);
        chunks.clear();
    }
    pending.push_back(sample);
    if (ordered && pending.size() == kChunkSamples) {
        chunks.push_back(encodeBest(pending, arena.get()));
        pending.clear();
    }
}

void StreamedValues::seal() {
    if (ordered && !pending.empty()) {
        chunks.push_back(encodeBest(pending, arena.get()));
        pending = {};
    }
}

std::vector<Chunk> StreamedValues::finish() {
    if (!ordered) {
        std::stable_sort(pending.begin(), pending.end(), [](const Sample& a, const Sample& b) {
            return a.timestampMs < b.timestampMs;
        });
        for (std::size_t at = 0; at < pending.size(); at += kChunkSamples)
            chunks.push_back(encodeBest(
                {pending.data() + at, std::min(kChunkSamples, pending.size() - at)}, arena.get()));
    } else if (!pending.empty()) {
        chunks.push_back(encodeBest(pending, arena.get()));
    }
    pending.clear();
    return std::move(chunks);
}

Result<ImportReport> parseAnswer(std::string_view paddedText, const PrometheusJsonOptions& options,
                                 std::vector<StreamedValues>* streamed) {
    const padded_string_view padded(paddedText.data(), paddedText.size(),
                                    paddedText.size() + SIMDJSON_PADDING);
    const std::string name = options.location.empty() ? "response" : options.location;
    auto fail = [&](const std::string& path, const std::string& message) {
        return Error{message, name, path};
    };
    ondemand::parser parser;
    ondemand::document doc;
    if (auto error = parser.iterate(padded).get(doc))
        return fail("", std::string("not JSON: ") + error_message(error));

    std::string_view status;
    if (doc["status"].get_string().get(status))
        return fail("/status", "not a Prometheus API response (no \"status\")");
    if (status != "success") {
        std::string_view errorType, message;
        // Both are optional; whatever the server said is shown.
        const auto typeMissing = doc["errorType"].get_string().get(errorType);
        const auto messageMissing = doc["error"].get_string().get(message);
        (void)typeMissing;
        (void)messageMissing;
        return fail("", "the server answered " +
                            std::string(errorType.empty() ? "an error" : errorType) + ": " +
                            std::string(message));
    }
    ondemand::object data;
    if (doc["data"].get_object().get(data))
        return fail("/data", "expected an object");
    std::string_view resultType;
    if (data["resultType"].get_string().get(resultType))
        return fail("/data/resultType", "missing");

    ImportReport report;
    Problem problem;
    std::size_t valuesSeen = 0; // "values" arrays so far: the index into `streamed`
    auto finishSeries = [&](std::map<std::string, std::string> labels, std::vector<Sample> samples,
                            std::optional<std::vector<Chunk>> chunks = std::nullopt) {
        const auto byTime = [](const Sample& a, const Sample& b) {
            return a.timestampMs < b.timestampMs;
        };
        if (!std::is_sorted(samples.begin(), samples.end(), byTime))
            std::stable_sort(samples.begin(), samples.end(), byTime); // repeats keep their order
        SeriesInfo info;
        if (auto it = labels.find("__name__"); it != labels.end()) {
            info.name = it->second;
            labels.erase(it);
        } else {
            info.name = options.query.empty() ? "series" : options.query;
        }
        info.labels = std::move(labels);
        info.source = {options.sourceKind, options.location, options.query, options.stepMs};
        report.series.push_back(chunks ? Series::fromChunks(std::move(info), std::move(*chunks))
                                       : Series::fromSamples(std::move(info), samples));
    };

    if (resultType == "scalar") {
        ondemand::array pair;
        if (data["result"].get_array().get(pair))
            return fail("/data/result", "expected [timestamp, \"value\"]");
        bool gap = false;
        auto sample = readPair(
            pair, [] { return std::string("/data/result"); }, problem, gap);
        if (!sample)
            return fail(problem.path, problem.message);
        finishSeries({}, gap ? std::vector<Sample>{} : std::vector<Sample>{*sample});
        report.rows = 1;
        return report;
    }
    if (resultType != "matrix" && resultType != "vector")
        return fail("/data/resultType",
                    "cannot import a \"" + std::string(resultType) + "\" result");
    const bool matrix = resultType == "matrix";

    ondemand::array results;
    if (data["result"].get_array().get(results))
        return fail("/data/result", "expected an array");
    std::size_t r = 0;
    for (auto item : results) {
        const std::string at = "/data/result/" + std::to_string(r++);
        ondemand::object result;
        if (item.get_object().get(result))
            return fail(at, "expected an object");
        std::map<std::string, std::string> labels;
        std::vector<Sample> samples;
        std::optional<std::vector<Chunk>> chunks; // the streamed values, when they were
        // Fields in the order the server wrote them ("metric" then "values" or "value").
        for (auto field : result) {
            std::string_view key;
            if (field.unescaped_key().get(key))
                return fail(at, "bad key");
            if (key == "metric") {
                ondemand::object metric;
                if (field.value().get_object().get(metric))
                    return fail(at + "/metric", "expected an object");
                for (auto label : metric) {
                    std::string_view labelName, labelValue;
                    if (label.unescaped_key().get(labelName) ||
                        label.value().get_string().get(labelValue))
                        return fail(at + "/metric", "labels must be strings");
                    labels.emplace(labelName, labelValue);
                }
            } else if (key == "values" && matrix) {
                ondemand::array values;
                if (field.value().get_array().get(values))
                    return fail(at + "/values", "expected an array");
                if (streamed) {
                    if (valuesSeen >= streamed->size())
                        return fail(at + "/values", "the values arrays were read differently");
                    auto& part = (*streamed)[valuesSeen++];
                    report.rows += part.rows;
                    report.gaps += part.gaps;
                    chunks = part.finish();
                    continue;
                }
                // Counting first (a quick pass over the structure) lets the samples be held in one
                // allocation instead of a dozen doublings.
                std::size_t expected = 0;
                if (!values.count_elements().get(expected)) {
                    samples.reserve(expected);
                    adviseHugePages(samples.data(), expected * sizeof(Sample));
                }
                std::size_t i = 0;
                for (auto v : values) {
                    ondemand::array pair;
                    const auto pairAt = [&at, i] { return at + "/values/" + std::to_string(i); };
                    ++i;
                    if (v.get_array().get(pair))
                        return fail(pairAt(), "expected [timestamp, \"value\"]");
                    bool gap = false;
                    auto sample = readPair(pair, pairAt, problem, gap);
                    if (!sample)
                        return fail(problem.path, problem.message);
                    ++report.rows;
                    if (gap)
                        ++report.gaps; // NaN is Prometheus' staleness marker: a gap
                    else
                        samples.push_back(*sample);
                }
            } else if (key == "value" && !matrix) {
                ondemand::array pair;
                if (field.value().get_array().get(pair))
                    return fail(at + "/value", "expected [timestamp, \"value\"]");
                bool gap = false;
                auto sample = readPair(
                    pair, [&at] { return at + "/value"; }, problem, gap);
                if (!sample)
                    return fail(problem.path, problem.message);
                ++report.rows;
                if (gap)
                    ++report.gaps;
                else
                    samples.push_back(*sample);
            }
        }
        finishSeries(std::move(labels), std::move(samples), std::move(chunks));
    }
    if (report.series.empty() && !options.allowEmpty)
        return fail("/data/result", "the query returned no series");
    warnAboutGaps(report);
    return report;
}

} // namespace detail

Result<ImportReport> importPrometheusJsonFile(const std::filesystem::path& path,
                                              PrometheusJsonOptions options) {
    if (options.location.empty())
        options.location = path.string();
    std::error_code ec;
    if (const auto size = std::filesystem::file_size(path, ec);
        !ec && size > options.streamAboveBytes)
        if (auto streamed = detail::importPrometheusJsonStreaming(path, options))
            return std::move(*streamed);
    padded_string body;
    if (auto error = padded_string::load(path.string()).get(body))
        return Error{std::string("cannot read the file: ") + error_message(error), path.string(),
                     ""};
    // The file's buffer is padded already: no second copy.
    return detail::parseAnswer(std::string_view(body.data(), body.size()), options);
}

} // namespace headroom::metrics
