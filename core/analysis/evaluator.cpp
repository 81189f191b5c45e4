#include "analysis/evaluator.h"

#include <algorithm>
#include <boost/math/tools/toms748_solve.hpp>
#include <cmath>
#include <cstddef>

namespace headroom::analysis {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// The smallest i in [lowest, highest] where `holds(i)`, for a predicate false up to some i and
/// true from there on; nothing when it holds nowhere. Found from `guess` by galloping away from
/// it (1, 2, 4, ... steps) and halving: about twice log2 of the distance in evaluations, where a
/// walk took the distance. `highestFirst`: when the guess fails, ask `highest` before galloping
/// up (for a predicate that often holds nowhere).
template <class Holds>
std::optional<int> firstHolding(int guess, int lowest, int highest, Holds&& holds,
                                bool highestFirst = false) {
    guess = std::clamp(guess, lowest, highest);
    int low = lowest, high = highest; // !holds(low), holds(high)
    if (holds(guess)) {
        high = guess;
        for (int step = 1;; step *= 2) {
            if (high == lowest)
                return lowest;
            low = std::max(lowest, high - step);
            if (!holds(low))
                break;
            high = low;
        }
    } else {
        if (guess == highest || (highestFirst && !holds(highest)))
            return std::nullopt;
        low = guess;
        for (int step = 1;; step *= 2) {
            high = std::min(highest, low + step);
            if (holds(high))
                break;
            if (high == highest)
                return std::nullopt;
            low = high;
        }
    }
    while (high - low > 1) {
        const int mid = low + (high - low) / 2;
        (holds(mid) ? high : low) = mid;
    }
    return high;
}

/// The polynomial through (xs[i], ys[i]), i < n, at x (Lagrange's form).
double lagrange(const double* xs, const double* ys, int n, double x) {
    double sum = 0;
    for (int i = 0; i < n; ++i) {
        double weight = 1;
        for (int j = 0; j < n; ++j)
            if (j != i)
                weight *= (x - xs[j]) / (xs[i] - xs[j]);
        sum += weight * ys[i];
    }
    return sum;
}

/// The multiplier below `pole` (a callee's saturation) at which the utilisation reaches
/// `threshold`, from `low` (utilisation uLow below it). Near the pole the callee's response,
/// and with it the time the caller's workers are held, grows as 1/(pole - k): the utilisation
/// is close to a + b x in x = 1/(pole - k), and a secant in x closes in on the answer in about
/// eight steps, where a search in k, with the utilisation flat until within 10^-5 of the pole
/// and infinite past it, took ten to forty. Bracketed: a step outside the bracket halves it in
/// x instead. Nothing when an evaluation fails (the caller then searches in k).
template <class UtilisationAt>
std::optional<double> solveBelowPole(const UtilisationAt& utilisationAt, double low, double uLow,
                                     double pole, double threshold) {
    double a = low, b = pole; // u(a) < threshold <= u(b)
    double x1 = 1 / (pole - low), u1 = uLow;
    double x0 = std::numeric_limits<double>::quiet_NaN(), u0 = x0;
    for (int i = 0; i < 100 && b - a > 1e-9 * b; ++i) {
        double x = std::isnan(x0) ? x1 * threshold / u1 // all of it from the pole
                                  : x1 + (threshold - u1) * (x1 - x0) / (u1 - u0);
        double k = pole - 1 / x;
        const double margin = 0.25e-9 * b;
        if (k > a - margin && k <= a + margin) {
            k = a + 2 * margin; // converged from below: one step past closes the bracket
        } else if (k >= b - margin && k < b + margin) {
            k = b - 2 * margin;
        } else if (!(k > a && k < b)) {
            const double xa = 1 / (pole - a);
            const double xb = b < pole ? 1 / (pole - b) : 4 * xa;
            k = pole - 2 / (xa + xb);
        }
        k = std::clamp(k, a + margin, b - margin);
        const double u = utilisationAt(k);
        if (std::isnan(u))
            return std::nullopt;
        (u < threshold ? a : b) = k;
        if (std::isfinite(u)) {
            x0 = x1;
            u0 = u1;
            x1 = 1 / (pole - k);
            u1 = u;
        }
    }
    return (a + b) / 2;
}

} // namespace

Evaluator::Evaluator(const Project& project, const Topology& topology, const TrafficResult& unit,
                     const AnalysisOptions& options, std::vector<StationParameters> parameters)
    : project_(project), topology_(topology), unit_(unit), options_(options),
      shared_(std::make_shared<Shared>(project.components.size())) {
    const auto& components = project.components;
    const std::size_t n = components.size();
    auto fixed = std::make_shared<Fixed>();
    // The grid's multipliers, worked out once (each interpolation reads three of them).
    fixed->gridKs.resize(2 * kGridReach + 6);
    for (std::size_t i = 0; i < fixed->gridKs.size(); ++i)
        fixed->gridKs[i] =
            options_.loadMultiplier *
            std::exp2(static_cast<double>(static_cast<int>(i) - kGridReach - 2) / kPerOctave);
    double clientRate = 0;
    for (const auto& c : components)
        if (c.kind == ComponentKind::Client) {
            fixed->meanThinkTime += c.number("arrival_rate_rps") * c.number("think_time_s");
            clientRate += c.number("arrival_rate_rps");
        }
    if (clientRate > 0)
        fixed->meanThinkTime /= clientRate;
    std::vector<std::optional<std::size_t>> feeder(n); // balancer in front
    for (std::size_t l = 0; l < project.links.size(); ++l)
        if (topology.from[l] && topology.to[l] && !topology.closesCycle[l] &&
            components[*topology.from[l]].kind == ComponentKind::LoadBalancer &&
            !feeder[*topology.to[l]])
            feeder[*topology.to[l]] = *topology.from[l];
    // What every evaluation reads, resolved once: the searches evaluate each station
    // hundreds of times, and looking properties up by name cost more than the formulas.
    fixed->parameters = std::move(parameters);
    const bool read = fixed->parameters.empty();
    fixed->parameters.reserve(n);
    fixed->balancing.resize(n, Balancing::RoundRobin);
    fixed->callStart.reserve(n + 1);
    fixed->poolStart.reserve(n + 1);
    std::vector<std::size_t> databases;
    for (std::size_t v = 0; v < n; ++v) {
        if (read)
            fixed->parameters.push_back(stationParameters(components[v]));
        if (components[v].kind == ComponentKind::WorkerGroup) {
            fixed->balancing[v] = Balancing::LeastConnections; // consumers pull: one pooled queue
        } else if (const auto lb = feeder[v]) {
            const auto key = components[*lb].value("algorithm");
            if (const auto* text = std::get_if<std::string>(&key))
                fixed->balancing[v] = balancingFromKey(*text).value_or(Balancing::RoundRobin);
        }
        const bool holdsConnections = components[v].kind == ComponentKind::Service ||
                                      components[v].kind == ComponentKind::WorkerGroup;
        const std::size_t first = fixed->calls.size();
        fixed->callStart.push_back(static_cast<std::uint32_t>(first));
        fixed->poolStart.push_back(static_cast<std::uint32_t>(fixed->pools.size()));
        for (const auto l : topology.outLinks[v]) {
            if (!synchronous(l))
                continue;
            const auto to = *topology.to[l];
            const auto kind = components[to].kind;
            // A queueing callee's response varies about as much as an exponential one
            // (variance = mean squared); a stated fixed latency does not vary.
            const bool fixedLatency = kind == ComponentKind::ExternalApi ||
                                      kind == ComponentKind::ObjectStorage ||
                                      kind == ComponentKind::Queue;
            const bool database = holdsConnections && (kind == ComponentKind::DatabasePrimary ||
                                                       kind == ComponentKind::ReadReplicas);
            fixed->calls.push_back(
                {to, unit.links[l].perCallerRequest, fixedLatency, database ? int(to) : -1});
        }
        const auto calls = std::span(fixed->calls).subspan(first);
        // The databases called, in the project's order; each call then points at its pool.
        databases.clear();
        for (const auto& call : calls)
            if (call.pool >= 0)
                databases.push_back(static_cast<std::size_t>(call.pool));
        std::sort(databases.begin(), databases.end());
        databases.erase(std::unique(databases.begin(), databases.end()), databases.end());
        for (const auto db : databases)
            fixed->pools.push_back({components[db].id, 0, poolSize(db)});
        for (auto& call : calls)
            if (call.pool >= 0)
                call.pool = static_cast<int>(std::lower_bound(databases.begin(), databases.end(),
                                                              static_cast<std::size_t>(call.pool)) -
                                             databases.begin());
    }
    fixed->callStart.push_back(static_cast<std::uint32_t>(fixed->calls.size()));
    fixed->poolStart.push_back(static_cast<std::uint32_t>(fixed->pools.size()));
    fixed_ = std::move(fixed);
    pools_ = fixed_->pools;
    points_.resize(n);
    stamp_.assign(n, 0);
    refined_.resize(n);
    refinedStamp_.assign(n, 0);
}

Evaluator Evaluator::sibling() const {
    return Evaluator(*this, SiblingOf{});
}

Evaluator::Evaluator(const Evaluator& from, SiblingOf)
    : project_(from.project_), topology_(from.topology_), unit_(from.unit_),
      options_(from.options_), fixed_(from.fixed_), pools_(from.fixed_->pools),
      points_(from.points_.size()), stamp_(from.points_.size(), 0), shared_(from.shared_),
      refined_(from.points_.size()), refinedStamp_(from.points_.size(), 0),
      alwaysDetailed_(from.alwaysDetailed_), baseline_(from.baseline_) {}

bool Evaluator::synchronous(std::size_t l) const {
    return synchronousLink(project_, topology_, l);
}

bool Evaluator::nested(std::size_t v) const {
    const auto kind = project_.components[v].kind;
    if (kind == ComponentKind::Service || kind == ComponentKind::WorkerGroup)
        return true; // waiting for cores stretches the time a worker is held
    for (const auto l : topology_.outLinks[v])
        if (synchronous(l))
            return true;
    return false;
}

template <class ResponseOf>
StationInput Evaluator::inputWith(std::size_t v, double k, ResponseOf&& responseOf,
                                  std::optional<int> replicas) {
    StationInput in;
    const auto& unit = unit_.components[v];
    in.traffic = {unit.reads * k, unit.writes * k, unit.calls * k, unit.staticRate * k};
    in.percentile = options_.percentile;
    in.replicas = replicas;
    in.detailed = alwaysDetailed_;
    in.named = false; // bindingAt and shown name theirs
    // The pools' connection times are summed in place, in v's own pools (one per database
    // called, in the project's order), not in a copy per evaluation: the callees evaluated in
    // the loop never reach v (no cycles), and the input is used before v is evaluated again.
    const auto pools = std::span(pools_).subspan(fixed_->poolStart[v],
                                                 fixed_->poolStart[v + 1] - fixed_->poolStart[v]);
    for (auto& pool : pools)
        pool.secondsPerRequest = 0;
    in.connections = pools;
    for (const auto& call : callsOf(v)) {
        const double response = responseOf(call.to);
        if (call.share > 0) {
            in.downstreamSeconds += call.share * response;
            if (!call.fixed)
                in.downstreamVariance += call.share * response * response;
        }
        if (call.pool >= 0) // holds a connection of that database's pool meanwhile
            pools[static_cast<std::size_t>(call.pool)].secondsPerRequest +=
                call.share > 0 ? call.share * response : 0;
    }
    in.balancing = fixed_->balancing[v];
    if (in.balancing == Balancing::Hash)
        in.imbalance = hashImbalance(v, in.traffic.total(), replicas);
    return in;
}

StationInput Evaluator::inputAt(std::size_t v, double k, std::optional<int> replicas) {
    return inputWith(
        v, k, [&](std::size_t u) { return point(u, k).meanResponse; }, replicas);
}

StationPoint Evaluator::point(std::size_t v, double k) {
    if (baseline_ && k == options_.loadMultiplier)
        return (*baseline_)[v];
    if (k != k_) {
        k_ = k;
        ++generation_;
    }
    if (stamp_[v] != generation_) {
        stamp_[v] = generation_; // a cycle's links are skipped, so no re-entry
        points_[v] = evaluatePoint(parametersOf(v), inputAt(v, k));
    }
    return points_[v];
}

StationFigures Evaluator::at(std::size_t v, double k) {
    return evaluateStation(parametersOf(v), inputAt(v, k));
}

StationFigures Evaluator::shown(std::size_t v) {
    auto in = inputAt(v, options_.loadMultiplier);
    in.detailed = true;
    return evaluateStation(parametersOf(v), in);
}

std::optional<double> Evaluator::solve(std::size_t v, double threshold) {
    const double k0 = options_.loadMultiplier;
    const auto p0 = point(v, k0);
    const double u0 = p0.utilisation;
    if (!p0.limited || unit_.components[v].total() <= 0)
        return std::nullopt;
    if (u0 <= 0)
        return std::nullopt;
    if (!nested(v) && std::isfinite(u0))
        return k0 * threshold / u0; // every resource is proportional to the load
    if (!options_.exactSearches)
        if (const auto k = threshold == 1 ? saturationOnGrid(v) : solveOnGrid(v, threshold))
            return *k;
    return solveExactly(v, threshold);
}

std::string Evaluator::bindingAt(std::size_t v, double k) {
    // The searches' evaluations carry no names: this one is made again, named.
    auto in =
        options_.exactSearches
            ? inputAt(v, k)
            : inputWith(v, k, [&, a = intervalOf(k)](std::size_t u) { return between(u, a, k); });
    in.detailed = false;
    in.named = true;
    const auto f = evaluateStation(parametersOf(v), in);
    const auto* b = f.binding();
    return b ? b->name : std::string();
}

double Evaluator::gridK(int j) const {
    const auto i = static_cast<std::size_t>(j + kGridReach + 2);
    if (i < fixed_->gridKs.size())
        return fixed_->gridKs[i];
    return options_.loadMultiplier * std::exp2(static_cast<double>(j) / kPerOctave);
}

Evaluator::GridPoint Evaluator::grid(std::size_t v, int j) {
    if (const auto p = shared_->point(v, j))
        return *p;
    GridPoint p;
    if (j == 0 && baseline_) {
        const auto& f = (*baseline_)[v];
        p = {f.meanResponse, f.utilisation};
    } else {
        const auto s = evaluatePoint(parametersOf(v), inputWith(v, gridK(j), [&](std::size_t u) {
                                         return grid(u, j).response;
                                     }));
        p = {s.meanResponse, s.utilisation};
    }
    shared_->store(v, j, p);
    return p;
}

double Evaluator::between(std::size_t u, int a, double k) {
    const auto lo = grid(u, a), hi = grid(u, a + 1);
    if (!std::isfinite(lo.response))
        return kInfinity;
    if (lo.response == hi.response)
        return lo.response;
    if (!(lo.response > 0) || !(hi.response <= kSteep * lo.response))
        return lo.response > 0 && hi.response <= kFineSteep * lo.response ? fineResponse(u, a, k)
               : lo.response > 0 && !std::isfinite(hi.response)           ? poleResponse(u, a, k)
                                                                : refinedResponse(u, a, k);
    // 1/R by the cubic through the four grid points around k (at x = -1/r, 0, 1 and 1 + r
    // in units of the interval, r the grid's ratio), else linearly between the two: when
    // a point is missing or saturated, or the response climbs more than 25% over the next
    // interval (towards a pole, where the cubic would swing below R(a)). The linear
    // fallback alone, at 2%, doubled the error (docs/methodology.md section 9).
    const double x = (k - gridK(a)) / (gridK(a + 1) - gridK(a));
    const auto before = grid(u, a - 1), after = grid(u, a + 2);
    if (!(before.response > 0) || !(after.response <= 1.25 * hi.response))
        return 1 / ((1 - x) / lo.response + x / hi.response);
    const double r = std::exp2(1.0 / kPerOctave);
    const double x0 = -1 / r, x3 = 1 + r; // x1 = 0, x2 = 1
    const double l0 = x * (x - 1) * (x - x3) / (x0 * (x0 - 1) * (x0 - x3));
    const double l1 = (x - x0) * (x - 1) * (x - x3) / (-x0 * -1 * -x3);
    const double l2 = (x - x0) * x * (x - x3) / ((1 - x0) * (1 - x3));
    const double l3 = (x - x0) * x * (x - 1) / ((x3 - x0) * x3 * (x3 - 1));
    return 1 / (l0 / before.response + l1 / lo.response + l2 / hi.response + l3 / after.response);
}

Evaluator::GridPoint Evaluator::fine(std::size_t v, int f) {
    const int a = f >= 0 ? f / kFine : -((-f + kFine - 1) / kFine); // floor
    if (f == a * kFine)
        return grid(v, a);
    if (const auto p = shared_->finePoint(v, f))
        return *p;
    const double k =
        options_.loadMultiplier * std::exp2(static_cast<double>(f) / (kPerOctave * kFine));
    const auto near = nearPoint(v, a, k);
    const GridPoint p{near.meanResponse, near.utilisation};
    shared_->storeFine(v, f, p);
    return p;
}

double Evaluator::fineResponse(std::size_t u, int a, double k) {
    const double x =
        std::clamp(std::log2(k / options_.loadMultiplier) * (kPerOctave * kFine) - a * kFine, 0.0,
                   static_cast<double>(kFine));
    const int m = std::min(static_cast<int>(x), kFine - 1);
    const double w = x - m;
    const auto lo = fine(u, a * kFine + m);
    if (w == 0 || !std::isfinite(lo.response) || !(lo.response > 0))
        return lo.response;
    const int f = a * kFine + m;
    const auto hi = fine(u, f + 1);
    if (!std::isfinite(hi.response))
        return refinedResponse(u, a, k);
    // 1/R by the cubic through the four fine points around k (Lagrange, at their
    // multipliers), else linearly between the two.
    const auto before = fine(u, f - 1), after = fine(u, f + 2);
    if (!(before.response > 0) || !std::isfinite(after.response) || !(after.response > 0))
        return 1 / ((1 - w) / lo.response + w / hi.response);
    const auto kOf = [&](int g) {
        return options_.loadMultiplier * std::exp2(static_cast<double>(g) / (kPerOctave * kFine));
    };
    const double ks[4] = {kOf(f - 1), kOf(f), kOf(f + 1), kOf(f + 2)};
    const double ys[4] = {1 / before.response, 1 / lo.response, 1 / hi.response,
                          1 / after.response};
    const double inverse = lagrange(ks, ys, 4, k);
    return inverse > 0 ? 1 / inverse : 1 / ((1 - w) / lo.response + w / hi.response);
}

double Evaluator::poleResponse(std::size_t u, int a, double k) {
    const auto pole = saturationOnGrid(u);
    if (!pole || !(*pole > gridK(a)) || !(*pole <= gridK(a + 1)))
        return refinedResponse(u, a, k);
    if (k >= *pole)
        return kInfinity;
    // Points at distances s_m = s0 2^(-m/4) below the pole, down to 2^-20 s0, each worked out
    // once and shared; 1/R, which falls to 0 at the pole about as s does, by the cubic in s
    // through the four points around s, and in proportion to s below the last.
    const double s0 = *pole - gridK(a), s = *pole - k;
    const auto distance = [&](int m) { return s0 * std::exp2(-kPoleStep * m); };
    const auto inverseAt = [&](int m) {
        if (m <= 0)
            return 1 / grid(u, a).response;
        const auto r = shared_->polePoint(u, m);
        if (r)
            return 1 / *r;
        const double response = nearPoint(u, a, *pole - distance(m)).meanResponse;
        shared_->storePole(u, m, response);
        return 1 / response;
    };
    const double x = std::max(0.0, -std::log2(s / s0) / kPoleStep);
    const int m = static_cast<int>(x);
    if (m >= kPoleSteps)
        return 1 / (inverseAt(kPoleSteps) * s / distance(kPoleSteps));
    double ss[4], ys[4];
    int n = 0;
    for (int i = std::max(0, m - 1); i <= std::min(kPoleSteps, m + 2); ++i) {
        ss[n] = distance(i);
        ys[n] = inverseAt(i);
        ++n;
    }
    const double inverse = lagrange(ss, ys, n, s);
    return inverse > 0 ? 1 / inverse : refinedResponse(u, a, k);
}

double Evaluator::refinedResponse(std::size_t u, int a, double k) {
    if (k != refinedK_) {
        refinedK_ = k;
        ++refinedGeneration_;
    }
    if (refinedStamp_[u] != refinedGeneration_) {
        refinedStamp_[u] = refinedGeneration_;
        refined_[u] = nearPoint(u, a, k).meanResponse;
    }
    return refined_[u];
}

StationPoint Evaluator::nearPoint(std::size_t v, int a, double k) {
    return evaluatePoint(parametersOf(v),
                         inputWith(v, k, [&](std::size_t u) { return between(u, a, k); }));
}

int Evaluator::intervalOf(double k) const {
    int a = static_cast<int>(std::floor(std::log2(k / options_.loadMultiplier) * kPerOctave));
    while (gridK(a) > k)
        --a;
    while (gridK(a + 1) < k)
        ++a;
    return a;
}

std::optional<double> Evaluator::solveOnGrid(std::size_t v, double threshold) {
    // The walk starts at the grid point the proportional guess falls in, not at the analysed
    // load: utilisation grows about as fast as load until close to saturation, so the
    // threshold lies within a step or two of it, and a lightly loaded component is not
    // evaluated (nor its callees) at the dozens of points on the way (methodology section 4).
    int j = 0;
    if (const double u0 = grid(v, 0).utilisation; u0 > 0 && std::isfinite(u0))
        j = static_cast<int>(std::clamp(std::floor(kPerOctave * std::log2(threshold / u0)),
                                        double{-kGridReach}, double{kGridReach}));
    // The two points around the threshold: galloping from the guess, then halving
    // (firstHolding). Utilisation grows with the load, so these are the two a walk point by
    // point finds; a nested component's guess overshoots by 20-odd points (three octaves),
    // and a walk evaluated each of them, its callees there too.
    const auto reached = firstHolding(j, -kGridReach, kGridReach,
                                      [&](int i) { return !(grid(v, i).utilisation < threshold); });
    if (!reached || *reached == -kGridReach)
        return std::nullopt;
    j = *reached - 1;
    const auto g = [&](double u) { return 1 / threshold - (std::isfinite(u) ? 1 / u : 0.0); };
    const double low = gridK(j), high = gridK(j + 1);
    const double gLow = g(grid(v, j).utilisation), gHigh = g(grid(v, j + 1).utilisation);
    if (!std::isfinite(gLow) || !(gLow < 0) || !(gHigh >= 0))
        return std::nullopt; // a utilisation of 0 below: the exact search halves
    if (!std::isfinite(grid(v, j + 1).utilisation))
        if (const auto pole = poleBetween(v, j)) {
            const auto utilisationAt = [&](double k) { return nearPoint(v, j, k).utilisation; };
            if (const auto k =
                    solveBelowPole(utilisationAt, low, grid(v, j).utilisation, *pole, threshold))
                return k;
        }
    const auto f = [&](double k) { return g(nearPoint(v, j, k).utilisation); };
    const auto close = [](double a, double b) { return b - a <= 1e-9 * b; };
    std::uintmax_t iterations = 100;
    const auto [a, b] =
        boost::math::tools::toms748_solve(f, low, high, gLow, gHigh, close, iterations);
    return (a + b) / 2;
}

std::optional<double> Evaluator::saturationOnGrid(std::size_t v) {
    auto& memo = shared_->saturation(v);
    double k = memo.load(std::memory_order_relaxed);
    if (std::isnan(k)) {
        const auto solved = solveOnGrid(v, 1.0);
        k = solved ? *solved : -1;
        memo.store(k, std::memory_order_relaxed);
    }
    return k >= 0 ? std::optional(k) : std::nullopt;
}

std::optional<double> Evaluator::poleBetween(std::size_t v, int a) {
    std::optional<double> pole;
    const double low = gridK(a), high = gridK(a + 1);
    for (const auto& call : callsOf(v)) {
        if (call.fixed || !(call.share > 0) || !std::isfinite(grid(call.to, a).response) ||
            std::isfinite(grid(call.to, a + 1).response))
            continue;
        if (const auto k = saturationOnGrid(call.to); k && *k > low && *k < high)
            pole = pole ? std::min(*pole, *k) : *k;
    }
    return pole;
}

std::optional<double> Evaluator::solveExactly(std::size_t v, double threshold) {
    const double k0 = options_.loadMultiplier;
    const double u0 = point(v, k0).utilisation;
    // Start from the proportional guess; where utilisation grows faster than load (workers
    // waiting for slowing callees) it lies beyond the answer, and where it grows slower
    // (hashing smooths out as sessions multiply) the doubling below moves past it.
    double low = 0, high = k0;
    double uLow = 0, uHigh = u0;
    if (u0 < threshold) {
        low = k0;
        uLow = u0;
        high = low * threshold / uLow;
        if (!std::isfinite(high))
            return std::nullopt;
        uHigh = point(v, high).utilisation;
        for (int i = 0; i < 60 && uHigh < threshold; ++i) {
            low = high;
            uLow = uHigh;
            high *= 2;
            uHigh = point(v, high).utilisation;
        }
        if (!(uHigh >= threshold) || !std::isfinite(high))
            return std::nullopt; // never gets there
    } else {
        // Already past it: bracket from below too (at 0 the function below is -infinite).
        // The proportional guess lies under the answer where utilisation grows at least as
        // fast as load, and halving goes under it where it does not.
        low = std::isfinite(u0) ? k0 * threshold / u0 : k0 / 2;
        uLow = point(v, low).utilisation;
        for (int i = 0; i < 60 && !(uLow < threshold); ++i) {
            high = low;
            uHigh = uLow;
            low /= 2;
            uLow = point(v, low).utilisation;
        }
        if (!(uLow < threshold))
            return std::nullopt;
    }
    // TOMS 748 (Alefeld, Potra and Shi, ACM TOMS 21(3), 1995; Boost.Math's
    // toms748_solve) on g = 1/threshold - 1/u rather than on u: past a callee's
    // saturation u is infinite, and near it u grows like 1/(pole - k), which the
    // reciprocal turns into a finite, nearly straight line. It keeps a bracket and closes
    // it to seven digits in a handful of evaluations; the Illinois regula falsi it
    // replaced took 10 on average and up to 50 here, waiting for the far end to move.
    const auto g = [&](double u) { return 1 / threshold - (std::isfinite(u) ? 1 / u : 0.0); };
    const auto f = [&](double k) { return g(point(v, k).utilisation); };
    const double gLow = g(uLow), gHigh = g(uHigh);
    const auto close = [](double a, double b) { return b - a <= 1e-7 * b; };
    if (std::isfinite(gLow) && gLow < 0 && gHigh >= 0) {
        std::uintmax_t iterations = 100;
        const auto [a, b] =
            boost::math::tools::toms748_solve(f, low, high, gLow, gHigh, close, iterations);
        return (a + b) / 2;
    }
    for (int i = 0; i < 200 && !close(low, high); ++i) // a utilisation of 0 below: halve
        (f((low + high) / 2) < 0 ? low : high) = (low + high) / 2;
    return (low + high) / 2;
}

std::optional<int> Evaluator::replicasNeeded(std::size_t v, std::optional<double> saturation) {
    const double k0 = options_.loadMultiplier;
    const auto meets = [&](int n) {
        auto in = inputAt(v, k0, n);
        if (!options_.latencyObjective) // the utilisation alone
            return evaluatePoint(parametersOf(v), in).utilisation <= options_.utilisationTarget;
        in.detailed = true;
        const auto f = evaluateStation(parametersOf(v), in);
        if (!(f.utilisation() <= options_.utilisationTarget))
            return false;
        if (!options_.latencyObjective)
            return true;
        return f.percentileResponse && *f.percentileResponse <= *options_.latencyObjective;
    };
    // The search starts at the count that scales the utilisation to the target (the
    // utilisation goes about as 1/count; past saturation, as the load over the saturating
    // load), and gallops from there to the two counts around the answer: two or three
    // evaluations where doubling from 1 took about ten. The count meeting the target is the
    // fewest either way (more replicas never raise the utilisation or the response).
    constexpr int kMost = 1 << 16;
    double u0 = point(v, k0).utilisation;
    if (!std::isfinite(u0) && saturation && *saturation > 0)
        u0 = k0 / *saturation;
    const double n0 = std::floor(parametersOf(v).replicas);
    int guess = 1;
    if (n0 >= 1 && u0 > 0 && std::isfinite(u0) && options_.utilisationTarget > 0)
        guess = static_cast<int>(
            std::clamp(std::ceil(n0 * u0 / options_.utilisationTarget), 1.0, double{kMost}));
    // When the guess fails, the most is asked first: when it fails too, no count meets the
    // target (the objective is below what one request takes, a callee is saturated, or the
    // load is beyond any tier), and galloping up took 16 evaluations to find that out.
    return firstHolding(guess, 1, kMost, meets, true);
}

int Evaluator::poolSize(std::size_t db) const {
    const auto& c = project_.components[db];
    if (c.kind == ComponentKind::DatabasePrimary)
        return static_cast<int>(c.number("pool_per_instance"));
    // Replicas take the pool size of the primary that feeds them.
    for (const auto l : topology_.inLinks[db])
        if (project_.components[*topology_.from[l]].kind == ComponentKind::DatabasePrimary)
            return static_cast<int>(
                project_.components[*topology_.from[l]].number("pool_per_instance"));
    return 10;
}

double Evaluator::hashImbalance(std::size_t v, double rate, std::optional<int> replicas) const {
    const double n = std::max(1.0, replicas ? *replicas : parametersOf(v).replicas);
    const double sessions = rate * fixed_->meanThinkTime;
    if (n < 2 || sessions <= 0)
        return 0;
    // With few sessions per clone the approximation overshoots: no clone can hold more
    // than all of them.
    return std::min(std::sqrt(2 * n * std::log(n) / sessions), n - 1);
}

} // namespace headroom::analysis
