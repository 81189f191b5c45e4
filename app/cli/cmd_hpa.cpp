// headroom-cli hpa decide STATE: one Kubernetes HPA decision (core/whatif/hpa.h), for users
// asking "why did my HPA do that?". STATE is JSON or YAML (by extension, else by its first
// character); its fields are in docs/autoscalers.md.

#include "cli/calc_support.h"
#include "whatif/hpa_state.h"

#include <memory>

namespace headroom::cli {
namespace {

using namespace whatif::hpa;
using Json = nlohmann::ordered_json;

struct DecideOptions {
    std::string file;
    Format format = Format::Text;
};

bool looksLikeYaml(const std::string& path, const std::string& text) {
    const auto dot = path.rfind('.');
    const auto extension = dot == std::string::npos ? "" : path.substr(dot);
    if (extension == ".yaml" || extension == ".yml")
        return true;
    if (extension == ".json")
        return false;
    const auto first = text.find_first_not_of(" \t\r\n");
    return first == std::string::npos || text[first] != '{';
}

Json conditionJson(const Condition& c, bool status) {
    return {{"status", status ? "True" : "False"}, {"reason", c.reason}, {"message", c.message}};
}

void printJsonDecision(const State& state, const Decision& d) {
    Json proposals = Json::array();
    for (const auto& p : d.proposals)
        proposals.push_back({{"metric", p.metric},
                             {"replicas", p.replicas ? Json(*p.replicas) : Json()},
                             {"usageRatio", p.replicas ? Json(p.usageRatio) : Json()},
                             {"current", p.current},
                             {"target", p.target},
                             {"why", p.why},
                             {"error", p.error.empty() ? Json() : Json(p.error)}});
    Json out = {
        {"currentReplicas", state.currentReplicas},
        {"desiredReplicas", d.desiredReplicas},
        {"rescale", d.rescale},
        {"proposals", proposals},
        {"metricReplicas", d.metricReplicas ? Json(*d.metricReplicas) : Json()},
        {"metric", d.metricName.empty() ? Json() : Json(d.metricName)},
        {"stabilizedReplicas", d.stabilizedReplicas ? Json(*d.stabilizedReplicas) : Json()},
        {"limitingCondition",
         d.scalingLimited.reason.empty() ? Json() : Json(d.scalingLimited.reason)},
        {"conditions",
         {{"ScalingActive",
           d.scalingActive.reason.empty()
               ? Json()
               : conditionJson(d.scalingActive, d.scalingActive.reason == "ValidMetricFound")},
          {"AbleToScale",
           d.ableToScale.reason.empty() ? Json() : conditionJson(d.ableToScale, true)},
          {"ScalingLimited",
           d.scalingLimited.reason.empty() ? Json() : conditionJson(d.scalingLimited, d.limited)}}},
        {"rescaleReason", d.rescaleReason.empty() ? Json() : Json(d.rescaleReason)},
        {"reason", d.reason},
        // What the controller remembers for its next syncs: add these to `history` (with
        // ageSeconds 0, growing by the sync period) to chain decisions.
        {"remember",
         {{"recommendation", d.recommendationToStore ? Json(*d.recommendationToStore) : Json()},
          {"scaleEvent", d.scaleEventToStore ? Json(*d.scaleEventToStore) : Json()}}},
    };
    printJson(out);
}

void printTextDecision(const State& state, const Decision& d) {
    using calc::row;
    row("desiredReplicas",
        std::to_string(d.desiredReplicas) +
            (d.rescale ? " (from " + std::to_string(state.currentReplicas) + ")" : " (no change)"));
    for (const auto& p : d.proposals) {
        std::cout << "\n" << printable(p.metric) << "\n";
        if (p.replicas) {
            row("  proposes", std::to_string(*p.replicas));
            row("  current / target", printable(p.current) + " / " + printable(p.target));
            row("  why", printable(p.why));
        } else {
            row("  not computed", printable(p.error));
        }
    }
    std::cout << "\n";
    if (d.metricReplicas)
        row("largest proposal", std::to_string(*d.metricReplicas));
    if (d.stabilizedReplicas)
        row("after stabilisation", std::to_string(*d.stabilizedReplicas));
    if (!d.scalingActive.reason.empty())
        row("ScalingActive",
            std::string(d.scalingActive.reason) + ": " + printable(d.scalingActive.message));
    if (!d.ableToScale.reason.empty())
        row("AbleToScale", std::string(d.ableToScale.reason) + ": " + d.ableToScale.message);
    if (!d.scalingLimited.reason.empty())
        row(d.limited ? "ScalingLimited (True)" : "ScalingLimited (False)",
            std::string(d.scalingLimited.reason) + ": " + d.scalingLimited.message);
    if (d.recommendationToStore || d.scaleEventToStore) {
        std::string remember;
        if (d.recommendationToStore)
            remember = "recommendation " + std::to_string(*d.recommendationToStore);
        if (d.scaleEventToStore)
            remember += (remember.empty() ? "" : ", ") + std::string("scale event ") +
                        (*d.scaleEventToStore > 0 ? "+" : "") +
                        std::to_string(*d.scaleEventToStore);
        row("remembered for next syncs", remember);
    }
    std::cout << "\n" << printable(d.reason) << "\n";
}

void runDecide(const DecideOptions& o, int& exitCode) {
    const auto text = calc::readText(o.file);
    if (!text) {
        printError(text.error());
        exitCode = kBadInput;
        return;
    }
    const auto parsed = parseState(*text, looksLikeYaml(o.file, *text), o.file);
    if (!parsed) {
        printError(parsed.error());
        exitCode = kBadInput;
        return;
    }
    const auto decision = decide(parsed->state, parsed->settings);
    if (o.format == Format::Json)
        printJsonDecision(parsed->state, decision);
    else
        printTextDecision(parsed->state, decision);
    exitCode = kSuccess;
}

void setupDecide(CLI::App& command, int& exitCode) {
    auto o = std::make_shared<DecideOptions>();
    command
        .add_option("STATE", o->file,
                    "JSON or YAML: {hpa: a HorizontalPodAutoscaler (autoscaling/v2), "
                    "currentReplicas, pods, metricValues, history, controller}")
        ->required();
    addFormatOption(command, o->format);
    command.callback([o, &exitCode] { calc::guarded(*o, exitCode, runDecide); });
}

} // namespace

void setupHpa(CLI::App& command, int& exitCode) {
    command.require_subcommand(1);
    setupDecide(*command.add_subcommand("decide",
                                        "One HPA decision as Kubernetes' controller makes it: each "
                                        "metric's proposal, stabilisation, limits, and why"),
                exitCode);
}

} // namespace headroom::cli
