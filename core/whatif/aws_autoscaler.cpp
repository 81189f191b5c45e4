// An EC2 Auto Scaling group in the simulation. The tier's ticks become one-minute CloudWatch
// datapoints (published a metric delay after the minute ends); each alarm (the two AWS
// creates for a target tracking policy, and the one of each step or simple policy) is
// evaluated on them as CloudWatch evaluates M of N; while an alarm is in ALARM its policy
// acts at every datapoint, within the warm-up and cooldown rules; scheduled actions change the
// limits on their cron minutes; predictive scaling raises capacity ahead of each hour's
// forecast and never scales in. docs/autoscalers.md ("EC2 Auto Scaling") gives each rule and
// its source.

#include "whatif/autoscaler.h"
#include "whatif/words.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>

namespace headroom::whatif {
namespace {

constexpr std::size_t kMetrics = 6; ///< the aws::Metric values

/// Whether CloudWatch sums the metric over a period (counts) or averages it.
bool isSum(aws::Metric m) {
    return m == aws::Metric::RequestCount || m == aws::Metric::RequestCountPerTarget;
}

/// An alarm's state over the datapoints published so far.
struct AlarmState {
    aws::Alarm alarm;
    bool inAlarm = false;
    double lastValue = 0; ///< the aggregate of the latest period
};

/// "3 of 3 one-minute datapoints", as the alarm is set.
std::string alarmSpan(const aws::Alarm& a) {
    const int minutes = a.periodSeconds / 60;
    return std::to_string(a.datapointsToAlarm) + " of " + std::to_string(a.evaluationPeriods) +
           (minutes == 1 ? " one-minute" : " " + std::to_string(minutes) + "-minute") +
           " datapoints";
}

class AwsAutoscaler final : public Autoscaler {
  public:
    AwsAutoscaler(aws::Group group, const SimulationOptions& options, std::int64_t startMs)
        : group_(std::move(group)), options_(options), startSeconds_(startMs / 1000.0),
          min_(group_.minSize), max_(group_.maxSize) {
        for (const auto& p : group_.policies) {
            Policy s{&p, {}, {}};
            if (p.type == aws::PolicyType::TargetTracking) {
                s.high.alarm = p.trackingHigh.value_or(aws::Alarm{
                    p.metric, aws::Comparison::Greater, p.targetValue, 60,
                    aws::kTargetTrackingHighDatapoints, aws::kTargetTrackingHighDatapoints});
                s.low.alarm = p.trackingLow.value_or(aws::Alarm{
                    p.metric, aws::Comparison::Less, p.targetValue * aws::kTargetTrackingLowFactor,
                    60, aws::kTargetTrackingLowDatapoints, aws::kTargetTrackingLowDatapoints});
            } else if (p.type == aws::PolicyType::Predictive) {
                predictive_ = &p;
            } else {
                s.high.alarm = p.alarm;
                s.low.alarm.evaluationPeriods = 0; // a step or simple policy has one alarm
            }
            if (p.type != aws::PolicyType::Predictive)
                policies_.push_back(s);
        }
        for (const auto& p : group_.policies)
            if (p.type != aws::PolicyType::Predictive)
                warmup_ = std::max(warmup_, group_.warmupSeconds(p));
        if (group_.policies.empty())
            warmup_ = group_.warmupSeconds({});
    }

    [[nodiscard]] int initialReplicas(int drawn) const override {
        return group_.desiredCapacity.value_or(std::clamp(drawn, min_, max_));
    }

    std::optional<Verdict> onTick(const TierTick& tick, const Fleet& fleet, double t,
                                  const Tier& tier) override {
        record(tick, t, tier);
        lastTick_ = t;
        std::optional<Verdict> out;
        int desired = fleet.desired();
        const auto apply = [&](Verdict v) {
            desired = v.desired;
            out = std::move(v);
        };
        if (auto v = scheduled(t, desired))
            apply(std::move(*v));
        if (auto v = predictive(t, desired))
            apply(std::move(*v));
        // Each minute published by now: the alarms on it, and the policies they drive.
        while (!pending_.empty() && pending_.front().first <= t + 1e-9) {
            publish(pending_.front().second);
            pending_.erase(pending_.begin());
            // A hold does not hide a change made in this tick (a schedule's, a forecast's),
            // nor its words.
            const bool changed = out && out->desired != fleet.desired();
            const auto words = words_;
            auto v = dynamic(fleet, t, desired, tier);
            if (v && (v->desired != desired || (!changed && v->wanted && *v->wanted != desired)))
                apply(std::move(*v));
            else
                words_ = words;
        }
        return out;
    }

    [[nodiscard]] std::string explainLast() const override { return words_; }

    [[nodiscard]] double settledAfterSeconds() const override { return warmup_; }

    void finish(TierRun& run) const override {
        if (!predictive_)
            return;
        // The hours the run reaches, each with its actual load when the run saw all of it.
        for (auto f : forecast_) {
            if (f.atSeconds > lastTick_)
                break;
            const auto h =
                static_cast<long long>(std::llround((startSeconds_ + f.atSeconds) / 3600));
            if (const auto it = hours_.find(h); it != hours_.end() && complete(it->second))
                f.actualLoad = it->second.first / it->second.second;
            run.forecast.push_back(f);
        }
        run.forecastUnit = predictive_->metric == aws::Metric::RequestCount
                               ? "requests a minute"
                               : "CPU % summed over the instances";
    }

  private:
    struct Policy {
        const aws::ScalingPolicy* policy;
        AlarmState high; ///< target tracking's AlarmHigh, or the step/simple policy's alarm
        AlarmState low;  ///< target tracking's AlarmLow
    };

    /// One tick into the minute it falls in; a minute ends when a tick of the next begins.
    void record(const TierTick& tick, double t, const Tier& tier) {
        const auto minute = static_cast<long long>(std::floor(t / 60 + 1e-9));
        if (minute != minute_ && minuteTicks_ > 0)
            closeMinute();
        minute_ = minute;
        const double perReady = tick.ready > 0 ? tick.servedRps / tick.ready : 0;
        const double cpu =
            100 * std::min(perReady * tier.cpuMsPerRequest, tier.coresMilli) / tier.coresMilli;
        const std::array<double, kMetrics> v = {
            cpu,
            perReady,
            tick.servedRps,
            tick.backlog,
            tick.backlog / std::max(tick.ready, 1),
            std::min(tick.latencySeconds, 3600.0),
        };
        for (std::size_t k = 0; k < kMetrics; ++k)
            minuteSum_[k] += v[k];
        ++minuteTicks_;
        // The predictive load metric, per hour: requests a minute, or CPU % over instances
        // (100 x CPU seconds a second over the cores, uncapped: the rate that makes it).
        rpsToLoad_ = predictive_ && predictive_->metric == aws::Metric::CpuUtilization
                         ? 100 * tier.cpuMsPerRequest / tier.coresMilli
                         : 60;
        const double load = tick.servedRps * rpsToLoad_;
        const auto hour = static_cast<long long>(std::floor((startSeconds_ + t) / 3600 + 1e-9));
        auto& h = hours_[hour];
        h.first += load;
        h.second += 1;
    }

    void closeMinute() {
        std::array<double, kMetrics> d{};
        for (std::size_t k = 0; k < kMetrics; ++k) {
            const double mean = minuteSum_[k] / minuteTicks_;
            d[k] = isSum(static_cast<aws::Metric>(k)) ? mean * 60 : mean;
        }
        pending_.push_back(
            {60.0 * static_cast<double>(minute_ + 1) + options_.metricDelaySeconds, d});
        minuteSum_ = {};
        minuteTicks_ = 0;
    }

    /// A minute's datapoints reach CloudWatch: each alarm whose period it completes is
    /// evaluated on its last N periods.
    void publish(const std::array<double, kMetrics>& datapoints) {
        minutes_.push_back(datapoints);
        for (auto& p : policies_)
            for (auto* a : {&p.high, &p.low})
                if (a->alarm.evaluationPeriods > 0)
                    evaluate(*a);
    }

    void evaluate(AlarmState& a) const {
        const auto k = static_cast<std::size_t>(a.alarm.periodSeconds / 60);
        if (minutes_.size() % k != 0)
            return;
        const auto periods = minutes_.size() / k;
        const auto n = static_cast<std::size_t>(a.alarm.evaluationPeriods);
        const auto metric = static_cast<std::size_t>(a.alarm.metric);
        int breaching = 0;
        for (std::size_t j = 0; j < std::min(n, periods); ++j) {
            double sum = 0;
            for (std::size_t m = 0; m < k; ++m)
                sum += minutes_[minutes_.size() - 1 - j * k - m][metric];
            const double value = isSum(a.alarm.metric) ? sum : sum / static_cast<double>(k);
            if (j == 0)
                a.lastValue = value;
            breaching += a.alarm.breaches(value) ? 1 : 0;
        }
        // Fewer than N periods so far: INSUFFICIENT_DATA, which does not act.
        a.inAlarm = periods >= n && breaching >= a.alarm.datapointsToAlarm;
    }

    /// Ready instances still inside their warm-up (it starts when they enter service).
    int warmingAt(const Fleet& fleet, double t) const {
        int n = 0;
        for (const auto& c : fleet.cohorts())
            if (c.readyAt <= t && t < c.readyAt + warmup_)
                n += c.count;
        return n;
    }

    std::optional<Verdict> dynamic(const Fleet& fleet, double t, int desired, const Tier& tier) {
        if (policies_.empty())
            return std::nullopt;
        const int ready = fleet.readyAt(t);
        const int warming = warmingAt(fleet, t);
        const int settled = ready - warming;
        const bool scalingOut = warming > 0 || desired > ready;
        std::optional<int> out, in;
        std::string outWhy, inWhy, trackingWhy;
        // A simple policy's cooldown, when its change is the one made: it starts when the
        // launches finish (the boot) or the terminations (at once, drain aside).
        std::optional<int> outCooldown, inCooldown;
        std::optional<int> tracking; // the scale-in target tracking agrees on
        bool trackingAll = true;
        for (auto& p : policies_) {
            const auto& s = *p.policy;
            if (s.type == aws::PolicyType::TargetTracking) {
                if (p.high.inAlarm) {
                    // From the instances past warm-up; from one when there are none (a group
                    // at zero would otherwise never leave it).
                    const int base = std::max(settled, 1);
                    const int want =
                        aws::proportionalCapacity(base, p.high.lastValue, s.targetValue);
                    if (!out || want > *out) {
                        out = want;
                        outWhy = policyWords(s) + ": AlarmHigh, " + aws::toString(s.metric) + " " +
                                 shortNumber(p.high.lastValue) + " above " +
                                 shortNumber(p.high.alarm.threshold) + " in " +
                                 alarmSpan(p.high.alarm) + "; " + std::to_string(base) +
                                 " instances past warm-up x " + shortNumber(p.high.lastValue) +
                                 " / " + shortNumber(s.targetValue) + " rounds up to " +
                                 std::to_string(want);
                    }
                }
                if (!s.disableScaleIn) {
                    trackingAll = trackingAll && p.low.inAlarm;
                    if (p.low.inAlarm) {
                        const int want =
                            aws::proportionalCapacity(desired, p.low.lastValue, s.targetValue);
                        if (!tracking || want > *tracking) {
                            tracking = want;
                            trackingWhy =
                                policyWords(s) + ": AlarmLow, " + aws::toString(s.metric) + " " +
                                shortNumber(p.low.lastValue) + " below " +
                                shortNumber(p.low.alarm.threshold) + " in " +
                                alarmSpan(p.low.alarm) + "; " + std::to_string(desired) + " x " +
                                shortNumber(p.low.lastValue) + " / " + shortNumber(s.targetValue) +
                                " rounds up to " + std::to_string(want);
                        }
                    }
                }
                continue;
            }
            if (!p.high.inAlarm)
                continue;
            int adjustment = s.scalingAdjustment;
            if (s.type == aws::PolicyType::StepScaling) {
                const auto* step = aws::stepFor(s, p.high.lastValue);
                if (!step)
                    continue;
                adjustment = step->adjustment;
            } else if (t < simpleCooldownUntil_) {
                continue; // simple policies wait out the group's cooldown
            }
            const bool exact = s.adjustmentType == aws::AdjustmentType::ExactCapacity;
            const bool up = exact ? adjustment > desired : adjustment > 0;
            const bool down = exact ? adjustment < desired : adjustment < 0;
            // Scale-out counts from the instances past warm-up (those warming are already
            // in the desired count); a simple policy and scale-in count from the desired.
            const int base = up && s.type == aws::PolicyType::StepScaling ? settled : desired;
            const int want =
                aws::adjusted(base, s.adjustmentType, adjustment, s.minAdjustmentMagnitude);
            const std::string why = policyWords(s) + ": alarm " + aws::toString(s.alarm.metric) +
                                    " at " + shortNumber(p.high.lastValue) + " (threshold " +
                                    shortNumber(s.alarm.threshold) + "), adjustment " +
                                    std::to_string(adjustment) + " from " + std::to_string(base) +
                                    " gives " + std::to_string(want);
            const bool simple = s.type == aws::PolicyType::SimpleScaling;
            if (up && (!out || want > *out)) {
                out = want;
                outWhy = why;
                outCooldown = simple ? std::optional(cooldownOf(s)) : std::nullopt;
            } else if (down && (!in || want > *in)) {
                in = want;
                inWhy = why;
                inCooldown = simple ? std::optional(cooldownOf(s)) : std::nullopt;
            }
        }
        if (out && *out > desired) {
            const int to = std::min(*out, max_);
            if (outCooldown && to > desired)
                simpleCooldownUntil_ = t + tier.bootSeconds + *outCooldown;
            words_ = outWhy + (to < *out ? "; held at MaxSize " + std::to_string(max_) : "") + ".";
            return Verdict{to, *out, to < *out ? "AtMaxSize" : "ScaleOut"};
        }
        if (tracking && trackingAll && (!in || *tracking > *in)) {
            in = tracking;
            inWhy = trackingWhy;
            inCooldown.reset();
        } else if (tracking && !trackingAll) {
            words_ = trackingWhy + "; but every target tracking policy must agree to scale in, "
                                   "and not all are in AlarmLow.";
            return Verdict{desired, *tracking, "ScaleInNeedsEveryPolicy"};
        }
        if (!in || *in >= desired)
            return std::nullopt;
        const int floor = std::max(min_, floor_);
        if (scalingOut) {
            words_ = inWhy + "; but scale-in waits while instances boot or warm up (" +
                     std::to_string(desired - ready) + " booting, " + std::to_string(warming) +
                     " warming).";
            return Verdict{desired, *in, "ScaleInBlockedByWarmUp"};
        }
        const int to = std::max(*in, floor);
        if (to >= desired) {
            words_ = inWhy + "; but " +
                     (floor_ > min_ ? "the predictive forecast holds " + std::to_string(floor_)
                                    : "MinSize is " + std::to_string(min_)) +
                     ".";
            return Verdict{desired, *in, floor_ > min_ ? "HeldByForecast" : "AtMinSize"};
        }
        if (inCooldown)
            simpleCooldownUntil_ = t + *inCooldown;
        words_ = inWhy + (to > *in ? "; held at " + std::to_string(to) : "") + ".";
        return Verdict{to, *in, "ScaleIn"};
    }

    [[nodiscard]] int cooldownOf(const aws::ScalingPolicy& s) const {
        return s.cooldownSeconds.value_or(group_.defaultCooldown);
    }

    static std::string policyWords(const aws::ScalingPolicy& s) {
        const char* kind = s.type == aws::PolicyType::TargetTracking ? "target tracking"
                           : s.type == aws::PolicyType::StepScaling  ? "step scaling"
                                                                     : "simple scaling";
        return std::string(kind) + (s.name.empty() ? "" : " \"" + s.name + "\"");
    }

    /// Scheduled actions whose minute (or start time) has come.
    std::optional<Verdict> scheduled(double t, int desired) {
        if (group_.scheduledActions.empty())
            return std::nullopt;
        const double now = startSeconds_ + t;
        const auto minute = static_cast<long long>(std::floor(now / 60 + 1e-9));
        if (minute == scheduleMinute_)
            return std::nullopt;
        const double previous = lastScheduleCheck_;
        scheduleMinute_ = minute;
        lastScheduleCheck_ = now;
        std::optional<Verdict> out;
        for (const auto& a : group_.scheduledActions) {
            const auto nowMs = static_cast<std::int64_t>(std::llround(now * 1000));
            bool fires = false;
            // At StartTime (once), then on each minute the recurrence names until EndTime.
            if (a.startMs)
                fires = static_cast<double>(*a.startMs) / 1000 <= now &&
                        static_cast<double>(*a.startMs) / 1000 > previous;
            if (a.recurrence)
                fires = fires ||
                        ((!a.startMs || nowMs >= *a.startMs) && (!a.endMs || nowMs <= *a.endMs) &&
                         a.recurrence->matches(a.zone.localSeconds(minute * 60)));
            if (!fires)
                continue;
            min_ = a.minSize.value_or(min_);
            max_ = std::max(min_, a.maxSize.value_or(max_));
            const int from = desired;
            desired = std::clamp(a.desiredCapacity.value_or(desired), min_, max_);
            words_ = "scheduled action" + (a.name.empty() ? "" : " \"" + a.name + "\"") +
                     (a.recurrence ? " (" + a.recurrenceText +
                                         (a.zone.isUtc() ? "" : " in " + a.zone.name()) + ")"
                                   : "") +
                     ": MinSize " + std::to_string(min_) + ", MaxSize " + std::to_string(max_) +
                     ", desired " + std::to_string(from) + " -> " + std::to_string(desired) + ".";
            out = Verdict{desired, desired, "ScheduledAction"};
        }
        return out;
    }

    /// Hourly: the next hour's forecast, applied `SchedulingBufferTime` ahead of it.
    std::optional<Verdict> predictive(double t, int desired) {
        if (!predictive_)
            return std::nullopt;
        const double now = startSeconds_ + t;
        const auto next = static_cast<long long>(
            std::floor((now + predictive_->schedulingBufferSeconds) / 3600 + 1e-9));
        // The actual load of every hour seen to its end, beside its forecast.
        const auto thisHour = static_cast<long long>(std::floor(now / 3600 + 1e-9));
        for (; unseen_ < forecast_.size(); ++unseen_) {
            auto& f = forecast_[unseen_];
            const auto h =
                static_cast<long long>(std::llround((startSeconds_ + f.atSeconds) / 3600));
            if (h >= thisHour)
                break;
            if (const auto it = hours_.find(h); it != hours_.end())
                f.actualLoad = it->second.first / it->second.second;
        }
        if (next <= forecastHour_)
            return std::nullopt;
        forecastHour_ = next;
        const auto load = forecastFor(next);
        if (!load) {
            floor_ = 0; // no forecast for this hour: nothing to hold
            return std::nullopt;
        }
        const int capacity = aws::proportionalCapacity(1, *load, predictive_->targetValue);
        const int ceiling = aws::predictiveMaxCapacity(max_, *predictive_, capacity);
        // The forecast's own capacity within the (possibly raised) maximum; MinSize applies
        // where it is used, so a schedule lowering it within the hour is obeyed.
        const int planned = std::min(capacity, ceiling);
        forecast_.push_back({static_cast<double>(next) * 3600 - startSeconds_, *load,
                             rpsToLoad_ > 0 ? *load / rpsToLoad_ : 0.0,
                             std::numeric_limits<double>::quiet_NaN(), planned});
        if (!predictive_->forecastAndScale)
            return std::nullopt;
        if (ceiling > max_)
            max_ = ceiling; // IncreaseMaxCapacity: the raised maximum stays
        floor_ = planned;
        if (std::max(planned, min_) <= desired)
            return std::nullopt;
        words_ = "predictive scaling: the forecast for the hour from " +
                 runClock(static_cast<double>(next) * 3600 - startSeconds_, false) + " is " +
                 shortNumber(*load) + " " +
                 (predictive_->metric == aws::Metric::RequestCount ? "requests a minute"
                                                                   : "CPU % over the instances") +
                 ", / " + shortNumber(predictive_->targetValue) +
                 " per instance = " + std::to_string(capacity) + " instances, launched " +
                 std::to_string(predictive_->schedulingBufferSeconds) + " s ahead.";
        return Verdict{std::max(planned, min_), planned, "PredictiveScaling"};
    }

    /// Headroom's forecast of an hour's load: the mean of the same hour on each of the
    /// previous days seen to their end (up to 14), once a day of history exists. AWS's own
    /// forecast is a learned model; this one is plain so a user can check it.
    [[nodiscard]] std::optional<double> forecastFor(long long hour) const {
        double sum = 0;
        int days = 0;
        for (int d = 1; d <= 14; ++d) {
            const auto it = hours_.find(hour - 24LL * d);
            if (it == hours_.end() || !complete(it->second))
                continue;
            sum += it->second.first / it->second.second;
            ++days;
        }
        if (days == 0)
            return std::nullopt;
        return sum / days;
    }

    /// Whether an hour's load (sum, ticks) covers the whole hour.
    [[nodiscard]] bool complete(const std::pair<double, double>& hour) const {
        return hour.second * options_.tickSeconds >= 3600 - 1e-6;
    }

    aws::Group group_;
    SimulationOptions options_;
    double startSeconds_;
    int min_, max_;
    int floor_ = 0;                      ///< predictive scaling's capacity for the current hour
    double simpleCooldownUntil_ = -1e18; ///< the group's cooldown after a simple policy
    int warmup_ = 0;
    std::vector<Policy> policies_;
    const aws::ScalingPolicy* predictive_ = nullptr;
    long long minute_ = 0;
    int minuteTicks_ = 0;
    std::array<double, kMetrics> minuteSum_{};
    std::vector<std::pair<double, std::array<double, kMetrics>>> pending_; ///< visible at, values
    std::vector<std::array<double, kMetrics>> minutes_;                    ///< published
    std::map<long long, std::pair<double, double>> hours_; ///< UTC hour: load sum, ticks
    long long scheduleMinute_ = -1;
    double lastScheduleCheck_ = -1e18;
    long long forecastHour_ = -1;
    std::vector<ForecastHour> forecast_;
    std::size_t unseen_ = 0; ///< the first forecast hour not yet over
    double lastTick_ = 0;
    double rpsToLoad_ = 60; ///< the load metric per request a second
    std::string words_;
};

} // namespace

std::unique_ptr<Autoscaler> makeAwsAutoscaler(aws::Group group, const SimulationOptions& options,
                                              std::int64_t startMs) {
    return std::make_unique<AwsAutoscaler>(std::move(group), options, startMs);
}

} // namespace headroom::whatif
