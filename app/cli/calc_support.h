#pragma once
// What the calc calculators (cmd_calc.cpp: mmc, fleet; cmd_calc_files.cpp: mva, usl) share:
// number formatting, option checks, error handling and file reading.

#include "cli/command.h"
#include "cli/output.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

namespace headroom::cli::calc {

using Json = nlohmann::ordered_json;

/// The most servers (workers) a calculator models: Erlang B's recursion is linear in them.
constexpr int kMaxServers = 10'000'000;

inline std::string num(double v) {
    char text[48];
    std::snprintf(text, sizeof text, "%.6g", v);
    return text;
}
inline std::string secs(double v) {
    return num(v) + " s";
}
inline std::string pct(double share) {
    char text[48];
    std::snprintf(text, sizeof text, "%.1f%%", share * 100);
    return text;
}
inline Json orNull(const std::optional<double>& v) {
    return v ? Json(*v) : Json();
}
/// "p95", "p99.9".
inline std::string percentileLabel(double percentile) {
    return "p" + num(percentile);
}

/// A label padded to one column, then the value.
inline void row(std::string_view label, const std::string& value) {
    constexpr std::size_t kWidth = 26;
    std::cout << label << std::string(label.size() < kWidth ? kWidth - label.size() : 1, ' ')
              << value << '\n';
}

/// Prints why an option's value is refused; false then.
inline bool accept(bool ok, const char* option, const std::string& rule, double value) {
    if (!ok)
        printError({rule + ", got " + num(value), "", option});
    return ok;
}
inline bool acceptPositive(const char* option, double value, const std::string& unit) {
    return accept(std::isfinite(value) && value > 0, option, "must be above 0 " + unit, value);
}
inline bool acceptPercentile(double percentile) {
    return accept(std::isfinite(percentile) && percentile > 0 && percentile < 100, "--percentile",
                  "must lie between 0 and 100 (exclusive)", percentile);
}

/// Runs a calculator; an exception from deep inside (a special function overflowing on an
/// extreme input, memory running out on a huge file) becomes an error message, not a crash.
template <typename Options, typename Run>
void guarded(const Options& options, int& exitCode, Run run) {
    try {
        run(options, exitCode);
    } catch (const std::exception& e) {
        printError({std::string("cannot compute this: ") + e.what(), "", ""});
        exitCode = kBadInput;
    }
}

inline Result<std::string> readText(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return Error{"no such file", path, ""};
    if (std::filesystem::is_directory(path, ec))
        return Error{"is a folder, not a file", path, ""};
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{"cannot be opened for reading", path, ""};
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return Error{"could not be read", path, ""};
    return text.str();
}

void setupMva(CLI::App& command, int& exitCode);
void setupUsl(CLI::App& command, int& exitCode);

} // namespace headroom::cli::calc
