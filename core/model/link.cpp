#include "model/link.h"

#include <array>
#include <initializer_list>

namespace headroom {
namespace {

using K = ComponentKind;
using L = LinkKind;

struct LinkRule {
    ComponentKind from;
    std::initializer_list<ComponentKind> to;
    std::initializer_list<LinkKind> kinds;
};

// Which links make sense between kinds. Anything not listed is refused, with a reason.
// Callers that run code (services, workers) may call, read, write and enqueue; infrastructure
// only forwards to what sits behind it.
const std::array kRules = {
    LinkRule{K::Client,
             {K::Cdn, K::LoadBalancer, K::Service, K::ObjectStorage, K::ExternalApi},
             {L::SyncCall}},
    LinkRule{K::Cdn, {K::LoadBalancer, K::Service, K::ObjectStorage}, {L::SyncCall}},
    LinkRule{K::LoadBalancer, {K::Service, K::LoadBalancer}, {L::SyncCall}},
    LinkRule{K::Service, {K::Service, K::LoadBalancer, K::ExternalApi}, {L::SyncCall}},
    LinkRule{K::Service, {K::Cache, K::DatabasePrimary, K::ObjectStorage}, {L::Read, L::Write}},
    LinkRule{K::Service, {K::ReadReplicas}, {L::Read}},
    LinkRule{K::Service, {K::Queue}, {L::AsyncEnqueue}},
    LinkRule{K::WorkerGroup, {K::Service, K::LoadBalancer, K::ExternalApi}, {L::SyncCall}},
    LinkRule{K::WorkerGroup, {K::Cache, K::DatabasePrimary, K::ObjectStorage}, {L::Read, L::Write}},
    LinkRule{K::WorkerGroup, {K::ReadReplicas}, {L::Read}},
    LinkRule{K::WorkerGroup, {K::Queue}, {L::AsyncEnqueue}},
    LinkRule{K::Queue, {K::WorkerGroup}, {L::AsyncEnqueue}},
    // A read-through cache loads misses from the database itself.
    LinkRule{K::Cache, {K::DatabasePrimary, K::ReadReplicas}, {L::Read}},
    // Replication: the primary's write stream feeds the replicas.
    LinkRule{K::DatabasePrimary, {K::ReadReplicas}, {L::Write}},
};

bool contains(std::initializer_list<ComponentKind> kinds, ComponentKind kind) {
    for (auto k : kinds)
        if (k == kind)
            return true;
    return false;
}

bool contains(std::initializer_list<LinkKind> kinds, LinkKind kind) {
    for (auto k : kinds)
        if (k == kind)
            return true;
    return false;
}

constexpr std::array kAllLinkKinds = {L::SyncCall, L::AsyncEnqueue, L::Read, L::Write};

} // namespace

std::span<const LinkKind> allLinkKinds() {
    return kAllLinkKinds;
}

std::string_view toKey(LinkKind kind) {
    switch (kind) {
    case L::SyncCall:
        return "sync_call";
    case L::AsyncEnqueue:
        return "async_enqueue";
    case L::Read:
        return "read";
    case L::Write:
        return "write";
    }
    return "unknown";
}

std::string_view label(LinkKind kind) {
    switch (kind) {
    case L::SyncCall:
        return "sync call";
    case L::AsyncEnqueue:
        return "async enqueue";
    case L::Read:
        return "read";
    case L::Write:
        return "write";
    }
    return "unknown";
}

std::optional<LinkKind> linkKindFromKey(std::string_view key) {
    for (auto kind : kAllLinkKinds)
        if (toKey(kind) == key)
            return kind;
    return std::nullopt;
}

std::optional<std::string> linkRefusal(ComponentKind from, ComponentKind to, LinkKind kind) {
    bool anyKindAllowed = false;
    for (const auto& rule : kRules) {
        if (rule.from != from || !contains(rule.to, to))
            continue;
        anyKindAllowed = true;
        if (contains(rule.kinds, kind))
            return std::nullopt;
    }
    const std::string fromLabel = describe(from).label;
    const std::string toLabel = describe(to).label;
    if (!anyKindAllowed)
        return fromLabel + " \u2192 " + toLabel + " is not a valid connection";
    std::string allowed;
    for (auto candidate : kAllLinkKinds) {
        bool ok = false;
        for (const auto& rule : kRules)
            ok = ok ||
                 (rule.from == from && contains(rule.to, to) && contains(rule.kinds, candidate));
        if (ok)
            allowed += (allowed.empty() ? "" : ", ") + std::string(label(candidate));
    }
    return fromLabel + " \u2192 " + toLabel + ": " + std::string(label(kind)) +
           " is not allowed (allowed: " + allowed + ")";
}

} // namespace headroom
