#include "core/test_projects.h"
#include "storage/json_format.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

namespace headroom {
namespace {

TEST(JsonFormat, RoundTripsEveryFieldExactly) {
    const auto original = test::everyFieldProject();
    const auto loaded = projectFromJson(projectToJson(original));
    ASSERT_TRUE(loaded) << loaded.error().describe();
    EXPECT_EQ(*loaded, original);
}

TEST(JsonFormat, SavingTwiceGivesTheSameBytes) {
    const auto text = projectToJson(test::everyFieldProject());
    const auto again = projectFromJson(text);
    ASSERT_TRUE(again);
    EXPECT_EQ(projectToJson(*again), text);
}

TEST(JsonFormat, KeysComeInAStableReadableOrder) {
    const auto text = projectToJson(test::everyFieldProject());
    const auto format = text.find("\"format\"");
    const auto name = text.find("\"name\"");
    const auto zones = text.find("\"zones\"");
    const auto components = text.find("\"components\"");
    const auto links = text.find("\"links\"");
    EXPECT_LT(format, name);
    EXPECT_LT(name, zones);
    EXPECT_LT(zones, components);
    EXPECT_LT(components, links);
    // Properties follow the descriptor table: replicas before min_replicas before price.
    EXPECT_LT(text.find("\"replicas\""), text.find("\"min_replicas\""));
    EXPECT_LT(text.find("\"min_replicas\""), text.find("\"price_per_hour_usd\""));
}

TEST(JsonFormat, MissingPropertiesTakeTheirDefaults) {
    const auto loaded = projectFromJson(R"({"format": "headroom-project", "version": 1,
        "name": "n", "components": [{"id": "w", "kind": "service", "name": "W",
        "properties": {"replicas": 5}}]})");
    ASSERT_TRUE(loaded) << loaded.error().describe();
    const auto& web = loaded->components.at(0);
    EXPECT_EQ(std::get<std::int64_t>(web.properties.at("replicas")), 5);
    EXPECT_EQ(std::get<double>(web.properties.at("service_time_ms")), 50.0);
}

TEST(JsonFormat, IntegerWrittenForANumberPropertyBecomesANumber) {
    const auto loaded = projectFromJson(R"({"format": "headroom-project", "version": 1,
        "name": "n", "components": [{"id": "w", "kind": "service", "name": "W",
        "properties": {"service_time_ms": 20, "replicas": 4.0}}]})");
    ASSERT_TRUE(loaded) << loaded.error().describe();
    const auto& web = loaded->components.at(0);
    EXPECT_EQ(std::get<double>(web.properties.at("service_time_ms")), 20.0);
    EXPECT_EQ(std::get<std::int64_t>(web.properties.at("replicas")), 4);
}

TEST(JsonFormat, SyntaxErrorSaysLineAndColumn) {
    const auto loaded = projectFromJson("{\n  \"format\": \"headroom-project\",\n  \"name\": ,\n}",
                                        "shop.headroom.json");
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().file, "shop.headroom.json");
    EXPECT_EQ(loaded.error().location, "line 3, column 11");
    EXPECT_NE(loaded.error().message.find("invalid JSON"), std::string::npos);
}

TEST(JsonFormat, UnknownKindNamesThePathAndTheKnownKinds) {
    const auto loaded = projectFromJson(R"({"format": "headroom-project", "version": 1,
        "name": "n", "components": [{"id": "a", "kind": "client", "name": "A"},
        {"id": "m", "kind": "mainframe", "name": "M"}]})");
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().location, "/components/1/kind");
    EXPECT_EQ(loaded.error().message.rfind("unknown component kind \"mainframe\" (known: client, "
                                           "cdn,",
                                           0),
              0u)
        << loaded.error().message;
}

TEST(JsonFormat, WrongFieldTypeNamesThePath) {
    const auto loaded = projectFromJson(R"({"format": "headroom-project", "version": 1,
        "name": "n", "components": [], "links": [{"id": "l", "from": "a", "to": "b",
        "kind": "read", "calls_per_request": "many"}]})");
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().location, "/links/0/calls_per_request");
    EXPECT_EQ(loaded.error().message, "expected a number");
}

TEST(JsonFormat, PropertyValueThatNoPropertyCanHoldIsRefused) {
    const auto loaded = projectFromJson(R"({"format": "headroom-project", "version": 1,
        "name": "n", "components": [{"id": "w", "kind": "service", "name": "W",
        "properties": {"replicas": [1, 2]}}]})");
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().location, "/components/0/properties/replicas");
}

TEST(JsonFormat, RefusesOtherDocumentsAndNewerVersions) {
    auto other = projectFromJson(R"({"format": "something-else", "version": 1, "name": "n"})");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().location, "/format");

    auto newer = projectFromJson(R"({"format": "headroom-project", "version": 9, "name": "n"})");
    ASSERT_FALSE(newer);
    EXPECT_NE(newer.error().message.find("made by a newer Headroom"), std::string::npos);

    auto array = projectFromJson("[1, 2, 3]");
    ASSERT_FALSE(array);
    EXPECT_EQ(array.error().message, "expected an object");
}

TEST(JsonFormat, FileSaveAndLoad) {
    test::TempDir dir;
    const auto path = dir / "p.headroom.json";
    ASSERT_TRUE(saveJsonFile(test::everyFieldProject(), path));
    const auto loaded = loadJsonFile(path);
    ASSERT_TRUE(loaded) << loaded.error().describe();
    EXPECT_EQ(*loaded, test::everyFieldProject());
    EXPECT_FALSE(loadJsonFile(dir / "missing.headroom.json"));
}

} // namespace
} // namespace headroom
