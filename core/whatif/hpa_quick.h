#pragma once
// The HPA's decision at a simulated sync, figures only, without building the controller's
// State. In a simulation every pod with a sample carries the same one (the tier's per-pod
// usage of the tick a metric delay back), so the controller's sums over pods are products of
// counts, and the pods matter only as the three counts the replica calculator sorts them into.
// hpa::decide (hpa.cpp) stays the reference and the source of every explanation; this is its
// transcription for that case (about 60 ns a simulated sync instead of 220), and
// tests/core/hpa_quick_test.cpp holds the two to the same figures on random states and on
// whole runs. Settled pods go quicker still (steadyBand, settledProposal, decideFrom; the
// autoscaler's side is HpaAutoscaler::steadySync and passQuiet). docs/simulation-speed.md.

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

/// The controller's memory: (replicas or change, the time it was stored), oldest first, in a
/// ring that grows when full (a sync stores one entry and forgets one: with a vector that
/// moved its kept part down now and then, the bookkeeping was a fifth of a sync).
class History {
  public:
    using Entry = std::pair<int, double>;
    class Iterator {
      public:
        Iterator(const Entry* items, std::size_t mask, std::size_t at)
            : items_(items), mask_(mask), at_(at) {}
        const Entry& operator*() const { return items_[at_ & mask_]; }
        const Entry* operator->() const { return &items_[at_ & mask_]; }
        Iterator& operator++() {
            ++at_;
            return *this;
        }
        bool operator==(const Iterator& o) const { return at_ == o.at_; }

      private:
        const Entry* items_;
        std::size_t mask_, at_;
    };
    [[nodiscard]] Iterator begin() const { return {items_.data(), mask_, head_}; }
    [[nodiscard]] Iterator end() const { return {items_.data(), mask_, head_ + size_}; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] const Entry& front() const { return items_[head_ & mask_]; }
    [[nodiscard]] const Entry& back() const { return items_[(head_ + size_ - 1) & mask_]; }
    [[nodiscard]] Entry& back() { return items_[(head_ + size_ - 1) & mask_]; }
    void push_back(Entry e) {
        if (size_ == items_.size())
            grow();
        items_[(head_ + size_++) & mask_] = e;
    }
    void pop_back() { --size_; }
    void pop_front() {
        ++head_;
        --size_;
    }

  private:
    void grow(); ///< twice the room, oldest first from the start (rare: out of line)
    std::vector<Entry> items_;
    std::size_t head_ = 0, size_ = 0, mask_ = 0;
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
        // first: it can no longer be the extreme. The kept ones fall (rise) strictly, so an
        // equal last one is the only one to go: the common case, the same proposal again.
        if (!kept_.empty() && kept_.back().first == replicas) {
            kept_.back().second = at;
            return;
        }
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

/// The metrics' proposal: the largest, and the first metric proposing it.
struct Proposal {
    int replicas = 0;
    std::size_t metric = 0;
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

    /// The CPU usages a pod (milli-cores) at which this sync's decision is to leave `pods`
    /// as they are: every metric within its tolerance or proposing no more than the count,
    /// nothing stored but the count as the recommendation. Nothing when the spec reads
    /// anything but CPU, or when the pods are not settled (each one ready, sampled and past
    /// its CPU initialisation, as many as the count): only then is the proposal a function of
    /// the usage that never falls as it rises, which the search relies on. The legacy rules
    /// also need the scale-down window to hold nothing above the count.
    [[nodiscard]] std::optional<std::pair<std::int64_t, std::int64_t>>
    steadyBand(const UniformPods& pods, std::int64_t highestUsage) const;
    /// Whether every metric is a CPU Resource one: settled pods then propose as a function of
    /// the count and the usage alone.
    [[nodiscard]] bool cpuOnly() const { return applies_ && cpuOnly_; }
    /// The metrics' proposal for settled pods (each ready and sampled, as many as the count),
    /// or nothing when one of the metrics has none (decide then changes nothing).
    [[nodiscard]] std::optional<Proposal> settledProposal(const UniformPods& pods) const;
    /// decide's second half, once the metrics have proposed.
    [[nodiscard]] QuickDecision decideFrom(int current, Proposal proposal,
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
    bool cpuOnly_ = true; ///< every metric a CPU Resource one
};

} // namespace headroom::whatif::hpa
