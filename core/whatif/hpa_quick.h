#pragma once
// The HPA's decision at a simulated sync, figures only, without building the controller's
// State. In a simulation every pod with a sample carries the same one (the tier's per-pod
// usage of the tick a metric delay back), so the controller's sums over pods are products of
// counts, and the pods matter only as the three counts the replica calculator sorts them into.
// hpa::decide (hpa.cpp) stays the reference and the source of every explanation; this is its
// transcription for that case (about 60 ns a simulated sync instead of 220), and
// tests/core/hpa_quick_test.cpp holds the two to the same figures on random states and on
// whole runs. docs/autoscalers.md, "Speed, and a reference implementation".

#include "whatif/hpa.h"
#include "whatif/hpa_replicas.h"

#include <cstddef>
#include <cstdint>
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
    [[nodiscard]] const Entry& back() const { return items_.back(); }
    void push_back(Entry e) { items_.push_back(e); }
    void pop_back() { items_.pop_back(); }
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

/// The highest (or lowest) proposal within a window behind the sync, kept as proposals are
/// stored: the ones a later, higher (lower) one outlasts are dropped, so a sync reads one
/// value instead of minutes of memory.
class WindowExtreme {
  public:
    /// `inclusive`: an age equal to the window is inside it (the legacy rule), else outside.
    WindowExtreme(bool highest, double windowSeconds, bool inclusive)
        : highest_(highest), inclusive_(inclusive), window_(windowSeconds) {}
    void push(int replicas, double at) {
        // A proposal no higher (lower) than this one, stored before it, leaves the window
        // first: it can no longer be the extreme.
        while (!kept_.empty() &&
               (highest_ ? kept_.back().first <= replicas : kept_.back().first >= replicas))
            kept_.pop_back();
        kept_.push_back({replicas, at});
    }
    /// Over the proposals stored before `t` within the window; nothing when none is. The
    /// times asked for must not go back.
    [[nodiscard]] std::optional<int> at(double t) {
        while (!kept_.empty() && !inside(t - kept_.front().second))
            kept_.pop_front();
        if (kept_.empty())
            return std::nullopt;
        return kept_.front().first;
    }

  private:
    [[nodiscard]] bool inside(double age) const {
        return inclusive_ ? !(age > window_) : age < window_;
    }
    bool highest_, inclusive_;
    double window_;
    History kept_;
};

/// What the stabilisation windows hold at a sync.
struct RecentProposals {
    std::optional<int> highest; ///< in the scale-down window (the legacy one without behavior)
    std::optional<int> lowest;  ///< in the scale-up window (behavior only)
};

/// The windows of a spec, fed every proposal the controller stores.
class ProposalWindows {
  public:
    ProposalWindows(const Spec& spec, const ControllerSettings& settings);
    void push(int replicas, double at) {
        down_.push(replicas, at);
        if (behavior_)
            up_.push(replicas, at);
    }
    [[nodiscard]] RecentProposals at(double t) {
        return {down_.at(t), behavior_ ? up_.at(t) : std::nullopt};
    }

  private:
    WindowExtreme down_, up_;
    bool behavior_;
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
    /// The decision at `t` (with what the windows hold and the changes made before it), or
    /// nothing when this sync is one the quick path leaves to
    /// hpa::decide (a count of zero, or outside min and max).
    [[nodiscard]] std::optional<QuickDecision> decide(const UniformPods& pods,
                                                      const RecentProposals& recent,
                                                      const History& scaleEvents, double t) const;

  private:
    [[nodiscard]] std::optional<int> propose(std::size_t metric, const UniformPods& pods) const;
    void normalizeLegacy(QuickDecision& d, int current, int desired,
                         const RecentProposals& recent) const;
    void normalizeWithBehavior(QuickDecision& d, int current, int desired,
                               const RecentProposals& recent, const History& events,
                               double t) const;

    Spec spec_;
    ControllerSettings settings_;
    std::vector<MetricSpec> metrics_;
    std::vector<std::string> aboveTarget_; ///< per metric: "cpu resource ... above target"
    Tolerances tolerances_;
    ScalingRules up_, down_;
    bool applies_ = true;
};

} // namespace headroom::whatif::hpa
