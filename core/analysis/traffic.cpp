#include "analysis/traffic.h"

#include <algorithm>

namespace headroom::analysis {

std::optional<std::size_t> pairedCache(const Project& project, const Topology& topology,
                                       std::size_t linkIndex) {
    const auto caller = topology.from[linkIndex];
    if (!caller)
        return std::nullopt;
    const double calls = project.links[linkIndex].callsPerRequest;
    std::vector<std::size_t> caches;
    std::optional<std::size_t> sameCalls;
    for (const auto l : topology.outLinks[*caller]) {
        const auto& link = project.links[l];
        const auto to = topology.to[l];
        if (link.kind != LinkKind::Read || !to ||
            project.components[*to].kind != ComponentKind::Cache)
            continue;
        caches.push_back(*to);
        if (link.callsPerRequest == calls && !sameCalls)
            sameCalls = *to;
    }
    if (sameCalls)
        return sameCalls;
    if (caches.empty())
        return std::nullopt;
    return *std::min_element(caches.begin(), caches.end(), [&](std::size_t a, std::size_t b) {
        return project.components[a].number("hit_ratio") <
               project.components[b].number("hit_ratio");
    });
}

TrafficResult propagateTraffic(const Project& project, const Topology& topology,
                               double loadMultiplier) {
    const auto& components = project.components;
    TrafficResult out;
    out.components.resize(components.size());
    out.links.resize(project.links.size());
    for (std::size_t l = 0; l < project.links.size(); ++l)
        out.links[l].closesCycle = topology.closesCycle[l];
    for (const auto& cycle : topology.cycles) {
        std::vector<std::string> ids;
        for (const auto v : cycle)
            ids.push_back(components[v].id);
        out.cycles.push_back(std::move(ids));
    }

    const auto deliver = [&](std::size_t l, double rate, double staticRate) {
        out.links[l].rate = rate;
        auto& callee = out.components[*topology.to[l]];
        switch (project.links[l].kind) {
        case LinkKind::Read:
            callee.reads += rate;
            break;
        case LinkKind::Write:
            callee.writes += rate;
            break;
        default:
            callee.calls += rate;
            break;
        }
        callee.staticRate += staticRate;
    };

    for (const auto v : topology.callersFirst) {
        const auto& c = components[v];
        auto& here = out.components[v];
        if (c.kind == ComponentKind::Client) {
            const double rate = c.number("arrival_rate_rps") * loadMultiplier;
            here.calls += rate;
            here.staticRate += rate * c.number("static_fraction");
            out.entryRate += rate;
        }
        // Reads a primary hands to the replicas linked from it (read_share of them).
        std::vector<std::size_t> replicaLinks;
        if (c.kind == ComponentKind::DatabasePrimary)
            for (const auto l : topology.outLinks[v])
                if (!topology.closesCycle[l] && project.links[l].kind == LinkKind::Write &&
                    components[*topology.to[l]].kind == ComponentKind::ReadReplicas)
                    replicaLinks.push_back(l);
        double handedOver = 0;
        if (!replicaLinks.empty()) {
            const double share =
                components[*topology.to[replicaLinks.front()]].number("read_share");
            handedOver = here.reads * share;
            here.reads -= handedOver;
            for (const auto l : replicaLinks)
                out.components[*topology.to[l]].reads +=
                    handedOver / static_cast<double>(replicaLinks.size());
        }

        const double total = here.total();
        for (const auto l : topology.outLinks[v]) {
            if (topology.closesCycle[l])
                continue;
            const auto& link = project.links[l];
            double base = total;
            double staticBase = 0;
            switch (c.kind) {
            case ComponentKind::Client:
            case ComponentKind::LoadBalancer:
                staticBase = here.staticRate;
                break;
            case ComponentKind::Cdn: {
                const double offload = c.number("offload_ratio");
                base = total - here.staticRate * offload;
                staticBase = here.staticRate * (1 - offload);
                break;
            }
            case ComponentKind::Cache:
                base = total * (1 - c.number("hit_ratio"));
                break;
            case ComponentKind::DatabasePrimary:
                if (link.kind == LinkKind::Write)
                    base = here.writes; // replication
                else if (link.kind == LinkKind::Read)
                    base = here.reads;
                break;
            default:
                break;
            }
            double factor = link.callsPerRequest;
            if (link.onlyOnMiss) {
                if (const auto cache = pairedCache(project, topology, l))
                    factor *= 1 - components[*cache].number("hit_ratio");
                else
                    out.notes.push_back("link " + link.id + " is marked 'only on miss' but " +
                                        c.id + " reads no cache: every call is counted");
            }
            deliver(l, base * factor, staticBase * factor);
        }
    }
    for (std::size_t l = 0; l < project.links.size(); ++l)
        if (const auto from = topology.from[l]; from && out.components[*from].total() > 0)
            out.links[l].perCallerRequest = out.links[l].rate / out.components[*from].total();
    return out;
}

} // namespace headroom::analysis
