#include "metrics/units.h"

#include <algorithm>
#include <cctype>

namespace headroom::metrics {
namespace {

struct Conversion {
    std::string_view role;
    std::string_view unit;
    std::string_view label;
    double factor;        ///< multiply by this ...
    bool perCore = false; ///< ... and divide by the cores per instance
};

// The first entry of each role is its own unit (factor 1).
constexpr Conversion kConversions[] = {
    {"arrival_rate", "req/s", "requests per second", 1},
    {"arrival_rate", "req/min", "requests per minute", 1.0 / 60},
    {"arrival_rate", "req/h", "requests per hour", 1.0 / 3600},
    {"cpu_utilization", "fraction", "fraction of the CPU request (0 to 1)", 1},
    {"cpu_utilization", "%", "percent of the CPU request", 0.01},
    {"cpu_utilization", "cores", "cores in use per instance", 1, true},
    {"cpu_utilization", "mcores", "millicores in use per instance", 0.001, true},
    {"latency_mean", "ms", "milliseconds", 1},
    {"latency_mean", "s", "seconds", 1000},
    {"latency_mean", "us", "microseconds", 0.001},
    {"latency_p95", "ms", "milliseconds", 1},
    {"latency_p95", "s", "seconds", 1000},
    {"latency_p95", "us", "microseconds", 0.001},
    {"latency_p99", "ms", "milliseconds", 1},
    {"latency_p99", "s", "seconds", 1000},
    {"latency_p99", "us", "microseconds", 0.001},
    {"error_rate", "fraction", "fraction of requests (0 to 1)", 1},
    {"error_rate", "%", "percent of requests", 0.01},
    {"queue_depth", "messages", "messages", 1},
    {"replica_count", "instances", "instances", 1},
    {"replication_lag", "ms", "milliseconds", 1},
    {"replication_lag", "s", "seconds", 1000},
};

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

} // namespace

std::vector<UnitOption> unitsFor(std::string_view roleKey) {
    std::vector<UnitOption> out;
    for (const auto& c : kConversions)
        if (c.role == roleKey)
            out.push_back({std::string(c.unit), std::string(c.label)});
    return out;
}

Result<double> factorToRoleUnit(std::string_view unit, std::string_view roleKey,
                                const UnitContext& context) {
    const Role* role = findRole(roleKey);
    if (!role)
        return Error{"unknown role '" + std::string(roleKey) + "'", "", ""};
    if (unit.empty() || unit == role->unit)
        return 1.0;
    for (const auto& c : kConversions) {
        if (c.role != roleKey || c.unit != unit)
            continue;
        if (!c.perCore)
            return c.factor;
        if (!context.coresPerInstance || *context.coresPerInstance <= 0)
            return Error{"CPU in " + std::string(unit) +
                             " needs the instance's CPU request (the component's CPU request "
                             "property) to become a utilisation",
                         "", ""};
        return c.factor / *context.coresPerInstance;
    }
    std::string known;
    for (const auto& option : unitsFor(roleKey))
        known += (known.empty() ? "" : ", ") + option.key;
    return Error{"a series bound as " + role->label + " cannot be in '" + std::string(unit) +
                     "' (it can be in " + known + ")",
                 "", ""};
}

std::string guessUnit(std::string_view seriesName, std::string_view roleKey) {
    const auto name = lower(seriesName);
    const auto accepts = [&](std::string_view unit) {
        for (const auto& c : kConversions)
            if (c.role == roleKey && c.unit == unit)
                return true;
        return false;
    };
    const auto own = unitsFor(roleKey);
    const std::string fallback = own.empty() ? std::string() : own.front().key;
    if ((contains(name, "millisecond") || name.ends_with("_ms")) && accepts("ms"))
        return "ms";
    if ((contains(name, "microsecond") || name.ends_with("_us")) && accepts("us"))
        return "us";
    if ((contains(name, "seconds") || name.ends_with("_s")) && accepts("s"))
        return "s";
    if ((contains(name, "percent") || contains(name, "pct") || name.ends_with("_%")) &&
        accepts("%"))
        return "%";
    if (contains(name, "millicores") && accepts("mcores"))
        return "mcores";
    if ((contains(name, "cores") || contains(name, "cpu_usage_seconds")) && accepts("cores"))
        return "cores";
    if ((contains(name, "per_minute") || contains(name, "rpm")) && accepts("req/min"))
        return "req/min";
    return fallback;
}

std::optional<std::string> guessRole(std::string_view seriesName) {
    const auto name = lower(seriesName);
    if (contains(name, "p99") || contains(name, "0.99"))
        return "latency_p99";
    if (contains(name, "p95") || contains(name, "0.95"))
        return "latency_p95";
    if (contains(name, "latency") || contains(name, "duration") || contains(name, "response_time"))
        return "latency_mean";
    if (contains(name, "cpu"))
        return "cpu_utilization";
    if (contains(name, "lag"))
        return "replication_lag";
    if (contains(name, "queue") || contains(name, "messages") || contains(name, "backlog"))
        return "queue_depth";
    if (contains(name, "replica") || contains(name, "pods") || contains(name, "instances"))
        return "replica_count";
    if (contains(name, "error") || contains(name, "5xx") || contains(name, "fail"))
        return "error_rate";
    if (contains(name, "rps") || contains(name, "request") || contains(name, "rate") ||
        contains(name, "throughput") || contains(name, "qps") || contains(name, "rpm"))
        return "arrival_rate";
    return std::nullopt;
}

} // namespace headroom::metrics
