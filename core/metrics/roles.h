#pragma once
// What a metric series can measure about a component (its role), with the unit the engines
// read it in. Binding a series to a component's role is what lets the analysis use it.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace headroom::metrics {

struct Role {
    std::string key;    ///< stored in the project file, e.g. "arrival_rate"
    std::string label;  ///< e.g. "Arrival rate"
    std::string unit;   ///< the unit the engines expect, e.g. "req/s"
    std::string promql; ///< a starting PromQL query for common exporters
};

std::span<const Role> allRoles();
const Role* findRole(std::string_view key);

} // namespace headroom::metrics
