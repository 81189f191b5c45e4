// The scenario and policy editors' engine side (whatif/setup.h): pasted text to a stored
// definition, starting templates that run as they are, and the checks a run would make.
#include "model/project_delta.h"
#include "whatif/setup.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace headroom::whatif {
namespace {

Project shop() {
    Project p;
    p.name = "shop";
    auto users = makeComponent(ComponentKind::Client, "users", "Users");
    users.properties["arrival_rate_rps"] = 100.0;
    auto web = makeComponent(ComponentKind::Service, "web", "Web");
    web.properties["replicas"] = std::int64_t{3};
    web.properties["min_replicas"] = std::int64_t{2};
    web.properties["max_replicas"] = std::int64_t{10};
    auto workers = makeComponent(ComponentKind::WorkerGroup, "workers", "Workers");
    auto cache = makeComponent(ComponentKind::Cache, "cache", "Cache");
    p.components = {users, web, workers, cache};
    p.links.push_back({"l1", "users", "web", LinkKind::SyncCall, 1.0, false, {}});
    return p;
}

TEST(WhatIfSetup, YamlAsKubectlPrintsItBecomesTheStoredJson) {
    const auto text = R"(# kubectl get hpa web -o yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 60
  behavior:
    scaleDown:
      tolerance: "0.05"
)";
    const auto stored = definitionFromText(text);
    ASSERT_TRUE(stored) << stored.error().describe();
    const auto j = nlohmann::json::parse(*stored);
    EXPECT_EQ(j["spec"]["minReplicas"], 2);
    EXPECT_EQ(j["spec"]["maxReplicas"], 10);
    EXPECT_EQ(j["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"], 60);
    EXPECT_EQ(j["spec"]["behavior"]["scaleDown"]["tolerance"], "0.05") << "quoted stays text";
    EXPECT_EQ(stored->find('\n'), std::string::npos) << "stored compact";
    // And it is a policy the HPA accepts as it is.
    const AutoscalingPolicy policy{"pasted", "web", PolicyKind::KubernetesHpa, *stored};
    EXPECT_FALSE(checkPolicy(shop(), policy));
}

TEST(WhatIfSetup, BrokenTextSaysWhere) {
    const auto json = definitionFromText("{\n  \"MinSize\": 2,\n  \"MaxSize\": \n}");
    ASSERT_FALSE(json);
    EXPECT_EQ(json.error().location, "line 4, column 1");
    const auto yaml = definitionFromText("spec:\n  minReplicas: 2\n   maxReplicas: [3\n");
    ASSERT_FALSE(yaml);
    EXPECT_NE(yaml.error().location.find("line "), std::string::npos);
    EXPECT_NE(yaml.error().message.find("YAML"), std::string::npos);
    const auto list = definitionFromText("[1, 2]");
    ASSERT_FALSE(list);
    EXPECT_NE(list.error().message.find("expected an object"), std::string::npos);
    EXPECT_FALSE(definitionFromText("  \n# only a comment\n"));
}

TEST(WhatIfSetup, HostileTextIsRefusedNotFollowed) {
    // A number past a double's range: refused, not thrown.
    const auto huge = definitionFromText(R"({"MinSize": 1e999})");
    ASSERT_FALSE(huge);
    EXPECT_NE(huge.error().message.find("too large"), std::string::npos);
    // An alias inside itself: a cycle when followed.
    const auto cycle = definitionFromText("spec: &a\n  again: *a\n");
    ASSERT_FALSE(cycle);
    EXPECT_NE(cycle.error().message.find("64 levels"), std::string::npos);
    // Nested aliases doubling at each level ("billion laughs"): refused past a million values.
    std::string laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 9; ++i)
        laughs += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" +
                  std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" +
                  std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" +
                  std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" +
                  std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" +
                  std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + "]\n";
    const auto bomb = definitionFromText(laughs);
    ASSERT_FALSE(bomb);
    EXPECT_NE(bomb.error().message.find("million"), std::string::npos) << bomb.error().message;
    // Bytes that are not UTF-8 in a YAML string.
    const auto bytes = definitionFromText("name: \"\xff\xfe\"\n");
    ASSERT_FALSE(bytes);
    EXPECT_NE(bytes.error().message.find("UTF-8"), std::string::npos);
}

TEST(WhatIfSetup, EveryTemplateRunsAsItIsAndTakesTheTiersLimits) {
    const auto project = shop();
    for (const auto* id : {"web", "workers"})
        for (const auto kind : {PolicyKind::Fixed, PolicyKind::KubernetesHpa,
                                PolicyKind::AwsAutoScaling, PolicyKind::Keda}) {
            const auto& c = *project.findComponent(id);
            const auto text = policyTemplate(kind, c);
            const auto stored = definitionFromText(text);
            ASSERT_TRUE(stored) << toKey(kind);
            const AutoscalingPolicy policy{"t", id, kind, *stored};
            const auto problem = checkPolicy(project, policy);
            EXPECT_FALSE(problem) << id << " " << toKey(kind) << ": " << problem->describe();
        }
    const auto hpa = nlohmann::json::parse(
        policyTemplate(PolicyKind::KubernetesHpa, *project.findComponent("web")));
    EXPECT_EQ(hpa["spec"]["minReplicas"], 2);
    EXPECT_EQ(hpa["spec"]["maxReplicas"], 10);
    const auto fixed =
        nlohmann::json::parse(policyTemplate(PolicyKind::Fixed, *project.findComponent("web")));
    EXPECT_EQ(fixed["replicas"], 3);
    // A worker group on KEDA may rest at zero; a service on CPU may not (KEDA's cpu trigger).
    const auto keda = [&](const char* id) {
        return nlohmann::json::parse(
            policyTemplate(PolicyKind::Keda, *project.findComponent(id)))["spec"];
    };
    EXPECT_EQ(keda("workers")["minReplicaCount"], 0);
    EXPECT_EQ(keda("web")["minReplicaCount"], 2);
}

TEST(WhatIfSetup, PolicyChecksNameTheTierAndThePlaceInTheDefinition) {
    const auto project = shop();
    auto missing = checkPolicy(project, {"p", "nowhere", PolicyKind::Fixed, R"({"replicas": 2})"});
    ASSERT_TRUE(missing);
    EXPECT_NE(missing->message.find("not in the drawing"), std::string::npos);
    auto cache = checkPolicy(project, {"p", "cache", PolicyKind::Fixed, R"({"replicas": 2})"});
    ASSERT_TRUE(cache);
    EXPECT_NE(cache->message.find("only services and worker groups"), std::string::npos);
    auto negative = checkPolicy(project, {"p", "web", PolicyKind::Fixed, R"({"replicas": -1})"});
    ASSERT_TRUE(negative);
    EXPECT_EQ(negative->location, "/definition/replicas");
    auto inverted =
        checkPolicy(project, {"p", "web", PolicyKind::KubernetesHpa,
                              R"({"spec": {"minReplicas": 5, "maxReplicas": 3, "metrics": [{"type":
                      "Resource", "resource": {"name": "cpu", "target": {"type":
                      "Utilization", "averageUtilization": 60}}}]}})"});
    ASSERT_TRUE(inverted);
    EXPECT_EQ(inverted->location, "/definition/spec/maxReplicas");
    EXPECT_FALSE(checkPolicy(project, {"p", "web", PolicyKind::Fixed, R"({"replicas": 0})"}));
}

TEST(WhatIfSetup, ScenarioChecksAreTheFileReadersAndTheRunsOwn) {
    const auto project = shop();
    Scenario good;
    good.name = "week";
    EXPECT_FALSE(checkScenario(project, good));

    auto longRun = good;
    longRun.synthetic.days = 4000; // the reader's limit is 3,660 days
    auto problem = checkScenario(project, longRun);
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->location, "/synthetic/days");

    auto recorded = good;
    recorded.recorded = true;
    recorded.component = "web";
    problem = checkScenario(project, recorded);
    ASSERT_TRUE(problem) << "web has no arrival-rate series";
    EXPECT_NE(problem->message.find("web"), std::string::npos);

    auto elsewhere = good;
    elsewhere.deploys.push_back({2, "api", "25%", "25%"});
    problem = checkScenario(project, elsewhere);
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->location, "/deploys/0/component");

    auto stuck = good;
    stuck.deploys.push_back({2, "web", "0", "0%"});
    problem = checkScenario(project, stuck);
    ASSERT_TRUE(problem);
    EXPECT_NE(problem->message.find("both be 0"), std::string::npos);
}

TEST(WhatIfSetup, OneDeltaReplacesScenariosAndPoliciesAndUndoPutsThemBack) {
    auto project = shop();
    Scenario first;
    first.name = "first";
    project.scenarios = {first};
    const auto before = project;

    DeltaBuilder builder(project);
    Scenario second;
    second.name = "second";
    builder.setWhatIf({{first, second}, {{"hpa", "web", PolicyKind::Fixed, R"({"replicas":4})"}}});
    const auto delta = builder.build();
    ASSERT_TRUE(delta.whatIf);
    const auto changes = apply(project, delta, Direction::Forward);
    ASSERT_EQ(changes.size(), 1U);
    EXPECT_EQ(changes[0].object, AppliedChange::Object::WhatIf);
    ASSERT_EQ(project.scenarios.size(), 2U);
    EXPECT_EQ(project.scenarios[1].name, "second");
    ASSERT_EQ(project.policies.size(), 1U);
    apply(project, delta, Direction::Backward);
    EXPECT_EQ(project, before);

    DeltaBuilder same(project);
    same.setWhatIf({project.scenarios, project.policies});
    EXPECT_TRUE(same.build().empty()) << "no change, no undo step";
}

} // namespace
} // namespace headroom::whatif
