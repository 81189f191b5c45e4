#include "analysis/closed.h"

#include "analysis/topology.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace headroom::analysis {

namespace {

/// Requests per second entering, all clients together, at which a request meets no queue.
constexpr double kLoneRate = 1e-9;

/// Components a user's request reaches through synchronous links, from any client.
std::vector<bool> onUsersPath(const Project& project, const Topology& topology) {
    const std::size_t n = project.components.size();
    std::vector<bool> reached(n, false);
    std::vector<std::size_t> stack;
    for (std::size_t v = 0; v < n; ++v)
        if (project.components[v].kind == ComponentKind::Client)
            stack.push_back(v);
    while (!stack.empty()) {
        const auto at = stack.back();
        stack.pop_back();
        for (const auto l : topology.outLinks[at])
            if (synchronousLink(project, topology, l) && !reached[*topology.to[l]]) {
                reached[*topology.to[l]] = true;
                stack.push_back(*topology.to[l]);
            }
    }
    return reached;
}

} // namespace

Result<ClosedWorkload> closedWorkload(const Project& project, const Analysis& analysis,
                                      const ClosedOptions& options,
                                      const CalibrationResult* calibrated) {
    const std::size_t n = project.components.size();
    if (analysis.components.size() != n)
        return Error{"the analysis is of another project", "", ""};
    ClosedWorkload out;
    out.entryRate = analysis.entryRate;
    if (!(out.entryRate > 0))
        return Error{"no requests enter the system: give a client an arrival rate above 0, so the "
                     "utilisation law can turn utilisations into service demands",
                     "", ""};

    // Think time and responses, weighted by the clients' rates at the analysed load (which
    // may come from their bound metrics rather than the drawing).
    double weight = 0, think = 0, lone = 0, now = 0;
    bool nowKnown = true;
    const double k = analysis.options.loadMultiplier;
    // Every client's answer to a lone request, from one pass over the drawing.
    const auto lonely =
        meanResponses(project, kLoneRate * k / out.entryRate, analysis.options, calibrated);
    for (std::size_t v = 0; v < n; ++v) {
        const auto& c = project.components[v];
        const double rate = analysis.components[v].traffic.calls;
        if (c.kind != ComponentKind::Client || !(rate > 0))
            continue;
        weight += rate;
        think += rate * c.number("think_time_s");
        if (v >= lonely.size() || !lonely[v])
            return Error{"'" + c.name + "' (" + c.id +
                             ") gets no answer even to a lone request: something on its path "
                             "has no capacity at all",
                         "", ""};
        lone += rate * *lonely[v];
        const auto& r = analysis.components[v].station.meanResponse;
        if (r)
            now += rate * *r;
        else
            nowKnown = false;
    }
    if (!(weight > 0))
        return Error{"no client sends requests at the analysed load", "", ""};
    out.thinkSeconds = options.thinkSeconds ? *options.thinkSeconds : think / weight;
    if (!(out.thinkSeconds >= 0) || !std::isfinite(out.thinkSeconds))
        return Error{"the think time must be a number of seconds, 0 or more", "", ""};
    out.zeroLoadResponse = lone / weight;
    if (nowKnown) {
        out.responseNow = now / weight;
        out.usersNow = out.entryRate * (*out.responseNow + out.thinkSeconds); // Little's law
    }

    // A queue per component on the path, D = U / X; the rest of a lone request's time is delay.
    const auto topology = buildTopology(project);
    const auto reached = onUsersPath(project, topology);
    double queued = 0;
    for (std::size_t v = 0; v < n; ++v) {
        const double u = analysis.components[v].station.utilisation();
        if (!(u > 0))
            continue;
        if (!reached[v]) {
            out.leftOut.push_back(v);
            continue;
        }
        if (!std::isfinite(u) || u >= 1)
            return Error{"'" + project.components[v].name + "' (" + project.components[v].id +
                             ") is saturated at the analysed load, so its demand per request "
                             "is unknown: analyse at a lower load multiplier",
                         "", ""};
        const double demand = u / out.entryRate;
        out.stations.push_back({v, demand});
        queued += demand;
        if (!out.bottleneck || demand > out.stations[*out.bottleneck].demandSeconds)
            out.bottleneck = out.stations.size() - 1;
    }
    out.delaySeconds = std::max(0.0, out.zeroLoadResponse - queued);
    if (queued > out.zeroLoadResponse * (1 + 1e-9)) {
        // A pool of few workers held through its calls counts its callees' time again, and a
        // tight rate limit's 1 / limit is no time anyone waits: a lone user is modelled slower.
        char text[64];
        std::snprintf(text, sizeof text, "%.3g ms against %.3g ms", queued * 1000,
                      out.zeroLoadResponse * 1000);
        out.notes.push_back(std::string("the queue demands add up to more than a lone request "
                                        "takes end to end (") +
                            text +
                            "): pools of few workers count their callees' time again, so "
                            "responses at small populations are overstated by the difference");
    }

    for (const auto& s : out.stations)
        out.network.stations.push_back(
            {project.components[s.component].id, s.demandSeconds, MvaStationKind::Queue});
    out.network.stations.push_back({"delay", out.delaySeconds, MvaStationKind::Delay});
    out.network.thinkSeconds = out.thinkSeconds;
    const double largest = out.bottleneck ? out.stations[*out.bottleneck].demandSeconds : 0;
    if (largest > 0) {
        out.maxThroughput = 1 / largest;
        out.saturationUsers = (queued + out.delaySeconds + out.thinkSeconds) / largest;
    }
    int most = options.maxUsers;
    if (most <= 0) {
        const double scale = std::max(out.saturationUsers.value_or(0), out.usersNow.value_or(0));
        most = static_cast<int>(std::clamp(std::ceil(2 * scale), 10.0, double{kMostClosedUsers}));
    }
    most = std::max(most, options.includeUsers);
    if (options.maxWork > 0)
        most = static_cast<int>(std::min<std::size_t>(
            static_cast<std::size_t>(most),
            std::max<std::size_t>(10, options.maxWork / out.network.stations.size())));
    out.network.population = std::clamp(most, 1, kMostClosedUsers);
    if (out.saturationUsers && out.network.population < *out.saturationUsers)
        out.notes.push_back("worked out to " + std::to_string(out.network.population) +
                            " users, short of N*: the curve stops before the bottleneck fills");
    auto curve = exactMvaCurve(out.network);
    if (!curve)
        return curve.error();
    out.curve.reserve(curve->size());
    for (const auto& p : *curve)
        out.curve.push_back({p.population, p.throughputPerSecond, p.responseSeconds,
                             p.throughputPerSecond * largest});
    if (options.responseObjective)
        for (const auto& p : out.curve) {
            if (!(p.responseSeconds <= *options.responseObjective))
                break; // R(n) grows with n
            out.mostUsersWithinObjective = p.users;
        }
    return out;
}

const ClosedPoint& closedPointAt(const ClosedWorkload& workload, int users) {
    static const ClosedPoint none;
    if (workload.curve.empty())
        return none;
    const auto at = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(users, 1)) - 1, 0,
                                            workload.curve.size() - 1);
    return workload.curve[at];
}

} // namespace headroom::analysis
