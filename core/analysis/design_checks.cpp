#include "analysis/design_checks.h"

#include "analysis/topology.h"
#include "whatif/policy_rates.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace headroom::analysis {
namespace {

std::string num(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", v);
    return text;
}

std::string textOf(const Component& c, std::string_view key) {
    const auto v = c.value(key);
    const auto* s = std::get_if<std::string>(&v);
    return s ? *s : std::string();
}

bool clones(const Component& c) {
    return c.kind == ComponentKind::Service || c.kind == ComponentKind::WorkerGroup;
}

class Checker {
  public:
    Checker(const Project& project, const Analysis& analysis)
        : p_(project), a_(analysis), t_(buildTopology(project)) {
        for (const auto& c : project.components)
            if (c.kind == ComponentKind::Client)
                peak_ = std::max(peak_, c.number("peak_factor"));
    }

    std::vector<Finding> run() {
        stateInClones();
        balancerRules();
        connections();
        singlePoints();
        readYourWrites();
        workers();
        capacityAtPeak();
        minReplicasThroughBoot();
        cacheLoss();
        scaleDownFasterThanUp();
        std::stable_sort(out_.begin(), out_.end(), [](const Finding& x, const Finding& y) {
            return x.severity > y.severity;
        });
        return std::move(out_);
    }

  private:
    void add(std::string rule, FindingSeverity severity, std::vector<std::string> ids,
             std::string message, std::string why, std::string fix) {
        out_.push_back({std::move(rule), severity, std::move(ids), std::move(message),
                        std::move(why), std::move(fix)});
    }

    void stateInClones() {
        for (const auto& c : p_.components) {
            if (!clones(c))
                continue;
            const auto store = textOf(c, "session_store");
            const bool local = store == "local_memory" || store == "local_disk";
            const auto stateless = c.value("stateless");
            const bool flagged = std::get_if<bool>(&stateless) && !std::get<bool>(stateless);
            if (!local && !flagged)
                continue;
            const bool scales = c.number("max_replicas") > 1 || c.number("replicas") > 1;
            add("state-in-clone", scales ? FindingSeverity::Error : FindingSeverity::Warning,
                {c.id},
                c.id + " keeps state inside its clones" +
                    (local ? " (sessions in " +
                                 std::string(store == "local_memory" ? "instance memory"
                                                                     : "instance disk") +
                                 ")"
                           : ""),
                "A clone that holds sessions, uploads or timers cannot be added or removed "
                "freely: scaling in, a crash or a deploy loses that state, and new clones "
                "cannot serve the users of the old ones.",
                "Move the state out: sessions to an external cache or a client token, uploads "
                "to object storage, timers to a queue or scheduler; then mark it stateless.");
        }
    }

    void balancerRules() {
        for (std::size_t v = 0; v < p_.components.size(); ++v) {
            const auto& lb = p_.components[v];
            if (lb.kind != ComponentKind::LoadBalancer)
                continue;
            const auto algorithm = textOf(lb, "algorithm");
            if (textOf(lb, "health_check_path").empty())
                add("no-health-check", FindingSeverity::Warning, {lb.id},
                    lb.id + " sends traffic to its backends without a health check",
                    "Without probes a crashed or hung clone keeps receiving its share of the "
                    "requests until someone notices; new clones get traffic before they are "
                    "ready.",
                    "Set a health check path that answers only when the clone can serve "
                    "(readiness), with an interval of a few seconds.");
            for (const auto l : t_.outLinks[v]) {
                const auto& backend = p_.components[*t_.to[l]];
                if (!clones(backend))
                    continue;
                if (algorithm == "ip_hash" || algorithm == "cookie_hash")
                    add("sticky-sessions", FindingSeverity::Warning, {lb.id, backend.id},
                        lb.id + " pins each user to one clone of " + backend.id + " (" +
                            (algorithm == "ip_hash" ? "IP hash" : "cookie hash") + ")",
                        "Sticky routing spreads users, not load: hot users and NATs skew the "
                        "clones, new clones get no existing users after a scale-out, and a "
                        "clone's loss logs its users out when sessions live in it.",
                        "Make the clones stateless and balance by round robin or least "
                        "connections.");
                const double grace = backend.number("termination_grace_s");
                const double drain = lb.number("deregistration_delay_s");
                if (grace < drain)
                    add("grace-shorter-than-drain", FindingSeverity::Error, {backend.id, lb.id},
                        backend.id + " is killed " + num(grace) + " s after SIGTERM, but " + lb.id +
                            " keeps sending it requests for up to " + num(drain) +
                            " s (drain window)",
                        "During a scale-in or a deploy the balancer still routes in-flight and "
                        "new requests to a clone that has already been killed: those requests "
                        "fail.",
                        "Make the termination grace period longer than the drain window (with "
                        "a preStop delay), or shorten the drain window.");
            }
        }
    }

    void connections() {
        for (std::size_t v = 0; v < p_.components.size(); ++v) {
            const auto& db = p_.components[v];
            if (db.kind != ComponentKind::DatabasePrimary)
                continue;
            const double pool = db.number("pool_per_instance");
            const double limit = db.number("max_connections");
            double now = 0, atMax = 0;
            std::vector<std::string> ids{db.id};
            std::set<std::size_t> seen;
            for (const auto l : t_.inLinks[v]) {
                const auto from = *t_.from[l];
                if (!clones(p_.components[from]) || !seen.insert(from).second)
                    continue;
                now += p_.components[from].number("replicas") * pool;
                atMax += p_.components[from].number("max_replicas") * pool;
                ids.push_back(p_.components[from].id);
            }
            if (atMax <= limit)
                continue;
            add("db-connections-at-max-replicas",
                now > limit ? FindingSeverity::Error : FindingSeverity::Warning, ids,
                "at max replicas the clients of " + db.id + " open " + num(atMax) +
                    " connections (instances x pool of " + num(pool) + "); it allows " +
                    num(limit) + (now > limit ? ", and even now they open " + num(now) : ""),
                "When the autoscaler adds clones at a peak, the new clones fail to connect: "
                "the scale-out meant to save the peak makes it worse.",
                "Lower the pool per instance, put a connection pooler (PgBouncer, RDS Proxy) "
                "in front, raise max_connections, or cap max replicas.");
        }
    }

    void singlePoints() {
        const auto points = articulationPoints(p_, t_);
        const std::set<std::size_t> cut(points.begin(), points.end());
        for (std::size_t v = 0; v < p_.components.size(); ++v) {
            const auto& c = p_.components[v];
            bool single = false;
            std::string how;
            switch (c.kind) {
            case ComponentKind::Service:
            case ComponentKind::WorkerGroup:
                single = c.number("max_replicas") <= 1 || c.number("replicas") <= 1;
                how = "one instance";
                break;
            case ComponentKind::DatabasePrimary: {
                single = true;
                for (const auto l : t_.outLinks[v])
                    if (p_.components[*t_.to[l]].kind == ComponentKind::ReadReplicas &&
                        p_.components[*t_.to[l]].number("replicas") >= 1)
                        single = false; // a replica can be promoted
                how = "one primary and no replica to promote";
                break;
            }
            case ComponentKind::Cache:
                single = c.number("replicas_per_shard") < 1;
                how = "no replica per shard";
                break;
            default:
                break; // balancers, queues, CDNs, storage: managed and redundant
            }
            if (!single)
                continue;
            // Crossed by every path: it disconnects the drawing, or every entering request
            // reaches it.
            const bool everyRequest = a_.components[v].visits >= 1;
            if (!cut.count(v) && !everyRequest)
                continue;
            add("single-point-of-failure", FindingSeverity::Warning, {c.id},
                c.id + " has " + how + " and every request depends on it",
                "Its crash, a host failure or a maintenance restart takes the whole system "
                "down, however many clones the other tiers have.",
                c.kind == ComponentKind::DatabasePrimary
                    ? "Add a standby or read replica with automatic failover."
                    : "Run at least two instances in different zones.");
        }
    }

    void readYourWrites() {
        for (std::size_t v = 0; v < p_.components.size(); ++v) {
            std::set<std::size_t> written;
            for (const auto l : t_.outLinks[v])
                if (p_.links[l].kind == LinkKind::Write &&
                    p_.components[*t_.to[l]].kind == ComponentKind::DatabasePrimary)
                    written.insert(*t_.to[l]);
            for (const auto l : t_.outLinks[v]) {
                const auto to = *t_.to[l];
                const auto& replicas = p_.components[to];
                if (p_.links[l].kind != LinkKind::Read ||
                    replicas.kind != ComponentKind::ReadReplicas ||
                    replicas.number("replication_lag_ms") <= 0)
                    continue;
                for (const auto w : t_.inLinks[to]) {
                    const auto primary = *t_.from[w];
                    if (!written.count(primary))
                        continue;
                    add("read-your-writes-on-replicas", FindingSeverity::Info,
                        {p_.components[v].id, replicas.id, p_.components[primary].id},
                        p_.components[v].id + " writes to " + p_.components[primary].id +
                            " and reads from " + replicas.id + ", which lag " +
                            num(replicas.number("replication_lag_ms")) + " ms behind",
                        "A read right after a write (a user viewing the order just placed) "
                        "can miss it on a lagging replica.",
                        "Send reads that must see the user's own writes to the primary (or "
                        "wait for the replica to catch up); keep other reads on replicas.");
                }
            }
        }
    }

    void workers() {
        for (std::size_t v = 0; v < p_.components.size(); ++v) {
            const auto& c = p_.components[v];
            if (c.kind != ComponentKind::WorkerGroup)
                continue;
            const auto on = textOf(c, "scale_on");
            if (on != "queue_depth")
                add("workers-not-scaled-on-queue-depth", FindingSeverity::Warning, {c.id},
                    c.id + " scales on " + (on == "cpu" ? "CPU" : "nothing (fixed count)") +
                        ", not on the depth of the queue it drains",
                    "Workers waiting on I/O show little CPU while the backlog grows; a fixed "
                    "count cannot follow a burst. Messages age past their deadline.",
                    "Scale on queue depth (or age of the oldest message), e.g. with KEDA or a "
                    "target-tracking policy on backlog per worker.");
            // Little's law: messages in service = arrival rate x time per message.
            const double rate = a_.components[v].traffic.total();
            const double holding = a_.components[v].station.holdingSeconds;
            const double slots = c.number("max_replicas") * c.number("concurrency");
            const double busy = rate * peak_ * holding;
            if (rate > 0 && busy >= slots && !std::isfinite(busy))
                add("workers-below-arrival-rate", FindingSeverity::Error, {c.id},
                    c.id + " cannot keep up even at the drawn load: its workers are saturated "
                           "before the peak",
                    "The queue grows without bound; messages wait for hours or expire.",
                    "Raise max replicas or concurrency, or make each message cheaper.");
            else if (rate > 0 && busy >= slots)
                add("workers-below-arrival-rate", FindingSeverity::Error, {c.id},
                    "at the peak (x" + num(peak_) + ") " + c.id + " needs " + num(busy) +
                        " busy worker slots (arrival rate x time per message, Little's law), "
                        "but max replicas give " +
                        num(slots),
                    "The queue grows without bound at the peak; messages wait for hours or "
                    "expire.",
                    "Raise max replicas or concurrency, or make each message cheaper.");
        }
    }

    void capacityAtPeak() {
        for (std::size_t v = 0; v < p_.components.size(); ++v) {
            const auto& c = p_.components[v];
            const auto& a = a_.components[v];
            if (!clones(c) || !a.replicasNeeded || peak_ <= 1)
                continue;
            // Worker and CPU utilisation fall as 1/N: the need grows with the load.
            const double need = std::ceil(*a.replicasNeeded * peak_);
            if (need > c.number("max_replicas"))
                add("max-replicas-below-peak", FindingSeverity::Warning, {c.id},
                    "at the peak (x" + num(peak_) + ") " + c.id + " needs about " + num(need) +
                        " replicas to stay under " + num(a_.options.utilisationTarget * 100) +
                        "% utilisation; max is " + num(c.number("max_replicas")),
                    "The autoscaler stops at max while the load keeps rising: latency climbs "
                    "and requests time out exactly when the traffic matters most.",
                    "Raise max replicas (and check what the extra clones do to the tiers "
                    "below), or make each request cheaper.");
        }
    }

    /// An autoscaling policy that sheds instances sooner or faster than it adds them: a dip
    /// removes capacity a returning peak needs, and it comes back at the slower pace.
    void scaleDownFasterThanUp() {
        for (const auto& policy : p_.policies) {
            const auto* c = p_.findComponent(policy.component);
            if (!c)
                continue;
            const int n = std::max(1, static_cast<int>(c->number("replicas")));
            const auto r = whatif::reactionRates(policy, n);
            if (!r)
                continue;
            const bool sooner = r->downWindowSeconds < r->upWindowSeconds;
            const bool faster = r->downPodsPerMinute > r->upPodsPerMinute;
            if (!sooner && !faster)
                continue;
            add("scale-down-faster-than-scale-up", FindingSeverity::Warning, {c->id},
                "policy \"" + policy.name + "\" of " + c->id +
                    (faster ? " can remove " + num(r->downPodsPerMinute) +
                                  " pods a minute but add only " + num(r->upPodsPerMinute) +
                                  " (at " + std::to_string(n) + " replicas)"
                            : std::string()) +
                    (faster && sooner ? ", and" : "") +
                    (sooner ? " scales down after a " + std::to_string(r->downWindowSeconds) +
                                  " s stabilisation window but up only after " +
                                  std::to_string(r->upWindowSeconds) + " s"
                            : std::string()),
                "Capacity shed quickly and regained slowly turns every dip in the load into "
                "a shortage when it returns: the instances come back at the slower pace, plus "
                "their boot time, while the load is already there.",
                "Make scale-down the slower direction: a scale-down stabilisation window at "
                "least as long as scale-up's (300 s is the default), and scale-down policies "
                "no faster than scale-up's.");
        }
    }

    void minReplicasThroughBoot() {
        for (std::size_t v = 0; v < p_.components.size(); ++v) {
            const auto& c = p_.components[v];
            const auto& a = a_.components[v];
            if (!clones(c) || !a.replicasNeeded)
                continue;
            const double least = c.number("min_replicas");
            if (least >= *a.replicasNeeded)
                continue;
            add("min-replicas-below-load", FindingSeverity::Warning, {c.id},
                c.id + " may scale down to " + num(least) + " replicas, but the drawn load needs " +
                    std::to_string(*a.replicasNeeded) + " to stay under " +
                    num(a_.options.utilisationTarget * 100) + "%; new clones take " +
                    num(c.number("boot_time_s")) + " s to be ready",
                "After a quiet spell at min replicas, ordinary traffic returns faster than the "
                "autoscaler can boot clones: for the boot time the few running ones queue or "
                "drop requests.",
                "Raise min replicas to what the usual load needs (or schedule a higher minimum "
                "for busy hours), or shorten the boot time.");
        }
    }

    void cacheLoss() {
        for (std::size_t l = 0; l < p_.links.size(); ++l) {
            if (!p_.links[l].onlyOnMiss || !t_.to[l])
                continue;
            const auto cache = pairedCache(p_, t_, l);
            if (!cache)
                continue;
            const double hit = p_.components[*cache].number("hit_ratio");
            const auto to = *t_.to[l];
            const auto& callee = a_.components[to];
            const double rate = callee.traffic.total();
            if (hit <= 0 || hit >= 1 || rate <= 0)
                continue;
            // With the cache gone every lookup misses: the link carries 1 / (1 - hit) times as
            // much, and a capacity-bound callee's utilisation grows in proportion.
            const double extra = a_.links[l].rate * hit / (1 - hit);
            const double after = callee.station.utilisation() * (rate + extra) / rate;
            if (after < 1)
                continue;
            add("cache-loss-overloads", FindingSeverity::Warning,
                {p_.components[*cache].id, callee.id},
                "if " + p_.components[*cache].id + " is lost (or restarts cold), " + callee.id +
                    " takes " + num(extra) + " more requests/s and runs at " + num(after * 100) +
                    "% utilisation",
                "A cache that the tier behind it cannot live without is a hidden single point "
                "of failure: a cache restart or flush overloads the database at once.",
                "Give the cache replicas and warm it before use, or size " + callee.id +
                    " to survive the misses (more replicas, or request coalescing).");
        }
    }

    const Project& p_;
    const Analysis& a_;
    Topology t_;
    double peak_ = 1;
    std::vector<Finding> out_;
};

} // namespace

std::string_view toKey(FindingSeverity severity) {
    switch (severity) {
    case FindingSeverity::Info:
        return "info";
    case FindingSeverity::Warning:
        return "warning";
    case FindingSeverity::Error:
        return "error";
    }
    return "info";
}

std::vector<Finding> checkDesign(const Project& project, const Analysis& analysis) {
    return Checker(project, analysis).run();
}

} // namespace headroom::analysis
