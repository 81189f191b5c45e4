#pragma once
// How fast an autoscaling policy can add and remove instances: its stabilisation windows and
// the most pods a minute its rate policies allow each way, at a given count. The design check
// "scale-down-faster-than-scale-up" (analysis/design_checks.cpp) compares the two.

#include "model/scenario.h"

#include <optional>

namespace headroom::whatif {

struct ReactionRates {
    int upWindowSeconds = 0, downWindowSeconds = 0;
    double upPodsPerMinute = 0, downPodsPerMinute = 0; ///< at the count given
};

/// For a Kubernetes HPA, or the HPA a KEDA ScaledObject creates, at `replicas`; nothing for
/// other kinds or a definition that does not parse (the simulation reports that).
std::optional<ReactionRates> reactionRates(const AutoscalingPolicy& policy, int replicas,
                                           int controllerDownscaleWindowSeconds = 300);

} // namespace headroom::whatif
