#pragma once
// Inside the what-if engine: a tier as the simulation sees it (its capacity and latency per
// instance, worked out once from the analysis) and its fleet over time (instances booting,
// serving and draining). The simulation (simulation.cpp) owns both; the autoscalers
// (autoscaler.h) read them to decide.

#include "model/scenario.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace headroom::whatif {

/// One tier as the simulation sees it, worked out once from the analysis at the drawn load.
struct Tier {
    std::size_t index = 0;
    const AutoscalingPolicy* policy = nullptr;
    double unitRate = 0;    ///< requests per second at multiplier 1
    double capacity = 0;    ///< requests per second one instance serves at saturation
    double baseHolding = 0; ///< seconds a request holds a worker, its CPU not stretched
    double cpuSeconds = 0;  ///< CPU per request (services)
    double cores = 1;
    int workers = 1; ///< per instance
    double serviceScv = 1;
    double cpuMsPerRequest = 0, coresMilli = 1000, requestMilli = 500;
    double bootSeconds = 60, pricePerHour = 0;
    int initialReplicas = 1;
    std::vector<double> latencyTable; ///< percentile response at utilisation j / size
    double latencyCeiling = 0;        ///< the table's highest finite value
};

/// Instances started together: they become ready together. `updated` tells a rolling
/// update's new pods from the old ones.
struct Cohort {
    int count = 0;
    double startedAt = 0, readyAt = 0;
    bool updated = true;
};

/// The tier's instances: the count the autoscaler set (a Deployment's spec.replicas, an Auto
/// Scaling group's desired capacity) and the pods that exist, which differ while pods boot,
/// drain, or a rolling update surges above the count. fleet.cpp.
class Fleet {
  public:
    Fleet(int replicas, double bootSeconds);

    /// The count set by the autoscaler (or drawn).
    [[nodiscard]] int desired() const { return target_; }
    /// Pods that exist, booting or serving (not those draining).
    [[nodiscard]] int pods() const;
    [[nodiscard]] int readyAt(double t) const;
    /// The three counts at `t`, worked out again only when a pod has become ready or
    /// finished draining since, or the fleet changed: a tick reads them all.
    struct Counts {
        int ready = 0, booting = 0, draining = 0;
    };
    [[nodiscard]] Counts countsAt(double t) const {
        if (!(cache_.version == version_ && t >= cache_.from && t < cache_.until))
            count(t);
        return cache_.counts;
    }
    /// When the counts at `t` next change by themselves (a pod turning ready or ending its
    /// drain); infinite when none will.
    [[nodiscard]] double countsUntil(double t) const {
        if (!(cache_.version == version_ && t >= cache_.from && t < cache_.until))
            count(t);
        return cache_.until;
    }
    [[nodiscard]] const std::vector<Cohort>& cohorts() const { return cohorts_; }
    [[nodiscard]] bool rolling() const { return rolling_; }
    /// Changes whenever the cohorts may have: equal versions, the same cohorts (an autoscaler
    /// keeps what it worked out from them until the next change).
    [[nodiscard]] std::uint64_t version() const { return version_; }

    /// Folds instances ready for longer than `settled` seconds into the first cohort of their
    /// version: past the CPU initialisation period and the metric delay they are alike to the
    /// autoscaler, and a month of scaling would otherwise leave thousands of cohorts.
    void settle(double t, double settled);

    /// Sets the count: starts instances, or removes the ones still booting first, newest
    /// first (as a ReplicaSet prefers unready pods), then ready ones, which drain for
    /// `drainSeconds`. During a rolling update the update's rules place the change.
    void scaleTo(int target, double t, double drainSeconds);

    /// Starts a rolling update at `t`: every pod now is old, to be replaced within maxSurge
    /// and maxUnavailable (Kubernetes' IntOrString: "25%" or "2"). Returns their values for
    /// the current count.
    std::pair<int, int> startRollout(double t, const std::string& maxSurge,
                                     const std::string& maxUnavailable, double drainSeconds);
    /// One step of the Deployment controller during a rolling update: new pods up to the
    /// surge, old ones down as far as the unavailable budget allows. True when it is
    /// complete: no old pod left and every new one ready.
    bool reconcile(double t, double drainSeconds);

  private:
    enum class Which { Any, Booting, Ready };
    /// Removes up to `n` pods (of one version when `updated` is given; else any): booting
    /// ones first, newest first, then ready ones, which drain; or only booting or only ready
    /// ones. Returns how many went.
    int remove(int n, Which which, std::optional<bool> updated, double t, double drainSeconds);
    [[nodiscard]] std::pair<int, int> budget() const; ///< surge, unavailable at the count
    /// One pass of the controller's rules; whether it started or removed any pod.
    bool reconcileOnce(double t, double drainSeconds);

    double boot_;
    int target_;
    std::vector<Cohort> cohorts_;
    std::vector<std::pair<int, double>> draining_; ///< count, billed until
    bool rolling_ = false;
    std::string maxSurge_, maxUnavailable_;
    std::uint64_t version_ = 0;
    void count(double t) const; ///< fills cache_ at t
    mutable struct {
        Counts counts;
        std::uint64_t version = ~std::uint64_t{0};
        double from = 0, until = 0; ///< the counts hold for t in [from, until)
    } cache_;
};

} // namespace headroom::whatif
