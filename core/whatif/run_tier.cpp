#include "whatif/run_tier.h"

#include "whatif/autoscaler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

namespace headroom::whatif {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// Whether one of the last few events already says the count was held at `from` for the same
/// reason within ten minutes: noise moving the wanted count back and forth would otherwise
/// repeat it at every other sync.
bool heldRecently(const std::vector<ScalingEvent>& events, int from, std::string_view condition,
                  double t) {
    for (std::size_t k = 0; k < 4 && k < events.size(); ++k) {
        const auto& e = events[events.size() - 1 - k];
        if (e.from != e.to || !Autoscaler::Holds::covers(e.atSeconds, t))
            return false;
        if (e.from == from && e.condition == condition)
            return true;
    }
    return false;
}

/// How many ticks of a quiet stretch are served ahead at a time: enough that a call to the
/// autoscaler takes many; few enough that little is served again when the fleet changes.
constexpr std::size_t kChunk = 64;

/// The run of one tier. Tick by tick: a deploy due starts a rolling update, the tick is
/// served (TickServer) and added to the summary, and the autoscaler decides. Through a quiet
/// stretch (quietStretch) the ticks are served ahead and the autoscaler takes those it leaves
/// the count at in one call.
class TierLoop {
  public:
    TierLoop(const Tier& tier, const Project& project,
             const std::shared_ptr<const LoadSeries>& load, double drawnRate,
             const std::vector<RollingDeploy>& deploys, const SimulationOptions& options,
             Autoscaler* scaler);
    TierRun run() &&;

  private:
    /// Tick i one at a time.
    void step(std::size_t i);
    /// Ticks from i on while nothing but the autoscaler may change the fleet; returns how
    /// many were taken (none: step takes tick i).
    std::size_t quietStretch(std::size_t i);
    /// Adds a served tick to the summary (and to the series kept).
    void account(const TierTick& tick, double backlogBefore);
    /// The same for ticks [from, to) of a quiet stretch (ahead_), whose counts are alike.
    void accountStretch(std::size_t from, std::size_t to);
    /// What passQuiet needs of the holds recorded (decide's rules).
    [[nodiscard]] Autoscaler::Holds holds() const;
    /// The autoscaler's decision after tick `tick` at `t`, and what it changes.
    void decide(const TierTick& tick, double t);
    void startDeploys(double t);
    void reconcileRollout(double t);
    [[nodiscard]] bool deployDue(double t) const {
        return nextDeploy_ < deploys_.size() && deploys_[nextDeploy_]->atHours * 3600 <= t + 1e-9;
    }

    const Tier& tier_;
    const SimulationOptions& options_;
    Autoscaler* scaler_;
    std::size_t ticks_;
    double dt_;
    TickServer server_;
    double objective_;
    /// Past this, instances are alike to every autoscaler: the CPU initialisation period, the
    /// metric delay, an EC2 warm-up.
    double settledAfter_;
    Fleet fleet_;
    std::vector<const RollingDeploy*> deploys_; ///< of this tier, in time order
    std::size_t nextDeploy_ = 0;
    TierRun out_;
    /// The summary adds up here, not in out_, which the autoscaler's call may reach: there it
    /// went to memory and back every tick.
    TierSummary s_;
    double backlog_ = 0;
    double lastChangeAt_ = -kInfinity;
    int lastDirection_ = 0;
    std::string lastHeld_;
    /// A quiet stretch's next ticks, served ahead.
    std::vector<TierTick> ahead_ = std::vector<TierTick>(kChunk);
};

int startingCount(const Tier& tier, Autoscaler* scaler) {
    int replicas = tier.initialReplicas;
    if (scaler) {
        replicas = scaler->initialReplicas(replicas);
    } else if (tier.policy && tier.policy->kind == PolicyKind::Fixed) {
        const auto j = nlohmann::json::parse(tier.policy->definition, nullptr, false);
        if (j.is_object() && j.contains("replicas") && j["replicas"].is_number_integer())
            replicas = std::max(0, j["replicas"].get<int>());
    }
    return replicas;
}

TierLoop::TierLoop(const Tier& tier, const Project& project,
                   const std::shared_ptr<const LoadSeries>& load, double drawnRate,
                   const std::vector<RollingDeploy>& deploys, const SimulationOptions& options,
                   Autoscaler* scaler)
    : tier_(tier), options_(options), scaler_(scaler), ticks_(load->rps.size()),
      dt_(options.tickSeconds),
      objective_(options.objectiveFor(project.components[tier.index].kind)),
      settledAfter_(
          std::max({options.controller.cpuInitializationSeconds, options.metricDelaySeconds,
                    scaler ? scaler->settledAfterSeconds() : 0.0}) +
          options.syncSeconds),
      fleet_(startingCount(tier, scaler), tier.bootSeconds) {
    out_.component = project.components[tier.index].id;
    out_.capacityPerInstanceRps = tier.capacity;
    out_.cpuMsPerRequest = tier.cpuMsPerRequest;
    out_.coresMilli = tier.coresMilli;
    out_.cpuRequestMilli = tier.requestMilli;
    out_.pricePerHour = tier.pricePerHour;
    out_.tickSeconds = options.tickSeconds;
    for (const auto& d : deploys)
        if (d.component.empty() || d.component == out_.component)
            deploys_.push_back(&d);
    std::stable_sort(deploys_.begin(), deploys_.end(),
                     [](const auto* a, const auto* b) { return a->atHours < b->atHours; });
    const TickRules rules{options.tickSeconds, options.queueLimitSeconds,
                          project.components[tier.index].kind == ComponentKind::WorkerGroup,
                          options.percentile};
    server_ = TickServer(tier, *load, drawnRate, rules);
    if (options.keepTicks) {
        auto kept = std::make_shared<Tier>(tier);
        kept->policy = nullptr; // the series outlives the project's policies
        out_.ticks = TickSeries(load, drawnRate, std::move(kept), rules);
    }
}

TierRun TierLoop::run() && {
    for (std::size_t i = 0; i < ticks_;) {
        if (const auto taken = quietStretch(i)) {
            i += taken;
            continue;
        }
        step(i++);
    }
    out_.summary = s_;
    if (scaler_)
        scaler_->finish(out_);
    return std::move(out_);
}

void TierLoop::step(std::size_t i) {
    const double t = static_cast<double>(i) * dt_;
    // A deploy due: a rolling update of every pod, then one controller step a tick.
    if (deployDue(t))
        startDeploys(t);
    if (fleet_.rolling())
        reconcileRollout(t);
    const double backlogBefore = backlog_;
    const TierTick tick = server_.serve(i, fleet_.desired(), fleet_.countsAt(t), backlog_);
    account(tick, backlogBefore);
    if (fleet_.rolling() || (!out_.rollouts.empty() && out_.rollouts.back().endSeconds == t)) {
        auto& r = out_.rollouts.back();
        r.lowestReady = std::min(r.lowestReady, tick.ready);
        if (tick.latencySeconds > objective_ || tick.dropped > 0)
            r.minutesOverObjective += dt_ / 60;
    }
    if (scaler_)
        decide(tick, t);
}

std::size_t TierLoop::quietStretch(std::size_t i) {
    if (fleet_.rolling() || (scaler_ && !scaler_->quiet(fleet_)) || fleet_.cohorts().size() > 1)
        return 0; // (one cohort: nothing for Fleet::settle to fold)
    const double t = static_cast<double>(i) * dt_;
    const double until = fleet_.countsUntil(t);
    const bool bounded = until < kInfinity || nextDeploy_ < deploys_.size();
    const auto shape = server_.shape(fleet_.desired(), fleet_.countsAt(t));
    const auto version = fleet_.version();
    const TickServer server = server_; // in registers through the loops
    TierTick* ahead = ahead_.data();
    std::size_t at = i; // the next tick to take
    while (at < ticks_) {
        // The next ticks, served ahead: up to the first whose counts change by themselves or
        // at which a deploy is due.
        std::size_t n = std::min(kChunk, ticks_ - at);
        if (bounded)
            for (std::size_t k = 0; k < n; ++k) {
                const double tk = static_cast<double>(at + k) * dt_;
                if (!(tk < until) || deployDue(tk)) {
                    n = k;
                    break;
                }
            }
        if (n == 0)
            break;
        double carried = backlog_;
        for (std::size_t k = 0; k < n; ++k)
            ahead[k] = server.serve(at + k, shape, carried);
        // The autoscaler takes what it leaves the count at; the tick it stops at is decided
        // as step would, and while that changes nothing either, the ticks served ahead hold.
        std::size_t k = 0;
        while (k < n) {
            const auto passed =
                scaler_ ? scaler_->passQuiet({ahead + k, n - k}, at + k, dt_, tier_, holds())
                        : Autoscaler::Quiet{n - k};
            accountStretch(k, k + passed.ticks);
            k += passed.ticks;
            if (passed.lastHold == Autoscaler::LastHold::Cleared)
                lastHeld_.clear(); // as a sync leaving the count where its metrics want it does
            else if (passed.lastHold == Autoscaler::LastHold::Recent)
                lastHeld_ = out_.events.back().condition;
            if (k == n)
                break;
            account(ahead[k], k == 0 ? backlog_ : ahead[k - 1].backlog);
            decide(ahead[k], static_cast<double>(at + k) * dt_);
            ++k;
            if (fleet_.version() != version || !scaler_->quiet(fleet_)) {
                backlog_ = ahead[k - 1].backlog; // the ticks served ahead no longer hold
                return at + k - i;
            }
        }
        backlog_ = ahead[n - 1].backlog;
        at += n;
        if (n < kChunk)
            break;
    }
    return at - i;
}

/// A tick into the summary, its instance-hours and cost given.
[[gnu::always_inline]] inline void addToSummary(TierSummary& s, const TierTick& tick,
                                                double instanceHours, double cost, double objective,
                                                double dt) {
    if (tick.latencySeconds > objective || tick.dropped > 0)
        s.minutesOverObjective += dt / 60;
    if (std::isfinite(tick.latencySeconds))
        s.peakLatencySeconds = std::max(s.peakLatencySeconds, tick.latencySeconds);
    else
        s.peakLatencySeconds = kInfinity;
    s.droppedRequests += tick.dropped;
    s.instanceHours += instanceHours;
    s.cost += cost;
    s.peakReplicas = std::max(s.peakReplicas, tick.desired);
}

double instanceHoursOf(const TierTick& tick, double dt) {
    return (tick.ready + tick.booting + tick.draining) * dt / 3600;
}

void TierLoop::account(const TierTick& tick, double backlogBefore) {
    if (options_.keepTicks)
        out_.ticks.add(tick, backlogBefore);
    addToSummary(s_, tick, instanceHoursOf(tick, dt_), tickCost(tick, tier_.pricePerHour, dt_),
                 objective_, dt_);
}

void TierLoop::accountStretch(std::size_t from, std::size_t to) {
    if (from == to)
        return;
    const TierTick* ahead = ahead_.data();
    if (options_.keepTicks)
        out_.ticks.addAlike(ahead + from, to - from,
                            from == 0 ? backlog_ : ahead[from - 1].backlog);
    // Worked out once: the same for every tick of the stretch. In a local, the sums stay in
    // registers.
    const double hours = instanceHoursOf(ahead[from], dt_);
    const double cost = tickCost(ahead[from], tier_.pricePerHour, dt_);
    const double objective = objective_, dt = dt_;
    TierSummary s = s_;
    for (std::size_t k = from; k < to; ++k)
        addToSummary(s, ahead[k], hours, cost, objective, dt);
    s_ = s;
}

Autoscaler::Holds TierLoop::holds() const {
    Autoscaler::Holds h{lastHeld_, {}, 0};
    if (!out_.events.empty()) {
        const auto& e = out_.events.back();
        if (e.from == e.to && e.from == fleet_.desired()) {
            h.recent = e.condition;
            h.recentAt = e.atSeconds;
        }
    }
    return h;
}

void TierLoop::decide(const TierTick& tick, double t) {
    fleet_.settle(t, settledAfter_);
    const auto d = scaler_->onTick(tick, fleet_, t, tier_);
    if (!d)
        return;
    const auto explain = [&] {
        return options_.explainEvents ? scaler_->explainLast() : std::string();
    };
    const int from = tick.desired;
    if (d->desired != from) {
        const int direction = d->desired > from ? 1 : -1;
        (direction > 0 ? s_.scaleUps : s_.scaleDowns) += 1;
        if (lastDirection_ == -direction && t - lastChangeAt_ <= 600)
            ++s_.flaps;
        lastDirection_ = direction;
        lastChangeAt_ = t;
        fleet_.scaleTo(d->desired, t, options_.drainSeconds);
        out_.events.push_back(
            {t, from, d->desired, d->wanted.value_or(from), std::string(d->condition), explain()});
        lastHeld_.clear();
    } else if (d->wanted && *d->wanted != from) {
        // Held back: recorded when the reason changes, not at every sync it lasts (nor each
        // time noise moves the count the metrics want).
        if (d->condition != lastHeld_ && !heldRecently(out_.events, from, d->condition, t))
            out_.events.push_back(
                {t, from, from, *d->wanted, std::string(d->condition), explain()});
        lastHeld_ = d->condition;
    } else {
        lastHeld_.clear();
    }
}

// Out of line, as rare: their words kept the loop's figures from the registers.
__attribute__((noinline, cold)) void TierLoop::startDeploys(double t) {
    while (deployDue(t)) {
        const auto& d = *deploys_[nextDeploy_++];
        const int before = fleet_.desired();
        // A deploy during a rollout supersedes it: the first ends here, unfinished pods and
        // all replaced by the new template.
        if (fleet_.rolling() && !out_.rollouts.empty())
            out_.rollouts.back().endSeconds = t;
        const auto [surge, unavailable] =
            fleet_.startRollout(t, d.maxSurge, d.maxUnavailable, options_.drainSeconds);
        out_.rollouts.push_back({t, std::numeric_limits<double>::quiet_NaN(), before, surge,
                                 unavailable, fleet_.readyAt(t), 0});
        out_.events.push_back({t, before, before, before, "RolloutStarted",
                               "rolling update of " + std::to_string(before) + " pods: at most " +
                                   std::to_string(surge) + " above the count (maxSurge " +
                                   d.maxSurge + ") and " + std::to_string(unavailable) +
                                   " below it (maxUnavailable " + d.maxUnavailable +
                                   "); new pods serve after " +
                                   std::to_string(static_cast<int>(tier_.bootSeconds)) + " s",
                               true});
    }
}

__attribute__((noinline, cold)) void TierLoop::reconcileRollout(double t) {
    if (!fleet_.reconcile(t, options_.drainSeconds))
        return;
    auto& r = out_.rollouts.back();
    r.endSeconds = t;
    out_.events.push_back(
        {t, fleet_.desired(), fleet_.desired(), fleet_.desired(), "RolloutComplete",
         "rolling update done in " + std::to_string(static_cast<long long>(t - r.startSeconds)) +
             " s; the ready pods fell to " + std::to_string(r.lowestReady) + " of " +
             std::to_string(r.desired),
         true});
}

} // namespace

TierRun runTier(const Tier& tier, const Project& project,
                const std::shared_ptr<const LoadSeries>& load, double drawnRate,
                const std::vector<RollingDeploy>& deploys, const SimulationOptions& options,
                Autoscaler* scaler) {
    return TierLoop(tier, project, load, drawnRate, deploys, options, scaler).run();
}

} // namespace headroom::whatif
