#include "whatif/hpa_state.h"

#include "common/json_fields.h"
#include "common/text_position.h"
#include "common/yaml_json.h"
#include "whatif/hpa_replicas.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace headroom::whatif::hpa {
namespace {

using namespace json_fields;
/// Wide enough for 18 digits times 2^60 (GCC's and Clang's 128-bit integer).
__extension__ typedef __int128 Wide;

double seconds(const Json& v, const std::string& at) {
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0)
        throw Problem{at, "expected a number of seconds, 0 or more, found " + v.dump()};
    return v.get<double>();
}

/// A quantity given as a string ("500m") or a plain number (YAML's `value: 30`).
std::int64_t quantityAt(const Json& v, const std::string& at) {
    std::optional<std::int64_t> milli;
    if (v.is_string())
        milli = parseQuantityMilli(v.get<std::string>());
    else if (v.is_number_integer())
        milli = parseQuantityMilli(std::to_string(v.get<std::int64_t>()));
    else if (v.is_number())
        milli = parseQuantityMilli(v.dump());
    if (!milli)
        throw Problem{at,
                      "expected a Kubernetes quantity such as \"500m\", \"2\" or \"1k\", found " +
                          v.dump()};
    return *milli;
}

/// A tolerance: a quantity the controller reads as a float (AsApproximateFloat64), so a plain
/// decimal keeps all its digits ("0.0005" is not rounded to a milli-unit).
double tolerance(const Json& v, const std::string& at) {
    double value = 0;
    if (v.is_number()) {
        value = v.get<double>();
    } else if (v.is_string()) {
        const auto s = v.get<std::string>();
        char* end = nullptr;
        value = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size())
            value = static_cast<double>(quantityAt(v, at)) / 1000;
    } else {
        quantityAt(v, at); // refuses it with the usual message
    }
    if (!std::isfinite(value) || value < 0)
        throw Problem{at, "a tolerance is a number, 0 or more, found " + v.dump()};
    return value;
}

MetricSpec metricSpec(const Json& m, const std::string& at) {
    expectObject(m, at);
    MetricSpec out;
    const auto type = text(required(m, "type", at), child(at, "type"));
    const auto targetOf = [&](const Json& source, const std::string& sourceAt) {
        const auto tAt = child(sourceAt, "target");
        const auto& t = required(source, "target", sourceAt);
        expectObject(t, tAt);
        const auto kind = text(required(t, "type", tAt), child(tAt, "type"));
        if (kind == "Utilization") {
            out.target = TargetType::Utilization;
            out.averageUtilization =
                static_cast<int>(integer(required(t, "averageUtilization", tAt),
                                         child(tAt, "averageUtilization"), 1, INT_MAX));
        } else if (kind == "Value") {
            out.target = TargetType::Value;
            out.milli = quantityAt(required(t, "value", tAt), child(tAt, "value"));
        } else if (kind == "AverageValue") {
            out.target = TargetType::AverageValue;
            out.milli = quantityAt(required(t, "averageValue", tAt), child(tAt, "averageValue"));
        } else {
            throw Problem{child(tAt, "type"),
                          "expected Utilization, Value or AverageValue, found \"" + kind + "\""};
        }
    };
    const auto metricName = [&](const Json& source, const std::string& sourceAt) {
        const auto mAt = child(sourceAt, "metric");
        const auto& metric = required(source, "metric", sourceAt);
        expectObject(metric, mAt);
        return text(required(metric, "name", mAt), child(mAt, "name"));
    };
    if (type == "Resource" || type == "ContainerResource") {
        const bool container = type == "ContainerResource";
        out.source = container ? SourceType::ContainerResource : SourceType::Resource;
        const char* key = container ? "containerResource" : "resource";
        const auto sAt = child(at, key);
        const auto& s = required(m, key, at);
        expectObject(s, sAt);
        out.name = text(required(s, "name", sAt), child(sAt, "name"));
        if (container)
            out.container = text(required(s, "container", sAt), child(sAt, "container"));
        targetOf(s, sAt);
    } else if (type == "Pods" || type == "Object" || type == "External") {
        out.source = type == "Pods"     ? SourceType::Pods
                     : type == "Object" ? SourceType::Object
                                        : SourceType::External;
        const char* key = type == "Pods" ? "pods" : type == "Object" ? "object" : "external";
        const auto sAt = child(at, key);
        const auto& s = required(m, key, at);
        expectObject(s, sAt);
        out.name = metricName(s, sAt);
        if (out.source == SourceType::Object)
            if (const auto* described = optional(s, "describedObject");
                described && described->is_object()) {
                if (const auto* kind = optional(*described, "kind"); kind && kind->is_string())
                    out.objectKind = kind->get<std::string>();
                if (const auto* name = optional(*described, "name"); name && name->is_string())
                    out.objectName = name->get<std::string>();
            }
        targetOf(s, sAt);
    } else {
        throw Problem{child(at, "type"),
                      "expected Resource, ContainerResource, Pods, Object or External, found \"" +
                          type + "\""};
    }
    return out;
}

ScalingRules scalingRules(const Json& r, const std::string& at) {
    expectObject(r, at);
    ScalingRules out;
    if (const auto* w = optional(r, "stabilizationWindowSeconds"))
        out.stabilizationWindowSeconds = static_cast<int>(
            integer(*w, child(at, "stabilizationWindowSeconds"), 0, 3600)); // the API's range
    if (const auto* s = optional(r, "selectPolicy")) {
        const auto name = text(*s, child(at, "selectPolicy"));
        if (name == "Max")
            out.selectPolicy = SelectPolicy::Max;
        else if (name == "Min")
            out.selectPolicy = SelectPolicy::Min;
        else if (name == "Disabled")
            out.selectPolicy = SelectPolicy::Disabled;
        else
            throw Problem{child(at, "selectPolicy"),
                          "expected Max, Min or Disabled, found \"" + name + "\""};
    }
    if (const auto* t = optional(r, "tolerance"))
        out.tolerance = tolerance(*t, child(at, "tolerance"));
    if (const auto* ps = optional(r, "policies")) {
        const auto pAt = child(at, "policies");
        if (!ps->is_array())
            throw Problem{pAt, std::string("expected a list, found ") + ps->type_name()};
        for (std::size_t i = 0; i < ps->size(); ++i) {
            const auto& p = (*ps)[i];
            const auto iAt = child(pAt, i);
            expectObject(p, iAt);
            ScalingPolicy policy;
            const auto type = text(required(p, "type", iAt), child(iAt, "type"));
            if (type == "Pods")
                policy.type = PolicyType::Pods;
            else if (type == "Percent")
                policy.type = PolicyType::Percent;
            else
                throw Problem{child(iAt, "type"),
                              "expected Pods or Percent, found \"" + type + "\""};
            policy.value = static_cast<int>(
                integer(required(p, "value", iAt), child(iAt, "value"), 1, INT_MAX));
            policy.periodSeconds = static_cast<int>(
                integer(required(p, "periodSeconds", iAt), child(iAt, "periodSeconds"), 1, 1800));
            out.policies.push_back(policy);
        }
    }
    return out;
}

Spec hpaSpec(const Json& hpa, const std::string& at) {
    expectObject(hpa, at);
    // A whole HorizontalPodAutoscaler object, or just its spec.
    const bool whole = hpa.contains("spec");
    const auto sAt = whole ? child(at, "spec") : at;
    const auto& s = whole ? hpa.at("spec") : hpa;
    expectObject(s, sAt);
    if (whole)
        if (const auto* api = optional(hpa, "apiVersion");
            api && api->is_string() && api->get<std::string>().rfind("autoscaling/v2", 0) != 0)
            throw Problem{child(at, "apiVersion"), "expected autoscaling/v2, found " + api->dump()};
    Spec out;
    if (const auto* min = optional(s, "minReplicas"))
        out.minReplicas = static_cast<int>(integer(*min, child(sAt, "minReplicas"), 0, INT_MAX));
    out.maxReplicas = static_cast<int>(
        integer(required(s, "maxReplicas", sAt), child(sAt, "maxReplicas"), 1, INT_MAX));
    if (out.maxReplicas < out.minReplicas)
        throw Problem{child(sAt, "maxReplicas"),
                      "is below minReplicas (" + std::to_string(out.minReplicas) + ")"};
    if (const auto* ms = optional(s, "metrics")) {
        const auto mAt = child(sAt, "metrics");
        if (!ms->is_array())
            throw Problem{mAt, std::string("expected a list, found ") + ms->type_name()};
        for (std::size_t i = 0; i < ms->size(); ++i)
            out.metrics.push_back(metricSpec((*ms)[i], child(mAt, i)));
    }
    if (const auto* b = optional(s, "behavior")) {
        const auto bAt = child(sAt, "behavior");
        expectObject(*b, bAt);
        Behavior behavior;
        if (const auto* up = optional(*b, "scaleUp"))
            behavior.scaleUp = scalingRules(*up, child(bAt, "scaleUp"));
        if (const auto* down = optional(*b, "scaleDown"))
            behavior.scaleDown = scalingRules(*down, child(bAt, "scaleDown"));
        out.behavior = behavior;
    }
    return out;
}

/// A map of milli-values; `null` values (no sample) are left out.
void milliMap(const Json& v, const std::string& at, std::map<std::string, std::int64_t>& out) {
    expectObject(v, at);
    for (const auto& [key, value] : v.items())
        if (!value.is_null())
            out[key] = integer(value, child(at, key), INT64_MIN / 1000, INT64_MAX / 1000);
}

PodGroup pod(const Json& p, const std::string& at, std::size_t index) {
    expectObject(p, at);
    refuseUnknown(p, at,
                  {"name", "count", "phase", "ready", "deleting", "cpuRequestMilli",
                   "cpuUsageMilli", "requestsMilli", "usageMilli", "metrics", "startedSecondsAgo",
                   "readyChangedSecondsAgo", "sampleAgeSeconds", "sampleWindowSeconds"});
    PodGroup out;
    out.name = "pod-" + std::to_string(index);
    if (const auto* n = optional(p, "name"))
        out.name = text(*n, child(at, "name"));
    if (const auto* c = optional(p, "count"))
        out.count = static_cast<int>(integer(*c, child(at, "count"), 0, INT_MAX));
    if (const auto* ph = optional(p, "phase")) {
        const auto name = text(*ph, child(at, "phase"));
        if (name == "Pending")
            out.phase = Phase::Pending;
        else if (name == "Running")
            out.phase = Phase::Running;
        else if (name == "Succeeded")
            out.phase = Phase::Succeeded;
        else if (name == "Failed")
            out.phase = Phase::Failed;
        else
            throw Problem{child(at, "phase"),
                          "expected Pending, Running, Succeeded or Failed, found \"" + name + "\""};
    }
    if (const auto* r = optional(p, "ready"))
        out.ready = boolean(*r, child(at, "ready"));
    if (const auto* d = optional(p, "deleting"))
        out.deleting = boolean(*d, child(at, "deleting"));
    if (const auto* r = optional(p, "requestsMilli"))
        milliMap(*r, child(at, "requestsMilli"), out.requestsMilli);
    if (const auto* u = optional(p, "usageMilli"))
        milliMap(*u, child(at, "usageMilli"), out.usageMilli);
    if (const auto* m = optional(p, "metrics"))
        milliMap(*m, child(at, "metrics"), out.metricsMilli);
    if (const auto* r = optional(p, "cpuRequestMilli"))
        out.requestsMilli["cpu"] = integer(*r, child(at, "cpuRequestMilli"), 0, INT64_MAX / 1000);
    if (const auto* u = optional(p, "cpuUsageMilli")) // null: no sample
        out.usageMilli["cpu"] = integer(*u, child(at, "cpuUsageMilli"), 0, INT64_MAX / 1000);
    if (const auto* s = optional(p, "startedSecondsAgo"))
        out.startedSecondsAgo = seconds(*s, child(at, "startedSecondsAgo"));
    if (const auto* s = optional(p, "readyChangedSecondsAgo"))
        out.readyChangedSecondsAgo = seconds(*s, child(at, "readyChangedSecondsAgo"));
    if (const auto* s = optional(p, "sampleAgeSeconds"))
        out.sampleAgeSeconds = seconds(*s, child(at, "sampleAgeSeconds"));
    if (const auto* s = optional(p, "sampleWindowSeconds"))
        out.sampleWindowSeconds = seconds(*s, child(at, "sampleWindowSeconds"));
    return out;
}

StateDocument document(const Json& root) {
    expectObject(root, "");
    refuseUnknown(root, "",
                  {"hpa", "currentReplicas", "statusReplicas", "pods", "metricValues", "history",
                   "controller"});
    StateDocument out;
    auto& s = out.state;
    s.spec = hpaSpec(required(root, "hpa", ""), "/hpa");
    s.currentReplicas = static_cast<int>(
        integer(required(root, "currentReplicas", ""), "/currentReplicas", 0, INT_MAX));
    if (const auto* r = optional(root, "statusReplicas"))
        s.statusReplicas = static_cast<int>(integer(*r, "/statusReplicas", 0, INT_MAX));
    if (const auto* ps = optional(root, "pods")) {
        if (!ps->is_array())
            throw Problem{"/pods", std::string("expected a list, found ") + ps->type_name()};
        for (std::size_t i = 0; i < ps->size(); ++i)
            s.pods.push_back(pod((*ps)[i], child("/pods", i), i));
    }
    if (const auto* mv = optional(root, "metricValues")) {
        expectObject(*mv, "/metricValues");
        for (const auto& [name, values] : mv->items()) {
            const auto at = child("/metricValues", name);
            auto& list = s.metricValues[name];
            if (values.is_array()) {
                for (std::size_t i = 0; i < values.size(); ++i)
                    list.push_back(integer(values[i], child(at, i), INT64_MIN, INT64_MAX));
            } else {
                list.push_back(integer(values, at, INT64_MIN, INT64_MAX));
            }
        }
    }
    if (const auto* h = optional(root, "history")) {
        expectObject(*h, "/history");
        refuseUnknown(*h, "/history", {"recommendations", "scaleEvents"});
        const auto listAt = [&](const char* key) -> const Json* {
            const auto* list = optional(*h, key);
            if (list && !list->is_array())
                throw Problem{child("/history", key), "expected a list"};
            return list;
        };
        if (const auto* recs = listAt("recommendations"))
            for (std::size_t i = 0; i < recs->size(); ++i) {
                const auto at = child("/history/recommendations", i);
                expectObject((*recs)[i], at);
                refuseUnknown((*recs)[i], at, {"replicas", "ageSeconds"});
                s.recommendations.push_back(
                    {static_cast<int>(integer(required((*recs)[i], "replicas", at),
                                              child(at, "replicas"), 0, INT_MAX)),
                     seconds(required((*recs)[i], "ageSeconds", at), child(at, "ageSeconds"))});
            }
        if (const auto* events = listAt("scaleEvents"))
            for (std::size_t i = 0; i < events->size(); ++i) {
                const auto at = child("/history/scaleEvents", i);
                expectObject((*events)[i], at);
                refuseUnknown((*events)[i], at, {"replicaChange", "ageSeconds"});
                s.scaleEvents.push_back(
                    {static_cast<int>(integer(required((*events)[i], "replicaChange", at),
                                              child(at, "replicaChange"), INT_MIN / 2,
                                              INT_MAX / 2)),
                     seconds(required((*events)[i], "ageSeconds", at), child(at, "ageSeconds"))});
            }
    }
    if (const auto* c = optional(root, "controller")) {
        expectObject(*c, "/controller");
        refuseUnknown(*c, "/controller",
                      {"tolerance", "downscaleStabilizationSeconds", "cpuInitializationSeconds",
                       "initialReadinessDelaySeconds", "configurableTolerance"});
        auto& st = out.settings;
        if (const auto* t = optional(*c, "tolerance"))
            st.tolerance = tolerance(*t, "/controller/tolerance");
        if (const auto* w = optional(*c, "downscaleStabilizationSeconds"))
            st.downscaleStabilizationSeconds = static_cast<int>(
                integer(*w, "/controller/downscaleStabilizationSeconds", 0, INT_MAX));
        if (const auto* v = optional(*c, "cpuInitializationSeconds"))
            st.cpuInitializationSeconds = seconds(*v, "/controller/cpuInitializationSeconds");
        if (const auto* v = optional(*c, "initialReadinessDelaySeconds"))
            st.initialReadinessDelaySeconds =
                seconds(*v, "/controller/initialReadinessDelaySeconds");
        if (const auto* v = optional(*c, "configurableTolerance"))
            st.configurableTolerance = boolean(*v, "/controller/configurableTolerance");
    }
    return out;
}

} // namespace

std::optional<std::int64_t> parseQuantityMilli(std::string_view t) {
    // sign, digits with an optional point, then a suffix: decimal SI (n u m k M G T P E),
    // binary (Ki Mi Gi Ti Pi Ei) or an exponent (e3, E-2).
    std::size_t i = 0;
    bool negative = false;
    if (i < t.size() && (t[i] == '+' || t[i] == '-'))
        negative = t[i++] == '-';
    Wide mantissa = 0;
    int exponent10 = 0, digits = 0;
    bool point = false;
    for (; i < t.size(); ++i) {
        if (t[i] == '.' && !point) {
            point = true;
            continue;
        }
        if (t[i] < '0' || t[i] > '9')
            break;
        if (++digits > 18) // with a binary suffix of up to 2^60, within 128 bits
            return std::nullopt;
        mantissa = mantissa * 10 + (t[i] - '0');
        if (point)
            --exponent10;
    }
    if (digits == 0)
        return std::nullopt;
    const auto suffix = t.substr(i);
    int power2 = 0;
    static const std::pair<std::string_view, int> decimal[] = {
        {"", 0},  {"n", -9}, {"u", -6}, {"m", -3}, {"k", 3},
        {"M", 6}, {"G", 9},  {"T", 12}, {"P", 15}, {"E", 18}};
    static const std::pair<std::string_view, int> binary[] = {{"Ki", 10}, {"Mi", 20}, {"Gi", 30},
                                                              {"Ti", 40}, {"Pi", 50}, {"Ei", 60}};
    bool known = false;
    for (const auto& [name, e] : decimal)
        if (suffix == name) {
            exponent10 += e;
            known = true;
        }
    for (const auto& [name, e] : binary)
        if (suffix == name) {
            power2 = e;
            known = true;
        }
    if (!known && suffix.size() > 1 && (suffix[0] == 'e' || suffix[0] == 'E')) {
        int e = 0;
        const auto [end, ec] = std::from_chars(suffix.data() + 1, suffix.data() + suffix.size(), e);
        if (ec != std::errc() || end != suffix.data() + suffix.size() || e > 40 || e < -40)
            return std::nullopt;
        exponent10 += e;
        known = true;
    }
    if (!known)
        return std::nullopt;
    exponent10 += 3; // to milli-units
    Wide value = mantissa << power2;
    constexpr Wide kLimit = static_cast<Wide>(INT64_MAX);
    for (; exponent10 > 0; --exponent10) {
        value *= 10;
        if (value > kLimit)
            return std::nullopt;
    }
    if (exponent10 < 0) { // divide, rounding up (away from zero), as MilliValue does
        Wide divisor = 1;
        for (; exponent10 < 0; ++exponent10) {
            divisor *= 10;
            if (divisor > kLimit * 10)
                return std::nullopt;
        }
        value = (value + divisor - 1) / divisor;
    }
    if (value > kLimit)
        return std::nullopt;
    return static_cast<std::int64_t>(negative ? -value : value);
}

namespace {

nlohmann::ordered_json targetJson(const MetricSpec& m) {
    switch (m.target) {
    case TargetType::Utilization:
        return {{"type", "Utilization"}, {"averageUtilization", m.averageUtilization}};
    case TargetType::Value:
        return {{"type", "Value"}, {"value", quantity(m.milli)}};
    case TargetType::AverageValue:
        return {{"type", "AverageValue"}, {"averageValue", quantity(m.milli)}};
    }
    return {};
}

nlohmann::ordered_json metricJson(const MetricSpec& m) {
    using J = nlohmann::ordered_json;
    switch (m.source) {
    case SourceType::Resource:
        return {{"type", "Resource"}, {"resource", {{"name", m.name}, {"target", targetJson(m)}}}};
    case SourceType::ContainerResource:
        return {{"type", "ContainerResource"},
                {"containerResource",
                 {{"name", m.name}, {"container", m.container}, {"target", targetJson(m)}}}};
    case SourceType::Pods:
        return {{"type", "Pods"},
                {"pods", {{"metric", {{"name", m.name}}}, {"target", targetJson(m)}}}};
    case SourceType::Object:
        return {{"type", "Object"},
                {"object",
                 {{"metric", {{"name", m.name}}},
                  {"describedObject", {{"kind", m.objectKind}, {"name", m.objectName}}},
                  {"target", targetJson(m)}}}};
    case SourceType::External:
        return {{"type", "External"},
                {"external", {{"metric", {{"name", m.name}}}, {"target", targetJson(m)}}}};
    }
    return J::object();
}

nlohmann::ordered_json rulesJson(const ScalingRules& r) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    if (r.stabilizationWindowSeconds)
        out["stabilizationWindowSeconds"] = *r.stabilizationWindowSeconds;
    if (r.selectPolicy)
        out["selectPolicy"] = *r.selectPolicy == SelectPolicy::Max   ? "Max"
                              : *r.selectPolicy == SelectPolicy::Min ? "Min"
                                                                     : "Disabled";
    if (!r.policies.empty()) {
        auto& list = out["policies"] = nlohmann::ordered_json::array();
        for (const auto& p : r.policies)
            list.push_back({{"type", p.type == PolicyType::Pods ? "Pods" : "Percent"},
                            {"value", p.value},
                            {"periodSeconds", p.periodSeconds}});
    }
    if (r.tolerance) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", *r.tolerance);
        out["tolerance"] = text;
    }
    return out;
}

} // namespace

std::string hpaObjectJson(const Spec& spec, const std::string& name) {
    nlohmann::ordered_json s;
    s["scaleTargetRef"] = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", name}};
    s["minReplicas"] = spec.minReplicas;
    s["maxReplicas"] = spec.maxReplicas;
    auto& metrics = s["metrics"] = nlohmann::ordered_json::array();
    for (const auto& m : spec.metrics)
        metrics.push_back(metricJson(m));
    if (spec.behavior) {
        auto& b = s["behavior"] = nlohmann::ordered_json::object();
        if (spec.behavior->scaleUp)
            b["scaleUp"] = rulesJson(*spec.behavior->scaleUp);
        if (spec.behavior->scaleDown)
            b["scaleDown"] = rulesJson(*spec.behavior->scaleDown);
    }
    const nlohmann::ordered_json object = {{"apiVersion", "autoscaling/v2"},
                                           {"kind", "HorizontalPodAutoscaler"},
                                           {"metadata", {{"name", name}}},
                                           {"spec", std::move(s)}};
    return object.dump(2);
}

Result<Spec> parseHpaSpec(std::string_view json) {
    Json root;
    try {
        root = Json::parse(json);
    } catch (const Json::parse_error& e) {
        return Error{std::string("not valid JSON: ") + e.what(), "", ""};
    }
    try {
        return hpaSpec(root, "");
    } catch (const Problem& p) {
        return Error{p.message, "", p.pointer.empty() ? "/" : p.pointer};
    }
}

Result<StateDocument> parseState(std::string_view text, bool yaml, const std::string& file) {
    Json root;
    if (yaml) {
        try {
            // Typed as YAML says; the key order matters to no reader here.
            root = Json::parse(yamlToJson(YAML::Load(std::string(text))).dump());
        } catch (const nlohmann::json::exception&) {
            return Error{"not valid YAML: the text is not UTF-8", file, ""};
        } catch (const YAML::Exception& e) {
            return Error{"not valid YAML: " + e.msg, file,
                         "line " + std::to_string(e.mark.line + 1) + ", column " +
                             std::to_string(e.mark.column + 1)};
        }
    } else {
        try {
            root = Json::parse(text);
        } catch (const Json::parse_error& e) {
            std::string message = e.what();
            // "[json.exception...] parse error at line 1, column 12: syntax error while
            // parsing value - unexpected end of input; ...": the place is given apart.
            if (const auto colon = message.rfind(": "); colon != std::string::npos)
                message = message.substr(colon + 2);
            if (const auto dash = message.find(" - "); dash != std::string::npos)
                message = message.substr(dash + 3);
            return Error{"not valid JSON: " + message, file,
                         lineAndColumn(text, e.byte > 0 ? e.byte - 1 : 0)};
        }
    }
    try {
        return document(root);
    } catch (const Problem& p) {
        return Error{p.message, file, p.pointer.empty() ? "/" : p.pointer};
    }
}

} // namespace headroom::whatif::hpa
