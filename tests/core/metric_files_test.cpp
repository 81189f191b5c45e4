#include "model/validation.h"
#include "storage/json_format.h"
#include "storage/metric_files.h"
#include "storage/project_io.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

namespace headroom {
namespace {

TEST(MetricFiles, TheExamplesBindAWeekOfSamplesFromTheFilesBesideThem) {
    const auto webshop = loadProject(test::sourceDir() / "models/webshop.headroom.json");
    ASSERT_TRUE(webshop) << webshop.error().describe();
    ASSERT_EQ(webshop->series.size(), 4u);
    const auto& rps = webshop->series[0];
    EXPECT_EQ(rps.component, "web");
    EXPECT_EQ(rps.role, "arrival_rate");
    // A week at 15 s: 7 * 86400 / 15 = 40320 samples, from 2026-10-26T00:00:00Z; the first row
    // of data/webshop-web-week.csv is "1792972800,65.80,16.4,104.5,6".
    EXPECT_EQ(rps.data->size(), 40'320u);
    const auto first = rps.data->samples(1'792'972'800'000, 1'792'972'800'001);
    ASSERT_TRUE(first);
    ASSERT_EQ(first->size(), 1u);
    EXPECT_EQ(first->front().value, 65.80);
    EXPECT_EQ(rps.data->info().source.location, "data/webshop-web-week.csv");
    EXPECT_EQ(webshop->series[1].data->info().unit, "%");
    EXPECT_DOUBLE_EQ(16.4 * *roleUnitFactor(*webshop, webshop->series[1]), 0.164);
    for (const auto& d : validate(*webshop))
        EXPECT_NE(d.property, "file") << d.describe();

    // The legacy example binds a Prometheus query_range answer; its CPU is in cores, which the
    // app's 8000 mCPU request turns into a utilisation: 1.242 cores is 15.525 %.
    const auto legacy = loadProject(test::sourceDir() / "models/legacy-sticky.headroom.json");
    ASSERT_TRUE(legacy) << legacy.error().describe();
    ASSERT_EQ(legacy->series.size(), 3u);
    const auto& cpu = legacy->series[1];
    EXPECT_EQ(cpu.data->info().name, "app:container_cpu_usage:cores");
    EXPECT_EQ(cpu.data->info().unit, "cores");
    EXPECT_EQ(cpu.data->size(), 40'320u);
    const auto cpuFirst = cpu.data->samples(1'792'972'800'000, 1'792'972'800'001);
    ASSERT_TRUE(cpuFirst);
    EXPECT_DOUBLE_EQ(cpuFirst->front().value * *roleUnitFactor(*legacy, cpu), 0.15525);
}

TEST(MetricFiles, AMissingOrBrokenFileKeepsTheProjectOpenAndIsAWarning) {
    test::TempDir dir;
    test::writeFile(dir / "broken.csv", "time,rps\n1709294400,100\n1709294415,oops\n");
    Project project;
    project.components.push_back(makeComponent(ComponentKind::Service, "web", "Web"));
    project.metricFiles = {{"missing.csv", "rps", "web", "arrival_rate", "", {}},
                           {"broken.csv", "rps", "web", "arrival_rate", "", {}},
                           {"../outside.csv", "rps", "web", "arrival_rate", "", {}},
                           {"/etc/passwd", "root", "", "", "", {}}};
    ASSERT_TRUE(saveProject(project, dir / "p.headroom.json"));
    const auto loaded = loadProject(dir / "p.headroom.json");
    ASSERT_TRUE(loaded) << loaded.error().describe();
    EXPECT_TRUE(loaded->series.empty());
    ASSERT_EQ(loaded->metricFiles.size(), 4u);
    EXPECT_NE(loaded->metricFiles[0].problem.find("no such file beside the project"),
              std::string::npos)
        << loaded->metricFiles[0].problem;
    EXPECT_NE(loaded->metricFiles[1].problem.find("line 3, column 2: not a number: 'oops'"),
              std::string::npos)
        << loaded->metricFiles[1].problem << " / " << loaded->metricFiles[0].problem;
    EXPECT_NE(loaded->metricFiles[2].problem.find("in the project's folder or below"),
              std::string::npos);
    EXPECT_NE(loaded->metricFiles[3].problem.find("relative to the project's folder"),
              std::string::npos);
    int warnings = 0;
    for (const auto& d : validate(*loaded))
        warnings += d.property == "file" && d.severity == Severity::Warning;
    EXPECT_EQ(warnings, 4);
    // Saved again, the references stay as they were: nothing the user wrote is lost.
    EXPECT_EQ(projectToJson(*loaded), test::readFile(dir / "p.headroom.json"));
}

TEST(MetricFiles, TheReferencesSurviveTheProjectFileAndOnlyUnnamedSeriesAreLeftOutOfJson) {
    test::TempDir dir;
    auto project = loadProject(test::sourceDir() / "models/webshop.headroom.json");
    ASSERT_TRUE(project);
    EXPECT_EQ(seriesLeftOutOfJson(*project), 0u);
    ASSERT_TRUE(saveProject(*project, dir / "shop.headroom"));
    const auto reopened = loadProject(dir / "shop.headroom");
    ASSERT_TRUE(reopened);
    EXPECT_EQ(reopened->metricFiles, project->metricFiles);
    EXPECT_EQ(reopened->series.size(), 4u) << "samples come from the project file, not the CSV";
    auto more = *reopened;
    more.series.push_back({more.series[0].data, "web", "latency_mean"});
    EXPECT_EQ(seriesLeftOutOfJson(more), 1u);
}

} // namespace
} // namespace headroom
