#pragma once
// Gunther's Universal Scalability Law: the throughput at concurrency N (users, threads, nodes)
//   X(N) = lambda N / (1 + sigma (N - 1) + kappa N (N - 1)),
// where lambda is the throughput of one, sigma the contention (the serial fraction, as in
// Amdahl's law) and kappa the coherency cost (pairwise exchange, which makes X fall past a
// peak). Sources: Gunther, "Guerrilla Capacity Planning" (Springer, 2007), chapter 4, with
// lambda as the third fitted coefficient from Gunther, "USL Scalability Modeling with Three
// Parameters" (perfdynamics.blogspot.com, May 2018).
//
// The fit follows the `usl` R package (Stefan Moeding, https://github.com/smoeding/usl,
// R/usl.R): nonlinear least squares on the throughput itself (not a linearised transform),
// starting from lambda = max(X / N), sigma = 0.01, kappa = 0.0001, with 0 <= sigma <= 1,
// 0 <= kappa <= 1 and lambda >= 0. The solver is Eigen's Levenberg-Marquardt (MINPACK's
// lmder); the bounds are honoured by also fitting with each bounded coefficient pinned at
// each of its bounds and keeping the best fit that stays inside them. Each fit also runs
// from a second start, the linear least-squares fit of N / X, for data at large N where the
// package's fixed start is far off.

#include "common/result.h"

#include <optional>
#include <span>

namespace headroom::analysis {

/// One measurement: the concurrency it was taken at and the throughput seen there.
struct UslPoint {
    double concurrency = 0;
    double throughput = 0; ///< in any unit; lambda and the peak come out in the same unit
};

struct UslCoefficients {
    double sigma = 0;  ///< contention, usl's alpha
    double kappa = 0;  ///< coherency, usl's beta
    double lambda = 0; ///< throughput at N = 1, usl's gamma
};

/// X(N) for the given coefficients.
double uslThroughput(const UslCoefficients& c, double concurrency);

struct UslPeak {
    double concurrency = 0; ///< N* = sqrt((1 - sigma) / kappa)
    double throughput = 0;  ///< X(N*)
};

/// Where X(N) peaks, from dX/dN = 0 (Guerrilla Capacity Planning, equation 4.33, as cited by
/// the usl package's peak.scalability); none when kappa = 0 (X then rises towards
/// lambda / sigma for ever) or sigma >= 1 (X never rises).
std::optional<UslPeak> uslPeak(const UslCoefficients& c);

struct UslFit {
    UslCoefficients coefficients;
    /// 1 - SS_res / SS_tot; none when every throughput is the same (nothing to explain).
    std::optional<double> rSquared;
    std::optional<UslPeak> peak;
    /// lambda / sigma, the ceiling that contention alone allows (Amdahl's asymptote, the
    /// usl package's "limit"); none when sigma = 0.
    std::optional<double> contentionLimit;
    double residualSumOfSquares = 0;

    [[nodiscard]] double predict(double concurrency) const {
        return uslThroughput(coefficients, concurrency);
    }
};

/// Fits sigma, kappa and lambda to the measurements. Errors: fewer than three points or
/// fewer than three different concurrencies, a concurrency or throughput that is not a
/// positive finite number, or a solver that does not converge.
Result<UslFit> fitUsl(std::span<const UslPoint> points);

} // namespace headroom::analysis
