#include "metrics/prometheus_json.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

namespace headroom::metrics {
namespace {

PrometheusJsonOptions asked(std::string query, std::int64_t stepMs = 0, std::string location = "") {
    PrometheusJsonOptions options;
    options.query = std::move(query);
    options.stepMs = stepMs;
    options.location = std::move(location);
    return options;
}

std::filesystem::path fixture(const char* name) {
    return test::sourceDir() / "tests/data/prometheus" / name;
}

TEST(PrometheusJson, MatrixBecomesOneSeriesPerResultWithLabelsAndGaps) {
    const auto report = importPrometheusJsonFile(fixture("query_range_matrix.json"),
                                                 asked("rate(http_requests_total[1m])", 15000));
    ASSERT_TRUE(report) << report.error().describe();
    ASSERT_EQ(report->series.size(), 2u);
    const auto& first = *report->series[0];
    EXPECT_EQ(first.info().name, "http_requests_per_second");
    EXPECT_EQ(first.info().labels.at("instance"), "web-1:8080");
    EXPECT_EQ(first.info().labels.count("__name__"), 0u);
    EXPECT_EQ(first.info().source.kind, "prometheus-json");
    EXPECT_EQ(first.info().source.stepMs, 15000);
    const auto samples = first.samples();
    ASSERT_TRUE(samples);
    ASSERT_EQ(samples->size(), 3u) << "the NaN staleness marker is a gap";
    EXPECT_EQ((*samples)[0].timestampMs, 1709294400000);
    EXPECT_EQ((*samples)[2].value, 131.25);
    // No __name__: named after the query; fractional-second timestamps kept to the ms.
    EXPECT_EQ(report->series[1]->info().name, "rate(http_requests_total[1m])");
    EXPECT_EQ(report->series[1]->chunks()[0].firstMs, 1709294400500);
    EXPECT_EQ(report->gaps, 1u);
    EXPECT_EQ(report->rows, 6u);
}

TEST(PrometheusJson, VectorWithEscapedLabels) {
    const auto report = importPrometheusJsonFile(fixture("query_vector.json"), asked("up"));
    ASSERT_TRUE(report) << report.error().describe();
    ASSERT_EQ(report->series.size(), 1u);
    EXPECT_EQ(report->series[0]->info().labels.at("quote\"d"), "a \u00e9 b");
    const auto samples = report->series[0]->samples();
    EXPECT_EQ((*samples)[0].timestampMs, 1709294400123);
    EXPECT_EQ((*samples)[0].value, 0.75);
}

TEST(PrometheusJson, TheServersOwnErrorMessageComesThrough) {
    const auto report = importPrometheusJsonFile(fixture("error_bad_data.json"));
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().message,
              "the server answered bad_data: invalid parameter \"query\": 1:8: parse error: "
              "unexpected right parenthesis ')'");
}

TEST(PrometheusJson, BrokenResponsesSayWhere) {
    auto notJson = importPrometheusJson("{\"status\": \"success\", \"data\": ", {});
    ASSERT_FALSE(notJson);
    auto badValue = importPrometheusJson(
        R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"],[2,"x"]]}]}})",
        asked("q", 0, "r.json"));
    ASSERT_FALSE(badValue);
    EXPECT_EQ(badValue.error().describe(),
              "r.json: /data/result/0/values/1/1: not a number: \"x\"");
    auto empty = importPrometheusJson(
        R"({"status":"success","data":{"resultType":"matrix","result":[]}})", {});
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().message, "the query returned no series");
    auto strings = importPrometheusJson(
        R"({"status":"success","data":{"resultType":"string","result":[1,"a"]}})", {});
    ASSERT_FALSE(strings);
    EXPECT_FALSE(importPrometheusJsonFile(fixture("missing.json")));
}

} // namespace
} // namespace headroom::metrics
