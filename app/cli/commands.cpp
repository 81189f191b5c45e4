#include "cli/command.h"

namespace headroom::cli {

void setupInfo(CLI::App& command, int& exitCode);
void setupValidate(CLI::App& command, int& exitCode);
void setupConvert(CLI::App& command, int& exitCode);
void setupLayout(CLI::App& command, int& exitCode);
void setupRender(CLI::App& command, int& exitCode);
void setupImport(CLI::App& command, int& exitCode);
void setupSeries(CLI::App& command, int& exitCode);
void setupAnalyze(CLI::App& command, int& exitCode);
void setupUsers(CLI::App& command, int& exitCode);
void setupCalc(CLI::App& command, int& exitCode);
void setupHpa(CLI::App& command, int& exitCode);
void setupSimulate(CLI::App& command, int& exitCode);
void setupSweep(CLI::App& command, int& exitCode);
void setupRecommend(CLI::App& command, int& exitCode);

namespace {
// Add a subcommand: write cmd_<name>.cpp with its setup function and list it here.
constexpr CommandSpec kCommands[] = {
    {"info", "Summarise a project: components, links, zones and validation counts", &setupInfo},
    {"validate", "Check a project for errors; exit 1 when it has any", &setupValidate},
    {"convert", "Convert between .headroom and .headroom.json (chosen by extension)",
     &setupConvert},
    {"layout", "Auto-layout the topology (as the GUI does) and write the positions", &setupLayout},
    {"render", "Draw the canvas as the GUI does into an SVG, PNG or PDF file", &setupRender},
    {"import", "Import metric series (CSV) into a .headroom project, optionally bound to a role",
     &setupImport},
    {"series", "List a project's metric series, or export one as CSV", &setupSeries},
    {"analyze", "Bottleneck analysis: utilisation, latency, headroom, saturation order, findings",
     &setupAnalyze},
    {"users", "The system as N users thinking between requests: throughput and response by MVA",
     &setupUsers},
    {"calc", "Queueing calculators for reviews: mmc, fleet, mva, usl", &setupCalc},
    {"hpa", "Kubernetes HPA: why it decides what it decides (decide STATE)", &setupHpa},
    {"simulate", "Replay a load scenario through the tiers' autoscalers: SLO minutes, events, cost",
     &setupSimulate},
    {"sweep", "Try a tier's HPA over a grid of settings: cost against SLO minutes, Pareto front",
     &setupSweep},
    {"recommend", "The cheapest HPA for a tier that meets the objective, and why (--save keeps it)",
     &setupRecommend},
};
} // namespace

std::span<const CommandSpec> commands() {
    return kCommands;
}

} // namespace headroom::cli
