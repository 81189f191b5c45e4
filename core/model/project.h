#pragma once
// The whole design under review: components, the links between them and the zones around them.

#include "metrics/series.h"
#include "model/component.h"
#include "model/link.h"
#include "model/scenario.h"
#include "model/zone.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace headroom {

/// A metric series in the project and what it measures: a role of a component (e.g. the
/// arrival rate of "web"), or nothing yet. Samples are shared, never copied with the project.
struct ProjectSeries {
    std::shared_ptr<const metrics::Series> data;
    std::string component; ///< id of the bound component, empty when unbound
    std::string role;      ///< e.g. "arrival_rate", "cpu_utilization"; empty when unbound

    bool operator==(const ProjectSeries& other) const {
        return component == other.component && role == other.role &&
               (data == other.data || (data && other.data && *data == *other.data));
    }
};

/// A series a .headroom.json project takes from a metric file beside it (the examples bind their
/// sample data this way, so the JSON stays small and diffable): read when the project opens,
/// written back as the same reference when it is saved as JSON.
struct MetricFileBinding {
    std::string file;      ///< path relative to the project file's folder
    std::string series;    ///< the series' name in the file (CSV column, metric name)
    std::string component; ///< bound component id, empty for none
    std::string role;
    std::string unit;    ///< the unit the file's samples are in; empty: the role's own
    std::string problem; ///< why it could not be read when the project opened (not saved)
    /// The binding itself; `problem` is what happened on one machine, not part of the project.
    bool operator==(const MetricFileBinding& o) const {
        return file == o.file && series == o.series && component == o.component && role == o.role &&
               unit == o.unit;
    }
};

struct Project {
    std::string name;
    std::string description; ///< what the system is and where its numbers come from
    std::vector<Zone> zones;
    std::vector<Component> components;
    std::vector<Link> links;
    std::vector<ProjectSeries> series; ///< stored in .headroom files only, not in JSON
    /// JSON projects only: where series came from (their samples are also in `series`).
    std::vector<MetricFileBinding> metricFiles;
    std::vector<Scenario> scenarios;         ///< load scenarios for the what-if engine
    std::vector<AutoscalingPolicy> policies; ///< autoscalers of the scalable tiers

    bool operator==(const Project&) const = default;

    [[nodiscard]] const Scenario* findScenario(std::string_view name) const;

    [[nodiscard]] const Component* findComponent(std::string_view id) const;
    [[nodiscard]] Component* findComponent(std::string_view id);
    [[nodiscard]] const Zone* findZone(std::string_view id) const;
    [[nodiscard]] const Link* findLink(std::string_view id) const;
};

/// The factor that turns a bound series' samples (in their own unit) into its role's unit,
/// using the component's CPU request for CPU in cores; or why there is none.
Result<double> roleUnitFactor(const Project& project, const ProjectSeries& entry);

/// Is `id` acceptable as a component, link or zone id (non-empty; letters, digits, - _ .)?
bool isValidId(std::string_view id);

} // namespace headroom
