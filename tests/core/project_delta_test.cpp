#include "core/test_projects.h"
#include "model/project_delta.h"
#include "storage/json_format.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <random>

namespace headroom {
namespace {

std::vector<std::string> componentIds(const Project& p) {
    std::vector<std::string> ids;
    for (const auto& c : p.components)
        ids.push_back(c.id);
    return ids;
}

TEST(ProjectDelta, AddingAppendsAndUndoRemoves) {
    const auto original = test::everyFieldProject();
    auto project = original;
    DeltaBuilder edit(project);
    edit.setComponent(makeComponent(ComponentKind::Queue, "q", "Queue"));
    edit.setLink({"w-q", "web", "q", LinkKind::AsyncEnqueue, 0.5, false, {}});
    const auto delta = edit.build();
    const auto changes = apply(project, delta, Direction::Forward);
    EXPECT_EQ(componentIds(project),
              (std::vector<std::string>{"users", "web", "cache", "db", "q"}));
    EXPECT_EQ(project.links.back().id, "w-q");
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0].object, AppliedChange::Object::Component) << "components before links";
    apply(project, delta, Direction::Backward);
    EXPECT_EQ(project, original);
}

TEST(ProjectDelta, RemovingAComponentTakesItsLinksAndUndoPutsEverythingBackInPlace) {
    const auto original = test::everyFieldProject();
    auto project = original;
    DeltaBuilder edit(project);
    edit.removeComponent("web"); // second of four; every link touches it
    const auto delta = edit.build();
    apply(project, delta, Direction::Forward);
    EXPECT_EQ(componentIds(project), (std::vector<std::string>{"users", "cache", "db"}));
    EXPECT_TRUE(project.links.empty());
    apply(project, delta, Direction::Backward);
    EXPECT_EQ(project, original);
}

TEST(ProjectDelta, RemovingAZoneMovesItsMembersAndChildrenToTheParent) {
    const auto original = test::everyFieldProject();
    auto project = original;
    DeltaBuilder edit(project);
    edit.removeZone("eu");
    const auto delta = edit.build();
    apply(project, delta, Direction::Forward);
    EXPECT_EQ(project.zones.size(), 1u);
    EXPECT_EQ(project.zones[0].parent, "");
    EXPECT_EQ(project.findComponent("cache")->zone, "");
    EXPECT_EQ(project.findComponent("web")->zone, "eu-a");
    apply(project, delta, Direction::Backward);
    EXPECT_EQ(project, original);
}

TEST(ProjectDelta, AnEditThatChangesNothingIsEmpty) {
    const auto project = test::everyFieldProject();
    DeltaBuilder edit(project);
    edit.setComponent(project.components[1]);
    edit.setInfo({project.name, project.description});
    EXPECT_TRUE(edit.build().empty());
}

TEST(ProjectDelta, InfoChangesAndReverts) {
    const auto original = test::everyFieldProject();
    auto project = original;
    DeltaBuilder edit(project);
    edit.setInfo({"Renamed", "new text"});
    const auto delta = edit.build();
    apply(project, delta, Direction::Forward);
    EXPECT_EQ(project.name, "Renamed");
    apply(project, delta, Direction::Backward);
    EXPECT_EQ(project, original);
}

TEST(ProjectDelta, ConsecutiveMovesOfTheSameComponentsComposeIntoOne) {
    const auto original = test::everyFieldProject();
    auto project = original;
    auto move = [&](double dx) {
        DeltaBuilder edit(project);
        for (const char* id : {"users", "db"}) {
            auto c = *project.findComponent(id);
            c.position.x += dx;
            edit.setComponent(c);
        }
        auto delta = edit.build();
        apply(project, delta, Direction::Forward);
        return delta;
    };
    const auto first = move(20);
    const auto second = move(40);
    const auto both = composeChanges(first, second);
    ASSERT_TRUE(both);
    EXPECT_EQ(project.findComponent("users")->position.x, -50.125 + 60);
    apply(project, *both, Direction::Backward);
    EXPECT_EQ(project, original);

    DeltaBuilder add(project);
    add.setComponent(makeComponent(ComponentKind::Cache, "new", "New"));
    EXPECT_FALSE(composeChanges(first, add.build())) << "additions never merge";
}

// Many random edits, each applied then undone in reverse order, must give back the original
// project exactly; redoing them all must give the same final project again.
TEST(ProjectDelta, RandomEditSequencesUndoExactly) {
    const auto loaded = loadJsonFile(test::sourceDir() / "models/webshop.headroom.json");
    ASSERT_TRUE(loaded);
    const Project original = *loaded;
    Project project = original;
    std::mt19937 random(7);
    std::vector<ProjectDelta> history;
    for (int step = 0; step < 200; ++step) {
        DeltaBuilder edit(project);
        const int action = static_cast<int>(random() % 6);
        if (!project.components.empty()) {
            const auto& c = project.components[random() % project.components.size()];
            if (action == 0) {
                edit.removeComponent(c.id);
            } else if (action == 1) {
                auto moved = c;
                moved.position.x += 20;
                moved.properties["new_key"] = std::int64_t{step};
                edit.setComponent(moved);
            } else if (action == 2) {
                auto copy = c;
                copy.id = "copy" + std::to_string(step);
                edit.setComponent(copy);
                edit.setLink(
                    {"l" + std::to_string(step), c.id, copy.id, LinkKind::SyncCall, 1, false, {}});
            }
        }
        if (action == 3 && !project.links.empty())
            edit.removeLink(project.links[random() % project.links.size()].id);
        if (action == 4 && !project.zones.empty())
            edit.removeZone(project.zones[random() % project.zones.size()].id);
        if (action == 5)
            edit.setZone(
                {"z" + std::to_string(step), "Zone", ZoneKind::Region, "", {0, 0, 10, 10}});
        auto delta = edit.build();
        apply(project, delta, Direction::Forward);
        history.push_back(std::move(delta));
    }
    const Project edited = project;
    for (auto it = history.rbegin(); it != history.rend(); ++it)
        apply(project, *it, Direction::Backward);
    EXPECT_EQ(project, original);
    for (const auto& delta : history)
        apply(project, delta, Direction::Forward);
    EXPECT_EQ(project, edited);
}

} // namespace
} // namespace headroom

namespace headroom {
namespace {

TEST(ProjectDeltaSeries, DeletingAComponentUnbindsItsSeriesAndUndoBindsThemAgain) {
    Project project;
    project.components.push_back(makeComponent(ComponentKind::Service, "web", "Web"));
    project.components.push_back(makeComponent(ComponentKind::Service, "api", "API"));
    const auto samples = metrics::Series::fromSamples({"rps", {}, "", {}}, {{0, 1}});
    project.series = {{samples, "web", "arrival_rate"},
                      {samples, "api", "arrival_rate"},
                      {samples, "web", "latency_p95"}};
    const Project before = project;
    DeltaBuilder edit(project);
    edit.removeComponent("web");
    const auto delta = edit.build();
    ASSERT_EQ(delta.bindings.size(), 2u);
    apply(project, delta, Direction::Forward);
    ASSERT_EQ(project.series.size(), 3u) << "the samples stay";
    EXPECT_EQ(project.series[0].component, "");
    EXPECT_EQ(project.series[0].role, "");
    EXPECT_EQ(project.series[1].component, "api");
    EXPECT_EQ(project.series[2].component, "");
    apply(project, delta, Direction::Backward);
    EXPECT_EQ(project, before);
    EXPECT_FALSE(composeChanges(delta, delta)) << "rebinding never merges into a drag";
}

} // namespace
} // namespace headroom
