#include "model/fragment.h"

#include <algorithm>
#include <map>

namespace headroom {

Project extractFragment(const Project& project, const std::vector<std::string>& componentIds) {
    Project fragment;
    fragment.name = project.name;
    const std::set<std::string> wanted(componentIds.begin(), componentIds.end());
    for (const auto& c : project.components)
        if (wanted.count(c.id))
            fragment.components.push_back(c);
    for (const auto& l : project.links)
        if (wanted.count(l.from) && wanted.count(l.to))
            fragment.links.push_back(l);
    return fragment;
}

std::set<std::string> idsInUse(const Project& project) {
    std::set<std::string> ids;
    for (const auto& c : project.components)
        ids.insert(c.id);
    for (const auto& l : project.links)
        ids.insert(l.id);
    for (const auto& z : project.zones)
        ids.insert(z.id);
    return ids;
}

std::string uniqueId(std::string_view wanted, const std::set<std::string>& taken) {
    std::string base(wanted);
    // Keep only characters ids allow; anything else becomes '-'.
    for (auto& ch : base)
        if (!isValidId(std::string(1, ch)))
            ch = '-';
    if (base.empty())
        base = "item";
    if (base.size() > 100)
        base.resize(100);
    // "web-2" copied again becomes "web-3", not "web-2-2".
    std::string stem = base;
    if (auto dash = stem.rfind('-');
        dash != std::string::npos && dash + 1 < stem.size() &&
        std::all_of(stem.begin() + static_cast<long>(dash) + 1, stem.end(),
                    [](char c) { return c >= '0' && c <= '9'; }))
        stem.resize(dash);
    if (!taken.count(base))
        return base;
    for (int n = 2;; ++n) {
        std::string candidate = stem + "-" + std::to_string(n);
        if (!taken.count(candidate))
            return candidate;
    }
}

Project prepareForPaste(const Project& fragment, const Project& target, Point offset) {
    Project out;
    auto taken = idsInUse(target);
    std::map<std::string, std::string> renamed;
    for (auto c : fragment.components) {
        const std::string id = uniqueId(c.id, taken);
        taken.insert(id);
        renamed[c.id] = id;
        c.id = id;
        c.position = {c.position.x + offset.x, c.position.y + offset.y};
        if (!c.zone.empty() && !target.findZone(c.zone))
            c.zone.clear();
        out.components.push_back(std::move(c));
    }
    for (auto l : fragment.links) {
        auto from = renamed.find(l.from);
        auto to = renamed.find(l.to);
        if (from == renamed.end() || to == renamed.end())
            continue;
        l.id = uniqueId(l.id, taken);
        taken.insert(l.id);
        l.from = from->second;
        l.to = to->second;
        for (auto& p : l.bends)
            p = {p.x + offset.x, p.y + offset.y};
        out.links.push_back(std::move(l));
    }
    return out;
}

} // namespace headroom
