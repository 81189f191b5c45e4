#include "layout/layered_layout.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>
#include <numeric>
#include <unordered_map>

namespace headroom::layout {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
using Vertex = Graph::vertex_descriptor;

struct Edge {
    int from;
    int to;
    int link = -1;         ///< index into project.links
    bool reversed = false; ///< turned around to break a cycle
};

/// Records, during a depth-first search, the order vertices are reached in and the edges that
/// close a cycle.
class DfsRecorder : public boost::default_dfs_visitor {
  public:
    DfsRecorder(std::vector<int>& discovery, std::vector<std::pair<Vertex, Vertex>>& backEdges)
        : discovery_(discovery), backEdges_(backEdges) {}
    void discover_vertex(Vertex v, const Graph&) { discovery_.push_back(static_cast<int>(v)); }
    void back_edge(Graph::edge_descriptor e, const Graph& g) {
        backEdges_.emplace_back(boost::source(e, g), boost::target(e, g));
    }

  private:
    std::vector<int>& discovery_;
    std::vector<std::pair<Vertex, Vertex>>& backEdges_;
};

/// Counts crossings between two adjacent layers: pairs of segments whose ends are in opposite
/// order (an inversion count, done with a Fenwick tree in O(E log V)).
int countCrossings(std::vector<std::pair<int, int>> segments, int width) {
    std::sort(segments.begin(), segments.end());
    std::vector<int> tree(static_cast<std::size_t>(width) + 1, 0);
    int crossings = 0;
    int seen = 0;
    for (const auto& [upper, lower] : segments) {
        // Segments seen so far with a lower end strictly right of this one cross it.
        int notGreater = 0;
        for (int i = lower + 1; i > 0; i -= i & -i)
            notGreater += tree[static_cast<std::size_t>(i)];
        crossings += seen - notGreater;
        for (int i = lower + 1; i <= width; i += i & -i)
            ++tree[static_cast<std::size_t>(i)];
        ++seen;
        (void)upper;
    }
    return crossings;
}

class LayeredLayout {
  public:
    LayeredLayout(const Project& project, const LayoutOptions& options)
        : project_(project), options_(options), n_(static_cast<int>(project.components.size())) {}

    LayoutResult run() {
        if (n_ == 0)
            return {};
        collectEdges();
        const auto discovery = breakCycles();
        assignLayers();
        assignBands(discovery);
        insertDummies();
        orderLayers(discovery);
        LayoutResult result;
        result.crossings = totalCrossings();
        place(result);
        fitZones(result);
        for (int v = 0; v < n_; ++v)
            result.layers[project_.components[static_cast<std::size_t>(v)].id] = layer_[v];
        return result;
    }

  private:
    // ---- graph ------------------------------------------------------------------------------

    void collectEdges() {
        std::unordered_map<std::string, int> index;
        for (int v = 0; v < n_; ++v)
            index.emplace(project_.components[static_cast<std::size_t>(v)].id, v);
        for (std::size_t i = 0; i < project_.links.size(); ++i) {
            const auto& link = project_.links[i];
            auto from = index.find(link.from);
            auto to = index.find(link.to);
            if (from == index.end() || to == index.end() || from->second == to->second)
                continue;
            edges_.push_back({from->second, to->second, static_cast<int>(i), false});
        }
    }

    /// Depth-first search from the entry points (clients first, then other sources, then the
    /// rest); every back edge is reversed so the remaining graph is acyclic. Returns the order
    /// in which components were first reached, which seeds the ordering inside layers.
    std::vector<int> breakCycles() {
        Graph g(static_cast<std::size_t>(n_));
        for (const auto& e : edges_)
            boost::add_edge(static_cast<Vertex>(e.from), static_cast<Vertex>(e.to), g);

        std::vector<int> roots;
        for (int v = 0; v < n_; ++v)
            if (project_.components[static_cast<std::size_t>(v)].kind == ComponentKind::Client)
                roots.push_back(v);
        for (int v = 0; v < n_; ++v)
            if (boost::in_degree(static_cast<Vertex>(v), g) == 0 &&
                project_.components[static_cast<std::size_t>(v)].kind != ComponentKind::Client)
                roots.push_back(v);
        for (int v = 0; v < n_; ++v)
            roots.push_back(v);

        std::vector<boost::default_color_type> colors(static_cast<std::size_t>(n_),
                                                      boost::white_color);
        auto colorMap =
            boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, g));
        std::vector<std::pair<Vertex, Vertex>> backEdges;
        std::vector<int> discovery;
        DfsRecorder recorder(discovery, backEdges);
        for (int root : roots)
            if (colors[static_cast<std::size_t>(root)] == boost::white_color)
                boost::depth_first_visit(g, static_cast<Vertex>(root), recorder, colorMap);
        std::sort(backEdges.begin(), backEdges.end());
        for (auto& e : edges_) {
            const std::pair<Vertex, Vertex> key(static_cast<Vertex>(e.from),
                                                static_cast<Vertex>(e.to));
            if (std::binary_search(backEdges.begin(), backEdges.end(), key)) {
                std::swap(e.from, e.to);
                e.reversed = true;
            }
        }
        return discovery;
    }

    /// Longest-path layering on the acyclic graph: each component one layer right of its
    /// furthest caller.
    void assignLayers() {
        Graph dag(static_cast<std::size_t>(n_));
        for (const auto& e : edges_)
            boost::add_edge(static_cast<Vertex>(e.from), static_cast<Vertex>(e.to), dag);
        std::vector<Vertex> reverseTopological;
        boost::topological_sort(dag, std::back_inserter(reverseTopological));
        layer_.assign(static_cast<std::size_t>(n_), 0);
        for (auto it = reverseTopological.rbegin(); it != reverseTopological.rend(); ++it)
            for (auto [out, end] = boost::out_edges(*it, dag); out != end; ++out) {
                const auto target = boost::target(*out, dag);
                layer_[target] = std::max(layer_[target], layer_[*it] + 1);
            }
        layerCount_ = 1 + *std::max_element(layer_.begin(), layer_.end());
    }

    // ---- zone bands -------------------------------------------------------------------------

    /// The chain of zones from the outermost down to `zoneId` (empty for no zone).
    std::vector<std::string> zoneChain(const std::string& zoneId) const {
        std::vector<std::string> chain;
        for (std::string at = zoneId; !at.empty() && chain.size() < project_.zones.size() + 1;) {
            const auto* zone = project_.findZone(at);
            if (!zone)
                break;
            chain.insert(chain.begin(), zone->id);
            at = zone->parent;
        }
        return chain;
    }

    /// Every component sits in the band of its (innermost) zone. Bands are ordered so that the
    /// bands of one zone, and of all zones sharing an ancestor, are next to each other; among
    /// siblings the one reached first from the entry points comes first.
    void assignBands(const std::vector<int>& discovery) {
        std::vector<int> rank(static_cast<std::size_t>(n_));
        for (std::size_t i = 0; i < discovery.size(); ++i)
            rank[static_cast<std::size_t>(discovery[i])] = static_cast<int>(i);

        std::map<std::vector<std::string>, int> firstReached; // chain prefix -> best rank
        std::vector<std::vector<std::string>> chains(static_cast<std::size_t>(n_));
        for (int v = 0; v < n_; ++v) {
            auto chain = zoneChain(project_.components[static_cast<std::size_t>(v)].zone);
            for (std::size_t k = 0; k <= chain.size(); ++k) {
                std::vector<std::string> prefix(chain.begin(), chain.begin() + k);
                auto [it, inserted] = firstReached.emplace(prefix, rank[v]);
                if (!inserted)
                    it->second = std::min(it->second, rank[v]);
            }
            chains[static_cast<std::size_t>(v)] = std::move(chain);
        }
        // Sort key of a band: the ranks of each prefix of its chain, outermost first.
        auto key = [&](const std::vector<std::string>& chain) {
            std::vector<std::pair<int, std::string>> k;
            for (std::size_t i = 1; i <= chain.size(); ++i)
                k.emplace_back(firstReached.at({chain.begin(), chain.begin() + i}), chain[i - 1]);
            return k;
        };
        std::vector<std::vector<std::string>> distinct(chains.begin(), chains.end());
        std::sort(distinct.begin(), distinct.end());
        distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
        std::sort(distinct.begin(), distinct.end(),
                  [&](const auto& a, const auto& b) { return key(a) < key(b); });
        bandChains_ = distinct;
        band_.assign(static_cast<std::size_t>(n_), 0);
        for (int v = 0; v < n_; ++v)
            band_[static_cast<std::size_t>(v)] = static_cast<int>(
                std::find(distinct.begin(), distinct.end(), chains[static_cast<std::size_t>(v)]) -
                distinct.begin());
    }

    /// The band for a lane between two bands: the same band, or the band of the zone both
    /// share (if that zone has direct members), else the source's band.
    int sharedBand(int a, int b) const {
        if (a == b)
            return a;
        const auto& ca = bandChains_[static_cast<std::size_t>(a)];
        const auto& cb = bandChains_[static_cast<std::size_t>(b)];
        std::size_t common = 0;
        while (common < ca.size() && common < cb.size() && ca[common] == cb[common])
            ++common;
        const std::vector<std::string> prefix(ca.begin(), ca.begin() + common);
        for (std::size_t i = 0; i < bandChains_.size(); ++i)
            if (bandChains_[i] == prefix)
                return static_cast<int>(i);
        return a;
    }

    // ---- ordering inside layers -------------------------------------------------------------

    /// Long edges get a dummy vertex in every layer they skip, so crossing reduction sees them.
    void insertDummies() {
        vertexCount_ = n_;
        for (const auto& e : edges_) {
            int previous = e.from;
            auto& lane = dummiesOfLink_[e.link];
            // A link between two zones runs in the band of the outermost zone they share, so
            // its lane never cuts through a zone it does not belong to.
            const int laneBand = sharedBand(band_[static_cast<std::size_t>(e.from)],
                                            band_[static_cast<std::size_t>(e.to)]);
            for (int l = layer_[static_cast<std::size_t>(e.from)] + 1;
                 l < layer_[static_cast<std::size_t>(e.to)]; ++l) {
                const int dummy = vertexCount_++;
                layer_.push_back(l);
                band_.push_back(laneBand);
                segments_.push_back({previous, dummy});
                lane.push_back(dummy);
                previous = dummy;
            }
            segments_.push_back({previous, e.to});
        }
        up_.assign(static_cast<std::size_t>(vertexCount_), {});
        down_.assign(static_cast<std::size_t>(vertexCount_), {});
        for (const auto& s : segments_) {
            down_[static_cast<std::size_t>(s.from)].push_back(s.to);
            up_[static_cast<std::size_t>(s.to)].push_back(s.from);
        }
    }

    void orderLayers(const std::vector<int>& discovery) {
        order_.assign(static_cast<std::size_t>(layerCount_), {});
        for (int v : discovery)
            order_[static_cast<std::size_t>(layer_[static_cast<std::size_t>(v)])].push_back(v);
        for (int v = n_; v < vertexCount_; ++v)
            order_[static_cast<std::size_t>(layer_[static_cast<std::size_t>(v)])].push_back(v);
        position_.assign(static_cast<std::size_t>(vertexCount_), 0);
        for (auto& layer : order_)
            sortByBand(layer, {});

        auto best = order_;
        int bestCrossings = totalCrossings();
        for (int sweep = 0; sweep < options_.sweeps && bestCrossings > 0; ++sweep) {
            const bool downward = sweep % 2 == 0;
            for (int i = 1; i < layerCount_; ++i) {
                const int l = downward ? i : layerCount_ - 1 - i;
                auto& layer = order_[static_cast<std::size_t>(l)];
                std::vector<double> barycentre(static_cast<std::size_t>(vertexCount_), 0);
                for (int v : layer) {
                    const auto& neighbours = downward ? up_[static_cast<std::size_t>(v)]
                                                      : down_[static_cast<std::size_t>(v)];
                    double sum = 0;
                    int count = 0;
                    for (int u : neighbours) {
                        const int ul = layer_[static_cast<std::size_t>(u)];
                        if (ul == l + (downward ? -1 : 1)) {
                            sum += position_[static_cast<std::size_t>(u)];
                            ++count;
                        }
                    }
                    barycentre[static_cast<std::size_t>(v)] =
                        count ? sum / count : position_[static_cast<std::size_t>(v)];
                }
                sortByBand(layer, barycentre);
            }
            const int crossings = totalCrossings();
            if (crossings < bestCrossings) {
                bestCrossings = crossings;
                best = order_;
            }
        }
        order_ = best;
        for (auto& layer : order_)
            for (std::size_t i = 0; i < layer.size(); ++i)
                position_[static_cast<std::size_t>(layer[i])] = static_cast<double>(i);
    }

    /// Keeps each band contiguous (in band order) and sorts inside a band by barycentre.
    void sortByBand(std::vector<int>& layer, const std::vector<double>& barycentre) {
        std::stable_sort(layer.begin(), layer.end(), [&](int a, int b) {
            const int ba = band_[static_cast<std::size_t>(a)];
            const int bb = band_[static_cast<std::size_t>(b)];
            if (ba != bb)
                return ba < bb;
            if (barycentre.empty())
                return false;
            return barycentre[static_cast<std::size_t>(a)] <
                   barycentre[static_cast<std::size_t>(b)];
        });
        for (std::size_t i = 0; i < layer.size(); ++i)
            position_[static_cast<std::size_t>(layer[i])] = static_cast<double>(i);
    }

    int totalCrossings() const {
        std::vector<std::vector<std::pair<int, int>>> between(
            static_cast<std::size_t>(std::max(0, layerCount_ - 1)));
        int width = 1;
        for (const auto& layer : order_)
            width = std::max(width, static_cast<int>(layer.size()));
        for (const auto& s : segments_) {
            const int l = layer_[static_cast<std::size_t>(s.from)];
            between[static_cast<std::size_t>(l)].emplace_back(
                static_cast<int>(position_[static_cast<std::size_t>(s.from)]),
                static_cast<int>(position_[static_cast<std::size_t>(s.to)]));
        }
        int total = 0;
        for (auto& pairs : between)
            total += countCrossings(std::move(pairs), width);
        return total;
    }

    // ---- coordinates ------------------------------------------------------------------------

    void place(LayoutResult& result) {
        const int bands = static_cast<int>(bandChains_.size());
        // Rows a band needs: its fullest layer.
        std::vector<int> rows(static_cast<std::size_t>(bands), 0);
        std::vector<std::vector<std::vector<int>>> members(
            static_cast<std::size_t>(layerCount_),
            std::vector<std::vector<int>>(static_cast<std::size_t>(bands)));
        // Lanes of long links take a row like a component does, so they never run through a
        // card.
        for (int l = 0; l < layerCount_; ++l)
            for (int v : order_[static_cast<std::size_t>(l)])
                members[static_cast<std::size_t>(l)]
                       [static_cast<std::size_t>(band_[static_cast<std::size_t>(v)])]
                           .push_back(v);
        for (int l = 0; l < layerCount_; ++l)
            for (int b = 0; b < bands; ++b)
                rows[static_cast<std::size_t>(b)] = std::max(
                    rows[static_cast<std::size_t>(b)],
                    static_cast<int>(
                        members[static_cast<std::size_t>(l)][static_cast<std::size_t>(b)].size()));

        // Stack the bands top to bottom, leaving room for the frames of the zones that open
        // and close between them.
        const double cardTop = options_.origin.y - kCardHeight / 2;
        double y = cardTop;
        std::vector<std::string> open;
        std::vector<double> bandTop(static_cast<std::size_t>(bands));
        for (int b = 0; b < bands; ++b) {
            const auto& chain = bandChains_[static_cast<std::size_t>(b)];
            std::size_t common = 0;
            while (common < open.size() && common < chain.size() && open[common] == chain[common])
                ++common;
            const std::size_t closing = open.size() - common;
            const std::size_t opening = chain.size() - common;
            if (b > 0)
                y += options_.bandGap + options_.zonePadding * static_cast<double>(closing);
            y += (options_.zonePadding + options_.zoneTitle) * static_cast<double>(opening);
            open = chain;
            bandTop[static_cast<std::size_t>(b)] = y;
            y += (rows[static_cast<std::size_t>(b)] - 1) * options_.rowSpacing + kCardHeight;
        }

        for (int l = 0; l < layerCount_; ++l)
            for (int b = 0; b < bands; ++b) {
                const auto& inBand =
                    members[static_cast<std::size_t>(l)][static_cast<std::size_t>(b)];
                const double shift =
                    (rows[static_cast<std::size_t>(b)] - static_cast<double>(inBand.size())) / 2;
                for (std::size_t i = 0; i < inBand.size(); ++i) {
                    const int v = inBand[i];
                    const double cy = bandTop[static_cast<std::size_t>(b)] + kCardHeight / 2 +
                                      (shift + static_cast<double>(i)) * options_.rowSpacing;
                    const double cx = options_.origin.x + l * options_.layerSpacing;
                    if (v < n_)
                        result.positions[project_.components[static_cast<std::size_t>(v)].id] = {
                            cx, cy};
                    else
                        dummyAt_[v] = {cx, cy};
                }
            }
        // A lane crosses each skipped layer's column horizontally, entering and leaving at
        // the card edges, so only the gaps between columns see slanted segments.
        for (const auto& [link, lane] : dummiesOfLink_) {
            auto& bends = result.bends[project_.links[static_cast<std::size_t>(link)].id];
            for (int dummy : lane) {
                const Point at = dummyAt_.at(dummy);
                bends.push_back({at.x - kCardWidth / 2, at.y});
                bends.push_back({at.x + kCardWidth / 2, at.y});
            }
            if (edgeReversed(link))
                std::reverse(bends.begin(), bends.end());
        }
    }

    bool edgeReversed(int link) const {
        for (const auto& e : edges_)
            if (e.link == link)
                return e.reversed;
        return false;
    }

    /// Fits every zone's frame around its components and its child zones' frames.
    void fitZones(LayoutResult& result) const {
        // Deepest zones first, so a region can wrap the frames of its availability zones.
        std::vector<std::pair<std::size_t, std::string>> byDepth;
        for (const auto& zone : project_.zones)
            byDepth.emplace_back(zoneChain(zone.id).size(), zone.id);
        std::sort(byDepth.rbegin(), byDepth.rend());
        std::vector<std::string> emptyZones;
        for (const auto& [depth, id] : byDepth) {
            bool any = false;
            double left = 0, top = 0, right = 0, bottom = 0;
            auto include = [&](double l, double t, double r, double b) {
                if (!any) {
                    left = l, top = t, right = r, bottom = b;
                    any = true;
                } else {
                    left = std::min(left, l), top = std::min(top, t);
                    right = std::max(right, r), bottom = std::max(bottom, b);
                }
            };
            for (const auto& c : project_.components)
                if (c.zone == id) {
                    const auto p = result.positions.at(c.id);
                    include(p.x - kCardWidth / 2, p.y - kCardHeight / 2, p.x + kCardWidth / 2,
                            p.y + kCardHeight / 2);
                }
            // Lanes that run inside the zone's band belong inside its frame too.
            for (const auto& [dummy, at] : dummyAt_) {
                const auto& chain = bandChains_[static_cast<std::size_t>(band_[dummy])];
                if (!chain.empty() && chain.back() == id)
                    include(at.x - kCardWidth / 2, at.y - kCardHeight / 2, at.x + kCardWidth / 2,
                            at.y + kCardHeight / 2);
            }
            for (const auto& child : project_.zones)
                if (child.parent == id && result.zoneFrames.count(child.id)) {
                    const auto& f = result.zoneFrames.at(child.id);
                    include(f.x, f.y, f.x + f.width, f.y + f.height);
                }
            if (!any) {
                emptyZones.push_back(id);
                continue;
            }
            const double pad = options_.zonePadding;
            result.zoneFrames[id] = {left - pad, top - pad - options_.zoneTitle,
                                     right - left + 2 * pad,
                                     bottom - top + 2 * pad + options_.zoneTitle};
        }
        // Zones nothing sits in keep their size and line up below the drawing, so their old
        // frames do not lie across the new layout.
        double bottom = options_.origin.y;
        for (const auto& [id, at] : result.positions)
            bottom = std::max(bottom, at.y + kCardHeight / 2);
        for (const auto& [dummy, at] : dummyAt_)
            bottom = std::max(bottom, at.y + kCardHeight / 2);
        for (const auto& [id, frame] : result.zoneFrames)
            bottom = std::max(bottom, frame.y + frame.height);
        double x = options_.origin.x - kCardWidth / 2;
        std::sort(emptyZones.begin(), emptyZones.end());
        for (const auto& id : emptyZones) {
            const auto* zone = project_.findZone(id);
            result.zoneFrames[id] = {x, bottom + options_.bandGap, zone->bounds.width,
                                     zone->bounds.height};
            x += zone->bounds.width + options_.bandGap;
        }
    }

    const Project& project_;
    const LayoutOptions& options_;
    const int n_;
    std::vector<Edge> edges_;
    std::vector<Edge> segments_;
    std::map<int, std::vector<int>> dummiesOfLink_; ///< link index -> its dummies, in order
    std::map<int, Point> dummyAt_;
    std::vector<int> layer_;
    std::vector<int> band_;
    std::vector<std::vector<std::string>> bandChains_;
    std::vector<std::vector<int>> up_, down_;
    std::vector<std::vector<int>> order_;
    std::vector<double> position_;
    int layerCount_ = 0;
    int vertexCount_ = 0;
};

} // namespace

LayoutResult layeredLayout(const Project& project, const LayoutOptions& options) {
    return LayeredLayout(project, options).run();
}

Project applyLayout(Project project, const LayoutResult& layout) {
    for (auto& c : project.components)
        if (auto it = layout.positions.find(c.id); it != layout.positions.end())
            c.position = it->second;
    for (auto& z : project.zones)
        if (auto it = layout.zoneFrames.find(z.id); it != layout.zoneFrames.end())
            z.bounds = it->second;
    for (auto& l : project.links) {
        auto it = layout.bends.find(l.id);
        l.bends = it == layout.bends.end() ? std::vector<Point>{} : it->second;
    }
    return project;
}

} // namespace headroom::layout
