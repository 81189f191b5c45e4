#pragma once
// A directed connection between two components: who calls, enqueues to, reads or writes whom.

#include "model/component_kind.h"
#include "model/geometry.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace headroom {

enum class LinkKind { SyncCall, AsyncEnqueue, Read, Write };

struct Link {
    std::string id;
    std::string from; ///< id of the calling component
    std::string to;   ///< id of the called component
    LinkKind kind = LinkKind::SyncCall;
    /// Fan-out: calls made to `to` for each request `from` handles.
    double callsPerRequest = 1.0;
    /// The call happens only when the caller's cache lookup missed (cache-aside reads).
    bool onlyOnMiss = false;
    /// Points the drawn line passes through between the two cards (set by auto-layout so long
    /// links run in lanes of their own); empty for a straight line.
    std::vector<Point> bends;

    bool operator==(const Link&) const = default;
};

inline constexpr double kMaxCallsPerRequest = 10000.0;

std::span<const LinkKind> allLinkKinds();
std::string_view toKey(LinkKind kind);
std::string_view label(LinkKind kind);
std::optional<LinkKind> linkKindFromKey(std::string_view key);

/// Whether a link of this kind may go from a component of kind `from` to one of kind `to`.
/// Returns nothing when it may, else the reason in a sentence.
std::optional<std::string> linkRefusal(ComponentKind from, ComponentKind to, LinkKind kind);

} // namespace headroom
