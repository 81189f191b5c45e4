// EC2 Auto Scaling (whatif/aws.h, aws_autoscaler.cpp): the arithmetic of the worked examples in
// the EC2 Auto Scaling User Guide ("Step and simple scaling policies": scaling adjustment types,
// the rounding of percent changes, the step walk from 10 instances; "Target tracking scaling
// policies": 1.5 instances rounded; "Predictive scaling", example 3: the maximum capacity
// buffer), the reading of a group's JSON with pointers to what is wrong, and simulated runs
// with answers worked by hand from the alarm timing.

#include "test_projects.h"
#include "whatif/aws.h"
#include "whatif/simulation.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <numbers>

namespace headroom::whatif {
namespace {

using namespace aws;

TEST(Aws, PercentChangesRoundTowardZeroButNeverToZero) {
    // The guide's four examples: 12.7 -> 12, 0.67 -> 1, -0.58 -> -1, -6.67 -> -6.
    EXPECT_EQ(percentChange(127, 10), 12);
    EXPECT_EQ(percentChange(67, 1), 1);
    EXPECT_EQ(percentChange(58, -1), -1);
    EXPECT_EQ(percentChange(667, -1), -6);
    // MinAdjustmentMagnitude 2: 25% of 4 is 1, raised to 2.
    EXPECT_EQ(percentChange(4, 25, 2), 2);
    EXPECT_EQ(percentChange(4, 0, 2), 0);
}

TEST(Aws, AdjustmentTypes) {
    // Capacity 3, adjustment 5; capacity 10, 10%.
    EXPECT_EQ(adjusted(3, AdjustmentType::ChangeInCapacity, 5), 8);
    EXPECT_EQ(adjusted(3, AdjustmentType::ExactCapacity, 5), 5);
    EXPECT_EQ(adjusted(10, AdjustmentType::PercentChangeInCapacity, 10), 11);
}

TEST(Aws, TheGuidesStepWalkFromTenInstances) {
    // Both policies on a threshold of 50. Out: [0, 10) 0%, [10, 20) +10%, [20, inf) +30%.
    // In: (-10, 0] 0%, (-20, -10] -10%, (-inf, -20] -30%.
    ScalingPolicy out;
    out.type = PolicyType::StepScaling;
    out.adjustmentType = AdjustmentType::PercentChangeInCapacity;
    out.alarm.threshold = 50;
    out.steps = {{0.0, 10.0, 0}, {10.0, 20.0, 10}, {20.0, std::nullopt, 30}};
    ScalingPolicy in = out;
    in.steps = {{-10.0, 0.0, 0}, {-20.0, -10.0, -10}, {std::nullopt, -20.0, -30}};
    const auto apply = [](const ScalingPolicy& p, int current, double metric) {
        const auto* step = stepFor(p, metric);
        return step ? adjusted(current, p.adjustmentType, step->adjustment) : current;
    };
    EXPECT_EQ(apply(out, 10, 55), 10); // between 40 and 60: unchanged
    EXPECT_EQ(apply(in, 10, 45), 10);
    EXPECT_EQ(apply(out, 10, 60), 11); // +10% of 10
    EXPECT_EQ(apply(out, 11, 70), 14); // +30% of 11 = 3.3 -> 3
    EXPECT_EQ(apply(in, 14, 40), 13);  // -10% of 14 = -1.4 -> -1
    EXPECT_EQ(apply(in, 13, 30), 10);  // -30% of 13 = -3.9 -> -3
    // The bounds: above the threshold the lower one is inclusive, below it the upper one.
    EXPECT_EQ(stepFor(out, 60)->adjustment, 10);
    EXPECT_EQ(stepFor(in, 40)->adjustment, -10);
    EXPECT_EQ(stepFor(in, 30)->adjustment, -30);
}

TEST(Aws, TargetTrackingRoundsOneAndAHalfInstancesTheSafeWay) {
    EXPECT_EQ(proportionalCapacity(6, 62.5, 50), 8); // 7.5: 1.5 more is 2 more
    EXPECT_EQ(proportionalCapacity(6, 37.5, 50), 5); // 4.5: 1.5 fewer is 1 fewer
    EXPECT_EQ(proportionalCapacity(4, 75, 50), 6);   // exactly 6, not 7
}

TEST(Aws, PredictiveMaxCapacityBuffer) {
    ScalingPolicy p;
    p.type = PolicyType::Predictive;
    EXPECT_EQ(predictiveMaxCapacity(40, p, 50), 40); // HonorMaxCapacity
    p.increaseMaxCapacity = true;
    p.maxCapacityBufferPercent = 10;
    EXPECT_EQ(predictiveMaxCapacity(40, p, 50), 55);
    p.maxCapacityBufferPercent = 0;
    EXPECT_EQ(predictiveMaxCapacity(40, p, 50), 50);
}

TEST(Aws, ReadsAGroupAsAwsWritesIt) {
    const auto g = parseGroup(R"({
      "AutoScalingGroupName": "web", "MinSize": 2, "MaxSize": 20, "DefaultInstanceWarmup": 120,
      "ScalingPolicies": [
        {"PolicyName": "cpu", "PolicyType": "TargetTrackingScaling", "Enabled": true,
         "TargetTrackingConfiguration": {"PredefinedMetricSpecification":
           {"PredefinedMetricType": "ASGAverageCPUUtilization"}, "TargetValue": 50.0}},
        {"PolicyName": "off", "PolicyType": "StepScaling", "Enabled": false},
        {"PolicyName": "queue", "PolicyType": "StepScaling", "EstimatedInstanceWarmup": 60,
         "AdjustmentType": "ChangeInCapacity",
         "StepAdjustments": [{"MetricIntervalLowerBound": 100, "ScalingAdjustment": 2},
                             {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 100,
                              "ScalingAdjustment": 1}],
         "Alarm": {"MetricName": "ApproximateNumberOfMessagesVisible", "Threshold": 500,
                   "ComparisonOperator": "GreaterThanOrEqualToThreshold", "Period": 60,
                   "EvaluationPeriods": 3, "DatapointsToAlarm": 2}}],
      "ScheduledUpdateGroupActions": [
        {"ScheduledActionName": "mornings", "Recurrence": "0 7 * * MON-FRI", "MinSize": 6}]})");
    ASSERT_TRUE(g) << g.error().describe();
    EXPECT_EQ(g->minSize, 2);
    ASSERT_EQ(g->policies.size(), 2u); // the disabled one left out
    EXPECT_EQ(g->policies[0].metric, Metric::CpuUtilization);
    EXPECT_EQ(g->policies[1].alarm.metric, Metric::QueueLength);
    EXPECT_EQ(g->policies[1].alarm.datapointsToAlarm, 2);
    EXPECT_EQ(g->policies[1].steps.front().lower, 0.0); // sorted by bound
    EXPECT_EQ(g->warmupSeconds(g->policies[0]), 120);
    EXPECT_EQ(g->warmupSeconds(g->policies[1]), 60);
    ASSERT_EQ(g->scheduledActions.size(), 1u);
    EXPECT_EQ(g->scheduledActions[0].minSize, 6);
}

TEST(Aws, SaysWhatIsWrongAndWhere) {
    const auto at = [](const char* json) {
        const auto g = parseGroup(json);
        return g ? std::string("accepted") : g.error().location + ": " + g.error().message;
    };
    EXPECT_EQ(at(R"({"MinSize": 5, "MaxSize": 2})"), "/MaxSize: must not be below MinSize");
    EXPECT_NE(at(R"({"MinSize": 1, "MaxSize": 2, "ScalingPolicies": [{"PolicyType": "Magic"}]})")
                  .find("/ScalingPolicies/0/PolicyType"),
              std::string::npos);
    EXPECT_NE(at(R"({"MinSize": 1, "MaxSize": 2, "ScalingPolicies": [{"PolicyType":
        "TargetTrackingScaling", "TargetTrackingConfiguration": {"PredefinedMetricSpecification":
        {"PredefinedMetricType": "ASGAverageNetworkIn"}, "TargetValue": 5}}]})")
                  .find("cannot simulate the metric \"ASGAverageNetworkIn\""),
              std::string::npos);
    EXPECT_NE(at(R"({"MinSize": 1, "MaxSize": 2, "ScalingPolicies": [{"PolicyType": "StepScaling",
        "StepAdjustments": [{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10,
        "ScalingAdjustment": 1}, {"MetricIntervalLowerBound": 20, "ScalingAdjustment": 2}],
        "Alarm": {"MetricName": "CPUUtilization", "Threshold": 60,
        "ComparisonOperator": "GreaterThanThreshold"}}]})")
                  .find("without gaps"),
              std::string::npos);
    EXPECT_NE(at(R"({"MinSize": 1, "MaxSize": 2, "ScheduledUpdateGroupActions": [{"Recurrence":
        "0 8 * * *", "MinSize": 2, "TimeZone": "Mars/Olympus_Mons"}]})")
                  .find("/ScheduledUpdateGroupActions/0/TimeZone: unknown time zone"),
              std::string::npos);
    EXPECT_NE(at("{nope").find("not valid JSON"), std::string::npos);
}

// Runs on test::cpuBoundTier(): web clones serve 100 req/s each at saturation, where their CPU
// is 100% of their one core (10 ms a request); 4 are drawn. CloudWatch datapoints are one
// minute long and arrive 30 s after their minute ends (the metric delay).

constexpr const char* kTargetTracking = R"({"MinSize": 1, "MaxSize": 20,
    "DefaultInstanceWarmup": 120, "ScalingPolicies": [{"PolicyName": "cpu50",
    "PolicyType": "TargetTrackingScaling", "TargetTrackingConfiguration": {
    "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
    "TargetValue": 50}}]})";

TierRun runWeb(const char* group, const Scenario& scenario) {
    auto p = test::cpuBoundTier();
    p.policies.push_back({"asg", "web", PolicyKind::AwsAutoScaling, group});
    SimulationOptions o;
    o.component = "web";
    auto sim = simulate(p, scenario, o);
    EXPECT_TRUE(sim) << sim.error().describe();
    return sim ? sim->tiers.at(0) : TierRun{};
}

TEST(AwsSimulation, TargetTrackingScalesOutAfterThreeMinutesAboveTheTarget) {
    // 400 req/s on 4 clones: CPU 100%. Minutes 0, 1 and 2 arrive at 90, 150 and 210 s; the
    // third breaching datapoint puts AlarmHigh in ALARM at 210 s: ceil(4 x 100 / 50) = 8.
    // The new clones are ready at 270 s and warm up until 390 s. Minute 3 (100%) arrives at
    // 270 s and asks for 8 again; minute 4 (2 ticks at 100%, 2 at 50%: 75%) arrives at 330 s
    // and, from the 4 past warm-up, asks for ceil(4 x 75 / 50) = 6: no second scale-out. At 8
    // clones CPU is 50%, not above the target, and not below 45%: it stays.
    const auto run = runWeb(kTargetTracking, test::flatScenario(400, 1));
    ASSERT_FALSE(run.events.empty());
    EXPECT_DOUBLE_EQ(run.events[0].atSeconds, 210);
    EXPECT_EQ(run.events[0].from, 4);
    EXPECT_EQ(run.events[0].to, 8);
    EXPECT_EQ(run.events[0].condition, "ScaleOut");
    EXPECT_NE(run.events[0].reason.find("AlarmHigh"), std::string::npos) << run.events[0].reason;
    EXPECT_EQ(run.events.size(), 1u);
    EXPECT_EQ(run.ticks.back().desired, 8);
    EXPECT_EQ(run.summary.peakReplicas, 8);
}

TEST(AwsSimulation, TargetTrackingScalesInAfterFifteenMinutesWellBelowIt) {
    // 100 req/s on 4 clones: CPU 25%, below 90% of 50. The fifteenth datapoint (minute 14)
    // arrives at 15 x 60 + 30 = 930 s: ceil(4 x 25 / 50) = 2.
    const auto run = runWeb(kTargetTracking, test::flatScenario(100, 1));
    ASSERT_FALSE(run.events.empty());
    EXPECT_DOUBLE_EQ(run.events[0].atSeconds, 930);
    EXPECT_EQ(run.events[0].from, 4);
    EXPECT_EQ(run.events[0].to, 2);
    EXPECT_EQ(run.events[0].condition, "ScaleIn");
    EXPECT_EQ(run.ticks.back().desired, 2);
}

TEST(AwsSimulation, TargetTrackingAlarmsTakeTheSettingsDescribeAlarmsShows) {
    // The policy's Alarms as describe-policies lists them, with the settings describe-alarms
    // prints for each: AlarmHigh 2 of 2 (so at 400 req/s, ALARM with minute 1, arriving at
    // 150 s, not 210), AlarmLow 5 of 5 below 40 (so at 100 req/s, 25%, minute 4 arrives at
    // 5 x 60 + 30 = 330 s, not 930). Names without settings keep the shape seen in real alarms.
    const auto group = [](const char* alarms) {
        return std::string(R"({"MinSize": 1, "MaxSize": 20, "DefaultInstanceWarmup": 120,
            "ScalingPolicies": [{"PolicyName": "cpu50", "PolicyType": "TargetTrackingScaling",
            "TargetTrackingConfiguration": {"PredefinedMetricSpecification":
            {"PredefinedMetricType": "ASGAverageCPUUtilization"}, "TargetValue": 50},
            "Alarms": )") +
               alarms + "}]}";
    };
    const auto tuned = group(R"([
        {"AlarmName": "TargetTracking-web-AlarmHigh-1a2b", "Period": 60, "EvaluationPeriods": 2,
         "DatapointsToAlarm": 2, "Threshold": 50, "ComparisonOperator": "GreaterThanThreshold"},
        {"AlarmName": "TargetTracking-web-AlarmLow-3c4d", "EvaluationPeriods": 5,
         "Threshold": 40, "ComparisonOperator": "LessThanThreshold"}])");
    auto run = runWeb(tuned.c_str(), test::flatScenario(400, 1));
    ASSERT_FALSE(run.events.empty());
    EXPECT_DOUBLE_EQ(run.events[0].atSeconds, 150);
    EXPECT_EQ(run.events[0].to, 8);
    EXPECT_NE(run.events[0].reason.find("2 of 2 one-minute datapoints"), std::string::npos)
        << run.events[0].reason;
    run = runWeb(tuned.c_str(), test::flatScenario(100, 1));
    ASSERT_FALSE(run.events.empty());
    EXPECT_DOUBLE_EQ(run.events[0].atSeconds, 330);
    EXPECT_EQ(run.events[0].to, 2);

    const auto named = group(R"([{"AlarmName": "TargetTracking-web-AlarmHigh-1a2b",
        "AlarmARN": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:TargetTracking-web"}])");
    run = runWeb(named.c_str(), test::flatScenario(400, 1));
    ASSERT_FALSE(run.events.empty());
    EXPECT_DOUBLE_EQ(run.events[0].atSeconds, 210) << "3 of 3, as seen in real alarms";

    const auto wrong = aws::parseGroup(group(R"([{"AlarmName": "cpu-high", "Threshold": 50}])"));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().location, "/ScalingPolicies/0/Alarms/0/AlarmName");
    // A group named after an alarm: the last word of AWS's name decides.
    const auto tricky = aws::parseGroup(group(R"([{"AlarmName":
        "TargetTracking-svc-AlarmHigh-x-AlarmLow-3c4d", "EvaluationPeriods": 5}])"));
    ASSERT_TRUE(tricky) << tricky.error().describe();
    EXPECT_FALSE(tricky->policies[0].trackingHigh);
    ASSERT_TRUE(tricky->policies[0].trackingLow);
    EXPECT_EQ(tricky->policies[0].trackingLow->evaluationPeriods, 5);
    const auto twice = aws::parseGroup(group(R"([
        {"AlarmName": "TargetTracking-web-AlarmHigh-1", "EvaluationPeriods": 2},
        {"AlarmName": "TargetTracking-web-AlarmHigh-2", "EvaluationPeriods": 4}])"));
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().location, "/ScalingPolicies/0/Alarms/1");
}

TEST(AwsSimulation, ASimplePolicyWaitsOutTheCooldownAfterItsLaunchesFinish) {
    // +2 when CPU is above 60% for one datapoint; DefaultCooldown 300 s. 400 req/s: CPU 100%
    // on 4, so the first datapoint (90 s) adds 2. At 6 clones CPU is 66.7%, still in ALARM,
    // but the cooldown runs from the end of the launches (90 + 60 s boot) for 300 s, to
    // 450 s, when the datapoint of minute 6 arrives (7 x 60 + 30) and adds 2 more. At 8,
    // 50%: no alarm.
    const auto run = runWeb(R"({"MinSize": 1, "MaxSize": 20, "ScalingPolicies": [
        {"PolicyName": "up", "PolicyType": "SimpleScaling", "AdjustmentType": "ChangeInCapacity",
         "ScalingAdjustment": 2, "Alarm": {"MetricName": "CPUUtilization", "Threshold": 60,
         "ComparisonOperator": "GreaterThanThreshold"}}]})",
                            test::flatScenario(400, 1));
    ASSERT_EQ(run.events.size(), 2u);
    EXPECT_DOUBLE_EQ(run.events[0].atSeconds, 90);
    EXPECT_EQ(run.events[0].to, 6);
    EXPECT_DOUBLE_EQ(run.events[1].atSeconds, 450);
    EXPECT_EQ(run.events[1].to, 8);
}

TEST(AwsSimulation, ScheduledActionsChangeTheLimitsOnTheirMinute) {
    // The synthetic run starts Monday 2024-01-01 00:00 UTC. At 00:30 every day MinSize 6
    // lifts the 2 that target tracking left (above) to 6; a one-time action at 00:45 sets
    // MinSize 1 and MaxSize 3, which brings 6 down to 3. AlarmLow left ALARM with minute 30:
    // the 4 new clones served only from 00:31, so that minute was still 2 clones at 50%. It
    // is back in ALARM with minute 45 (arriving at 46 x 60 + 30 = 2,790 s), whose ticks are 6
    // clones at 16.67% then 3 at 33.33%: 29.17% on average, and 3 x 29.17 / 50 = 1.75 -> 2.
    const std::string group = R"({"MinSize": 1, "MaxSize": 20, "DefaultInstanceWarmup": 120,
        "ScalingPolicies": [{"PolicyType": "TargetTrackingScaling", "TargetTrackingConfiguration":
        {"PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
        "TargetValue": 50}}], "ScheduledUpdateGroupActions": [
        {"ScheduledActionName": "half past", "Recurrence": "30 0 * * *", "MinSize": 6},
        {"ScheduledActionName": "cap", "StartTime": "2024-01-01T00:45:00Z", "MinSize": 1,
         "MaxSize": 3}]})";
    const auto run = runWeb(group.c_str(), test::flatScenario(100, 1));
    std::vector<const ScalingEvent*> scheduled;
    for (const auto& e : run.events)
        if (e.condition == "ScheduledAction")
            scheduled.push_back(&e);
    ASSERT_EQ(scheduled.size(), 2u);
    EXPECT_DOUBLE_EQ(scheduled[0]->atSeconds, 1800);
    EXPECT_EQ(scheduled[0]->from, 2);
    EXPECT_EQ(scheduled[0]->to, 6);
    EXPECT_DOUBLE_EQ(scheduled[1]->atSeconds, 2700);
    EXPECT_EQ(scheduled[1]->to, 3);
    const auto after = std::find_if(run.events.begin(), run.events.end(),
                                    [](const ScalingEvent& e) { return e.atSeconds > 2700; });
    ASSERT_NE(after, run.events.end());
    EXPECT_DOUBLE_EQ(after->atSeconds, 2790);
    EXPECT_EQ(after->to, 2);
    EXPECT_EQ(run.ticks.back().desired, 2);
}

TEST(AwsSimulation, AScheduleInATimeZoneFiresOnItsLocalClock) {
    // Berlin is UTC+1 in January: 01:30 there is 00:30 UTC, 1,800 s into the run (which starts
    // Monday 2024-01-01 00:00 UTC); New York is UTC-5: 19:30 there on Sunday is the same instant.
    for (const auto* zoned : {R"("Recurrence": "30 1 * * *", "TimeZone": "Europe/Berlin")",
                              R"("Recurrence": "30 19 * * SUN", "TimeZone": "America/New_York")"}) {
        const std::string group =
            std::string(R"({"MinSize": 1, "MaxSize": 20, "ScheduledUpdateGroupActions": [{)") +
            zoned + R"(, "MinSize": 6}]})";
        const auto run = runWeb(group.c_str(), test::flatScenario(100, 1));
        const auto fired = std::find_if(run.events.begin(), run.events.end(), [](const auto& e) {
            return e.condition == "ScheduledAction";
        });
        ASSERT_NE(fired, run.events.end()) << zoned;
        EXPECT_DOUBLE_EQ(fired->atSeconds, 1800) << zoned;
        EXPECT_NE(fired->reason.find(" in "), std::string::npos) << fired->reason;
        EXPECT_EQ(fired->to, 6);
    }
}

TEST(AwsSimulation, PredictiveScalingForecastsEachHourFromThePreviousDays) {
    // Three identical days (a daily cosine, no noise) and predictive scaling alone on
    // ALBRequestCount, 3,000 requests a minute per instance (50 req/s). The first forecast is
    // for hour 24, made 300 s ahead: the load of hour 0, so every forecast equals what comes.
    // Hours 24 to 71: 48 forecasts, each seen to its end.
    // Desired never goes down, and at each forecast hour it is at least the forecast.
    const auto run = runWeb(R"({"MinSize": 1, "MaxSize": 20, "ScalingPolicies": [
        {"PolicyName": "forecast", "PolicyType": "PredictiveScaling",
         "PredictiveScalingConfiguration": {"Mode": "ForecastAndScale", "MetricSpecifications": [
           {"TargetValue": 3000, "PredefinedMetricPairSpecification":
             {"PredefinedMetricType": "ALBRequestCount"}}]}}]})",
                            [] {
                                Scenario s = test::flatScenario(150, 72);
                                s.synthetic.dailyAmplitude = 0.5;
                                return s;
                            }());
    ASSERT_EQ(run.forecast.size(), 48u);
    EXPECT_DOUBLE_EQ(run.forecast[0].atSeconds, 86400);
    // Hour 0 from the shape itself (served = offered: 4 clones carry 400 req/s, the peak is
    // 225): the mean over its 240 ticks of 150 (1 + 0.5 cos(2 pi (h - 14) / 24)) a second,
    // times 60 a minute.
    double hourZero = 0;
    for (int i = 0; i < 240; ++i)
        hourZero += 150 * (1 + 0.5 * std::cos(2 * std::numbers::pi * (i * 15 / 3600.0 - 14) / 24)) *
                    60 / 240;
    EXPECT_NEAR(run.forecast[0].forecastLoad, hourZero, 1e-6);
    EXPECT_EQ(run.forecast[0].forecastCapacity,
              static_cast<int>(std::ceil(hourZero / 3000 - 1e-9)));
    const auto accuracy = forecastAccuracy(run.forecast);
    EXPECT_EQ(accuracy.hours, 48);
    EXPECT_LT(accuracy.meanAbsolutePercent, 1e-6);
    for (std::size_t i = 1; i < run.ticks.size(); ++i)
        ASSERT_GE(run.ticks[i].desired, run.ticks[i - 1].desired) << "tick " << i;
    for (const auto& f : run.forecast)
        EXPECT_GE(run.ticks[static_cast<std::size_t>(f.atSeconds / 15)].desired,
                  f.forecastCapacity);
    EXPECT_EQ(run.summary.scaleDowns, 0);
}

} // namespace
} // namespace headroom::whatif
