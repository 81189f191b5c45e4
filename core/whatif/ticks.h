#pragma once
// A tier's ticks in the what-if engine: how one tick's figures follow from its load, its counts
// and the backlog carried into it (serveTick, one function for the simulation's loop and for
// reading a kept tick back), and a run's ticks kept as what cannot be worked out again (the
// counts when they change, the ticks with a backlog), every other figure worked out when read:
// a month of ten tiers kept whole was 97 MB, and writing it took longer than running them.

#include "whatif/load.h"
#include "whatif/tier.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <vector>

namespace headroom::whatif {

/// One tick of a tier. Its utilisation, CPU percent and cost follow from these and the tier
/// (TierRun::utilisation, cpuPercent, cost).
struct TierTick {
    double offeredRps = 0, servedRps = 0;
    int desired = 0, ready = 0, booting = 0, draining = 0;
    double latencySeconds = 0; ///< the percentile response; infinite when nothing is ready
    double backlog = 0;        ///< requests waiting at the end of the tick
    double dropped = 0;        ///< requests dropped in the tick
};

/// The points of a tier's latency table (Tier::latencyTable): utilisation j / size.
inline constexpr int kLatencyTableSize = 200;

/// How much waiting for a core stretches a request's CPU time at CPU utilisation `rho` over
/// `cores` (M/M/m, as the analysis's station model stretches it): 1 + C / (m (1 - rho)).
double cpuStretch(double rho, double cores);

/// The percentile `q` of one instance's response at utilisation `u` of its capacity, from the
/// queueing model (ticks.cpp); infinite at and past saturation.
double instanceLatency(const Tier& tier, double u, double q);

/// The same read from the tier's table, linear between its points.
inline double tableLatency(const Tier& tier, double u, double q) {
    const double at = u * kLatencyTableSize;
    const auto j = static_cast<std::size_t>(at);
    if (j + 1 >= tier.latencyTable.size())
        return instanceLatency(tier, u, q);
    const double w = at - static_cast<double>(j);
    const double a = tier.latencyTable[j], b = tier.latencyTable[j + 1];
    if (!std::isfinite(a) || !std::isfinite(b)) // inf x 0 would be NaN
        return w == 0 ? a : std::numeric_limits<double>::infinity();
    return a * (1 - w) + b * w;
}

/// What a tick's figures need besides the tier, its load and its counts.
struct TickRules {
    double tickSeconds = 15;
    double queueLimitSeconds = 30; ///< backlog past this many seconds of capacity is dropped
    bool keepsBacklog = false;     ///< a worker group's queue: nothing is dropped
    double percentile = 0.95;
};

/// A tick at `offered` requests a second with `counts` instances and `backlog` requests
/// carried in (left as the backlog carried out). Requests are served up to the ready capacity;
/// the rest wait, and past the queue limit (clients giving up, buffers full) are dropped. A
/// worker group's queue keeps its messages (SQS keeps them four days by default): they wait,
/// late, not lost.
inline TierTick serveTick(const Tier& tier, const TickRules& rules, double offered, int desired,
                          const Fleet::Counts& counts, double& backlog) {
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    const double dt = rules.tickSeconds;
    TierTick tick;
    tick.offeredRps = offered;
    tick.desired = desired;
    tick.ready = counts.ready;
    tick.booting = counts.booting;
    tick.draining = counts.draining;
    const double capacity = tick.ready * tier.capacity;
    tick.servedRps = std::min(tick.offeredRps + backlog / dt, capacity);
    backlog = std::max(0.0, backlog + (tick.offeredRps - tick.servedRps) * dt);
    const double limit = rules.keepsBacklog ? kInfinity : rules.queueLimitSeconds * capacity;
    if (backlog > limit) {
        tick.dropped = backlog - limit;
        backlog = limit;
    }
    tick.backlog = backlog;
    // Past 99% the steady-state queue (which grows without bound towards 100%) takes far longer
    // than a tick to form: the response is read at 99%, plus the time the backlog takes to
    // drain at the capacity.
    if (tick.ready == 0) {
        tick.latencySeconds = tick.offeredRps > 0 || backlog > 0 ? kInfinity : 0;
    } else {
        const double utilisation =
            capacity > 0 ? tick.servedRps / capacity : (tick.offeredRps > 0 ? kInfinity : 0);
        tick.latencySeconds =
            std::min(tableLatency(tier, std::min(utilisation, 0.99), rules.percentile),
                     tier.latencyCeiling) +
            backlog / capacity;
    }
    return tick;
}

/// A run's ticks, kept compactly and read back as TierTicks. A tick with no backlog carried in
/// or out (most of them) is worked out again from the load, the counts and the tier when read,
/// by serveTick as the run did, to the same bits; the others are kept whole.
class TickSeries {
  public:
    TickSeries() = default;
    /// The ticks of `tier` over `load`: tick i's load is load.rps[i] / drawnRate x unitRate.
    TickSeries(std::shared_ptr<const LoadSeries> load, double drawnRate,
               std::shared_ptr<const Tier> tier, const TickRules& rules);

    /// The next tick, served with `backlogBefore` carried in.
    void add(const TierTick& tick, double backlogBefore) {
        const Run run{static_cast<std::uint32_t>(size_), tick.desired, tick.ready, tick.booting,
                      tick.draining};
        if (runs_.empty() || !runs_.back().sameCounts(run))
            runs_.push_back(run);
        if (backlogBefore != 0 || tick.backlog != 0 || tick.dropped != 0)
            kept_.push_back({static_cast<std::uint32_t>(size_), tick});
        ++size_;
    }

    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    /// Tick i (i < size()); found by bisection: reading them in order, iterate.
    [[nodiscard]] TierTick operator[](std::size_t i) const;
    [[nodiscard]] TierTick back() const { return (*this)[size_ - 1]; }
    /// Bytes held, besides the shared load and tier.
    [[nodiscard]] std::size_t bytes() const {
        return runs_.capacity() * sizeof(Run) + kept_.capacity() * sizeof(Kept);
    }

    /// The ticks in order, each worked out as it is reached.
    class const_iterator {
      public:
        using iterator_category = std::input_iterator_tag;
        using value_type = TierTick;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = TierTick;
        const_iterator() = default;
        TierTick operator*() const { return series_->at(i_, run_, kept_); }
        const_iterator& operator++() {
            ++i_;
            series_->advance(i_, run_, kept_);
            return *this;
        }
        const_iterator operator++(int) {
            auto before = *this;
            ++*this;
            return before;
        }
        bool operator==(const const_iterator& o) const { return i_ == o.i_; }

      private:
        friend class TickSeries;
        const_iterator(const TickSeries* s, std::size_t i) : series_(s), i_(i) {}
        const TickSeries* series_ = nullptr;
        std::size_t i_ = 0, run_ = 0, kept_ = 0;
    };
    [[nodiscard]] const_iterator begin() const { return {this, 0}; }
    [[nodiscard]] const_iterator end() const { return {this, size_}; }

  private:
    struct Run {
        std::uint32_t from = 0; ///< the first tick with these counts
        int desired = 0, ready = 0, booting = 0, draining = 0;
        [[nodiscard]] bool sameCounts(const Run& o) const {
            return desired == o.desired && ready == o.ready && booting == o.booting &&
                   draining == o.draining;
        }
    };
    struct Kept {
        std::uint32_t at = 0;
        TierTick tick;
    };
    /// Tick i, its counts in runs_[run], kept_[kept] the first kept one at or after it.
    [[nodiscard]] TierTick at(std::size_t i, std::size_t run, std::size_t kept) const;
    /// Moves `run` and `kept` on to tick i.
    void advance(std::size_t i, std::size_t& run, std::size_t& kept) const {
        while (run + 1 < runs_.size() && runs_[run + 1].from <= i)
            ++run;
        while (kept < kept_.size() && kept_[kept].at < i)
            ++kept;
    }

    std::shared_ptr<const LoadSeries> load_;
    double drawnRate_ = 1;
    std::shared_ptr<const Tier> tier_;
    TickRules rules_;
    std::vector<Run> runs_;
    std::vector<Kept> kept_;
    std::size_t size_ = 0;
};

} // namespace headroom::whatif
