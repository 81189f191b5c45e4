#include "metrics/units.h"
#include "model/validation.h"

#include <gtest/gtest.h>

namespace headroom::metrics {
namespace {

TEST(Units, EachRoleListsItsOwnUnitFirst) {
    for (const auto& role : allRoles()) {
        const auto units = unitsFor(role.key);
        ASSERT_FALSE(units.empty()) << role.key;
        EXPECT_EQ(units.front().key, role.unit) << role.key;
        EXPECT_EQ(*factorToRoleUnit(role.unit, role.key), 1.0);
        EXPECT_EQ(*factorToRoleUnit("", role.key), 1.0);
    }
    EXPECT_TRUE(unitsFor("no_such_role").empty());
}

TEST(Units, ConversionsWorkedByHand) {
    // 0.25 s is 250 ms; 1200 requests a minute are 20 a second; 85 % is 0.85.
    EXPECT_DOUBLE_EQ(0.25 * *factorToRoleUnit("s", "latency_p95"), 250);
    EXPECT_DOUBLE_EQ(1200 * *factorToRoleUnit("req/min", "arrival_rate"), 20);
    EXPECT_DOUBLE_EQ(7200 * *factorToRoleUnit("req/h", "arrival_rate"), 2);
    EXPECT_DOUBLE_EQ(85 * *factorToRoleUnit("%", "cpu_utilization"), 0.85);
    EXPECT_DOUBLE_EQ(1.5 * *factorToRoleUnit("%", "error_rate"), 0.015);
    EXPECT_DOUBLE_EQ(2 * *factorToRoleUnit("s", "replication_lag"), 2000);
    EXPECT_DOUBLE_EQ(800 * *factorToRoleUnit("us", "latency_mean"), 0.8);
    // 0.3 cores busy against a 500 mCPU request is 60 % of the request, as the HPA counts it.
    EXPECT_DOUBLE_EQ(0.3 * *factorToRoleUnit("cores", "cpu_utilization", {0.5}), 0.6);
    EXPECT_DOUBLE_EQ(300 * *factorToRoleUnit("mcores", "cpu_utilization", {0.5}), 0.6);
}

TEST(Units, ImpossibleConversionsSayWhy) {
    const auto noRequest = factorToRoleUnit("cores", "cpu_utilization");
    ASSERT_FALSE(noRequest);
    EXPECT_NE(noRequest.error().message.find("CPU request"), std::string::npos);
    const auto wrong = factorToRoleUnit("s", "arrival_rate");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(
        wrong.error().message,
        "a series bound as Arrival rate cannot be in 's' (it can be in req/s, req/min, req/h)");
    EXPECT_FALSE(factorToRoleUnit("ms", "no_such_role"));
}

TEST(Units, GuessesFromTheSeriesName) {
    EXPECT_EQ(guessUnit("http_request_duration_seconds", "latency_p95"), "s");
    EXPECT_EQ(guessUnit("p95_latency_ms", "latency_p95"), "ms");
    EXPECT_EQ(guessUnit("cpu_percent", "cpu_utilization"), "%");
    EXPECT_EQ(guessUnit("container_cpu_usage_seconds_total", "cpu_utilization"), "cores");
    EXPECT_EQ(guessUnit("rps", "arrival_rate"), "req/s");
    EXPECT_EQ(guessUnit("http_requests_per_minute", "arrival_rate"), "req/min");
    EXPECT_EQ(guessUnit("pg_replication_lag_seconds", "replication_lag"), "s");
    EXPECT_EQ(*guessRole("p95_latency_ms"), "latency_p95");
    EXPECT_EQ(*guessRole("cpu"), "cpu_utilization");
    EXPECT_EQ(*guessRole("http_requests_per_second"), "arrival_rate");
    EXPECT_EQ(*guessRole("orders_queue_messages_visible"), "queue_depth");
    EXPECT_EQ(*guessRole("pg_replication_lag_seconds"), "replication_lag");
    EXPECT_FALSE(guessRole("temperature"));
}

TEST(Units, ABindingUsesTheComponentsCpuRequestAndAWrongUnitIsAWarning) {
    Project project;
    auto web = makeComponent(ComponentKind::Service, "web", "Web");
    web.properties["cpu_request_millicores"] = 250.0;
    project.components.push_back(web);
    SeriesInfo info;
    info.name = "container_cpu_usage_seconds_total";
    info.unit = "cores";
    const auto cores = Series::fromSamples(info, {{0, 0.2}});
    project.series.push_back({cores, "web", "cpu_utilization"});
    // 0.2 cores of a 250 mCPU request is 80 %.
    EXPECT_DOUBLE_EQ(0.2 * *roleUnitFactor(project, project.series[0]), 0.8);
    for (const auto& d : validate(project))
        EXPECT_NE(d.property, "unit") << d.describe();

    info.unit = "s";
    project.series.push_back({Series::fromSamples(info, {{0, 1}}), "web", "arrival_rate"});
    bool warned = false;
    for (const auto& d : validate(project))
        warned = warned || (d.property == "unit" && d.severity == Severity::Warning &&
                            d.message.find("cannot be in 's'") != std::string::npos);
    EXPECT_TRUE(warned);
}

} // namespace
} // namespace headroom::metrics
