#pragma once
// Internal to the analysis (analysis.cpp): the evaluator every figure and search goes through.
// It evaluates each component as a station (station.h) at a load multiplier, callees first,
// memoised; solves the multiplier at which a component reaches a utilisation (on a shared grid
// of multipliers with callees interpolated between its points, or exactly); and finds the
// replicas a tier needs. The methods are in docs/methodology.md, sections 4 and 9.

#include "analysis/analysis.h"
#include "analysis/station.h"
#include "analysis/topology.h"
#include "analysis/traffic.h"
#include "model/project.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace headroom::analysis {

/// Evaluates components at a load multiplier, each once per multiplier, callees first: a
/// component's response needs its synchronous callees' responses at the same load.
class Evaluator {
  public:
    /// `parameters`: each component's stationParameters, when the caller read them already
    /// (empty: read here).
    Evaluator(const Project& project, const Topology& topology, const TrafficResult& unit,
              const AnalysisOptions& options, std::vector<StationParameters> parameters = {});
    Evaluator(const Evaluator&) = delete;
    Evaluator& operator=(const Evaluator&) = delete;
    Evaluator(Evaluator&&) = default;

    /// An evaluator for another thread: this one's fixed data and shared grid, memos of its
    /// own (empty). It reads nothing an evaluator changes, so the other thread makes it while
    /// this one searches: a copy taken before the threads started had been 0.15 to 0.3 ms,
    /// serial, of a 6 ms analysis.
    [[nodiscard]] Evaluator sibling() const;

    /// Whether a link is on the caller's synchronous path: not async, not in a cycle, not a
    /// primary's replication to its replicas (asynchronous for read replicas).
    [[nodiscard]] bool synchronous(std::size_t l) const;

    /// Calls f(u) for each component u that v calls synchronously, once per link, in the
    /// project's order of links.
    template <class F> void forEachCallee(std::size_t v, F&& f) const {
        for (const auto& call : callsOf(v))
            f(call.to);
    }

    /// Whether the component's utilisation grows faster than its load (its workers wait for
    /// callees whose responses grow with load), so saturation needs solving, not dividing.
    [[nodiscard]] bool nested(std::size_t v) const;

    /// Component v's station input at multiplier k, each synchronous callee u's mean response
    /// (infinite when saturated) from `responseOf(u)`.
    template <class ResponseOf>
    StationInput inputWith(std::size_t v, double k, ResponseOf&& responseOf,
                           std::optional<int> replicas = std::nullopt);

    /// Component v's station input at multiplier k, its callees evaluated there (exactly).
    StationInput inputAt(std::size_t v, double k, std::optional<int> replicas = std::nullopt);

    /// Component v's utilisation and mean response at multiplier k, its callees evaluated there
    /// (memoised until the multiplier changes; at the analysed load, from the shared baseline
    /// once there is one).
    StationPoint point(std::size_t v, double k);

    /// Every figure of component v at multiplier k (percentiles with alwaysDetailed_), its
    /// callees' responses from point().
    StationFigures at(std::size_t v, double k);

    /// Component v at the analysed load with everything shown (percentiles, the model in
    /// words, notes), its callees' responses from the baseline.
    StationFigures shown(std::size_t v);

    /// The multiplier at which v's busiest resource reaches `threshold`: proportional where
    /// no callee or core wait bends the utilisation, else searched on the grid below (or,
    /// with `exactSearches`, or beyond the grid's reach, with every callee evaluated at
    /// every step).
    std::optional<double> solve(std::size_t v, double threshold);

    /// The resource of v that is the busiest at multiplier k (its callees evaluated as the
    /// searches evaluate them).
    std::string bindingAt(std::size_t v, double k);

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
    /// A callee that grows more than kSteep but no more than kFineSteep over an interval is
    /// interpolated between finer points instead, kFine to the interval, each worked out once
    /// and shared as the grid's are: evaluated at every step of every search that crossed
    /// it, the refinements had been a third of an analysis. Steeper ones (a pole just past
    /// the interval) are still evaluated at the multiplier: interpolating those too, at 16
    /// points, put the error at 4.5e-4, past the budget (docs/methodology.md section 9).
    static constexpr int kFine = 8;
    static constexpr double kFineSteep = 1.25;
    /// A callee that saturates inside an interval, at P (its own search's answer, shared),
    /// is infinite from P on, and below it interpolated between points at P - s0 2^(-m/4),
    /// s0 = P - gridK(a), m up to 80: shared as the fine points are. Steps of 2^(-1/2) put the
    /// error at 4.9e-4, past the budget (docs/methodology.md section 9).
    static constexpr int kPoleSteps = 80;
    static constexpr double kPoleStep = 0.25; ///< log2 of the ratio between two points

    struct GridPoint {
        double response = std::numeric_limits<double>::quiet_NaN(); ///< infinite: saturated
        double utilisation = std::numeric_limits<double>::quiet_NaN();
    };

    [[nodiscard]] double gridK(int j) const;

    /// Component v at grid point j, exactly (memoised).
    GridPoint grid(std::size_t v, int j);

    /// Callee u's mean response at multiplier k, between grid points a and a + 1.
    double between(std::size_t u, int a, double k);

    /// Component v at fine point f: the multiplier k0 x 2^(f / (8 kFine)), in the grid
    /// interval floor(f / kFine), its callees interpolated (memoised, shared).
    GridPoint fine(std::size_t v, int f);

    /// Callee u's mean response at multiplier k in grid interval a, over which it is steep
    /// but finite: 1/R by the cubic through the four fine points around k.
    double fineResponse(std::size_t u, int a, double k);

    /// Callee u's mean response at k in grid interval a, in which it saturates (kPoleSteps).
    double poleResponse(std::size_t u, int a, double k);

    /// Callee u's own station evaluated at k (its callees interpolated in turn), memoised
    /// until k changes (k fixes the interval a): a callee reached by several paths is
    /// evaluated once.
    double refinedResponse(std::size_t u, int a, double k);

    /// Component v's own station at multiplier k between grid points a and a + 1, its callees
    /// interpolated: its utilisation and mean response.
    StationPoint nearPoint(std::size_t v, int a, double k);

    /// The grid interval [a, a + 1] holding k.
    [[nodiscard]] int intervalOf(double k) const;

    /// The saturation search on the grid: walk to the two points around the threshold, then
    /// TOMS 748 between them (nullopt when the grid cannot bracket it).
    std::optional<double> solveOnGrid(std::size_t v, double threshold);

    /// solveOnGrid(v, 1), worked out once per analysis (shared by the threads' evaluators; a
    /// caller's search may need it before v's own).
    std::optional<double> saturationOnGrid(std::size_t v);

    /// Where v's utilisation goes to infinity between grid points a and a + 1 because a
    /// synchronous callee saturates there (the first such callee's saturation), if one does.
    std::optional<double> poleBetween(std::size_t v, int a);

    /// The search with every callee evaluated at every step.
    std::optional<double> solveExactly(std::size_t v, double threshold);

    /// Fewest replicas meeting the target (and objective) at the analysed load.
    /// `saturation`: v's saturation multiplier, when known (a start for the search when v is
    /// saturated at the analysed load).
    std::optional<int> replicasNeeded(std::size_t v, std::optional<double> saturation = {});

  private:
    struct SiblingOf {};
    Evaluator(const Evaluator& from, SiblingOf);
    int poolSize(std::size_t db) const;

    /// Sticky routing spreads sessions, not requests: with s sessions active on N clones (s =
    /// rate x think time, Little's law over a session), the busiest clone holds about
    /// s/N + sqrt(2 (s/N) ln N) of them (the maximum load of balls thrown into bins, Raab and
    /// Steger 1998), so its extra share is sqrt(2 N ln N / s).
    double hashImbalance(std::size_t v, double rate, std::optional<int> replicas) const;

    const Project& project_;
    const Topology& topology_;
    const TrafficResult& unit_;
    const AnalysisOptions& options_;
    /// A synchronous call a component makes, with what its evaluation needs of it.
    struct Call {
        std::size_t to;
        double share; ///< calls per request of the caller
        bool fixed;   ///< the callee's latency is stated, not queued: it does not vary
        int pool;     ///< the caller's pool (among its own) the call holds a connection of, or -1
    };
    /// What the evaluators of one analysis read and never change: made once, shared by the
    /// threads' evaluators. Per-component lists are laid end to end, component v's from
    /// start[v] to start[v + 1].
    struct Fixed {
        std::vector<StationParameters> parameters;
        std::vector<Balancing> balancing; ///< of the balancer in front (or the pull of workers)
        std::vector<Call> calls;
        std::vector<std::uint32_t> callStart;
        /// The connection pools a component's workers hold while they query, one per database
        /// it calls (however many links lead there), in the databases' order in the project,
        /// their connection times 0: each evaluator sums them in a copy of its own (pools_).
        std::vector<ConnectionDemand> pools;
        std::vector<std::uint32_t> poolStart;
        /// gridK(j) for j from -kGridReach - 2 to kGridReach + 3.
        std::vector<double> gridKs;
        double meanThinkTime = 0;
    };
    [[nodiscard]] std::span<const Call> callsOf(std::size_t v) const {
        return {fixed_->calls.data() + fixed_->callStart[v],
                fixed_->calls.data() + fixed_->callStart[v + 1]};
    }
    [[nodiscard]] const StationParameters& parametersOf(std::size_t v) const {
        return fixed_->parameters[v];
    }
    std::shared_ptr<const Fixed> fixed_;
    /// This evaluator's copy of fixed_->pools: the connection times are scratch, summed
    /// afresh by each inputWith.
    std::vector<ConnectionDemand> pools_;
    std::vector<StationPoint> points_; ///< point()'s memo, stamped
    std::vector<unsigned> stamp_;
    unsigned generation_ = 0;
    double k_ = std::numeric_limits<double>::quiet_NaN();
    /// What every thread's evaluator of one analysis works out the same and shares: the grid's
    /// points (each component's at k0 x 2^(j/8), filled as searches reach them) and the
    /// components' saturations on it. Written once and read without locks: every thread
    /// computes the same value for an entry, so an entry two threads fill at once is stored
    /// twice, the same. Kept apart, the two threads' grids had cost a third more work than one
    /// thread's (the callees the two share walked on both).
    class Shared {
      public:
        explicit Shared(std::size_t components);
        ~Shared();
        Shared(const Shared&) = delete;
        Shared& operator=(const Shared&) = delete;

        /// Component v's point j, or nothing yet.
        std::optional<GridPoint> point(std::size_t v, int j) const;
        void store(std::size_t v, int j, GridPoint p);
        /// saturationOnGrid's answer: NaN not worked out yet, -1 none.
        std::atomic<double>& saturation(std::size_t v) { return saturation_[v]; }
        /// Component v's fine point f, or nothing yet; and storing one.
        std::optional<GridPoint> finePoint(std::size_t v, int f) const;
        void storeFine(std::size_t v, int f, GridPoint p);
        /// Component v's response at its pole point m, or nothing yet; and storing one.
        std::optional<double> polePoint(std::size_t v, int m) const;
        void storePole(std::size_t v, int m, double response);

      private:
        static constexpr int kOffset = kGridReach + 2;                // j from -kGridReach - 2
        static constexpr int kSpan = 2 * kGridReach + 6;              // to kGridReach + 3
        static constexpr int kBlock = 32;                             // points allocated at a time
        static constexpr int kBlocks = (kSpan + kBlock - 1) / kBlock; // per component
        struct Block {
            Block();
            std::array<std::atomic<double>, kBlock> response, utilisation;
        };
        std::unique_ptr<std::atomic<Block*>[]> blocks_;
        std::size_t count_;
        std::unique_ptr<std::atomic<double>[]> saturation_;
        /// The fine points, a table per component made when its first is stored: most
        /// components have none, and a table for each up front was most of a megabyte.
        static constexpr int kFineOffset = kOffset * kFine;
        static constexpr int kFineSpan = kSpan * kFine;
        static constexpr int kFineBlocks = (kFineSpan + kBlock - 1) / kBlock;
        struct FineTable {
            FineTable();
            std::array<std::atomic<Block*>, kFineBlocks> blocks;
        };
        std::unique_ptr<std::atomic<FineTable*>[]> fine_;
        struct PoleTable {
            std::array<std::atomic<double>, kPoleSteps + 1> response;
        };
        std::unique_ptr<std::atomic<PoleTable*>[]> pole_;
        static std::optional<GridPoint> read(const std::atomic<Block*>& slot, int at);
        void write(std::atomic<Block*>& slot, int at, GridPoint p);
        /// Blocks and tables come from chunks of 64 KB, handed out under a lock and freed
        /// together: made and freed one by one, the thousands of blocks of a large analysis
        /// had cost a tenth of a millisecond of serial teardown. A block made by a thread that
        /// then loses the race to store it stays unused in its chunk.
        template <class T> T* make();
        static constexpr std::size_t kChunk = 64 * 1024;
        std::mutex chunksLock_;
        std::vector<std::unique_ptr<std::byte[]>> chunks_;
        std::size_t chunkUsed_ = kChunk;
    };
    std::shared_ptr<Shared> shared_;
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
    const std::vector<StationPoint>* baseline_ = nullptr;
};

} // namespace headroom::analysis
