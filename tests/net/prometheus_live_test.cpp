// The live importer against a real Prometheus (Debian's 2.42, started by LivePrometheus): what
// Headroom imports must be exactly what the server answers to the same query asked directly.

#include "metrics/csv_import.h"
#include "net/live_prometheus.h"
#include "net/prometheus_client.h"
#include "support/temp_dir.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QProcess>
#include <QUrl>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <sstream>
#include <thread>

namespace headroom::net {
namespace {

test::LivePrometheus* server = nullptr;

class ServerEnvironment : public ::testing::Environment {
  public:
    void SetUp() override {
        server = &live_;
        // Enough 1 s scrapes for every range below: they end 8 s ago and span at most 9 s.
        const auto problem = live_.start(24);
        ASSERT_TRUE(problem.empty()) << problem;
    }
    void TearDown() override { live_.stop(); }

  private:
    test::LivePrometheus live_;
};

using Samples = std::vector<std::pair<std::int64_t, double>>;

/// The direct answer, parsed with nlohmann (not the importer's simdjson code): series keyed by
/// their labels as "k=v,k=v".
std::map<std::string, Samples> direct(const std::string& query, std::int64_t startMs,
                                      std::int64_t endMs, std::int64_t stepMs,
                                      std::string* error = nullptr) {
    const auto answer =
        server->get(QStringLiteral("/api/v1/query_range?query=%1&start=%2&end=%3&step=%4")
                        .arg(QString(QUrl::toPercentEncoding(QString::fromStdString(query))),
                             QString::fromStdString(metrics::formatPrometheusTime(startMs)),
                             QString::fromStdString(metrics::formatPrometheusTime(endMs)),
                             QString::fromStdString(metrics::formatPrometheusTime(stepMs))));
    std::map<std::string, Samples> out;
    if (answer.value("status", "") != "success") {
        if (error)
            *error = answer.value("error", "no answer");
        return out;
    }
    for (const auto& result : answer["data"]["result"]) {
        std::string key;
        for (const auto& [k, v] : result["metric"].items())
            if (k != "__name__")
                key += (key.empty() ? "" : ",") + k + "=" + v.get<std::string>();
        for (const auto& pair : result["values"])
            out[key].emplace_back(std::llround(pair[0].get<double>() * 1000),
                                  std::stod(pair[1].get<std::string>()));
    }
    return out;
}

std::map<std::string, Samples> imported(const metrics::ImportReport& report) {
    std::map<std::string, Samples> out;
    for (const auto& series : report.series) {
        std::string key;
        for (const auto& [k, v] : series->info().labels)
            key += (key.empty() ? "" : ",") + k + "=" + v;
        const auto samples = series->samples();
        for (const auto& s : *samples)
            out[key].emplace_back(s.timestampMs, s.value);
    }
    return out;
}

/// A range that ends several seconds ago, on whole seconds, so every scrape in it has landed
/// before either query asks (a loaded CI machine can ingest late).
std::pair<std::int64_t, std::int64_t> recent(std::int64_t lengthMs) {
    const auto now = QDateTime::currentMSecsSinceEpoch();
    const std::int64_t end = (now / 1000 - 8) * 1000;
    return {end - lengthMs, end};
}

PrometheusRequest request(std::string query, std::int64_t start, std::int64_t end,
                          std::int64_t step) {
    PrometheusRequest r;
    r.server = server->url().toStdString();
    r.query = {std::move(query), start, end, step};
    r.auth = {PrometheusAuth::Kind::Basic, test::LivePrometheus::kUser,
              test::LivePrometheus::kPassword};
    r.timeout = std::chrono::seconds(30);
    return r;
}

TEST(LivePrometheus, ImportsExactlyWhatTheServerAnswersEvenSplitIntoManyRequests) {
    const auto [start, end] = recent(9'000);
    const std::string query = "node_cpu_seconds_total{mode=\"idle\"}";
    auto r = request(query, start, end, 1'000);
    r.maxPointsPerRequest = 3; // ten points: four requests of 3, 3, 3 and 1
    int polls = 0;
    std::optional<Result<metrics::ImportReport>> report;
    // On a worker thread, as the GUI runs it.
    std::thread worker([&] {
        report.emplace(fetchRange(r, [&](double) {
            ++polls;
            return true;
        }));
    });
    worker.join();
    ASSERT_TRUE(*report) << report->error().describe();
    const auto expected = direct(query, start, end, 1'000);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(imported(**report), expected);
    EXPECT_GE(polls, 4);
    const auto& first = *(*report)->series.front();
    EXPECT_EQ(first.info().name, "node_cpu_seconds_total");
    EXPECT_EQ(first.info().source.kind, "prometheus");
    EXPECT_EQ(first.info().source.location, server->url().toStdString());
    EXPECT_EQ(first.info().source.query, query);
    EXPECT_EQ(first.info().source.stepMs, 1'000);
    EXPECT_EQ(first.size(), 10u);
}

TEST(LivePrometheus, RangesBeyondTheServersPointLimitAreSplit) {
    // 12,000 s at 1 s is 12,001 points: Prometheus refuses it in one request.
    const auto [start, end] = recent(12'000'000);
    const std::string query = "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}";
    std::string refusal;
    EXPECT_TRUE(direct(query, start, end, 1'000, &refusal).empty());
    EXPECT_NE(refusal.find("exceeded maximum resolution of 11,000 points"), std::string::npos)
        << refusal;
    const auto report = fetchRange(request(query, start, end, 1'000));
    ASSERT_TRUE(report) << report.error().describe();
    ASSERT_EQ(report->series.size(), 1u);
    // The second request covers the last 1,000 s, where all the data is.
    EXPECT_EQ(imported(*report), direct(query, start + 11'000'000, end, 1'000));
}

TEST(LivePrometheus, AWrongQueryShowsTheServersOwnMessage) {
    const auto [start, end] = recent(5'000);
    const auto report = fetchRange(request("rate(node_cpu_seconds_total[5", start, end, 1'000));
    ASSERT_FALSE(report);
    EXPECT_NE(report.error().message.find("bad_data"), std::string::npos) << report.error().message;
    EXPECT_NE(report.error().message.find("parse error"), std::string::npos)
        << report.error().message;
    EXPECT_EQ(report.error().file, server->url().toStdString());

    const auto nothing = fetchRange(request("no_such_metric_anywhere", start, end, 1'000));
    ASSERT_FALSE(nothing);
    EXPECT_NE(nothing.error().message.find("returned no series"), std::string::npos);
}

TEST(LivePrometheus, CredentialsAreRequiredAndChecked) {
    const auto [start, end] = recent(5'000);
    auto anonymous = request("up", start, end, 1'000);
    anonymous.auth = {};
    const auto refused = fetchRange(anonymous);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("HTTP 401"), std::string::npos)
        << refused.error().message;
    auto wrong = request("up", start, end, 1'000);
    wrong.auth.secret = "wrong horse";
    const auto wrongAnswer = fetchRange(wrong);
    ASSERT_FALSE(wrongAnswer);
    EXPECT_NE(wrongAnswer.error().message.find("HTTP 401"), std::string::npos);
    // Credentials in the URL work too, and do not show in the series' source.
    auto inUrl = request("up", start, end, 1'000);
    inUrl.auth = {};
    inUrl.server =
        "http://headroom:correct%20horse%20battery@" + server->url().mid(7).toStdString();
    const auto accepted = fetchRange(inUrl);
    ASSERT_TRUE(accepted) << accepted.error().describe();
    EXPECT_EQ(accepted->series.front()->info().source.location, server->url().toStdString());
}

TEST(LivePrometheus, TheCliImportsTheSameSamplesAndStoresNoPassword) {
    test::TempDir dir;
    const auto project = (dir / "shop.headroom").string();
    const auto csv = (dir / "idle.csv").string();
    auto run = [&](const QStringList& arguments) {
        QProcess cli;
        auto environment = QProcessEnvironment::systemEnvironment();
        environment.insert("HEADROOM_PROMETHEUS_PASSWORD", test::LivePrometheus::kPassword);
        cli.setProcessEnvironment(environment);
        cli.start(HEADROOM_CLI, arguments);
        cli.waitForFinished(60'000);
        return std::make_pair(cli.exitCode(), QString(cli.readAllStandardError()));
    };
    const auto converted = run({"convert", HEADROOM_SOURCE_DIR "/models/webshop.headroom.json",
                                QString::fromStdString(project)});
    ASSERT_EQ(converted.first, 0) << converted.second.toStdString();
    const auto [start, end] = recent(8'000);
    const std::string query = "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}";
    const auto imported =
        run({"import", QString::fromStdString(project), "--prometheus", server->url(), "--query",
             QString::fromStdString(query), "--start",
             QString::fromStdString(metrics::formatIsoTimestamp(start)), "--end",
             QString::number(end / 1000), "--step", "1s", "--user", test::LivePrometheus::kUser,
             "--bind", "web.cpu_utilization", "--max-points", "4"});
    ASSERT_EQ(imported.first, 0) << imported.second.toStdString();
    const auto exported = run({"series", QString::fromStdString(project), "--export",
                               "node_cpu_seconds_total", "--csv", QString::fromStdString(csv)});
    ASSERT_EQ(exported.first, 0) << exported.second.toStdString();

    std::ifstream in(csv);
    std::string line;
    std::getline(in, line); // header
    Samples fromCli;
    while (std::getline(in, line)) {
        const auto comma = line.find(',');
        fromCli.emplace_back(std::stoll(line.substr(0, comma)), std::stod(line.substr(comma + 1)));
    }
    const auto expected = direct(query, start, end, 1'000);
    ASSERT_EQ(expected.size(), 1u);
    const auto& want = expected.begin()->second;
    ASSERT_EQ(fromCli.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(fromCli[i].first, want[i].first);
        EXPECT_NEAR(fromCli[i].second, want[i].second, 1e-9 * std::abs(want[i].second));
    }
    std::ifstream file(project, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(file)), {});
    EXPECT_EQ(bytes.find("correct horse"), std::string::npos) << "the password reached the file";
    EXPECT_NE(bytes.find("node_cpu_seconds_total"), std::string::npos);
}

} // namespace
} // namespace headroom::net

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::AddGlobalTestEnvironment(new headroom::net::ServerEnvironment);
    return RUN_ALL_TESTS();
}
