#include "metrics/prometheus_json.h"
#include "support/same_import.h"
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

/// A query_range answer of `series` series of `samples` each, compact or pretty-printed, with
/// a label that looks like the start of a values array, NaN gaps, and the third series' last
/// two samples swapped (out of order).
std::string answer(int series, int samples, bool pretty) {
    const std::string nl = pretty ? "\n    " : "";
    const std::string sp = pretty ? " " : "";
    std::string text = "{\"status\":" + sp + "\"success\"," + nl + "\"data\":" + sp +
                       "{\"resultType\":\"matrix\",\"result\":" + sp + "[";
    for (int s = 0; s < series; ++s) {
        text += std::string(s ? "," : "") + nl + "{\"metric\":" + sp +
                "{\"__name__\":\"http_requests\",\"note\":\"a \\\"values\\\":[ ] trap\"," +
                "\"instance\":\"i" + std::to_string(s) + "\"}," + nl + "\"values\"" + sp + ":" +
                sp + "[";
        for (int i = 0; i < samples; ++i) {
            int k = i;
            if (s == 2 && i >= samples - 2)
                k = i == samples - 2 ? samples - 1 : samples - 2;
            const std::string value =
                k % 97 == 5 ? "NaN" : std::to_string(100 + (k * 7) % 13) + ".25";
            text += std::string(i ? "," : "") + (pretty && i % 5 == 0 ? "\n      " : "") + "[" +
                    std::to_string(1700000000 + k * 15) + "." + (k % 2 ? "5" : "0") + "," + sp +
                    "\"" + value + "\"]";
        }
        text += "]}";
    }
    return text + "]}}";
}

using test::expectSameReport;

TEST(PrometheusJson, StreamingALargeFileGivesWhatTheWholeDocumentParserGives) {
    test::TempDir dir;
    // 4 series of 120,000 samples: about 11 MB compact, so the reader crosses its 8 MB blocks
    // and 4 MB slices; pretty-printed with line breaks inside the arrays as well.
    for (const bool pretty : {false, true}) {
        const auto file = dir / (pretty ? "pretty.json" : "compact.json");
        test::writeFile(file, answer(4, 120'000, pretty));
        PrometheusJsonOptions whole = asked("rate(x[5m])", 15'000);
        whole.streamAboveBytes = std::uintmax_t{1} << 40;
        PrometheusJsonOptions streamed = whole;
        streamed.streamAboveBytes = 0;
        const auto a = importPrometheusJsonFile(file, whole);
        const auto b = importPrometheusJsonFile(file, streamed);
        ASSERT_TRUE(a) << a.error().describe();
        ASSERT_TRUE(b) << b.error().describe();
        expectSameReport(*a, *b);
        EXPECT_EQ(b->rows, 480'000u);
        EXPECT_EQ(b->gaps, 4u * 1238u); // ceil(120000 / 97) NaNs per series
        EXPECT_EQ(b->series[0]->info().labels.at("note"), "a \"values\":[ ] trap");
        EXPECT_EQ(b->series[2]->size(), 120'000u - 1238u) << "the swapped pair sorted back";
    }
}

TEST(PrometheusJson, StreamingSaysWhereABadSampleIsAndKeepsSmallAnswersWhole) {
    test::TempDir dir;
    auto text = answer(3, 2000, false);
    const std::string bad = "[1700029985.5,\"1x\"]"; // series 1, sample 1999 (the last)
    const auto at = text.find("[1700029985.5,", text.find("\"i1\""));
    ASSERT_NE(at, std::string::npos);
    text.replace(at, text.find(']', at) + 1 - at, bad);
    test::writeFile(dir / "bad.json", text);
    PrometheusJsonOptions streamed;
    streamed.streamAboveBytes = 0;
    const auto whole = importPrometheusJsonFile(dir / "bad.json");
    const auto stream = importPrometheusJsonFile(dir / "bad.json", streamed);
    ASSERT_FALSE(whole);
    ASSERT_FALSE(stream);
    EXPECT_EQ(stream.error().location, "/data/result/1/values/1999/1");
    EXPECT_EQ(stream.error().location, whole.error().location);
    EXPECT_EQ(stream.error().message, whole.error().message);
    // A vector answer has no values arrays: the skeleton is the whole answer.
    const auto vector = importPrometheusJsonFile(fixture("query_vector.json"), streamed);
    ASSERT_TRUE(vector) << vector.error().describe();
    expectSameReport(*vector, *importPrometheusJsonFile(fixture("query_vector.json")));
    // Cut short inside a values array: the whole-document parser words the error.
    test::writeFile(dir / "cut.json", answer(2, 100, false).substr(0, 1500));
    const auto cut = importPrometheusJsonFile(dir / "cut.json", streamed);
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error().describe(),
              importPrometheusJsonFile(dir / "cut.json").error().describe());
}

TEST(PrometheusJson, StreamingHandsOddArraysToTheWholeDocumentParser) {
    // Each case, streamed, must give exactly what the whole-document parser gives: the same
    // series, or the same error at the same place.
    test::TempDir dir;
    const std::string head = R"({"status":"success","data":{"resultType":"matrix","result":[)";
    const std::vector<std::pair<const char*, std::string>> cases{
        {"label key values",
         R"({"metric":{"values":"x","__name__":"a"},"values" : [ [1,"2"] , [2,"3"] ]})"},
        {"empty array",
         R"({"metric":{"__name__":"a"},"values":[]},{"metric":{},"values":[[5,"1"]]})"},
        {"result without values",
         R"({"metric":{"__name__":"a"}},{"metric":{"__name__":"b"},"values":[[1,"1"]]})"},
        {"junk after the last pair", R"({"metric":{},"values":[[1,"2"], 7]})"},
        {"leading comma", R"({"metric":{},"values":[,[1,"2"]]})"},
        {"trailing comma", R"({"metric":{},"values":[[1,"2"],]})"},
        {"bad value", R"({"metric":{},"values":[[1,"2"],[2,"x"]]})"},
        {"repeated and unordered times",
         R"({"metric":{},"values":[[3,"1"],[3,"2"],[1,"3"],[3,"4"]]})"},
    };
    for (const auto& [name, results] : cases) {
        const auto file = dir / "case.json";
        test::writeFile(file, head + results + "]}}");
        PrometheusJsonOptions streamed;
        streamed.streamAboveBytes = 0;
        const auto a = importPrometheusJsonFile(file);
        const auto b = importPrometheusJsonFile(file, streamed);
        ASSERT_EQ(a.ok(), b.ok()) << name;
        if (a)
            expectSameReport(*a, *b);
        else
            EXPECT_EQ(a.error().describe(), b.error().describe()) << name;
    }
}

} // namespace
} // namespace headroom::metrics
