#pragma once
// A tier's ticks in the what-if engine: how one tick's figures follow from its load, its counts
// and the backlog carried into it (TickServer, one function for the simulation's loop and for
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

/// What the instances billed in a tick cost, USD: ready, booting and draining.
inline double tickCost(const TierTick& tick, double pricePerHour, double tickSeconds) {
    return (tick.ready + tick.booting + tick.draining) * pricePerHour * tickSeconds / 3600;
}

/// The points of a tier's latency table (Tier::latencyTable): utilisation j / size.
inline constexpr int kLatencyTableSize = 200;

/// How much waiting for a core stretches a request's CPU time at CPU utilisation `rho` over
/// `cores` (M/M/m, as the analysis's station model stretches it): 1 + C / (m (1 - rho)).
double cpuStretch(double rho, double cores);

/// The percentile `q` of one instance's response at utilisation `u` of its capacity, from the
/// queueing model (ticks.cpp); infinite at and past saturation.
double instanceLatency(const Tier& tier, double u, double q);

/// What a tick's figures need besides the tier, its load and its counts.
struct TickRules {
    double tickSeconds = 15;
    double queueLimitSeconds = 30; ///< backlog past this many seconds of capacity is dropped
    bool keepsBacklog = false;     ///< a worker group's queue: nothing is dropped
    double percentile = 0.95;
};

/// Serves a tier's ticks: one function for the simulation's loop and for reading a kept tick
/// back. What it needs of the tier, the load and the rules is read once (a copy in a local
/// stays in registers through a stretch of ticks). The tier and the load must outlive it.
class TickServer {
  public:
    TickServer() = default;
    /// Tick i's load is load.rps[i] / drawnRate x the tier's unit rate.
    TickServer(const Tier& tier, const LoadSeries& load, double drawnRate, const TickRules& rules)
        : tier_(&tier), load_(load.rps.data()), table_(tier.latencyTable.data()),
          tableSize_(tier.latencyTable.size()), drawnRate_(drawnRate), unitRate_(tier.unitRate),
          perInstance_(tier.capacity), ceiling_(tier.latencyCeiling), rules_(rules) {
        while (finite_ < tableSize_ && std::isfinite(table_[finite_]))
            ++finite_;
    }

    /// What a tick's figures need of its counts, worked out once for ticks alike.
    struct Shape {
        int desired = 0;
        Fleet::Counts counts;
        double capacity = 0; ///< requests a second the ready instances serve
        double limit = 0;    ///< the backlog kept at most
    };
    [[nodiscard]] Shape shape(int desired, const Fleet::Counts& counts) const {
        const double capacity = counts.ready * perInstance_;
        return {desired, counts, capacity,
                rules_.keepsBacklog ? std::numeric_limits<double>::infinity()
                                    : rules_.queueLimitSeconds * capacity};
    }

    /// Tick i with `counts` instances and `backlog` requests carried in (left as the backlog
    /// carried out).
    [[gnu::always_inline]] TierTick serve(std::size_t i, int desired, const Fleet::Counts& counts,
                                          double& backlog) const {
        return serve(i, shape(desired, counts), backlog);
    }
    /// The same with the counts' shape. Requests are served up to the ready capacity; the rest
    /// wait, and past the queue limit (clients giving up, buffers full) are dropped. A worker
    /// group's queue keeps its messages (SQS keeps them four days by default): they wait,
    /// late, not lost.
    [[gnu::always_inline]] TierTick serve(std::size_t i, const Shape& shape,
                                          double& backlog) const {
        constexpr double kInfinity = std::numeric_limits<double>::infinity();
        const double dt = rules_.tickSeconds;
        TierTick tick;
        tick.offeredRps = load_[i] / drawnRate_ * unitRate_;
        tick.desired = shape.desired;
        tick.ready = shape.counts.ready;
        tick.booting = shape.counts.booting;
        tick.draining = shape.counts.draining;
        const double capacity = shape.capacity;
        if (backlog == 0) {
            // The same sums with the zero written out (a backlog is never -0): the next
            // tick's figures then need not wait for this one's backlog, which they would
            // through a division and five more steps.
            tick.servedRps = std::min(tick.offeredRps + 0.0 / dt, capacity);
            backlog = std::max(0.0, 0.0 + (tick.offeredRps - tick.servedRps) * dt);
        } else {
            tick.servedRps = std::min(tick.offeredRps + backlog / dt, capacity);
            backlog = std::max(0.0, backlog + (tick.offeredRps - tick.servedRps) * dt);
        }
        if (backlog > shape.limit) {
            tick.dropped = backlog - shape.limit;
            backlog = shape.limit;
        }
        tick.backlog = backlog;
        // Past 99% the steady-state queue (which grows without bound towards 100%) takes far
        // longer than a tick to form: the response is read at 99%, plus the time the backlog
        // takes to drain at the capacity.
        if (tick.ready == 0) {
            tick.latencySeconds = tick.offeredRps > 0 || backlog > 0 ? kInfinity : 0;
        } else {
            const double utilisation =
                capacity > 0 ? tick.servedRps / capacity : (tick.offeredRps > 0 ? kInfinity : 0);
            tick.latencySeconds =
                std::min(latency(std::min(utilisation, 0.99)), ceiling_) + backlog / capacity;
        }
        return tick;
    }

    /// One instance's percentile response at utilisation `u`: the tier's table, linear
    /// between its points; out of it, the model.
    [[nodiscard, gnu::always_inline]] double latency(double u) const {
        const double at = u * kLatencyTableSize;
        const auto j = static_cast<std::size_t>(at);
        if (j + 1 >= tableSize_) [[unlikely]]
            return instanceLatency(*tier_, u, rules_.percentile);
        const double w = at - static_cast<double>(j);
        const double a = table_[j], b = table_[j + 1];
        // Both finite below finite_ (most ticks); past it, inf x 0 would be NaN.
        if (j + 1 >= finite_ && (!std::isfinite(a) || !std::isfinite(b)))
            return w == 0 ? a : std::numeric_limits<double>::infinity();
        return a * (1 - w) + b * w;
    }

  private:
    const Tier* tier_ = nullptr;
    const double* load_ = nullptr;
    const double* table_ = nullptr;
    std::size_t tableSize_ = 0;
    std::size_t finite_ = 0; ///< the table's entries before its first infinite one
    double drawnRate_ = 1, unitRate_ = 0, perInstance_ = 0, ceiling_ = 0;
    TickRules rules_;
};

/// A run's ticks, kept compactly and read back as TierTicks: the counts where they change, and
/// the backlog carried into each tick that has one. Every figure is worked out again from
/// those, the load and the tier when read, by TickServer as the run did, to the same bits.
/// A quiet month is a few hundred bytes; a saturated one 8 bytes a tick (a TierTick is 64).
class TickSeries {
  public:
    TickSeries() = default;
    /// The ticks of `tier` over `load`: tick i's load is load.rps[i] / drawnRate x unitRate.
    TickSeries(std::shared_ptr<const LoadSeries> load, double drawnRate,
               std::shared_ptr<const Tier> tier, const TickRules& rules);

    /// The next tick, served with `backlogBefore` carried in.
    void add(const TierTick& tick, double backlogBefore) {
        addCounts(tick);
        addCarried(backlogBefore);
    }
    /// The next `n` ticks, their counts alike; the first carried in `backlogBefore`.
    void addAlike(const TierTick* ticks, std::size_t n, double backlogBefore) {
        if (n == 0)
            return;
        addCounts(ticks[0]);
        addCarried(backlogBefore);
        for (std::size_t k = 1; k < n; ++k)
            addCarried(ticks[k - 1].backlog);
    }

    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    /// Tick i (i < size()); found by bisection: reading them in order, iterate.
    [[nodiscard]] TierTick operator[](std::size_t i) const;
    [[nodiscard]] TierTick back() const { return (*this)[size_ - 1]; }
    /// Bytes held, besides the shared load and tier.
    [[nodiscard]] std::size_t bytes() const {
        return runs_.capacity() * sizeof(Run) + stretches_.capacity() * sizeof(Stretch) +
               carried_.capacity() * sizeof(double);
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
        TierTick operator*() const { return series_->at(i_, run_, stretch_); }
        const_iterator& operator++() {
            ++i_;
            series_->advance(i_, run_, stretch_);
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
        std::size_t i_ = 0, run_ = 0, stretch_ = 0;
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
    /// Ticks in a row carrying a backlog in: from `from` on, theirs at carried_[offset] on.
    struct Stretch {
        std::uint32_t from = 0, offset = 0;
    };
    void addCounts(const TierTick& tick) {
        const Run run{static_cast<std::uint32_t>(size_), tick.desired, tick.ready, tick.booting,
                      tick.draining};
        if (runs_.empty() || !runs_.back().sameCounts(run))
            runs_.push_back(run);
    }
    void addCarried(double backlogBefore) {
        if (backlogBefore != 0)
            addBacklog(backlogBefore);
        ++size_;
    }
    /// A backlog carried into the tick added next (out of line: most ticks have none).
    void addBacklog(double backlogBefore);
    /// One past the last tick of stretches_[k].
    [[nodiscard]] std::size_t stretchEnd(std::size_t k) const {
        const std::size_t next =
            k + 1 < stretches_.size() ? stretches_[k + 1].offset : carried_.size();
        return stretches_[k].from + (next - stretches_[k].offset);
    }
    /// Tick i, its counts in runs_[run], stretches_[stretch] the first ending after it.
    [[nodiscard]] TierTick at(std::size_t i, std::size_t run, std::size_t stretch) const;
    /// Moves `run` and `stretch` on to tick i.
    void advance(std::size_t i, std::size_t& run, std::size_t& stretch) const {
        while (run + 1 < runs_.size() && runs_[run + 1].from <= i)
            ++run;
        while (stretch < stretches_.size() && stretchEnd(stretch) <= i)
            ++stretch;
    }

    std::shared_ptr<const LoadSeries> load_;
    std::shared_ptr<const Tier> tier_;
    TickServer server_; ///< over load_ and tier_
    std::vector<Run> runs_;
    std::vector<Stretch> stretches_;
    std::vector<double> carried_;
    std::size_t size_ = 0;
};

} // namespace headroom::whatif
