#include "analysis/queueing.h"

#include <cmath>

namespace headroom::analysis {

double erlangB(int servers, double a) {
    // B(0) = 1; B(k) = a B(k-1) / (k + a B(k-1)).
    double b = 1.0;
    for (int k = 1; k <= servers; ++k)
        b = a * b / (k + a * b);
    return b;
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
    const auto base = mmc(lambda, mu, servers);
    if (!base || arrivalScv < 0 || serviceScv < 0)
        return std::nullopt;
    return base->meanWait * (arrivalScv + serviceScv) / 2;
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

} // namespace

std::optional<double> mmcResponsePercentile(double lambda, double mu, int servers, double q) {
    const auto r = mmc(lambda, mu, servers);
    if (!r || !(q > 0) || !(q < 1))
        return std::nullopt;
    const double theta = servers * mu - lambda;
    const double target = 1 - q;
    // The tail falls from 1 at t = 0; double the bracket until it is below the target, then
    // bisect (64 halvings reach double precision).
    double low = 0, high = 1 / mu;
    while (responseTail(high, mu, theta, r->waitProbability) > target)
        high *= 2;
    for (int i = 0; i < 200 && high - low > 1e-12 * high; ++i) {
        const double mid = (low + high) / 2;
        (responseTail(mid, mu, theta, r->waitProbability) > target ? low : high) = mid;
    }
    return (low + high) / 2;
}

} // namespace headroom::analysis
