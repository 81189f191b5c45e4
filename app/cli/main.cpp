// headroom-cli: the command-line face of Headroom's core.

#include "cli/command.h"
#include "common/allocator.h"
#include "version.h"

#include <iostream>

int main(int argc, char** argv) {
    headroom::keepFreedMemory();
    using namespace headroom::cli;
    CLI::App app{"Headroom: capacity planning for horizontally scaled systems"};
    app.name("headroom-cli");
    app.set_version_flag("--version", headroom::kVersion, "Print the version and exit");
    app.require_subcommand(1);
    app.fallthrough(false);

    int exitCode = kSuccess;
    for (const auto& spec : commands()) {
        CLI::App* command = app.add_subcommand(spec.name, spec.help);
        spec.setup(*command, exitCode);
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion&) {
        std::cout << "headroom-cli " << headroom::kVersion << '\n';
        return kSuccess;
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kBadInput;
    }
    return exitCode;
}
