#include "analysis/analysis.h"

#include <algorithm>
#include <boost/math/tools/toms748_solve.hpp>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <thread>

namespace headroom::analysis {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// Evaluates components at a load multiplier, each once per multiplier, callees first: a
/// component's response needs its synchronous callees' responses at the same load.
class Evaluator {
  public:
    Evaluator(const Project& project, const Topology& topology, const TrafficResult& unit,
              const AnalysisOptions& options)
        : project_(project), topology_(topology), unit_(unit), options_(options),
          figures_(project.components.size()), stamp_(project.components.size(), 0),
          up_(project.components.size()), down_(project.components.size()),
          refined_(project.components.size()), refinedStamp_(project.components.size(), 0) {
        const auto& components = project.components;
        meanThinkTime_ = 0;
        double clientRate = 0;
        for (const auto& c : components)
            if (c.kind == ComponentKind::Client) {
                meanThinkTime_ += c.number("arrival_rate_rps") * c.number("think_time_s");
                clientRate += c.number("arrival_rate_rps");
            }
        if (clientRate > 0)
            meanThinkTime_ /= clientRate;
        std::vector<std::optional<std::size_t>> feeder(components.size()); // balancer in front
        for (std::size_t l = 0; l < project.links.size(); ++l)
            if (topology.from[l] && topology.to[l] && !topology.closesCycle[l] &&
                components[*topology.from[l]].kind == ComponentKind::LoadBalancer &&
                !feeder[*topology.to[l]])
                feeder[*topology.to[l]] = *topology.from[l];
        // What every evaluation reads, resolved once: the searches evaluate each station
        // hundreds of times, and looking properties up by name cost more than the formulas.
        parameters_.reserve(components.size());
        balancing_.resize(components.size(), Balancing::RoundRobin);
        calls_.resize(components.size());
        pools_.resize(components.size());
        for (std::size_t v = 0; v < components.size(); ++v) {
            parameters_.push_back(stationParameters(components[v]));
            if (components[v].kind == ComponentKind::WorkerGroup) {
                balancing_[v] = Balancing::LeastConnections; // consumers pull: one pooled queue
            } else if (const auto lb = feeder[v]) {
                const auto key = components[*lb].value("algorithm");
                if (const auto* text = std::get_if<std::string>(&key))
                    balancing_[v] = balancingFromKey(*text).value_or(Balancing::RoundRobin);
            }
            const bool holdsConnections = components[v].kind == ComponentKind::Service ||
                                          components[v].kind == ComponentKind::WorkerGroup;
            for (const auto l : topology.outLinks[v]) {
                if (!synchronous(l))
                    continue;
                const auto to = *topology.to[l];
                const auto kind = components[to].kind;
                // A queueing callee's response varies about as much as an exponential one
                // (variance = mean squared); a stated fixed latency does not vary.
                const bool fixed = kind == ComponentKind::ExternalApi ||
                                   kind == ComponentKind::ObjectStorage ||
                                   kind == ComponentKind::Queue;
                const bool database = holdsConnections && (kind == ComponentKind::DatabasePrimary ||
                                                           kind == ComponentKind::ReadReplicas);
                calls_[v].push_back(
                    {to, unit.links[l].perCallerRequest, fixed, database ? int(to) : -1});
            }
            // The databases called, in the project's order; each call then points at its pool.
            std::vector<std::size_t> databases;
            for (const auto& call : calls_[v])
                if (call.pool >= 0)
                    databases.push_back(static_cast<std::size_t>(call.pool));
            std::sort(databases.begin(), databases.end());
            databases.erase(std::unique(databases.begin(), databases.end()), databases.end());
            pools_[v].reserve(databases.size());
            for (const auto db : databases)
                pools_[v].push_back({components[db].id, 0, poolSize(db)});
            for (auto& call : calls_[v])
                if (call.pool >= 0)
                    call.pool =
                        static_cast<int>(std::lower_bound(databases.begin(), databases.end(),
                                                          static_cast<std::size_t>(call.pool)) -
                                         databases.begin());
        }
    }

    /// Whether a link is on the caller's synchronous path: not async, not in a cycle, not a
    /// primary's replication to its replicas (asynchronous for read replicas).
    [[nodiscard]] bool synchronous(std::size_t l) const {
        return synchronousLink(project_, topology_, l);
    }

    /// Whether the component's utilisation grows faster than its load (its workers wait for
    /// callees whose responses grow with load), so saturation needs solving, not dividing.
    [[nodiscard]] bool nested(std::size_t v) const {
        const auto kind = project_.components[v].kind;
        if (kind == ComponentKind::Service || kind == ComponentKind::WorkerGroup)
            return true; // waiting for cores stretches the time a worker is held
        for (const auto l : topology_.outLinks[v])
            if (synchronous(l))
                return true;
        return false;
    }

    /// Component v's station input at multiplier k, each synchronous callee u's mean response
    /// (infinite when saturated) from `responseOf(u)`.
    template <class ResponseOf>
    StationInput inputWith(std::size_t v, double k, ResponseOf&& responseOf,
                           std::optional<int> replicas = std::nullopt) {
        StationInput in;
        const auto& unit = unit_.components[v];
        in.traffic = {unit.reads * k, unit.writes * k, unit.calls * k, unit.staticRate * k};
        in.percentile = options_.percentile;
        in.replicas = replicas;
        in.detailed = alwaysDetailed_;
        in.connections = pools_[v]; // one per database called, in the project's order
        for (const auto& call : calls_[v]) {
            const double response = responseOf(call.to);
            if (call.share > 0) {
                in.downstreamSeconds += call.share * response;
                if (!call.fixed)
                    in.downstreamVariance += call.share * response * response;
            }
            if (call.pool >= 0) // holds a connection of that database's pool meanwhile
                in.connections[static_cast<std::size_t>(call.pool)].secondsPerRequest +=
                    call.share > 0 ? call.share * response : 0;
        }
        in.balancing = balancing_[v];
        if (in.balancing == Balancing::Hash)
            in.imbalance = hashImbalance(v, in.traffic.total(), replicas);
        return in;
    }

    /// Component v's station input at multiplier k, its callees evaluated there (exactly).
    StationInput inputAt(std::size_t v, double k, std::optional<int> replicas = std::nullopt) {
        return inputWith(
            v, k, [&](std::size_t u) { return at(u, k).meanResponse.value_or(kInfinity); },
            replicas);
    }

    /// The figures of component v at multiplier k (memoised until the multiplier changes; at
    /// the analysed load, from the shared baseline once there is one).
    const StationFigures& at(std::size_t v, double k) {
        if (baseline_ && k == options_.loadMultiplier)
            return (*baseline_)[v];
        if (k != k_) {
            k_ = k;
            ++generation_;
        }
        if (stamp_[v] != generation_) {
            stamp_[v] = generation_; // a cycle's links are skipped, so no re-entry
            figures_[v] = evaluateStation(parameters_[v], inputAt(v, k));
        }
        return figures_[v];
    }

    /// Component v at the analysed load with everything shown (percentiles, the model in
    /// words, notes), its callees' responses from the baseline.
    StationFigures shown(std::size_t v) {
        auto in = inputAt(v, options_.loadMultiplier);
        in.detailed = true;
        return evaluateStation(parameters_[v], in);
    }

    /// The multiplier at which v's busiest resource reaches `threshold`: proportional where
    /// no callee or core wait bends the utilisation, else searched on the grid below (or,
    /// with `exactSearches`, or beyond the grid's reach, with every callee evaluated at
    /// every step).
    std::optional<double> solve(std::size_t v, double threshold) {
        const double k0 = options_.loadMultiplier;
        const double u0 = at(v, k0).utilisation();
        if (at(v, k0).resources.empty() || unit_.components[v].total() <= 0)
            return std::nullopt;
        if (u0 <= 0)
            return std::nullopt;
        if (!nested(v) && std::isfinite(u0))
            return k0 * threshold / u0; // every resource is proportional to the load
        if (!options_.exactSearches)
            if (const auto k = solveOnGrid(v, threshold))
                return *k;
        return solveExactly(v, threshold);
    }

    /// The resource of v that is the busiest at multiplier k (its callees evaluated as the
    /// searches evaluate them).
    std::string bindingAt(std::size_t v, double k) {
        const auto f = options_.exactSearches ? at(v, k) : near(v, k);
        const auto* b = f.binding();
        return b ? b->name : std::string();
    }

    // The grid. Every search walks the multipliers k0 x 2^(j/8) from the analysed load k0
    // until its threshold lies between two of them, then solves between those two. At a grid
    // point every component is evaluated exactly, once, callees first, and shared by all the
    // searches that pass there. Between two points a callee's response is interpolated (1/R
    // by a cubic through the four points around: 1/R is linear for a single server, falling
    // to 0 at saturation) unless it grows by more than 2% over the interval or saturates in
    // it; then the callee's own station is evaluated at the multiplier, its callees
    // interpolated in turn, because a pool near saturation magnifies any error in the time
    // its calls take. A search then costs a few station evaluations instead of a few
    // evaluations of everything it calls; the error against exact searches (measured, and
    // checked by Analysis.GridSearchesAgreeWithExactOnes) is in docs/methodology.md section 9.
    static constexpr int kPerOctave = 8;
    static constexpr int kGridReach = 24 * kPerOctave; // 2^24 times up or down
    /// Between two grid points, a callee whose response grows more than this is evaluated,
    /// not interpolated.
    static constexpr double kSteep = 1.02;

    struct GridPoint {
        double response = std::numeric_limits<double>::quiet_NaN(); ///< infinite: saturated
        double utilisation = std::numeric_limits<double>::quiet_NaN();
    };

    [[nodiscard]] double gridK(int j) const {
        return options_.loadMultiplier * std::exp2(static_cast<double>(j) / kPerOctave);
    }

    /// Component v at grid point j, exactly (memoised).
    GridPoint grid(std::size_t v, int j) {
        auto& side = j >= 0 ? up_[v] : down_[v];
        const auto i = static_cast<std::size_t>(j >= 0 ? j : -j - 1);
        if (side.size() <= i)
            side.resize(i + 1);
        if (!std::isnan(side[i].utilisation))
            return side[i];
        GridPoint p;
        const auto& f =
            j == 0 && baseline_
                ? (*baseline_)[v]
                : evaluateStation(parameters_[v], inputWith(v, gridK(j), [&](std::size_t u) {
                                      return grid(u, j).response;
                                  }));
        p = {f.meanResponse.value_or(kInfinity), f.utilisation()};
        side[i] = p; // the recursion grew only the callees' vectors (no cycles): `side` holds
        return p;
    }

    /// Callee u's mean response at multiplier k, between grid points a and a + 1.
    double between(std::size_t u, int a, double k) {
        const auto lo = grid(u, a), hi = grid(u, a + 1);
        if (!std::isfinite(lo.response))
            return kInfinity;
        if (lo.response == hi.response)
            return lo.response;
        if (!(lo.response > 0) || !(hi.response <= kSteep * lo.response))
            return refinedResponse(u, a, k);
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
        return 1 /
               (l0 / before.response + l1 / lo.response + l2 / hi.response + l3 / after.response);
    }

    /// Callee u's own station evaluated at k (its callees interpolated in turn), memoised
    /// until k changes (k fixes the interval a): a callee reached by several paths is
    /// evaluated once.
    double refinedResponse(std::size_t u, int a, double k) {
        if (k != refinedK_) {
            refinedK_ = k;
            ++refinedGeneration_;
        }
        if (refinedStamp_[u] != refinedGeneration_) {
            refinedStamp_[u] = refinedGeneration_;
            refined_[u] = nearFigures(u, a, k).meanResponse.value_or(kInfinity);
        }
        return refined_[u];
    }

    /// Component v's own station at multiplier k between grid points a and a + 1, its callees
    /// interpolated.
    StationFigures nearFigures(std::size_t v, int a, double k) {
        auto in = inputWith(v, k, [&](std::size_t u) { return between(u, a, k); });
        in.detailed = false;
        return evaluateStation(parameters_[v], in);
    }

    /// The grid interval [a, a + 1] holding k.
    [[nodiscard]] int intervalOf(double k) const {
        int a = static_cast<int>(std::floor(std::log2(k / options_.loadMultiplier) * kPerOctave));
        while (gridK(a) > k)
            --a;
        while (gridK(a + 1) < k)
            ++a;
        return a;
    }

    StationFigures near(std::size_t v, double k) { return nearFigures(v, intervalOf(k), k); }

    std::optional<double> solveOnGrid(std::size_t v, double threshold) {
        int j = 0;
        if (grid(v, 0).utilisation < threshold) {
            do
                if (++j > kGridReach)
                    return std::nullopt;
            while (grid(v, j).utilisation < threshold);
            --j;
        } else {
            do
                if (--j < -kGridReach)
                    return std::nullopt;
            while (!(grid(v, j).utilisation < threshold));
        }
        const auto g = [&](double u) { return 1 / threshold - (std::isfinite(u) ? 1 / u : 0.0); };
        const double low = gridK(j), high = gridK(j + 1);
        const double gLow = g(grid(v, j).utilisation), gHigh = g(grid(v, j + 1).utilisation);
        if (!std::isfinite(gLow) || !(gLow < 0) || !(gHigh >= 0))
            return std::nullopt; // a utilisation of 0 below: the exact search halves
        const auto f = [&](double k) { return g(nearFigures(v, j, k).utilisation()); };
        const auto close = [](double a, double b) { return b - a <= 1e-9 * b; };
        std::uintmax_t iterations = 100;
        const auto [a, b] =
            boost::math::tools::toms748_solve(f, low, high, gLow, gHigh, close, iterations);
        return (a + b) / 2;
    }

    /// The search with every callee evaluated at every step.
    std::optional<double> solveExactly(std::size_t v, double threshold) {
        const double k0 = options_.loadMultiplier;
        const double u0 = at(v, k0).utilisation();
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
            uHigh = at(v, high).utilisation();
            for (int i = 0; i < 60 && uHigh < threshold; ++i) {
                low = high;
                uLow = uHigh;
                high *= 2;
                uHigh = at(v, high).utilisation();
            }
            if (!(uHigh >= threshold) || !std::isfinite(high))
                return std::nullopt; // never gets there
        } else {
            // Already past it: bracket from below too (at 0 the function below is -infinite).
            // The proportional guess lies under the answer where utilisation grows at least as
            // fast as load, and halving goes under it where it does not.
            low = std::isfinite(u0) ? k0 * threshold / u0 : k0 / 2;
            uLow = at(v, low).utilisation();
            for (int i = 0; i < 60 && !(uLow < threshold); ++i) {
                high = low;
                uHigh = uLow;
                low /= 2;
                uLow = at(v, low).utilisation();
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
        const auto f = [&](double k) { return g(at(v, k).utilisation()); };
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

    /// Fewest replicas meeting the target (and objective) at the analysed load.
    std::optional<int> replicasNeeded(std::size_t v) {
        const double k0 = options_.loadMultiplier;
        const auto meets = [&](int n) {
            auto in = inputAt(v, k0, n);
            in.detailed = options_.latencyObjective.has_value();
            const auto f = evaluateStation(parameters_[v], in);
            if (!(f.utilisation() <= options_.utilisationTarget))
                return false;
            if (!options_.latencyObjective)
                return true;
            return f.percentileResponse && *f.percentileResponse <= *options_.latencyObjective;
        };
        int high = 1;
        while (!meets(high)) {
            if (high >= (1 << 16))
                return std::nullopt; // no count meets it: the objective is below what one
                                     // request takes, or the load is beyond any tier
            high *= 2;
        }
        int low = high / 2; // fails (or is 0)
        while (high - low > 1) {
            const int mid = low + (high - low) / 2;
            (meets(mid) ? high : low) = mid;
        }
        return high;
    }

  private:
    int poolSize(std::size_t db) const {
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

    /// Sticky routing spreads sessions, not requests: with s sessions active on N clones (s =
    /// rate x think time, Little's law over a session), the busiest clone holds about
    /// s/N + sqrt(2 (s/N) ln N) of them (the maximum load of balls thrown into bins, Raab and
    /// Steger 1998), so its extra share is sqrt(2 N ln N / s).
    double hashImbalance(std::size_t v, double rate, std::optional<int> replicas) const {
        const double n = std::max(1.0, replicas ? *replicas : parameters_[v].replicas);
        const double sessions = rate * meanThinkTime_;
        if (n < 2 || sessions <= 0)
            return 0;
        // With few sessions per clone the approximation overshoots: no clone can hold more
        // than all of them.
        return std::min(std::sqrt(2 * n * std::log(n) / sessions), n - 1);
    }

    const Project& project_;
    const Topology& topology_;
    const TrafficResult& unit_;
    const AnalysisOptions& options_;
    std::vector<StationFigures> figures_;
    std::vector<unsigned> stamp_;
    unsigned generation_ = 0;
    double k_ = std::numeric_limits<double>::quiet_NaN();
    double meanThinkTime_ = 0;
    /// A synchronous call a component makes, with what its evaluation needs of it.
    struct Call {
        std::size_t to;
        double share; ///< calls per request of the caller
        bool fixed;   ///< the callee's latency is stated, not queued: it does not vary
        int pool;     ///< the caller's pool (in pools_) the call holds a connection of, or -1
    };
    std::vector<StationParameters> parameters_;
    std::vector<Balancing> balancing_; ///< of the balancer in front (or the pull of workers)
    std::vector<std::vector<Call>> calls_;
    /// The connection pools a component's workers hold while they query, one per database
    /// it calls (however many links lead there), in the databases' order in the project.
    std::vector<std::vector<ConnectionDemand>> pools_;
    /// The grid's points per component: up_[v][j] at k0 x 2^(j/8), down_[v][j] at
    /// k0 x 2^(-(j+1)/8), filled as searches reach them.
    std::vector<std::vector<GridPoint>> up_, down_;
    /// refinedResponse's memo: the responses evaluated at refinedK_, stamped.
    std::vector<double> refined_;
    std::vector<unsigned> refinedStamp_;
    unsigned refinedGeneration_ = 0;
    double refinedK_ = std::numeric_limits<double>::quiet_NaN();

  public:
    /// Percentiles at every multiplier, not only the analysed one (load curves).
    bool alwaysDetailed_ = false;
    /// Every component's figures at the analysed load, worked out once: each search starts
    /// there, and a search's first step would otherwise redo all its callees (percentiles
    /// included, the costly part).
    const std::vector<StationFigures>* baseline_ = nullptr;
};

} // namespace

std::optional<double> ComponentAnalysis::headroomToTarget(double multiplier) const {
    if (!targetMultiplier || multiplier <= 0)
        return std::nullopt;
    return *targetMultiplier / multiplier - 1;
}

std::optional<double> ComponentAnalysis::headroomToSaturation(double multiplier) const {
    if (!saturationMultiplier || multiplier <= 0)
        return std::nullopt;
    return *saturationMultiplier / multiplier - 1;
}

namespace {

/// The project the engines read: the drawing, or with metrics on, the drawing with the
/// measured values calibration trusts put in (given, or computed into `holder`).
const Project& subject(const Project& drawn, const AnalysisOptions& options,
                       const CalibrationResult* given, CalibrationResult& holder,
                       std::vector<ComponentCalibration>& figures) {
    if (!options.useMetrics || drawn.series.empty())
        return drawn;
    if (!given) {
        holder = calibrateFromMetrics(drawn);
        given = &holder;
    }
    figures = given->components;
    return given->calibrated;
}

/// What every engine entry point starts from: the project it reads (subject above), its graph,
/// and its traffic per unit of load. Holds the calibration it may have made, so it stays put.
struct Prepared {
    CalibrationResult holder;
    std::vector<ComponentCalibration> figures;
    const Project& project;
    Topology topology;
    TrafficResult unit;

    Prepared(const Project& drawn, const AnalysisOptions& options,
             const CalibrationResult* calibrated)
        : project(subject(drawn, options, calibrated, holder, figures)),
          topology(buildTopology(project)), unit(propagateTraffic(project, topology, 1.0)) {}
    Prepared(const Prepared&) = delete;
    Prepared& operator=(const Prepared&) = delete;
};

} // namespace

CalibrationResult calibrateFromMetrics(const Project& drawn) {
    const auto topology = buildTopology(drawn);
    const auto unit = propagateTraffic(drawn, topology, 1.0);
    std::vector<double> rates;
    for (const auto& c : unit.components)
        rates.push_back(c.total());
    return calibrate(drawn, rates);
}

Analysis analyze(const Project& drawn, const AnalysisOptions& options,
                 const CalibrationResult* calibrated) {
    Prepared prepared(drawn, options, calibrated);
    const Project& project = prepared.project;
    const auto& topology = prepared.topology;
    const auto& unit = prepared.unit;
    Analysis out;
    out.options = options;
    const double k0 = options.loadMultiplier;
    out.entryRate = unit.entryRate * k0;
    out.cycles = unit.cycles;
    out.notes = unit.notes;
    out.links = unit.links;
    for (auto& link : out.links)
        link.rate *= k0;

    out.calibration = std::move(prepared.figures);
    Evaluator evaluator(project, topology, unit, out.options);
    const std::size_t n = project.components.size();
    out.components.resize(n);
    for (std::size_t v = 0; v < n; ++v) {
        auto& a = out.components[v];
        a.id = project.components[v].id;
        const auto& t = unit.components[v];
        a.traffic = {t.reads * k0, t.writes * k0, t.calls * k0, t.staticRate * k0};
        a.visits = unit.entryRate > 0 ? t.total() / unit.entryRate : 0;
    }
    // Every component at the analysed load, utilisations and means only (callees first, each
    // once): what the percentiles below and every search start from.
    std::vector<StationFigures> baseline(n);
    for (std::size_t v = 0; v < n; ++v)
        baseline[v] = evaluator.at(v, k0);
    evaluator.baseline_ = &baseline;
    // Then per component, independent of each other, so large projects spread them over the
    // cores (each thread with an evaluator and memo of its own): the figures shown (percentiles
    // are the costly part of a station), and the searches over the load.
    const auto search = [&](Evaluator& evaluator, std::size_t v) {
        auto& a = out.components[v];
        a.station = evaluator.shown(v);
        a.targetMultiplier = evaluator.solve(v, options.utilisationTarget);
        a.saturationMultiplier = evaluator.solve(v, 1.0);
        if (a.saturationMultiplier && *a.saturationMultiplier > 0)
            a.saturatingResource = evaluator.bindingAt(v, *a.saturationMultiplier * (1 - 1e-6));
        if (scalingProperty(project.components[v].kind) && unit.components[v].total() > 0)
            a.replicasNeeded = evaluator.replicasNeeded(v);
    };
    const unsigned threads = n < 64 ? 1U : std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
    {
        // A special function refusing an extreme input throws; out of a worker thread that
        // would end the process, so it is carried over and rethrown here, to the caller.
        std::vector<std::exception_ptr> failed(threads);
        {
            std::vector<std::jthread> workers;
            for (unsigned t = 1; t < threads; ++t)
                workers.emplace_back([&, t] {
                    try {
                        Evaluator own(project, topology, unit, out.options);
                        own.baseline_ = &baseline;
                        for (std::size_t v = t; v < n; v += threads)
                            search(own, v);
                    } catch (...) {
                        failed[t] = std::current_exception();
                    }
                });
            for (std::size_t v = 0; v < n; v += threads)
                search(evaluator, v);
        }
        for (const auto& e : failed)
            if (e)
                std::rethrow_exception(e);
    }

    for (std::size_t v = 0; v < n; ++v)
        if (out.components[v].saturationMultiplier)
            out.saturationOrder.push_back(v);
    std::stable_sort(out.saturationOrder.begin(), out.saturationOrder.end(),
                     [&](std::size_t a, std::size_t b) {
                         return *out.components[a].saturationMultiplier <
                                *out.components[b].saturationMultiplier;
                     });
    // A pool that saturates just before a callee does is pushed over by it: the callee's
    // response time explodes near its own saturation and holds the pool's workers (layered
    // queueing). Within 5% the pool would not outlast the callee by more than the noise of the
    // inputs, and the callee is the one to give capacity to.
    for (std::size_t v = 0; v < n; ++v) {
        auto& a = out.components[v];
        const auto kind = project.components[v].kind;
        if (!a.saturationMultiplier ||
            (kind != ComponentKind::Service && kind != ComponentKind::WorkerGroup))
            continue;
        std::vector<std::size_t> stack{v};
        std::vector<bool> seen(n, false);
        while (!stack.empty()) {
            const auto at = stack.back();
            stack.pop_back();
            for (const auto l : topology.outLinks[at]) {
                if (!evaluator.synchronous(l))
                    continue;
                const auto to = *topology.to[l];
                if (seen[to])
                    continue;
                seen[to] = true;
                stack.push_back(to);
                const auto& callee = out.components[to];
                if (callee.saturationMultiplier &&
                    *callee.saturationMultiplier <= *a.saturationMultiplier * 1.05 &&
                    (!a.pushedBy || *callee.saturationMultiplier <
                                        *out.components[*a.pushedBy].saturationMultiplier))
                    a.pushedBy = to;
            }
        }
    }
    if (!out.saturationOrder.empty()) {
        auto first = out.saturationOrder.front();
        for (int i = 0; i < static_cast<int>(n) && out.components[first].pushedBy; ++i)
            first = *out.components[first].pushedBy;
        out.bottleneck = first;
    }

    // End to end: each client's response, and the path of the largest contributions.
    for (std::size_t v = 0; v < n; ++v) {
        if (project.components[v].kind != ComponentKind::Client)
            continue;
        EntryLatency entry{project.components[v].id, out.components[v].station.meanResponse, {}};
        std::size_t at = v;
        std::vector<bool> seen(n, false);
        while (!seen[at]) {
            seen[at] = true;
            entry.criticalPath.push_back(project.components[at].id);
            std::optional<std::size_t> next;
            double most = -1;
            for (const auto l : topology.outLinks[at]) {
                if (!evaluator.synchronous(l) || unit.links[l].perCallerRequest <= 0)
                    continue;
                const auto to = *topology.to[l];
                const double time = unit.links[l].perCallerRequest *
                                    out.components[to].station.meanResponse.value_or(kInfinity);
                if (time > most) {
                    most = time;
                    next = to;
                }
            }
            if (!next)
                break;
            at = *next;
        }
        out.entries.push_back(std::move(entry));
    }
    return out;
}

std::vector<CurvePoint> loadCurve(const Project& drawn, std::size_t component,
                                  std::span<const double> multipliers,
                                  const AnalysisOptions& options,
                                  const CalibrationResult* calibrated) {
    std::vector<CurvePoint> out;
    if (component >= drawn.components.size())
        return out;
    Prepared prepared(drawn, options, calibrated);
    const Project& project = prepared.project;
    const auto& topology = prepared.topology;
    const auto& unit = prepared.unit;
    Evaluator evaluator(project, topology, unit, options);
    evaluator.alwaysDetailed_ = true;
    for (const double k : multipliers) {
        const auto& f = evaluator.at(component, k);
        out.push_back({k, f.utilisation(), f.meanResponse, f.percentileResponse});
    }
    return out;
}

std::vector<std::optional<double>> meanResponses(const Project& drawn, double multiplier,
                                                 const AnalysisOptions& options,
                                                 const CalibrationResult* calibrated) {
    Prepared prepared(drawn, options, calibrated);
    const Project& project = prepared.project;
    const auto& topology = prepared.topology;
    const auto& unit = prepared.unit;
    Evaluator evaluator(project, topology, unit, options);
    std::vector<std::optional<double>> out;
    out.reserve(project.components.size());
    for (std::size_t v = 0; v < project.components.size(); ++v)
        out.push_back(evaluator.at(v, multiplier).meanResponse);
    return out;
}

} // namespace headroom::analysis
