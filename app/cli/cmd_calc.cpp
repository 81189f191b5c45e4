// headroom-cli calc mmc|fleet|mva|usl: the queueing formulas under the analysis, on numbers
// typed in or a small file, for design reviews and back-of-the-envelope checks without a
// project. Bad input (a nonsense number, an unreadable or malformed file) exits 2 and says what
// and where.

#include "analysis/fleet.h"
#include "analysis/mva.h"
#include "analysis/queueing.h"
#include "analysis/usl.h"
#include "cli/command.h"
#include "cli/output.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

namespace headroom::cli {
namespace {

using namespace analysis;
using Json = nlohmann::ordered_json;

/// The most servers (workers) a calculator models: Erlang B's recursion is linear in them.
constexpr int kMaxServers = 10'000'000;

std::string num(double v) {
    char text[48];
    std::snprintf(text, sizeof text, "%.6g", v);
    return text;
}
std::string secs(double v) {
    return num(v) + " s";
}
std::string pct(double share) {
    char text[48];
    std::snprintf(text, sizeof text, "%.1f%%", share * 100);
    return text;
}
Json orNull(const std::optional<double>& v) {
    return v ? Json(*v) : Json();
}
/// "p95", "p99.9".
std::string percentileLabel(double percentile) {
    return "p" + num(percentile);
}

/// A label padded to one column, then the value.
void row(std::string_view label, const std::string& value) {
    constexpr std::size_t kWidth = 26;
    std::cout << label << std::string(label.size() < kWidth ? kWidth - label.size() : 1, ' ')
              << value << '\n';
}

/// Prints why an option's value is refused; false then.
bool accept(bool ok, const char* option, const std::string& rule, double value) {
    if (!ok)
        printError({rule + ", got " + num(value), "", option});
    return ok;
}
bool acceptPositive(const char* option, double value, const std::string& unit) {
    return accept(std::isfinite(value) && value > 0, option, "must be above 0 " + unit, value);
}
bool acceptPercentile(double percentile) {
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

Result<std::string> readText(const std::string& path) {
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

// ---- calc mmc -------------------------------------------------------------------------------

struct MmcOptions {
    double arrivalRate = 0; ///< per second
    double serviceTime = 0; ///< seconds
    int servers = 0;
    double percentile = 95;
    std::optional<double> targetResponse; ///< seconds, at the percentile
    Format format = Format::Text;
};

struct ServersForTarget {
    std::optional<int> servers;
    std::string why; ///< when there is no answer
};

/// The fewest servers whose percentile response (M/M/c) is at most the target. The
/// percentile falls as servers are added, so rather than trying every count upward from the
/// smallest stable one, the step doubles until a count meets the target and the last miss and
/// that hit are then bisected: the same answer in O(log c) evaluations.
ServersForTarget serversForTarget(const MmcOptions& o) {
    const double q = o.percentile / 100;
    const double target = *o.targetResponse;
    // With more and more servers nobody waits and the response is the exponential service
    // time alone, whose q-quantile is -S ln(1 - q); no count reaches a target at or below it.
    const double serviceAlone = -o.serviceTime * std::log1p(-q);
    if (target <= serviceAlone)
        return {std::nullopt, "not reachable: the service time alone has " +
                                  percentileLabel(o.percentile) + " " + secs(serviceAlone) +
                                  ", at or above the target"};
    const double load = o.arrivalRate * o.serviceTime;
    const std::string capped = "not reachable within " + std::to_string(kMaxServers) + " servers";
    if (load >= kMaxServers - 1)
        return {std::nullopt, capped};
    const auto meets = [&](int c) {
        const auto p = mmcResponsePercentile(o.arrivalRate, 1 / o.serviceTime, c, q);
        return p && *p <= target;
    };
    const int smallest = static_cast<int>(std::floor(load)) + 1; // load < servers
    if (meets(smallest))
        return {smallest, ""};
    int miss = smallest, hit = 0;
    for (int step = 1;; step *= 2) {
        const int c =
            static_cast<int>(std::min<long long>(miss + static_cast<long long>(step), kMaxServers));
        if (meets(c)) {
            hit = c;
            break;
        }
        if (c == kMaxServers)
            return {std::nullopt, capped};
        miss = c;
    }
    while (hit - miss > 1) {
        const int mid = miss + (hit - miss) / 2;
        (meets(mid) ? hit : miss) = mid;
    }
    return {hit, ""};
}

void runMmc(const MmcOptions& o, int& exitCode) {
    exitCode = kBadInput;
    if (!acceptPositive("--arrival-rate", o.arrivalRate, "requests per second") ||
        !acceptPositive("--service-time", o.serviceTime, "seconds") ||
        !accept(o.servers >= 1 && o.servers <= kMaxServers, "--servers",
                "must be from 1 to " + std::to_string(kMaxServers), o.servers) ||
        !acceptPercentile(o.percentile) ||
        (o.targetResponse && !acceptPositive("--target-response", *o.targetResponse, "seconds")))
        return;
    const double mu = 1 / o.serviceTime;
    const double q = o.percentile / 100;
    const double load = o.arrivalRate * o.serviceTime;
    const auto r = mmc(o.arrivalRate, mu, o.servers);
    const auto p = mmcResponsePercentile(o.arrivalRate, mu, o.servers, q);
    if (r && !p) { // cannot happen for valid input; refuse rather than print half a result
        printError({"the percentile response could not be computed", "", "--percentile"});
        return;
    }
    const auto needed = o.targetResponse ? std::optional(serversForTarget(o)) : std::nullopt;
    const std::string pLabel = percentileLabel(o.percentile);

    if (o.format == Format::Json) {
        Json out;
        out["model"] = "M/M/c";
        out["arrival_rate_per_s"] = o.arrivalRate;
        out["service_time_s"] = o.serviceTime;
        out["servers"] = o.servers;
        out["percentile"] = o.percentile;
        out["offered_load_erlangs"] = load;
        out["saturated"] = !r;
        out["utilisation"] = r ? Json(r->utilisation) : Json();
        out["wait_probability"] = r ? Json(r->waitProbability) : Json();
        out["mean_wait_s"] = r ? Json(r->meanWait) : Json();
        out["mean_response_s"] = r ? Json(r->meanResponse) : Json();
        out["percentile_response_s"] = orNull(p);
        if (needed) {
            out["target_response_s"] = *o.targetResponse;
            out["servers_for_target"] = needed->servers ? Json(*needed->servers) : Json();
            if (!needed->servers)
                out["servers_for_target_note"] = needed->why;
        }
        printJson(out);
    } else {
        std::cout << "M/M/c: " << num(o.arrivalRate) << " requests/s, " << secs(o.serviceTime)
                  << " service, " << plural(static_cast<std::size_t>(o.servers), "server") << '\n';
        row("offered load", num(load) + " Erlangs");
        if (!r) {
            std::cout << "saturated: the arrival rate is at or above servers / service time = "
                      << num(o.servers / o.serviceTime)
                      << " requests/s, so the queue grows without bound\n";
        } else {
            row("utilisation", num(r->utilisation) + " (" + pct(r->utilisation) + ")");
            row("probability of wait", num(r->waitProbability));
            row("mean wait", secs(r->meanWait));
            row("mean response", secs(r->meanResponse));
            row(pLabel + " response", secs(*p));
        }
        if (needed) {
            const std::string label = "servers for " + pLabel + " <= " + secs(*o.targetResponse);
            row(label, needed->servers ? std::to_string(*needed->servers) : needed->why);
        }
    }
    exitCode = kSuccess;
}

void setupMmc(CLI::App& command, int& exitCode) {
    auto o = std::make_shared<MmcOptions>();
    command.add_option("--arrival-rate", o->arrivalRate, "Arrivals per second (Poisson)")
        ->required();
    command.add_option("--service-time", o->serviceTime, "Mean service time in seconds")
        ->required();
    command.add_option("--servers", o->servers, "Servers (workers) sharing the one queue")
        ->required();
    command.add_option("--percentile", o->percentile, "Response-time percentile to report")
        ->capture_default_str();
    command.add_option("--target-response", o->targetResponse,
                       "Seconds the percentile response must stay within: prints the fewest "
                       "servers that do it");
    addFormatOption(command, o->format);
    command.callback([o, &exitCode] { guarded(*o, exitCode, runMmc); });
}

// ---- calc fleet -----------------------------------------------------------------------------

struct FleetOptions {
    FleetSpec spec;
    std::string balancing;
    double percentile = 95;
    Format format = Format::Text;
};

struct BalancingName {
    const char* name;
    Balancing balancing;
};
constexpr BalancingName kBalancings[] = {{"round-robin", Balancing::RoundRobin},
                                         {"least-conn", Balancing::LeastConnections},
                                         {"random", Balancing::Random},
                                         {"ip-hash", Balancing::Hash}};

void runFleet(FleetOptions o, int& exitCode) {
    exitCode = kBadInput;
    FleetSpec& spec = o.spec;
    const long long workers = static_cast<long long>(spec.replicas) * spec.concurrency;
    if (!accept(std::isfinite(spec.arrivalRate) && spec.arrivalRate >= 0, "--arrival-rate",
                "must be 0 or more requests per second", spec.arrivalRate) ||
        !acceptPositive("--service-time", spec.serviceTime, "seconds") ||
        !accept(std::isfinite(spec.serviceScv) && spec.serviceScv >= 0, "--service-scv",
                "must be 0 (constant) or more, 1 for exponential", spec.serviceScv) ||
        !accept(spec.replicas >= 1, "--replicas", "must be at least 1", spec.replicas) ||
        !accept(spec.concurrency >= 1, "--concurrency", "must be at least 1", spec.concurrency) ||
        !accept(workers <= kMaxServers, "--concurrency",
                "replicas x concurrency must be at most " + std::to_string(kMaxServers) +
                    " workers",
                static_cast<double>(workers)) ||
        !accept(std::isfinite(spec.imbalance) && spec.imbalance >= 0, "--imbalance",
                "must be 0 or more (0.1 = the busiest clone gets 10% above its share)",
                spec.imbalance) ||
        !acceptPercentile(o.percentile))
        return;
    for (const auto& b : kBalancings)
        if (o.balancing == b.name)
            spec.balancing = b.balancing;
    if (spec.imbalance != 0 && spec.balancing != Balancing::Hash) {
        std::cerr << "headroom-cli: --imbalance applies to --lb ip-hash only; ignored\n";
        spec.imbalance = 0;
    }
    const auto fleet = analyzeFleet(spec, o.percentile / 100);
    if (!fleet) {
        printError(fleet.error());
        return;
    }
    const FleetFigures& f = *fleet;
    const std::string pLabel = percentileLabel(o.percentile);
    const bool busiest = spec.balancing == Balancing::Hash;

    if (o.format == Format::Json) {
        Json out;
        out["arrival_rate_per_s"] = spec.arrivalRate;
        out["service_time_s"] = spec.serviceTime;
        out["service_scv"] = spec.serviceScv;
        out["replicas"] = spec.replicas;
        out["concurrency"] = spec.concurrency;
        out["lb"] = o.balancing;
        out["imbalance"] = spec.imbalance;
        out["percentile"] = o.percentile;
        out["model"] = f.model;
        out["clone_arrival_rate_per_s"] = f.cloneArrivalRate;
        out["clone_arrival_scv"] = f.cloneArrivalScv;
        out["utilisation"] = f.utilisation;
        out["saturated"] = !f.meanResponse;
        out["mean_response_s"] = orNull(f.meanResponse);
        out["percentile_response_s"] = orNull(f.percentileResponse);
        out["saturation_throughput_per_s"] = f.saturationThroughput;
        printJson(out);
    } else {
        std::cout << "Fleet: " << plural(static_cast<std::size_t>(spec.replicas), "replica")
                  << " x " << plural(static_cast<std::size_t>(spec.concurrency), "worker")
                  << " each, " << o.balancing << ", " << num(spec.arrivalRate) << " requests/s, "
                  << secs(spec.serviceTime) << " service (SCV " << num(spec.serviceScv) << ")\n";
        row("model", f.model);
        const std::string clone = busiest ? "busiest clone" : "per clone";
        row(clone + " arrivals", num(f.cloneArrivalRate) + "/s, SCV " + num(f.cloneArrivalScv));
        row(clone + " utilisation", num(f.utilisation) + " (" + pct(f.utilisation) + ")");
        row("mean response", f.meanResponse ? secs(*f.meanResponse) : "saturated");
        row(pLabel + " response", f.percentileResponse ? secs(*f.percentileResponse)
                                  : f.meanResponse     ? "-"
                                                       : "saturated");
        row("saturation throughput", num(f.saturationThroughput) + " requests/s");
    }
    exitCode = kSuccess;
}

void setupFleet(CLI::App& command, int& exitCode) {
    auto o = std::make_shared<FleetOptions>();
    command.add_option("--arrival-rate", o->spec.arrivalRate, "Requests per second (Poisson)")
        ->required();
    command
        .add_option("--service-time", o->spec.serviceTime,
                    "Mean seconds a request holds a "
                    "worker")
        ->required();
    command
        .add_option("--service-scv", o->spec.serviceScv,
                    "Squared coefficient of variation of the service time: 0 constant, 1 "
                    "exponential")
        ->capture_default_str();
    command.add_option("--replicas", o->spec.replicas, "Clones behind the balancer")->required();
    command.add_option("--concurrency", o->spec.concurrency, "Workers per clone")->required();
    std::vector<std::string> names;
    for (const auto& b : kBalancings)
        names.emplace_back(b.name);
    command.add_option("--lb", o->balancing, "Load-balancing algorithm")
        ->required()
        ->check(CLI::IsMember(names))
        ->type_name("round-robin|least-conn|random|ip-hash");
    command
        .add_option("--imbalance", o->spec.imbalance,
                    "ip-hash: the busiest clone's share above the mean (0.1 = 10%)")
        ->capture_default_str();
    command.add_option("--percentile", o->percentile, "Response-time percentile to report")
        ->capture_default_str();
    addFormatOption(command, o->format);
    command.callback([o, &exitCode] { guarded(*o, exitCode, runFleet); });
}

// ---- calc mva -------------------------------------------------------------------------------

/// 1-based line and column of a byte offset.
std::string lineAndColumn(std::string_view text, std::size_t offset) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

/// A field of MODEL.json that is missing or wrong, at a JSON pointer; thrown and caught
/// within parseNetwork only.
struct ModelProblem {
    std::string pointer;
    std::string message;
};

std::string pointerTo(const std::string& parent, const std::string& key) {
    std::string escaped; // RFC 6901: ~ as ~0, / as ~1
    for (char c : key)
        escaped += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    return parent + "/" + escaped;
}

void refuseUnknownFields(const nlohmann::json& object, const std::string& at,
                         std::initializer_list<std::string_view> known, const char* expected) {
    for (const auto& [key, value] : object.items())
        if (std::find(known.begin(), known.end(), key) == known.end())
            throw ModelProblem{pointerTo(at, key),
                               std::string("unknown field; expected ") + expected};
}

/// A finite number of seconds, 0 or more.
double seconds(const nlohmann::json& value, const std::string& at) {
    if (!value.is_number())
        throw ModelProblem{at,
                           std::string("expected a number of seconds, found ") + value.type_name()};
    const double v = value.get<double>();
    if (!std::isfinite(v) || v < 0)
        throw ModelProblem{at, "must be a finite number of seconds, 0 or more, got " + num(v)};
    return v;
}

int population(const nlohmann::json& value, const std::string& at) {
    if (!value.is_number())
        throw ModelProblem{at, std::string("expected a whole number of jobs, found ") +
                                   value.type_name()};
    if (!value.is_number_integer())
        throw ModelProblem{at, "expected a whole number of jobs, got " + value.dump()};
    const bool inRange =
        value.is_number_unsigned()
            ? value.get<std::uint64_t>() >= 1 && value.get<std::uint64_t>() <= INT_MAX
            : value.get<std::int64_t>() >= 1 && value.get<std::int64_t>() <= INT_MAX;
    if (!inRange)
        throw ModelProblem{at, "must be from 1 to " + std::to_string(INT_MAX) + " jobs, got " +
                                   value.dump()};
    return static_cast<int>(value.get<std::int64_t>());
}

/// `{"think_time": Z, "population": N, "stations": [{"name", "demand", "kind"}]}`; think_time
/// defaults to 0, a station's kind to "queue" and its name to nothing.
Result<ClosedNetwork> parseNetwork(const std::string& text, const std::string& file) {
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        std::string message = e.what();
        // nlohmann prefixes "[json.exception.parse_error.101] parse error at line L, column C: "
        if (const auto colon = message.find(": "); colon != std::string::npos)
            message = message.substr(colon + 2);
        // e.byte counts from 1, as the column does.
        return Error{"invalid JSON: " + message, file,
                     lineAndColumn(text, e.byte > 0 ? e.byte - 1 : 0) + " (byte " +
                         std::to_string(e.byte) + ")"};
    }
    try {
        if (!root.is_object())
            throw ModelProblem{"", std::string("expected an object with think_time, population "
                                               "and stations, found ") +
                                       root.type_name()};
        refuseUnknownFields(root, "", {"think_time", "population", "stations"},
                            "think_time, population or stations");
        ClosedNetwork network;
        if (root.contains("think_time"))
            network.thinkSeconds = seconds(root["think_time"], "/think_time");
        if (!root.contains("population"))
            throw ModelProblem{"/population", "missing: the number of jobs (users) circulating"};
        network.population = population(root["population"], "/population");
        if (!root.contains("stations"))
            throw ModelProblem{"/stations", "missing: the list of stations"};
        const auto& stations = root["stations"];
        if (!stations.is_array())
            throw ModelProblem{"/stations", std::string("expected an array of stations, found ") +
                                                stations.type_name()};
        if (stations.empty())
            throw ModelProblem{"/stations", "the network has no stations"};
        for (std::size_t k = 0; k < stations.size(); ++k) {
            const auto& s = stations[k];
            const std::string at = "/stations/" + std::to_string(k);
            if (!s.is_object())
                throw ModelProblem{at, std::string("expected a station object, found ") +
                                           s.type_name()};
            refuseUnknownFields(s, at, {"name", "demand", "kind"}, "name, demand or kind");
            MvaStation station;
            if (s.contains("name")) {
                if (!s["name"].is_string())
                    throw ModelProblem{at + "/name", std::string("expected a string, found ") +
                                                         s["name"].type_name()};
                station.name = s["name"].get<std::string>();
            }
            if (!s.contains("demand"))
                throw ModelProblem{at + "/demand", "missing: the service demand in seconds"};
            station.demandSeconds = seconds(s["demand"], at + "/demand");
            if (s.contains("kind")) {
                const auto& kind = s["kind"];
                if (kind == "queue")
                    station.kind = MvaStationKind::Queue;
                else if (kind == "delay")
                    station.kind = MvaStationKind::Delay;
                else
                    throw ModelProblem{at + "/kind",
                                       "expected \"queue\" or \"delay\", found " + kind.dump()};
            }
            network.stations.push_back(std::move(station));
        }
        return network;
    } catch (const ModelProblem& problem) {
        return Error{problem.message, file, problem.pointer};
    }
}

struct MvaOptions {
    std::string file;
    std::string method = "exact";
    Format format = Format::Text;
};

void runMva(const MvaOptions& o, int& exitCode) {
    exitCode = kBadInput;
    const auto text = readText(o.file);
    if (!text) {
        printError(text.error());
        return;
    }
    const auto network = parseNetwork(*text, o.file);
    if (!network) {
        printError(network.error());
        return;
    }
    const bool exact = o.method == "exact";
    std::optional<SchweitzerResult> approximate;
    MvaResult result;
    // The core names the fields as in ClosedNetwork; say them as the file does.
    const auto report = [&](Error error) {
        if (error.location == "/thinkSeconds")
            error.location = "/think_time";
        error.file = o.file;
        printError(error);
    };
    if (exact) {
        auto solved = exactMva(*network);
        if (!solved) {
            report(solved.error());
            return;
        }
        result = std::move(*solved);
    } else {
        auto solved = schweitzerMva(*network);
        if (!solved) {
            report(solved.error());
            return;
        }
        approximate = std::move(*solved);
        result = approximate->solution;
        if (!approximate->converged)
            std::cerr << "headroom-cli: warning: Schweitzer's iteration did not converge in "
                      << approximate->iterations << " iterations; the figures are its last "
                      << "iterate\n";
    }
    const auto& stations = network->stations;
    const auto label = [&](std::size_t k) {
        return stations[k].name.empty() ? "station " + std::to_string(k + 1) : stations[k].name;
    };

    if (o.format == Format::Json) {
        Json out;
        out["method"] = o.method;
        out["population"] = network->population;
        out["think_time_s"] = network->thinkSeconds;
        if (approximate) {
            out["converged"] = approximate->converged;
            out["iterations"] = approximate->iterations;
        }
        out["throughput_per_s"] = result.throughputPerSecond;
        out["response_s"] = result.responseSeconds;
        auto& list = out["stations"] = Json::array();
        for (std::size_t k = 0; k < stations.size(); ++k) {
            const auto& s = result.stations[k];
            list.push_back({{"name", stations[k].name},
                            {"kind", stations[k].kind == MvaStationKind::Queue ? "queue" : "delay"},
                            {"demand_s", stations[k].demandSeconds},
                            {"utilisation", orNull(s.utilisation)},
                            {"queue_length", s.queueLength},
                            {"residence_s", s.residenceSeconds}});
        }
        printJson(out);
        exitCode = kSuccess;
        return;
    }

    std::cout << (exact ? "Exact MVA" : "Schweitzer's approximate MVA") << ": "
              << plural(static_cast<std::size_t>(network->population), "job") << ", think time "
              << secs(network->thinkSeconds) << '\n';
    if (approximate)
        row(approximate->converged ? "converged" : "NOT converged",
            "after " + std::to_string(approximate->iterations) + " iterations");
    row("throughput", num(result.throughputPerSecond) + " jobs/s");
    row("response time", secs(result.responseSeconds));
    std::cout << '\n';
    std::vector<std::vector<std::string>> rows{
        {"station", "kind", "demand (s)", "utilisation", "queue length", "residence (s)"}};
    for (std::size_t k = 0; k < stations.size(); ++k) {
        const auto& s = result.stations[k];
        rows.push_back({printable(label(k)),
                        stations[k].kind == MvaStationKind::Queue ? "queue" : "delay",
                        num(stations[k].demandSeconds), s.utilisation ? num(*s.utilisation) : "-",
                        num(s.queueLength), num(s.residenceSeconds)});
    }
    std::vector<std::size_t> width(rows[0].size());
    for (const auto& r : rows)
        for (std::size_t c = 0; c < r.size(); ++c)
            width[c] = std::max(width[c], r[c].size());
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t c = 0; c < r.size(); ++c) {
            const std::string pad(width[c] - r[c].size(), ' ');
            line += (c < 2 ? r[c] + pad : pad + r[c]) + (c + 1 < r.size() ? "  " : "");
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        std::cout << line << '\n';
    }
    exitCode = kSuccess;
}

void setupMva(CLI::App& command, int& exitCode) {
    auto o = std::make_shared<MvaOptions>();
    command
        .add_option("MODEL", o->file,
                    "JSON: {\"think_time\": Z, \"population\": N, \"stations\": [{\"name\", "
                    "\"demand\" (seconds), \"kind\": \"queue\"|\"delay\"}]}")
        ->required();
    command.add_option("--method", o->method, "Exact MVA, or Schweitzer's approximation")
        ->check(CLI::IsMember({"exact", "schweitzer"}))
        ->type_name("exact|schweitzer")
        ->capture_default_str();
    addFormatOption(command, o->format);
    command.callback([o, &exitCode] { guarded(*o, exitCode, runMva); });
}

// ---- calc usl -------------------------------------------------------------------------------

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

/// The fields of a line, trimmed, with one pair of enclosing double quotes taken off.
std::vector<std::string> splitFields(std::string_view line, char delimiter) {
    std::vector<std::string> fields;
    for (std::size_t start = 0;;) {
        const auto end = line.find(delimiter, start);
        auto field = trim(line.substr(start, end == std::string_view::npos ? end : end - start));
        if (field.size() >= 2 && field.front() == '"' && field.back() == '"')
            field = trim(field.substr(1, field.size() - 2));
        fields.emplace_back(field);
        if (end == std::string_view::npos)
            return fields;
        start = end + 1;
    }
}

std::optional<double> parseNumber(std::string_view text) {
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return v;
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// Measurements from a CSV of N and throughput: a header naming the two columns (in any
/// order, other columns ignored) or no header and exactly those two columns; comma, semicolon
/// or tab separated (as the first line has it); blank lines ignored.
Result<std::vector<UslPoint>> readUslCsv(std::string_view text, const std::string& file) {
    if (text.starts_with("\xEF\xBB\xBF")) // a byte-order mark
        text.remove_prefix(3);
    std::vector<UslPoint> points;
    char delimiter = 0;
    std::size_t columns = 0, nColumn = 0, xColumn = 1;
    const auto at = [](std::size_t line, std::size_t column = 0) {
        return "line " + std::to_string(line) +
               (column ? ", column " + std::to_string(column) : std::string());
    };
    std::size_t lineNumber = 0;
    for (std::size_t start = 0; start <= text.size();) {
        const auto end = std::min(text.find('\n', start), text.size());
        const auto line = trim(text.substr(start, end - start));
        start = end + 1;
        ++lineNumber;
        if (line.empty())
            continue;
        if (!delimiter) {
            delimiter = line.find('\t') != std::string_view::npos  ? '\t'
                        : line.find(';') != std::string_view::npos ? ';'
                                                                   : ',';
            auto fields = splitFields(line, delimiter);
            columns = fields.size();
            const bool numbers = std::all_of(fields.begin(), fields.end(), [](const auto& f) {
                return parseNumber(f).has_value();
            });
            if (!numbers) {
                std::optional<std::size_t> n, x;
                for (std::size_t c = 0; c < fields.size(); ++c) {
                    const auto name = lowercase(fields[c]);
                    if (name == "n" || name == "concurrency") {
                        if (n)
                            return Error{"two columns name N", file, at(lineNumber, c + 1)};
                        n = c;
                    } else if (name == "throughput" || name == "x") {
                        if (x)
                            return Error{"two columns name the throughput", file,
                                         at(lineNumber, c + 1)};
                        x = c;
                    }
                }
                if (!n || !x)
                    return Error{std::string("the header names no ") +
                                     (!n ? "N (or concurrency)" : "throughput (or X)") +
                                     " column; expected a header naming N and throughput, or "
                                     "no header and two columns of numbers",
                                 file, at(lineNumber)};
                nColumn = *n;
                xColumn = *x;
                continue;
            }
            if (columns != 2)
                return Error{"without a header the file needs two columns, N and throughput; "
                             "found " +
                                 std::to_string(columns),
                             file, at(lineNumber)};
        }
        const auto fields = splitFields(line, delimiter);
        if (fields.size() != columns)
            return Error{"expected " + std::to_string(columns) + " fields, found " +
                             std::to_string(fields.size()),
                         file, at(lineNumber)};
        const auto value = [&](std::size_t column, const std::string& name) -> Result<double> {
            const auto parsed = parseNumber(fields[column]);
            if (!parsed)
                return Error{"not a number: '" + fields[column] + "' (" + name + ")", file,
                             at(lineNumber, column + 1)};
            if (!std::isfinite(*parsed) || *parsed <= 0)
                return Error{name + " must be a number above 0, got '" + fields[column] + "'", file,
                             at(lineNumber, column + 1)};
            return *parsed;
        };
        const auto n = value(nColumn, "N");
        if (!n)
            return n.error();
        const auto x = value(xColumn, "throughput");
        if (!x)
            return x.error();
        points.push_back({*n, *x});
    }
    return points;
}

struct UslOptions {
    std::string file;
    Format format = Format::Text;
};

void runUsl(const UslOptions& o, int& exitCode) {
    exitCode = kBadInput;
    const auto text = readText(o.file);
    if (!text) {
        printError(text.error());
        return;
    }
    const auto points = readUslCsv(*text, o.file);
    if (!points) {
        printError(points.error());
        return;
    }
    auto fit = fitUsl(*points);
    if (!fit) {
        Error error = fit.error();
        error.file = o.file;
        printError(error);
        return;
    }
    const UslCoefficients& c = fit->coefficients;
    const std::string noPeak =
        c.kappa == 0 ? "none: kappa is 0" : "none: sigma is 1, throughput never rises";

    if (o.format == Format::Json) {
        Json out;
        out["file"] = o.file;
        out["points"] = points->size();
        out["sigma"] = c.sigma;
        out["kappa"] = c.kappa;
        out["lambda"] = c.lambda;
        out["peak"] =
            fit->peak ? Json{{"n", fit->peak->concurrency}, {"throughput", fit->peak->throughput}}
                      : Json();
        if (!fit->peak)
            out["peak_note"] = noPeak;
        out["contention_limit"] = orNull(fit->contentionLimit);
        out["r_squared"] = orNull(fit->rSquared);
        printJson(out);
    } else {
        std::cout << "USL fit to " << plural(points->size(), "measurement") << " from "
                  << printable(o.file) << '\n';
        row("sigma (contention)", num(c.sigma));
        row("kappa (coherency)", num(c.kappa));
        row("lambda (X at N = 1)", num(c.lambda));
        row("peak", fit->peak ? "N = " + num(fit->peak->concurrency) + ", throughput " +
                                    num(fit->peak->throughput)
                              : noPeak);
        row("R squared", fit->rSquared ? num(*fit->rSquared) : "- (every throughput is equal)");
    }
    exitCode = kSuccess;
}

void setupUsl(CLI::App& command, int& exitCode) {
    auto o = std::make_shared<UslOptions>();
    command
        .add_option("DATA", o->file,
                    "CSV of N and throughput: a header naming them, or two columns of numbers")
        ->required();
    addFormatOption(command, o->format);
    command.callback([o, &exitCode] { guarded(*o, exitCode, runUsl); });
}

} // namespace

void setupCalc(CLI::App& command, int& exitCode) {
    command.require_subcommand(1);
    setupMmc(*command.add_subcommand("mmc", "M/M/c: waiting, mean and percentile response, and "
                                            "the servers a response target needs"),
             exitCode);
    setupFleet(*command.add_subcommand("fleet", "A load-balanced tier of clones: per-clone "
                                                "load, response and saturation throughput"),
               exitCode);
    setupMva(*command.add_subcommand("mva", "Mean Value Analysis of a closed network (exact or "
                                            "Schweitzer) from a JSON model"),
             exitCode);
    setupUsl(*command.add_subcommand(
                 "usl", "Fit the Universal Scalability Law to a CSV of N and throughput"),
             exitCode);
}

} // namespace headroom::cli
