#include "analysis/analysis.h"
#include "analysis/calibration.h"
#include "storage/project_io.h"
#include "support/temp_dir.h"

#include <cmath>
#include <gtest/gtest.h>

namespace headroom::analysis {
namespace {

std::shared_ptr<const metrics::Series> series(const std::string& name, const std::string& unit,
                                              int minutes, double (*value)(int)) {
    std::vector<metrics::Sample> samples;
    for (int i = 0; i < minutes; ++i)
        samples.push_back({1'700'000'040'000 + i * 60'000LL, value(i)});
    return metrics::Series::fromSamples({name, {}, unit, {}}, samples);
}

// A tier of 4 clones with a 500 mCPU request: each request burns 25 ms of CPU, and each clone
// idles at 0.1 cores (health checks, GC). CPU in % of the request, as the HPA reports it.
double rate(int i) {
    return 100 + 80 * std::sin(i / 30.0);
}
double cpuPercent(int i) {
    const double cores = rate(i) / 4 * 0.025 + 0.1;
    return cores / 0.5 * 100;
}

Project tier(int minutes, double (*rps)(int) = rate) {
    Project p;
    auto users = makeComponent(ComponentKind::Client, "users", "Users");
    users.properties["arrival_rate_rps"] = 100.0;
    auto web = makeComponent(ComponentKind::Service, "web", "Web");
    web.properties["replicas"] = std::int64_t{4};
    web.properties["cpu_request_millicores"] = 500.0;
    web.properties["cpu_ms_per_request"] = 10.0; // what someone guessed
    web.properties["cores"] = 1.0;
    p.components = {users, web};
    p.links.push_back({"l", "users", "web", LinkKind::SyncCall, 1, false, {}});
    p.series.push_back({series("rps", "req/s", minutes, rps), "web", "arrival_rate"});
    p.series.push_back({series("cpu", "%", minutes, cpuPercent), "web", "cpu_utilization"});
    return p;
}

const CalibrationFigure* figure(const CalibrationResult& r, const std::string& key) {
    for (const auto& c : r.components)
        for (const auto& f : c.figures)
            if (f.key == key)
                return &f;
    return nullptr;
}

TEST(Calibration, TheUtilisationLawRecoversCpuPerRequestWithoutTheBackground) {
    const auto p = tier(600);
    const auto r = calibrate(p, {100, 100});
    const auto* cpu = figure(r, "cpu_ms_per_request");
    ASSERT_TRUE(cpu && cpu->measured);
    EXPECT_NEAR(*cpu->measured, 25.0, 1e-9);
    EXPECT_EQ(cpu->entered, 10.0);
    EXPECT_TRUE(cpu->used);
    EXPECT_NE(cpu->how.find("background 0.1 cores"), std::string::npos) << cpu->how;
    // Plain U / X would have charged the background to the requests: at 100 req/s each clone
    // burns 0.725 cores for 25 req/s, 29 ms a request.
    EXPECT_DOUBLE_EQ(r.calibrated.components[1].number("cpu_ms_per_request"), *cpu->measured);
    // The analysis runs on the measured value: 100 req/s over 4 clones x 25 ms on 1 core.
    const auto a = analyze(p);
    EXPECT_NEAR(a.components[1].station.resources.front().utilisation, 25 * 0.025, 1e-9);
    ASSERT_EQ(a.calibration.size(), 1u);
    AnalysisOptions drawnOnly;
    drawnOnly.useMetrics = false;
    EXPECT_NEAR(analyze(p, drawnOnly).components[1].station.resources.front().utilisation,
                25 * 0.010, 1e-12);
    const auto* measuredRate = figure(r, "arrival_rate");
    ASSERT_TRUE(measuredRate && measuredRate->measured);
    double mean = 0; // the per-minute samples, averaged
    for (int i = 0; i < 600; ++i)
        mean += rate(i) / 600;
    EXPECT_NEAR(*measuredRate->measured, mean, 1e-9);
    EXPECT_EQ(measuredRate->entered, 100.0);
}

TEST(Calibration, AFlatLoadOrTooFewMinutesKeepsTheEnteredValue) {
    const auto flat = calibrate(tier(600, [](int) { return 100.0; }));
    const auto* cpu = figure(flat, "cpu_ms_per_request");
    ASSERT_TRUE(cpu);
    EXPECT_FALSE(cpu->used);
    EXPECT_EQ(flat.calibrated.components[1].number("cpu_ms_per_request"), 10.0);
    const auto few = calibrate(tier(12));
    cpu = figure(few, "cpu_ms_per_request");
    ASSERT_TRUE(cpu);
    EXPECT_FALSE(cpu->measured);
    EXPECT_NE(cpu->how.find("not enough minutes"), std::string::npos) << cpu->how;
}

TEST(Calibration, LittlesLawCountsTheRequestsInProgress) {
    auto p = tier(100, [](int) { return 200.0; });
    p.series.push_back({series("lat", "ms", 100, [](int) { return 50.0; }), "web", "latency_mean"});
    const auto* inProgress = figure(calibrate(p), "requests_in_progress");
    ASSERT_TRUE(inProgress && inProgress->measured);
    EXPECT_NEAR(*inProgress->measured, 10.0, 1e-12); // 200 req/s x 0.05 s
    EXPECT_EQ(inProgress->entered, 4 * 8);           // 4 replicas x the default 8 workers
}

TEST(Calibration, LittlesLawAgreesWithJainsTimesharingExercise) {
    // Jain, "The Art of Computer Systems Performance Analysis" (Wiley, 1991), exercise 33.2: a
    // timesharing system's throughput was 5 jobs a second over a 10-minute observation, with 4
    // jobs in the system on average. The answer "Q = X R, 4 = 5 R, R = 0.8 s" is from a third
    // party's worked solutions ("Chapter 33 Operational Laws", powershow.com), not from Jain.
    // Calibration turns the law the other way: 5 a second for 0.8 s each is 4 in progress.
    auto p = tier(10, [](int) { return 5.0; }); // ten one-minute samples
    p.series.push_back({series("lat", "ms", 10, [](int) { return 800.0; }), "web", "latency_mean"});
    const auto* inProgress = figure(calibrate(p), "requests_in_progress");
    ASSERT_TRUE(inProgress && inProgress->measured);
    EXPECT_NEAR(*inProgress->measured, 4.0, 1e-12);
}

TEST(Calibration, ServiceTimeVariabilityFromTheMeanAndP95OfQuietMinutes) {
    // A gamma service time of SCV 0.5 (shape 2) has its 95th percentile at 2.37193 times its
    // mean: e^{-y} (1 + y) = 0.05 gives y = 4.74386, over the rate 2. An exponential one at
    // ln 20 = 2.99573 times. Only the quietest fifth of the minutes by CPU count (all of them
    // under 40 req/s here): the busier ones carry a ratio of 9 that must be left out.
    for (const auto& [ratio, scv] : {std::pair{2.371932259, 0.5}, std::pair{2.995732274, 1.0}}) {
        static double r;
        r = ratio;
        auto p = tier(600);
        p.series.push_back(
            {series("mean", "ms", 600, [](int) { return 40.0; }), "web", "latency_mean"});
        p.series.push_back(
            {series("p95", "ms", 600, [](int i) { return rate(i) < 40 ? 40.0 * r : 360.0; }), "web",
             "latency_p95"});
        const auto result = calibrate(p);
        const auto* f = figure(result, "service_time_scv");
        ASSERT_TRUE(f && f->measured) << scv;
        EXPECT_NEAR(*f->measured, scv, 1e-4) << f->how;
        EXPECT_TRUE(f->used);
        EXPECT_NEAR(result.calibrated.components[1].number("service_time_scv"), scv, 1e-4);
    }
}

TEST(Calibration, TheExamplesSampleDataGiveBackWhatTheyWereMadeWith) {
    // models/data/generate.py: webshop's web tier at 14 ms CPU a request plus 3% of its
    // 1.5-core request in background; legacy's app at 60 ms, no background.
    for (const auto& [name, ms] : {std::pair{"webshop", 14.0}, std::pair{"legacy-sticky", 60.0}}) {
        const auto p =
            loadProject(test::sourceDir() / "models" / (std::string(name) + ".headroom.json"));
        ASSERT_TRUE(p) << name;
        const auto* cpu = figure(calibrate(*p), "cpu_ms_per_request");
        ASSERT_TRUE(cpu && cpu->measured) << name;
        EXPECT_NEAR(*cpu->measured, ms, 0.02 * ms) << name << ": " << cpu->how;
        EXPECT_TRUE(cpu->used) << name;
    }
}

} // namespace
} // namespace headroom::analysis
