// headroom-cli calc mmc|fleet|mva|usl: the queueing formulas under the analysis, on numbers
// typed in or a small file, for design reviews and back-of-the-envelope checks without a
// project. Bad input (a nonsense number, an unreadable or malformed file) exits 2 and says what
// and where.

#include "analysis/fleet.h"
#include "analysis/queueing.h"
#include "cli/calc_support.h"

#include <algorithm>
#include <climits>
#include <vector>

namespace headroom::cli {
namespace calc {
namespace {

using namespace analysis;

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
        out["model"] = std::string(f.model);
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
        row("model", std::string(f.model));
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

} // namespace
} // namespace calc

void setupCalc(CLI::App& command, int& exitCode) {
    command.require_subcommand(1);
    calc::setupMmc(*command.add_subcommand("mmc",
                                           "M/M/c: waiting, mean and percentile response, and "
                                           "the servers a response target needs"),
                   exitCode);
    calc::setupFleet(*command.add_subcommand("fleet", "A load-balanced tier of clones: per-clone "
                                                      "load, response and saturation throughput"),
                     exitCode);
    calc::setupMva(*command.add_subcommand("mva",
                                           "Mean Value Analysis of a closed network (exact or "
                                           "Schweitzer) from a JSON model"),
                   exitCode);
    calc::setupUsl(*command.add_subcommand(
                       "usl", "Fit the Universal Scalability Law to a CSV of N and throughput"),
                   exitCode);
}

} // namespace headroom::cli
