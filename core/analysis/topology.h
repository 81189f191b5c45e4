#pragma once
// The drawn system as a directed graph (Boost.Graph), with what the engines walk it by: the
// links in and out of each component, the cycles (strongly connected components), and an order
// in which every caller comes before what it calls once the links inside cycles are set aside.

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
    std::vector<bool> linkInCycle;
    std::vector<std::vector<std::size_t>> cycles; ///< component indices of each cycle
    std::vector<std::size_t> callersFirst;        ///< every component, callers before callees
};

Topology buildTopology(const Project& project);

/// Components whose loss disconnects the drawing (articulation points of the links taken both
/// ways), by index.
std::vector<std::size_t> articulationPoints(const Project& project, const Topology& topology);

} // namespace headroom::analysis
