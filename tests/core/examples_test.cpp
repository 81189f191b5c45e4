#include "model/validation.h"
#include "storage/json_format.h"
#include "storage/project_file.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

namespace headroom {
namespace {

class Example : public ::testing::TestWithParam<std::string> {
  protected:
    std::filesystem::path path() const {
        return test::sourceDir() / "models" / (GetParam() + ".headroom.json");
    }
};

TEST_P(Example, LoadsAndValidatesWithoutErrors) {
    const auto project = loadJsonFile(path());
    ASSERT_TRUE(project) << project.error().describe();
    EXPECT_FALSE(project->description.empty());
    EXPECT_GE(project->components.size(), 5u);
    for (const auto& d : validate(*project))
        EXPECT_NE(d.severity, Severity::Error) << d.describe();
}

TEST_P(Example, RoundTripsThroughTheProjectFileToTheSameBytes) {
    const auto text = test::readFile(path());
    const auto project = projectFromJson(text);
    ASSERT_TRUE(project);
    test::TempDir dir;
    ASSERT_TRUE(saveProjectFile(*project, dir / "p.headroom"));
    const auto reloaded = loadProjectFile(dir / "p.headroom");
    ASSERT_TRUE(reloaded) << reloaded.error().describe();
    EXPECT_EQ(*reloaded, *project);
    EXPECT_EQ(projectToJson(*reloaded), text) << "examples are stored in canonical form";
}

INSTANTIATE_TEST_SUITE_P(Models, Example,
                         ::testing::Values("webshop", "video-pipeline", "legacy-sticky"),
                         [](const auto& info) {
                             std::string name = info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

} // namespace
} // namespace headroom
