#include "metrics/cloudwatch_json.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

namespace headroom::metrics {
namespace {

TEST(CloudWatchJson, OneSeriesPerResultSortedOldestFirst) {
    const auto report =
        importCloudWatchJsonFile(test::sourceDir() / "tests/data/cloudwatch/get_metric_data.json");
    ASSERT_TRUE(report) << report.error().describe();
    ASSERT_EQ(report->series.size(), 2u);
    const auto& cpu = *report->series[0];
    EXPECT_EQ(cpu.info().name, "CPUUtilization");
    EXPECT_EQ(cpu.info().labels.at("id"), "cpu");
    const auto samples = cpu.samples();
    ASSERT_TRUE(samples);
    ASSERT_EQ(samples->size(), 3u);
    EXPECT_EQ((*samples)[0].timestampMs, 1709294400000); // 12:00, was listed last
    EXPECT_EQ((*samples)[0].value, 35.0);
    EXPECT_EQ((*samples)[2].value, 41.5);
    ASSERT_EQ(report->warnings.size(), 1u);
    EXPECT_NE(report->warnings[0].find("'RequestCount' is partial"), std::string::npos);
}

TEST(CloudWatchJson, MismatchedListsAndOtherDocumentsAreRefused) {
    auto mismatch = importCloudWatchJson(
        R"({"MetricDataResults":[{"Id":"a","Timestamps":["2024-03-01T12:00:00Z"],"Values":[1,2]}]})",
        "cw.json");
    ASSERT_FALSE(mismatch);
    EXPECT_EQ(mismatch.error().describe(),
              "cw.json: /MetricDataResults/0: 1 timestamps but 2 values");
    auto other = importCloudWatchJson(R"({"status":"success"})", "p.json");
    ASSERT_FALSE(other);
    EXPECT_NE(other.error().message.find("not a GetMetricData answer"), std::string::npos);
    auto epoch = importCloudWatchJson(
        R"({"MetricDataResults":[{"Id":"a","Timestamps":[1709294400],"Values":[7]}]})", "e.json");
    ASSERT_TRUE(epoch) << epoch.error().describe();
    EXPECT_EQ(epoch->series[0]->chunks()[0].firstMs, 1709294400000);
    EXPECT_EQ(epoch->series[0]->info().name, "a");
}

} // namespace
} // namespace headroom::metrics
