// headroom-cli analyze PROJECT [--load-multiplier K]: where the system saturates, in which order,
// how much headroom each component has, and the design findings. Exit 1 on an error finding.

#include "analysis/analysis.h"
#include "analysis/design_checks.h"
#include "cli/command.h"
#include "cli/output.h"

#include <cmath>
#include <cstdio>
#include <iostream>

namespace headroom::cli {
namespace {

using namespace analysis;

struct AnalyzeOptions {
    std::string file;
    double multiplier = 1;
    double percentile = 95;
    double target = 80;
    std::optional<double> objectiveMs;
    bool exactSearches = false;
    Format format = Format::Text;
};

std::string ms(const std::optional<double>& seconds) {
    if (!seconds)
        return "saturated";
    return responseText(*seconds);
}
std::string pct(double share) {
    return std::isfinite(share) ? fmt("%.0f%%", share * 100) : "inf";
}
std::string times(const std::optional<double>& k) {
    return k ? fmt("x%.2f", *k) : "-";
}
std::string headroomText(const std::optional<double>& h) {
    if (!h)
        return "-";
    if (*h > 9.99)
        return ">+999%";
    return fmt(*h >= 0 ? "+%.0f%%" : "%.0f%%", *h * 100);
}
nlohmann::ordered_json orNull(const std::optional<double>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
}

nlohmann::ordered_json toJson(const Project& project, const Analysis& a,
                              const std::vector<Finding>& findings) {
    nlohmann::ordered_json out;
    out["project"] = project.name;
    out["load_multiplier"] = a.options.loadMultiplier;
    out["percentile"] = a.options.percentile * 100;
    out["utilisation_target"] = a.options.utilisationTarget;
    out["entry_rate_rps"] = a.entryRate;
    auto& list = out["components"] = nlohmann::ordered_json::array();
    const double k = a.options.loadMultiplier;
    for (std::size_t i = 0; i < a.components.size(); ++i) {
        const auto& c = a.components[i];
        nlohmann::ordered_json item;
        item["id"] = c.id;
        item["kind"] = std::string(toKey(project.components[i].kind));
        item["rate_rps"] = c.traffic.total();
        item["reads_rps"] = c.traffic.reads;
        item["writes_rps"] = c.traffic.writes;
        item["visits_per_entry_request"] = c.visits;
        item["instances"] = c.station.instances;
        const auto* b = c.station.binding();
        item["utilisation"] = b && std::isfinite(b->utilisation)
                                  ? nlohmann::ordered_json(b->utilisation)
                                  : nlohmann::ordered_json();
        item["binding_resource"] = b ? b->name : "";
        auto& resources = item["resources"] = nlohmann::ordered_json::array();
        for (const auto& r : c.station.resources)
            resources.push_back({{"name", r.name},
                                 {"utilisation", std::isfinite(r.utilisation)
                                                     ? nlohmann::ordered_json(r.utilisation)
                                                     : nlohmann::ordered_json()}});
        item["mean_response_s"] = orNull(c.station.meanResponse);
        item["percentile_response_s"] = orNull(c.station.percentileResponse);
        item["headroom_to_target"] = orNull(c.headroomToTarget(k));
        item["headroom_to_saturation"] = orNull(c.headroomToSaturation(k));
        item["saturation_multiplier"] = orNull(c.saturationMultiplier);
        item["saturating_resource"] = c.saturatingResource;
        item["pushed_by"] = c.pushedBy ? nlohmann::ordered_json(a.components[*c.pushedBy].id)
                                       : nlohmann::ordered_json();
        item["replicas_needed"] =
            c.replicasNeeded ? nlohmann::ordered_json(*c.replicasNeeded) : nlohmann::ordered_json();
        item["model"] = c.station.model;
        item["notes"] = c.station.notes;
        list.push_back(std::move(item));
    }
    out["bottleneck"] = a.bottleneck ? nlohmann::ordered_json(a.components[*a.bottleneck].id)
                                     : nlohmann::ordered_json();
    auto& order = out["saturation_order"] = nlohmann::ordered_json::array();
    for (const auto v : a.saturationOrder)
        order.push_back(
            {{"id", a.components[v].id}, {"multiplier", *a.components[v].saturationMultiplier}});
    auto& entries = out["end_to_end"] = nlohmann::ordered_json::array();
    for (const auto& e : a.entries)
        entries.push_back({{"client", e.client},
                           {"mean_response_s", orNull(e.meanResponse)},
                           {"critical_path", e.criticalPath}});
    auto& calibration = out["calibration"] = nlohmann::ordered_json::array();
    for (const auto& c : a.calibration)
        for (const auto& f : c.figures)
            calibration.push_back({{"component", c.component},
                                   {"figure", f.key},
                                   {"unit", f.unit},
                                   {"measured", orNull(f.measured)},
                                   {"entered", orNull(f.entered)},
                                   {"used", f.used},
                                   {"how", f.how}});
    out["cycles"] = a.cycles;
    out["notes"] = a.notes;
    auto& found = out["findings"] = nlohmann::ordered_json::array();
    for (const auto& f : findings)
        found.push_back({{"rule", f.rule},
                         {"severity", std::string(toKey(f.severity))},
                         {"components", f.components},
                         {"message", f.message},
                         {"why", f.why},
                         {"fix", f.fix}});
    return out;
}

void printTable(const Project& project, const Analysis& a, bool markdown) {
    const double k = a.options.loadMultiplier;
    const std::string p = fmt("p%g", a.options.percentile * 100);
    const std::vector<std::string> head{"component",
                                        "kind",
                                        "rate/s",
                                        "util",
                                        "binding",
                                        "mean",
                                        p,
                                        "to " + pct(a.options.utilisationTarget),
                                        "to saturation",
                                        "saturates at",
                                        "replicas needed"};
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < a.components.size(); ++i) {
        const auto& c = a.components[i];
        const auto* b = c.station.binding();
        rows.push_back(
            {printable(c.id), std::string(toKey(project.components[i].kind)),
             fmt("%.1f", c.traffic.total()), b ? pct(b->utilisation) : "-", b ? b->name : "-",
             c.station.resources.empty() && !c.station.meanResponse ? "-"
                                                                    : ms(c.station.meanResponse),
             c.station.percentileResponse ? ms(c.station.percentileResponse)
             : c.station.meanResponse     ? "-"
                                          : "saturated",
             headroomText(c.headroomToTarget(k)), headroomText(c.headroomToSaturation(k)),
             times(c.saturationMultiplier),
             c.replicasNeeded ? std::to_string(*c.replicasNeeded) : "-"});
    }
    if (markdown) {
        std::string line = "|", rule = "|";
        for (const auto& h : head) {
            line += " " + h + " |";
            rule += " --- |";
        }
        std::cout << line << '\n' << rule << '\n';
        for (const auto& r : rows) {
            std::string out = "|";
            for (const auto& cell : r)
                out += " " + cell + " |";
            std::cout << out << '\n';
        }
        return;
    }
    std::vector<std::size_t> width(head.size());
    for (std::size_t c = 0; c < head.size(); ++c) {
        width[c] = head[c].size();
        for (const auto& r : rows)
            width[c] = std::max(width[c], r[c].size());
    }
    const auto print = [&](const std::vector<std::string>& r) {
        std::string out;
        for (std::size_t c = 0; c < r.size(); ++c) {
            const bool left = c < 2 || c == 4;
            const std::string pad(width[c] - r[c].size(), ' ');
            out += (left ? r[c] + pad : pad + r[c]) + (c + 1 < r.size() ? "  " : "");
        }
        while (!out.empty() && out.back() == ' ')
            out.pop_back();
        std::cout << out << '\n';
    };
    print(head);
    for (const auto& r : rows)
        print(r);
}

void printText(const std::string& file, const Project& project, const Analysis& a,
               const std::vector<Finding>& findings, bool markdown) {
    const double k = a.options.loadMultiplier;
    const std::string h = markdown ? "## " : "";
    std::cout << (markdown ? "# " : "") << printable(project.name) << " at x" << fmt("%g", k)
              << " (" << fmt("%.1f", a.entryRate) << " requests/s entering)\n\n";
    printTable(project, a, markdown);
    std::cout << '\n';
    if (a.bottleneck) {
        const auto& b = a.components[*a.bottleneck];
        std::cout << h << "Bottleneck: " << printable(b.id) << " (" << b.saturatingResource
                  << ") saturates at " << times(b.saturationMultiplier) << " ("
                  << fmt("%.1f", a.entryRate / k * *b.saturationMultiplier)
                  << " requests/s entering)\n";
        for (const auto v : a.saturationOrder)
            if (a.components[v].pushedBy == a.bottleneck)
                std::cout << "  " << printable(a.components[v].id) << "'s pool runs out at "
                          << times(a.components[v].saturationMultiplier) << ", held by "
                          << printable(b.id) << "'s response as it saturates\n";
    }
    if (!a.saturationOrder.empty()) {
        std::cout << (markdown ? "\n" + h : "") << "Saturation order:";
        for (const auto v : a.saturationOrder)
            std::cout << ' ' << printable(a.components[v].id) << ' '
                      << times(a.components[v].saturationMultiplier)
                      << (v == a.saturationOrder.back() ? "" : ",");
        std::cout << '\n';
    }
    for (const auto& e : a.entries) {
        std::cout << (markdown ? "\n" + h : "") << "End to end from " << printable(e.client) << ": "
                  << (e.meanResponse ? ms(e.meanResponse) + " mean" : "saturated")
                  << ", critical path ";
        for (std::size_t i = 0; i < e.criticalPath.size(); ++i)
            std::cout << (i ? " -> " : "") << printable(e.criticalPath[i]);
        std::cout << '\n';
    }
    for (const auto& cycle : a.cycles) {
        std::cout << "Cycle (the link closing it carries no traffic):";
        for (const auto& id : cycle)
            std::cout << ' ' << printable(id);
        std::cout << '\n';
    }
    for (const auto& note : a.notes)
        std::cout << "Note: " << printable(note) << '\n';
    if (!a.calibration.empty()) {
        std::cout << '\n' << h << "Calibration from metrics:\n";
        for (const auto& c : a.calibration)
            for (const auto& f : c.figures) {
                std::cout << (markdown ? "- " : "  ") << printable(c.component) << ": " << f.label
                          << ' ';
                std::cout << (f.measured ? fmt("%.4g", *f.measured) + " " + f.unit + " measured"
                                         : std::string("not measured"));
                if (f.entered)
                    std::cout << " (" << (f.key == "arrival_rate" ? "drawing" : "entered") << ' '
                              << fmt("%.4g", *f.entered) << ' ' << f.unit << ')';
                std::cout << (f.used ? ", USED" : "") << ": " << printable(f.how) << '\n';
            }
    }
    std::cout << '\n' << h << "Findings: " << findings.size() << '\n';
    for (const auto& f : findings) {
        std::cout << (markdown ? "- **" : "") << toKey(f.severity) << " [" << f.rule << "]"
                  << (markdown ? "** " : " ") << printable(f.message) << '\n';
        std::cout << (markdown ? "  " : "    ") << "why: " << printable(f.why) << '\n';
        std::cout << (markdown ? "  " : "    ") << "fix: " << printable(f.fix) << '\n';
    }
    (void)file;
}

void run(const std::string& file, const Project& project, const AnalysisOptions& options,
         Format format, int& exitCode) {
    // The bound metrics are read once, for both analyses.
    const auto calibration = calibrateFromMetrics(project);
    const auto result = analyze(project, options, &calibration);
    // Findings are about the design at the drawn load, whatever the multiplier shown.
    auto drawn = options;
    drawn.loadMultiplier = 1;
    const auto findings = checkDesign(
        project, options.loadMultiplier == 1 ? result : analyze(project, drawn, &calibration));
    if (format == Format::Json)
        printJson(toJson(project, result, findings));
    else
        printText(file, project, result, findings, format == Format::Markdown);
    const bool errors = std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
        return f.severity == FindingSeverity::Error;
    });
    exitCode = errors ? kValidationErrors : kSuccess;
}

} // namespace

void setupAnalyze(CLI::App& command, int& exitCode) {
    auto o = std::make_shared<AnalyzeOptions>();
    command.add_option("PROJECT", o->file, "Project (.headroom or .headroom.json)")->required();
    command.add_option("--load-multiplier,-k", o->multiplier, "Times every client's arrival rate")
        ->check(CLI::Range(1e-6, 1e6))
        ->capture_default_str();
    command.add_option("--percentile", o->percentile, "Response-time percentile to report")
        ->check(CLI::Range(1.0, 99.99))
        ->capture_default_str();
    command
        .add_option("--utilisation-target", o->target,
                    "Utilisation (%) headroom and replicas needed are measured to")
        ->check(CLI::Range(1.0, 100.0))
        ->capture_default_str();
    command
        .add_option("--latency-objective-ms", o->objectiveMs,
                    "A percentile response objective replicas needed must also meet")
        ->check(CLI::PositiveNumber);
    command.add_flag("--exact-searches", o->exactSearches,
                     "Search the saturation and target loads with every callee evaluated at "
                     "every step (the reference the default grid searches stay within 2e-4 "
                     "of; slower on large topologies)");
    addFormatOption(command, o->format, true);
    command.callback([o, &exitCode] {
        auto project = loadOrReport(o->file, exitCode);
        if (!project)
            return;
        AnalysisOptions options;
        options.loadMultiplier = o->multiplier;
        options.percentile = o->percentile / 100;
        options.utilisationTarget = o->target / 100;
        if (o->objectiveMs)
            options.latencyObjective = *o->objectiveMs / 1000;
        options.exactSearches = o->exactSearches;
        try {
            run(o->file, *project, options, o->format, exitCode);
        } catch (const std::exception& e) { // a special function refusing an extreme input
            printError({std::string("cannot analyse this project: ") + e.what(), o->file, ""});
            exitCode = kBadInput;
        }
    });
}

} // namespace headroom::cli
