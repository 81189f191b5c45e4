#include "whatif/tier.h"

#include <limits>

namespace headroom::whatif {

Fleet::Fleet(int replicas, double bootSeconds) : boot_(bootSeconds), target_(replicas) {
    cohorts_.push_back({replicas, -1e9, -1e9, true}); // running long before the start
}

int Fleet::pods() const {
    int n = 0;
    for (const auto& c : cohorts_)
        n += c.count;
    return n;
}

int Fleet::readyAt(double t) const {
    int n = 0;
    for (const auto& c : cohorts_)
        n += c.readyAt <= t ? c.count : 0;
    return n;
}

void Fleet::count(double t) const {
    Counts n;
    double until = std::numeric_limits<double>::infinity();
    for (const auto& c : cohorts_) {
        if (c.readyAt <= t)
            n.ready += c.count;
        else {
            n.booting += c.count;
            until = std::min(until, c.readyAt);
        }
    }
    for (const auto& [count, billedUntil] : draining_)
        if (billedUntil > t) {
            n.draining += count;
            until = std::min(until, billedUntil);
        }
    cache_ = {n, version_, t, until};
}

void Fleet::settle(double t, double settled) {
    if (cohorts_.size() < 2)
        return;
    for (std::size_t i = 0; i < cohorts_.size(); ++i) {
        auto& into = cohorts_[i];
        if (into.count == 0 || into.readyAt + settled >= t)
            continue;
        for (std::size_t j = i + 1; j < cohorts_.size(); ++j)
            if (cohorts_[j].updated == into.updated && cohorts_[j].readyAt + settled < t) {
                into.count += cohorts_[j].count;
                cohorts_[j].count = 0;
            }
    }
    if (std::erase_if(cohorts_, [](const Cohort& c) { return c.count == 0; }) > 0)
        ++version_;
}

int Fleet::remove(int n, Which which, std::optional<bool> updated, double t, double drainSeconds) {
    int removed = 0;
    for (int pass = 0; pass < 2 && removed < n; ++pass) {
        const bool bootingPass = pass == 0;
        if ((which == Which::Booting && !bootingPass) || (which == Which::Ready && bootingPass))
            continue;
        for (auto it = cohorts_.rbegin(); it != cohorts_.rend() && removed < n; ++it) {
            const bool booting = it->readyAt > t;
            if (booting != bootingPass || it->count == 0 || (updated && it->updated != *updated))
                continue;
            const int k = std::min(n - removed, it->count);
            it->count -= k;
            removed += k;
            if (!booting)
                draining_.push_back({k, t + drainSeconds});
        }
    }
    std::erase_if(cohorts_, [](const Cohort& c) { return c.count == 0; });
    std::erase_if(draining_, [&](const auto& d) { return d.second <= t; });
    return removed;
}

void Fleet::scaleTo(int target, double t, double drainSeconds) {
    ++version_;
    target_ = target;
    if (rolling_) {
        reconcile(t, drainSeconds);
        return;
    }
    const int have = pods();
    if (target > have)
        cohorts_.push_back({target - have, t, t + boot_, true});
    else if (target < have)
        remove(have - target, Which::Any, std::nullopt, t, drainSeconds);
}

std::pair<int, int> Fleet::budget() const {
    int surge = resolveIntOrPercent(maxSurge_, target_, true).value_or(0);
    int unavailable = resolveIntOrPercent(maxUnavailable_, target_, false).value_or(0);
    // Kubernetes' ResolveFenceposts: both zero would never progress, so one may be unavailable.
    if (surge == 0 && unavailable == 0)
        unavailable = 1;
    return {surge, std::min(unavailable, target_)};
}

std::pair<int, int> Fleet::startRollout(double t, const std::string& maxSurge,
                                        const std::string& maxUnavailable, double drainSeconds) {
    ++version_;
    for (auto& c : cohorts_)
        c.updated = false;
    rolling_ = true;
    maxSurge_ = maxSurge;
    maxUnavailable_ = maxUnavailable;
    const auto b = budget();
    reconcile(t, drainSeconds);
    return b;
}

bool Fleet::reconcile(double t, double drainSeconds) {
    ++version_;
    // The controller acts again on every pod it changed, within seconds: to a fixed point.
    for (int step = 0; step < 64 && rolling_; ++step)
        if (!reconcileOnce(t, drainSeconds))
            break;
    return !rolling_;
}

bool Fleet::reconcileOnce(double t, double drainSeconds) {
    bool changed = false;
    const auto [surge, unavailable] = budget();
    int oldPods = 0, newPods = 0, newReady = 0, ready = 0;
    const auto count = [&] {
        oldPods = newPods = newReady = ready = 0;
        for (const auto& c : cohorts_) {
            (c.updated ? newPods : oldPods) += c.count;
            const bool isReady = c.readyAt <= t;
            ready += isReady ? c.count : 0;
            newReady += c.updated && isReady ? c.count : 0;
        }
    };
    count();
    // Above the count plus the surge (the count went down): old pods go first.
    if (const int excess = oldPods + newPods - (target_ + surge); excess > 0) {
        const int gone = remove(excess, Which::Any, false, t, drainSeconds);
        changed = remove(excess - gone, Which::Any, true, t, drainSeconds) + gone > 0;
        count();
    }
    // New pods up to the count, within the surge.
    if (const int room = target_ + surge - (oldPods + newPods); room > 0) {
        const int add = std::min(room, target_ - newPods);
        if (add > 0) {
            cohorts_.push_back({add, t, t + boot_, true});
            changed = true;
        }
    } else if (newPods > target_) {
        changed = remove(newPods - target_, Which::Any, true, t, drainSeconds) > 0 || changed;
    }
    count();
    // Old pods down (the Deployment controller's reconcileOldReplicaSets): unready ones
    // first, as far as the pods above the minimum available allow (the new ones not ready
    // yet counted out), then ready ones as far as the available pods exceed it.
    const int minAvailable = target_ - unavailable;
    int scaleDown = std::max(0, oldPods + newPods - minAvailable - (newPods - newReady));
    const int unhealthy = remove(scaleDown, Which::Booting, false, t, drainSeconds);
    count();
    const int healthy = ready - minAvailable;
    const int gone = healthy > 0 ? remove(healthy, Which::Ready, false, t, drainSeconds) : 0;
    changed = changed || unhealthy > 0 || gone > 0;
    count();
    // Complete as Kubernetes reports it: every pod updated and available.
    if (oldPods == 0 && newReady >= target_)
        rolling_ = false;
    return changed;
}

} // namespace headroom::whatif
