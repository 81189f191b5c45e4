#include "analysis/topology.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/biconnected_components.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/topological_sort.hpp>
#include <iterator>
#include <unordered_map>

namespace headroom::analysis {

Topology buildTopology(const Project& project) {
    const std::size_t n = project.components.size();
    std::unordered_map<std::string_view, std::size_t> index;
    index.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        index.emplace(project.components[i].id, i);

    Topology t;
    const std::size_t links = project.links.size();
    t.from.reserve(links);
    t.to.reserve(links);
    t.closesCycle.assign(links, false);
    std::vector<std::pair<std::size_t, std::size_t>> edges;
    std::vector<std::size_t> edgeLink; // the link each edge is
    edges.reserve(links);
    edgeLink.reserve(links);
    std::vector<std::size_t> outDegree(n, 0), inDegree(n, 0);
    for (std::size_t l = 0; l < links; ++l) {
        const auto a = index.find(project.links[l].from);
        const auto b = index.find(project.links[l].to);
        t.from.push_back(a == index.end() ? std::nullopt : std::optional(a->second));
        t.to.push_back(b == index.end() ? std::nullopt : std::optional(b->second));
        if (!t.from.back() || !t.to.back())
            continue;
        edges.emplace_back(*t.from.back(), *t.to.back());
        edgeLink.push_back(l);
        ++outDegree[*t.from.back()];
        ++inDegree[*t.to.back()];
    }
    t.outLinks.resize(n);
    t.inLinks.resize(n);
    for (std::size_t v = 0; v < n; ++v) {
        t.outLinks[v].reserve(outDegree[v]);
        t.inLinks[v].reserve(inDegree[v]);
    }
    for (std::size_t e = 0; e < edges.size(); ++e) {
        t.outLinks[edges[e].first].push_back(edgeLink[e]);
        t.inLinks[edges[e].second].push_back(edgeLink[e]);
    }
    // One graph in compressed rows (an array of edges, not a list per component), each edge
    // carrying its link's index; a component's edges keep the links' order. The cycle-free
    // view for the order below is a filter over it, not a second graph.
    using Linked =
        boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, std::size_t>;
    const Linked linked(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(),
                        edgeLink.begin(), n);

    // Cycles: strongly connected components of more than one vertex, or a self-link.
    std::vector<std::size_t> scc(n);
    const auto count = n ? boost::strong_components(
                               linked, boost::make_iterator_property_map(
                                           scc.begin(), boost::get(boost::vertex_index, linked)))
                         : 0;
    std::vector<std::size_t> sizes(count, 0);
    for (const auto c : scc)
        ++sizes[c];
    std::vector<bool> selfLoop(count, false);
    for (std::size_t l = 0; l < project.links.size(); ++l)
        if (t.from[l] && t.to[l] && *t.from[l] == *t.to[l])
            selfLoop[scc[*t.from[l]]] = true;
    std::vector<std::optional<std::size_t>> cycleOf(count);
    for (std::size_t v = 0; v < n; ++v) {
        const auto c = scc[v];
        if (sizes[c] < 2 && !selfLoop[c])
            continue;
        if (!cycleOf[c]) {
            cycleOf[c] = t.cycles.size();
            t.cycles.emplace_back();
        }
        t.cycles[*cycleOf[c]].push_back(v);
    }

    // The links that close a loop: back edges of a depth-first search that starts from the
    // clients (so the loop is entered the way traffic enters it), then from anything left.
    struct BackEdges : boost::default_dfs_visitor {
        std::vector<bool>* closes;
        void back_edge(Linked::edge_descriptor e, const Linked& g) const { (*closes)[g[e]] = true; }
    } visitor;
    visitor.closes = &t.closesCycle;
    std::vector<boost::default_color_type> colors(n, boost::white_color);
    auto colorMap =
        boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, linked));
    for (int pass = 0; pass < 2; ++pass)
        for (std::size_t v = 0; v < n; ++v)
            if (colors[v] == boost::white_color &&
                (pass == 1 || project.components[v].kind == ComponentKind::Client))
                boost::depth_first_visit(linked, v, visitor, colorMap);

    struct Opens { // the links that close no loop
        const Linked* graph = nullptr;
        const std::vector<bool>* closes = nullptr;
        bool operator()(Linked::edge_descriptor e) const { return !(*closes)[(*graph)[e]]; }
    };
    const boost::filtered_graph<Linked, Opens> acyclic(linked, Opens{&linked, &t.closesCycle});
    std::vector<std::size_t> reversed;
    reversed.reserve(n);
    boost::topological_sort(acyclic, std::back_inserter(reversed));
    t.callersFirst.assign(reversed.rbegin(), reversed.rend());
    return t;
}

std::vector<std::size_t> articulationPoints(const Project& project, const Topology& topology) {
    using Undirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
    Undirected g(project.components.size());
    for (std::size_t l = 0; l < project.links.size(); ++l)
        if (topology.from[l] && topology.to[l] && *topology.from[l] != *topology.to[l])
            boost::add_edge(*topology.from[l], *topology.to[l], g);
    std::vector<std::size_t> points;
    boost::articulation_points(g, std::back_inserter(points));
    return points;
}

bool synchronousLink(const Project& project, const Topology& topology, std::size_t l) {
    const auto& link = project.links[l];
    if (link.kind == LinkKind::AsyncEnqueue || topology.closesCycle[l] || !topology.to[l] ||
        !topology.from[l])
        return false;
    return !(project.components[*topology.from[l]].kind == ComponentKind::DatabasePrimary &&
             project.components[*topology.to[l]].kind == ComponentKind::ReadReplicas);
}

} // namespace headroom::analysis
