// KEDA (whatif/keda.h, keda_autoscaler.cpp): a ScaledObject read with KEDA's defaults
// (pollingInterval 30 s, cooldownPeriod 300 s, minReplicaCount 0, maxReplicaCount 100,
// rabbitmq's value 20, aws-sqs-queue's queueLength 5; the HPA's minReplicas at least 1), and a
// run timed by hand: KEDA takes the fleet to zero a cooldown after the last active poll and
// back to one at the first poll that sees a message, and the HPA it created takes it on.

#include "whatif/hpa_autoscaler.h"
#include "whatif/keda.h"
#include "whatif/simulation.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace headroom::whatif {
namespace {

TEST(Keda, ReadsAScaledObjectWithKedasDefaults) {
    const auto o = keda::parseScaledObject(R"({"apiVersion": "keda.sh/v1alpha1",
        "kind": "ScaledObject", "metadata": {"name": "workers"}, "spec": {
        "scaleTargetRef": {"name": "workers"},
        "triggers": [{"type": "rabbitmq", "metadata": {"queueName": "orders"}},
                     {"type": "aws-sqs-queue", "metadata": {"queueLength": "10",
                      "activationQueueLength": "50"}}]}})");
    ASSERT_TRUE(o) << o.error().describe();
    EXPECT_EQ(o->pollingInterval, 30);
    EXPECT_EQ(o->cooldownPeriod, 300);
    EXPECT_EQ(o->minReplicaCount, 0);
    EXPECT_EQ(o->maxReplicaCount, 100);
    ASSERT_EQ(o->triggers.size(), 2u);
    EXPECT_EQ(o->triggers[0].target, 20);
    EXPECT_EQ(o->triggers[0].activation, 0);
    EXPECT_EQ(o->triggers[1].target, 10);
    EXPECT_EQ(o->triggers[1].activation, 50);
    // The HPA it creates: min 1, External AverageValue per trigger, the API's behavior.
    EXPECT_EQ(o->hpa.minReplicas, 1);
    EXPECT_EQ(o->hpa.maxReplicas, 100);
    ASSERT_EQ(o->hpa.metrics.size(), 2u);
    EXPECT_EQ(o->hpa.metrics[1].source, hpa::SourceType::External);
    EXPECT_EQ(o->hpa.metrics[1].target, hpa::TargetType::AverageValue);
    EXPECT_EQ(o->hpa.metrics[1].milli, 10'000);
    EXPECT_FALSE(o->hpa.behavior);
}

TEST(Keda, QueueTriggersCountWhatTheirScalersCount) {
    // Defaults from the scalers' `default=` tags (kedacore/keda 8b4f083): kafka and
    // nats-jetstream lagThreshold 10, redis listLength 5. Lag and RabbitMQ's messages count
    // delivered, unacknowledged messages too; a Redis list's LLEN does not; SQS counts the
    // in-flight ones unless scaleOnInFlight is "false", RabbitMQ unless excludeUnacknowledged.
    const auto o = keda::parseScaledObject(R"({"spec": {"triggers": [
        {"type": "kafka", "metadata": {"topic": "orders", "consumerGroup": "workers"}},
        {"type": "nats-jetstream", "metadata": {"activationLagThreshold": "3"}},
        {"type": "redis", "metadata": {"listName": "jobs"}},
        {"type": "aws-sqs-queue", "metadata": {"scaleOnInFlight": "false"}},
        {"type": "rabbitmq", "metadata": {"protocol": "http", "excludeUnacknowledged": true,
         "value": "8"}},
        {"type": "aws-sqs-queue"}]}})");
    ASSERT_TRUE(o) << o.error().describe();
    ASSERT_EQ(o->triggers.size(), 6u);
    const auto& t = o->triggers;
    EXPECT_EQ(t[0].target, 10);
    EXPECT_EQ(t[1].target, 10);
    EXPECT_EQ(t[1].activation, 3);
    EXPECT_EQ(t[2].target, 5);
    EXPECT_EQ(t[4].target, 8);
    EXPECT_EQ(t[0].metricName, "s0-kafka-queue");
    EXPECT_EQ(t[1].metricName, "s1-nats-jetstream-queue");
    EXPECT_EQ(t[2].metricName, "s2-redis-backlog");
    EXPECT_EQ(t[3].metricName, "s3-aws-sqs-backlog");
    EXPECT_EQ(t[4].metricName, "s4-rabbitmq-backlog");
    EXPECT_EQ(t[5].metricName, "s5-aws-sqs-queue");
    // RabbitMQ counts unacknowledged messages only through the management API (HTTP);
    // over AMQP, the default, the ready ones. Flags read as Go's ParseBool reads them.
    const auto rabbit = [](const char* metadata) {
        const auto r = keda::parseScaledObject(
            std::string(R"({"spec": {"triggers": [{"type": "rabbitmq", "metadata": )") + metadata +
            "}]}}");
        return r ? r->triggers[0].metricName : r.error().describe();
    };
    EXPECT_EQ(rabbit(R"({"queueName": "q"})"), "s0-rabbitmq-backlog");
    EXPECT_EQ(rabbit(R"({"host": "amqp://guest:guest@rabbit:5672/"})"), "s0-rabbitmq-backlog");
    EXPECT_EQ(rabbit(R"({"host": "https://rabbit:15672/"})"), "s0-rabbitmq-queue");
    EXPECT_EQ(rabbit(R"({"host": "HTTP://rabbit:15672/"})"), "s0-rabbitmq-queue");
    EXPECT_EQ(rabbit(R"({"protocol": "http"})"), "s0-rabbitmq-queue");
    EXPECT_EQ(rabbit(R"({"protocol": "http", "excludeUnacknowledged": "1"})"),
              "s0-rabbitmq-backlog");
    EXPECT_NE(rabbit(R"({"protocol": "mqtt"})").find("/spec/triggers/0/metadata/protocol"),
              std::string::npos);
    const auto sqs = keda::parseScaledObject(R"({"spec": {"triggers": [{"type":
        "aws-sqs-queue", "metadata": {"scaleOnInFlight": "f"}}]}})");
    ASSERT_TRUE(sqs);
    EXPECT_EQ(sqs->triggers[0].metricName, "s0-aws-sqs-backlog");

    // What each reads: 40 waiting, 12 a second served by instances holding each 0.5 s (6 in
    // flight by Little's law).
    TierTick tick;
    tick.backlog = 40;
    tick.servedRps = 12;
    const Sample seen(tick);
    Tier tier;
    tier.baseHolding = 0.5;
    EXPECT_DOUBLE_EQ(objectMetricValue(t[0].metricName, seen, tier), 46);
    EXPECT_DOUBLE_EQ(objectMetricValue(t[2].metricName, seen, tier), 40);
    EXPECT_DOUBLE_EQ(objectMetricValue(t[3].metricName, seen, tier), 40);
}

TEST(Keda, SaysWhatIsWrongAndWhere) {
    const auto where = [](const char* json) {
        const auto o = keda::parseScaledObject(json);
        return o ? std::string("accepted") : o.error().location;
    };
    EXPECT_EQ(where(R"({"spec": {"triggers": [{"type": "azure-servicebus"}]}})"),
              "/spec/triggers/0/type");
    EXPECT_EQ(where(R"({"spec": {"triggers": [{"type": "aws-sqs-queue",
        "metadata": {"scaleOnInFlight": "sometimes"}}]}})"),
              "/spec/triggers/0/metadata/scaleOnInFlight");
    EXPECT_EQ(where(R"({"spec": {"triggers": []}})"), "/spec/triggers");
    EXPECT_EQ(where(R"({"spec": {"triggers": [{"type": "aws-sqs-queue",
        "metadata": {"queueLength": "lots"}}]}})"),
              "/spec/triggers/0/metadata/queueLength");
    EXPECT_EQ(where(R"({"spec": {"minReplicaCount": 2, "idleReplicaCount": 2,
        "triggers": [{"type": "rabbitmq"}]}})"),
              "/spec/idleReplicaCount");
    // behavior is the HPA's, read by its reader; the place is given under advanced.
    EXPECT_EQ(where(R"({"spec": {"triggers": [{"type": "rabbitmq"}], "advanced":
        {"horizontalPodAutoscalerConfig": {"behavior": {"scaleDown":
        {"selectPolicy": "Sometimes"}}}}}})"),
              "/spec/advanced/horizontalPodAutoscalerConfig/behavior/scaleDown/selectPolicy");
}

/// users -> workers (enqueued): 8 messages a second; a worker takes 250 ms per message on 4
/// threads (16 a second each); 2 drawn, booting in 30 s.
Project workers() {
    Project p;
    auto users = makeComponent(ComponentKind::Client, "users", "Users");
    users.properties["arrival_rate_rps"] = 8.0;
    auto w = makeComponent(ComponentKind::WorkerGroup, "workers", "Workers");
    w.properties["replicas"] = std::int64_t{2};
    w.properties["message_cost_ms"] = 250.0;
    w.properties["concurrency"] = std::int64_t{4};
    w.properties["boot_time_s"] = 30.0;
    w.properties["price_per_hour_usd"] = 0.05;
    p.components = {users, w};
    p.links.push_back({"q", "users", "workers", LinkKind::AsyncEnqueue, 1.0, false, {}});
    p.policies.push_back({"keda", "workers", PolicyKind::Keda,
                          R"({"spec": {"triggers": [{"type": "aws-sqs-queue",
                              "metadata": {"queueLength": "5"}}]}})"});
    return p;
}

TEST(KedaSimulation, ToZeroACooldownAfterTheLastActivePollAndBackAtTheFirstMessage) {
    // 8 messages a second for 15 minutes, nothing until the hour, then again for 15 minutes.
    Scenario s;
    s.name = "bursts";
    s.synthetic.meanRps = 8;
    s.synthetic.days = 1.0 / 24;
    s.synthetic.dailyAmplitude = 0;
    s.transforms = {{TransformKind::Step, 0, 0.25, 5, 30, 0, false, 1},
                    {TransformKind::Repeat, 1, 0, 5, 30, 0, false, 2}};
    SimulationOptions o;
    o.component = "workers";
    const auto sim = simulate(workers(), s, o);
    ASSERT_TRUE(sim) << sim.error().describe();
    const auto& run = sim->tiers.at(0);
    const auto find = [&](const char* condition) {
        return std::find_if(run.events.begin(), run.events.end(),
                            [&](const ScalingEvent& e) { return e.condition == condition; });
    };
    // Polls every 30 s read the tick 30 s back. The last tick with messages in flight is
    // 885 s, so the last active poll is at 900 s; the first poll more than 300 s later is
    // 1,230 s.
    const auto toZero = find("KEDAScaleToZero");
    ASSERT_NE(toZero, run.events.end());
    EXPECT_DOUBLE_EQ(toZero->atSeconds, 1230);
    EXPECT_EQ(toZero->to, 0);
    const auto cooling = find("ScalerCooldown");
    ASSERT_NE(cooling, run.events.end());
    EXPECT_DOUBLE_EQ(cooling->atSeconds, 930);
    // At 3,600 s the messages come back to no worker: 8 x 15 = 120 wait after that tick,
    // which the poll at 3,630 s sees: 0 -> 1.
    const auto fromZero = find("KEDAScaleFromZero");
    ASSERT_NE(fromZero, run.events.end());
    EXPECT_DOUBLE_EQ(fromZero->atSeconds, 3630);
    EXPECT_EQ(fromZero->from, 0);
    EXPECT_EQ(fromZero->to, 1);
    // The HPA's next sync, 3,645 s, reads 240 waiting (the tick at 3,615 s): 240 / 5 = 48
    // wanted, held to max(2 x 1, 4) = 4 by the legacy scale-up limit.
    const auto next = fromZero + 1;
    ASSERT_NE(next, run.events.end());
    EXPECT_DOUBLE_EQ(next->atSeconds, 3645);
    EXPECT_EQ(next->wanted, 48);
    EXPECT_EQ(next->to, 4);
    EXPECT_EQ(next->condition, "ScaleUpLimit");
    // A queue keeps its messages: late, not lost.
    EXPECT_EQ(run.summary.droppedRequests, 0);
}

} // namespace
} // namespace headroom::whatif
