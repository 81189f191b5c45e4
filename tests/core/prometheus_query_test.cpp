#include "metrics/prometheus_query.h"

#include <gtest/gtest.h>

namespace headroom::metrics {
namespace {

TEST(PrometheusQuery, DurationsInPrometheusNotationAndPlainSeconds) {
    EXPECT_EQ(*parsePrometheusDuration("15s"), 15'000);
    EXPECT_EQ(*parsePrometheusDuration("1m"), 60'000);
    EXPECT_EQ(*parsePrometheusDuration("500ms"), 500);
    EXPECT_EQ(*parsePrometheusDuration("1h30m"), 5'400'000);
    EXPECT_EQ(*parsePrometheusDuration("1m30s500ms"), 90'500);
    EXPECT_EQ(*parsePrometheusDuration("7d"), 604'800'000);
    EXPECT_EQ(*parsePrometheusDuration("2w"), 1'209'600'000);
    EXPECT_EQ(*parsePrometheusDuration("1y"), 31'536'000'000);
    EXPECT_EQ(*parsePrometheusDuration("2.5"), 2'500);
    EXPECT_EQ(*parsePrometheusDuration(" 60 "), 60'000);
    for (const char* bad :
         {"", "s", "1.5h", "-5s", "0s", "0", "1m1h", "1h1h", "5x", "abc", "nan"}) {
        const auto parsed = parsePrometheusDuration(bad);
        EXPECT_FALSE(parsed) << bad;
        if (!parsed) {
            EXPECT_NE(parsed.error().message.find("not a duration"), std::string::npos);
        }
    }
}

TEST(PrometheusQuery, TimesRelativeToNowRfc3339AndUnix) {
    const std::int64_t now = 1'795'132'800'000; // 2026-11-20T00:00:00Z (date -u -d ... +%s)
    EXPECT_EQ(*parseTimeSpec("now", now), now);
    EXPECT_EQ(*parseTimeSpec("now-7d", now), now - 604'800'000);
    EXPECT_EQ(*parseTimeSpec("now-1h30m", now), now - 5'400'000);
    EXPECT_EQ(*parseTimeSpec("2026-11-20T00:00:00Z", 0), 1'795'132'800'000);
    EXPECT_EQ(*parseTimeSpec("2026-11-20T01:30:00+02:00", 0), 1'795'131'000'000);
    EXPECT_EQ(*parseTimeSpec("1795132800", 0), 1'795'132'800'000);
    EXPECT_EQ(*parseTimeSpec("1795132800.5", 0), 1'795'132'800'500);
    EXPECT_EQ(formatIsoTimestamp(now), "2026-11-20T00:00:00Z");
    EXPECT_EQ(formatIsoTimestamp(now + 250), "2026-11-20T00:00:00.250Z");
    EXPECT_EQ(formatIsoTimestamp(-1), "1969-12-31T23:59:59.999Z");
    EXPECT_FALSE(parseTimeSpec("yesterday", now));
    EXPECT_FALSE(parseTimeSpec("now-", now));
    EXPECT_FALSE(parseTimeSpec("now-3q", now));
}

TEST(PrometheusQuery, RangeChecks) {
    EXPECT_FALSE(checkRangeQuery({"up", 0, 60'000, 15'000}));
    EXPECT_EQ(*checkRangeQuery({" ", 0, 60'000, 15'000}), "the PromQL query is empty");
    EXPECT_EQ(*checkRangeQuery({"up", 0, 60'000, 0}), "the step must be positive");
    EXPECT_EQ(*checkRangeQuery({"up", 60'000, 0, 1'000}),
              "the end of the range is before its start");
    EXPECT_TRUE(checkRangeQuery({"up", 0, 31'536'000'000, 100}));
}

TEST(PrometheusQuery, SplitsSoNoWindowExceedsTheLimitAndEveryGridPointIsAskedOnce) {
    // 0..30 s at 1 s is 31 points; at most 10 a window: 10 + 10 + 10 + 1.
    const auto windows = splitRange({"up", 0, 30'000, 1'000}, 10);
    const std::vector<TimeWindow> expected{
        {0, 9'000}, {10'000, 19'000}, {20'000, 29'000}, {30'000, 30'000}};
    EXPECT_EQ(windows, expected);
    // An end off the grid: 0..25.5 s holds the 26 points 0, 1, ..., 25 s.
    const std::vector<TimeWindow> offGrid{{0, 9'000}, {10'000, 19'000}, {20'000, 25'500}};
    EXPECT_EQ(splitRange({"up", 0, 25'500, 1'000}, 10), offGrid);
    // A week at 15 s is 604800 / 15 + 1 = 40321 points: four requests of at most 11,000.
    const auto week = splitRange({"up", 0, 604'800'000, 15'000});
    ASSERT_EQ(week.size(), 4u);
    EXPECT_EQ(week[0], (TimeWindow{0, 10'999 * 15'000}));
    EXPECT_EQ(week[1].startMs, 11'000 * 15'000);
    EXPECT_EQ(week[3].endMs, 604'800'000);
    // A range within one request, and a single instant.
    EXPECT_EQ(splitRange({"up", 5, 10'005, 1'000}).size(), 1u);
    EXPECT_EQ(splitRange({"up", 7, 7, 1'000}), (std::vector<TimeWindow>{{7, 7}}));
    EXPECT_TRUE(splitRange({"up", 10, 0, 1'000}).empty());
}

TEST(PrometheusQuery, FormFieldsUseSecondsWithMillisecondPrecision) {
    EXPECT_EQ(formatPrometheusTime(1'700'000'000'250), "1700000000.25");
    EXPECT_EQ(formatPrometheusTime(1'700'000'000'000), "1700000000");
    EXPECT_EQ(formatPrometheusTime(15'000), "15");
    EXPECT_EQ(formatPrometheusTime(1), "0.001");
    EXPECT_EQ(formatPrometheusTime(-1'500), "-1.5");
    const auto fields = rangeQueryFields({"sum(rate(x[5m]))", 0, 60'000, 15'000}, {15'000, 45'000});
    ASSERT_EQ(fields.size(), 4u);
    EXPECT_EQ(fields[0], (std::pair<std::string, std::string>{"query", "sum(rate(x[5m]))"}));
    EXPECT_EQ(fields[1].second, "15");
    EXPECT_EQ(fields[2].second, "45");
    EXPECT_EQ(fields[3].second, "15");
}

TEST(PrometheusQuery, CredentialsNeverSurviveInTheShownUrl) {
    EXPECT_EQ(redactServerUrl("https://user:p@ss@prom.example:9090/prometheus/?token=abc#x"),
              "https://prom.example:9090/prometheus");
    EXPECT_EQ(redactServerUrl("http://127.0.0.1:9090"), "http://127.0.0.1:9090");
    EXPECT_EQ(redactServerUrl("http://127.0.0.1:9090/"), "http://127.0.0.1:9090");
    EXPECT_EQ(redactServerUrl("http://host/a@b"), "http://host/a@b");
}

std::shared_ptr<const Series> series(const std::string& instance, std::vector<Sample> samples) {
    SeriesInfo info;
    info.name = "up";
    info.labels = {{"instance", instance}};
    return Series::fromSamples(info, samples);
}

TEST(PrometheusQuery, WindowAnswersJoinIntoOneSeriesPerLabelSet) {
    ImportReport first, second;
    first.series = {series("a", {{0, 1}, {1'000, 2}}), series("b", {{0, 5}})};
    first.rows = 3;
    second.series = {series("a", {{1'000, 2}, {2'000, 3}}), series("c", {{2'000, 7}})};
    second.rows = 3;
    second.gaps = 1;
    std::vector<ImportReport> parts;
    parts.push_back(std::move(first));
    parts.push_back(std::move(second));
    const auto joined = joinWindowReports(std::move(parts));
    ASSERT_TRUE(joined);
    ASSERT_EQ(joined->series.size(), 3u);
    EXPECT_EQ(joined->series[0]->info().labels.at("instance"), "a");
    EXPECT_EQ(joined->series[0]->size(), 3u);
    EXPECT_EQ((*joined->series[0]->samples())[2].value, 3);
    EXPECT_EQ(joined->series[1]->info().labels.at("instance"), "b");
    EXPECT_EQ(joined->series[2]->info().labels.at("instance"), "c");
    EXPECT_EQ(joined->duplicates, 1u);
    EXPECT_EQ(joined->rows, 6u);
    EXPECT_EQ(joined->gaps, 1u);
}

} // namespace
} // namespace headroom::metrics
