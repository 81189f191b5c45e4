#include "analysis/analysis.h"
#include "analysis/design_checks.h"
#include "analysis/queueing.h"
#include "analysis/station.h"
#include "storage/project_io.h"
#include "support/temp_dir.h"
#include "synthetic_topology.h"
#include "test_projects.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <limits>

namespace headroom::analysis {
namespace {

Component& add(Project& p, ComponentKind kind, const std::string& id) {
    p.components.push_back(makeComponent(kind, id, id));
    return p.components.back();
}
void link(Project& p, const std::string& from, const std::string& to, LinkKind kind,
          double calls = 1, bool onMiss = false) {
    p.links.push_back(
        {from + "-" + to + "-" + std::string(toKey(kind)), from, to, kind, calls, onMiss, {}});
}
AnalysisOptions atLoad(double multiplier) {
    AnalysisOptions options;
    options.loadMultiplier = multiplier;
    return options;
}
std::size_t indexOf(const Project& p, const std::string& id) {
    for (std::size_t i = 0; i < p.components.size(); ++i)
        if (p.components[i].id == id)
            return i;
    throw std::runtime_error("no " + id);
}

/// Every rule of propagation in one drawing, each rate worked out by hand in the comments.
Project propagationProject() {
    Project p;
    auto& users = add(p, ComponentKind::Client, "users");
    users.properties["arrival_rate_rps"] = 100.0;
    users.properties["static_fraction"] = 0.5;
    add(p, ComponentKind::Cdn, "cdn").properties["offload_ratio"] = 0.8;
    add(p, ComponentKind::LoadBalancer, "lb");
    add(p, ComponentKind::Service, "web");
    add(p, ComponentKind::Cache, "cache").properties["hit_ratio"] = 0.75;
    add(p, ComponentKind::DatabasePrimary, "db");
    add(p, ComponentKind::ReadReplicas, "replicas").properties["read_share"] = 0.5;
    add(p, ComponentKind::Queue, "queue");
    add(p, ComponentKind::WorkerGroup, "workers");
    add(p, ComponentKind::ExternalApi, "api");
    link(p, "users", "cdn", LinkKind::SyncCall);
    link(p, "cdn", "lb", LinkKind::SyncCall);
    link(p, "lb", "web", LinkKind::SyncCall);
    link(p, "web", "cache", LinkKind::Read, 4);
    link(p, "web", "db", LinkKind::Read, 4, true);
    link(p, "web", "db", LinkKind::Write, 0.5);
    link(p, "db", "replicas", LinkKind::Write);
    link(p, "web", "queue", LinkKind::AsyncEnqueue, 0.1);
    link(p, "queue", "workers", LinkKind::AsyncEnqueue);
    link(p, "workers", "api", LinkKind::SyncCall, 2);
    return p;
}

TEST(Traffic, PropagatesThroughEveryKindAsWorkedByHand) {
    const auto p = propagationProject();
    const auto t = buildTopology(p);
    const auto r = propagateTraffic(p, t);
    const auto at = [&](const char* id) { return r.components[indexOf(p, id)]; };
    EXPECT_DOUBLE_EQ(r.entryRate, 100);
    // 100 in, 50 static; the edge answers 0.8 of the static: 100 - 40 = 60 forwarded.
    EXPECT_DOUBLE_EQ(at("lb").total(), 60);
    EXPECT_DOUBLE_EQ(at("lb").staticRate, 10);
    EXPECT_DOUBLE_EQ(at("web").total(), 60);
    EXPECT_DOUBLE_EQ(at("cache").reads, 240); // 4 lookups a request
    // Reads on miss: 60 x 4 x 0.25 = 60, half handed to the replicas (read_share 0.5).
    EXPECT_DOUBLE_EQ(at("db").reads, 30);
    EXPECT_DOUBLE_EQ(at("db").writes, 30); // 60 x 0.5
    EXPECT_DOUBLE_EQ(at("replicas").reads, 30);
    EXPECT_DOUBLE_EQ(at("replicas").writes, 30); // replication of every write
    EXPECT_DOUBLE_EQ(at("queue").total(), 6);    // 60 x 0.1
    EXPECT_DOUBLE_EQ(at("workers").total(), 6);
    EXPECT_DOUBLE_EQ(at("api").total(), 12);
    EXPECT_TRUE(r.cycles.empty());
    // What web's response pays per request for the db: 1 read (4 x 0.25) and 0.5 writes.
    EXPECT_DOUBLE_EQ(r.links[4].perCallerRequest, 1.0);
    EXPECT_DOUBLE_EQ(r.links[5].perCallerRequest, 0.5);
    // The load multiplier scales every rate.
    const auto doubled = propagateTraffic(p, t, 2.0);
    EXPECT_DOUBLE_EQ(doubled.components[indexOf(p, "api")].total(), 24);
}

TEST(Traffic, CyclesAreReportedAndOnlyTheLinkClosingThemCarriesNothing) {
    Project p;
    add(p, ComponentKind::Client, "users").properties["arrival_rate_rps"] = 10.0;
    add(p, ComponentKind::Service, "a");
    add(p, ComponentKind::Service, "b");
    add(p, ComponentKind::Service, "c");
    link(p, "users", "a", LinkKind::SyncCall);
    link(p, "a", "b", LinkKind::SyncCall, 2);
    link(p, "b", "a", LinkKind::SyncCall);
    link(p, "b", "c", LinkKind::SyncCall);
    const auto t = buildTopology(p);
    const auto r = propagateTraffic(p, t);
    ASSERT_EQ(r.cycles.size(), 1u);
    auto cycle = r.cycles[0];
    std::sort(cycle.begin(), cycle.end());
    EXPECT_EQ(cycle, (std::vector<std::string>{"a", "b"}));
    // The link back from b to a closes the loop and carries nothing; the way in carries
    // traffic like any other: a gets the users' 10, b twice that, c behind b its 20.
    EXPECT_DOUBLE_EQ(r.components[1].total(), 10);
    EXPECT_DOUBLE_EQ(r.components[2].total(), 20);
    EXPECT_DOUBLE_EQ(r.components[3].total(), 20);
    EXPECT_FALSE(r.links[1].closesCycle);
    EXPECT_TRUE(r.links[2].closesCycle);
    EXPECT_DOUBLE_EQ(r.links[2].rate, 0);
    const auto analysis = analyze(p);
    EXPECT_EQ(analysis.cycles.size(), 1u);
}

TEST(Traffic, OnlyOnMissPairsWithTheCacheReadTheSameNumberOfTimes) {
    Project p;
    add(p, ComponentKind::Client, "users").properties["arrival_rate_rps"] = 10.0;
    add(p, ComponentKind::Service, "web");
    add(p, ComponentKind::Cache, "sessions").properties["hit_ratio"] = 0.99;
    add(p, ComponentKind::Cache, "catalog").properties["hit_ratio"] = 0.8;
    add(p, ComponentKind::DatabasePrimary, "db");
    link(p, "users", "web", LinkKind::SyncCall);
    link(p, "web", "sessions", LinkKind::Read, 1);
    link(p, "web", "catalog", LinkKind::Read, 5);
    link(p, "web", "db", LinkKind::Read, 5, true);
    const auto t = buildTopology(p);
    EXPECT_EQ(pairedCache(p, t, 3), indexOf(p, "catalog"));
    EXPECT_DOUBLE_EQ(propagateTraffic(p, t).components[indexOf(p, "db")].reads, 10.0); // 50 x 0.2
    p.links[3].callsPerRequest = 2; // no cache read twice: the one with the most misses
    EXPECT_EQ(pairedCache(p, buildTopology(p), 3), indexOf(p, "catalog"));
}

double resource(const ComponentAnalysis& c, const std::string& name) {
    for (const auto& r : c.station.resources)
        if (r.name == name)
            return r.utilisation;
    throw std::runtime_error(c.id + " has no " + name);
}

/// One client sending `rate` requests per second to a single-clone service whose requests
/// take `cpuMs` of CPU on one core: a device in operational-law terms.
Project oneDevice(double rate, double cpuMs) {
    Project p;
    add(p, ComponentKind::Client, "clients").properties["arrival_rate_rps"] = rate;
    auto& device = add(p, ComponentKind::Service, "device");
    device.properties["replicas"] = std::int64_t{1};
    device.properties["cores"] = 1.0;
    device.properties["cpu_ms_per_request"] = cpuMs;
    device.properties["service_time_ms"] = cpuMs;
    link(p, "clients", "device", LinkKind::SyncCall);
    return p;
}

TEST(Analysis, TheUtilisationLawGivesJainsGatewayExample) {
    // Jain, "The Art of Computer Systems Performance Analysis" (Wiley, 1991), example 33.1, as
    // on his slides "Operational Laws" (UC Berkeley mini-course, 2012, slide 33-6; transcript
    // at http://sciencedocbox.com/Physics/81938959-Operational-laws-33-1.html): packets
    // arrive at a gateway at 125 a second and take 2 ms each to forward. Printed: U = X S =
    // 125 x 0.002 = 0.25 = 25%.
    const auto gateway = analyze(oneDevice(125, 2)).components[1];
    EXPECT_DOUBLE_EQ(gateway.traffic.total(), 125);
    EXPECT_NEAR(resource(gateway, "CPU"), 0.25, 1e-12);
    // Jain's exercise 33.1: 400 packets in 10 s through a gateway whose CPU serves 200 a
    // second. The answer "U = (1/200 x 400) / 10 = 20%" is from a third party's worked
    // solutions ("Chapter 33 Operational Laws", powershow.com), not from Jain.
    EXPECT_NEAR(resource(analyze(oneDevice(400.0 / 10, 1000.0 / 200)).components[1], "CPU"), 0.20,
                1e-12);
}

TEST(Traffic, TheForcedFlowLawOnJainsFileServerExercise) {
    // Jain (1991), exercise 33.3, as reproduced in "Chapter 33 Operational Laws"
    // (powershow.com): 40 requests served by a file server in 10 s, each making two disk
    // accesses of 30 ms. The answer is cut off in the copy we could read: it is not a printed
    // figure. By the forced flow law the disk serves V X = 2 x 4 = 8 accesses a second, and by
    // the utilisation law it is busy 8 x 0.03 = 24% of the time.
    Project p;
    add(p, ComponentKind::Client, "clients").properties["arrival_rate_rps"] = 40.0 / 10;
    auto& server = add(p, ComponentKind::Service, "fileserver");
    server.properties["replicas"] = std::int64_t{1};
    server.properties["cpu_ms_per_request"] = 0.0;
    auto& disk = add(p, ComponentKind::Service, "disk"); // one access at a time
    disk.properties["replicas"] = std::int64_t{1};
    disk.properties["concurrency"] = std::int64_t{1};
    disk.properties["service_time_ms"] = 30.0;
    disk.properties["cpu_ms_per_request"] = 0.0;
    link(p, "clients", "fileserver", LinkKind::SyncCall);
    link(p, "fileserver", "disk", LinkKind::SyncCall, 2);
    const auto a = analyze(p);
    const auto& d = a.components[2];
    EXPECT_DOUBLE_EQ(a.entryRate, 4);
    EXPECT_DOUBLE_EQ(d.visits, 2);
    EXPECT_DOUBLE_EQ(d.traffic.total(), 8);
    EXPECT_NEAR(resource(d, "workers"), 0.24, 1e-12);
}

/// users -> lb (round robin) -> web: 3 clones of 4 workers, 20 ms, no CPU limit.
Project oneTier(double rate) {
    Project p;
    add(p, ComponentKind::Client, "users").properties["arrival_rate_rps"] = rate;
    add(p, ComponentKind::LoadBalancer, "lb");
    auto& web = add(p, ComponentKind::Service, "web");
    web.properties["replicas"] = std::int64_t{3};
    web.properties["concurrency"] = std::int64_t{4};
    web.properties["service_time_ms"] = 20.0;
    web.properties["cpu_ms_per_request"] = 0.0;
    link(p, "users", "lb", LinkKind::SyncCall);
    link(p, "lb", "web", LinkKind::SyncCall);
    return p;
}

TEST(Analysis, OneTierMatchesTheFleetFormulas) {
    const auto a = analyze(oneTier(90));
    const auto& web = a.components[2];
    // 30 req/s a clone, 20 ms, 4 workers: utilisation 30 x 0.02 / 4 = 0.15.
    EXPECT_NEAR(web.station.utilisation(), 0.15, 1e-12);
    EXPECT_EQ(web.station.binding()->name, "workers");
    // Round robin over 3: arrival SCV 1/3, Allen-Cunneen on M/M/4, moved toward the pooled
    // M/M/12 by w = 1 / (1 + 0.4 (1 - 0.15)) = 1 / 1.34 (fleet.h).
    const double perClone = *ggcMeanWait(30, 50, 4, 1.0 / 3, 1);
    const double pool = mmc(90, 50, 12)->meanWait;
    EXPECT_NEAR(*web.station.meanResponse, pool + (perClone - pool) / 1.34 + 0.02, 1e-12);
    EXPECT_NEAR(*web.saturationMultiplier, 1 / 0.15, 1e-6);
    EXPECT_NEAR(*web.headroomToTarget(1), 0.8 / 0.15 - 1, 1e-6);
    EXPECT_EQ(web.replicasNeeded, 1); // 90 x 0.02 / 4 = 0.45 of one clone
    EXPECT_EQ(a.bottleneck, 2u);
    EXPECT_NEAR(*a.entries.at(0).meanResponse, *web.station.meanResponse, 1e-15);
    // At twice the load a clone takes 60 req/s: utilisation 0.3.
    EXPECT_NEAR(analyze(oneTier(90), atLoad(2.0)).components[2].station.utilisation(), 0.3, 1e-12);
}

TEST(Analysis, APoolRunsOutWhileItsDatabaseIsFarFromFull) {
    // One clone of 4 workers, 10 ms of its own, 2 reads a request on a database of 1,000 q/s
    // and 5 ms queries (5 servers). At 100 req/s the database is 20% busy; the workers are held
    // 10 ms + 2 x R_db, so they run out first: a pool bottleneck with idle CPUs.
    Project p = oneTier(100);
    auto& web = p.components[2];
    web.properties["replicas"] = std::int64_t{1};
    web.properties["service_time_ms"] = 10.0;
    auto& db = add(p, ComponentKind::DatabasePrimary, "db");
    db.properties["read_capacity_qps"] = 1000.0;
    db.properties["query_time_ms"] = 5.0;
    db.properties["pool_per_instance"] = std::int64_t{100};
    link(p, "web", "db", LinkKind::Read, 2);
    const auto a = analyze(p);
    const auto& w = a.components[2];
    const double rDb = mmc(200, 200, 5)->meanResponse; // M/M/5 at 20%
    EXPECT_NEAR(a.components[3].station.utilisation(), 0.2, 1e-12);
    EXPECT_NEAR(w.station.holdingSeconds, 0.010 + 2 * rDb, 1e-12);
    // The multiplier k at which 100 k x (10 ms + 2 R_db(k)) = 4 workers, solved here on its
    // own with the M/M/5 formula.
    const auto load = [](double k) {
        return 100 * k * (0.010 + 2 * mmc(200 * k, 200, 5)->meanResponse) / 4;
    };
    double low = 1, high = 2;
    for (int i = 0; i < 100; ++i)
        ((load((low + high) / 2) < 1) ? low : high) = (low + high) / 2;
    EXPECT_NEAR(*w.saturationMultiplier, low, 1e-6 * low);
    EXPECT_LT(low, 2.0);
    EXPECT_EQ(a.bottleneck, 2u);
    EXPECT_FALSE(w.pushedBy) << "the database saturates only at x5";
    const auto at = analyze(p, atLoad(low * 0.999));
    EXPECT_EQ(at.components[2].station.binding()->name, "workers");
    EXPECT_LT(at.components[3].station.utilisation(), 0.4);
}

/// The largest relative difference between two analyses' target and saturation multipliers
/// (and whether every component has the same ones, saturating the same resource).
double searchDifference(const Analysis& a, const Analysis& b) {
    double worst = 0;
    for (std::size_t v = 0; v < a.components.size(); ++v) {
        const auto& x = a.components[v];
        const auto& y = b.components[v];
        EXPECT_EQ(x.saturatingResource, y.saturatingResource) << x.id;
        for (const auto& [p, q] : {std::pair{x.targetMultiplier, y.targetMultiplier},
                                   std::pair{x.saturationMultiplier, y.saturationMultiplier}}) {
            EXPECT_EQ(p.has_value(), q.has_value()) << x.id;
            if (p && q)
                worst = std::max(worst, std::abs(*p / *q - 1));
        }
    }
    return worst;
}

constexpr double kInfinity = std::numeric_limits<double>::infinity();

TEST(Station, APointIsTheFiguresUtilisationAndMean) {
    // The searches read stations through evaluatePoint, which leaves out names, words and
    // percentiles; its figures must be evaluateStation's to the last bit, for every kind,
    // idle to saturated, with pools, hashing, no replicas and a saturated callee.
    const auto project = propagationProject();
    const ConnectionDemand pools[] = {{"db", 0.004, 10}, {"replicas", 0.05, 2}};
    int compared = 0, saturated = 0;
    for (const auto& component : project.components) {
        for (const double rate : {0.0, 5.0, 80.0, 400.0, 2000.0, 1e5}) {
            for (const double downstream : {0.0, 0.03, kInfinity}) {
                for (const auto balancing : {Balancing::RoundRobin, Balancing::Hash}) {
                    for (const std::optional<int> replicas :
                         {std::optional<int>(), std::optional(0), std::optional(7)}) {
                        StationInput in;
                        in.traffic = {rate * 0.6, rate * 0.1, rate * 0.3, 0};
                        in.downstreamSeconds = downstream;
                        in.downstreamVariance = downstream * downstream;
                        in.connections = pools;
                        in.balancing = balancing;
                        in.imbalance = balancing == Balancing::Hash ? 0.3 : 0;
                        in.replicas = replicas;
                        in.detailed = false;
                        in.named = false;
                        const auto parameters = stationParameters(component);
                        const auto point = evaluatePoint(parameters, in);
                        in.detailed = true;
                        const auto figures = evaluateStation(parameters, in);
                        EXPECT_EQ(point.utilisation, figures.utilisation()) << component.id;
                        EXPECT_EQ(point.limited, !figures.resources.empty()) << component.id;
                        EXPECT_EQ(point.meanResponse, figures.meanResponse.value_or(kInfinity))
                            << component.id << " at " << rate;
                        ++compared;
                        saturated += figures.saturated();
                    }
                }
            }
        }
    }
    EXPECT_EQ(compared, 10 * 6 * 3 * 2 * 3);
    EXPECT_GT(saturated, 100); // the saturated side is exercised too
}

TEST(Analysis, GridSearchesAgreeWithExactOnes) {
    // The searches bracket each answer on a shared grid of load multipliers and interpolate the
    // callees between its points (analysis.cpp); the exact ones evaluate every callee at every
    // step. On the benchmark's random topologies (chains of services pushed towards saturation
    // by their callees, the hard case) they agree to the error budget docs/methodology.md
    // states, 2e-4; on the examples to 1e-7.
    for (const unsigned seed : {1U, 2U, 42U}) {
        const int size = seed == 42 ? 1000 : 300;
        auto p = bench::syntheticTopology(size, size * 3 / 2, seed);
        for (auto& c : p.components)
            if (c.kind == ComponentKind::Client)
                c.properties["arrival_rate_rps"] = seed == 42 ? 10.0 : 2.0;
        for (const double k : {0.1, 1.0, 3.0}) {
            AnalysisOptions options = atLoad(k);
            const auto grid = analyze(p, options);
            options.exactSearches = true;
            const auto exact = analyze(p, options);
            EXPECT_LE(searchDifference(grid, exact), 2e-4) << seed << " x" << k;
            EXPECT_EQ(grid.bottleneck, exact.bottleneck) << seed << " x" << k;
        }
    }
    for (const char* name : {"webshop", "legacy-sticky", "video-pipeline"}) {
        const auto p =
            loadProject(test::sourceDir() / "models" / (std::string(name) + ".headroom.json"));
        ASSERT_TRUE(p) << name;
        for (const double k : {0.5, 1.0, 3.0}) {
            AnalysisOptions options = atLoad(k);
            const auto grid = analyze(*p, options);
            options.exactSearches = true;
            EXPECT_LE(searchDifference(grid, analyze(*p, options)), 1e-7) << name << " x" << k;
        }
    }
}

TEST(Analysis, FiguresDoNotDependOnTheThreads) {
    // The searches share one grid and one memo of saturations between threads, written by
    // whichever thread gets there first (evaluator.h, Evaluator::Shared): every thread must
    // work out the same value for each entry, or the figures would change from run to run.
    // One thread against two, three and eight (more threads than cores: the most interleaving).
    auto p = bench::syntheticTopology(1000, 1500, 42);
    for (auto& c : p.components)
        if (c.kind == ComponentKind::Client)
            c.properties["arrival_rate_rps"] = 10.0;
    for (const double k : {0.1, 1.0, 3.0}) {
        AnalysisOptions options = atLoad(k);
        options.threads = 1;
        const auto alone = analyze(p, options);
        for (const unsigned threads : {2U, 3U, 8U}) {
            options.threads = threads;
            const auto shared = analyze(p, options);
            ASSERT_EQ(shared.components.size(), alone.components.size());
            for (std::size_t v = 0; v < alone.components.size(); ++v) {
                const auto& a = alone.components[v];
                const auto& b = shared.components[v];
                EXPECT_EQ(a.saturationMultiplier, b.saturationMultiplier) << a.id << " x" << k;
                EXPECT_EQ(a.targetMultiplier, b.targetMultiplier) << a.id << " x" << k;
                EXPECT_EQ(a.saturatingResource, b.saturatingResource) << a.id;
                EXPECT_EQ(a.replicasNeeded, b.replicasNeeded) << a.id;
                EXPECT_EQ(a.pushedBy, b.pushedBy) << a.id;
            }
            EXPECT_EQ(alone.bottleneck, shared.bottleneck) << threads << " x" << k;
            EXPECT_EQ(alone.saturationOrder, shared.saturationOrder) << threads << " x" << k;
        }
    }
}

std::optional<Project> example(const std::string& name) {
    auto loaded = loadProject(test::sourceDir() / "models" / (name + ".headroom.json"));
    return loaded ? std::optional(std::move(*loaded)) : std::nullopt;
}

TEST(Analysis, WebshopReplicasGoRedFirstAndAreTheBottleneck) {
    const auto p = example("webshop");
    ASSERT_TRUE(p);
    const auto a = analyze(*p);
    ASSERT_TRUE(a.bottleneck);
    EXPECT_EQ(a.components[*a.bottleneck].id, "replicas");
    // Dragging the load up: the first component past 85% is the replicas.
    const auto at = analyze(*p, atLoad(2.6));
    std::string first;
    double most = 0;
    for (const auto& c : at.components)
        if (c.station.utilisation() > most) {
            most = c.station.utilisation();
            first = c.id;
        }
    EXPECT_EQ(first, "replicas");
    EXPECT_GT(most, 0.85);
    // Only the findings models/README.md explains: the catalog cache carries the replicas, and
    // the web tier reads its own writes from lagging replicas.
    std::vector<std::string> rules;
    for (const auto& f : checkDesign(*p, a))
        rules.push_back(f.rule);
    EXPECT_EQ(rules,
              (std::vector<std::string>{"cache-loss-overloads", "read-your-writes-on-replicas"}));
}

TEST(DesignChecks, LegacyStickyTriggersStateStickinessAndSinglePointRules) {
    const auto p = example("legacy-sticky");
    ASSERT_TRUE(p);
    std::vector<std::string> rules;
    for (const auto& f : checkDesign(*p, analyze(*p)))
        rules.push_back(f.rule);
    for (const char* rule : {"state-in-clone", "sticky-sessions", "single-point-of-failure",
                             "grace-shorter-than-drain", "no-health-check"})
        EXPECT_NE(std::find(rules.begin(), rules.end(), rule), rules.end()) << rule;
}

TEST(DesignChecks, AnHpaThatShedsFasterThanItAddsIsNamed) {
    // At web's 4 replicas: scale-down 100% a 15 s is 4 x 4 = 16 pods a minute, scale-up one
    // pod a minute; and the down window (60 s) is shorter than the up one (120 s).
    auto p = test::cpuBoundTier();
    p.policies.push_back({"jumpy", "web", PolicyKind::KubernetesHpa,
                          R"({"spec": {"minReplicas": 2, "maxReplicas": 20, "behavior": {
        "scaleUp": {"stabilizationWindowSeconds": 120,
                    "policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]},
        "scaleDown": {"stabilizationWindowSeconds": 60,
                      "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}}}})"});
    // The API's defaults (up at once by max(4 pods, 100%) a 15 s, down after 300 s) are fine.
    p.policies.push_back({"default", "web", PolicyKind::KubernetesHpa,
                          R"({"spec": {"minReplicas": 2, "maxReplicas": 20, "behavior": {}}})"});
    std::vector<Finding> found;
    for (const auto& f : checkDesign(p, analyze(p)))
        if (f.rule == "scale-down-faster-than-scale-up")
            found.push_back(f);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].components, std::vector<std::string>{"web"});
    EXPECT_EQ(found[0].message,
              "policy \"jumpy\" of web can remove 16 pods a minute but add only 1 (at 4 "
              "replicas), and scales down after a 60 s stabilisation window but up only after "
              "120 s");
}

} // namespace
} // namespace headroom::analysis
