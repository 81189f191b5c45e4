#pragma once
// Inside the what-if engine: a tier as the simulation sees it (its capacity and latency per
// instance, worked out once from the analysis) and its fleet over time (instances booting,
// serving and draining). The simulation (simulation.cpp) owns both; the autoscalers
// (autoscaler.h) read them to decide.

#include "model/scenario.h"

#include <algorithm>
#include <cstddef>
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

/// Instances started together: they become ready together.
struct Cohort {
    int count = 0;
    double startedAt = 0, readyAt = 0;
};

/// The replica counts the autoscaler works with, and what it remembers.
class Fleet {
  public:
    Fleet(int replicas, double bootSeconds) : boot_(bootSeconds) {
        cohorts_.push_back({replicas, -1e9, -1e9}); // running long before the start
    }

    [[nodiscard]] int desired() const {
        int n = 0;
        for (const auto& c : cohorts_)
            n += c.count;
        return n;
    }
    [[nodiscard]] int readyAt(double t) const {
        int n = 0;
        for (const auto& c : cohorts_)
            n += c.readyAt <= t ? c.count : 0;
        return n;
    }
    [[nodiscard]] int drainingAt(double t) const {
        int n = 0;
        for (const auto& d : draining_)
            n += d.second > t ? d.first : 0;
        return n;
    }
    [[nodiscard]] const std::vector<Cohort>& cohorts() const { return cohorts_; }

    /// Folds instances ready for longer than `settled` seconds into the first cohort: past the
    /// CPU initialisation period and the metric delay they are alike to the autoscaler, and a
    /// month of scaling would otherwise leave thousands of cohorts.
    void settle(double t, double settled) {
        if (cohorts_.size() < 2)
            return;
        auto& first = cohorts_.front();
        for (std::size_t i = 1; i < cohorts_.size(); ++i)
            if (cohorts_[i].readyAt + settled < t && first.readyAt + settled < t) {
                first.count += cohorts_[i].count;
                cohorts_[i].count = 0;
            }
        std::erase_if(cohorts_, [](const Cohort& c) { return c.count == 0; });
    }

    /// Starts or removes instances to reach `target`: removal takes the ones still booting
    /// first, newest first (as a ReplicaSet prefers unready pods), then ready ones, which
    /// drain for `drainSeconds`.
    void scaleTo(int target, double t, double drainSeconds) {
        int have = desired();
        if (target > have) {
            cohorts_.push_back({target - have, t, t + boot_});
            return;
        }
        int remove = have - target;
        for (int pass = 0; pass < 2 && remove > 0; ++pass)
            for (auto it = cohorts_.rbegin(); it != cohorts_.rend() && remove > 0; ++it) {
                const bool booting = it->readyAt > t;
                if ((pass == 0) != booting || it->count == 0)
                    continue;
                const int n = std::min(remove, it->count);
                it->count -= n;
                remove -= n;
                if (!booting)
                    draining_.push_back({n, t + drainSeconds});
            }
        std::erase_if(cohorts_, [](const Cohort& c) { return c.count == 0; });
        std::erase_if(draining_, [&](const auto& d) { return d.second <= t; });
    }

  private:
    double boot_;
    std::vector<Cohort> cohorts_;
    std::vector<std::pair<int, double>> draining_; ///< count, billed until
};

} // namespace headroom::whatif
