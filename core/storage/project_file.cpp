#include "storage/project_file.h"

#include "storage/atomic_file.h"
#include "storage/schema.h"
#include "storage/sqlite.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

namespace headroom {
namespace fs = std::filesystem;
using sqlite::Database;

namespace {

/// Thrown while reading a file that is SQLite but not a well-formed Headroom project.
struct FormatProblem {
    std::string message;
    std::string location;
};

class SaveCancelled {};

// ---- writing -------------------------------------------------------------------------------

void bindProperty(sqlite::Statement& insert, const PropertyValue& value) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::int64_t>)
                insert.bind(3, "integer").bind(4, v);
            else if constexpr (std::is_same_v<T, double>)
                insert.bind(3, "number").bind(4, v);
            else if constexpr (std::is_same_v<T, bool>)
                insert.bind(3, "boolean").bind(4, std::int64_t{v ? 1 : 0});
            else
                insert.bind(3, "text").bind(4, std::string_view(v));
        },
        value);
}

std::string labelsToJson(const std::map<std::string, std::string>& labels) {
    return nlohmann::json(labels).dump();
}

std::string sourceToJson(const metrics::SeriesSource& source) {
    return nlohmann::json{{"kind", source.kind},
                          {"location", source.location},
                          {"query", source.query},
                          {"step_ms", source.stepMs}}
        .dump();
}

void writeSeries(Database& db, const Project& project, const ProgressCallback& progress) {
    auto series = db.prepare("INSERT INTO metric_series (id, position, metric, labels, unit, "
                             "source, component_id, role) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    auto chunk = db.prepare("INSERT INTO metric_chunk (series_id, start_ms, end_ms, "
                            "sample_count, encoding, data) VALUES (?, ?, ?, ?, ?, ?)");
    std::int64_t id = 0;
    for (const auto& entry : project.series) {
        if (!entry.data)
            continue;
        const auto& info = entry.data->info();
        ++id;
        series.bind(1, id).bind(2, id).bind(3, info.name).bind(4, labelsToJson(info.labels));
        series.bind(5, info.unit).bind(6, sourceToJson(info.source));
        series.bind(7, entry.component).bind(8, entry.role).run();
        for (const auto& c : entry.data->chunks()) {
            chunk.bind(1, id).bind(2, c.firstMs).bind(3, c.lastMs);
            chunk.bind(4, std::int64_t{c.count}).bind(5, metrics::encodingName(c.encoding));
            chunk.bindBlob(6, c.data).run();
        }
        if (!keepGoing(progress, 1.0))
            throw SaveCancelled{};
    }
}

void writeMetricFiles(Database& db, const Project& project) {
    auto insert = db.prepare("INSERT INTO metric_file (position, file, series, component_id, "
                             "role, unit) VALUES (?, ?, ?, ?, ?, ?)");
    std::int64_t position = 0;
    for (const auto& m : project.metricFiles) {
        insert.bind(1, ++position).bind(2, m.file).bind(3, m.series).bind(4, m.component);
        insert.bind(5, m.role).bind(6, m.unit).run();
    }
}

void writeWhatIf(Database& db, const Project& project) {
    auto scenario =
        db.prepare("INSERT INTO scenario (position, name, definition) VALUES (?, ?, ?)");
    std::int64_t position = 0;
    for (const auto& s : project.scenarios)
        scenario.bind(1, ++position).bind(2, s.name).bind(3, scenarioToJson(s)).run();
    auto policy = db.prepare("INSERT INTO autoscaling_policy (position, name, component_id, "
                             "definition) VALUES (?, ?, ?, ?)");
    position = 0;
    for (const auto& p : project.policies)
        policy.bind(1, ++position)
            .bind(2, p.name)
            .bind(3, p.component)
            .bind(4, policyToJson(p))
            .run();
}

void writeModel(Database& db, const Project& project, const ProgressCallback& progress) {
    const double total =
        1.0 + static_cast<double>(project.zones.size() + project.components.size() +
                                  project.links.size());
    double done = 0;
    auto tick = [&] {
        if (!keepGoing(progress, ++done / total))
            throw SaveCancelled{};
    };

    db.prepare("INSERT INTO project (id, name, description) VALUES (1, ?, ?)")
        .bind(1, project.name)
        .bind(2, project.description)
        .run();
    tick();

    auto zone = db.prepare("INSERT INTO zone (position, id, name, kind, parent, x, y, width, "
                           "height) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    std::int64_t position = 0;
    for (const auto& z : project.zones) {
        zone.bind(1, position++).bind(2, z.id).bind(3, z.name).bind(4, toKey(z.kind));
        zone.bind(5, z.parent).bind(6, z.bounds.x).bind(7, z.bounds.y);
        zone.bind(8, z.bounds.width).bind(9, z.bounds.height).run();
        tick();
    }

    auto component = db.prepare("INSERT INTO component (position, id, kind, name, zone, x, y) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?)");
    auto property = db.prepare(
        "INSERT INTO component_property (component_id, key, type, value) VALUES (?, ?, ?, ?)");
    position = 0;
    for (const auto& c : project.components) {
        component.bind(1, position++).bind(2, c.id).bind(3, toKey(c.kind)).bind(4, c.name);
        component.bind(5, c.zone).bind(6, c.position.x).bind(7, c.position.y).run();
        for (const auto& [key, value] : c.properties) {
            property.bind(1, c.id).bind(2, key);
            bindProperty(property, value);
            property.run();
        }
        tick();
    }

    auto link = db.prepare("INSERT INTO link (position, id, from_id, to_id, kind, "
                           "calls_per_request, only_on_miss) VALUES (?, ?, ?, ?, ?, ?, ?)");
    auto bend = db.prepare("INSERT INTO link_bend (link_id, position, x, y) VALUES (?, ?, ?, ?)");
    position = 0;
    for (const auto& l : project.links) {
        link.bind(1, position++).bind(2, l.id).bind(3, l.from).bind(4, l.to);
        link.bind(5, toKey(l.kind)).bind(6, l.callsPerRequest);
        link.bind(7, std::int64_t{l.onlyOnMiss ? 1 : 0}).run();
        std::int64_t index = 0;
        for (const auto& p : l.bends)
            bend.bind(1, l.id).bind(2, index++).bind(3, p.x).bind(4, p.y).run();
        tick();
    }
    writeSeries(db, project, progress);
    writeMetricFiles(db, project);
    writeWhatIf(db, project);
}

// ---- reading -------------------------------------------------------------------------------

std::string rowPlace(std::string_view table, std::string_view id) {
    return "table " + std::string(table) + ", id '" + std::string(id) + "'";
}

PropertyValue readProperty(const sqlite::Statement& row, const std::string& componentId) {
    const std::string type = row.text(2);
    const std::string place = rowPlace("component_property", componentId + "/" + row.text(1));
    auto expect = [&](int storage) {
        if (row.type(3) != storage)
            throw FormatProblem{"value does not match its declared type '" + type + "'", place};
    };
    if (type == "integer") {
        expect(SQLITE_INTEGER);
        return row.integer(3);
    }
    if (type == "number") {
        // SQLite stores a REAL with an integral value compactly and may hand it back as one.
        if (row.type(3) != SQLITE_FLOAT && row.type(3) != SQLITE_INTEGER)
            expect(SQLITE_FLOAT);
        return row.real(3);
    }
    if (type == "boolean") {
        expect(SQLITE_INTEGER);
        return row.integer(3) != 0;
    }
    if (type == "text") {
        expect(SQLITE_TEXT);
        return row.text(3);
    }
    throw FormatProblem{"unknown property type '" + type + "'", place};
}

void readSeries(Database& db, Project& project) {
    auto select = db.prepare("SELECT id, metric, labels, unit, source, component_id, role "
                             "FROM metric_series ORDER BY position");
    auto chunks = db.prepare("SELECT start_ms, end_ms, sample_count, encoding, data FROM "
                             "metric_chunk WHERE series_id = ? ORDER BY start_ms");
    auto size = db.prepare("SELECT sum(length(data)) FROM metric_chunk WHERE series_id = ?");
    while (select.step()) {
        metrics::SeriesInfo info;
        info.name = select.text(1);
        info.unit = select.text(3);
        const std::string place = rowPlace("metric_series", std::to_string(select.integer(0)));
        try {
            info.labels =
                nlohmann::json::parse(select.text(2)).get<std::map<std::string, std::string>>();
            const auto source = nlohmann::json::parse(select.text(4));
            info.source = {source.value("kind", ""), source.value("location", ""),
                           source.value("query", ""), source.value("step_ms", std::int64_t{0})};
        } catch (const nlohmann::json::exception& e) {
            throw FormatProblem{std::string("labels or source are not valid: ") + e.what(), place};
        }
        std::vector<metrics::Chunk> stored;
        // The series' chunks in one block of memory (a few for the largest), not one each.
        size.bind(1, select.integer(0));
        const auto bytes = size.step() ? size.integer(0) : 0;
        size.reset();
        metrics::ChunkArena arena(
            static_cast<std::size_t>(std::clamp<std::int64_t>(bytes, 0, std::int64_t{64} << 20)));
        chunks.bind(1, select.integer(0));
        while (chunks.step()) {
            const auto encoding = metrics::encodingFromName(chunks.text(3));
            if (!encoding)
                throw FormatProblem{"unknown chunk encoding '" + chunks.text(3) + "'", place};
            const auto count = chunks.integer(2);
            if (count <= 0 || count > 1'000'000)
                throw FormatProblem{"implausible sample count in a chunk", place};
            stored.push_back({chunks.integer(0), chunks.integer(1),
                              static_cast<std::uint32_t>(count), arena.keep(chunks.blob(4)),
                              *encoding});
        }
        chunks.reset();
        project.series.push_back({metrics::Series::fromChunks(std::move(info), std::move(stored)),
                                  select.text(5), select.text(6)});
    }
}

void readMetricFiles(Database& db, Project& project) {
    auto select = db.prepare("SELECT file, series, component_id, role, unit FROM metric_file "
                             "ORDER BY position");
    while (select.step())
        project.metricFiles.push_back(
            {select.text(0), select.text(1), select.text(2), select.text(3), select.text(4), {}});
}

void readWhatIf(Database& db, Project& project) {
    auto scenarios = db.prepare("SELECT name, definition FROM scenario ORDER BY position");
    while (scenarios.step()) {
        auto s = scenarioFromJson(scenarios.text(1));
        if (!s)
            throw FormatProblem{s.error().location + ": " + s.error().message,
                                rowPlace("scenario", scenarios.text(0))};
        project.scenarios.push_back(std::move(s).value());
    }
    auto policies = db.prepare("SELECT name, definition FROM autoscaling_policy ORDER BY position");
    while (policies.step()) {
        auto p = policyFromJson(policies.text(1));
        if (!p)
            throw FormatProblem{p.error().location + ": " + p.error().message,
                                rowPlace("autoscaling_policy", policies.text(0))};
        project.policies.push_back(std::move(p).value());
    }
}

Project readModel(Database& db) {
    Project project;
    {
        auto select = db.prepare("SELECT name, description FROM project WHERE id = 1");
        if (!select.step())
            throw FormatProblem{"the project row is missing", "table project"};
        project.name = select.text(0);
        project.description = select.text(1);
    }
    {
        auto select = db.prepare(
            "SELECT id, name, kind, parent, x, y, width, height FROM zone ORDER BY position");
        while (select.step()) {
            Zone zone;
            zone.id = select.text(0);
            zone.name = select.text(1);
            const auto kind = zoneKindFromKey(select.text(2));
            if (!kind)
                throw FormatProblem{"unknown zone kind '" + select.text(2) + "'",
                                    rowPlace("zone", zone.id)};
            zone.kind = *kind;
            zone.parent = select.text(3);
            zone.bounds = {select.real(4), select.real(5), select.real(6), select.real(7)};
            project.zones.push_back(std::move(zone));
        }
    }
    {
        auto select =
            db.prepare("SELECT id, kind, name, zone, x, y FROM component ORDER BY position");
        auto properties = db.prepare(
            "SELECT component_id, key, type, value FROM component_property WHERE component_id "
            "= ? ORDER BY key");
        while (select.step()) {
            const auto kind = componentKindFromKey(select.text(1));
            if (!kind)
                throw FormatProblem{"unknown component kind '" + select.text(1) + "'",
                                    rowPlace("component", select.text(0))};
            Component component = makeComponent(*kind, select.text(0), select.text(2));
            component.zone = select.text(3);
            component.position = {select.real(4), select.real(5)};
            properties.bind(1, component.id);
            while (properties.step()) {
                component.properties[properties.text(1)] = readProperty(properties, component.id);
            }
            properties.reset();
            project.components.push_back(std::move(component));
        }
    }
    {
        auto select = db.prepare("SELECT id, from_id, to_id, kind, calls_per_request, "
                                 "only_on_miss FROM link ORDER BY position");
        auto bends = db.prepare("SELECT x, y FROM link_bend WHERE link_id = ? ORDER BY position");
        while (select.step()) {
            Link link;
            link.id = select.text(0);
            link.from = select.text(1);
            link.to = select.text(2);
            const auto kind = linkKindFromKey(select.text(3));
            if (!kind)
                throw FormatProblem{"unknown link kind '" + select.text(3) + "'",
                                    rowPlace("link", link.id)};
            link.kind = *kind;
            link.callsPerRequest = select.real(4);
            link.onlyOnMiss = select.integer(5) != 0;
            bends.bind(1, link.id);
            while (bends.step())
                link.bends.push_back({bends.real(0), bends.real(1)});
            bends.reset();
            project.links.push_back(std::move(link));
        }
    }
    readSeries(db, project);
    readMetricFiles(db, project);
    readWhatIf(db, project);
    return project;
}

/// SQLite's default 4 KiB pages for a model, 16 KiB once metrics fill megabytes. A metric
/// chunk (1,024 samples, about 2.7 KB of a noisy gauge) is one row; a 4 KiB page holds only one
/// such row and wastes a third of itself, a 16 KiB page holds five. A model alone stays small:
/// every table takes at least one page.
int pageSizeFor(const Project& project) {
    std::size_t bytes = 0;
    for (const auto& entry : project.series)
        if (entry.data)
            bytes += entry.data->storedBytes();
    return bytes > (std::size_t{1} << 20) ? 16384 : 4096;
}

bool startsWithSqliteHeader(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::array<char, 16> header{};
    in.read(header.data(), header.size());
    return in.gcount() == 16 &&
           std::string_view(header.data(), 16) == std::string_view("SQLite format 3\0", 16);
}

std::string describeSqliteFailure(const sqlite::SqliteError& e) {
    switch (e.code() & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return "the file is damaged (corrupt or truncated): " + std::string(e.what());
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return "cannot open the file: " + std::string(e.what());
    case SQLITE_IOERR:
        return "reading failed: " + std::string(e.what());
    default:
        return std::string(e.what());
    }
}

} // namespace

Result<Project> loadProjectFile(const fs::path& path) {
    const std::string file = path.string();
    std::error_code ec;
    if (!fs::exists(path, ec))
        return Error{"no such file", file, ""};
    if (fs::is_directory(path, ec))
        return Error{"is a folder, not a project file", file, ""};
    const auto size = fs::file_size(path, ec);
    if (ec)
        return Error{"cannot read the file: " + ec.message(), file, ""};
    if (size == 0)
        return Error{"the file is empty (0 bytes): not a Headroom project", file, ""};
    if (!startsWithSqliteHeader(path))
        return Error{"not a Headroom project: the file is not a SQLite database"
                     " (interchange files end in .headroom.json)",
                     file, ""};
    try {
        // Copy into memory first: integrity checks and migrations then never touch the file.
        Database onDisk(file, Database::Mode::ReadOnly);
        Database db("", Database::Mode::Memory);
        db.copyFrom(onDisk);
        {
            // Scoped: an unfinished statement would lock tables a migration must drop.
            auto check = db.prepare("PRAGMA quick_check");
            if (check.step() && check.text(0) != "ok")
                return Error{"the file is damaged (corrupt or truncated): " + check.text(0), file,
                             ""};
        }
        if (!db.tableExists("schema_version") ||
            db.queryInteger("PRAGMA application_id") != schema::kApplicationId)
            return Error{"not a Headroom project: a SQLite database without Headroom's tables",
                         file, ""};
        const int version = schema::readVersion(db);
        if (version > schema::kCurrentVersion)
            return Error{"made by a newer Headroom (file schema version " +
                             std::to_string(version) + ", this Headroom reads up to " +
                             std::to_string(schema::kCurrentVersion) +
                             "): update Headroom to open it",
                         file, ""};
        if (version < 1)
            return Error{"invalid schema version " + std::to_string(version), file,
                         "table schema_version"};
        if (version < schema::kCurrentVersion)
            schema::migrate(db, version);
        return readModel(db);
    } catch (const FormatProblem& problem) {
        return Error{problem.message, file, problem.location};
    } catch (const sqlite::SqliteError& e) {
        return Error{describeSqliteFailure(e), file, ""};
    }
}

Status saveProjectFile(const Project& project, const fs::path& path,
                       const ProgressCallback& progress) {
    return replaceFileAtomically(path, [&](const fs::path& temporary) -> Status {
        try {
            Database db(temporary.string(), Database::Mode::ReadWriteCreate);
            // A fresh temporary file that nobody sees until it is complete, flushed to disk and
            // renamed over the target (replaceFileAtomically): a rollback journal and
            // per-transaction syncs would protect nothing, and cost a third of a large save.
            db.exec("PRAGMA journal_mode = OFF");
            db.exec("PRAGMA synchronous = OFF");
            db.exec("PRAGMA page_size = " + std::to_string(pageSizeFor(project)));
            // Pages written once, in order, need no cache to speak of: SQLite's default of 2 MB
            // made a 30 MB save half as slow again (fresh memory, pages held then written).
            db.exec("PRAGMA cache_size = -256");
            sqlite::Transaction transaction(db);
            schema::create(db);
            writeModel(db, project, progress);
            transaction.commit();
            return Done{};
        } catch (const SaveCancelled&) {
            return Error{"save cancelled; the file was left as it was", path.string(), ""};
        } catch (const sqlite::SqliteError& e) {
            return Error{std::string("saving failed: ") + e.what(), path.string(), ""};
        }
    });
}

} // namespace headroom
