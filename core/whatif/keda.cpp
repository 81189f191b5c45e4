#include "whatif/keda.h"

#include "common/json_fields.h"
#include "whatif/hpa_state.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace headroom::whatif::keda {
namespace {

using namespace json_fields;

/// A metadata value: KEDA's metadata are strings ("20"); numbers are taken too.
double metadataNumber(const Json& metadata, const char* key, const std::string& at,
                      double fallback) {
    const auto* v = optional(metadata, key);
    if (!v)
        return fallback;
    double x = -1;
    if (v->is_number()) {
        x = number(*v, child(at, key));
    } else {
        const auto s = text(*v, child(at, key));
        char* end = nullptr;
        x = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size())
            x = -1;
    }
    // Finite and within reason: a queue of a billion per replica is already none at all.
    if (!(x >= 0 && x <= 1e9))
        throw Problem{child(at, key), "expected a number from 0 to 1e9, found " + v->dump()};
    return x;
}

/// The queue triggers Headroom knows, with KEDA's metadata keys and defaults (the `default=`
/// tags of pkg/scalers/*_scaler.go, kedacore/keda 8b4f083) and what each counts: messages
/// waiting and, for most, those delivered but not yet acknowledged (in flight).
struct QueueScaler {
    const char* type;
    const char* targetKey;
    const char* legacyTargetKey; ///< or nullptr
    double defaultTarget;
    const char* activationKey;
    bool countsInFlight;        ///< the value includes delivered, unacknowledged messages
    const char* inFlightOffKey; ///< metadata that leaves them out, or nullptr
    bool inFlightOffWhen;       ///< the value of that key that leaves them out
};
constexpr QueueScaler kQueueScalers[] = {
    // Over HTTP, messages = ready + unacknowledged, unless excludeUnacknowledged: "true";
    // over AMQP the ready ones only (trigger() picks the protocol).
    {"rabbitmq", "value", "queueLength", 20, "activationValue", true, "excludeUnacknowledged",
     true},
    // ApproximateNumberOfMessages + ...NotVisible unless scaleOnInFlight: "false".
    {"aws-sqs-queue", "queueLength", nullptr, 5, "activationQueueLength", true, "scaleOnInFlight",
     false},
    // The consumer group's lag summed over partitions: not yet committed, in flight included.
    {"kafka", "lagThreshold", nullptr, 10, "activationLagThreshold", true, nullptr, false},
    // The consumer's NumPending + NumAckPending.
    {"nats-jetstream", "lagThreshold", nullptr, 10, "activationLagThreshold", true, nullptr, false},
    // LLEN of the list: a worker's popped item has left it.
    {"redis", "listLength", nullptr, 5, "activationListLength", false, nullptr, false},
};

/// A metadata flag as KEDA reads it ("true"/"false", or a JSON boolean).
bool metadataFlag(const Json& m, const char* key, const std::string& at, bool fallback) {
    const auto* v = optional(m, key);
    if (!v)
        return fallback;
    if (v->is_boolean())
        return v->get<bool>();
    // Go's strconv.ParseBool, as KEDA reads them.
    const auto t = text(*v, child(at, key));
    if (t == "1" || t == "t" || t == "T" || t == "true" || t == "True" || t == "TRUE")
        return true;
    if (t == "0" || t == "f" || t == "F" || t == "false" || t == "False" || t == "FALSE")
        return false;
    throw Problem{child(at, key),
                  "expected \"true\" or \"false\" (or 1, t, 0, f), found " + v->dump()};
}

/// Whether a rabbitmq trigger reads the queue over the management API (HTTP), which counts
/// unacknowledged messages too, rather than AMQP: `protocol` http, or auto (the default) with
/// an http(s):// `host`. A host kept in a TriggerAuthentication is not seen here, and AMQP,
/// the usual case, is assumed.
bool rabbitOverHttp(const Json& m, const std::string& at) {
    const auto* protocol = optional(m, "protocol");
    const auto p = protocol ? text(*protocol, child(at, "protocol")) : std::string("auto");
    if (p == "http")
        return true;
    if (p == "amqp")
        return false;
    if (p != "auto")
        throw Problem{child(at, "protocol"), "expected amqp, http or auto, found \"" + p + "\""};
    const auto* host = optional(m, "host");
    auto h = host ? text(*host, child(at, "host")) : std::string();
    std::transform(h.begin(), h.end(), h.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return h.rfind("http://", 0) == 0 || h.rfind("https://", 0) == 0;
}

Trigger trigger(const Json& t, const std::string& at, std::size_t index) {
    expectObject(t, at);
    Trigger out;
    out.type = text(required(t, "type", at), child(at, "type"));
    static const Json kEmpty = Json::object();
    const Json* metadata = optional(t, "metadata");
    if (metadata)
        expectObject(*metadata, child(at, "metadata"));
    const Json& m = metadata ? *metadata : kEmpty;
    const auto mAt = child(at, "metadata");
    if (out.type == "cpu") {
        out.cpu = true;
        const auto* metricType = optional(t, "metricType");
        if (metricType && text(*metricType, child(at, "metricType")) != "Utilization")
            throw Problem{child(at, "metricType"),
                          "Headroom reads a cpu trigger as Utilization of the request"};
        if (!optional(m, "value"))
            throw Problem{child(mAt, "value"), "missing: the target CPU utilisation, percent"};
        out.target = metadataNumber(m, "value", mAt, 0);
        return out;
    }
    for (const auto& q : kQueueScalers)
        if (out.type == q.type) {
            const char* key =
                optional(m, q.targetKey) || !q.legacyTargetKey ? q.targetKey : q.legacyTargetKey;
            out.target = metadataNumber(m, key, mAt, q.defaultTarget);
            out.activation = metadataNumber(m, q.activationKey, mAt, 0);
            if (!(out.target > 0))
                throw Problem{child(mAt, key), "the queue length per replica must be above 0"};
            bool inFlight = q.countsInFlight;
            if (q.inFlightOffKey &&
                metadataFlag(m, q.inFlightOffKey, mAt, !q.inFlightOffWhen) == q.inFlightOffWhen)
                inFlight = false;
            if (out.type == "rabbitmq" && !rabbitOverHttp(m, mAt))
                inFlight = false; // AMQP's queue declare counts the ready messages only
            // KEDA names it s<index>-<scaler>-<queue> (the queue's name is not needed here);
            // objectMetricValue reads "-queue" as waiting plus in flight, "-backlog" as waiting.
            const std::string scaler = out.type == "aws-sqs-queue" ? "aws-sqs" : out.type;
            out.metricName =
                "s" + std::to_string(index) + "-" + scaler + (inFlight ? "-queue" : "-backlog");
            return out;
        }
    throw Problem{child(at, "type"),
                  "Headroom simulates the rabbitmq, aws-sqs-queue, kafka, nats-jetstream, redis "
                  "(lists) and cpu triggers, not \"" +
                      out.type + "\""};
}

} // namespace

Result<ScaledObject> parseScaledObject(std::string_view json) {
    const auto root = Json::parse(json, nullptr, false);
    if (root.is_discarded())
        return Error{"the ScaledObject is not valid JSON", "", "/"};
    try {
        expectObject(root, "/");
        const bool wrapped = root.contains("spec");
        const std::string at = wrapped ? "/spec" : "";
        const Json& s = wrapped ? root["spec"] : root;
        expectObject(s, wrapped ? at : "/");
        ScaledObject out;
        const auto whole = [&](const char* key, int low, int high, int fallback) {
            const auto* v = optional(s, key);
            return v ? static_cast<int>(integer(*v, child(at, key), low, high)) : fallback;
        };
        out.pollingInterval = whole("pollingInterval", 1, 86400, 30);
        out.cooldownPeriod = whole("cooldownPeriod", 0, 864000, 300);
        out.initialCooldownPeriod = whole("initialCooldownPeriod", 0, 864000, 0);
        out.minReplicaCount = whole("minReplicaCount", 0, 100000, 0);
        out.maxReplicaCount = whole("maxReplicaCount", 1, 100000, 100);
        if (out.maxReplicaCount < out.minReplicaCount)
            throw Problem{child(at, "maxReplicaCount"), "is below minReplicaCount"};
        if (const auto* idle = optional(s, "idleReplicaCount")) {
            out.idleReplicaCount = static_cast<int>(
                integer(*idle, child(at, "idleReplicaCount"), 0, out.minReplicaCount - 1));
        }
        const auto tAt = child(at, "triggers");
        const auto& triggers = required(s, "triggers", at);
        expectArray(triggers, tAt);
        if (triggers.empty())
            throw Problem{tAt, "a ScaledObject needs at least one trigger"};
        // The HPA KEDA creates (controllers/keda/hpa.go): min max(1, minReplicaCount), the
        // triggers as metrics, behavior as given under advanced (else the API's defaults).
        Json spec = {{"minReplicas", std::max(1, out.minReplicaCount)},
                     {"maxReplicas", out.maxReplicaCount},
                     {"metrics", Json::array()}};
        for (std::size_t k = 0; k < triggers.size(); ++k) {
            auto t = trigger(triggers[k], child(tAt, k), k);
            if (t.cpu)
                spec["metrics"].push_back(
                    {{"type", "Resource"},
                     {"resource",
                      {{"name", "cpu"},
                       {"target",
                        {{"type", "Utilization"},
                         {"averageUtilization", static_cast<int>(t.target)}}}}}});
            else
                spec["metrics"].push_back(
                    {{"type", "External"},
                     {"external",
                      {{"metric", {{"name", t.metricName}}},
                       {"target",
                        {{"type", "AverageValue"},
                         {"averageValue",
                          std::to_string(std::llround(t.target * 1000)) + "m"}}}}}});
            out.triggers.push_back(std::move(t));
        }
        const Json* behavior = nullptr;
        if (const auto* advanced = optional(s, "advanced"))
            if (const auto* config = optional(*advanced, "horizontalPodAutoscalerConfig"))
                behavior = optional(*config, "behavior");
        if (behavior)
            spec["behavior"] = *behavior;
        auto hpa = hpa::parseHpaSpec(Json{{"spec", spec}}.dump());
        if (!hpa) {
            // Only behavior can be wrong here: point into advanced.
            auto where = hpa.error().location;
            const std::string prefix = "/spec/behavior";
            if (where.rfind(prefix, 0) == 0)
                where = at + "/advanced/horizontalPodAutoscalerConfig/behavior" +
                        where.substr(prefix.size());
            return Error{hpa.error().message, "", where};
        }
        out.hpa = std::move(hpa).value();
        return out;
    } catch (const Problem& p) {
        return Error{p.message, "", p.pointer};
    }
}

} // namespace headroom::whatif::keda
