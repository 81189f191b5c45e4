// headroom-cli convert IN OUT: between the SQLite project file and the JSON interchange form.

#include "cli/command.h"
#include "cli/output.h"
#include "storage/json_format.h"
#include "storage/project_io.h"

#include <filesystem>
#include <iostream>

namespace headroom::cli {
namespace {

struct ConvertOptions {
    std::string input;
    std::string output;
    Format format = Format::Text;
};

bool sameFile(const std::string& a, const std::string& b) {
    std::error_code ec;
    return std::filesystem::equivalent(a, b, ec);
}

} // namespace

void setupConvert(CLI::App& command, int& exitCode) {
    auto options = std::make_shared<ConvertOptions>();
    command.add_option("IN", options->input, "Project to read (.headroom or .headroom.json)")
        ->required();
    command.add_option("OUT", options->output, "File to write; its extension picks the format")
        ->required();
    addFormatOption(command, options->format);
    command.callback([options, &exitCode] {
        exitCode = kBadInput;
        if (!isProjectOutput(options->output))
            return;
        if (sameFile(options->input, options->output)) {
            printError({"input and output are the same file", options->output, ""});
            return;
        }
        auto project = loadOrReport(options->input);
        if (!project) {
            return;
        }
        if (formatFromPath(options->output) == ProjectFormat::Json) {
            if (const auto leftOut = seriesLeftOutOfJson(*project))
                std::cerr << "headroom-cli: note: " << leftOut << " metric series"
                          << " left out: the JSON form holds the model only\n";
            if (!project->metricFiles.empty())
                std::cerr << "headroom-cli: note: the metric files it binds are named relative "
                             "to its folder; keep them beside it\n";
        }
        if (auto saved = saveProject(*project, options->output); !saved) {
            printError(saved.error());
            return;
        }
        if (options->format == Format::Json) {
            printJson({{"input", options->input},
                       {"output", options->output},
                       {"components", project->components.size()},
                       {"links", project->links.size()},
                       {"zones", project->zones.size()}});
        } else {
            std::cout << "Wrote " << printable(options->output) << " ("
                      << plural(project->components.size(), "component") << ", "
                      << plural(project->links.size(), "link") << ", "
                      << plural(project->zones.size(), "zone") << ")\n";
        }
        exitCode = kSuccess;
    });
}

} // namespace headroom::cli
