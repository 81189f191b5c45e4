#pragma once
// Queueing formulas the bottleneck analysis stands on (issue 6), each with the discipline it
// assumes. M/M/c: Poisson arrivals at rate lambda, exponential service at rate mu per server,
// c identical servers (a pool of c workers), one FCFS queue. Sources: Erlang B by its
// recursion and Erlang C from Erlang B (Gross & Harris, "Fundamentals of Queueing Theory",
// 4th ed., sections 2.3 and 2.5); the recursion stays stable for thousands of servers, where
// the textbook sum of A^k / k! overflows.

#include <optional>

namespace headroom::analysis {

/// Blocking probability of M/M/c/c with offered load `a` = lambda / mu Erlangs.
double erlangB(int servers, double offeredLoad);

/// Probability that an arrival waits in M/M/c; nothing when the load is not below the servers
/// (a >= c: the queue grows without bound).
std::optional<double> erlangC(int servers, double offeredLoad);

struct MmcResult {
    double utilisation = 0;     ///< rho = lambda / (c mu)
    double waitProbability = 0; ///< Erlang C
    double meanWait = 0;        ///< Wq, in the unit of 1 / mu
    double meanResponse = 0;    ///< Wq + 1 / mu
};

/// M/M/c figures; nothing when lambda >= c mu (saturated) or an input is not positive.
std::optional<MmcResult> mmc(double arrivalRate, double serviceRate, int servers);

/// The q-quantile (0 < q < 1) of the response time (wait + service) in M/M/c FCFS: the time t
/// with P(W > t) = 1 - q, where the wait is 0 with probability 1 - C and else exponential with
/// rate c mu - lambda. Nothing when saturated.
std::optional<double> mmcResponsePercentile(double arrivalRate, double serviceRate, int servers,
                                            double q);

/// Mean wait in GI/G/c by the Allen-Cunneen approximation: the M/M/c wait scaled by
/// (ca^2 + cs^2) / 2, where ca^2 and cs^2 are the squared coefficients of variation of the
/// inter-arrival and service times (1 for exponential, 0 for constant). Exact for M/M/c and,
/// with c = 1 and Poisson arrivals, equal to Pollaczek-Khinchine's M/G/1 mean wait. Source:
/// Allen, "Probability, Statistics, and Queueing Theory", 2nd ed., section 6.3 (Allen-Cunneen).
/// Nothing when saturated.
std::optional<double> ggcMeanWait(double arrivalRate, double serviceRate, int servers,
                                  double arrivalScv, double serviceScv);

/// A pool's wait as the percentile formula reads it: the chance that an arrival waits at all,
/// and the mean wait over all arrivals (those that do not wait included).
struct WaitModel {
    double probability = 0;
    double mean = 0;
};

/// GI/G/c's wait by Allen-Cunneen: the Erlang C probability and the mean of ggcMeanWait.
std::optional<WaitModel> ggcWait(double arrivalRate, double serviceRate, int servers,
                                 double arrivalScv, double serviceScv);

/// The q-quantile of the response time (wait + service) when a wait, given there is one, is
/// exponential with mean `wait.mean / wait.probability`, and the service time has mean
/// 1 / `serviceRate` and squared coefficient of variation `serviceScv` (see below).
double responsePercentile(const WaitModel& wait, double serviceRate, double serviceScv, double q);

/// The q-quantile of the response time (wait + service) in GI/G/c, with the same
/// approximation: an arrival waits with the M/M/c probability C (Erlang C), and a wait, when there
/// is one, is exponential with the Allen-Cunneen mean Wq / C; the service time has mean 1 / mu
/// and squared coefficient of variation `serviceScv` (0: constant; otherwise a gamma
/// distribution, 1 being exponential). With both SCVs 1 it is the exact M/M/c percentile.
/// The conditional-exponential wait is the usual heavy-traffic form (Kingman; Whitt,
/// "Approximations for the GI/G/m queue", 1993); its error on real pools is measured by
/// bench/fleet. Nothing when saturated.
std::optional<double> ggcResponsePercentile(double arrivalRate, double serviceRate, int servers,
                                            double arrivalScv, double serviceScv, double q);

} // namespace headroom::analysis
