#include "core/test_projects.h"
#include "model/fragment.h"
#include "storage/json_format.h"

#include <gtest/gtest.h>

namespace headroom {
namespace {

TEST(Fragment, TakesTheComponentsAndOnlyTheLinksBetweenThem) {
    const auto project = test::everyFieldProject();
    const auto fragment = extractFragment(project, {"web", "db"});
    ASSERT_EQ(fragment.components.size(), 2u);
    EXPECT_EQ(fragment.components[0].id, "web");
    ASSERT_EQ(fragment.links.size(), 2u) << "web->db read and write; not users->web";
    EXPECT_EQ(fragment.links[0].id, "c");
    EXPECT_EQ(fragment.links[1].id, "d");
}

TEST(Fragment, UniqueIdCountsUpAndCleansCharacters) {
    const std::set<std::string> taken{"web", "web-2", "db"};
    EXPECT_EQ(uniqueId("cache", taken), "cache");
    EXPECT_EQ(uniqueId("web", taken), "web-3");
    EXPECT_EQ(uniqueId("web-2", taken), "web-3");
    EXPECT_EQ(uniqueId("my web!", taken), "my-web-");
    EXPECT_EQ(uniqueId("", taken), "item");
}

TEST(Fragment, PastingIntoTheSameProjectGivesFreshIdsAndRemapsLinks) {
    const auto project = test::everyFieldProject();
    const auto fragment = extractFragment(project, {"web", "db"});
    const auto pasted = prepareForPaste(fragment, project, {40, 40});
    ASSERT_EQ(pasted.components.size(), 2u);
    EXPECT_EQ(pasted.components[0].id, "web-2");
    EXPECT_EQ(pasted.components[1].id, "db-2");
    EXPECT_EQ(pasted.components[0].position, (Point{240, 140}));
    EXPECT_EQ(pasted.components[0].zone, "eu-a") << "the zone exists in the target";
    ASSERT_EQ(pasted.links.size(), 2u);
    EXPECT_EQ(pasted.links[0].from, "web-2");
    EXPECT_EQ(pasted.links[0].to, "db-2");
    EXPECT_EQ(pasted.links[1].bends[0], (Point{41.5, 37.75})) << "bends move too";
    EXPECT_NE(pasted.links[0].id, "c");
}

TEST(Fragment, PastingIntoAnotherProjectDropsUnknownZonesAndSurvivesTheClipboard) {
    const auto fragment = extractFragment(test::everyFieldProject(), {"web"});
    const auto text = projectToJson(fragment, kFragmentFormatName);
    const auto back = projectFromJson(text, "clipboard", kFragmentFormatName);
    ASSERT_TRUE(back) << back.error().describe();
    EXPECT_FALSE(projectFromJson(text)) << "a fragment is not a project file";
    const auto pasted = prepareForPaste(*back, Project{}, {0, 0});
    EXPECT_EQ(pasted.components[0].id, "web");
    EXPECT_EQ(pasted.components[0].zone, "");
}

} // namespace
} // namespace headroom
