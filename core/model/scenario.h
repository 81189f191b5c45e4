#pragma once
// What the what-if engine replays (issue 7), saved in the project: load scenarios (a recorded
// arrival-rate series, or a synthetic shape, then transforms), and the autoscaling policy of
// each scalable tier, kept in the autoscaler's own configuration format (a Kubernetes
// HorizontalPodAutoscaler, ...) so that what users paste in and what Headroom exports are the
// same documents. core/whatif/ turns them into load over time and simulated fleets;
// docs/simulation.md describes both.

#include "common/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace headroom {

/// A synthetic arrival rate: a daily cycle (a cosine peaking at `peakHour`), a weekend factor
/// on Saturdays and Sundays, and optionally Poisson noise at each tick.
struct SyntheticLoad {
    double meanRps = 100;        ///< the average over a weekday
    double days = 7;             ///< length, from Monday 00:00
    double dailyAmplitude = 0.5; ///< peak = mean (1 + a), trough = mean (1 - a)
    double peakHour = 14;        ///< hour of the daily peak (0-24)
    double weekendFactor = 1;    ///< rate multiplier on Saturday and Sunday
    bool poissonNoise = false;   ///< arrivals per tick drawn from a Poisson distribution
    std::uint64_t seed = 1;      ///< of the noise, so a run can be repeated
    bool operator==(const SyntheticLoad&) const = default;
};

enum class TransformKind {
    Scale,  ///< rate x factor
    Growth, ///< + percentPerMonth, linear or compounded, from the start
    Step,   ///< rate x factor from atHours on
    Spike,  ///< rate x (1 + (factor - 1) s(t)): s rises linearly over riseMinutes from
            ///< atHours, then decays exponentially with time constant decayMinutes
    Repeat, ///< the whole series `times` times back to back
};

struct ScenarioTransform {
    TransformKind kind = TransformKind::Scale;
    double factor = 1;
    double atHours = 0;
    double riseMinutes = 5;
    double decayMinutes = 30;
    double percentPerMonth = 0;
    bool compounded = false;
    int times = 1;
    bool operator==(const ScenarioTransform&) const = default;
};

/// A rolling update of a Deployment during the scenario (apps/v1 RollingUpdate): every pod
/// replaced, at most `maxSurge` above the desired count and at most `maxUnavailable` below
/// it, each a count ("1") or a percent of the desired count ("25%": surge rounds up,
/// unavailable down), new pods serving after the tier's boot time.
struct RollingDeploy {
    double atHours = 0;
    std::string component; ///< the tier; empty: every tier simulated
    std::string maxSurge = "25%";
    std::string maxUnavailable = "25%";
    bool operator==(const RollingDeploy&) const = default;
};

/// "25%" or "3" resolved against `desired`, as Kubernetes resolves an IntOrString; nothing
/// when the text is neither.
std::optional<int> resolveIntOrPercent(std::string_view text, int desired, bool roundUp);

struct Scenario {
    std::string name;
    std::string description;
    /// Recorded: the arrival-rate series bound to `component` (role arrival_rate) is the load
    /// at that component. Synthetic: `synthetic` is the load at `component`, or, when it is
    /// empty, the rate entering the system (all clients together).
    bool recorded = false;
    std::string component;
    SyntheticLoad synthetic;
    std::vector<ScenarioTransform> transforms;
    std::vector<RollingDeploy> deploys;
    bool operator==(const Scenario&) const = default;
};

/// Which autoscaler a policy configures.
enum class PolicyKind {
    Fixed,          ///< a constant replica count: {"replicas": N}
    KubernetesHpa,  ///< a HorizontalPodAutoscaler (autoscaling/v2) object or its spec
    AwsAutoScaling, ///< an EC2 Auto Scaling group: sizes, scaling policies, scheduled actions
    Keda,           ///< a KEDA ScaledObject (keda.sh/v1alpha1) or its spec
};

struct AutoscalingPolicy {
    std::string name;
    std::string component; ///< the tier it scales
    PolicyKind kind = PolicyKind::KubernetesHpa;
    std::string definition; ///< the autoscaler's configuration, as compact JSON
    bool operator==(const AutoscalingPolicy&) const = default;
};

const char* toKey(TransformKind kind);
const char* toKey(PolicyKind kind);

/// A scenario or policy as a JSON object (the form both project files store), and back; a
/// problem names its JSON pointer.
std::string scenarioToJson(const Scenario& scenario);
Result<Scenario> scenarioFromJson(std::string_view json);
std::string policyToJson(const AutoscalingPolicy& policy);
Result<AutoscalingPolicy> policyFromJson(std::string_view json);

} // namespace headroom
