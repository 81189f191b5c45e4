// headroom-cli simulate PROJECT --scenario NAME: the what-if engine's replay of a load
// scenario through the tiers' autoscalers (core/whatif/simulation.h): the summary per tier,
// the scaling events with the controller's reasons, and with --format json or csv every tick.

#include "cli/command.h"
#include "cli/output.h"
#include "cli/whatif_json.h"
#include "whatif/simulation.h"
#include "whatif/words.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

namespace headroom::cli {
namespace {

using namespace whatif;
using Json = nlohmann::ordered_json;

struct SimulateOptions {
    std::string file;
    std::string scenario;
    std::string component;
    std::string policy;
    double tick = 15;
    double objectiveMs = 500;
    double messageObjectiveS = 300;
    double percentile = 95;
    std::string format = "text";
};

std::string latency(double seconds) {
    if (!std::isfinite(seconds))
        return "no instance ready";
    return seconds >= 10 ? fmt("%.1f s", seconds) : fmt("%.1f ms", seconds * 1000);
}

void printJsonRun(const Simulation& sim, const SimulateOptions& o) {
    Json tiers = Json::array();
    for (const auto& t : sim.tiers) {
        Json events = Json::array();
        for (const auto& e : t.events)
            events.push_back({{"t_s", e.atSeconds},
                              {"from", e.from},
                              {"to", e.to},
                              {"wanted", e.wanted},
                              {"held", e.from == e.to && !e.rollout},
                              {"condition", e.condition},
                              {"reason", e.reason},
                              {"rollout", e.rollout}});
        Json ticks = Json::array();
        std::size_t i = 0;
        for (const auto& k : t.ticks) {
            ticks.push_back({{"t_s", static_cast<double>(i++) * sim.load->tickSeconds},
                             {"offered_rps", k.offeredRps},
                             {"served_rps", k.servedRps},
                             {"desired", k.desired},
                             {"ready", k.ready},
                             {"booting", k.booting},
                             {"draining", k.draining},
                             {"utilisation", finiteOrNull(t.utilisation(k))},
                             {"cpu_percent", t.cpuPercent(k)},
                             {"latency_s", finiteOrNull(k.latencySeconds)},
                             {"backlog", k.backlog},
                             {"dropped", k.dropped},
                             {"cost_usd", t.cost(k)}});
        }
        Json tier = {{"component", t.component},
                     {"policy", t.policy},
                     {"capacity_per_instance_rps", t.capacityPerInstanceRps},
                     {"summary", summaryJson(t.summary)},
                     {"events", std::move(events)}};
        if (!t.rollouts.empty()) {
            Json rollouts = Json::array();
            for (const auto& r : t.rollouts)
                rollouts.push_back({{"start_s", r.startSeconds},
                                    {"end_s", finiteOrNull(r.endSeconds)},
                                    {"desired", r.desired},
                                    {"max_surge", r.maxSurge},
                                    {"max_unavailable", r.maxUnavailable},
                                    {"lowest_ready", r.lowestReady},
                                    {"minutes_over_objective", r.minutesOverObjective}});
            tier["rollouts"] = std::move(rollouts);
        }
        if (!t.forecast.empty()) {
            Json hours = Json::array();
            for (const auto& f : t.forecast)
                hours.push_back({{"t_s", f.atSeconds},
                                 {"forecast", f.forecastLoad},
                                 {"actual", finiteOrNull(f.actualLoad)},
                                 {"capacity", f.forecastCapacity}});
            const auto a = forecastAccuracy(t.forecast);
            tier["forecast"] = {{"unit", t.forecastUnit},
                                {"hours_compared", a.hours},
                                {"mean_absolute_error_percent", a.meanAbsolutePercent},
                                {"bias_percent", a.biasPercent},
                                {"hours", std::move(hours)}};
        }
        tier["ticks"] = std::move(ticks);
        tiers.push_back(std::move(tier));
    }
    printJson({{"scenario", o.scenario},
               {"tick_s", sim.load->tickSeconds},
               {"duration_s", sim.load->seconds()},
               {"latency_objective_s", o.objectiveMs / 1000},
               {"message_objective_s", o.messageObjectiveS},
               {"percentile", o.percentile},
               {"tiers", std::move(tiers)}});
}

void printCsvRun(const Simulation& sim) {
    std::cout.precision(12); // times past a million seconds, rates, to the last digit that counts
    std::cout << "t_s,component,offered_rps,served_rps,desired,ready,booting,draining,"
                 "utilisation,cpu_percent,latency_s,backlog,dropped,cost_usd\n";
    for (const auto& t : sim.tiers) {
        std::size_t i = 0;
        for (const auto& k : t.ticks) {
            // Ids are letters, digits, - _ . (isValidId): no quoting needed.
            std::cout << static_cast<double>(i++) * sim.load->tickSeconds << ',' << t.component
                      << ',' << k.offeredRps << ',' << k.servedRps << ',' << k.desired << ','
                      << k.ready << ',' << k.booting << ',' << k.draining << ','
                      << (std::isfinite(t.utilisation(k)) ? fmt("%g", t.utilisation(k)) : "inf")
                      << ',' << t.cpuPercent(k) << ','
                      << (std::isfinite(k.latencySeconds) ? fmt("%g", k.latencySeconds) : "inf")
                      << ',' << k.backlog << ',' << k.dropped << ',' << t.cost(k) << '\n';
        }
    }
}

void printTextRun(const Simulation& sim, const SimulateOptions& o) {
    std::cout << "Scenario \"" << printable(o.scenario)
              << "\": " << whatif::runClock(sim.load->seconds()) << " in ticks of "
              << sim.load->tickSeconds << " s; objectives (p" << o.percentile
              << "): " << o.objectiveMs << " ms for services, " << o.messageObjectiveS
              << " s for worker groups\n";
    for (const auto& t : sim.tiers) {
        const auto& s = t.summary;
        std::cout << "\n"
                  << t.component << " (" << printable(t.policy) << ", "
                  << fmt("%.1f", t.capacityPerInstanceRps) << " req/s per instance)\n";
        std::cout << "  minutes over objective  " << fmt("%.1f", s.minutesOverObjective) << "\n";
        std::cout << "  peak latency            " << latency(s.peakLatencySeconds) << "\n";
        std::cout << "  dropped requests        " << fmt("%.0f", s.droppedRequests) << "\n";
        std::cout << "  scaling                 " << s.scaleUps << " up, " << s.scaleDowns
                  << " down, " << s.flaps << " reversals within 10 min; peak " << s.peakReplicas
                  << " replicas\n";
        std::cout << "  instance-hours          " << fmt("%.1f", s.instanceHours) << "\n";
        std::cout << "  cost                    " << fmt("%.2f", s.cost) << " USD\n";
        for (const auto& r : t.rollouts)
            std::cout << "  rolling update          at " << whatif::runClock(r.startSeconds) << ": "
                      << (std::isfinite(r.endSeconds) ? fmt("%.0f s", r.endSeconds - r.startSeconds)
                                                      : std::string("not done by the end"))
                      << ", ready fell to " << r.lowestReady << " of " << r.desired << " (surge "
                      << r.maxSurge << ", unavailable " << r.maxUnavailable << "), "
                      << fmt("%.1f", r.minutesOverObjective) << " min over the objective\n";
        if (!t.forecast.empty()) {
            const auto a = forecastAccuracy(t.forecast);
            std::cout << "  predictive forecast     " << t.forecast.size() << " hours of "
                      << t.forecastUnit << "; against the " << a.hours
                      << " seen: mean absolute error " << fmt("%.1f", a.meanAbsolutePercent)
                      << "%, bias " << fmt("%+.1f", a.biasPercent) << "%\n";
        }
        if (t.events.empty())
            continue;
        std::cout << "  events (held: a change the metrics wanted and the controller did not "
                     "make)\n";
        constexpr std::size_t kShown = 40;
        for (std::size_t i = 0; i < t.events.size() && i < kShown; ++i) {
            const auto& e = t.events[i];
            std::cout << "    " << whatif::runClock(e.atSeconds) << "  "
                      << (e.rollout        ? "rolling update at " + std::to_string(e.from)
                          : e.from == e.to ? "held at " + std::to_string(e.from) + " (wanted " +
                                                 std::to_string(e.wanted) + ")"
                                           : std::to_string(e.from) + " -> " + std::to_string(e.to))
                      << "  " << e.condition << "\n";
        }
        if (t.events.size() > kShown)
            std::cout << "    ... " << t.events.size() - kShown
                      << " more (--format json lists them all, with the reasons in words)\n";
    }
}

void run(const SimulateOptions& o, int& exitCode) {
    auto project = loadOrReport(o.file, exitCode);
    if (!project)
        return;
    const auto* scenario = project->findScenario(o.scenario);
    if (!scenario) {
        std::string known;
        for (const auto& s : project->scenarios)
            known += (known.empty() ? "" : ", ") + ("\"" + s.name + "\"");
        printError({"no scenario \"" + o.scenario + "\" (the project has " +
                        (known.empty() ? std::string("none") : known) + ")",
                    o.file, "--scenario"});
        exitCode = kBadInput;
        return;
    }
    SimulationOptions options;
    options.tickSeconds = o.tick;
    options.component = o.component;
    options.policy = o.policy;
    options.latencyObjectiveSeconds = o.objectiveMs / 1000;
    options.messageObjectiveSeconds = o.messageObjectiveS;
    options.percentile = o.percentile / 100;
    const auto sim = simulate(*project, *scenario, options);
    if (!sim) {
        auto error = sim.error();
        error.file = o.file;
        printError(error);
        exitCode = kBadInput;
        return;
    }
    if (o.format == "json")
        printJsonRun(*sim, o);
    else if (o.format == "csv")
        printCsvRun(*sim);
    else
        printTextRun(*sim, o);
    exitCode = kSuccess;
}

} // namespace

void setupSimulate(CLI::App& command, int& exitCode) {
    auto o = std::make_shared<SimulateOptions>();
    command.add_option("PROJECT", o->file, "Project (.headroom or .headroom.json)")->required();
    command.add_option("--scenario", o->scenario, "The load scenario to replay, by name")
        ->required();
    command.add_option("--component", o->component,
                       "Only this tier (default: every tier with a policy)");
    command.add_option("--policy", o->policy, "The policy to use, by name (default: the first)");
    command.add_option("--tick", o->tick, "Seconds per tick")
        ->check(CLI::Range(1.0, 3600.0))
        ->capture_default_str();
    command
        .add_option("--latency-objective-ms", o->objectiveMs,
                    "Percentile response above which a minute counts against the objective")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command
        .add_option("--message-objective-s", o->messageObjectiveS,
                    "For worker groups: the percentile time from enqueue to done")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command.add_option("--percentile", o->percentile, "Response-time percentile")
        ->check(CLI::Range(1.0, 99.99))
        ->capture_default_str();
    command.add_option("--format", o->format, "Output: text (summary and events), json, csv")
        ->check(CLI::IsMember({"text", "json", "csv"}))
        ->type_name("text|json|csv")
        ->capture_default_str();
    command.callback([o, &exitCode] {
        try {
            run(*o, exitCode);
        } catch (const std::exception& e) {
            printError({std::string("cannot simulate this: ") + e.what(), o->file, ""});
            exitCode = kBadInput;
        }
    });
}

} // namespace headroom::cli
