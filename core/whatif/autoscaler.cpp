#include "whatif/autoscaler.h"

#include "whatif/hpa_state.h"

namespace headroom::whatif {

namespace {

/// A problem in a policy's definition, pointed at from the policy.
Error inDefinition(const AutoscalingPolicy& policy, const Error& e) {
    return Error{"policy \"" + policy.name + "\": " + e.message, "",
                 "/definition" + (e.location == "/" ? std::string() : e.location)};
}

} // namespace

Result<std::unique_ptr<Autoscaler>> makeAutoscaler(const AutoscalingPolicy& policy,
                                                   const SimulationOptions& options,
                                                   std::int64_t startMs) {
    switch (policy.kind) {
    case PolicyKind::Fixed:
        return std::unique_ptr<Autoscaler>();
    case PolicyKind::KubernetesHpa: {
        auto spec = hpa::parseHpaSpec(policy.definition);
        if (!spec)
            return inDefinition(policy, spec.error());
        return makeHpaAutoscaler(std::move(spec).value(), options);
    }
    case PolicyKind::AwsAutoScaling: {
        auto group = aws::parseGroup(policy.definition);
        if (!group)
            return inDefinition(policy, group.error());
        return makeAwsAutoscaler(std::move(group).value(), options, startMs);
    }
    case PolicyKind::Keda: {
        auto object = keda::parseScaledObject(policy.definition);
        if (!object)
            return inDefinition(policy, object.error());
        return makeKedaAutoscaler(std::move(object).value(), options);
    }
    }
    return Error{"policy \"" + policy.name + "\" has a kind this version cannot simulate", "", ""};
}

} // namespace headroom::whatif
