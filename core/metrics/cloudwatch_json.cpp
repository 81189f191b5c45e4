#include "metrics/cloudwatch_json.h"

#include <algorithm>
#include <cmath>
#include <simdjson.h>

namespace headroom::metrics {
namespace {
using namespace simdjson;
}

Result<ImportReport> importCloudWatchJson(std::string_view body, const std::string& location) {
    auto fail = [&](const std::string& path, const std::string& message) {
        return Error{message, location, path};
    };
    padded_string padded(body);
    ondemand::parser parser;
    ondemand::document doc;
    if (auto error = parser.iterate(padded).get(doc))
        return fail("", std::string("not JSON: ") + error_message(error));
    ondemand::array results;
    if (doc["MetricDataResults"].get_array().get(results))
        return fail("/MetricDataResults",
                    "not a GetMetricData answer (no \"MetricDataResults\" array)");
    ImportReport report;
    std::size_t r = 0;
    for (auto item : results) {
        const std::string at = "/MetricDataResults/" + std::to_string(r++);
        ondemand::object result;
        if (item.get_object().get(result))
            return fail(at, "expected an object");
        std::string id, label, statusCode;
        std::vector<std::int64_t> times;
        std::vector<double> values;
        for (auto field : result) {
            std::string_view key;
            if (field.unescaped_key().get(key))
                return fail(at, "bad key");
            std::string_view text;
            if (key == "Id" && !field.value().get_string().get(text)) {
                id = text;
            } else if (key == "Label" && !field.value().get_string().get(text)) {
                label = text;
            } else if (key == "StatusCode" && !field.value().get_string().get(text)) {
                statusCode = text;
            } else if (key == "Timestamps") {
                ondemand::array list;
                if (field.value().get_array().get(list))
                    return fail(at + "/Timestamps", "expected an array");
                std::size_t i = 0;
                for (auto t : list) {
                    const std::string tAt = at + "/Timestamps/" + std::to_string(i++);
                    // The CLI writes ISO 8601 strings; SDKs may write epoch seconds.
                    double seconds = 0;
                    if (!t.get_string().get(text)) {
                        const auto ms = parseTimestampMs(text);
                        if (!ms)
                            return fail(tAt, "not a timestamp: \"" + std::string(text) + "\"");
                        times.push_back(*ms);
                    } else if (!t.get_double().get(seconds)) {
                        times.push_back(static_cast<std::int64_t>(std::llround(seconds * 1000)));
                    } else {
                        return fail(tAt, "expected a timestamp");
                    }
                }
            } else if (key == "Values") {
                ondemand::array list;
                if (field.value().get_array().get(list))
                    return fail(at + "/Values", "expected an array");
                std::size_t i = 0;
                for (auto v : list) {
                    double value = 0;
                    if (v.get_double().get(value))
                        return fail(at + "/Values/" + std::to_string(i), "expected a number");
                    values.push_back(value);
                    ++i;
                }
            }
        }
        if (times.size() != values.size())
            return fail(at, std::to_string(times.size()) + " timestamps but " +
                                std::to_string(values.size()) + " values");
        std::vector<Sample> samples;
        for (std::size_t i = 0; i < times.size(); ++i) {
            ++report.rows;
            if (std::isfinite(values[i]))
                samples.push_back({times[i], values[i]});
            else
                ++report.gaps;
        }
        std::sort(samples.begin(), samples.end(),
                  [](const Sample& a, const Sample& b) { return a.timestampMs < b.timestampMs; });
        if (statusCode == "PartialData")
            report.warnings.push_back("'" + (label.empty() ? id : label) +
                                      "' is partial (CloudWatch returned a NextToken): fetch the "
                                      "remaining pages and import them too");
        SeriesInfo info;
        info.name = label.empty() ? id : label;
        if (!id.empty())
            info.labels["id"] = id;
        info.source = {"cloudwatch-json", location, id, 0};
        report.series.push_back(Series::fromSamples(std::move(info), samples));
    }
    if (report.series.empty())
        return fail("/MetricDataResults", "the answer holds no metric results");
    return report;
}

Result<ImportReport> importCloudWatchJsonFile(const std::filesystem::path& path) {
    padded_string body;
    if (auto error = padded_string::load(path.string()).get(body))
        return Error{std::string("cannot read the file: ") + error_message(error), path.string(),
                     ""};
    return importCloudWatchJson(std::string_view(body.data(), body.size()), path.string());
}

} // namespace headroom::metrics
