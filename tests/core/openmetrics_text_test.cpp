#include "metrics/openmetrics_text.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

namespace headroom::metrics {
namespace {

std::filesystem::path fixture(const char* name) {
    return test::sourceDir() / "tests/data/exposition" / name;
}

const Series* find(const ImportReport& report, const std::string& name,
                   const std::map<std::string, std::string>& labels = {}) {
    for (const auto& s : report.series)
        if (s->info().name == name && s->info().labels == labels)
            return s.get();
    return nullptr;
}

TEST(Exposition, CountersBecomeRatesGaugesStayAsTheyAre) {
    const auto report = importExpositionFile(fixture("two_scrapes.prom"));
    ASSERT_TRUE(report) << report.error().describe();
    const auto* rate =
        find(*report, "rate(http_requests_total)", {{"code", "200"}, {"path", "/cart"}});
    ASSERT_NE(rate, nullptr);
    EXPECT_EQ(rate->info().unit, "/s");
    const auto samples = rate->samples();
    ASSERT_EQ(samples->size(), 1u);
    EXPECT_EQ((*samples)[0].timestampMs, 1709294415000);
    EXPECT_DOUBLE_EQ((*samples)[0].value, 20.0); // (1300 - 1000) / 15 s
    const auto* memory = find(*report, "process_resident_memory_bytes");
    ASSERT_NE(memory, nullptr);
    EXPECT_EQ(memory->size(), 2u);
    EXPECT_EQ(memory->info().source.kind, "prometheus-text");
}

TEST(Exposition, OpenMetricsScrapesWithoutTimestampsUseTheScrapeInterval) {
    ExpositionOptions options;
    options.firstScrapeMs = 1709294400000;
    options.scrapeIntervalMs = 15000;
    const auto report = importExpositionFile(fixture("histogram.om.txt"), options);
    ASSERT_TRUE(report) << report.error().describe();
    const auto* bucket = find(*report, "rate(rpc_duration_seconds_bucket)", {{"le", "0.1"}});
    ASSERT_NE(bucket, nullptr);
    const auto b = bucket->samples();
    EXPECT_EQ((*b)[0].timestampMs, 1709294415000);
    EXPECT_DOUBLE_EQ((*b)[0].value, 2.0); // (40 - 10) / 15
    EXPECT_DOUBLE_EQ(find(*report, "rate(rpc_duration_seconds_sum)")->samples()->at(0).value,
                     0.3); // (6.0 - 1.5) / 15
    EXPECT_DOUBLE_EQ(find(*report, "rate(rpc_duration_seconds_count)")->samples()->at(0).value,
                     2.2); // (45 - 12) / 15
    EXPECT_EQ(find(*report, "rpc_duration_seconds_created"), nullptr);
    EXPECT_EQ(report->series[0]->info().source.kind, "openmetrics");
}

TEST(Exposition, ABrokenLineSaysWhere) {
    ExpositionOptions options;
    options.location = "metrics.txt";
    const auto report = importExposition("up 1 1000\nfoo{a=\"x} 1\n", options);
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().location, "line 2, column 11");
    EXPECT_EQ(report.error().message, "a label value is not closed");
    const auto value = importExposition("up one\n", options);
    ASSERT_FALSE(value);
    EXPECT_EQ(value.error().describe(), "metrics.txt: line 1, column 4: not a number: 'one'");
    const auto single = importExposition("# TYPE c counter\nc 5 1000\n", options);
    ASSERT_FALSE(single) << "one scrape of a counter gives no rate";
}

} // namespace
} // namespace headroom::metrics

#include "metrics/metrics_import.h"

namespace headroom::metrics {
namespace {

TEST(MetricsImport, DetectsEveryFixturesFormat) {
    const auto data = test::sourceDir() / "tests/data";
    EXPECT_EQ(detectFileFormat(data / "prometheus/query_range_matrix.json"),
              FileFormat::PrometheusJson);
    EXPECT_EQ(detectFileFormat(data / "prometheus/error_bad_data.json"),
              FileFormat::PrometheusJson);
    EXPECT_EQ(detectFileFormat(data / "cloudwatch/get_metric_data.json"),
              FileFormat::CloudWatchJson);
    EXPECT_EQ(detectFileFormat(data / "grafana/series_as_rows.csv"), FileFormat::GrafanaCsv);
    EXPECT_EQ(detectFileFormat(data / "grafana/series_joined_by_time.csv"), FileFormat::Csv);
    EXPECT_EQ(detectFileFormat(data / "exposition/two_scrapes.prom"), FileFormat::Exposition);
    EXPECT_EQ(detectFileFormat(data / "exposition/histogram.om.txt"), FileFormat::Exposition);
    EXPECT_FALSE(detectFileFormat(data / "no-such-file.csv"));
    const auto report =
        importMetricsFile(data / "exposition/two_scrapes.prom", FileFormat::Exposition);
    ASSERT_TRUE(report) << report.error().describe();
    EXPECT_EQ(report->series.size(), 2u);
}

} // namespace
} // namespace headroom::metrics
