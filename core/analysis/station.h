#pragma once
// One component as a queueing station: from its properties, the traffic it gets and the time
// its synchronous calls take, the utilisation of each resource it has (workers, CPU, capacity,
// rate limits, connection pools), and its mean and percentile response time. Which model each
// kind gets, and why, is in docs/methodology.md ("Stations"):
// - service and worker group: N clones of c workers behind their balancer (fleet.h), a worker
//   held for the service time plus the synchronous calls it makes (layered queueing), the CPU
//   part of the service stretched by waiting for cores (M/M/m over the cores);
// - database primary and replicas, cache shards: m parallel servers (M/M/m), m from capacity
//   times query time;
// - load balancer, queue, object storage, external API: a throughput limit, fixed latency;
// - client and CDN: no limit of their own.

#include "analysis/fleet.h"
#include "analysis/traffic.h"
#include "model/component.h"

#include <boost/container/small_vector.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::analysis {

struct Resource {
    std::string name;       ///< "workers", "CPU", "write capacity", "connections to db", ...
    double utilisation = 0; ///< busy share; 1 or more means saturated
};

/// A pool of connections a clone holds to one database while its queries run.
struct ConnectionDemand {
    std::string_view database; ///< the database component's id (the project outlives it)
    double secondsPerRequest;  ///< connection time per request: calls x the database's response
    int poolPerInstance;       ///< connections each clone keeps
};

/// The properties a station's model reads, resolved once (defaults filled in): searches over
/// the load evaluate a station hundreds of times, and a property lookup by name costs more than
/// the queueing formulas.
struct StationParameters {
    ComponentKind kind = ComponentKind::Service;
    double replicas = 0;
    double concurrency = 0;
    double serviceSeconds = 0; ///< service time (service) or message cost (worker group)
    double cpuSecondsPerRequest = 0;
    double cores = 0;
    double serviceScv = 1;
    double edgeLatencySeconds = 0;
    double capacity = 0; ///< the kind's own limit: balancer req/s, cache ops per node,
                         ///< queue messages/s, API rate limit
    double shards = 0;
    double replicasPerShard = 0;
    bool redis = false;
    double latencySeconds = 0; ///< cache, object storage, external API
    double querySeconds = 0;
    double readCapacity = 0;
    double writeCapacity = 0;
    double getRateLimit = 0;
    double putRateLimit = 0;
};

StationParameters stationParameters(const Component& component);

struct StationInput {
    ComponentTraffic traffic;      ///< at the analysed load
    double downstreamSeconds = 0;  ///< mean time of the synchronous calls per request
    double downstreamVariance = 0; ///< of that time, in seconds squared
    std::span<const ConnectionDemand> connections; ///< one per database called

    Balancing balancing = Balancing::RoundRobin; ///< of the balancer in front, if any
    double imbalance = 0;                        ///< hash routing: the busiest clone's extra share
    std::optional<int> replicas; ///< instead of the component's own (replicas-needed search)
    double percentile = 0.95;
    /// Percentiles, the model in words and notes: what is shown, and the costly part. Searches over
    /// the load (saturation, replicas needed) need only utilisations and means.
    bool detailed = true;
    /// The resources' names ("workers", "connections to db"); a search's hundreds of thousands of
    /// evaluations read only the numbers, and building the names was a tenth of an analysis.
    /// Detailed figures are always named.
    bool named = true;
};

struct StationFigures {
    /// Inline up to four (a service's CPU, workers and two pools): the searches make and drop
    /// hundreds of thousands of these, and a heap allocation each was 6% of the analysis.
    boost::container::small_vector<Resource, 4> resources;
    int instances = 1;
    double holdingSeconds = 0; ///< how long a request holds a worker, when the kind has workers
    /// Mean and percentile response, calls included; nothing when saturated. A kind with a
    /// fixed latency reports it for both.
    std::optional<double> meanResponse;
    std::optional<double> percentileResponse;
    std::string model; ///< the formula, in words
    std::vector<std::string> notes;

    /// The busiest resource (nothing for a kind without limits).
    [[nodiscard]] const Resource* binding() const;
    [[nodiscard]] double utilisation() const;
    [[nodiscard]] bool saturated() const { return utilisation() >= 1; }
};

StationFigures evaluateStation(const Component& component, const StationInput& input);
StationFigures evaluateStation(const StationParameters& parameters, const StationInput& input);

/// What a search reads of a station: its busiest resource's utilisation (0 without resources)
/// and its mean response (infinite when saturated).
struct StationPoint {
    double utilisation = 0;
    double meanResponse = 0;
    bool limited = false; ///< it has a resource (a client or a CDN has none: never saturates)
};

/// The same model as evaluateStation, worked out to those two figures only (no names, words
/// or percentiles, whatever the input asks): the searches' evaluations.
StationPoint evaluatePoint(const StationParameters& parameters, const StationInput& input);

/// The property holding the replica count of a kind that scales by adding replicas (so
/// "replicas needed" means something), or nullptr.
const char* scalingProperty(ComponentKind kind);

} // namespace headroom::analysis
