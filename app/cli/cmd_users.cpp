// headroom-cli users PROJECT: the drawn system as a closed workload of N users who think between
// requests (a load test's virtual users): throughput and response against N by exact MVA, the
// saturation population N*, the users the drawn load amounts to, and the most users a mean
// response objective allows.

#include "analysis/closed.h"
#include "cli/command.h"
#include "cli/output.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <memory>
#include <set>

namespace headroom::cli {
namespace {

using namespace analysis;

struct UsersOptions {
    std::string file;
    double multiplier = 1;
    std::optional<double> thinkSeconds;
    int maxUsers = 0;
    std::vector<int> users;
    std::optional<double> objectiveMs;
    Format format = Format::Text;
};

/// The populations shown: 1, a geometric ladder to the end of the curve, N* and the users the
/// drawn load amounts to (rounded), and any asked for.
std::vector<int> shownUsers(const ClosedWorkload& w, const std::vector<int>& asked) {
    const int last = w.curve.back().users;
    std::set<int> shown{1, last};
    for (double n = 2; n < last; n *= 2)
        shown.insert(static_cast<int>(std::round(n)));
    // Clamped as doubles: a population past the curve (or past an int) is its last point.
    const auto nearest = [&](double users) {
        return static_cast<int>(std::clamp(std::round(users), 1.0, static_cast<double>(last)));
    };
    if (w.saturationUsers)
        shown.insert(nearest(*w.saturationUsers));
    if (w.usersNow)
        shown.insert(nearest(*w.usersNow));
    if (w.mostUsersWithinObjective)
        shown.insert(*w.mostUsersWithinObjective);
    for (const int n : asked)
        shown.insert(std::clamp(n, 1, last));
    return {shown.begin(), shown.end()};
}

nlohmann::ordered_json orNull(const std::optional<double>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
}

nlohmann::ordered_json toJson(const Project& project, const ClosedWorkload& w,
                              const std::vector<int>& shown, double multiplier) {
    nlohmann::ordered_json out;
    out["project"] = project.name;
    out["load_multiplier"] = multiplier;
    out["think_time_s"] = w.thinkSeconds;
    out["entry_rate_per_s"] = w.entryRate;
    out["response_now_s"] = orNull(w.responseNow);
    out["users_now"] = orNull(w.usersNow);
    out["zero_load_response_s"] = w.zeroLoadResponse;
    auto& stations = out["stations"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < w.stations.size(); ++i)
        stations.push_back({{"component", project.components[w.stations[i].component].id},
                            {"demand_s", w.stations[i].demandSeconds},
                            {"bottleneck", w.bottleneck == i}});
    out["delay_s"] = w.delaySeconds;
    out["max_throughput_per_s"] = orNull(w.maxThroughput);
    out["saturation_users"] = orNull(w.saturationUsers);
    out["most_users_within_objective"] = w.mostUsersWithinObjective
                                             ? nlohmann::ordered_json(*w.mostUsersWithinObjective)
                                             : nlohmann::ordered_json();
    out["objective_held_to_the_end"] =
        w.mostUsersWithinObjective && *w.mostUsersWithinObjective == w.curve.back().users;
    auto& left = out["left_out"] = nlohmann::ordered_json::array();
    for (const auto v : w.leftOut)
        left.push_back(project.components[v].id);
    out["notes"] = w.notes;
    auto& points = out["points"] = nlohmann::ordered_json::array();
    for (const int n : shown) {
        const auto& p = closedPointAt(w, n);
        points.push_back({{"users", p.users},
                          {"throughput_per_s", p.throughputPerSecond},
                          {"response_s", p.responseSeconds},
                          {"bottleneck_utilisation", p.bottleneckUtilisation}});
    }
    return out;
}

void printText(const Project& project, const ClosedWorkload& w, const std::vector<int>& shown,
               std::optional<double> objective) {
    std::cout << printable(project.name) << " as a closed workload: users who think "
              << fmt("%.3g", w.thinkSeconds) << " s between requests\n";
    if (w.usersNow)
        std::cout << "The drawn load, " << fmt("%.1f", w.entryRate) << " requests/s answered in "
                  << responseText(*w.responseNow) << ", is about " << fmt("%.0f", *w.usersNow)
                  << " users (Little's law: X (R + Z)).\n";
    std::cout << "A lone request takes " << responseText(w.zeroLoadResponse) << " end to end.\n\n";
    std::cout << "Demand per request (utilisation / throughput at the analysed load):\n";
    std::size_t width = 5; // "delay"
    for (const auto& s : w.stations)
        width = std::max(width, printable(project.components[s.component].id).size());
    const auto row = [&](const std::string& name, double seconds, const char* why) {
        std::cout << "  " << name << std::string(width - name.size(), ' ') << "  " << std::right
                  << std::setw(9) << responseText(seconds) << why << '\n';
    };
    for (std::size_t i = 0; i < w.stations.size(); ++i)
        row(printable(project.components[w.stations[i].component].id), w.stations[i].demandSeconds,
            w.bottleneck == i ? "  <- bottleneck" : "");
    row("delay", w.delaySeconds, "  (the rest of a lone request's time)");
    if (!w.leftOut.empty()) {
        std::cout << "Left out (not on the users' synchronous path):";
        for (const auto v : w.leftOut)
            std::cout << ' ' << printable(project.components[v].id);
        std::cout << '\n';
    }
    for (const auto& note : w.notes)
        std::cout << "Note: " << printable(note) << '\n';
    if (w.maxThroughput && w.saturationUsers)
        std::cout << "\nAt most " << fmt("%.1f", *w.maxThroughput) << " requests/s (1 / Dmax); "
                  << "N* = " << fmt("%.0f", *w.saturationUsers)
                  << " users, past which each new user mostly adds waiting.\n";
    if (objective) {
        if (!w.mostUsersWithinObjective)
            std::cout << "Not even one user gets a mean response within "
                      << responseText(*objective) << ".\n";
        else if (*w.mostUsersWithinObjective == w.curve.back().users)
            std::cout << "The mean response stays within " << responseText(*objective)
                      << " up to the last population worked out, " << *w.mostUsersWithinObjective
                      << " users (raise --max-users).\n";
        else
            std::cout << "At most " << *w.mostUsersWithinObjective
                      << " users keep the mean response within " << responseText(*objective)
                      << ".\n";
    }
    std::cout << "\n  users  requests/s    response  bottleneck busy\n";
    for (const int n : shown) {
        const auto& p = closedPointAt(w, n);
        std::printf("%7d  %10.1f  %10s  %14.0f%%\n", p.users, p.throughputPerSecond,
                    responseText(p.responseSeconds).c_str(), p.bottleneckUtilisation * 100);
    }
    std::cout << std::flush;
}

} // namespace

void setupUsers(CLI::App& command, int& exitCode) {
    auto o = std::make_shared<UsersOptions>();
    command.footer(
        "The network: a queue per component on the users' synchronous path with demand "
        "utilisation / throughput at the analysed load, one delay for the rest of a lone "
        "request's time, and the clients' think time. Solved by exact MVA "
        "(docs/methodology.md, Closed workloads).");
    command.add_option("PROJECT", o->file, "Project (.headroom or .headroom.json)")->required();
    command
        .add_option("--load-multiplier,-k", o->multiplier,
                    "The load the demands are taken at, times every client's arrival rate")
        ->check(CLI::Range(1e-6, 1e6))
        ->capture_default_str();
    command
        .add_option("--think-time", o->thinkSeconds,
                    "Seconds a user waits between requests (default: the clients' think time, "
                    "weighted by their rates)")
        ->check(CLI::Range(0.0, 86400.0));
    command
        .add_option("--max-users", o->maxUsers,
                    "Largest population worked out (default: twice N* or the drawn users)")
        ->check(CLI::Range(1, kMostClosedUsers));
    command.add_option("--users", o->users, "Populations to show besides the default ladder")
        ->check(CLI::Range(1, kMostClosedUsers));
    command
        .add_option("--latency-objective-ms", o->objectiveMs,
                    "A mean response objective: the most users meeting it")
        ->check(CLI::PositiveNumber);
    addFormatOption(command, o->format);
    command.callback([o, &exitCode] {
        auto project = loadOrReport(o->file, exitCode);
        if (!project)
            return;
        AnalysisOptions options;
        options.loadMultiplier = o->multiplier;
        ClosedOptions closed;
        closed.thinkSeconds = o->thinkSeconds;
        closed.maxUsers = o->maxUsers;
        if (!o->users.empty())
            closed.includeUsers = *std::max_element(o->users.begin(), o->users.end());
        if (o->objectiveMs)
            closed.responseObjective = *o->objectiveMs / 1000;
        try {
            const auto calibration = calibrateFromMetrics(*project);
            const auto analysis = analyze(*project, options, &calibration);
            const auto workload = closedWorkload(*project, analysis, closed, &calibration);
            if (!workload) {
                printError({workload.error().message, o->file, ""});
                exitCode = kBadInput;
                return;
            }
            const auto shown = shownUsers(*workload, o->users);
            if (o->format == Format::Json)
                printJson(toJson(*project, *workload, shown, o->multiplier));
            else
                printText(*project, *workload, shown, closed.responseObjective);
            exitCode = kSuccess;
        } catch (const std::exception& e) {
            printError({std::string("cannot analyse this project: ") + e.what(), o->file, ""});
            exitCode = kBadInput;
        }
    });
}

} // namespace headroom::cli
