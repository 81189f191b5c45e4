#include "model/component_kind.h"

#include <array>
#include <utility>

namespace headroom {
namespace {

// One-line builders, so each property in the table below is a single readable line.
PropertyDescriptor integer(std::string key, std::string label, std::string unit, std::int64_t def,
                           double min, double max, std::string help) {
    return {
        std::move(key), std::move(label), PropertyType::Integer, std::move(unit), def, min, max, {},
        std::move(help)};
}
PropertyDescriptor number(std::string key, std::string label, std::string unit, double def,
                          double min, double max, std::string help) {
    return {
        std::move(key), std::move(label), PropertyType::Number, std::move(unit), def, min, max, {},
        std::move(help)};
}
PropertyDescriptor flag(std::string key, std::string label, bool def, std::string help) {
    return {std::move(key), std::move(label), PropertyType::Boolean, "", def, 0, 0, {},
            std::move(help)};
}
PropertyDescriptor choice(std::string key, std::string label, std::vector<ChoiceOption> choices,
                          std::string def, std::string help) {
    return {std::move(key),     std::move(label), PropertyType::Choice, "", std::move(def), 0, 0,
            std::move(choices), std::move(help)};
}
PropertyDescriptor text(std::string key, std::string label, std::string def, std::string help) {
    return {std::move(key), std::move(label), PropertyType::Text, "", std::move(def), 0, 0, {},
            std::move(help)};
}

constexpr double kHuge = 1e12;

// Properties every horizontally scaled tier (service clones, queue workers) shares.
std::vector<PropertyDescriptor> scalingProperties(std::int64_t replicas, std::int64_t minReplicas,
                                                  std::int64_t maxReplicas) {
    return {
        integer("replicas", "Replicas now", "instances", replicas, 0, 100000,
                "Identical instances running now."),
        integer("min_replicas", "Min replicas", "instances", minReplicas, 0, 100000,
                "Fewest instances the autoscaler keeps, whatever the load."),
        integer("max_replicas", "Max replicas", "instances", maxReplicas, 1, 100000,
                "Most instances the autoscaler may start."),
        number("boot_time_s", "Boot time to ready", "s", 60, 0, 86400,
               "From the scale-out decision until the instance passes its readiness check."),
        number("cpu_request_millicores", "CPU request", "mCPU", 500, 1, 1e6,
               "Kubernetes CPU request per instance; HPA utilisation is measured against it."),
        number("price_per_hour_usd", "Instance price", "USD/h", 0.10, 0, 10000,
               "On-demand price of one instance per hour."),
    };
}

// How much service times vary, which sets how long requests wait at a given utilisation.
PropertyDescriptor serviceScv() {
    return number("service_time_scv", "Service time variability", "", 1, 0, 100,
                  "Squared coefficient of variation of the service time: 0 constant, 1 "
                  "exponential (the usual assumption), above 1 a long tail.");
}

std::vector<KindDescriptor> buildTable() {
    std::vector<KindDescriptor> kinds;

    kinds.push_back({ComponentKind::Client,
                     "client",
                     "Client / entry point",
                     "Where requests enter the system: users, partners, batch jobs.",
                     {
                         number("arrival_rate_rps", "Arrival rate", "req/s", 100, 0, kHuge,
                                "Mean requests per second entering here at the reference load."),
                         number("peak_factor", "Peak factor", "x", 2, 1, 1000,
                                "Peak-hour rate divided by the mean rate."),
                         number("read_fraction", "Read share", "", 0.9, 0, 1,
                                "Share of requests that only read (0 to 1); the rest write."),
                         number("static_fraction", "Static share", "", 0, 0, 1,
                                "Share of requests for static assets a CDN could serve."),
                         number("requests_per_session", "Requests per session", "req", 20, 1, 1e6,
                                "Mean requests a user makes in one session."),
                         number("think_time_s", "Think time", "s", 5, 0, 86400,
                                "Mean pause between a user's requests."),
                     },
                     "{arrival_rate_rps} \u00b7 peak {peak_factor}"});

    kinds.push_back({ComponentKind::Cdn,
                     "cdn",
                     "CDN",
                     "Edge cache in front of the origin for static and cacheable content.",
                     {
                         number("offload_ratio", "Offload ratio", "", 0.9, 0, 1,
                                "Share of cacheable requests answered at the edge (hit ratio)."),
                         number("edge_latency_ms", "Edge latency", "ms", 20, 0, 60000,
                                "Response time of an edge hit as users see it."),
                     },
                     "{offload_ratio:%} offload"});

    kinds.push_back(
        {ComponentKind::LoadBalancer,
         "load_balancer",
         "Load balancer",
         "Spreads requests across the clones behind it.",
         {
             choice("algorithm", "Algorithm",
                    {{"round_robin", "Round robin"},
                     {"least_connections", "Least connections"},
                     {"random", "Random"},
                     {"ip_hash", "IP hash"},
                     {"cookie_hash", "Cookie hash (sticky)"}},
                    "round_robin", "How a request picks a backend; hashing makes sessions sticky."),
             number("capacity_rps", "Capacity", "req/s", 50000, 1, kHuge,
                    "Requests per second the balancer itself can forward."),
             text("health_check_path", "Health check path", "/healthz",
                  "HTTP path probed on each backend; empty means no health check."),
             number("health_check_interval_s", "Health check interval", "s", 10, 1, 3600,
                    "Seconds between two probes of one backend."),
             integer("healthy_threshold", "Healthy threshold", "probes", 3, 1, 100,
                     "Consecutive passing probes before a backend gets traffic."),
             integer("unhealthy_threshold", "Unhealthy threshold", "probes", 3, 1, 100,
                     "Consecutive failing probes before a backend is removed."),
             number("deregistration_delay_s", "Drain window", "s", 30, 0, 3600,
                    "Deregistration delay: how long in-flight requests may finish."),
         },
         "{algorithm}"});

    auto service = scalingProperties(3, 2, 10);
    service.insert(
        service.begin() + 3,
        {
            number("service_time_ms", "Service time", "ms", 50, 0.001, 3.6e6,
                   "Mean time one request occupies a worker when nothing waits."),
            integer("concurrency", "Concurrency per instance", "workers", 8, 1, 100000,
                    "Requests one instance serves at once (threads, workers, event-loop slots)."),
            serviceScv(),
            number("cpu_ms_per_request", "CPU per request", "ms", 20, 0, 3.6e6,
                   "CPU time one request burns; with cores it bounds throughput."),
            number("cores", "Cores per instance", "cores", 1, 0.01, 1024,
                   "CPU cores available to one instance."),
            flag("stateless", "Stateless", true,
                 "Keeps no user state in memory or on local disk between requests."),
            choice("session_store", "Session state lives in",
                   {{"none", "No sessions"},
                    {"local_memory", "Instance memory"},
                    {"local_disk", "Instance disk"},
                    {"external_cache", "External cache"},
                    {"database", "Database"},
                    {"client_token", "Client token (JWT/cookie)"}},
                   "none", "Where per-user session state is kept."),
            number("termination_grace_s", "Termination grace period", "s", 30, 0, 86400,
                   "Time between SIGTERM and SIGKILL when an instance is stopped."),
            number("max_surge_percent", "Max surge", "%", 25, 0, 100,
                   "Rolling update: extra instances allowed above the desired count."),
            number("max_unavailable_percent", "Max unavailable", "%", 25, 0, 100,
                   "Rolling update: instances that may be down during the update."),
        });
    kinds.push_back({ComponentKind::Service, "service", "Service (clones)",
                     "A group of identical clones of one service behind a balancer.",
                     std::move(service), "{replicas} \u00b7 {service_time_ms}"});

    kinds.push_back(
        {ComponentKind::Cache,
         "cache",
         "Cache",
         "In-memory cache such as Redis or Memcached.",
         {
             choice("engine", "Engine", {{"redis", "Redis"}, {"memcached", "Memcached"}}, "redis",
                    "The cache server software."),
             number("hit_ratio", "Hit ratio", "", 0.8, 0, 1,
                    "Share of lookups answered from the cache."),
             number("ops_per_node", "Capacity per node", "ops/s", 80000, 1, kHuge,
                    "Operations per second one node (shard primary) sustains."),
             integer("shards", "Shards", "nodes", 1, 1, 10000,
                     "Partitions the key space is split over."),
             integer("replicas_per_shard", "Replicas per shard", "nodes", 1, 0, 100,
                     "Read replicas of each shard (failover copies)."),
             number("latency_ms", "Latency", "ms", 0.5, 0, 60000,
                    "Mean round trip of one operation, network included."),
         },
         "{hit_ratio:%} hits \u00b7 {shards}"});

    kinds.push_back(
        {ComponentKind::DatabasePrimary,
         "database_primary",
         "Database primary",
         "The database instance that takes every write.",
         {
             choice("engine", "Engine",
                    {{"postgresql", "PostgreSQL"}, {"mysql", "MySQL"}, {"other", "Other"}},
                    "postgresql", "The database server software."),
             number("read_capacity_qps", "Read capacity", "q/s", 10000, 1, kHuge,
                    "Read queries per second the primary sustains."),
             number("write_capacity_qps", "Write capacity", "q/s", 2000, 1, kHuge,
                    "Write queries per second the primary sustains."),
             number("query_time_ms", "Query time", "ms", 5, 0.001, 3.6e6,
                    "Mean time of one query when nothing waits."),
             integer("max_connections", "Max connections", "connections", 100, 1, 1000000,
                     "Server limit on open client connections."),
             integer("pool_per_instance", "Pool per client instance", "connections", 10, 1, 100000,
                     "Connections each client instance keeps in its pool."),
             number("price_per_hour_usd", "Instance price", "USD/h", 1.0, 0, 100000,
                    "Price of the primary per hour."),
         },
         "{write_capacity_qps} writes \u00b7 max {max_connections}"});

    kinds.push_back(
        {ComponentKind::ReadReplicas,
         "read_replicas",
         "Read replicas",
         "Asynchronous copies of the primary that serve reads.",
         {
             integer("replicas", "Replicas", "instances", 2, 0, 1000, "Read replicas running now."),
             number("read_capacity_qps", "Read capacity per replica", "q/s", 10000, 1, kHuge,
                    "Read queries per second one replica sustains."),
             number("query_time_ms", "Query time", "ms", 5, 0.001, 3.6e6,
                    "Mean time of one query when nothing waits."),
             integer("max_connections", "Max connections per replica", "connections", 100, 1,
                     1000000, "Server limit on open connections to one replica."),
             number("replication_lag_ms", "Replication lag", "ms", 100, 0, 3.6e6,
                    "Typical delay before a write on the primary is visible here."),
             number("read_share", "Read routing share", "", 0.8, 0, 1,
                    "Share of reads routed to replicas rather than the primary."),
             number("price_per_hour_usd", "Price per replica", "USD/h", 1.0, 0, 100000,
                    "Price of one replica per hour."),
         },
         "{replicas} \u00b7 lag {replication_lag_ms}"});

    kinds.push_back({ComponentKind::Queue,
                     "queue",
                     "Queue",
                     "A message queue or log (SQS, Kafka, RabbitMQ) that decouples work.",
                     {
                         choice("engine", "Engine",
                                {{"sqs", "Amazon SQS"},
                                 {"kafka", "Apache Kafka"},
                                 {"rabbitmq", "RabbitMQ"},
                                 {"other", "Other"}},
                                "sqs", "The queueing system."),
                         number("throughput_limit_mps", "Throughput limit", "msg/s", 3000, 1, kHuge,
                                "Messages per second the queue accepts and delivers."),
                         integer("partitions", "Partitions", "partitions", 1, 1, 100000,
                                 "Partitions or shards; bounds how many consumers work at once."),
                         number("retention_s", "Retention", "s", 345600, 60, 1e9,
                                "How long an unconsumed message is kept."),
                     },
                     "max {throughput_limit_mps}"});

    auto workers = scalingProperties(2, 1, 20);
    workers.insert(workers.begin() + 3,
                   {
                       number("message_cost_ms", "Time per message", "ms", 500, 0.001, 8.64e7,
                              "Mean time one worker slot spends on one message."),
                       integer("concurrency", "Concurrency per instance", "workers", 4, 1, 100000,
                               "Messages one instance processes at once."),
                       serviceScv(),
                       choice("scale_on", "Scales on",
                              {{"cpu", "CPU utilisation"},
                               {"queue_depth", "Queue depth"},
                               {"fixed", "Fixed count"}},
                              "queue_depth", "The signal the autoscaler follows."),
                       number("termination_grace_s", "Termination grace period", "s", 60, 0, 86400,
                              "Time between SIGTERM and SIGKILL when a worker is stopped."),
                   });
    kinds.push_back({ComponentKind::WorkerGroup, "worker_group", "Worker group",
                     "Clones that consume messages from a queue.", std::move(workers),
                     "{replicas} \u00b7 {message_cost_ms}/msg"});

    kinds.push_back({ComponentKind::ObjectStorage,
                     "object_storage",
                     "Object storage",
                     "Blob store such as Amazon S3 or Google Cloud Storage.",
                     {
                         number("get_rate_limit_rps", "GET rate limit", "req/s", 5500, 1, kHuge,
                                "GET requests per second per prefix before throttling."),
                         number("put_rate_limit_rps", "PUT rate limit", "req/s", 3500, 1, kHuge,
                                "PUT/POST/DELETE requests per second per prefix."),
                         number("latency_ms", "First-byte latency", "ms", 50, 0, 60000,
                                "Mean time to first byte of a small object."),
                     },
                     "{put_rate_limit_rps} PUT"});

    kinds.push_back({ComponentKind::ExternalApi,
                     "external_api",
                     "External API",
                     "A third-party service you call and cannot scale (payments, email, maps).",
                     {
                         number("rate_limit_rps", "Rate limit", "req/s", 100, 0.001, kHuge,
                                "Requests per second the provider allows you."),
                         number("latency_ms", "Latency", "ms", 200, 0, 3.6e6,
                                "Mean response time of the provider."),
                         number("timeout_ms", "Client timeout", "ms", 5000, 1, 3.6e6,
                                "How long callers wait before giving up."),
                     },
                     "limit {rate_limit_rps} \u00b7 {latency_ms}"});
    return kinds;
}

} // namespace

const PropertyDescriptor* KindDescriptor::findProperty(std::string_view wanted) const {
    for (const auto& property : properties)
        if (property.key == wanted)
            return &property;
    return nullptr;
}

std::span<const KindDescriptor> allKinds() {
    static const std::vector<KindDescriptor> table = buildTable();
    return table;
}

const KindDescriptor& describe(ComponentKind kind) {
    // The table lists the kinds in enum order; this is checked by a test.
    return allKinds()[static_cast<std::size_t>(kind)];
}

std::string_view toKey(ComponentKind kind) {
    return describe(kind).key;
}

std::optional<ComponentKind> componentKindFromKey(std::string_view key) {
    for (const auto& descriptor : allKinds())
        if (descriptor.key == key)
            return descriptor.kind;
    return std::nullopt;
}

} // namespace headroom
