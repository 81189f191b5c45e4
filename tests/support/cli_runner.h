#pragma once
// Runs the real headroom-cli binary (HEADROOM_CLI, set by CMake) with arguments, each quoted
// for the shell, and gives back its exit code, stdout and stderr.

#include "support/temp_dir.h"

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace headroom::test {

struct Run {
    int exitCode = -1;
    std::string out;
    std::string err;
};

inline std::string shellQuote(const std::string& arg) {
    std::string q = "'";
    for (char c : arg)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

inline Run cli(const std::vector<std::string>& args) {
    static TempDir scratch;
    const auto errFile = scratch / "stderr.txt";
    std::string command = shellQuote(HEADROOM_CLI);
    for (const auto& a : args)
        command += " " + shellQuote(a);
    command += " 2>" + shellQuote(errFile.string());
    Run run;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        return run;
    std::array<char, 4096> buffer{};
    while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe))
        run.out.append(buffer.data(), n);
    const int status = pclose(pipe);
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.err = readFile(errFile);
    return run;
}

} // namespace headroom::test
