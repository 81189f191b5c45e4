#include "whatif/ticks.h"

#include "analysis/queueing.h"

#include <algorithm>
#include <utility>

namespace headroom::whatif {

double cpuStretch(double rho, double cores) {
    if (!(rho < 1))
        return std::numeric_limits<double>::infinity();
    const int m = std::max(1, static_cast<int>(std::floor(cores)));
    const auto c = analysis::erlangC(m, rho * m);
    return 1 + (c ? *c : 0) / (m * (1 - rho));
}

/// The instance's workers as a GI/G/c queue (queueing.h), Poisson arrivals, each request
/// holding a worker for the tier's own work and calls, its CPU part stretched by waiting for
/// the cores at this rate.
double instanceLatency(const Tier& tier, double u, double q) {
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    if (!(u < 1))
        return kInfinity;
    const double rate = std::max(u, 1e-9) * tier.capacity;
    const double holding =
        tier.baseHolding +
        tier.cpuSeconds * (cpuStretch(rate * tier.cpuSeconds / tier.cores, tier.cores) - 1);
    const double mu = 1 / holding;
    // The workers' own saturation may lie above the instance's (CPU binds first): the queue is
    // then the workers' at this rate.
    if (!(mu > 0) || rate >= tier.workers * mu)
        return kInfinity;
    const auto p = analysis::ggcResponsePercentile(rate, mu, tier.workers, 1.0, tier.serviceScv, q);
    return p ? *p : kInfinity;
}

TickSeries::TickSeries(std::shared_ptr<const LoadSeries> load, double drawnRate,
                       std::shared_ptr<const Tier> tier, const TickRules& rules)
    : load_(std::move(load)), tier_(std::move(tier)), server_(*tier_, *load_, drawnRate, rules) {}

void TickSeries::addBacklog(double backlogBefore) {
    // Room for the rest of the run at the first: a saturated tier fills it (a month is
    // 1.4 MB), and growing it by doubling copied and faulted in twice that.
    if (carried_.empty())
        carried_.reserve(load_->rps.size() - size_);
    if (stretches_.empty() || stretchEnd(stretches_.size() - 1) != size_)
        stretches_.push_back(
            {static_cast<std::uint32_t>(size_), static_cast<std::uint32_t>(carried_.size())});
    carried_.push_back(backlogBefore);
}

TierTick TickSeries::operator[](std::size_t i) const {
    const auto run = std::upper_bound(runs_.begin(), runs_.end(), i,
                                      [](std::size_t at, const Run& r) { return at < r.from; });
    // The first stretch starting after i, then back one: the only one that may hold it.
    const auto after =
        std::upper_bound(stretches_.begin(), stretches_.end(), i,
                         [](std::size_t at, const Stretch& s) { return at < s.from; });
    std::size_t stretch = static_cast<std::size_t>(after - stretches_.begin());
    if (stretch > 0 && stretchEnd(stretch - 1) > i)
        --stretch;
    return at(i, static_cast<std::size_t>(run - runs_.begin()) - 1, stretch);
}

TierTick TickSeries::at(std::size_t i, std::size_t run, std::size_t stretch) const {
    double backlog = 0;
    if (stretch < stretches_.size() && stretches_[stretch].from <= i)
        backlog = carried_[stretches_[stretch].offset + (i - stretches_[stretch].from)];
    // Served again as the run served it.
    const auto& r = runs_[run];
    return server_.serve(i, r.desired, {r.ready, r.booting, r.draining}, backlog);
}

} // namespace headroom::whatif
