// headroom-cli info FILE: what a project holds, at a glance.

#include "cli/command.h"
#include "cli/output.h"
#include "model/validation.h"
#include "storage/project_io.h"

#include <iomanip>
#include <iostream>
#include <map>

namespace headroom::cli {
namespace {

struct InfoOptions {
    std::string file;
    Format format = Format::Text;
};

nlohmann::ordered_json infoJson(const std::string& file, const Project& project,
                                const DiagnosticCounts& counts) {
    nlohmann::ordered_json out;
    out["file"] = file;
    out["name"] = project.name;
    out["description"] = project.description;
    out["counts"] = {{"components", project.components.size()},
                     {"links", project.links.size()},
                     {"zones", project.zones.size()}};
    std::map<std::string, int> byKind;
    for (const auto& c : project.components)
        ++byKind[std::string(toKey(c.kind))];
    out["components_by_kind"] = byKind;
    auto& components = out["components"] = nlohmann::ordered_json::array();
    for (const auto& c : project.components)
        components.push_back({{"id", c.id},
                              {"kind", toKey(c.kind)},
                              {"name", c.name},
                              {"zone", c.zone},
                              {"key_figures", keyFigures(c)}});
    auto& links = out["links"] = nlohmann::ordered_json::array();
    for (const auto& l : project.links)
        links.push_back({{"id", l.id},
                         {"from", l.from},
                         {"to", l.to},
                         {"kind", toKey(l.kind)},
                         {"calls_per_request", l.callsPerRequest},
                         {"only_on_miss", l.onlyOnMiss}});
    out["validation"] = {{"errors", counts.errors}, {"warnings", counts.warnings}};
    return out;
}

void printText(const std::string& file, const Project& project, const DiagnosticCounts& counts) {
    auto& out = std::cout;
    out << printable(project.name) << "  (" << printable(file) << ")\n";
    if (!project.description.empty())
        out << printable(project.description) << "\n";
    out << plural(project.components.size(), "component") << ", "
        << plural(project.links.size(), "link") << ", " << plural(project.zones.size(), "zone")
        << "\n\n";

    std::size_t idWidth = 2;
    for (const auto& c : project.components)
        idWidth = std::max(idWidth, printable(c.id).size());
    out << "Components\n";
    for (const auto& c : project.components) {
        out << "  " << std::left << std::setw(static_cast<int>(idWidth)) << printable(c.id) << "  "
            << std::setw(18) << toKey(c.kind) << "  " << printable(c.name);
        if (const auto figures = keyFigures(c); !figures.empty())
            out << "  [" << figures << "]";
        if (!c.zone.empty())
            out << "  in " << printable(c.zone);
        out << '\n';
    }
    out << "\nLinks\n";
    for (const auto& l : project.links) {
        out << "  " << printable(l.from) << " -> " << printable(l.to) << "  " << label(l.kind);
        if (l.callsPerRequest != 1.0)
            out << " x" << formatNumber(l.callsPerRequest);
        if (l.onlyOnMiss)
            out << " (only on cache miss)";
        out << '\n';
    }
    if (!project.zones.empty()) {
        out << "\nZones\n";
        for (const auto& z : project.zones) {
            out << "  " << printable(z.id) << "  " << label(z.kind) << "  " << printable(z.name);
            if (!z.parent.empty())
                out << "  in " << printable(z.parent);
            out << '\n';
        }
    }
    out << "\nValidation: " << plural(counts.errors, "error") << ", "
        << plural(counts.warnings, "warning") << " (headroom-cli validate for details)\n";
}

} // namespace

void setupInfo(CLI::App& command, int& exitCode) {
    auto options = std::make_shared<InfoOptions>();
    command.add_option("FILE", options->file, "Project (.headroom or .headroom.json)")->required();
    addFormatOption(command, options->format);
    command.callback([options, &exitCode] {
        auto project = loadOrReport(options->file, exitCode);
        if (!project)
            return;
        const auto counts = count(validate(*project));
        if (options->format == Format::Json)
            printJson(infoJson(options->file, *project, counts));
        else
            printText(options->file, *project, counts);
        exitCode = kSuccess;
    });
}

} // namespace headroom::cli
