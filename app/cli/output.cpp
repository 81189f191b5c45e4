#include "cli/output.h"

#include "cli/command.h"
#include "storage/project_io.h"

#include <cstdio>
#include <iostream>

namespace headroom::cli {

void addFormatOption(CLI::App& command, Format& format, bool markdown) {
    std::vector<std::string> names{"text", "json"};
    if (markdown)
        names.emplace_back("markdown");
    command
        .add_option_function<std::string>(
            "--format",
            [&format](const std::string& name) {
                format = name == "json"       ? Format::Json
                         : name == "markdown" ? Format::Markdown
                                              : Format::Text;
            },
            markdown ? "Output format: text (default), json or markdown"
                     : "Output format: text (default) or json")
        ->check(CLI::IsMember(names))
        ->type_name(markdown ? "text|json|markdown" : "text|json");
}

bool isProjectOutput(const std::string& path) {
    if (formatFromPath(path))
        return true;
    printError({"unknown output type: use .headroom or .headroom.json", path, ""});
    return false;
}

std::optional<Project> loadOrReport(const std::string& path) {
    auto project = loadProject(path);
    if (!project) {
        printError(project.error());
        return std::nullopt;
    }
    return std::move(*project);
}

std::optional<Project> loadOrReport(const std::string& path, int& exitCode) {
    auto project = loadOrReport(path);
    if (!project)
        exitCode = kBadInput;
    return project;
}

std::string plural(std::size_t count, std::string_view noun) {
    return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

void printError(const Error& error) {
    std::cerr << "headroom-cli: " << printable(error.describe()) << '\n';
}

std::string fmt(const char* pattern, double value) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

std::string responseText(double seconds) {
    if (seconds >= 10)
        return fmt(seconds < 100 ? "%.1f s" : "%.0f s", seconds);
    return fmt(seconds < 0.01 ? "%.2f ms" : "%.1f ms", seconds * 1000);
}

void printJson(const nlohmann::ordered_json& json) {
    std::cout << json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (c < 0x20 || c == 0x7f) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
            out += buffer;
        } else
            out += static_cast<char>(c);
    }
    return out;
}

} // namespace headroom::cli
