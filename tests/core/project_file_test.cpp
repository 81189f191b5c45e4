#include "core/test_projects.h"
#include "storage/project_file.h"
#include "storage/project_io.h"
#include "storage/schema.h"
#include "storage/sqlite.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace headroom {
namespace {
namespace fs = std::filesystem;

class ProjectFile : public ::testing::Test {
  protected:
    test::TempDir dir;
    fs::path file = dir / "project.headroom";
};

void expectMessageContains(const Result<Project>& result, const std::string& text) {
    ASSERT_FALSE(result) << "expected the file to be refused";
    EXPECT_NE(result.error().describe().find(text), std::string::npos) << result.error().describe();
}

TEST_F(ProjectFile, RoundTripsEveryFieldExactly) {
    const auto original = test::everyFieldProject();
    ASSERT_TRUE(saveProjectFile(original, file));
    const auto loaded = loadProjectFile(file);
    ASSERT_TRUE(loaded) << loaded.error().describe();
    EXPECT_EQ(*loaded, original);
}

TEST_F(ProjectFile, MetricSeriesRoundTripCompressedAndBound) {
    auto project = test::everyFieldProject();
    std::vector<metrics::Sample> samples;
    for (int i = 0; i < 3000; ++i) // three chunks, the last one partial
        samples.push_back({1'700'000'000'000 + i * 15'000LL, 100.0 + (i % 7) * 0.5});
    metrics::SeriesInfo info{"http_requests_per_second",
                             {{"job", "web"}, {"instance", "10.0.0.1:80"}},
                             "req/s",
                             {"csv", "/data/web.csv", "rps", 15'000}};
    project.series.push_back({metrics::Series::fromSamples(info, samples), "web", "arrival_rate"});
    project.series.push_back(
        {metrics::Series::fromSamples({"empty", {}, "", {}}, std::vector<metrics::Sample>{}), "",
         ""});
    ASSERT_TRUE(saveProjectFile(project, file));
    const auto loaded = loadProjectFile(file);
    ASSERT_TRUE(loaded) << loaded.error().describe();
    EXPECT_EQ(*loaded, project);
    const auto& series = *loaded->series[0].data;
    EXPECT_EQ(series.chunks().size(), 3u);
    const auto back = series.samples();
    ASSERT_TRUE(back);
    ASSERT_EQ(back->size(), samples.size());
    EXPECT_EQ((*back)[2999].timestampMs, samples[2999].timestampMs);
    EXPECT_EQ((*back)[2999].value, samples[2999].value);
    // A regular scrape of a value cycling through seven levels stays near two bytes a sample.
    EXPECT_LT(static_cast<double>(series.storedBytes()) / 3000.0, 2.5);
}

TEST_F(ProjectFile, MetricChunksFillTheFileWithoutHalfEmptyPages) {
    // A noisy gauge with three decimals: chunks of about 2.8 KB. On 4 KiB pages each sits alone
    // on a page (the file grew 1.39 times the data); 16 KiB pages hold five (1.18).
    auto project = test::everyFieldProject();
    ASSERT_TRUE(saveProjectFile(project, file));
    const auto modelOnly = fs::file_size(file);
    std::vector<metrics::Sample> samples;
    std::uint64_t state = 1;
    for (int i = 0; i < 1'000'000; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        // 400.000 .. 1448.575, as a CSV would give it (one division, so a correctly rounded
        // three-decimal number: the decimal chunk encoding takes it).
        const auto value = static_cast<double>(400'000 + (state >> 44)) / 1000.0;
        samples.push_back({1'700'000'000'000 + i * 15'000LL, value});
    }
    project.series.push_back(
        {metrics::Series::fromSamples({"gauge", {}, "", {}}, samples), "web", "arrival_rate"});
    const double chunkBytes = static_cast<double>(project.series.back().data->storedBytes());
    ASSERT_TRUE(saveProjectFile(project, file));
    const double growth = static_cast<double>(fs::file_size(file) - modelOnly);
    EXPECT_LT(growth, chunkBytes * 1.25) << "chunks " << chunkBytes << " B, file grew " << growth;
    EXPECT_GT(growth, chunkBytes);
    const auto loaded = loadProjectFile(file);
    ASSERT_TRUE(loaded) << loaded.error().describe();
    EXPECT_EQ(*loaded, project);
    // A model alone keeps small pages: every table costs at least one.
    EXPECT_LT(modelOnly, 100'000u);
}

TEST_F(ProjectFile, UnknownPropertiesSurviveSoValidationCanReportThem) {
    auto project = test::everyFieldProject();
    project.components[1].properties["future_setting"] = std::string("x");
    ASSERT_TRUE(saveProjectFile(project, file));
    const auto loaded = loadProjectFile(file);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(*loaded, project);
}

TEST_F(ProjectFile, IsASqliteDatabaseWithHeadroomsApplicationIdAndCurrentSchema) {
    ASSERT_TRUE(saveProjectFile(test::everyFieldProject(), file));
    sqlite::Database db(file.string(), sqlite::Database::Mode::ReadOnly);
    EXPECT_EQ(db.queryInteger("PRAGMA application_id"), 0x48524d31);
    EXPECT_EQ(schema::readVersion(db), schema::kCurrentVersion);
    EXPECT_TRUE(db.tableExists("metric_series"));
    EXPECT_TRUE(db.tableExists("metric_chunk"));
    EXPECT_EQ(db.queryInteger("SELECT count(*) FROM component"), 4);
}

TEST_F(ProjectFile, OpensAVersion1FileByMigratingItInMemory) {
    const auto fixture = test::sourceDir() / "tests/data/shop-v1.headroom";
    fs::copy_file(fixture, file);
    const auto before = test::readFile(file);

    const auto loaded = loadProjectFile(file);
    ASSERT_TRUE(loaded) << loaded.error().describe();
    EXPECT_EQ(loaded->name, "Shop v1");
    ASSERT_EQ(loaded->components.size(), 2u);
    const auto& web = loaded->components[1];
    EXPECT_EQ(web.zone, "dc");
    EXPECT_EQ(std::get<std::int64_t>(web.properties.at("replicas")), 4);
    EXPECT_EQ(std::get<bool>(web.properties.at("stateless")), false);
    EXPECT_EQ(std::get<std::string>(web.properties.at("session_store")), "local_memory");
    EXPECT_EQ(std::get<double>(web.properties.at("service_time_ms")), 50.0) << "default filled";
    EXPECT_EQ(loaded->components[0].number("arrival_rate_rps"), 250.5);
    ASSERT_EQ(loaded->links.size(), 1u);
    EXPECT_EQ(loaded->zones.at(0).bounds, (Rect{10, 20, 600, 300}));

    EXPECT_EQ(test::readFile(file), before) << "opening must not rewrite the user's file";

    // Saving writes the current version.
    ASSERT_TRUE(saveProjectFile(*loaded, file));
    sqlite::Database db(file.string(), sqlite::Database::Mode::ReadOnly);
    EXPECT_EQ(schema::readVersion(db), schema::kCurrentVersion);
    EXPECT_EQ(*loadProjectFile(file), *loaded);
}

TEST_F(ProjectFile, MigrationStepAddsTheMetricTables) {
    sqlite::Database db("", sqlite::Database::Mode::Memory);
    db.exec(schema::ddlOfVersion(1));
    db.exec("INSERT INTO schema_version VALUES ('headroom', 1)");
    EXPECT_FALSE(db.tableExists("metric_series"));
    schema::migrate(db, 1);
    EXPECT_TRUE(db.tableExists("metric_series"));
    EXPECT_TRUE(db.tableExists("metric_chunk"));
    EXPECT_TRUE(db.tableExists("link_bend"));
    EXPECT_EQ(schema::readVersion(db), schema::kCurrentVersion);
}

TEST_F(ProjectFile, MigrationFromVersion2AddsLinkBends) {
    sqlite::Database db("", sqlite::Database::Mode::Memory);
    db.exec(schema::ddlOfVersion(2));
    db.exec("INSERT INTO schema_version VALUES ('headroom', 2)");
    EXPECT_TRUE(db.tableExists("metric_series"));
    EXPECT_FALSE(db.tableExists("link_bend"));
    schema::migrate(db, 2);
    EXPECT_TRUE(db.tableExists("link_bend"));
    EXPECT_EQ(schema::readVersion(db), schema::kCurrentVersion);
}

TEST_F(ProjectFile, RefusesAFileMadeByANewerHeadroom) {
    ASSERT_TRUE(saveProjectFile(test::everyFieldProject(), file));
    {
        sqlite::Database db(file.string(), sqlite::Database::Mode::ReadWriteCreate);
        db.exec("UPDATE schema_version SET version = 7");
    }
    expectMessageContains(loadProjectFile(file), "made by a newer Headroom (file schema version 7");
}

TEST_F(ProjectFile, RefusesAForeignSqliteDatabase) {
    {
        sqlite::Database db(file.string(), sqlite::Database::Mode::ReadWriteCreate);
        db.exec("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)");
    }
    expectMessageContains(loadProjectFile(file),
                          "not a Headroom project: a SQLite database without Headroom's tables");
}

TEST_F(ProjectFile, RefusesATextFileAndAnEmptyFile) {
    test::writeFile(file, "{\"format\": \"headroom-project\"}");
    expectMessageContains(loadProjectFile(file), "not a SQLite database");
    test::writeFile(file, "");
    expectMessageContains(loadProjectFile(file), "the file is empty");
}

TEST_F(ProjectFile, RefusesATruncatedFile) {
    auto project = test::everyFieldProject();
    // Enough rows to need several pages, so truncation cuts real data.
    for (int i = 0; i < 300; ++i)
        project.components.push_back(
            makeComponent(ComponentKind::Service, "svc" + std::to_string(i), "Service"));
    ASSERT_TRUE(saveProjectFile(project, file));
    const auto full = test::readFile(file);
    ASSERT_GT(full.size(), 8192u);
    test::writeFile(file, full.substr(0, full.size() / 2));
    expectMessageContains(loadProjectFile(file), "damaged (corrupt or truncated)");
}

TEST_F(ProjectFile, RefusesACorruptFile) {
    auto project = test::everyFieldProject();
    for (int i = 0; i < 300; ++i)
        project.components.push_back(
            makeComponent(ComponentKind::Cache, "c" + std::to_string(i), "Cache"));
    ASSERT_TRUE(saveProjectFile(project, file));
    auto bytes = test::readFile(file);
    // Overwrite everything after the first page (schema) with garbage.
    for (std::size_t i = 4096; i < bytes.size(); ++i)
        bytes[i] = static_cast<char>(0xA5 ^ (i * 31));
    test::writeFile(file, bytes);
    const auto loaded = loadProjectFile(file);
    ASSERT_FALSE(loaded);
    EXPECT_NE(loaded.error().message.find("damaged"), std::string::npos)
        << loaded.error().describe();
}

TEST_F(ProjectFile, MissingFileAndFolderSayWhat) {
    expectMessageContains(loadProjectFile(dir / "nope.headroom"), "no such file");
    expectMessageContains(loadProjectFile(dir.path()), "is a folder");
}

TEST_F(ProjectFile, CancelledSaveLeavesTheOldFileAndNoTemporaryFile) {
    const auto oldProject = test::everyFieldProject();
    ASSERT_TRUE(saveProjectFile(oldProject, file));
    const auto oldBytes = test::readFile(file);

    auto newProject = oldProject;
    newProject.name = "new";
    int calls = 0;
    const auto saved = saveProjectFile(newProject, file, [&](double fraction) {
        ++calls;
        return fraction < 0.5; // stop half way
    });
    ASSERT_FALSE(saved);
    EXPECT_GT(calls, 1);
    EXPECT_NE(saved.error().message.find("cancelled"), std::string::npos);
    EXPECT_EQ(test::readFile(file), oldBytes);
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1)
        << "the temporary file must be cleaned up";
}

// A process killed half way through a save (simulated by _exit inside the progress callback,
// with the half-written temporary file left behind) must leave the old file loadable.
TEST_F(ProjectFile, CrashHalfWayThroughSaveLeavesTheOldFileIntact) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    const auto oldProject = test::everyFieldProject();
    ASSERT_TRUE(saveProjectFile(oldProject, file));
    auto newProject = oldProject;
    newProject.name = "new";
    EXPECT_EXIT(
        {
            (void)saveProjectFile(newProject, file, [](double fraction) {
                if (fraction >= 0.5)
                    _exit(3);
                return true;
            });
        },
        ::testing::ExitedWithCode(3), "");
    const auto loaded = loadProjectFile(file);
    ASSERT_TRUE(loaded) << loaded.error().describe();
    EXPECT_EQ(*loaded, oldProject);
}

TEST_F(ProjectFile, SaveIntoAMissingFolderFailsWithAMessage) {
    const auto saved = saveProjectFile(test::everyFieldProject(), dir / "no/such/dir/p.headroom");
    ASSERT_FALSE(saved);
    EXPECT_NE(saved.error().message.find("folder does not exist"), std::string::npos);
}

TEST(ProjectIo, ChoosesTheFormatByExtension) {
    EXPECT_EQ(formatFromPath("a/b.headroom"), ProjectFormat::Sqlite);
    EXPECT_EQ(formatFromPath("a/b.headroom.json"), ProjectFormat::Json);
    EXPECT_FALSE(formatFromPath("a/b.json"));
    const auto loaded = loadProject("model.txt");
    ASSERT_FALSE(loaded);
    EXPECT_NE(loaded.error().message.find("unknown file type"), std::string::npos);
}

} // namespace
} // namespace headroom
