#pragma once
// One load-balanced tier: N identical clones, each a pool of c workers (threads, event-loop
// slots) in front of one FCFS queue, fed through a load balancer. How the balancer spreads the
// requests changes the queue each clone sees, and plain M/M/c per clone ignores it:
// - round robin hands each clone every N-th request, so a Poisson stream arrives at a clone
//   with gaps of squared coefficient of variation (SCV) ca^2 / N (a sum of N gaps);
// - random choice thins the stream: SCV 1 - (1 - ca^2) / N, Poisson stays Poisson;
// - hashing (IP or cookie: sticky) is random per key, and hot keys load one clone more: the
//   figures are for the busiest clone, `imbalance` above the mean share;
// - least connections sends each request to an idle worker when there is one anywhere, which
//   is close to one pooled queue over all N c workers.
// Each pool is then GI/G/c by Allen-Cunneen (queueing.h); its measured error is in
// docs/methodology.md. Round robin with steady service times keeps the clones in step and
// behaves like one pooled queue (with constant service it is one, request by request), so its
// wait is blended between the two (fleet.cpp). The same figures are the topology analysis'
// for a service tier.

#include "common/result.h"

#include <optional>
#include <string>
#include <string_view>

namespace headroom::analysis {

enum class Balancing { RoundRobin, LeastConnections, Random, Hash };

struct FleetSpec {
    double arrivalRate = 0; ///< requests per second into the balancer
    double serviceTime = 0; ///< mean seconds a request holds a worker
    double serviceScv = 1;  ///< of the service time: 0 constant, 1 exponential
    double arrivalScv = 1;  ///< of the gaps into the balancer: 1 for Poisson
    int replicas = 1;       ///< clones
    int concurrency = 1;    ///< workers per clone
    Balancing balancing = Balancing::RoundRobin;
    double imbalance = 0; ///< hash routing: the busiest clone's share above the mean (0.1 = 10%)
};

struct FleetFigures {
    double cloneArrivalRate = 0;     ///< at the busiest clone (all of them but for hashing)
    double cloneArrivalScv = 1;      ///< of the gaps at a clone
    double utilisation = 0;          ///< of the busiest clone's workers
    double saturationThroughput = 0; ///< arrival rate at which the busiest clone saturates
    /// Mean and percentile response (wait + service) in seconds; nothing when saturated.
    std::optional<double> meanResponse;
    std::optional<double> percentileResponse;
    std::string_view model; ///< the approximation used, in words (a constant text)
};

/// The figures at percentile `q` (e.g. 0.95). Errors name an input that makes no sense.
/// Without `withPercentile` the percentile (the costly part) is left out.
Result<FleetFigures> analyzeFleet(const FleetSpec& spec, double q, bool withPercentile = true);

/// The balancing a load balancer's algorithm key ("round_robin", "least_connections",
/// "random", "ip_hash", "cookie_hash") stands for; nothing for an unknown key.
std::optional<Balancing> balancingFromKey(const std::string& key);

} // namespace headroom::analysis
