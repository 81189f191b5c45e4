#include "model/project.h"

#include "metrics/units.h"

#include <algorithm>

namespace headroom {
namespace {
template <typename Range> auto findById(Range& range, std::string_view id) {
    auto it = std::find_if(range.begin(), range.end(), [&](const auto& x) { return x.id == id; });
    return it == range.end() ? nullptr : &*it;
}
} // namespace

const Component* Project::findComponent(std::string_view id) const {
    return findById(components, id);
}
Component* Project::findComponent(std::string_view id) {
    return findById(components, id);
}
const Zone* Project::findZone(std::string_view id) const {
    return findById(zones, id);
}
const Link* Project::findLink(std::string_view id) const {
    return findById(links, id);
}

bool isValidId(std::string_view id) {
    if (id.empty() || id.size() > 128)
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.';
    });
}

Result<double> roleUnitFactor(const Project& project, const ProjectSeries& entry) {
    metrics::UnitContext context;
    if (const auto* component = project.findComponent(entry.component))
        if (component->properties.count("cpu_request_millicores"))
            context.coresPerInstance = component->number("cpu_request_millicores") / 1000;
    return metrics::factorToRoleUnit(entry.data ? entry.data->info().unit : std::string(),
                                     entry.role, context);
}

const Scenario* Project::findScenario(std::string_view name) const {
    for (const auto& s : scenarios)
        if (s.name == name)
            return &s;
    return nullptr;
}

} // namespace headroom
