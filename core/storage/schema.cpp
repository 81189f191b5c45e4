#include "storage/schema.h"

#include <string>

namespace headroom::schema {
namespace {

// Version 1, as released. Never edit: files of this version exist. Change the schema by adding
// a version and a migration step below.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE schema_version (
    application TEXT NOT NULL,
    version     INTEGER NOT NULL
);
CREATE TABLE project (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    description TEXT NOT NULL
);
CREATE TABLE zone (
    position INTEGER NOT NULL,
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    parent   TEXT NOT NULL,
    x REAL NOT NULL, y REAL NOT NULL, width REAL NOT NULL, height REAL NOT NULL
);
CREATE TABLE component (
    position INTEGER NOT NULL,
    id       TEXT PRIMARY KEY,
    kind     TEXT NOT NULL,
    name     TEXT NOT NULL,
    zone     TEXT NOT NULL,
    x REAL NOT NULL, y REAL NOT NULL
);
CREATE TABLE component_property (
    component_id TEXT NOT NULL REFERENCES component(id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    type         TEXT NOT NULL,
    value,
    PRIMARY KEY (component_id, key)
);
CREATE TABLE link (
    position          INTEGER NOT NULL,
    id                TEXT PRIMARY KEY,
    from_id           TEXT NOT NULL,
    to_id             TEXT NOT NULL,
    kind              TEXT NOT NULL,
    calls_per_request REAL NOT NULL,
    only_on_miss      INTEGER NOT NULL
);
)sql";

// Version 2: room for metric series. A series is one metric of one component; its samples are
// stored in compressed chunks covering a time range each.
constexpr std::string_view kStep1To2 = R"sql(
CREATE TABLE metric_series (
    id           INTEGER PRIMARY KEY,
    component_id TEXT NOT NULL,
    metric       TEXT NOT NULL,
    unit         TEXT NOT NULL,
    labels       TEXT NOT NULL,
    source       TEXT NOT NULL,
    UNIQUE (component_id, metric, labels)
);
CREATE TABLE metric_chunk (
    series_id    INTEGER NOT NULL REFERENCES metric_series(id) ON DELETE CASCADE,
    start_ms     INTEGER NOT NULL,
    end_ms       INTEGER NOT NULL,
    sample_count INTEGER NOT NULL,
    encoding     TEXT NOT NULL,
    data         BLOB NOT NULL,
    PRIMARY KEY (series_id, start_ms)
);
)sql";

// Version 3: the points a link's line passes through (lanes from auto-layout).
constexpr std::string_view kStep2To3 = R"sql(
CREATE TABLE link_bend (
    link_id  TEXT NOT NULL,
    position INTEGER NOT NULL,
    x REAL NOT NULL,
    y REAL NOT NULL,
    PRIMARY KEY (link_id, position)
);
)sql";

// Version 4: version 2's metric tables were never written by a release, but rebuild them
// properly anyway (SQLite cannot drop a UNIQUE constraint in place).
constexpr std::string_view kStep3To4 = R"sql(
CREATE TABLE metric_series_v4 (
    id           INTEGER PRIMARY KEY,
    position     INTEGER NOT NULL,
    metric       TEXT NOT NULL,
    labels       TEXT NOT NULL,
    unit         TEXT NOT NULL,
    source       TEXT NOT NULL,
    component_id TEXT NOT NULL,
    role         TEXT NOT NULL
);
INSERT INTO metric_series_v4 (id, position, metric, labels, unit, source, component_id, role)
    SELECT id, id, metric, labels, unit, source, component_id, '' FROM metric_series;
DROP TABLE metric_series;
ALTER TABLE metric_series_v4 RENAME TO metric_series;
)sql";

// Version 5: the metric files a project made from JSON binds, so .headroom -> .json gives
// the same references back (the samples themselves are in metric_series as before).
constexpr std::string_view kStep4To5 = R"sql(
CREATE TABLE metric_file (
    position     INTEGER PRIMARY KEY,
    file         TEXT NOT NULL,
    series       TEXT NOT NULL,
    component_id TEXT NOT NULL,
    role         TEXT NOT NULL,
    unit         TEXT NOT NULL
);
)sql";

// Version 6: the what-if engine's load scenarios and autoscaling policies, each one JSON
// document (model/scenario.h), the same form the JSON project holds.
constexpr std::string_view kStep5To6 = R"sql(
CREATE TABLE scenario (
    position   INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    definition TEXT NOT NULL
);
CREATE TABLE autoscaling_policy (
    position     INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    component_id TEXT NOT NULL,
    definition   TEXT NOT NULL
);
)sql";

struct Step {
    int from;
    std::string_view sql;
};
constexpr Step kSteps[] = {
    {1, kStep1To2}, {2, kStep2To3}, {3, kStep3To4}, {4, kStep4To5}, {5, kStep5To6}};

void writeVersion(sqlite::Database& db, int version) {
    db.exec("DELETE FROM schema_version");
    auto insert = db.prepare("INSERT INTO schema_version (application, version) VALUES (?, ?)");
    insert.bind(1, kApplicationName).bind(2, std::int64_t{version}).run();
}

} // namespace

std::string ddlOfVersion(int version) {
    std::string ddl(kVersion1);
    for (const auto& step : kSteps)
        if (step.from < version)
            ddl += step.sql;
    return ddl;
}

void create(sqlite::Database& db) {
    db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    db.exec(kVersion1);
    for (const auto& step : kSteps)
        db.exec(step.sql);
    writeVersion(db, kCurrentVersion);
}

int readVersion(sqlite::Database& db) {
    auto select = db.prepare("SELECT application, version FROM schema_version");
    if (!select.step())
        throw sqlite::SqliteError(1, "the schema_version table is empty");
    if (select.text(0) != kApplicationName)
        throw sqlite::SqliteError(1, "the schema_version table names '" + select.text(0) +
                                         "', not Headroom");
    return static_cast<int>(select.integer(1));
}

void migrate(sqlite::Database& db, int fromVersion) {
    sqlite::Transaction transaction(db);
    for (const auto& step : kSteps)
        if (step.from >= fromVersion)
            db.exec(step.sql);
    writeVersion(db, kCurrentVersion);
    transaction.commit();
}

} // namespace headroom::schema
