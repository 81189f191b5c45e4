#pragma once
// Mean Value Analysis of a closed, single-class, product-form queueing network: N jobs (users,
// connections, worker slots) circulate between a think stage of mean Z seconds and a set of
// stations, each visited for a total service demand D seconds per job (D = visits x service
// time per visit). A queue station is load-independent (one server, FCFS with exponential
// service or PS); a delay station has as many servers as jobs, so nobody waits there.
//
// Sources: the exact recursion of Reiser & Lavenberg, "Mean-Value Analysis of Closed
// Multichain Queuing Networks", JACM 27(2), 1980, as presented in Lazowska, Zahorjan, Graham &
// Sevcik, "Quantitative System Performance" (QSP, 1984), chapter 6, and Jain, "The Art of
// Computer Systems Performance Analysis" (1991), section 34.2 (worked in its example 34.2,
// table 34.1, which the tests reproduce); Schweitzer's approximation from Jain section 34.3 and
// QSP chapter 6; the asymptotic bounds from QSP chapter 5 and Jain chapter 33.

#include "common/result.h"

#include <optional>
#include <string>
#include <vector>

namespace headroom::analysis {

enum class MvaStationKind {
    Queue, ///< one load-independent server: jobs wait for it
    Delay, ///< infinite servers: a job spends exactly its demand there
};

struct MvaStation {
    std::string name;         ///< used in error messages only
    double demandSeconds = 0; ///< total service demand per job: visits x seconds per visit
    MvaStationKind kind = MvaStationKind::Queue;
};

/// A closed network with `population` jobs that think for `thinkSeconds` between requests.
struct ClosedNetwork {
    std::vector<MvaStation> stations;
    double thinkSeconds = 0;
    int population = 1;
};

struct MvaStationResult {
    /// U = X D, the fraction of time the server is busy; none for a delay station, which never
    /// saturates (there X D is the mean number of busy servers, which equals queueLength).
    std::optional<double> utilisation;
    double queueLength = 0;      ///< mean jobs at the station, waiting or in service
    double residenceSeconds = 0; ///< mean time per job at the station over all its visits
};

struct MvaResult {
    double throughputPerSecond = 0;         ///< X, jobs completed per second
    double responseSeconds = 0;             ///< R, the sum of residence times (think time excluded)
    std::vector<MvaStationResult> stations; ///< in the order of ClosedNetwork::stations
};

/// The network is usable by MVA: at least one station, every demand finite and >= 0, think
/// time finite and >= 0, population >= 1, and some demand or think time (else X is unbounded).
Status validateNetwork(const ClosedNetwork& network);

/// Exact MVA (Reiser & Lavenberg): for n = 1..N, R_k(n) = D_k (1 + Q_k(n-1)) at a queue
/// station and D_k at a delay station, X(n) = n / (Z + sum R_k(n)), Q_k(n) = X(n) R_k(n),
/// starting from Q_k(0) = 0. O(N K) time and O(K) memory: N = 10,000 jobs over 100 stations
/// takes about a millisecond.
Result<MvaResult> exactMva(const ClosedNetwork& network);

/// X(n) and R(n) at one population n of an MVA curve.
struct MvaPoint {
    int population = 0;
    double throughputPerSecond = 0;
    double responseSeconds = 0;
};

/// Exact MVA's X(n) and R(n) for every n = 1..N on the way (the recursion computes them all).
Result<std::vector<MvaPoint>> exactMvaCurve(const ClosedNetwork& network);

struct SchweitzerOptions {
    /// Stop when no station's queue length moved by more than this fraction of N in one sweep.
    double tolerance = 1e-10;
    int maxIterations = 100'000;
};

struct SchweitzerResult {
    MvaResult solution; ///< the last iterate, even when not converged
    bool converged = false;
    int iterations = 0;
};

/// Bard-Schweitzer approximate MVA: the exact recursion at population N alone, with the
/// queue seen on arrival approximated by Q_k(N-1) = (N-1)/N Q_k(N), solved by fixed-point
/// iteration from an even split of the N jobs over the queue stations (Jain section 34.3).
/// O(K) per iteration, independent of N. Typically within a few percent of exact MVA, and
/// exact for N = 1.
Result<SchweitzerResult> schweitzerMva(const ClosedNetwork& network,
                                       const SchweitzerOptions& options = {});

/// Asymptotic bounds on X(N) and R(N) for any network with these demands (QSP chapter 5;
/// Jain chapter 33), D = sum of all demands, Dmax = the largest queue-station demand. The
/// books state them with queue stations only; a delay station adds its demand to R once (it
/// never queues), which is how D_delay enters the pessimistic pair below.
struct AsymptoticBounds {
    double throughputUpper = 0; ///< min(N / (D + Z), 1 / Dmax)
    double throughputLower = 0; ///< N / (N D_queue + D_delay + Z): every job ahead of you
    double responseLower = 0;   ///< max(D, N Dmax - Z)
    double responseUpper = 0;   ///< N D_queue + D_delay
    /// N* = (D + Z) / Dmax, the population where the two optimistic bounds cross: below it
    /// jobs mostly see an idle system, above it the bottleneck sets the throughput. None when
    /// there is no queue station with positive demand (then nothing saturates).
    std::optional<double> saturationPopulation;
};

/// The bounds for `network` at its population; an error for an invalid network.
Result<AsymptoticBounds> asymptoticBounds(const ClosedNetwork& network);

} // namespace headroom::analysis
