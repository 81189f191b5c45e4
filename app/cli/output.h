#pragma once
// Helpers the subcommands share for printing: the --format option, error messages on stderr and
// terminal-safe text.

#include "common/result.h"
#include "model/project.h"
#include "model/property.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace headroom::cli {

enum class Format { Text, Json, Markdown };

/// Adds `--format text|json` (default text) bound to `format`, and `markdown` when asked.
void addFormatOption(CLI::App& command, Format& format, bool markdown = false);

/// Is `path` a project file name (.headroom or .headroom.json)? Prints why not otherwise.
bool isProjectOutput(const std::string& path);

/// Loads a project, printing the error (file and place) when it cannot be read.
std::optional<Project> loadOrReport(const std::string& path);

/// The same, and sets `exitCode` to kBadInput when it cannot: a subcommand's first step.
std::optional<Project> loadOrReport(const std::string& path, int& exitCode);

/// "1 zone", "3 zones".
std::string plural(std::size_t count, std::string_view noun);

/// Prints "headroom-cli: <file>: <place>: <message>" on stderr.
void printError(const Error& error);

/// Prints pretty JSON on stdout.
void printJson(const nlohmann::ordered_json& json);

/// One number through a printf pattern ("%.1f ms"): the subcommands' figures.
std::string fmt(const char* pattern, double value);

/// A response time as people read it: "0.52 ms", "45.5 ms", "12.3 s", "250 s".
std::string responseText(double seconds);

/// Text safe for a terminal: control characters (newlines, escapes) shown as \n, \x1b, ...
std::string printable(std::string_view text);

} // namespace headroom::cli
