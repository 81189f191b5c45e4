// headroom-cli validate FILE: every problem in a project, exit 1 when there are errors.

#include "cli/command.h"
#include "cli/output.h"
#include "model/validation.h"
#include "storage/project_io.h"

#include <iostream>

namespace headroom::cli {
namespace {

struct ValidateOptions {
    std::string file;
    Format format = Format::Text;
    bool warningsAsErrors = false;
};

} // namespace

void setupValidate(CLI::App& command, int& exitCode) {
    auto options = std::make_shared<ValidateOptions>();
    command.add_option("FILE", options->file, "Project (.headroom or .headroom.json)")->required();
    addFormatOption(command, options->format);
    command.add_flag("--strict", options->warningsAsErrors, "Treat warnings as errors");
    command.callback([options, &exitCode] {
        auto project = loadOrReport(options->file, exitCode);
        if (!project)
            return;
        const auto diagnostics = validate(*project);
        const auto counts = count(diagnostics);
        const bool failed = counts.errors > 0 || (options->warningsAsErrors && counts.warnings);
        if (options->format == Format::Json) {
            nlohmann::ordered_json out;
            out["file"] = options->file;
            out["valid"] = !failed;
            out["errors"] = counts.errors;
            out["warnings"] = counts.warnings;
            auto& list = out["diagnostics"] = nlohmann::ordered_json::array();
            for (const auto& d : diagnostics)
                list.push_back({{"severity", std::string(toKey(d.severity))},
                                {"subject_kind", d.subjectKind},
                                {"subject", d.subject},
                                {"property", d.property},
                                {"message", d.message}});
            printJson(out);
        } else {
            for (const auto& d : diagnostics)
                std::cout << printable(options->file) << ": " << printable(d.describe()) << '\n';
            std::cout << printable(options->file) << ": " << plural(counts.errors, "error") << ", "
                      << plural(counts.warnings, "warning") << '\n';
        }
        exitCode = failed ? kValidationErrors : kSuccess;
    });
}

} // namespace headroom::cli
