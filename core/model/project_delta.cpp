#include "model/project_delta.h"

#include <algorithm>

namespace headroom {
namespace {

template <typename T> int indexOf(const std::vector<T>& list, const std::string& id) {
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i].id == id)
            return static_cast<int>(i);
    return -1;
}

template <typename T>
void applyList(std::vector<T>& list, const std::vector<Revision<T>>& revisions, Direction direction,
               AppliedChange::Object object, std::vector<AppliedChange>& changes, bool removals) {
    const bool forward = direction == Direction::Forward;
    auto from = [&](const Revision<T>& r) -> const std::optional<T>& {
        return forward ? r.before : r.after;
    };
    auto to = [&](const Revision<T>& r) -> const std::optional<T>& {
        return forward ? r.after : r.before;
    };
    auto fromIndex = [&](const Revision<T>& r) { return forward ? r.beforeIndex : r.afterIndex; };
    auto toIndex = [&](const Revision<T>& r) { return forward ? r.afterIndex : r.beforeIndex; };

    if (removals) {
        std::vector<const Revision<T>*> removed;
        for (const auto& r : revisions)
            if (from(r) && !to(r))
                removed.push_back(&r);
        std::sort(removed.begin(), removed.end(),
                  [&](auto* a, auto* b) { return fromIndex(*a) > fromIndex(*b); });
        for (auto* r : removed) {
            list.erase(list.begin() + fromIndex(*r));
            changes.push_back({object, AppliedChange::Kind::Removed, r->id});
        }
        return;
    }
    for (const auto& r : revisions)
        if (from(r) && to(r)) {
            const int at = indexOf(list, r.id);
            if (at < 0)
                continue; // cannot happen for a delta built on this project
            list[static_cast<std::size_t>(at)] = *to(r);
            changes.push_back({object, AppliedChange::Kind::Changed, r.id});
        }
    std::vector<const Revision<T>*> added;
    for (const auto& r : revisions)
        if (!from(r) && to(r))
            added.push_back(&r);
    std::sort(added.begin(), added.end(),
              [&](auto* a, auto* b) { return toIndex(*a) < toIndex(*b); });
    for (auto* r : added) {
        list.insert(list.begin() + toIndex(*r), *to(*r));
        changes.push_back({object, AppliedChange::Kind::Added, r->id});
    }
}

/// Fills in before/after indices: survivors keep their relative order, new objects are
/// appended in the order they were added.
template <typename T>
std::vector<Revision<T>> revisions(const std::vector<T>& base,
                                   const std::map<std::string, std::optional<T>>& edits,
                                   const std::vector<std::string>& added) {
    std::vector<Revision<T>> out;
    std::vector<std::string> afterOrder;
    for (const auto& item : base) {
        auto it = edits.find(item.id);
        if (it == edits.end() || it->second)
            afterOrder.push_back(item.id);
    }
    for (const auto& id : added)
        if (edits.at(id))
            afterOrder.push_back(id);
    for (const auto& [id, state] : edits) {
        Revision<T> r;
        r.id = id;
        r.beforeIndex = indexOf(base, id);
        if (r.beforeIndex >= 0)
            r.before = base[static_cast<std::size_t>(r.beforeIndex)];
        r.after = state;
        if (state) {
            auto at = std::find(afterOrder.begin(), afterOrder.end(), id);
            r.afterIndex = static_cast<int>(at - afterOrder.begin());
        }
        if (r.before || r.after)
            if (!(r.before && r.after && *r.before == *r.after))
                out.push_back(std::move(r));
    }
    return out;
}

template <typename T>
const T* current(const std::vector<T>& base, const std::map<std::string, std::optional<T>>& edits,
                 const std::string& id) {
    if (auto it = edits.find(id); it != edits.end())
        return it->second ? &*it->second : nullptr;
    const int index = indexOf(base, id);
    return index >= 0 ? &base[static_cast<std::size_t>(index)] : nullptr;
}

template <typename T>
void set(const std::vector<T>& base, std::map<std::string, std::optional<T>>& edits,
         std::vector<std::string>& added, const T& value) {
    if (indexOf(base, value.id) < 0 &&
        std::find(added.begin(), added.end(), value.id) == added.end())
        added.push_back(value.id);
    edits[value.id] = value;
}

} // namespace

std::vector<AppliedChange> apply(Project& project, const ProjectDelta& delta, Direction direction) {
    std::vector<AppliedChange> changes;
    using O = AppliedChange::Object;
    // Removals innermost-first (links, components, zones), then additions outermost-first.
    applyList(project.links, delta.links, direction, O::Link, changes, true);
    applyList(project.components, delta.components, direction, O::Component, changes, true);
    applyList(project.zones, delta.zones, direction, O::Zone, changes, true);
    applyList(project.zones, delta.zones, direction, O::Zone, changes, false);
    applyList(project.components, delta.components, direction, O::Component, changes, false);
    applyList(project.links, delta.links, direction, O::Link, changes, false);
    if (delta.info) {
        const auto& info = direction == Direction::Forward ? delta.info->second : delta.info->first;
        project.name = info.name;
        project.description = info.description;
        changes.push_back({O::Info, AppliedChange::Kind::Changed, ""});
    }
    if (delta.whatIf) {
        const auto& setup =
            direction == Direction::Forward ? delta.whatIf->second : delta.whatIf->first;
        project.scenarios = setup.scenarios;
        project.policies = setup.policies;
        changes.push_back({O::WhatIf, AppliedChange::Kind::Changed, ""});
    }
    for (const auto& change : delta.bindings) {
        if (change.index >= project.series.size())
            continue;
        const auto& to = direction == Direction::Forward ? change.after : change.before;
        project.series[change.index].component = to.component;
        project.series[change.index].role = to.role;
        changes.push_back({O::Series, AppliedChange::Kind::Changed, std::to_string(change.index)});
    }
    return changes;
}

namespace {
template <typename T>
bool composeList(const std::vector<Revision<T>>& first, const std::vector<Revision<T>>& second,
                 std::vector<Revision<T>>& out) {
    if (first.size() != second.size())
        return false;
    for (std::size_t i = 0; i < first.size(); ++i) {
        const auto& a = first[i];
        const auto& b = second[i];
        if (a.id != b.id || !a.before || !a.after || !b.before || !b.after)
            return false;
        Revision<T> r = a;
        r.after = b.after;
        r.afterIndex = b.afterIndex;
        out.push_back(std::move(r));
    }
    return true;
}
} // namespace

std::optional<ProjectDelta> composeChanges(const ProjectDelta& first, const ProjectDelta& second) {
    ProjectDelta out;
    if (!composeList(first.zones, second.zones, out.zones) ||
        !composeList(first.components, second.components, out.components) ||
        !composeList(first.links, second.links, out.links))
        return std::nullopt;
    if (first.info || second.info || !first.bindings.empty() || !second.bindings.empty() ||
        first.whatIf || second.whatIf)
        return std::nullopt;
    return out;
}

void DeltaBuilder::setComponent(const Component& component) {
    set(base_.components, components_, newComponents_, component);
}

void DeltaBuilder::removeComponent(const std::string& id) {
    auto linksOf = [&](const std::string& componentId) {
        std::vector<std::string> ids;
        for (const auto& l : base_.links)
            if (const auto* now = link(l.id);
                now && (now->from == componentId || now->to == componentId))
                ids.push_back(l.id);
        for (const auto& added : newLinks_)
            if (const auto* now = link(added);
                now && (now->from == componentId || now->to == componentId))
                ids.push_back(added);
        return ids;
    };
    for (const auto& linkId : linksOf(id))
        removeLink(linkId);
    components_[id] = std::nullopt;
    for (std::size_t i = 0; i < base_.series.size(); ++i)
        if (base_.series[i].component == id)
            setBinding(i, {});
}

void DeltaBuilder::setBinding(std::size_t index, const Binding& binding) {
    if (index < base_.series.size())
        bindings_[index] = binding;
}

void DeltaBuilder::setLink(const Link& value) {
    set(base_.links, links_, newLinks_, value);
}
void DeltaBuilder::removeLink(const std::string& id) {
    links_[id] = std::nullopt;
}
void DeltaBuilder::setZone(const Zone& value) {
    set(base_.zones, zones_, newZones_, value);
}

void DeltaBuilder::removeZone(const std::string& id) {
    const Zone* removed = zone(id);
    if (!removed)
        return;
    const std::string parent = removed->parent;
    for (const auto& c : base_.components)
        if (const auto* now = component(c.id); now && now->zone == id) {
            Component moved = *now;
            moved.zone = parent;
            setComponent(moved);
        }
    for (const auto& z : base_.zones)
        if (const auto* now = zone(z.id); now && now->parent == id) {
            Zone moved = *now;
            moved.parent = parent;
            setZone(moved);
        }
    zones_[id] = std::nullopt;
}

void DeltaBuilder::setInfo(const ProjectInfo& info) {
    info_ = info;
}

void DeltaBuilder::setWhatIf(const WhatIfSetup& setup) {
    whatIf_ = setup;
}

const Component* DeltaBuilder::component(const std::string& id) const {
    return current(base_.components, components_, id);
}
const Link* DeltaBuilder::link(const std::string& id) const {
    return current(base_.links, links_, id);
}
const Zone* DeltaBuilder::zone(const std::string& id) const {
    return current(base_.zones, zones_, id);
}

ProjectDelta DeltaBuilder::build() const {
    ProjectDelta delta;
    delta.zones = revisions(base_.zones, zones_, newZones_);
    delta.components = revisions(base_.components, components_, newComponents_);
    delta.links = revisions(base_.links, links_, newLinks_);
    const ProjectInfo before{base_.name, base_.description};
    if (info_ && *info_ != before)
        delta.info = std::make_pair(before, *info_);
    WhatIfSetup was{base_.scenarios, base_.policies};
    if (whatIf_ && *whatIf_ != was)
        delta.whatIf = std::make_pair(std::move(was), *whatIf_);
    for (const auto& [index, binding] : bindings_) {
        const Binding was{base_.series[index].component, base_.series[index].role};
        if (was != binding)
            delta.bindings.push_back({index, was, binding});
    }
    return delta;
}

} // namespace headroom
