#pragma once
// An EC2 Auto Scaling group's scaling as AWS decides it: target tracking (proportional, the
// two alarms AWS creates for it, conservative scale-in), step and simple scaling on CloudWatch
// alarms, instance warm-up and the default cooldown, scheduled actions, and predictive scaling
// from an hourly forecast. This header is the group's configuration (read from the JSON AWS's
// own APIs use: describe-auto-scaling-groups, describe-policies, describe-alarms,
// describe-scheduled-actions) and the arithmetic the AWS documentation gives worked examples
// for; aws_autoscaler.cpp replays it over time. docs/autoscalers.md lists the rules and their
// sources, and says which are AWS's documented rules and which are observed defaults.

#include "common/result.h"
#include "whatif/cron.h"
#include "whatif/time_zone.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::whatif::aws {

/// What the simulation can publish to CloudWatch for a tier, per metric period.
enum class Metric {
    CpuUtilization,        ///< CPUUtilization / ASGAverageCPUUtilization: % of the cores, average
    RequestCountPerTarget, ///< ALBRequestCountPerTarget: requests per instance in the period
    RequestCount,          ///< ALB RequestCount: requests to the group in the period
    QueueLength,           ///< SQS ApproximateNumberOfMessagesVisible: the backlog
    BacklogPerInstance,    ///< the backlog over the in-service instances (AWS's SQS pattern)
    ResponseTime,          ///< TargetResponseTime: the tier's percentile response, seconds
};

/// Reads a CloudWatch metric name or a predefined metric type; nothing when unknown.
std::optional<Metric> metricFromName(std::string_view name);
const char* toString(Metric metric);

enum class Comparison { Greater, GreaterOrEqual, Less, LessOrEqual };

/// A CloudWatch alarm (the fields of describe-alarms' MetricAlarms that matter here).
struct Alarm {
    Metric metric = Metric::CpuUtilization;
    Comparison comparison = Comparison::GreaterOrEqual;
    double threshold = 0;
    int periodSeconds = 60;
    int evaluationPeriods = 1;
    int datapointsToAlarm = 1; ///< M of the last `evaluationPeriods` datapoints must breach
    [[nodiscard]] bool breaches(double value) const;
};

enum class AdjustmentType { ChangeInCapacity, ExactCapacity, PercentChangeInCapacity };

struct StepAdjustment {
    std::optional<double> lower, upper; ///< relative to the alarm threshold; none: unbounded
    int adjustment = 0;
};

enum class PolicyType { TargetTracking, StepScaling, SimpleScaling, Predictive };

struct ScalingPolicy {
    std::string name;
    PolicyType type = PolicyType::TargetTracking;
    // Target tracking
    Metric metric = Metric::CpuUtilization;
    double targetValue = 0;
    bool disableScaleIn = false;
    /// The two alarms AWS makes for it, as `describe-alarms` shows them, when the policy's
    /// `Alarms` give their settings; none: the shape they are seen to have (below).
    std::optional<Alarm> trackingHigh, trackingLow;
    // Step and simple scaling
    AdjustmentType adjustmentType = AdjustmentType::ChangeInCapacity;
    std::vector<StepAdjustment> steps; ///< step scaling
    int scalingAdjustment = 0;         ///< simple scaling
    std::optional<int> minAdjustmentMagnitude;
    std::optional<int> cooldownSeconds; ///< simple scaling; none: the group's default
    Alarm alarm;
    std::optional<int> warmupSeconds; ///< EstimatedInstanceWarmup
    // Predictive scaling
    bool forecastAndScale = false; ///< ForecastOnly (the default) only forecasts
    int schedulingBufferSeconds = 300;
    bool increaseMaxCapacity = false;
    double maxCapacityBufferPercent = 0;
};

struct ScheduledAction {
    std::string name;
    std::optional<CronSchedule> recurrence;
    std::string recurrenceText;
    TimeZone zone; ///< the Recurrence's clock (TimeZone; UTC when absent)
    std::optional<std::int64_t> startMs, endMs; ///< UTC
    std::optional<int> minSize, maxSize, desiredCapacity;
};

struct Group {
    int minSize = 1, maxSize = 1;
    std::optional<int> desiredCapacity;
    std::optional<int> defaultInstanceWarmup; ///< none, or -1: off (the cooldown stands in)
    int defaultCooldown = 300;
    std::vector<ScalingPolicy> policies;
    std::vector<ScheduledAction> scheduledActions;
    /// The warm-up a policy's new instances have: its own, the group's, else the cooldown.
    [[nodiscard]] int warmupSeconds(const ScalingPolicy& p) const;
};

/// A group from JSON: MinSize, MaxSize, DesiredCapacity, DefaultInstanceWarmup,
/// DefaultCooldown, ScalingPolicies (as describe-policies lists them, a step or simple policy
/// with its Alarm as describe-alarms gives it) and ScheduledUpdateGroupActions. A problem names
/// its JSON pointer.
Result<Group> parseGroup(std::string_view json);

// The arithmetic of AWS's worked examples.

/// A percent change of `current`, as EC2 Auto Scaling rounds it: toward zero, but never to
/// zero (12.7 -> 12, 0.67 -> 1, -0.58 -> -1, -6.67 -> -6), then at least `minMagnitude`.
int percentChange(int current, double percent, std::optional<int> minMagnitude = std::nullopt);

/// The capacity an adjustment of `type` gives from `current`.
int adjusted(int current, AdjustmentType type, int adjustment,
             std::optional<int> minMagnitude = std::nullopt);

/// The step a metric value falls in, relative to the alarm's threshold: above it the lower
/// bound is inclusive, below it the upper one is. Nothing when no step covers it.
const StepAdjustment* stepFor(const ScalingPolicy& policy, double value);

/// Target tracking's proportional capacity: ceil(current x metric / target), so that 1.5
/// instances more is 2 and 1.5 fewer is 1 fewer.
int proportionalCapacity(int current, double metric, double target);

/// Predictive scaling's ceiling for a forecast: the group's MaxSize, or with
/// IncreaseMaxCapacity the forecast plus its buffer when that is higher (forecast 50, max 40,
/// buffer 10% -> 55).
int predictiveMaxCapacity(int maxSize, const ScalingPolicy& predictive, int forecast);

/// What AWS does not document for target tracking, from the alarms it is seen to create
/// (docs/autoscalers.md): AlarmHigh when 3 of 3 one-minute datapoints exceed the target,
/// AlarmLow when 15 of 15 fall below 90% of it.
inline constexpr int kTargetTrackingHighDatapoints = 3;
inline constexpr int kTargetTrackingLowDatapoints = 15;
inline constexpr double kTargetTrackingLowFactor = 0.9;

} // namespace headroom::whatif::aws
