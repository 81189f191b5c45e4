// Runs the real headroom-cli binary: exit codes, text and JSON output, error messages.

#include "storage/project_file.h"
#include "storage/project_io.h"
#include "support/bare_example.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

#include <array>
#include <cstdio>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

namespace headroom {
namespace {

using test::cli;
using test::Run;

std::string example(const std::string& name) {
    return (test::sourceDir() / "models" / (name + ".headroom.json")).string();
}

TEST(Cli, VersionPrintsTheVersion) {
    const auto run = cli({"--version"});
    EXPECT_EQ(run.exitCode, 0);
    EXPECT_EQ(run.out, "headroom-cli 0.1.0\n");
}

TEST(Cli, EverySubcommandHasHelp) {
    for (const char* sub :
         {"info", "validate", "convert", "layout", "render", "import", "series"}) {
        const auto run = cli({sub, "--help"});
        EXPECT_EQ(run.exitCode, 0) << sub;
        EXPECT_NE(run.out.find("Usage:"), std::string::npos) << sub;
        EXPECT_NE(run.out.find("--format"), std::string::npos) << sub;
    }
}

TEST(Cli, BadUsageExitsWith2) {
    EXPECT_EQ(cli({}).exitCode, 2);
    EXPECT_EQ(cli({"frobnicate"}).exitCode, 2);
    EXPECT_EQ(cli({"info"}).exitCode, 2) << "FILE is required";
    const auto run = cli({"info", "--format", "xml", example("webshop")});
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_NE(run.err.find("--format"), std::string::npos);
}

TEST(Cli, InfoJsonCountsTheWebshop) {
    const auto run = cli({"info", "--format", "json", example("webshop")});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto json = nlohmann::json::parse(run.out);
    EXPECT_EQ(json["name"], "Webshop");
    EXPECT_EQ(json["counts"]["components"], 12);
    EXPECT_EQ(json["counts"]["links"], 15);
    EXPECT_EQ(json["counts"]["zones"], 1);
    EXPECT_EQ(json["components_by_kind"]["cache"], 2);
    EXPECT_EQ(json["components_by_kind"]["service"], 1);
    EXPECT_EQ(json["validation"]["errors"], 0);
    EXPECT_EQ(json["components"][3]["key_figures"], "6 instances \u00b7 45 ms");
}

TEST(Cli, InfoTextSummarises) {
    const auto run = cli({"info", example("legacy-sticky")});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_NE(run.out.find("5 components, 5 links, 1 zone\n"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("Cookie hash (sticky)"), std::string::npos) << run.out;
}

TEST(Cli, UnreadableInputExitsWith2AndNamesTheFileAndPlace) {
    test::TempDir dir;
    const auto broken = dir / "broken.headroom.json";
    test::writeFile(broken, "{\n  \"format\": \"headroom-project\",\n  oops\n}\n");
    const auto run = cli({"info", broken.string()});
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_TRUE(run.out.empty());
    EXPECT_NE(run.err.find(broken.string() + ": line 3, column 3: invalid JSON"), std::string::npos)
        << run.err;

    const auto missing = cli({"validate", (dir / "missing.headroom").string()});
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_NE(missing.err.find("no such file"), std::string::npos);
}

TEST(Cli, ValidateExitsWith1OnErrorsAndListsThem) {
    test::TempDir dir;
    const auto file = dir / "bad.headroom.json";
    test::writeFile(file, R"({"format": "headroom-project", "version": 1, "name": "bad",
      "components": [
        {"id": "u", "kind": "client", "name": "U"},
        {"id": "w", "kind": "service", "name": "W", "properties": {"replicas": -1}}],
      "links": [{"id": "l", "from": "u", "to": "ghost", "kind": "sync_call"}]})");
    const auto text = cli({"validate", file.string()});
    EXPECT_EQ(text.exitCode, 1);
    EXPECT_NE(text.out.find("error: component 'w': replicas: -1 is outside the range 0 to "
                            "100000 instances"),
              std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("error: link 'l': to: component 'ghost' does not exist"),
              std::string::npos);

    const auto json = cli({"validate", "--format", "json", file.string()});
    EXPECT_EQ(json.exitCode, 1);
    const auto parsed = nlohmann::json::parse(json.out);
    EXPECT_EQ(parsed["valid"], false);
    EXPECT_EQ(parsed["errors"], 2);
    EXPECT_EQ(parsed["diagnostics"][0]["subject"], "w");
    EXPECT_EQ(parsed["diagnostics"][0]["property"], "replicas");
}

TEST(Cli, ValidateStrictTurnsWarningsIntoFailure) {
    test::TempDir dir;
    const auto file = dir / "warn.headroom.json";
    test::writeFile(file, R"({"format": "headroom-project", "version": 1, "name": "w",
      "components": [{"id": "u", "kind": "client", "name": "U"},
                     {"id": "q", "kind": "queue", "name": "Q"}]})");
    EXPECT_EQ(cli({"validate", file.string()}).exitCode, 0);
    EXPECT_EQ(cli({"validate", "--strict", file.string()}).exitCode, 1);
}

TEST(Cli, ConvertRoundTripsEveryExampleByteForByte) {
    test::TempDir dir;
    for (const std::string name : {"webshop", "video-pipeline", "legacy-sticky"}) {
        const auto db = (dir / (name + ".headroom")).string();
        const auto back = (dir / (name + ".headroom.json")).string();
        const auto there = cli({"convert", example(name), db});
        ASSERT_EQ(there.exitCode, 0) << there.err;
        const auto returned = cli({"convert", "--format", "json", db, back});
        ASSERT_EQ(returned.exitCode, 0) << returned.err;
        EXPECT_EQ(nlohmann::json::parse(returned.out)["output"], back);
        EXPECT_EQ(test::readFile(back), test::readFile(example(name))) << name;
        EXPECT_TRUE(loadProjectFile(db)) << name;
    }
}

TEST(Cli, ConvertRefusesUnknownExtensionAndSameFile) {
    test::TempDir dir;
    const auto bad = cli({"convert", example("webshop"), (dir / "out.yaml").string()});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("unknown output type"), std::string::npos);
    const auto same = cli({"convert", example("webshop"), example("webshop")});
    EXPECT_EQ(same.exitCode, 2);
}

TEST(Cli, LayoutWritesTheGuiLayoutsPositions) {
    test::TempDir dir;
    const auto out = (dir / "laid.headroom.json").string();
    const auto run = cli({"layout", "--format", "json", example("legacy-sticky"), out});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto json = nlohmann::json::parse(run.out);
    // A straight chain users -> lb -> app -> mysql: layers 0..3 at x = 140 + 270 k.
    EXPECT_EQ(json["layers"], 4);
    EXPECT_EQ(json["crossings"], 0);
    EXPECT_EQ(json["positions"]["users"]["x"], 140.0);
    EXPECT_EQ(json["positions"]["lb"]["x"], 410.0);
    EXPECT_EQ(json["positions"]["app"]["x"], 680.0);
    EXPECT_EQ(json["positions"]["mysql"]["x"], 950.0);
    const auto written = loadProject(out);
    ASSERT_TRUE(written);
    EXPECT_EQ(written->findComponent("mysql")->position.x, 950.0);
}

TEST(Cli, RenderDrawsSvgWithTextPngAndPdf) {
    test::TempDir dir;
    const auto svg = (dir / "w.svg").string();
    const auto run = cli({"render", example("webshop"), "--out", svg});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_TRUE(run.err.empty()) << run.err;
    const auto text = test::readFile(svg);
    EXPECT_NE(text.find("<svg"), std::string::npos);
    EXPECT_NE(text.find("Order workers"), std::string::npos) << "names stay text in SVG";
    EXPECT_NE(text.find("<text"), std::string::npos);

    const auto png = (dir / "w.png").string();
    const auto pngRun =
        cli({"render", example("webshop"), "--out", png, "--width", "800", "--format", "json"});
    ASSERT_EQ(pngRun.exitCode, 0) << pngRun.err;
    EXPECT_EQ(nlohmann::json::parse(pngRun.out)["width"], 800);
    const auto bytes = test::readFile(png);
    ASSERT_GT(bytes.size(), 24u);
    EXPECT_EQ(bytes.substr(1, 3), "PNG");
    // PNG header: width is the big-endian int at offset 16.
    const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
    EXPECT_EQ((b[16] << 24) | (b[17] << 16) | (b[18] << 8) | b[19], 800);

    const auto pdf = (dir / "w.pdf").string();
    ASSERT_EQ(cli({"render", example("webshop"), "-o", pdf}).exitCode, 0);
    const auto pdfBytes = test::readFile(pdf);
    EXPECT_EQ(pdfBytes.substr(0, 5), "%PDF-");
    EXPECT_NE(pdfBytes.find("/Font"), std::string::npos) << "text is set in a font, not drawn";

    EXPECT_EQ(cli({"render", example("webshop"), "-o", (dir / "w.bmp").string()}).exitCode, 2);
}

TEST(Cli, ImportsCsvSeriesBindsThemListsAndExports) {
    test::TempDir dir;
    const auto project = (dir / "shop.headroom").string();
    ASSERT_EQ(cli({"convert", test::bareExample(dir, "webshop").string(), project}).exitCode, 0);
    const auto csv = dir / "web.csv";
    test::writeFile(csv, "time,rps,cpu\n"
                         "2024-03-01T12:00:00Z,100,0.5\n"
                         "2024-03-01T12:00:15Z,110,0.55\n"
                         "2024-03-01T12:00:30Z,90,\n");
    const auto dry = cli({"import", project, "--csv", csv.string(), "--dry-run"});
    ASSERT_EQ(dry.exitCode, 0) << dry.err;
    EXPECT_NE(dry.out.find("Dry run: 2 series, 5 samples"), std::string::npos) << dry.out;
    EXPECT_EQ(
        nlohmann::json::parse(cli({"series", project, "--format", "json"}).out)["series"].size(),
        0u)
        << "a dry run changes nothing";
    const auto bound = cli({"import", project, "--csv", csv.string(), "--column", "rps", "--bind",
                            "web.arrival_rate", "--format", "json"});
    ASSERT_EQ(bound.exitCode, 0) << bound.err;
    EXPECT_EQ(nlohmann::json::parse(bound.out)["samples"], 3);
    const auto all = cli({"import", project, "--csv", csv.string()});
    ASSERT_EQ(all.exitCode, 0) << all.err;
    EXPECT_NE(all.err.find("1 empty, NaN or infinite values were left out as gaps"),
              std::string::npos)
        << all.err;

    const auto listed = cli({"series", project, "--format", "json"});
    ASSERT_EQ(listed.exitCode, 0) << listed.err;
    const auto series = nlohmann::json::parse(listed.out)["series"];
    ASSERT_EQ(series.size(), 3u);
    EXPECT_EQ(series[0]["component"], "web");
    EXPECT_EQ(series[0]["role"], "arrival_rate");
    EXPECT_EQ(series[0]["samples"], 3);
    EXPECT_EQ(series[0]["first"], "2024-03-01T12:00:00Z");
    EXPECT_EQ(series[0]["min"], 90.0);
    EXPECT_EQ(series[0]["max"], 110.0);
    EXPECT_EQ(series[0]["mean"], 100.0);
    EXPECT_EQ(series[2]["name"], "cpu");
    EXPECT_EQ(series[2]["mean"], 0.525);

    const auto out = (dir / "rps.csv").string();
    ASSERT_EQ(cli({"series", project, "--export", "rps", "--csv", out}).exitCode, 0);
    EXPECT_EQ(test::readFile(out), "timestamp_ms,rps\n1709294400000,100\n1709294415000,110\n"
                                   "1709294430000,90\n");
    // The model is untouched by the import and still validates.
    EXPECT_EQ(cli({"validate", project}).exitCode, 0);
}

TEST(Cli, ImportRefusesWhatItCannotDoWithAReason) {
    test::TempDir dir;
    const auto project = (dir / "shop.headroom").string();
    ASSERT_EQ(cli({"convert", test::bareExample(dir, "webshop").string(), project}).exitCode, 0);
    const auto csv = dir / "bad.csv";
    test::writeFile(csv, "time,rps\n1700000000,1\n1700000015,x\n");
    const auto bad = cli({"import", project, "--csv", csv.string()});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("bad.csv: line 3, column 2: not a number: 'x'"), std::string::npos)
        << bad.err;
    const auto skipped =
        cli({"import", project, "--csv", csv.string(), "--skip-bad-rows", "--format", "json"});
    ASSERT_EQ(skipped.exitCode, 0) << skipped.err;
    EXPECT_EQ(nlohmann::json::parse(skipped.out)["skipped_rows"], 1);
    EXPECT_EQ(cli({"import", example("webshop"), "--csv", csv.string()}).exitCode, 2)
        << "JSON projects hold no series";
    const auto role = cli({"import", project, "--csv", csv.string(), "--bind", "web.speed"});
    EXPECT_EQ(role.exitCode, 2);
    EXPECT_NE(role.err.find("unknown role 'speed'"), std::string::npos);
    EXPECT_EQ(cli({"import", project, "--csv", csv.string(), "--bind", "nope.arrival_rate",
                   "--skip-bad-rows"})
                  .exitCode,
              2);
}

TEST(Cli, ImportsAPrometheusQueryRangeAnswer) {
    test::TempDir dir;
    const auto project = (dir / "shop.headroom").string();
    ASSERT_EQ(cli({"convert", test::bareExample(dir, "webshop").string(), project}).exitCode, 0);
    const auto answer =
        (test::sourceDir() / "tests/data/prometheus/query_range_matrix.json").string();
    const auto run = cli({"import", project, "--prometheus-json", answer, "--column",
                          "http_requests_per_second", "--bind", "web.arrival_rate"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto listed = nlohmann::json::parse(cli({"series", project, "--format", "json"}).out);
    ASSERT_EQ(listed["series"].size(), 1u);
    EXPECT_EQ(listed["series"][0]["labels"]["instance"], "web-1:8080");
    EXPECT_EQ(listed["series"][0]["samples"], 3);
    EXPECT_EQ(listed["series"][0]["mean"], (120.5 + 118 + 131.25) / 3);
    const auto error =
        cli({"import", project, "--prometheus-json",
             (test::sourceDir() / "tests/data/prometheus/error_bad_data.json").string()});
    EXPECT_EQ(error.exitCode, 2);
    EXPECT_NE(error.err.find("the server answered bad_data"), std::string::npos);
    EXPECT_EQ(cli({"import", project}).exitCode, 2) << "a source is required";
    const auto cloudwatch =
        cli({"import", project, "--cloudwatch-json",
             (test::sourceDir() / "tests/data/cloudwatch/get_metric_data.json").string(),
             "--column", "CPUUtilization", "--bind", "web.cpu_utilization"});
    ASSERT_EQ(cloudwatch.exitCode, 0) << cloudwatch.err;
    EXPECT_NE(cloudwatch.err.find("'RequestCount' is partial"), std::string::npos);
    const auto scrapes =
        cli({"import", project, "--openmetrics",
             (test::sourceDir() / "tests/data/exposition/two_scrapes.prom").string(), "--format",
             "json"});
    ASSERT_EQ(scrapes.exitCode, 0) << scrapes.err;
    EXPECT_EQ(nlohmann::json::parse(scrapes.out)["series"][0]["name"], "rate(http_requests_total)");
    const auto grafana =
        cli({"import", project, "--grafana-csv",
             (test::sourceDir() / "tests/data/grafana/series_as_rows.csv").string()});
    EXPECT_EQ(grafana.exitCode, 0) << grafana.err;
}

TEST(Cli, HostileNamesCannotInjectTerminalControl) {
    test::TempDir dir;
    const auto file = dir / "evil.headroom.json";
    test::writeFile(file, R"({"format": "headroom-project", "version": 1,
      "name": "evil\u001b[2J\nname", "components": []})");
    const auto run = cli({"info", file.string()});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_EQ(run.out.find('\x1b'), std::string::npos);
    EXPECT_NE(run.out.find("evil\\x1b[2J\\nname"), std::string::npos) << run.out;
}

} // namespace
} // namespace headroom
