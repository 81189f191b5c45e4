#pragma once
// A large, realistic-shaped topology for benchmarks: entry points feeding balancers, layers of
// services calling each other, caches, databases, queues and workers, spread over zones.

#include "model/project.h"

#include <random>
#include <string>

namespace headroom::bench {

/// Builds a project with exactly `components` components and `links` links (valid kinds only).
inline Project syntheticTopology(int components, int links, unsigned seed = 42) {
    Project p;
    p.name = "Synthetic " + std::to_string(components);
    std::mt19937 random(seed);
    const ComponentKind cycle[] = {ComponentKind::LoadBalancer, ComponentKind::Service,
                                   ComponentKind::Service,      ComponentKind::Cache,
                                   ComponentKind::Service,      ComponentKind::DatabasePrimary,
                                   ComponentKind::Queue,        ComponentKind::WorkerGroup,
                                   ComponentKind::Service,      ComponentKind::ReadReplicas};
    const int zones = 8;
    for (int z = 0; z < zones; ++z)
        p.zones.push_back({"zone" + std::to_string(z),
                           "Zone " + std::to_string(z),
                           ZoneKind::AvailabilityZone,
                           "",
                           {z * 1200.0, 0, 1150, 6000}});
    for (int i = 0; i < components; ++i) {
        const auto kind = i < 10 ? ComponentKind::Client : cycle[i % 10];
        auto c = makeComponent(kind, "c" + std::to_string(i), "Component " + std::to_string(i));
        c.position = {(i % zones) * 1200.0 + 100 + (i / zones % 4) * 250, (i / 32) * 120.0 + 60};
        c.zone = kind == ComponentKind::Client ? "" : "zone" + std::to_string(i % zones);
        p.components.push_back(std::move(c));
    }
    // Keep drawing random pairs until enough of them are allowed by the link rules.
    std::uniform_int_distribution<int> pick(0, components - 1);
    for (int made = 0, attempts = 0; made < links && attempts < links * 1000; ++attempts) {
        const auto& from = p.components[static_cast<std::size_t>(pick(random))];
        const auto& to = p.components[static_cast<std::size_t>(pick(random))];
        if (from.id == to.id)
            continue;
        for (auto kind : allLinkKinds()) {
            if (linkRefusal(from.kind, to.kind, kind))
                continue;
            p.links.push_back({"l" + std::to_string(made), from.id, to.id, kind, 1.0, false, {}});
            ++made;
            break;
        }
    }
    return p;
}

} // namespace headroom::bench
