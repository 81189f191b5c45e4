#include "model/scenario.h"

#include "common/text_position.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace headroom {
namespace {

using Json = nlohmann::ordered_json;

struct Problem {
    std::string pointer;
    std::string message;
};

void expectObject(const Json& v, const std::string& at) {
    if (!v.is_object())
        throw Problem{at, std::string("expected an object, found ") + v.type_name()};
}

const Json* field(const Json& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string text(const Json& object, const std::string& at, const char* key, bool required) {
    const auto* v = field(object, key);
    if (!v) {
        if (required)
            throw Problem{at + "/" + key, "missing"};
        return {};
    }
    if (!v->is_string())
        throw Problem{at + "/" + key, std::string("expected a string, found ") + v->type_name()};
    return v->get<std::string>();
}

std::string plain(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", v);
    return text;
}

/// An optional number within [low, high], `fallback` when absent.
double number(const Json& object, const std::string& at, const char* key, double fallback,
              double low, double high) {
    const auto* v = field(object, key);
    if (!v)
        return fallback;
    if (!v->is_number() || !std::isfinite(v->get<double>()))
        throw Problem{at + "/" + key, "expected a number, found " + v->dump()};
    const double x = v->get<double>();
    if (x < low || x > high)
        throw Problem{at + "/" + key, "must lie between " + plain(low) + " and " + plain(high) +
                                          ", got " + plain(x)};
    return x;
}

bool flag(const Json& object, const std::string& at, const char* key, bool fallback) {
    const auto* v = field(object, key);
    if (!v)
        return fallback;
    if (!v->is_boolean())
        throw Problem{at + "/" + key, "expected true or false, found " + v->dump()};
    return v->get<bool>();
}

template <typename T> Result<T> parsed(std::string_view json, T (*read)(const Json&)) {
    Json root;
    try {
        root = Json::parse(json);
    } catch (const Json::parse_error& e) {
        return Error{std::string("not valid JSON: ") + e.what(), "",
                     lineAndColumn(json, e.byte > 0 ? e.byte - 1 : 0)};
    }
    try {
        return read(root);
    } catch (const Problem& p) {
        return Error{p.message, "", p.pointer.empty() ? "/" : p.pointer};
    }
}

ScenarioTransform readTransform(const Json& t, const std::string& at) {
    expectObject(t, at);
    ScenarioTransform out;
    const auto type = text(t, at, "type", true);
    constexpr double kHours = 24 * 3660.0; // ten years
    if (type == "scale") {
        out.kind = TransformKind::Scale;
        out.factor = number(t, at, "factor", 1, 0, 1e6);
    } else if (type == "growth") {
        out.kind = TransformKind::Growth;
        out.percentPerMonth = number(t, at, "percent_per_month", 0, -100, 1e4);
        out.compounded = flag(t, at, "compounded", false);
    } else if (type == "step") {
        out.kind = TransformKind::Step;
        out.atHours = number(t, at, "at_hours", 0, 0, kHours);
        out.factor = number(t, at, "factor", 1, 0, 1e6);
    } else if (type == "spike") {
        out.kind = TransformKind::Spike;
        out.atHours = number(t, at, "at_hours", 0, 0, kHours);
        out.factor = number(t, at, "factor", 2, 0, 1e6);
        out.riseMinutes = number(t, at, "rise_minutes", 5, 0, 1e5);
        out.decayMinutes = number(t, at, "decay_minutes", 30, 0.01, 1e6);
    } else if (type == "repeat") {
        out.kind = TransformKind::Repeat;
        const double times = number(t, at, "times", 1, 1, 1000);
        if (times != std::floor(times))
            throw Problem{at + "/times", "expected a whole number of repeats"};
        out.times = static_cast<int>(times);
    } else {
        throw Problem{at + "/type",
                      "expected scale, growth, step, spike or repeat, found \"" + type + "\""};
    }
    return out;
}

RollingDeploy readDeploy(const Json& d, const std::string& at) {
    expectObject(d, at);
    RollingDeploy out;
    out.atHours = number(d, at, "at_hours", 0, 0, 24 * 3660.0);
    out.component = text(d, at, "component", false);
    for (const auto& [key, value] : {std::pair{"max_surge", &out.maxSurge},
                                     std::pair{"max_unavailable", &out.maxUnavailable}}) {
        if (const auto* v = field(d, key)) {
            *value = v->is_number_integer() ? std::to_string(v->get<long long>())
                                            : text(d, at, key, false);
            if (!resolveIntOrPercent(*value, 100, true))
                throw Problem{at + "/" + key,
                              "expected a count such as 1 or a percent such as \"25%\", found " +
                                  v->dump()};
        }
    }
    return out;
}

Scenario readScenario(const Json& root) {
    expectObject(root, "");
    Scenario s;
    s.name = text(root, "", "name", true);
    if (s.name.empty())
        throw Problem{"/name", "a scenario needs a name"};
    s.description = text(root, "", "description", false);
    s.component = text(root, "", "component", false);
    const auto source = text(root, "", "source", true);
    if (source != "recorded" && source != "synthetic")
        throw Problem{"/source", "expected recorded or synthetic, found \"" + source + "\""};
    s.recorded = source == "recorded";
    if (s.recorded && s.component.empty())
        throw Problem{"/component", "a recorded scenario names the component whose "
                                    "arrival-rate series it replays"};
    if (const auto* syn = field(root, "synthetic")) {
        expectObject(*syn, "/synthetic");
        auto& l = s.synthetic;
        l.meanRps = number(*syn, "/synthetic", "mean_rps", l.meanRps, 0, 1e9);
        l.days = number(*syn, "/synthetic", "days", l.days, 1.0 / 24 / 60, 3660);
        l.dailyAmplitude = number(*syn, "/synthetic", "daily_amplitude", l.dailyAmplitude, 0, 1);
        l.peakHour = number(*syn, "/synthetic", "peak_hour", l.peakHour, 0, 24);
        l.weekendFactor = number(*syn, "/synthetic", "weekend_factor", l.weekendFactor, 0, 100);
        l.poissonNoise = flag(*syn, "/synthetic", "poisson_noise", l.poissonNoise);
        l.seed = static_cast<std::uint64_t>(number(*syn, "/synthetic", "seed", 1, 0, 9e15));
    } else if (!s.recorded) {
        throw Problem{"/synthetic", "missing: a synthetic scenario needs its shape"};
    }
    if (const auto* ts = field(root, "transforms")) {
        if (!ts->is_array())
            throw Problem{"/transforms", std::string("expected a list, found ") + ts->type_name()};
        for (std::size_t i = 0; i < ts->size(); ++i)
            s.transforms.push_back(readTransform((*ts)[i], "/transforms/" + std::to_string(i)));
    }
    if (const auto* ds = field(root, "deploys")) {
        if (!ds->is_array())
            throw Problem{"/deploys", std::string("expected a list, found ") + ds->type_name()};
        for (std::size_t i = 0; i < ds->size(); ++i)
            s.deploys.push_back(readDeploy((*ds)[i], "/deploys/" + std::to_string(i)));
    }
    return s;
}

AutoscalingPolicy readPolicy(const Json& root) {
    expectObject(root, "");
    AutoscalingPolicy p;
    p.name = text(root, "", "name", true);
    if (p.name.empty())
        throw Problem{"/name", "a policy needs a name"};
    p.component = text(root, "", "component", true);
    const auto kind = text(root, "", "kind", true);
    bool known = false;
    for (const auto k : {PolicyKind::Fixed, PolicyKind::KubernetesHpa, PolicyKind::AwsAutoScaling,
                         PolicyKind::Keda})
        if (kind == toKey(k)) {
            p.kind = k;
            known = true;
        }
    if (!known)
        throw Problem{"/kind",
                      "expected fixed, kubernetes_hpa, aws_auto_scaling or keda, found \"" + kind +
                          "\""};
    const auto* definition = field(root, "definition");
    if (!definition)
        throw Problem{"/definition", "missing: the autoscaler's own configuration"};
    expectObject(*definition, "/definition");
    p.definition = definition->dump();
    return p;
}

} // namespace

const char* toKey(TransformKind kind) {
    switch (kind) {
    case TransformKind::Scale:
        return "scale";
    case TransformKind::Growth:
        return "growth";
    case TransformKind::Step:
        return "step";
    case TransformKind::Spike:
        return "spike";
    case TransformKind::Repeat:
        return "repeat";
    }
    return "";
}

const char* toKey(PolicyKind kind) {
    switch (kind) {
    case PolicyKind::Fixed:
        return "fixed";
    case PolicyKind::KubernetesHpa:
        return "kubernetes_hpa";
    case PolicyKind::AwsAutoScaling:
        return "aws_auto_scaling";
    case PolicyKind::Keda:
        return "keda";
    }
    return "";
}

std::string scenarioToJson(const Scenario& s) {
    Json out;
    out["name"] = s.name;
    if (!s.description.empty())
        out["description"] = s.description;
    out["source"] = s.recorded ? "recorded" : "synthetic";
    if (!s.component.empty())
        out["component"] = s.component;
    if (!s.recorded) {
        const auto& l = s.synthetic;
        out["synthetic"] = {{"mean_rps", l.meanRps},
                            {"days", l.days},
                            {"daily_amplitude", l.dailyAmplitude},
                            {"peak_hour", l.peakHour},
                            {"weekend_factor", l.weekendFactor},
                            {"poisson_noise", l.poissonNoise},
                            {"seed", l.seed}};
    }
    Json transforms = Json::array();
    for (const auto& t : s.transforms) {
        Json j{{"type", toKey(t.kind)}};
        switch (t.kind) {
        case TransformKind::Scale:
            j["factor"] = t.factor;
            break;
        case TransformKind::Growth:
            j["percent_per_month"] = t.percentPerMonth;
            j["compounded"] = t.compounded;
            break;
        case TransformKind::Step:
            j["at_hours"] = t.atHours;
            j["factor"] = t.factor;
            break;
        case TransformKind::Spike:
            j["at_hours"] = t.atHours;
            j["factor"] = t.factor;
            j["rise_minutes"] = t.riseMinutes;
            j["decay_minutes"] = t.decayMinutes;
            break;
        case TransformKind::Repeat:
            j["times"] = t.times;
            break;
        }
        transforms.push_back(std::move(j));
    }
    if (!transforms.empty())
        out["transforms"] = std::move(transforms);
    Json deploys = Json::array();
    for (const auto& d : s.deploys) {
        Json j{{"at_hours", d.atHours},
               {"max_surge", d.maxSurge},
               {"max_unavailable", d.maxUnavailable}};
        if (!d.component.empty())
            j["component"] = d.component;
        deploys.push_back(std::move(j));
    }
    if (!deploys.empty())
        out["deploys"] = std::move(deploys);
    return out.dump();
}

std::optional<int> resolveIntOrPercent(std::string_view text, int desired, bool roundUp) {
    const bool percent = !text.empty() && text.back() == '%';
    const auto digits = percent ? text.substr(0, text.size() - 1) : text;
    if (digits.empty() || digits.size() > 9 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    const long long v = std::stoll(std::string(digits));
    if (!percent)
        return static_cast<int>(v);
    const long long scaled = v * desired;
    return static_cast<int>(roundUp ? (scaled + 99) / 100 : scaled / 100);
}

Result<Scenario> scenarioFromJson(std::string_view json) {
    return parsed<Scenario>(json, &readScenario);
}

std::string policyToJson(const AutoscalingPolicy& p) {
    Json out;
    out["name"] = p.name;
    out["component"] = p.component;
    out["kind"] = toKey(p.kind);
    // Policies read from files always hold an object; keep anything else as its text.
    auto definition = Json::parse(p.definition.empty() ? "{}" : p.definition, nullptr, false);
    out["definition"] = definition.is_discarded() ? Json(p.definition) : std::move(definition);
    return out.dump();
}

Result<AutoscalingPolicy> policyFromJson(std::string_view json) {
    return parsed<AutoscalingPolicy>(json, &readPolicy);
}

} // namespace headroom
