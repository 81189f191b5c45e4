#include "analysis/queueing.h"

#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <functional>

namespace headroom::analysis {

double erlangB(int servers, double a) {
    if (servers > 1000 && a > 0) {
        // B = P(X = c) / P(X <= c) for X ~ Poisson(a): the pmf in log space over the
        // regularised incomplete gamma Q(c + 1, a) = P(X <= c). Constant time where the
        // recursion below would take c steps (a pooled tier can have a million workers).
        using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
        const double c = servers;
        const double cdf = boost::math::gamma_q(c + 1, a, Policy());
        const double logPmf = c * std::log(a) - a - std::lgamma(c + 1);
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
    const double perLoad = 1 / a;
    double inverse = 1.0;
    for (int k = 1; k <= servers; ++k)
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
/// then close it by regula falsi with the Illinois fix, to seven significant digits (a
/// percentile is shown with four).
double solveTail(const std::function<double(double)>& tail, double target, double start) {
    double low = 0, high = start;
    double fLow = tail(low) - target, fHigh = tail(high) - target;
    while (fHigh > 0 && high < 1e12 * start) {
        low = high;
        fLow = fHigh;
        high *= 2;
        fHigh = tail(high) - target;
    }
    int side = 0;
    for (int i = 0; i < 200 && high - low > 1e-7 * high; ++i) {
        double mid = fLow != fHigh ? (low * fHigh - high * fLow) / (fHigh - fLow) : low;
        if (!(mid > low && mid < high))
            mid = (low + high) / 2;
        const double f = tail(mid) - target;
        if (f > 0) {
            low = mid;
            fLow = f;
            if (side == -1)
                fHigh /= 2;
            side = -1;
        } else {
            high = mid;
            fHigh = f;
            if (side == 1)
                fLow /= 2;
            side = 1;
        }
    }
    return (low + high) / 2;
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
    using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
    const double shape = 1 / scv;
    return boost::math::gamma_q(shape, shape * x / s, Policy());
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
        if (serviceScv <= 0) {
            convolved = std::exp(-theta * std::max(0.0, t - s));
        } else if (serviceScv == 1) { // two exponentials: closed form
            convolved = responseTail(t, mu, theta, 1.0);
        } else {
            // With u = 1 - e^{-theta y} the integral runs over u in [0, 1 - e^{-theta t}] of a
            // bounded, monotone integrand: Simpson's rule on 256 panels.
            const double top = -std::expm1(-theta * t);
            constexpr int kPanels = 256;
            const double h = top / kPanels;
            double sum = 0;
            for (int i = 0; i <= kPanels; ++i) {
                const double u = std::min(i * h, top);
                const double y = -std::log1p(-u) / theta;
                const double weight = i == 0 || i == kPanels ? 1 : (i % 2 ? 4 : 2);
                sum += weight * serviceTail(t - y, s, serviceScv);
            }
            convolved = std::exp(-theta * t) + sum * h / 3;
        }
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
