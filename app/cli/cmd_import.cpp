// headroom-cli import PROJECT --csv FILE [--bind COMPONENT.ROLE]: metric series into a project.

#include "cli/command.h"
#include "cli/output.h"
#include "metrics/cloudwatch_json.h"
#include "metrics/csv_import.h"
#include "metrics/openmetrics_text.h"
#include "metrics/prometheus_json.h"
#include "metrics/roles.h"
#include "metrics/units.h"
#include "net/prometheus_client.h"
#include "storage/project_io.h"

#include <QCoreApplication>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace headroom::cli {
namespace {

struct ImportOptions {
    std::string project;
    std::string csv;
    std::string prometheusJson;
    std::string cloudwatchJson;
    std::string grafanaCsv;
    std::string openMetrics;
    std::string prometheus;
    std::string start;
    std::string end = "now";
    std::string step = "15s";
    std::string user;
    std::string passwordFile;
    std::string tokenFile;
    std::string caFile;
    double timeoutS = 30;
    std::int64_t maxPoints = metrics::kMaxPointsPerRequest;
    double scrapeIntervalS = 15;
    std::string query;
    std::string column;
    std::string bind;
    std::string unit;
    std::string delimiter;
    int timeColumn = 0;
    bool skipBadRows = false;
    bool dryRun = false;
    Format format = Format::Text;
};

/// The first line of a file holding a secret, without its line end.
Result<std::string> readSecret(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line))
        return Error{"cannot read the secret from this file", path, ""};
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.pop_back();
    return line;
}

/// Keeps Qt's chatter off stderr; the importer reports its own errors.
void quietQt(QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type == QtFatalMsg)
        std::cerr << "headroom-cli: " << message.toStdString() << '\n';
}

Result<metrics::ImportReport> fetchFromPrometheus(const ImportOptions& options) {
    net::PrometheusRequest request;
    request.server = options.prometheus;
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    if (options.query.empty())
        return Error{"--prometheus needs --query PROMQL", "", ""};
    if (options.start.empty())
        return Error{"--prometheus needs --start (e.g. now-7d or 2026-11-01T00:00:00Z)", "", ""};
    auto start = metrics::parseTimeSpec(options.start, now);
    auto end = metrics::parseTimeSpec(options.end, now);
    auto step = metrics::parsePrometheusDuration(options.step);
    for (const auto* r : {&start, &end, &step})
        if (!*r)
            return r->error();
    request.query = {options.query, *start, *end, *step};
    request.timeout = std::chrono::milliseconds(std::llround(options.timeoutS * 1000));
    request.maxPointsPerRequest = options.maxPoints;
    request.caFile = options.caFile;
    // Secrets come from files or the environment, never from the command line (ps shows it).
    if (!options.tokenFile.empty() || std::getenv("HEADROOM_PROMETHEUS_TOKEN")) {
        request.auth.kind = net::PrometheusAuth::Kind::Bearer;
        if (!options.tokenFile.empty()) {
            auto token = readSecret(options.tokenFile);
            if (!token)
                return token.error();
            request.auth.secret = *token;
        } else {
            request.auth.secret = std::getenv("HEADROOM_PROMETHEUS_TOKEN");
        }
    } else if (!options.user.empty()) {
        request.auth.kind = net::PrometheusAuth::Kind::Basic;
        request.auth.user = options.user;
        if (!options.passwordFile.empty()) {
            auto password = readSecret(options.passwordFile);
            if (!password)
                return password.error();
            request.auth.secret = *password;
        } else if (const char* env = std::getenv("HEADROOM_PROMETHEUS_PASSWORD")) {
            request.auth.secret = env;
        } else {
            return Error{"--user needs a password: --password-file FILE or the environment "
                         "variable HEADROOM_PROMETHEUS_PASSWORD",
                         "", ""};
        }
    }
    qInstallMessageHandler(quietQt);
    static int argc = 1;
    static char name[] = "headroom-cli";
    static char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    return net::fetchRange(request);
}

} // namespace

void setupImport(CLI::App& command, int& exitCode) {
    auto options = std::make_shared<ImportOptions>();
    command.add_option("PROJECT", options->project, "Project file (.headroom) to add series to")
        ->required();
    auto* sources = command.add_option_group("source", "Where the samples come from (one)");
    auto* csvOption = sources->add_option("--csv", options->csv,
                                          "CSV file: a time column and one or more value columns");
    auto* promOption =
        sources->add_option("--prometheus-json", options->prometheusJson,
                            "Saved answer of Prometheus' /api/v1/query_range or /api/v1/query");
    auto* cloudwatchOption =
        sources->add_option("--cloudwatch-json", options->cloudwatchJson,
                            "Output of aws cloudwatch get-metric-data (MetricDataResults)");
    auto* grafanaOption =
        sources->add_option("--grafana-csv", options->grafanaCsv,
                            "CSV downloaded from a Grafana panel (either layout)");
    auto* openMetricsOption = sources->add_option(
        "--openmetrics", options->openMetrics,
        "Prometheus text or OpenMetrics scrapes (what /metrics serves); counters become rates");
    auto* liveOption = sources->add_option(
        "--prometheus", options->prometheus,
        "Prometheus-compatible server URL (Thanos, Mimir, VictoriaMetrics too); with --query, "
        "--start, --end, --step");
    const std::vector<CLI::Option*> all{csvOption,     promOption,        cloudwatchOption,
                                        grafanaOption, openMetricsOption, liveOption};
    for (auto* a : all)
        for (auto* b : all)
            if (a != b)
                a->excludes(b);
    command
        .add_option("--scrape-interval", options->scrapeIntervalS,
                    "With --openmetrics: seconds between scrapes that carry no timestamps")
        ->check(CLI::PositiveNumber);
    sources->require_option(1);
    command.add_option("--query", options->query,
                       "With --prometheus: the PromQL to run; with --prometheus-json: the PromQL "
                       "it answers (names the series)");
    command.add_option("--start", options->start,
                       "With --prometheus: start of the range (now-7d, RFC 3339, Unix seconds)");
    command.add_option("--end", options->end, "With --prometheus: end of the range")
        ->capture_default_str();
    command.add_option("--step", options->step, "With --prometheus: resolution (15s, 1m, ...)")
        ->capture_default_str();
    command.add_option("--user", options->user,
                       "With --prometheus: basic-auth user; the password comes from "
                       "--password-file or $HEADROOM_PROMETHEUS_PASSWORD");
    command.add_option("--password-file", options->passwordFile,
                       "File whose first line is the basic-auth password");
    command.add_option("--bearer-token-file", options->tokenFile,
                       "File whose first line is a bearer token (or $HEADROOM_PROMETHEUS_TOKEN)");
    command.add_option("--ca-file", options->caFile,
                       "PEM file of a private certificate authority to trust (TLS is verified)");
    command
        .add_option("--timeout", options->timeoutS,
                    "With --prometheus: seconds of silence before a request fails")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    command
        .add_option("--max-points", options->maxPoints,
                    "With --prometheus: most points per series in one request (the server's "
                    "limit)")
        ->capture_default_str()
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000}));
    command.add_option("--column", options->column,
                       "Import only this series (a CSV value column or a metric name)");
    command.add_option("--bind", options->bind,
                       "Bind the series to COMPONENT.ROLE (e.g. web.arrival_rate)");
    command.add_option("--unit", options->unit,
                       "With --bind: the unit the samples are in (e.g. s, %, cores, req/min); "
                       "default: guessed from the series name, else the role's own");
    command.add_option("--delimiter", options->delimiter, "Field separator (default: detected)");
    command
        .add_option("--time-column", options->timeColumn,
                    "1-based column of the timestamps (default: by name, else the first)")
        ->check(CLI::PositiveNumber);
    command.add_flag("--dry-run", options->dryRun,
                     "Read and check the file, report what it holds, change nothing");
    command.add_flag("--skip-bad-rows", options->skipBadRows,
                     "Leave out rows that do not parse (counted) instead of stopping");
    addFormatOption(command, options->format);
    command.callback([options, &exitCode] {
        exitCode = kBadInput;
        if (formatFromPath(options->project) != ProjectFormat::Sqlite) {
            printError({"metric series live in .headroom project files; convert this one first "
                        "(headroom-cli convert IN OUT.headroom)",
                        options->project, ""});
            return;
        }
        std::string component, role;
        if (!options->bind.empty()) {
            const auto dot = options->bind.rfind('.');
            if (dot == std::string::npos) {
                printError({"--bind wants COMPONENT.ROLE, e.g. web.arrival_rate", "", ""});
                return;
            }
            component = options->bind.substr(0, dot);
            role = options->bind.substr(dot + 1);
            if (!metrics::findRole(role)) {
                std::string known;
                for (const auto& r : metrics::allRoles())
                    known += (known.empty() ? "" : ", ") + r.key;
                printError({"unknown role '" + role + "' (known: " + known + ")", "", ""});
                return;
            }
        }
        auto project = loadOrReport(options->project);
        if (!project)
            return;
        if (!component.empty() && !project->findComponent(component)) {
            printError({"no component '" + component + "' in the project", options->project, ""});
            return;
        }
        const std::string sourceFile = !options->csv.empty()              ? options->csv
                                       : !options->prometheusJson.empty() ? options->prometheusJson
                                       : !options->grafanaCsv.empty()     ? options->grafanaCsv
                                       : !options->openMetrics.empty()    ? options->openMetrics
                                       : !options->prometheus.empty()
                                           ? metrics::redactServerUrl(options->prometheus)
                                           : options->cloudwatchJson;
        auto report = [&]() -> Result<metrics::ImportReport> {
            if (!options->prometheus.empty())
                return fetchFromPrometheus(*options);
            if (!options->cloudwatchJson.empty())
                return metrics::importCloudWatchJsonFile(options->cloudwatchJson);
            if (!options->openMetrics.empty()) {
                metrics::ExpositionOptions exposition;
                exposition.scrapeIntervalMs =
                    static_cast<std::int64_t>(std::llround(options->scrapeIntervalS * 1000));
                return metrics::importExpositionFile(options->openMetrics, exposition);
            }
            if (!options->prometheusJson.empty()) {
                metrics::PrometheusJsonOptions prometheus;
                prometheus.query = options->query;
                return metrics::importPrometheusJsonFile(options->prometheusJson, prometheus);
            }
            metrics::CsvOptions csv;
            csv.skipBadRows = options->skipBadRows;
            if (!options->delimiter.empty())
                csv.delimiter = options->delimiter == "\\t" ? '\t' : options->delimiter.front();
            if (options->timeColumn > 0)
                csv.timeColumn = options->timeColumn - 1;
            if (!options->grafanaCsv.empty())
                return metrics::importGrafanaCsvFile(options->grafanaCsv, csv);
            return metrics::importCsvFile(options->csv, csv);
        }();
        if (!report) {
            printError(report.error());
            return;
        }
        std::vector<std::shared_ptr<const metrics::Series>> chosen;
        for (const auto& s : report->series)
            if (options->column.empty() || s->info().name == options->column)
                chosen.push_back(s);
        if (chosen.empty()) {
            printError({"no series named '" + options->column + "'", sourceFile, ""});
            return;
        }
        if (!component.empty() && chosen.size() > 1) {
            printError({"the source has " + std::to_string(chosen.size()) +
                            " series; pick the one to bind with --column NAME (or narrow the query "
                            "to one)",
                        sourceFile, ""});
            return;
        }
        if (!component.empty()) {
            // The unit the samples are in: converted to the role's unit whenever read.
            auto& only = chosen.front();
            auto info = only->info();
            info.unit = options->unit.empty() ? metrics::guessUnit(info.name, role) : options->unit;
            only = metrics::Series::withInfo(*only, info);
            ProjectSeries probe{only, component, role};
            if (auto factor = roleUnitFactor(*project, probe); !factor) {
                printError({factor.error().message, "", "--unit"});
                return;
            }
        } else if (!options->unit.empty()) {
            printError({"--unit needs --bind (the unit is converted to the role's)", "", ""});
            return;
        }
        std::size_t samples = 0, bytes = 0;
        for (const auto& s : chosen) {
            project->series.push_back({s, component, role});
            samples += s->size();
            bytes += s->storedBytes();
        }
        if (options->dryRun) {
            std::cout << "Dry run: " << chosen.size() << " series, " << samples << " samples; "
                      << printable(options->project) << " left unchanged\n";
            exitCode = kSuccess;
            return;
        }
        if (auto saved = saveProject(*project, options->project); !saved) {
            printError(saved.error());
            return;
        }
        for (const auto& warning : report->warnings)
            std::cerr << "headroom-cli: " << printable(sourceFile)
                      << ": warning: " << printable(warning) << '\n';
        const double perSample = samples ? static_cast<double>(bytes) / samples : 0;
        if (options->format == Format::Json) {
            nlohmann::ordered_json out;
            out["project"] = options->project;
            out["series"] = nlohmann::ordered_json::array();
            for (const auto& s : chosen)
                out["series"].push_back({{"name", s->info().name}, {"samples", s->size()}});
            out["samples"] = samples;
            out["stored_bytes"] = bytes;
            out["rows"] = report->rows;
            out["skipped_rows"] = report->skippedRows;
            out["warnings"] = report->warnings;
            printJson(out);
        } else {
            std::cout << "Imported " << chosen.size() << " series (" << samples << " samples, "
                      << formatNumber(std::round(perSample * 100) / 100) << " bytes a sample) into "
                      << printable(options->project);
            if (!component.empty())
                std::cout << ", bound to " << printable(component) << "." << role << " (in "
                          << printable(chosen.front()->info().unit) << ")";
            std::cout << '\n';
        }
        exitCode = kSuccess;
    });
}

} // namespace headroom::cli
