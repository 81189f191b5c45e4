#pragma once
// A KEDA ScaledObject (keda.sh/v1alpha1) as KEDA runs it: KEDA itself decides 0 <-> 1 (a
// trigger is active when its value is above its activation threshold; back to zero only a
// cooldownPeriod after the last active poll), and the HorizontalPodAutoscaler it creates
// decides 1 <-> N on each trigger as an External metric (AverageValue: the queue length per
// replica). keda_autoscaler.cpp replays it; docs/autoscalers.md ("KEDA") lists the rules with
// their sources in KEDA's code.

#include "common/result.h"
#include "whatif/hpa.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::whatif::keda {

struct Trigger {
    std::string type;      ///< rabbitmq, aws-sqs-queue, kafka, nats-jetstream, redis, cpu
    bool cpu = false;      ///< a CPU trigger: scales on utilisation; active only with no queue
    double target = 0;     ///< messages per replica, or CPU percent of the request
    double activation = 0; ///< active when the queue holds more than this
    /// Of the External metric the HPA reads: "s0-rabbitmq-queue" (waiting and in flight) or
    /// "s0-redis-backlog" (waiting only).
    std::string metricName;
};

struct ScaledObject {
    int pollingInterval = 30;
    int cooldownPeriod = 300;
    int initialCooldownPeriod = 0;
    int minReplicaCount = 0;
    int maxReplicaCount = 100;
    std::optional<int> idleReplicaCount;
    std::vector<Trigger> triggers;
    hpa::Spec hpa; ///< the HPA KEDA creates: min max(1, minReplicaCount), the triggers' metrics
};

/// A ScaledObject, or its spec alone, as JSON. Trigger metadata is read as KEDA reads it
/// (strings such as "20", or numbers) with KEDA's defaults; a problem names its JSON pointer.
Result<ScaledObject> parseScaledObject(std::string_view json);

} // namespace headroom::whatif::keda
