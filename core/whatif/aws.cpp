#include "whatif/aws.h"

#include "common/json_fields.h"
#include "metrics/csv_import.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>

namespace headroom::whatif::aws {
namespace {

using namespace json_fields;

struct MetricName {
    const char* name;
    Metric metric;
};

/// CloudWatch metric names and predefined metric types the simulation can publish. The
/// predictive pairs name the scaling metric; the load metric is the matching total.
constexpr MetricName kMetricNames[] = {
    {"ASGAverageCPUUtilization", Metric::CpuUtilization},
    {"CPUUtilization", Metric::CpuUtilization},
    {"ASGCPUUtilization", Metric::CpuUtilization},
    {"ALBRequestCountPerTarget", Metric::RequestCountPerTarget},
    {"RequestCountPerTarget", Metric::RequestCountPerTarget},
    {"ALBRequestCount", Metric::RequestCount},
    {"RequestCount", Metric::RequestCount},
    {"ApproximateNumberOfMessagesVisible", Metric::QueueLength},
    {"ApproximateNumberOfMessages", Metric::QueueLength},
    {"BacklogPerInstance", Metric::BacklogPerInstance},
    {"TargetResponseTime", Metric::ResponseTime},
};

Metric metricAt(const Json& v, const std::string& at) {
    const auto name = text(v, at);
    if (const auto m = metricFromName(name))
        return *m;
    std::string known;
    for (const auto& n : kMetricNames)
        known += (known.empty() ? "" : ", ") + std::string(n.name);
    throw Problem{at, "Headroom cannot simulate the metric \"" + name + "\"; it knows " + known};
}

int whole(const Json& object, const char* key, const std::string& at, int low, int high,
          int fallback) {
    const auto* v = optional(object, key);
    return v ? static_cast<int>(integer(*v, child(at, key), low, high)) : fallback;
}

std::optional<int> maybeWhole(const Json& object, const char* key, const std::string& at, int low,
                              int high) {
    const auto* v = optional(object, key);
    if (!v)
        return std::nullopt;
    return static_cast<int>(integer(*v, child(at, key), low, high));
}

std::optional<std::int64_t> timeAt(const Json& object, const char* key, const std::string& at) {
    const auto* v = optional(object, key);
    if (!v)
        return std::nullopt;
    const auto s = text(*v, child(at, key));
    const auto ms = metrics::parseTimestampMs(s);
    if (!ms)
        throw Problem{child(at, key),
                      "expected a time such as \"2026-11-27T08:00:00Z\", found \"" + s + "\""};
    return ms;
}

Comparison comparisonAt(const Json& v, const std::string& at) {
    const auto op = text(v, at);
    if (op == "GreaterThanThreshold")
        return Comparison::Greater;
    if (op == "GreaterThanOrEqualToThreshold")
        return Comparison::GreaterOrEqual;
    if (op == "LessThanThreshold")
        return Comparison::Less;
    if (op == "LessThanOrEqualToThreshold")
        return Comparison::LessOrEqual;
    throw Problem{at, "expected GreaterThanThreshold, GreaterThanOrEqualToThreshold, "
                      "LessThanThreshold or LessThanOrEqualToThreshold, found \"" +
                          op + "\""};
}

/// A period of whole minutes, as Headroom simulates them.
int periodAt(const Json& a, const std::string& at) {
    const int period = whole(a, "Period", at, 60, 86400, 60);
    if (period % 60 != 0)
        throw Problem{child(at, "Period"), "Headroom simulates periods of whole minutes (60, "
                                           "120, 300, ...), found " +
                                               std::to_string(period)};
    return period;
}

Alarm alarmAt(const Json& a, const std::string& at) {
    expectObject(a, at);
    Alarm out;
    out.metric = metricAt(required(a, "MetricName", at), child(at, "MetricName"));
    out.comparison =
        comparisonAt(required(a, "ComparisonOperator", at), child(at, "ComparisonOperator"));
    out.threshold = number(required(a, "Threshold", at), child(at, "Threshold"));
    out.periodSeconds = periodAt(a, at);
    out.evaluationPeriods = whole(a, "EvaluationPeriods", at, 1, 1440, 1);
    out.datapointsToAlarm =
        whole(a, "DatapointsToAlarm", at, 1, out.evaluationPeriods, out.evaluationPeriods);
    return out;
}

/// A target tracking policy's `Alarms`, as `describe-policies` lists them (names only: the
/// shape seen in real alarms stays) or with the settings `describe-alarms` prints for each
/// (`Period`, `EvaluationPeriods`, `DatapointsToAlarm`, `Threshold`, `ComparisonOperator`):
/// the alarm named ...-AlarmHigh-... or ...-AlarmLow-... then takes them.
void trackingAlarms(const Json& p, const std::string& at, ScalingPolicy& out) {
    const auto* alarms = optional(p, "Alarms");
    if (!alarms)
        return;
    const auto aAt = child(at, "Alarms");
    expectArray(*alarms, aAt);
    for (std::size_t i = 0; i < alarms->size(); ++i) {
        const auto& a = (*alarms)[i];
        const auto iAt = child(aAt, i);
        expectObject(a, iAt);
        const auto name = text(required(a, "AlarmName", iAt), child(iAt, "AlarmName"));
        // AWS names them TargetTracking-<group>-AlarmHigh-<id>: the last of the two words
        // decides, so a group whose own name holds one is not mistaken for it.
        const auto highAt = name.rfind("-AlarmHigh-"), lowAt = name.rfind("-AlarmLow-");
        if (highAt == std::string::npos && lowAt == std::string::npos)
            throw Problem{child(iAt, "AlarmName"),
                          "a target tracking alarm is named TargetTracking-<group>-AlarmHigh-<id> "
                          "or ...-AlarmLow-<id>, found \"" +
                              name + "\""};
        const bool high =
            lowAt == std::string::npos || (highAt != std::string::npos && highAt > lowAt);
        const bool settings = optional(a, "Period") || optional(a, "EvaluationPeriods") ||
                              optional(a, "DatapointsToAlarm") || optional(a, "Threshold") ||
                              optional(a, "ComparisonOperator");
        if (!settings)
            continue; // a name and an ARN, as describe-policies lists them
        if (high ? out.trackingHigh.has_value() : out.trackingLow.has_value())
            throw Problem{iAt, std::string("a second ") + (high ? "AlarmHigh" : "AlarmLow") +
                                   " with settings: a target tracking policy has one of each"};
        Alarm x;
        x.metric = out.metric;
        x.comparison = high ? Comparison::Greater : Comparison::Less;
        if (const auto* op = optional(a, "ComparisonOperator"))
            x.comparison = comparisonAt(*op, child(iAt, "ComparisonOperator"));
        x.threshold = high ? out.targetValue : out.targetValue * kTargetTrackingLowFactor;
        if (const auto* t = optional(a, "Threshold"))
            x.threshold = number(*t, child(iAt, "Threshold"));
        x.periodSeconds = periodAt(a, iAt);
        // A request count is a sum over the period, and the target a count a minute.
        if (x.periodSeconds != 60 &&
            (out.metric == Metric::RequestCount || out.metric == Metric::RequestCountPerTarget))
            throw Problem{child(iAt, "Period"),
                          "a request count's target tracking alarms use 60 s periods (the "
                          "target is a count a minute), found " +
                              std::to_string(x.periodSeconds)};
        const int defaultPeriods =
            high ? kTargetTrackingHighDatapoints : kTargetTrackingLowDatapoints;
        x.evaluationPeriods = whole(a, "EvaluationPeriods", iAt, 1, 1440, defaultPeriods);
        x.datapointsToAlarm =
            whole(a, "DatapointsToAlarm", iAt, 1, x.evaluationPeriods, x.evaluationPeriods);
        (high ? out.trackingHigh : out.trackingLow) = x;
    }
}

AdjustmentType adjustmentTypeAt(const Json& p, const std::string& at) {
    const auto* v = optional(p, "AdjustmentType");
    if (!v)
        return AdjustmentType::ChangeInCapacity;
    const auto t = text(*v, child(at, "AdjustmentType"));
    if (t == "ChangeInCapacity")
        return AdjustmentType::ChangeInCapacity;
    if (t == "ExactCapacity")
        return AdjustmentType::ExactCapacity;
    if (t == "PercentChangeInCapacity")
        return AdjustmentType::PercentChangeInCapacity;
    throw Problem{child(at, "AdjustmentType"),
                  "expected ChangeInCapacity, ExactCapacity or PercentChangeInCapacity, found \"" +
                      t + "\""};
}

/// The API's rules for step ranges: no overlap, no gap, an open end only at the ends.
void checkSteps(std::vector<StepAdjustment>& steps, const std::string& at) {
    if (steps.empty())
        throw Problem{at, "a step scaling policy needs at least one step adjustment"};
    constexpr double kInf = std::numeric_limits<double>::infinity();
    std::sort(steps.begin(), steps.end(), [](const auto& a, const auto& b) {
        return a.lower.value_or(-kInf) < b.lower.value_or(-kInf);
    });
    for (std::size_t k = 0; k < steps.size(); ++k) {
        const auto& s = steps[k];
        if (!s.lower && !s.upper)
            throw Problem{at, "a step cannot leave both bounds open"};
        if (s.lower && s.upper && !(*s.lower < *s.upper))
            throw Problem{at, "a step's lower bound must be below its upper bound"};
        if (k + 1 < steps.size() && s.upper.value_or(kInf) != steps[k + 1].lower.value_or(-kInf))
            throw Problem{at, "the steps must meet end to end, without gaps or overlaps"};
    }
}

ScalingPolicy policyAt(const Json& p, const std::string& at) {
    expectObject(p, at);
    ScalingPolicy out;
    if (const auto* n = optional(p, "PolicyName"))
        out.name = text(*n, child(at, "PolicyName"));
    const auto type = optional(p, "PolicyType") ? text(p["PolicyType"], child(at, "PolicyType"))
                                                : std::string("SimpleScaling");
    out.warmupSeconds = maybeWhole(p, "EstimatedInstanceWarmup", at, 0, 86400);
    if (type == "TargetTrackingScaling") {
        out.type = PolicyType::TargetTracking;
        const auto cAt = child(at, "TargetTrackingConfiguration");
        const auto& c = required(p, "TargetTrackingConfiguration", at);
        expectObject(c, cAt);
        if (const auto* pre = optional(c, "PredefinedMetricSpecification")) {
            const auto pAt = child(cAt, "PredefinedMetricSpecification");
            expectObject(*pre, pAt);
            out.metric = metricAt(required(*pre, "PredefinedMetricType", pAt),
                                  child(pAt, "PredefinedMetricType"));
        } else if (const auto* custom = optional(c, "CustomizedMetricSpecification")) {
            const auto pAt = child(cAt, "CustomizedMetricSpecification");
            expectObject(*custom, pAt);
            out.metric = metricAt(required(*custom, "MetricName", pAt), child(pAt, "MetricName"));
        } else {
            throw Problem{cAt, "needs a PredefinedMetricSpecification or a "
                               "CustomizedMetricSpecification"};
        }
        out.targetValue = number(required(c, "TargetValue", cAt), child(cAt, "TargetValue"));
        if (!(out.targetValue > 0))
            throw Problem{child(cAt, "TargetValue"), "must be above 0"};
        if (const auto* d = optional(c, "DisableScaleIn"))
            out.disableScaleIn = boolean(*d, child(cAt, "DisableScaleIn"));
        out.alarm.metric = out.metric;
        trackingAlarms(p, at, out);
    } else if (type == "StepScaling" || type == "SimpleScaling") {
        out.type = type == "StepScaling" ? PolicyType::StepScaling : PolicyType::SimpleScaling;
        out.adjustmentType = adjustmentTypeAt(p, at);
        out.minAdjustmentMagnitude = maybeWhole(p, "MinAdjustmentMagnitude", at, 1, 100000);
        if (out.minAdjustmentMagnitude &&
            out.adjustmentType != AdjustmentType::PercentChangeInCapacity)
            throw Problem{child(at, "MinAdjustmentMagnitude"),
                          "only a PercentChangeInCapacity policy takes one"};
        out.alarm = alarmAt(required(p, "Alarm", at), child(at, "Alarm"));
        if (out.type == PolicyType::StepScaling) {
            const auto sAt = child(at, "StepAdjustments");
            const auto& steps = required(p, "StepAdjustments", at);
            expectArray(steps, sAt);
            for (std::size_t k = 0; k < steps.size(); ++k) {
                const auto kAt = child(sAt, k);
                expectObject(steps[k], kAt);
                StepAdjustment s;
                if (const auto* lo = optional(steps[k], "MetricIntervalLowerBound"))
                    s.lower = number(*lo, child(kAt, "MetricIntervalLowerBound"));
                if (const auto* hi = optional(steps[k], "MetricIntervalUpperBound"))
                    s.upper = number(*hi, child(kAt, "MetricIntervalUpperBound"));
                s.adjustment =
                    static_cast<int>(integer(required(steps[k], "ScalingAdjustment", kAt),
                                             child(kAt, "ScalingAdjustment"), -100000, 100000));
                out.steps.push_back(s);
            }
            checkSteps(out.steps, sAt);
        } else {
            out.scalingAdjustment =
                static_cast<int>(integer(required(p, "ScalingAdjustment", at),
                                         child(at, "ScalingAdjustment"), -100000, 100000));
            out.cooldownSeconds = maybeWhole(p, "Cooldown", at, 0, 86400);
        }
    } else if (type == "PredictiveScaling") {
        out.type = PolicyType::Predictive;
        const auto cAt = child(at, "PredictiveScalingConfiguration");
        const auto& c = required(p, "PredictiveScalingConfiguration", at);
        expectObject(c, cAt);
        const auto mAt = child(cAt, "MetricSpecifications");
        const auto& specs = required(c, "MetricSpecifications", cAt);
        expectArray(specs, mAt);
        if (specs.size() != 1)
            throw Problem{mAt, "AWS takes exactly one metric specification"};
        const auto sAt = child(mAt, std::size_t{0});
        expectObject(specs[0], sAt);
        out.targetValue = number(required(specs[0], "TargetValue", sAt), child(sAt, "TargetValue"));
        if (!(out.targetValue > 0))
            throw Problem{child(sAt, "TargetValue"), "must be above 0"};
        const auto pAt = child(sAt, "PredefinedMetricPairSpecification");
        const auto& pair = required(specs[0], "PredefinedMetricPairSpecification", sAt);
        expectObject(pair, pAt);
        out.metric = metricAt(required(pair, "PredefinedMetricType", pAt),
                              child(pAt, "PredefinedMetricType"));
        if (out.metric != Metric::CpuUtilization && out.metric != Metric::RequestCount)
            throw Problem{child(pAt, "PredefinedMetricType"),
                          "Headroom forecasts ASGCPUUtilization or ALBRequestCount"};
        if (const auto* m = optional(c, "Mode")) {
            const auto mode = text(*m, child(cAt, "Mode"));
            if (mode != "ForecastOnly" && mode != "ForecastAndScale")
                throw Problem{child(cAt, "Mode"),
                              "expected ForecastOnly or ForecastAndScale, found \"" + mode + "\""};
            out.forecastAndScale = mode == "ForecastAndScale";
        }
        out.schedulingBufferSeconds = whole(c, "SchedulingBufferTime", cAt, 0, 3599, 300);
        if (const auto* b = optional(c, "MaxCapacityBreachBehavior")) {
            const auto behavior = text(*b, child(cAt, "MaxCapacityBreachBehavior"));
            if (behavior != "HonorMaxCapacity" && behavior != "IncreaseMaxCapacity")
                throw Problem{child(cAt, "MaxCapacityBreachBehavior"),
                              "expected HonorMaxCapacity or IncreaseMaxCapacity, found \"" +
                                  behavior + "\""};
            out.increaseMaxCapacity = behavior == "IncreaseMaxCapacity";
        }
        if (const auto* b = optional(c, "MaxCapacityBuffer")) {
            if (!out.increaseMaxCapacity)
                throw Problem{child(cAt, "MaxCapacityBuffer"),
                              "only with MaxCapacityBreachBehavior IncreaseMaxCapacity"};
            out.maxCapacityBufferPercent =
                static_cast<double>(integer(*b, child(cAt, "MaxCapacityBuffer"), 0, 100));
        } else if (out.increaseMaxCapacity) {
            throw Problem{child(cAt, "MaxCapacityBuffer"),
                          "missing: IncreaseMaxCapacity needs a buffer (0 to 100)"};
        }
    } else {
        throw Problem{child(at, "PolicyType"),
                      "expected TargetTrackingScaling, StepScaling, SimpleScaling or "
                      "PredictiveScaling, found \"" +
                          type + "\""};
    }
    return out;
}

ScheduledAction scheduledAt(const Json& a, const std::string& at) {
    expectObject(a, at);
    ScheduledAction out;
    if (const auto* n = optional(a, "ScheduledActionName"))
        out.name = text(*n, child(at, "ScheduledActionName"));
    if (const auto* r = optional(a, "Recurrence")) {
        out.recurrenceText = text(*r, child(at, "Recurrence"));
        auto cron = parseCron(out.recurrenceText);
        if (!cron)
            throw Problem{child(at, "Recurrence"), cron.error().message};
        out.recurrence = *cron;
    }
    if (const auto* z = optional(a, "TimeZone")) {
        auto zone = TimeZone::named(text(*z, child(at, "TimeZone")));
        if (!zone)
            throw Problem{child(at, "TimeZone"), zone.error().message};
        out.zone = std::move(zone).value();
    }
    out.startMs = timeAt(a, "StartTime", at);
    out.endMs = timeAt(a, "EndTime", at);
    if (!out.recurrence && !out.startMs)
        throw Problem{at, "a scheduled action needs a Recurrence or a StartTime"};
    out.minSize = maybeWhole(a, "MinSize", at, 0, 100000);
    out.maxSize = maybeWhole(a, "MaxSize", at, 0, 100000);
    out.desiredCapacity = maybeWhole(a, "DesiredCapacity", at, 0, 100000);
    if (!out.minSize && !out.maxSize && !out.desiredCapacity)
        throw Problem{at, "a scheduled action sets at least one of MinSize, MaxSize and "
                          "DesiredCapacity"};
    return out;
}

} // namespace

std::optional<Metric> metricFromName(std::string_view name) {
    for (const auto& n : kMetricNames)
        if (name == n.name)
            return n.metric;
    return std::nullopt;
}

const char* toString(Metric metric) {
    switch (metric) {
    case Metric::CpuUtilization:
        return "CPUUtilization";
    case Metric::RequestCountPerTarget:
        return "RequestCountPerTarget";
    case Metric::RequestCount:
        return "RequestCount";
    case Metric::QueueLength:
        return "ApproximateNumberOfMessagesVisible";
    case Metric::BacklogPerInstance:
        return "BacklogPerInstance";
    case Metric::ResponseTime:
        return "TargetResponseTime";
    }
    return "";
}

bool Alarm::breaches(double value) const {
    switch (comparison) {
    case Comparison::Greater:
        return value > threshold;
    case Comparison::GreaterOrEqual:
        return value >= threshold;
    case Comparison::Less:
        return value < threshold;
    case Comparison::LessOrEqual:
        return value <= threshold;
    }
    return false;
}

int Group::warmupSeconds(const ScalingPolicy& p) const {
    if (p.warmupSeconds)
        return *p.warmupSeconds;
    if (defaultInstanceWarmup && *defaultInstanceWarmup >= 0)
        return *defaultInstanceWarmup;
    return defaultCooldown;
}

Result<Group> parseGroup(std::string_view json) {
    const auto doc = Json::parse(json, nullptr, false);
    if (doc.is_discarded())
        return Error{"the EC2 Auto Scaling group is not valid JSON", "", "/"};
    try {
        const std::string at;
        expectObject(doc, "/");
        Group g;
        g.minSize = static_cast<int>(integer(required(doc, "MinSize", at), "/MinSize", 0, 100000));
        g.maxSize = static_cast<int>(integer(required(doc, "MaxSize", at), "/MaxSize", 0, 100000));
        if (g.maxSize < g.minSize)
            throw Problem{"/MaxSize", "must not be below MinSize"};
        g.desiredCapacity = maybeWhole(doc, "DesiredCapacity", at, g.minSize, g.maxSize);
        g.defaultInstanceWarmup = maybeWhole(doc, "DefaultInstanceWarmup", at, -1, 3600);
        g.defaultCooldown = whole(doc, "DefaultCooldown", at, 0, 86400, 300);
        if (const auto* ps = optional(doc, "ScalingPolicies")) {
            expectArray(*ps, "/ScalingPolicies");
            for (std::size_t k = 0; k < ps->size(); ++k) {
                const auto& p = (*ps)[k];
                // describe-policies lists disabled policies too.
                if (p.is_object() && p.contains("Enabled") && p["Enabled"].is_boolean() &&
                    !p["Enabled"].get<bool>())
                    continue;
                g.policies.push_back(policyAt(p, child("/ScalingPolicies", k)));
            }
        }
        if (const auto* as = optional(doc, "ScheduledUpdateGroupActions")) {
            expectArray(*as, "/ScheduledUpdateGroupActions");
            for (std::size_t k = 0; k < as->size(); ++k)
                g.scheduledActions.push_back(
                    scheduledAt((*as)[k], child("/ScheduledUpdateGroupActions", k)));
        }
        const auto predictive = std::count_if(g.policies.begin(), g.policies.end(), [](auto& p) {
            return p.type == PolicyType::Predictive;
        });
        if (predictive > 1)
            throw Problem{"/ScalingPolicies", "a group takes one predictive scaling policy"};
        return g;
    } catch (const Problem& p) {
        return Error{p.message, "", p.pointer};
    }
}

int percentChange(int current, double percent, std::optional<int> minMagnitude) {
    const double exact = current * percent / 100;
    int change = static_cast<int>(std::trunc(exact)); // toward zero
    if (change == 0 && exact != 0)
        change = exact > 0 ? 1 : -1;
    if (minMagnitude && change != 0 && std::abs(change) < *minMagnitude)
        change = change > 0 ? *minMagnitude : -*minMagnitude;
    return change;
}

int adjusted(int current, AdjustmentType type, int adjustment, std::optional<int> minMagnitude) {
    switch (type) {
    case AdjustmentType::ChangeInCapacity:
        return current + adjustment;
    case AdjustmentType::ExactCapacity:
        return adjustment;
    case AdjustmentType::PercentChangeInCapacity:
        return current + percentChange(current, adjustment, minMagnitude);
    }
    return current;
}

const StepAdjustment* stepFor(const ScalingPolicy& policy, double value) {
    const double d = value - policy.alarm.threshold;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    for (const auto& s : policy.steps) {
        const double lo = s.lower.value_or(-kInf), hi = s.upper.value_or(kInf);
        const bool in = d >= 0 ? (lo <= d && d < hi) : (lo < d && d <= hi);
        if (in)
            return &s;
    }
    return nullptr;
}

int proportionalCapacity(int current, double metric, double target) {
    const double exact = current * metric / target;
    // A hair of floating-point noise must not add an instance: 4 x 75 / 50 is 6, not 7.
    const double n = std::ceil(exact - 1e-9 * std::max(1.0, exact));
    return static_cast<int>(std::clamp(n, 0.0, static_cast<double>(INT_MAX / 2)));
}

int predictiveMaxCapacity(int maxSize, const ScalingPolicy& predictive, int forecast) {
    if (!predictive.increaseMaxCapacity)
        return maxSize;
    const double buffered = forecast * (1 + predictive.maxCapacityBufferPercent / 100);
    return std::max(maxSize, static_cast<int>(std::ceil(buffered - 1e-9)));
}

} // namespace headroom::whatif::aws
