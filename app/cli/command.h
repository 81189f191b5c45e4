#pragma once
// The CLI's subcommands are a table: each entry names a subcommand, says what it does and sets
// it up on a CLI11 sub-app. One subcommand per file (cmd_*.cpp).

#include <CLI/CLI.hpp>
#include <span>

namespace headroom::cli {

/// Exit codes shared by every subcommand.
enum ExitCode : int {
    kSuccess = 0,
    kValidationErrors = 1, ///< the input was read but has errors
    kBadInput = 2,         ///< bad usage, or an input that cannot be read
};

/// Adds the subcommand's options to `command` and a callback that stores its exit code.
using SetupFn = void (*)(CLI::App& command, int& exitCode);

struct CommandSpec {
    const char* name;
    const char* help;
    SetupFn setup;
};

std::span<const CommandSpec> commands();

} // namespace headroom::cli
