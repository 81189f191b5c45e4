#include "whatif/policy_rates.h"

#include "whatif/hpa_state.h"
#include "whatif/keda.h"

#include <algorithm>
#include <cmath>

namespace headroom::whatif {
namespace {

/// The most pods a minute a direction's policies allow at `replicas`: each policy's change per
/// period scaled to a minute, the largest (selectPolicy Max) or smallest (Min), 0 if Disabled.
double perMinute(const hpa::ScalingRules& rules, int replicas) {
    if (rules.selectPolicy == hpa::SelectPolicy::Disabled)
        return 0;
    std::optional<double> chosen;
    for (const auto& p : rules.policies) {
        const double change =
            p.type == hpa::PolicyType::Pods ? p.value : std::ceil(replicas * p.value / 100.0);
        const double rate = change * 60.0 / std::max(1, p.periodSeconds);
        if (!chosen ||
            (rules.selectPolicy == hpa::SelectPolicy::Min ? rate < *chosen : rate > *chosen))
            chosen = rate;
    }
    return chosen.value_or(0);
}

} // namespace

std::optional<ReactionRates> reactionRates(const AutoscalingPolicy& policy, int replicas,
                                           int controllerDownscaleWindowSeconds) {
    std::optional<hpa::Spec> spec;
    if (policy.kind == PolicyKind::KubernetesHpa) {
        if (auto s = hpa::parseHpaSpec(policy.definition))
            spec = std::move(s).value();
    } else if (policy.kind == PolicyKind::Keda) {
        if (auto o = keda::parseScaledObject(policy.definition))
            spec = o->hpa;
    }
    if (!spec)
        return std::nullopt;
    ReactionRates r;
    if (!spec->behavior) {
        // The legacy rules: up to max(2 x current, 4) replicas in all at a sync (15 s), so
        // max(2N, 4) - N added; down at once once the controller's window has passed.
        r.upWindowSeconds = 0;
        r.downWindowSeconds = controllerDownscaleWindowSeconds;
        r.upPodsPerMinute = (std::max(2 * replicas, 4) - replicas) * 4.0;
        r.downPodsPerMinute = replicas * 4.0;
        return r;
    }
    const auto up = hpa::scaleUpRules(spec->behavior->scaleUp);
    const auto down =
        hpa::scaleDownRules(spec->behavior->scaleDown, controllerDownscaleWindowSeconds);
    r.upWindowSeconds = up.stabilizationWindowSeconds.value_or(0);
    r.downWindowSeconds =
        down.stabilizationWindowSeconds.value_or(controllerDownscaleWindowSeconds);
    r.upPodsPerMinute = perMinute(up, replicas);
    r.downPodsPerMinute = perMinute(down, replicas);
    return r;
}

} // namespace headroom::whatif
