#pragma once
// The HPA's decision at a simulated sync, figures only, without building the controller's
// State. In a simulation every pod with a sample carries the same one (the tier's per-pod
// usage of the tick a metric delay back), so the controller's sums over pods are products of
// counts, and the pods matter only as the three counts the replica calculator sorts them into.
// hpa::decide (hpa.cpp) stays the reference and the source of every explanation; this is its
// transcription for that case, a few nanoseconds a sync instead of a few hundred, and
// tests/core/hpa_quick_test.cpp holds the two to the same figures on random states and on
// whole runs. docs/autoscalers.md, "Speed".

#include "whatif/hpa.h"
#include "whatif/hpa_replicas.h"

#include <cstdint>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace headroom::whatif::hpa {

/// The pods as the replica calculator sorts them for one metric: ready with a sample, unready
/// (pending; for CPU also within its initialisation), and running without a sample.
struct PodCounts {
    std::int64_t ready = 0, unready = 0, missing = 0;
};

/// What a sync sees, every sampled pod alike.
struct UniformPods {
    int current = 0;               ///< the target's spec.replicas
    std::int64_t pods = 0;         ///< that exist
    std::int64_t runningReady = 0; ///< running and ready (an Object metric's Value target)
    PodCounts cpu;                 ///< for CPU, with its readiness rules
    PodCounts other;               ///< for any other pods metric
    std::int64_t cpuUsageMilli = 0, cpuRequestMilli = 1, podMetricMilli = 0;
    /// Per metric of the spec (its resolved list), the Object or External value; nothing when
    /// there is no sample yet.
    const std::vector<std::optional<std::int64_t>>* objectValues = nullptr;
};

/// The controller's memory: (replicas or change, the time it was stored), oldest first, in
/// one block (a sync reads all of it: contiguous, it is read at memory speed).
class History {
  public:
    using Entry = std::pair<int, double>;
    [[nodiscard]] const Entry* begin() const { return items_.data() + head_; }
    [[nodiscard]] const Entry* end() const { return items_.data() + items_.size(); }
    [[nodiscard]] bool empty() const { return head_ == items_.size(); }
    [[nodiscard]] const Entry& front() const { return items_[head_]; }
    void push_back(Entry e) { items_.push_back(e); }
    void pop_front() {
        // The forgotten half moved out once it is as long as what is kept.
        if (++head_ * 2 >= items_.size() && head_ >= 64) {
            items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
            head_ = 0;
        }
    }

  private:
    std::vector<Entry> items_;
    std::size_t head_ = 0;
};

struct QuickDecision {
    int desired = 0;
    std::optional<int> metricReplicas, stabilizedReplicas;
    std::optional<int> recommendationToStore, scaleEventToStore;
    std::string_view condition; ///< as HpaAutoscaler::verdictOf names it
};

class QuickDecider {
  public:
    QuickDecider(const Spec& spec, const ControllerSettings& settings);
    /// Whether the spec reads only what the quick path knows (CPU as a resource, Pods, Object
    /// and External metrics); else every sync takes hpa::decide.
    [[nodiscard]] bool applies() const { return applies_; }
    /// The metrics the spec resolves to (the API's default when it lists none).
    [[nodiscard]] const std::vector<MetricSpec>& metrics() const { return metrics_; }
    /// The decision at `t`, or nothing when this sync is one the quick path leaves to
    /// hpa::decide (a count of zero, or outside min and max).
    [[nodiscard]] std::optional<QuickDecision> decide(const UniformPods& pods,
                                                      const History& recommendations,
                                                      const History& scaleEvents, double t) const;

  private:
    [[nodiscard]] std::optional<int> propose(std::size_t metric, const UniformPods& pods) const;
    void normalizeLegacy(QuickDecision& d, int current, int desired, const History& recs,
                         double t) const;
    void normalizeWithBehavior(QuickDecision& d, int current, int desired, const History& recs,
                               const History& events, double t) const;

    Spec spec_;
    ControllerSettings settings_;
    std::vector<MetricSpec> metrics_;
    std::vector<std::string> aboveTarget_; ///< per metric: "cpu resource ... above target"
    Tolerances tolerances_;
    ScalingRules up_, down_;
    bool applies_ = true;
};

} // namespace headroom::whatif::hpa
