#include "whatif/setup.h"

#include "common/yaml_json.h"
#include "whatif/autoscaler.h"
#include "whatif/load.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace headroom::whatif {

using Json = nlohmann::ordered_json;

Result<std::string> definitionFromText(std::string_view text) {
    auto parsed = parseJsonOrYaml(text);
    if (!parsed)
        return parsed.error();
    if (!parsed->is_object())
        return Error{std::string("expected an object (a manifest or its spec), found ") +
                         parsed->type_name(),
                     "", "/"};
    try {
        return parsed->dump();
    } catch (const nlohmann::ordered_json::exception&) { // text that is not UTF-8
        return Error{"the text is not UTF-8", "", ""};
    }
}

std::string definitionForEditing(std::string_view compactJson) {
    const auto parsed = Json::parse(compactJson, nullptr, false);
    return parsed.is_discarded() ? std::string(compactJson) : parsed.dump(2);
}

std::string policyTemplate(PolicyKind kind, const Component& c) {
    const auto whole = [&](const char* key, int fallback) {
        const double v = c.number(key);
        return v > 0 ? static_cast<int>(v) : fallback;
    };
    const int replicas = std::max(1, whole("replicas", 2));
    const int low = std::max(1, std::min(whole("min_replicas", replicas), replicas));
    const int high = std::max({low, replicas, whole("max_replicas", 4 * replicas)});
    Json out;
    switch (kind) {
    case PolicyKind::Fixed:
        out = {{"replicas", replicas}};
        break;
    case PolicyKind::KubernetesHpa:
        out = {
            {"apiVersion", "autoscaling/v2"},
            {"kind", "HorizontalPodAutoscaler"},
            {"metadata", {{"name", c.id}}},
            {"spec",
             {{"scaleTargetRef",
               {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", c.id}}},
              {"minReplicas", low},
              {"maxReplicas", high},
              {"metrics",
               Json::array(
                   {{{"type", "Resource"},
                     {"resource",
                      {{"name", "cpu"},
                       {"target", {{"type", "Utilization"}, {"averageUtilization", 70}}}}}}})}}}};
        break;
    case PolicyKind::AwsAutoScaling:
        out = {{"AutoScalingGroupName", c.id},
               {"MinSize", low},
               {"MaxSize", high},
               {"DefaultInstanceWarmup", 300},
               {"ScalingPolicies",
                Json::array({{{"PolicyName", "cpu-70"},
                              {"PolicyType", "TargetTrackingScaling"},
                              {"TargetTrackingConfiguration",
                               {{"PredefinedMetricSpecification",
                                 {{"PredefinedMetricType", "ASGAverageCPUUtilization"}}},
                                {"TargetValue", 70.0}}}}})}};
        break;
    case PolicyKind::Keda:
        out = {{"apiVersion", "keda.sh/v1alpha1"},
               {"kind", "ScaledObject"},
               {"metadata", {{"name", c.id}}},
               {"spec",
                {{"scaleTargetRef", {{"name", c.id}}},
                 {"pollingInterval", 30},
                 {"cooldownPeriod", 300},
                 {"minReplicaCount", c.kind == ComponentKind::WorkerGroup ? 0 : low},
                 {"maxReplicaCount", high},
                 {"triggers",
                  Json::array({c.kind == ComponentKind::WorkerGroup
                                   ? Json{{"type", "aws-sqs-queue"},
                                          {"metadata",
                                           {{"queueURL", "https://sqs.us-east-1.amazonaws.com/"
                                                         "123456789012/" +
                                                             c.id},
                                            {"queueLength", "20"},
                                            {"awsRegion", "us-east-1"}}}}
                                   : Json{{"type", "cpu"},
                                          {"metricType", "Utilization"},
                                          {"metadata", {{"value", "70"}}}}})}}}};
        break;
    }
    return out.dump(2);
}

std::optional<Error> checkPolicy(const Project& project, const AutoscalingPolicy& policy) {
    if (policy.name.empty())
        return Error{"a policy needs a name", "", ""};
    const auto* c = project.findComponent(policy.component);
    if (!c)
        return Error{"policy \"" + policy.name + "\" scales \"" + policy.component +
                         "\", which is not in the drawing",
                     "", ""};
    if (c->kind != ComponentKind::Service && c->kind != ComponentKind::WorkerGroup)
        return Error{"policy \"" + policy.name + "\" scales \"" + c->id +
                         "\": only services and worker groups scale by replicas",
                     "", ""};
    if (policy.kind == PolicyKind::Fixed) {
        const auto j = nlohmann::json::parse(policy.definition, nullptr, false);
        if (!j.is_object() || !j.contains("replicas") || !j["replicas"].is_number_integer() ||
            j["replicas"].get<long long>() < 0)
            return Error{"policy \"" + policy.name +
                             "\": a fixed policy is {\"replicas\": N}, N a whole number, 0 or more",
                         "", "/definition/replicas"};
        return std::nullopt;
    }
    auto made = makeAutoscaler(policy, SimulationOptions{});
    if (!made)
        return made.error();
    return std::nullopt;
}

std::optional<Error> checkScenario(const Project& project, const Scenario& scenario) {
    // The file reader's ranges and rules, so the editor and the project file agree.
    auto read = scenarioFromJson(scenarioToJson(scenario));
    if (!read)
        return Error{"scenario \"" + scenario.name + "\": " + read.error().message, "",
                     read.error().location};
    if (!scenario.component.empty() && !project.findComponent(scenario.component))
        return Error{"scenario \"" + scenario.name + "\" puts its load on \"" + scenario.component +
                         "\", which is not in the drawing",
                     "", "/component"};
    for (std::size_t i = 0; i < scenario.deploys.size(); ++i) {
        const auto& d = scenario.deploys[i];
        const auto at = "/deploys/" + std::to_string(i);
        if (!d.component.empty() && !project.findComponent(d.component))
            return Error{"scenario \"" + scenario.name + "\" deploys \"" + d.component +
                             "\", which is not in the drawing",
                         "", at + "/component"};
        if (resolveIntOrPercent(d.maxSurge, 100, true) == 0 &&
            resolveIntOrPercent(d.maxUnavailable, 100, false) == 0)
            return Error{"scenario \"" + scenario.name +
                             "\": maxSurge and maxUnavailable cannot both be 0 (Kubernetes "
                             "refuses such a Deployment: no pod could ever be replaced)",
                         "", at};
    }
    // Built at an hour a point: the same checks (the series is there, the rules hold) at a
    // fraction of the work, since this runs while the user types.
    try {
        if (auto load = buildLoad(project, scenario, 3600); !load)
            return load.error();
    } catch (const std::exception& e) {
        return Error{"scenario \"" + scenario.name + "\" cannot be built: " + e.what(), "", ""};
    }
    return std::nullopt;
}

} // namespace headroom::whatif
