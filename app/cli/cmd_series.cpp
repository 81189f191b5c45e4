// headroom-cli series PROJECT [--export NAME --csv FILE]: the metric series a project holds.

#include "cli/command.h"
#include "cli/output.h"
#include "metrics/csv_import.h"
#include "storage/atomic_file.h"

#include <cstdio>
#include <ctime>
#include <iostream>

namespace headroom::cli {
namespace {

struct SeriesOptions {
    std::string project;
    std::string exportName;
    std::string csv;
    Format format = Format::Text;
};

/// Six significant digits: what a person reads in a listing (JSON keeps every digit).
std::string roughly(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    return buffer;
}

std::string labelsText(const std::map<std::string, std::string>& labels) {
    std::string out;
    for (const auto& [k, v] : labels)
        out += (out.empty() ? "" : ",") + k + "=\"" + v + "\"";
    return out.empty() ? "" : "{" + out + "}";
}

} // namespace

void setupSeries(CLI::App& command, int& exitCode) {
    auto options = std::make_shared<SeriesOptions>();
    command.add_option("PROJECT", options->project, "Project file (.headroom)")->required();
    auto* exportOption =
        command.add_option("--export", options->exportName, "Name of a series to write out");
    command.add_option("--csv", options->csv, "With --export: the CSV file to write")
        ->needs(exportOption);
    addFormatOption(command, options->format);
    command.callback([options, &exitCode] {
        exitCode = kBadInput;
        auto project = loadOrReport(options->project);
        if (!project)
            return;
        if (!options->exportName.empty()) {
            const metrics::Series* found = nullptr;
            for (const auto& entry : project->series)
                if (entry.data && entry.data->info().name == options->exportName)
                    found = entry.data.get();
            if (!found) {
                printError({"no series named '" + options->exportName + "'", options->project, ""});
                return;
            }
            if (options->csv.empty()) {
                printError({"--export needs --csv FILE", "", ""});
                return;
            }
            auto samples = found->samples();
            if (!samples) {
                printError({samples.error().message, options->project, ""});
                return;
            }
            std::string text = "timestamp_ms," + found->info().name + "\n";
            for (const auto& s : *samples)
                text += std::to_string(s.timestampMs) + "," + formatNumber(s.value) + "\n";
            if (auto written = writeTextAtomically(options->csv, text); !written) {
                printError(written.error());
                return;
            }
            std::cout << "Wrote " << printable(options->csv) << " (" << samples->size()
                      << " samples)\n";
            exitCode = kSuccess;
            return;
        }
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto& entry : project->series) {
            if (!entry.data)
                continue;
            const auto stats = entry.data->stats();
            if (!stats) {
                printError({stats.error().message, options->project, ""});
                return;
            }
            const auto& info = entry.data->info();
            list.push_back({{"name", info.name},
                            {"labels", info.labels},
                            {"unit", info.unit},
                            {"component", entry.component},
                            {"role", entry.role},
                            {"samples", entry.data->size()},
                            {"first", metrics::formatIsoTimestamp(stats->firstMs)},
                            {"last", metrics::formatIsoTimestamp(stats->lastMs)},
                            {"min", stats->min},
                            {"max", stats->max},
                            {"mean", stats->mean},
                            {"stored_bytes", entry.data->storedBytes()},
                            {"source", info.source.location}});
        }
        if (options->format == Format::Json) {
            printJson({{"project", options->project}, {"series", list}});
        } else if (list.empty()) {
            std::cout << printable(options->project) << ": no metric series\n";
        } else {
            for (const auto& s : list) {
                std::cout << printable(s["name"].get<std::string>())
                          << printable(
                                 labelsText(s["labels"].get<std::map<std::string, std::string>>()));
                if (!s["component"].get<std::string>().empty())
                    std::cout << "  -> " << printable(s["component"].get<std::string>()) << "."
                              << s["role"].get<std::string>();
                const auto unit = s["unit"].get<std::string>();
                const std::string in = unit.empty() ? "" : " " + printable(unit);
                std::cout << "\n  " << s["samples"].get<std::size_t>() << " samples, "
                          << s["first"].get<std::string>() << " .. " << s["last"].get<std::string>()
                          << ", min " << roughly(s["min"].get<double>()) << in << ", max "
                          << roughly(s["max"].get<double>()) << in << ", mean "
                          << roughly(s["mean"].get<double>()) << in << '\n';
            }
        }
        exitCode = kSuccess;
    });
}

} // namespace headroom::cli
