#pragma once
// Small projects the storage tests share.

#include "model/project.h"

namespace headroom::test {

/// A project that touches every field: zones with a parent, every value type, fan-out,
/// only-on-miss, and names full of characters that break naive writers.
inline Project everyFieldProject() {
    Project p;
    p.name = "Tricky \"shop\" {with} braces\nand a newline, \u00e9t\u00e9 \U0001F680";
    p.description = "line one\nline two\t'quoted' \\ backslash";
    p.zones.push_back({"eu", "Europe", ZoneKind::Region, "", {0.5, -10.25, 800, 400}});
    p.zones.push_back({"eu-a", "AZ a", ZoneKind::AvailabilityZone, "eu", {10, 10, 300, 200}});

    auto users = makeComponent(ComponentKind::Client, "users", "Users <script>");
    users.properties["arrival_rate_rps"] = 1234.5678;
    users.position = {-50.125, 33.3};
    auto web = makeComponent(ComponentKind::Service, "web", "Web ${HOME} `rm -rf`");
    web.zone = "eu-a";
    web.properties["replicas"] = std::int64_t{7};
    web.properties["stateless"] = false;
    web.properties["session_store"] = std::string("local_memory");
    web.properties["service_time_ms"] = 0.1 + 0.2; // not exactly 0.3: must survive exactly
    web.position = {200, 100};
    auto cache = makeComponent(ComponentKind::Cache, "cache", "");
    cache.zone = "eu";
    auto db = makeComponent(ComponentKind::DatabasePrimary, "db", "DB");
    p.components = {users, web, cache, db};

    p.links.push_back({"a", "users", "web", LinkKind::SyncCall, 1.0, false, {}});
    p.links.push_back({"b", "web", "cache", LinkKind::Read, 2.5, false, {}});
    p.links.push_back({"c", "web", "db", LinkKind::Read, 2.5, true, {}});
    p.links.push_back({"d", "web", "db", LinkKind::Write, 0.05, false, {{1.5, -2.25}, {300, 7}}});

    Scenario week;
    week.name = "Black \"Friday\" week\n";
    week.description = "diurnal, with a spike";
    week.synthetic = {250.5, 7, 0.6, 20.5, 0.7, true, 42};
    week.transforms = {{TransformKind::Growth, 1, 0, 5, 30, 3.5, true, 1},
                       {TransformKind::Spike, 4, 100.25, 2, 45, 0, false, 1},
                       {TransformKind::Repeat, 1, 0, 5, 30, 0, false, 3}};
    week.deploys = {{100.5, "web", "1", "0"}, {130, "", "25%", "10%"}};
    Scenario recorded;
    recorded.name = "last month";
    recorded.recorded = true;
    recorded.component = "web";
    recorded.transforms = {{TransformKind::Scale, 1.5, 0, 5, 30, 0, false, 1}};
    p.scenarios = {week, recorded};
    p.policies.push_back({"web hpa", "web", PolicyKind::KubernetesHpa,
                          R"({"spec":{"maxReplicas":12,"minReplicas":2}})"});
    p.policies.push_back({"fixed", "web", PolicyKind::Fixed, R"({"replicas":4})"});
    return p;
}

/// users -> web, the tier the what-if tests size: web clones take 10 ms of CPU on one core per
/// request (100 req/s each at saturation), request 500m of CPU, boot in 60 s and cost 0.10 USD
/// an hour. Drawn: 200 req/s on 4 clones, CPU at 50%. No scenario, no policy.
inline Project cpuBoundTier() {
    Project p;
    p.name = "one tier";
    auto users = makeComponent(ComponentKind::Client, "users", "Users");
    users.properties["arrival_rate_rps"] = 200.0;
    auto web = makeComponent(ComponentKind::Service, "web", "Web");
    web.properties["replicas"] = std::int64_t{4};
    web.properties["concurrency"] = std::int64_t{8};
    web.properties["service_time_ms"] = 20.0;
    web.properties["cpu_ms_per_request"] = 10.0;
    web.properties["cores"] = 1.0;
    web.properties["cpu_request_millicores"] = 500.0;
    web.properties["boot_time_s"] = 60.0;
    web.properties["price_per_hour_usd"] = 0.10;
    p.components = {users, web};
    p.links.push_back({"l", "users", "web", LinkKind::SyncCall, 1.0, false, {}});
    return p;
}

/// A flat load of `rps` (entering the system) for `hours`, named "flat".
inline Scenario flatScenario(double rps, double hours) {
    Scenario s;
    s.name = "flat";
    s.synthetic.meanRps = rps;
    s.synthetic.days = hours / 24;
    s.synthetic.dailyAmplitude = 0;
    return s;
}

} // namespace headroom::test
