#pragma once
// A tier's HPA swept over a grid of settings (the metric it follows and its target, min and
// max replicas, the scale-down stabilisation window, and the pods' CPU request, so replicas
// and requests are sized together), each point replayed through the same scenario on all
// cores; the Pareto front of cost against minutes over the objective, and the cheapest policy
// that meets the objective, recommended with the reason in words. docs/simulation.md
// ("Sweep and recommendation") gives the rules.

#include "whatif/simulation.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace headroom::whatif {

/// The signal a swept HPA follows, and what its target percent means.
enum class ScalingMetric {
    Cpu,      ///< Resource cpu, Utilization: target% of the CPU request
    Requests, ///< Pods requests_per_second, AverageValue: target% of an instance's capacity
    Backlog,  ///< External backlog, AverageValue: target% of 30 s of an instance's capacity
    Latency,  ///< Object latency_seconds, Value: target% of the latency objective
};

const char* toKey(ScalingMetric metric);
std::optional<ScalingMetric> scalingMetricFromKey(std::string_view key);

struct SweepGrid {
    std::vector<ScalingMetric> metrics = {ScalingMetric::Cpu};
    std::vector<int> targetPercent = {40, 50, 60, 70, 80, 90};
    std::vector<int> minReplicas;             ///< empty: the base policy's
    std::vector<int> maxReplicas;             ///< empty: the base policy's
    std::vector<int> scaleDownWindowSeconds;  ///< empty: the base policy's behaviour
    std::vector<double> cpuRequestMillicores; ///< empty: the component's
    [[nodiscard]] std::size_t size() const;
};

struct SweepPoint {
    ScalingMetric metric = ScalingMetric::Cpu;
    int targetPercent = 0;
    int minReplicas = 0, maxReplicas = 0;
    std::optional<int> scaleDownWindowSeconds;
    double cpuRequestMillicores = 0;
    hpa::Spec spec;   ///< the HPA this point runs
    std::string name; ///< its settings in words: "cpu 60%, min 4, max 24, ..."
    TierSummary summary;
    bool meetsObjective = false; ///< within the allowed minutes, nothing dropped
};

struct SweepOptions {
    double allowedMinutesOver = 0; ///< minutes over the latency objective a policy may have
    /// Called from the worker threads after each point (done, total); false cancels the sweep.
    std::function<bool(std::size_t, std::size_t)> progress;
};

struct Sweep {
    std::string component;
    std::string basePolicy;          ///< the tier's policy the grid varies
    TierSummary base;                ///< that policy on the same scenario
    std::vector<SweepPoint> points;  ///< in grid order
    std::vector<std::size_t> pareto; ///< points no other is both cheaper and better on, by cost
    std::optional<std::size_t> recommended;
    std::string reason; ///< the recommendation (or why there is none) in words
    bool cancelled = false;
};

Result<Sweep> sweep(const Project& project, const Scenario& scenario, const std::string& component,
                    const SweepGrid& grid, const SimulationOptions& simulation = {},
                    const SweepOptions& options = {});

} // namespace headroom::whatif
