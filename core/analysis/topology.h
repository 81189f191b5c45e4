#pragma once
// The drawn system as a directed graph (Boost.Graph), with what the engines walk it by: the
// links in and out of each component, the cycles (strongly connected components), the link
// that closes each loop (a back edge of a depth-first search from the clients: a worker's
// status call back to the API that queued its job), and an order in which every caller comes
// before what it calls once those closing links are set aside.

#include "model/project.h"

#include <cstddef>
#include <optional>
#include <vector>

namespace headroom::analysis {

struct Topology {
    /// Per link (project order): the indices of its two components; nothing when an end is
    /// missing (validation reports such a link; the engines skip it).
    std::vector<std::optional<std::size_t>> from, to;
    std::vector<std::vector<std::size_t>> outLinks, inLinks; ///< link indices per component
    std::vector<bool> closesCycle; ///< per link: it leads back into the caller's own path
    std::vector<std::vector<std::size_t>> cycles; ///< component indices of each cycle
    std::vector<std::size_t> callersFirst;        ///< every component, callers before callees
};

Topology buildTopology(const Project& project);

/// Whether a link holds its caller until the callee answers: not an async enqueue, not a link
/// closing a loop, not a primary's replication to its read replicas (asynchronous).
bool synchronousLink(const Project& project, const Topology& topology, std::size_t link);

/// Components whose loss disconnects the drawing (articulation points of the links taken both
/// ways), by index.
std::vector<std::size_t> articulationPoints(const Project& project, const Topology& topology);

} // namespace headroom::analysis
