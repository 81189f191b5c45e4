// headroom-cli sweep and recommend PROJECT --scenario NAME --component ID [grid]: a tier's HPA
// swept over a grid of settings (core/whatif/sweep.h) on all cores. sweep prints every policy
// tried (cheapest first, the Pareto front marked) and the recommendation; recommend prints the
// recommendation, the reason and the HorizontalPodAutoscaler it amounts to, and with --save
// adds it to the project's policies.

#include "cli/command.h"
#include "cli/output.h"
#include "cli/whatif_json.h"
#include "storage/project_io.h"
#include "whatif/hpa_state.h"
#include "whatif/sweep.h"
#include "whatif/words.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

namespace headroom::cli {
namespace {

using namespace whatif;
using Json = nlohmann::ordered_json;

struct SweepCliOptions {
    std::string file, scenario, component;
    std::vector<std::string> metrics{"cpu"};
    std::vector<int> targets{40, 50, 60, 70, 80, 90};
    std::vector<int> mins, maxs, windows;
    std::vector<double> requests;
    double allowedMinutes = 0;
    double objectiveMs = 500;
    double messageObjectiveS = 300;
    std::string save; ///< recommend: the name to save the recommendation under
    Format format = Format::Text;
    bool recommendOnly = false;
};

void addGridOptions(CLI::App& command, SweepCliOptions& o) {
    command.add_option("PROJECT", o.file, "Project (.headroom or .headroom.json)")->required();
    command.add_option("--scenario", o.scenario, "The load scenario, by name")->required();
    command.add_option("--component", o.component, "The tier to size")->required();
    command
        .add_option("--metrics", o.metrics,
                    "Signals to try: cpu, requests, backlog, latency (percent of the objective)")
        ->delimiter(',')
        ->check(CLI::IsMember({"cpu", "requests", "backlog", "latency"}))
        ->capture_default_str();
    command
        .add_option("--targets", o.targets,
                    "Target percents: of the CPU request (cpu), of an instance's capacity "
                    "(requests), of 30 s of it (backlog), of the latency objective (latency)")
        ->delimiter(',')
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    command.add_option("--min", o.mins, "Min replicas to try (default: the policy's)")
        ->delimiter(',')
        ->check(CLI::Range(0, 100000));
    command.add_option("--max", o.maxs, "Max replicas to try (default: the policy's)")
        ->delimiter(',')
        ->check(CLI::Range(1, 100000));
    command
        .add_option("--scale-down-windows", o.windows,
                    "Scale-down stabilisation windows in seconds (default: the policy's)")
        ->delimiter(',')
        ->check(CLI::Range(0, 3600));
    command
        .add_option("--cpu-requests", o.requests,
                    "CPU requests in millicores to try with them (default: the component's)")
        ->delimiter(',')
        ->check(CLI::Range(1.0, 1e6));
    command
        .add_option("--allowed-minutes", o.allowedMinutes,
                    "Minutes over the latency objective a policy may have and still meet it")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    command.add_option("--latency-objective-ms", o.objectiveMs, "Services' p95 objective")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command
        .add_option("--message-objective-s", o.messageObjectiveS,
                    "Worker groups' p95 time from enqueue to done")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    addFormatOption(command, o.format);
}

void printText(const Sweep& s, const SweepCliOptions& o) {
    if (!o.recommendOnly) {
        std::vector<std::size_t> order(s.points.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return s.points[a].summary.cost < s.points[b].summary.cost;
        });
        std::cout << "   cost USD  min over  dropped  changes  peak  policy (* Pareto front, "
                     "> recommended)\n";
        for (const auto i : order) {
            const auto& p = s.points[i];
            const bool front = std::find(s.pareto.begin(), s.pareto.end(), i) != s.pareto.end();
            std::cout << (s.recommended == i ? '>' : ' ') << (front ? '*' : ' ')
                      << fmt("%9.2f", p.summary.cost)
                      << fmt("%10.1f", p.summary.minutesOverObjective)
                      << fmt("%9.0f", p.summary.droppedRequests)
                      << fmt("%9.0f", p.summary.scaleUps + p.summary.scaleDowns)
                      << fmt("%6.0f", p.summary.peakReplicas) << "  " << printable(p.name) << "\n";
        }
        std::cout << "\n";
    }
    std::cout << printable(s.reason) << "\n";
    if (s.recommended)
        std::cout << "\n" << hpaObjectJson(s.points[*s.recommended].spec, s.component) << "\n";
}

void printJsonSweep(const Sweep& s, const SweepCliOptions& o) {
    Json points = Json::array();
    for (std::size_t i = 0; i < s.points.size(); ++i) {
        const auto& p = s.points[i];
        points.push_back(
            {{"name", p.name},
             {"metric", toKey(p.metric)},
             {"target_percent", p.targetPercent},
             {"min_replicas", p.minReplicas},
             {"max_replicas", p.maxReplicas},
             {"scale_down_window_s",
              p.scaleDownWindowSeconds ? Json(*p.scaleDownWindowSeconds) : Json()},
             {"cpu_request_millicores", p.cpuRequestMillicores},
             {"meets_objective", p.meetsObjective},
             {"pareto", std::find(s.pareto.begin(), s.pareto.end(), i) != s.pareto.end()},
             {"summary", summaryJson(p.summary)}});
    }
    Json out = {{"scenario", o.scenario},
                {"component", s.component},
                {"base_policy", s.basePolicy},
                {"base", summaryJson(s.base)},
                {"recommended", s.recommended ? Json(s.points[*s.recommended].name) : Json()},
                {"hpa", s.recommended
                            ? Json::parse(hpaObjectJson(s.points[*s.recommended].spec, s.component))
                            : Json()},
                {"reason", s.reason}};
    if (!o.recommendOnly)
        out["points"] = std::move(points);
    printJson(out);
}

/// Adds the recommendation to the project as a policy named `name` (replacing one of that
/// name for the same tier) and saves the file.
bool saveRecommendation(Project project, const Sweep& s, const SweepCliOptions& o) {
    AutoscalingPolicy policy{
        o.save, s.component, PolicyKind::KubernetesHpa,
        Json::parse(hpaObjectJson(s.points[*s.recommended].spec, s.component)).dump()};
    std::erase_if(project.policies, [&](const AutoscalingPolicy& p) {
        return p.component == s.component && p.name == o.save;
    });
    project.policies.push_back(std::move(policy));
    // The HPA was chosen together with the pods' CPU request: the request goes with it, or the
    // saved policy would run against another request than the one it was chosen for.
    const double request = s.points[*s.recommended].cpuRequestMillicores;
    auto* tier = project.findComponent(s.component);
    const bool newRequest =
        tier && request > 0 && tier->number("cpu_request_millicores") != request;
    if (newRequest)
        tier->properties["cpu_request_millicores"] = request;
    const auto saved = saveProject(project, o.file);
    if (!saved) {
        printError(saved.error());
        return false;
    }
    std::cerr << "Saved the recommendation as policy \"" << printable(o.save) << "\" of "
              << s.component
              << (newRequest ? ", with its CPU request set to " + whatif::shortNumber(request) + "m"
                             : "")
              << " in " << printable(o.file) << "\n";
    return true;
}

void run(const SweepCliOptions& o, int& exitCode) {
    auto project = loadOrReport(o.file, exitCode);
    if (!project)
        return;
    const auto* scenario = project->findScenario(o.scenario);
    if (!scenario) {
        printError({"no scenario \"" + o.scenario + "\"", o.file, "--scenario"});
        exitCode = kBadInput;
        return;
    }
    SweepGrid grid;
    grid.metrics.clear();
    for (const auto& m : o.metrics)
        grid.metrics.push_back(*scalingMetricFromKey(m));
    grid.targetPercent = o.targets;
    grid.minReplicas = o.mins;
    grid.maxReplicas = o.maxs;
    grid.scaleDownWindowSeconds = o.windows;
    grid.cpuRequestMillicores = o.requests;
    SimulationOptions simulation;
    simulation.latencyObjectiveSeconds = o.objectiveMs / 1000;
    simulation.messageObjectiveSeconds = o.messageObjectiveS;
    SweepOptions options;
    options.allowedMinutesOver = o.allowedMinutes;
    const auto s = sweep(*project, *scenario, o.component, grid, simulation, options);
    if (!s) {
        auto error = s.error();
        error.file = o.file;
        printError(error);
        exitCode = kBadInput;
        return;
    }
    if (o.format == Format::Json)
        printJsonSweep(*s, o);
    else
        printText(*s, o);
    exitCode = kSuccess;
    if (!o.save.empty()) {
        if (!s->recommended) {
            printError({"nothing to save: no policy in the grid meets the objective", o.file, ""});
            exitCode = kValidationErrors;
        } else if (!saveRecommendation(*project, *s, o)) {
            exitCode = kBadInput;
        }
    }
}

void setup(CLI::App& command, int& exitCode, bool recommendOnly) {
    auto o = std::make_shared<SweepCliOptions>();
    o->recommendOnly = recommendOnly;
    addGridOptions(command, *o);
    if (recommendOnly)
        command.add_option("--save", o->save,
                           "Add the recommended HPA to the project's policies under this name (and "
                           "the CPU request it was chosen with to the tier)");
    command.callback([o, &exitCode] {
        try {
            run(*o, exitCode);
        } catch (const std::exception& e) {
            printError({std::string("cannot sweep this: ") + e.what(), o->file, ""});
            exitCode = kBadInput;
        }
    });
}

} // namespace

void setupSweep(CLI::App& command, int& exitCode) {
    setup(command, exitCode, false);
}

void setupRecommend(CLI::App& command, int& exitCode) {
    setup(command, exitCode, true);
}

} // namespace headroom::cli
