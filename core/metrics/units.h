#pragma once
// Units of bound series. A series keeps the unit it was measured in (SeriesInfo::unit: what the
// exporter or file gave, chosen when binding); the engines read every role in the role's own unit
// (roles.h). This table says which units each role accepts and how to convert, so "cores" and
// "percent" CPU, seconds and milliseconds, per-minute and per-second rates all bind correctly.

#include "common/result.h"
#include "metrics/roles.h"
#include "metrics/sample_codec.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::metrics {

struct UnitOption {
    std::string key;   ///< stored in SeriesInfo::unit, e.g. "s"
    std::string label; ///< e.g. "seconds"
};

/// The units a series bound to `roleKey` may be in; the first is the role's own unit. Empty
/// for an unknown role.
std::vector<UnitOption> unitsFor(std::string_view roleKey);

/// What a conversion may need from the component: CPU in cores becomes a fraction of the
/// instance's CPU request.
struct UnitContext {
    std::optional<double> coresPerInstance;
};

/// The factor that turns a value in `unit` into the role's unit (an empty unit means the role's
/// own), or why there is none.
Result<double> factorToRoleUnit(std::string_view unit, std::string_view roleKey,
                                const UnitContext& context = {});

/// A unit the series' name suggests for this role ("..._seconds" -> s, "..._percent" -> %,
/// "..._milliseconds" or "_ms" -> ms), else the role's own unit.
std::string guessUnit(std::string_view seriesName, std::string_view roleKey);

/// The role a series' name suggests ("cpu" -> CPU utilisation, "p95" -> p95 latency, ...), if
/// any: the mapping step of the import preselects it.
std::optional<std::string> guessRole(std::string_view seriesName);

} // namespace headroom::metrics
