#pragma once
// One edit of a project as data: for every component, link and zone it touches, the state
// before and after (absent = did not exist) and its place in the list. Applying a delta forward
// and then backward restores the project exactly, which is what undo needs. The GUI's undo
// commands wrap deltas; the builder computes them from simple "set" and "remove" calls.

#include "model/project.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace headroom {

template <typename T> struct Revision {
    std::string id;
    std::optional<T> before;
    std::optional<T> after;
    int beforeIndex = -1; ///< place in the list before the edit, -1 when it did not exist
    int afterIndex = -1;  ///< place in the list after the edit, -1 when it no longer exists
};

struct ProjectInfo {
    std::string name;
    std::string description;
    bool operator==(const ProjectInfo&) const = default;
};

/// What a metric series is bound to: a component's role, or nothing (both empty).
struct Binding {
    std::string component;
    std::string role;
    bool operator==(const Binding&) const = default;
};

/// A series' binding before and after the edit; the series is addressed by its place in
/// Project::series (edits never add or remove series, only rebind them).
struct BindingChange {
    std::size_t index = 0;
    Binding before;
    Binding after;
};

/// What the what-if engine replays: the load scenarios and the autoscaling policies.
struct WhatIfSetup {
    std::vector<Scenario> scenarios;
    std::vector<AutoscalingPolicy> policies;
    bool operator==(const WhatIfSetup&) const = default;
};

struct ProjectDelta {
    std::vector<Revision<Zone>> zones;
    std::vector<Revision<Component>> components;
    std::vector<Revision<Link>> links;
    std::optional<std::pair<ProjectInfo, ProjectInfo>> info; ///< before, after
    std::vector<BindingChange> bindings;
    std::optional<std::pair<WhatIfSetup, WhatIfSetup>> whatIf; ///< before, after

    [[nodiscard]] bool empty() const {
        return zones.empty() && components.empty() && links.empty() && !info && bindings.empty() &&
               !whatIf;
    }
};

enum class Direction { Forward, Backward };

/// What applying a delta changed, so views can update just those objects.
struct AppliedChange {
    enum class Object { Zone, Component, Link, Info, Series, WhatIf };
    enum class Kind { Added, Removed, Changed };
    Object object;
    Kind kind;
    std::string id;
};

/// Applies the delta to the project (Forward = redo, Backward = undo). Links are removed before
/// the components they join and added after them, so the project is consistent after each step.
std::vector<AppliedChange> apply(Project& project, const ProjectDelta& delta, Direction direction);

/// Two consecutive deltas that only change existing objects (no additions or removals) and
/// touch the same objects, as one delta from the first's "before" to the second's "after";
/// nothing when they cannot be combined. Used to merge the steps of one drag into one undo.
std::optional<ProjectDelta> composeChanges(const ProjectDelta& first, const ProjectDelta& second);

/// Collects edits against a base project and turns them into a delta.
class DeltaBuilder {
  public:
    explicit DeltaBuilder(const Project& base) : base_(base) {}

    /// Adds the component (appended) or replaces the one with its id.
    void setComponent(const Component& component);
    /// Removes the component and every link to or from it; series bound to it become unbound
    /// (their samples stay in the project).
    void removeComponent(const std::string& id);
    /// Binds the series at `index` in Project::series (an empty binding unbinds it).
    void setBinding(std::size_t index, const Binding& binding);
    void setLink(const Link& link);
    void removeLink(const std::string& id);
    void setZone(const Zone& zone);
    /// Removes the zone; its components and child zones move to its parent zone.
    void removeZone(const std::string& id);
    void setInfo(const ProjectInfo& info);
    /// Replaces the scenarios and policies (one undo step for an editor's whole session).
    void setWhatIf(const WhatIfSetup& setup);

    /// The state the builder holds for an object now (after the edits so far), if it exists.
    [[nodiscard]] const Component* component(const std::string& id) const;
    [[nodiscard]] const Link* link(const std::string& id) const;
    [[nodiscard]] const Zone* zone(const std::string& id) const;

    [[nodiscard]] ProjectDelta build() const;

  private:
    const Project& base_;
    std::map<std::string, std::optional<Component>> components_;
    std::map<std::string, std::optional<Link>> links_;
    std::map<std::string, std::optional<Zone>> zones_;
    std::vector<std::string> newComponents_, newLinks_, newZones_; ///< in order of addition
    std::optional<ProjectInfo> info_;
    std::optional<WhatIfSetup> whatIf_;
    std::map<std::size_t, Binding> bindings_;
};

} // namespace headroom
