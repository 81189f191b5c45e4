#pragma once
// The .headroom SQLite schema: its version, how to create it, and the forward migrations that
// bring a file of an older version up to the current one.

#include "storage/sqlite.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace headroom::schema {

/// Written into the SQLite header (PRAGMA application_id) so tools like `file` recognise it.
inline constexpr std::int32_t kApplicationId = 0x48524d31; // "HRM1"
inline constexpr std::string_view kApplicationName = "headroom";

/// Version 1: the model tables. Version 2: adds the metric series and chunk tables.
/// Version 3: adds link bend points. Version 4: metric series get an order, a role binding and
/// lose the uniqueness of (component, metric, labels), so one file can be imported twice.
/// Version 5: the metric files a JSON project binds (Project::metricFiles).
/// Version 6: load scenarios and autoscaling policies (Project::scenarios, policies).
inline constexpr int kCurrentVersion = 6;

/// Creates every table of the current version in an empty database.
void create(sqlite::Database& db);

/// The tables of a given version (without the version row), so tests can build files of it.
std::string ddlOfVersion(int version);

/// Reads the schema version from the schema_version table (throws if it is missing).
int readVersion(sqlite::Database& db);

/// Applies every migration step from `fromVersion` up to kCurrentVersion, in one transaction.
void migrate(sqlite::Database& db, int fromVersion);

} // namespace headroom::schema
