// Load scenarios and autoscaling policies in the project (model/scenario.h): their JSON form,
// the places its problems are reported at, and both project files keeping them (the storage
// tests' everyFieldProject carries two scenarios and two policies through every round trip).

#include "model/scenario.h"
#include "storage/json_format.h"
#include "storage/project_file.h"
#include "storage/schema.h"
#include "support/temp_dir.h"
#include "test_projects.h"

#include <gtest/gtest.h>

namespace headroom {
namespace {

std::string problem(const Result<Scenario>& r) {
    return r ? "accepted" : r.error().location + ": " + r.error().message;
}

TEST(Scenario, JsonRoundTripKeepsEveryField) {
    for (const auto& s : test::everyFieldProject().scenarios) {
        const auto back = scenarioFromJson(scenarioToJson(s));
        ASSERT_TRUE(back) << back.error().describe();
        EXPECT_EQ(*back, s);
    }
    for (const auto& p : test::everyFieldProject().policies) {
        const auto back = policyFromJson(policyToJson(p));
        ASSERT_TRUE(back) << back.error().describe();
        EXPECT_EQ(*back, p);
    }
}

TEST(Scenario, ProblemsAreNamedByTheirPointer) {
    EXPECT_EQ(problem(scenarioFromJson(R"({"name": "x", "source": "synthetic"})")),
              "/synthetic: missing: a synthetic scenario needs its shape");
    EXPECT_EQ(problem(scenarioFromJson(R"({"name": "x", "source": "recorded"})")),
              "/component: a recorded scenario names the component whose arrival-rate series "
              "it replays");
    EXPECT_EQ(problem(scenarioFromJson(R"({"name": "x", "source": "synthetic", "synthetic": {},
        "transforms": [{"type": "scale"}, {"type": "surge"}]})")),
              "/transforms/1/type: expected scale, growth, step, spike or repeat, found \"surge\"");
    EXPECT_EQ(problem(scenarioFromJson(R"({"name": "x", "source": "synthetic",
        "synthetic": {"daily_amplitude": 1.5}})")),
              "/synthetic/daily_amplitude: must lie between 0 and 1, got 1.5");
    EXPECT_EQ(problem(scenarioFromJson(R"({"name": "x", "source": "synthetic", "synthetic": {},
        "transforms": [{"type": "repeat", "times": 2.5}]})")),
              "/transforms/0/times: expected a whole number of repeats");
    EXPECT_EQ(problem(scenarioFromJson(R"({"name": "x", "source": "synthetic", "synthetic": {},
        "deploys": [{"at_hours": 2, "max_surge": "a lot"}]})")),
              "/deploys/0/max_surge: expected a count such as 1 or a percent such as \"25%\", "
              "found \"a lot\"");
    const auto policy = policyFromJson(R"({"name": "p", "component": "web", "kind": "autopilot"})");
    ASSERT_FALSE(policy);
    EXPECT_EQ(policy.error().location, "/kind");
}

TEST(Scenario, AJsonProjectPlacesAProblemUnderItsEntry) {
    auto text = projectToJson(test::everyFieldProject());
    const auto at = text.find("\"spike\"");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 7, "\"spiky\"");
    const auto loaded = projectFromJson(text);
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().location, "/scenarios/0/transforms/1/type");
}

TEST(Scenario, BothProjectFilesKeepScenariosAndPolicies) {
    const auto project = test::everyFieldProject();
    const auto json = projectFromJson(projectToJson(project));
    ASSERT_TRUE(json) << json.error().describe();
    EXPECT_EQ(json->scenarios, project.scenarios);
    EXPECT_EQ(json->policies, project.policies);
    test::TempDir dir;
    const auto file = dir.path() / "p.headroom";
    ASSERT_TRUE(saveProjectFile(project, file));
    const auto loaded = loadProjectFile(file);
    ASSERT_TRUE(loaded) << loaded.error().describe();
    EXPECT_EQ(loaded->scenarios, project.scenarios);
    EXPECT_EQ(loaded->policies, project.policies);
}

TEST(Scenario, MigrationFromVersion5AddsTheirTables) {
    sqlite::Database db("", sqlite::Database::Mode::Memory);
    db.exec(schema::ddlOfVersion(5));
    db.exec("INSERT INTO schema_version VALUES ('headroom', 5)");
    EXPECT_FALSE(db.tableExists("scenario"));
    schema::migrate(db, 5);
    EXPECT_TRUE(db.tableExists("scenario"));
    EXPECT_TRUE(db.tableExists("autoscaling_policy"));
    EXPECT_EQ(schema::readVersion(db), 6);
}

} // namespace
} // namespace headroom
