#include "analysis/fleet.h"

#include "analysis/queueing.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace headroom::analysis {

namespace {
/// Round robin is halfway between one pooled queue and a GI/G/c queue per clone when the service
/// SCV is this times the idle share 1 - rho (see analyzeFleet).
constexpr double kRoundRobinBlend = 0.4;

/// One pool of every worker; past a million the count changes nothing below saturation (and
/// would overflow an int), so a larger fleet is modelled as a million workers at its load.
int pooledServers(const FleetSpec& spec) {
    return static_cast<int>(
        std::min<std::int64_t>(std::int64_t{spec.concurrency} * spec.replicas, 1'000'000));
}
/// The rate into that pool: the fleet's, scaled down with the workers when they are capped,
/// so the pool is exactly as busy as the fleet.
double pooledRate(const FleetSpec& spec, int servers) {
    return spec.arrivalRate * servers /
           (static_cast<double>(spec.concurrency) * static_cast<double>(spec.replicas));
}
} // namespace

Result<FleetFigures> analyzeFleet(const FleetSpec& spec, double q, bool withPercentile) {
    const auto refuse = [](const std::string& what) { return Error{what, "", ""}; };
    if (!(spec.arrivalRate >= 0) || !std::isfinite(spec.arrivalRate))
        return refuse("the arrival rate must be a number of requests per second, 0 or more");
    if (!(spec.serviceTime > 0) || !std::isfinite(spec.serviceTime))
        return refuse("the service time must be above 0 seconds");
    if (!(spec.serviceScv >= 0) || !(spec.arrivalScv >= 0) || !std::isfinite(spec.serviceScv) ||
        !std::isfinite(spec.arrivalScv))
        return refuse("a squared coefficient of variation must be a number, 0 or more");
    if (spec.replicas < 1 || spec.concurrency < 1)
        return refuse("a fleet needs at least one clone with at least one worker");
    if (!(spec.imbalance >= 0))
        return refuse("the imbalance cannot be negative");
    if (!(q > 0 && q < 1))
        return refuse("the percentile must lie between 0 and 100 (exclusive)");

    const double n = spec.replicas;
    FleetFigures out;
    double rate = 0; // into the queue modelled
    int servers = spec.concurrency;
    switch (spec.balancing) {
    case Balancing::RoundRobin:
        rate = spec.arrivalRate / n;
        out.cloneArrivalScv = spec.arrivalScv / n;
        out.model = "round robin: each clone GI/G/c with arrival SCV ca^2/N, toward one pooled "
                    "queue as the service time is steadier (Allen-Cunneen)";
        break;
    case Balancing::Random:
    case Balancing::Hash:
        rate =
            spec.arrivalRate / n * (spec.balancing == Balancing::Hash ? 1 + spec.imbalance : 1.0);
        out.cloneArrivalScv = 1 - (1 - spec.arrivalScv) / n;
        out.model = spec.balancing == Balancing::Hash
                        ? "hash: the busiest clone, a thinned stream, GI/G/c (Allen-Cunneen)"
                        : "random: each clone a thinned stream, GI/G/c (Allen-Cunneen)";
        break;
    case Balancing::LeastConnections:
        servers = pooledServers(spec);
        rate = pooledRate(spec, servers);
        out.cloneArrivalScv = spec.arrivalScv;
        out.model = "least connections: one pooled GI/G/(N c) queue (Allen-Cunneen)";
        break;
    }
    out.cloneArrivalRate =
        spec.balancing == Balancing::LeastConnections ? spec.arrivalRate / n : rate;
    const double mu = 1 / spec.serviceTime;
    out.utilisation = rate / (servers * mu);
    out.saturationThroughput =
        spec.arrivalRate > 0 ? spec.arrivalRate / out.utilisation
                             : n * spec.concurrency * mu /
                                   (spec.balancing == Balancing::Hash ? 1 + spec.imbalance : 1.0);
    // An idle fleet answers in the service time: model it at a vanishing rate.
    const double modelled = std::max(rate, 1e-12 * servers * mu);
    const double arrivalScv =
        spec.balancing == Balancing::LeastConnections ? spec.arrivalScv : out.cloneArrivalScv;
    auto wait = ggcWait(modelled, mu, servers, arrivalScv, spec.serviceScv);
    if (wait && spec.balancing == Balancing::RoundRobin && spec.replicas > 1) {
        // With constant service, round robin IS one pooled queue: each worker takes every
        // (N c)-th request in both (with equal service times the worker free first is the one
        // that started first), so the waits are the same request by request. Per-clone
        // GI/G/c misses that and overstates the wait (bench/fleet/ideal.py: a p95 up to a
        // quarter high at 50% busy). The more the service varies, and the busier the clones
        // (in heavy traffic each clone is its own queue, Kingman), the closer the per-clone
        // queue is: blend the two by w = cs^2 / (cs^2 + 0.4 (1 - rho)), a fit to the
        // simulated ideal fleet (docs/methodology.md, section 3).
        const int all = pooledServers(spec);
        const auto pooled = ggcWait(std::max(pooledRate(spec, all), 1e-12 * all * mu), mu, all,
                                    spec.arrivalScv, spec.serviceScv);
        if (pooled) {
            const double w =
                spec.serviceScv / (spec.serviceScv + kRoundRobinBlend * (1 - out.utilisation));
            wait = WaitModel{pooled->probability + w * (wait->probability - pooled->probability),
                             pooled->mean + w * (wait->mean - pooled->mean)};
        }
    }
    if (wait) {
        out.meanResponse = wait->mean + spec.serviceTime;
        if (withPercentile)
            out.percentileResponse = responsePercentile(*wait, mu, spec.serviceScv, q);
    }
    return out;
}

std::optional<Balancing> balancingFromKey(const std::string& key) {
    if (key == "round_robin")
        return Balancing::RoundRobin;
    if (key == "least_connections")
        return Balancing::LeastConnections;
    if (key == "random")
        return Balancing::Random;
    if (key == "ip_hash" || key == "cookie_hash")
        return Balancing::Hash;
    return std::nullopt;
}

} // namespace headroom::analysis
