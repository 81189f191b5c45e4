#pragma once
// Traffic propagation (the forced flow law: a component's rate is the entry rate times its
// visits per entry request): from the clients' arrival rates through every link to every
// component, per second, with reads and writes apart. What each kind passes on:
// - a client sends its arrival rate (times the load multiplier) down each link;
// - a CDN answers `offload_ratio` of the static requests (the clients' `static_fraction`,
//   carried through load balancers) at the edge and forwards the rest;
// - a cache forwards only its misses (read-through); a caller's link marked "only on miss" is
//   multiplied by the miss ratio of the cache that caller reads (see pairedCache below);
// - a database primary forwards its writes to its replicas (replication), and hands
//   `read_share` of the reads sent to it to the replicas linked from it;
// - everything else sends its rate times each link's calls per request.
// Async links carry rate like any other but end the synchronous path (analysis.h). Cycles are
// reported; the one link that closes each (topology.h) carries nothing, or its rate would feed
// itself; the rest of the loop carries traffic like any other link.

#include "analysis/topology.h"
#include "model/project.h"

#include <string>
#include <vector>

namespace headroom::analysis {

struct ComponentTraffic {
    double reads = 0;      ///< requests per second that only read (GETs, lookups, SELECTs)
    double writes = 0;     ///< that write
    double calls = 0;      ///< by sync calls and async deliveries (neither read nor write)
    double staticRate = 0; ///< of `total`, requests for static content a CDN could answer
    [[nodiscard]] double total() const { return reads + writes + calls; }
};

struct LinkTraffic {
    double rate = 0; ///< requests per second along the link
    /// Expected calls along the link per request the caller handles (rate / caller's total):
    /// what the caller's response time pays for the callee's.
    double perCallerRequest = 0;
    bool closesCycle = false;
};

struct TrafficResult {
    std::vector<ComponentTraffic> components; ///< in project.components order
    std::vector<LinkTraffic> links;           ///< in project.links order
    double entryRate = 0;                     ///< all clients together, requests per second
    /// Each cycle found, as the ids of its components; the link closing it carries nothing.
    std::vector<std::vector<std::string>> cycles;
    /// Assumptions made where the drawing is ambiguous, in sentences.
    std::vector<std::string> notes;
};

TrafficResult propagateTraffic(const Project& project, const Topology& topology,
                               double loadMultiplier = 1.0);

/// For a link marked "only on miss": the index of the cache whose misses it serves, among the
/// caller's read links to caches: the one read with the same calls per request, else the only
/// one, else the one with the lowest hit ratio (the most misses: the cautious choice). Nothing
/// when the caller reads no cache. The index is the cache's, among project.components.
std::optional<std::size_t> pairedCache(const Project& project, const Topology& topology,
                                       std::size_t linkIndex);

} // namespace headroom::analysis
