#include "analysis/queueing.h"

#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/toms748_solve.hpp>
#include <cmath>

namespace headroom::analysis {

double erlangB(int servers, double a) {
    if (servers > 1000 && a > 0) {
        // B = P(X = c) / P(X <= c) for X ~ Poisson(a): the pmf in log space over the
        // regularised incomplete gamma Q(c + 1, a) = P(X <= c). Constant time where the
        // recursion below would take c steps (a pooled tier can have a million workers).
        using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
        const double c = servers;
        const double cdf = boost::math::gamma_q(c + 1, a, Policy());
        const double logPmf = c * std::log(a) - a - boost::math::lgamma(c + 1, Policy());
        return cdf > 0 ? std::min(1.0, std::exp(logPmf) / cdf) : 1.0;
    }
    if (servers <= 0)
        return 1.0;
    if (!(a > 0))
        return 0.0;
    // B(0) = 1; B(k) = a B(k-1) / (k + a B(k-1)), carried as its reciprocal
    // 1/B(k) = 1 + (k/a) / B(k-1): positive terms only (stable), and one multiply-add a step
    // instead of a division (the analysis calls this hundreds of thousands of times). Past
    // DBL_MAX the reciprocal is infinite and B is 0, as it is to double precision.
    //
    // Four steps at a time: with c_k = k/a, four steps are one affine map,
    // x -> (1 + c4 + c4 c3 + c4 c3 c2) + (c4 c3 c2 c1) x, whose coefficients do not depend on
    // x. The chain of dependent multiply-adds, which set the pace (a fleet of 96 workers took
    // 96 of them, a seventh of an analysis), is four times shorter; every term stays positive.
    const double perLoad = 1 / a;
    double inverse = 1.0;
    int k = 1;
    // k carried as a double too (exact: k < 2^53), saving four conversions a step.
    for (double x = 1; k + 3 <= servers; k += 4, x += 4) {
        const double c1 = x * perLoad, c2 = (x + 1) * perLoad, c3 = (x + 2) * perLoad,
                     c4 = (x + 3) * perLoad;
        const double c43 = c4 * c3, c432 = c43 * c2;
        inverse = (1 + c4 + c43 + c432) + (c432 * c1) * inverse;
    }
    for (; k <= servers; ++k)
        inverse = 1 + inverse * (k * perLoad);
    return 1 / inverse;
}

std::optional<double> erlangC(int servers, double a) {
    if (servers <= 0 || a < 0 || a >= servers)
        return std::nullopt;
    const double b = erlangB(servers, a);
    const double rho = a / servers;
    return b / (1 - rho * (1 - b));
}

std::optional<MmcResult> mmc(double lambda, double mu, int servers) {
    if (!(lambda > 0) || !(mu > 0) || servers <= 0)
        return std::nullopt;
    const auto c = erlangC(servers, lambda / mu);
    if (!c)
        return std::nullopt;
    MmcResult r;
    r.utilisation = lambda / (servers * mu);
    r.waitProbability = *c;
    r.meanWait = *c / (servers * mu - lambda);
    r.meanResponse = r.meanWait + 1 / mu;
    return r;
}

std::optional<double> ggcMeanWait(double lambda, double mu, int servers, double arrivalScv,
                                  double serviceScv) {
    const auto wait = ggcWait(lambda, mu, servers, arrivalScv, serviceScv);
    return wait ? std::optional(wait->mean) : std::nullopt;
}

std::optional<WaitModel> ggcWait(double lambda, double mu, int servers, double arrivalScv,
                                 double serviceScv) {
    const auto base = mmc(lambda, mu, servers);
    if (!base || arrivalScv < 0 || serviceScv < 0)
        return std::nullopt;
    return WaitModel{base->waitProbability, base->meanWait * (arrivalScv + serviceScv) / 2};
}

namespace {

/// P(W > t) for M/M/c FCFS: (1 - C) e^{-mu t} + C P(E_theta + E_mu > t), theta = c mu - lambda.
double responseTail(double t, double mu, double theta, double c) {
    double sum;
    if (std::abs(theta - mu) < 1e-12 * mu)
        sum = (1 + mu * t) * std::exp(-mu * t);
    else
        sum = (theta * std::exp(-mu * t) - mu * std::exp(-theta * t)) / (theta - mu);
    return (1 - c) * std::exp(-mu * t) + c * sum;
}

/// The t at which a decreasing tail P(T > t) falls to `target`: double a bracket from `start`,
/// then close it by TOMS 748 (Alefeld, Potra and Shi 1995, Boost.Math) to nine significant
/// digits (a percentile is shown with four; the tests check a few by hand to nine).
template <class Tail> double solveTail(const Tail& tail, double target, double start) {
    double low = 0, high = start;
    double fLow = tail(low) - target, fHigh = tail(high) - target;
    while (fHigh > 0 && high < 1e12 * start) {
        low = high;
        fLow = fHigh;
        high *= 2;
        fHigh = tail(high) - target;
    }
    if (!(fLow > 0) || fHigh > 0)
        return high; // the tail is at the target from 0 on, or never falls to it
    const auto f = [&](double t) { return tail(t) - target; };
    const auto close = [](double a, double b) { return b - a <= 1e-9 * b; };
    std::uintmax_t iterations = 100;
    const auto [a, b] =
        boost::math::tools::toms748_solve(f, low, high, fLow, fHigh, close, iterations);
    return (a + b) / 2;
}

/// Boost's lgamma, not std::lgamma, throughout: the C library's writes the sign into the global
/// `signgam`, a data race when the analysis runs on several threads (ThreadSanitizer found it).
using DoublePolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

/// E[1 / (a + N)] for N ~ Poisson(z), z >= 0: positive terms only, summed outward from the
/// mode, so it is exact to rounding for any z (the terms that matter are within a few sqrt(z)
/// of it).
double poissonMeanInverse(double a, double z) {
    if (!(z > 0))
        return 1 / a;
    if (!(z < 1e6)) // past a million, the delta method is exact to 1e-12 (and the sum long)
        return std::isfinite(z) ? 1 / (a + z) + z / ((a + z) * (a + z) * (a + z)) : 0.0;
    const double mode = std::floor(z);
    const double pMode =
        std::exp(mode * std::log(z) - z - boost::math::lgamma(mode + 1, DoublePolicy()));
    double sum = pMode / (a + mode);
    double p = pMode;
    for (double n = mode + 1;; ++n) { // upward
        p *= z / n;
        const double term = p / (a + n);
        sum += term;
        if (term < 1e-17 * sum)
            break;
    }
    p = pMode;
    for (double n = mode; n > 0; --n) { // downward
        p *= n / z;
        const double term = p / (a + n - 1);
        sum += term;
        if (term < 1e-17 * sum)
            break;
    }
    return sum;
}

/// P(E + S > t) for E ~ Exp(theta) (a wait, given there is one) and S ~ Gamma(shape alpha,
/// rate beta) (the service), in closed form:
///   P(E + S > t) = P(S > t) + integral_0^t f_S(x) e^{-theta (t - x)} dx.
/// With x = beta t and g = e^{-x} x^(alpha-1) / Gamma(alpha) (the gamma density over beta), the
/// integral is x g J, J = integral_0^1 y^(alpha-1) e^{-(theta - beta) t (1 - y)} dy. For
/// theta >= beta, J = E[1 / (alpha + N)], N ~ Poisson((theta - beta) t) (expand e^{z y});
/// for theta < beta it is a series of positive terms (below), or equivalently a regularised
/// lower incomplete gamma: x g J = (beta / (beta - theta))^alpha e^{-theta t} P(alpha, w).
double waitPlusGammaTail(double t, double theta, double alpha, double beta) {
    if (!(t > 0))
        return 1;
    const double x = beta * t;
    const double serviceTail = boost::math::gamma_q(alpha, x, DoublePolicy());
    const double z = (theta - beta) * t;
    const double xg =
        std::exp(alpha * std::log(x) - x - boost::math::lgamma(alpha, DoublePolicy()));
    if (z >= 0)
        return serviceTail + xg * poissonMeanInverse(alpha, z);
    // theta < beta, w = (beta - theta) t: J = sum_n w^n / (alpha (alpha + 1) ... (alpha + n)),
    // positive terms falling from the first while w <= alpha. Past that the incomplete gamma
    // form is safe from overflow: its factor's logarithm alpha ln(x/w) - (x - w) is negative.
    const double w = -z;
    if (w <= alpha) {
        double term = 1 / alpha, sum = term;
        for (double n = 1; term > 1e-17 * sum; ++n) {
            term *= w / (alpha + n);
            sum += term;
        }
        return serviceTail + xg * sum;
    }
    return serviceTail + std::exp(alpha * std::log(x / w) - (x - w)) *
                             boost::math::gamma_p(alpha, w, DoublePolicy());
}

/// P(S > x) for a service time of mean `s` and squared coefficient of variation `scv`.
double serviceTail(double x, double s, double scv) {
    if (x <= 0)
        return 1;
    if (scv <= 0)
        return x < s ? 1 : 0;
    if (scv == 1)
        return std::exp(-x / s);
    // In double precision: Boost's default promotes to long double, four times slower.
    const double shape = 1 / scv;
    return boost::math::gamma_q(shape, shape * x / s, DoublePolicy());
}

} // namespace

std::optional<double> ggcResponsePercentile(double lambda, double mu, int servers,
                                            double arrivalScv, double serviceScv, double q) {
    const auto wait = ggcWait(lambda, mu, servers, arrivalScv, serviceScv);
    if (!wait || !(q > 0) || !(q < 1))
        return std::nullopt;
    return responsePercentile(*wait, mu, serviceScv, q);
}

double responsePercentile(const WaitModel& wait, double mu, double serviceScv, double q) {
    const double c = wait.probability;
    const double s = 1 / mu;
    if (!(wait.mean > 0) || !(c > 0)) // nobody waits (constant arrivals and service)
        return solveTail([&](double t) { return serviceTail(t, s, serviceScv); }, 1 - q, s);
    const double theta = c / wait.mean; // rate of the exponential wait, given a wait
    const auto tail = [&](double t) {
        // P(T > t) = (1 - C) P(S > t) + C P(E + S > t), E ~ Exp(theta), and
        // P(E + S > t) = e^{-theta t} + integral_0^t theta e^{-theta y} P(S > t - y) dy.
        double convolved;
        if (serviceScv <= 0)
            convolved = std::exp(-theta * std::max(0.0, t - s));
        else if (serviceScv == 1) // two exponentials
            convolved = responseTail(t, mu, theta, 1.0);
        else
            convolved = waitPlusGammaTail(t, theta, 1 / serviceScv, 1 / (serviceScv * s));
        return (1 - c) * serviceTail(t, s, serviceScv) + c * convolved;
    };
    return solveTail(tail, 1 - q, s);
}

std::optional<double> mmcResponsePercentile(double lambda, double mu, int servers, double q) {
    const auto r = mmc(lambda, mu, servers);
    if (!r || !(q > 0) || !(q < 1))
        return std::nullopt;
    const double theta = servers * mu - lambda;
    return solveTail([&](double t) { return responseTail(t, mu, theta, r->waitProbability); },
                     1 - q, 1 / mu);
}

} // namespace headroom::analysis
