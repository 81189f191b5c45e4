#include "model/validation.h"

#include "metrics/roles.h"

#include <cmath>
#include <set>
#include <tuple>

namespace headroom {
namespace {

class Checker {
  public:
    explicit Checker(const Project& project) : project_(project) {}

    std::vector<Diagnostic> run() {
        checkZones();
        checkComponents();
        checkLinks();
        checkReachability();
        checkSeries();
        return std::move(found_);
    }

  private:
    void add(Severity severity, std::string subjectKind, std::string subject, std::string property,
             std::string message) {
        found_.push_back({severity, std::move(subjectKind), std::move(subject), std::move(property),
                          std::move(message)});
    }
    void error(std::string kind, std::string id, std::string property, std::string message) {
        add(Severity::Error, std::move(kind), std::move(id), std::move(property),
            std::move(message));
    }
    void warning(std::string kind, std::string id, std::string property, std::string message) {
        add(Severity::Warning, std::move(kind), std::move(id), std::move(property),
            std::move(message));
    }

    void checkId(const std::string& kind, const std::string& id, std::set<std::string>& seen) {
        if (!isValidId(id))
            error(kind, id, "id",
                  id.empty() ? "id is empty"
                             : "id may only use letters, digits, '-', '_' and '.' (at most 128)");
        else if (!seen.insert(id).second)
            error(kind, id, "id", "id is used more than once");
    }

    void checkZones() {
        std::set<std::string> seen;
        for (const auto& zone : project_.zones) {
            checkId("zone", zone.id, seen);
            if (!zone.parent.empty()) {
                if (!project_.findZone(zone.parent))
                    error("zone", zone.id, "parent",
                          "parent zone '" + zone.parent + "' does not exist");
                else if (zone.parent == zone.id)
                    error("zone", zone.id, "parent", "a zone cannot be its own parent");
            }
            const auto& b = zone.bounds;
            if (!(std::isfinite(b.x) && std::isfinite(b.y) && std::isfinite(b.width) &&
                  std::isfinite(b.height)) ||
                b.width <= 0 || b.height <= 0)
                error("zone", zone.id, "bounds", "frame must have a finite, positive size");
        }
    }

    void checkComponents() {
        std::set<std::string> seen;
        for (const auto& component : project_.components) {
            checkId("component", component.id, seen);
            const auto& kind = component.descriptor();
            if (!component.zone.empty() && !project_.findZone(component.zone))
                error("component", component.id, "zone",
                      "zone '" + component.zone + "' does not exist");
            if (!std::isfinite(component.position.x) || !std::isfinite(component.position.y))
                error("component", component.id, "position", "position must be finite");
            for (const auto& [key, value] : component.properties) {
                const auto* property = kind.findProperty(key);
                if (!property) {
                    error("component", component.id, key,
                          "a " + kind.label + " has no property '" + key + "'");
                    continue;
                }
                if (auto problem = checkValue(*property, value))
                    error("component", component.id, key, *problem);
            }
            checkReplicaBounds(component);
        }
    }

    void checkReplicaBounds(const Component& component) {
        const auto& kind = component.descriptor();
        if (!kind.findProperty("min_replicas") || !kind.findProperty("max_replicas"))
            return;
        const double now = component.number("replicas");
        const double min = component.number("min_replicas");
        const double max = component.number("max_replicas");
        if (min > max)
            error("component", component.id, "min_replicas",
                  "min replicas (" + formatNumber(min) + ") exceed max replicas (" +
                      formatNumber(max) + ")");
        else if (now < min || now > max)
            warning("component", component.id, "replicas",
                    "replicas now (" + formatNumber(now) + ") lie outside min..max (" +
                        formatNumber(min) + ".." + formatNumber(max) + ")");
    }

    void checkLinks() {
        std::set<std::string> seen;
        std::set<std::tuple<std::string, std::string, LinkKind>> pairs;
        for (const auto& link : project_.links) {
            checkId("link", link.id, seen);
            const auto* from = project_.findComponent(link.from);
            const auto* to = project_.findComponent(link.to);
            if (!from)
                error("link", link.id, "from", "component '" + link.from + "' does not exist");
            if (!to)
                error("link", link.id, "to", "component '" + link.to + "' does not exist");
            if (!std::isfinite(link.callsPerRequest) || link.callsPerRequest <= 0 ||
                link.callsPerRequest > kMaxCallsPerRequest)
                error("link", link.id, "calls_per_request",
                      formatNumber(link.callsPerRequest) +
                          " is outside the range (0, 10000] calls per request");
            for (const auto& p : link.bends)
                if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
                    error("link", link.id, "bends", "bend points must be finite");
                    break;
                }
            if (!from || !to)
                continue;
            if (link.from == link.to) {
                error("link", link.id, "to", "a component cannot link to itself");
                continue;
            }
            if (auto refusal = linkRefusal(from->kind, to->kind, link.kind))
                error("link", link.id, "kind", *refusal);
            if (!pairs.emplace(link.from, link.to, link.kind).second)
                warning("link", link.id, "",
                        "duplicates another " + std::string(label(link.kind)) + " link from '" +
                            link.from + "' to '" + link.to + "'");
            if (link.onlyOnMiss && !readsACache(*from))
                warning("link", link.id, "only_on_miss",
                        "'only on miss' needs a cache in front: '" + link.from +
                            "' neither is a cache nor reads one");
        }
    }

    bool readsACache(const Component& component) const {
        if (component.kind == ComponentKind::Cache)
            return true;
        for (const auto& link : project_.links) {
            const auto* to = project_.findComponent(link.to);
            if (link.from == component.id && to && to->kind == ComponentKind::Cache)
                return true;
        }
        return false;
    }

    void checkSeries() {
        for (const auto& binding : project_.metricFiles)
            if (!binding.problem.empty())
                warning("series", binding.series, "file",
                        "from metric file '" + binding.file + "': " + binding.problem);
        for (const auto& entry : project_.series) {
            if (!entry.data || entry.component.empty())
                continue;
            if (!project_.findComponent(entry.component))
                warning("series", entry.data->info().name, "component",
                        "bound to component '" + entry.component + "', which does not exist");
            if (!metrics::findRole(entry.role))
                warning("series", entry.data->info().name, "role",
                        "'" + entry.role + "' is not a role Headroom knows");
            else if (auto factor = roleUnitFactor(project_, entry); !factor)
                warning("series", entry.data->info().name, "unit", factor.error().message);
        }
    }

    void checkReachability() {
        bool hasEntry = false;
        for (const auto& component : project_.components)
            hasEntry = hasEntry || component.kind == ComponentKind::Client;
        if (!project_.components.empty() && !hasEntry)
            warning("project", "", "", "no client / entry point: no traffic enters the system");
        for (const auto& component : project_.components) {
            if (component.kind == ComponentKind::Client)
                continue;
            bool fed = false;
            for (const auto& link : project_.links)
                fed = fed || link.to == component.id;
            if (!fed)
                warning("component", component.id, "",
                        "nothing links to it, so it receives no traffic");
        }
    }

    const Project& project_;
    std::vector<Diagnostic> found_;
};

} // namespace

std::string_view toKey(Severity severity) {
    return severity == Severity::Error ? "error" : "warning";
}

std::string Diagnostic::describe() const {
    std::string out = std::string(toKey(severity)) + ": " + subjectKind;
    if (!subject.empty())
        out += " '" + subject + "'";
    if (!property.empty())
        out += ": " + property;
    return out + ": " + message;
}

std::vector<Diagnostic> validate(const Project& project) {
    return Checker(project).run();
}

DiagnosticCounts count(const std::vector<Diagnostic>& diagnostics) {
    DiagnosticCounts counts;
    for (const auto& d : diagnostics)
        (d.severity == Severity::Error ? counts.errors : counts.warnings)++;
    return counts;
}

} // namespace headroom
