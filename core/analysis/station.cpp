#include "analysis/station.h"

#include "analysis/queueing.h"
#include "common/digits.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace headroom::analysis {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

std::string percent(double share) {
    return std::to_string(static_cast<long long>(std::lround(share * 100))) + "%";
}

std::string milliseconds(double seconds) {
    return threeDigits(seconds * 1000) + " ms";
}

/// Where evaluate() below puts a station's figures. Both kinds take the same calls, so the
/// model is written once:
/// - Full (evaluateStation): every resource by name, the percentiles, the model in words and
///   notes when the input is detailed;
/// - Lean (evaluatePoint): the busiest resource's utilisation and the mean response only. The
///   searches evaluate stations hundreds of thousands of times, and making and dropping the
///   resources, their names and the figures was a tenth of an analysis.
struct Full : StationFigures {
    static constexpr bool kWords = true;
    bool named = true;
    void resource(const char* name, double u) {
        resources.push_back({named ? std::string(name) : std::string(), u});
    }
    void connections(std::string_view database, double u) {
        resources.push_back({named ? "connections to " + std::string(database) : std::string(), u});
    }
};

struct Lean {
    static constexpr bool kWords = false;
    int instances = 1;
    double holdingSeconds = 0;
    std::optional<double> meanResponse;
    std::optional<double> percentileResponse; ///< set where a kind sets both; never read
    bool any = false;
    double busiest = 0;
    /// As StationFigures::binding: the first resource, then any busier one.
    void resource(const char*, double u) {
        if (!any || u > busiest)
            busiest = u;
        any = true;
    }
    void connections(std::string_view, double u) { resource(nullptr, u); }
    [[nodiscard]] double utilisation() const { return busiest; }
    [[nodiscard]] bool saturated() const { return busiest >= 1; }
};

/// m parallel servers of mean service time `s` at utilisation `u` (M/M/m): the mean and the
/// q-quantile of the response. At no load, the service time (exponential).
template <class Out>
void parallelServers(double u, double s, int m, double q, bool detailed, Out& out) {
    if (!(u < 1) || !(s > 0) || !std::isfinite(s))
        return;
    const double mu = 1 / s;
    const double rate = std::max(u, 1e-12) * m * mu;
    if (const auto r = mmc(rate, mu, m))
        out.meanResponse = r->meanResponse;
    if constexpr (Out::kWords)
        if (detailed)
            out.percentileResponse = mmcResponsePercentile(rate, mu, m, q);
}

/// The q-quantile of the wait alone in M/M/m: 0 unless more than 1 - q of arrivals wait;
/// then from P(Wq > t) = C e^{-(m mu - lambda) t}.
double waitQuantile(double u, double s, int m, double q) {
    if (u <= 0 || u >= 1)
        return u >= 1 ? kInfinity : 0;
    const auto c = erlangC(m, u * m);
    if (!c || *c <= 1 - q)
        return 0;
    return std::log(*c / (1 - q)) / (m / s * (1 - u));
}

/// Load over capacity, where a capacity of 0 (or a nonsense one, which validation reports)
/// carries nothing: saturated by any load, idle without one. Never NaN.
double share(double load, double capacity) {
    if (!(capacity > 0) || !std::isfinite(capacity))
        return load > 0 ? kInfinity : 0;
    return load / capacity;
}

/// Servers modelled for a capacity x time product, capped: beyond ten thousand the waiting
/// below saturation is nil anyway, and Erlang B's recursion is linear in the count.
int serversFor(double capacityTimesTime) {
    return static_cast<int>(std::clamp(std::round(capacityTimesTime), 1.0, 10'000.0));
}

int positiveInt(double v) {
    // floor(v) clamped to [0, 1e6], without a call to floor (a twentieth of a station's time
    // in the searches): truncation is the floor from 1 up; NaN is 0.
    return v >= 1 ? (v < 1e6 ? static_cast<int>(v) : 1'000'000) : 0;
}

/// Services and worker groups: clones of c workers, each request holding a worker for its
/// service (its CPU part stretched by waiting for a core) plus its synchronous calls.
template <class Out>
void clones(const StationParameters& c, const StationInput& in, bool isService, Out& out) {
    const bool detailed = Out::kWords && in.detailed;
    const int n = in.replicas ? *in.replicas : positiveInt(c.replicas);
    const int workers = std::max(1, positiveInt(c.concurrency));
    const double service = c.serviceSeconds;
    const double rate = in.traffic.total();
    out.instances = n;
    if (n == 0) {
        out.resource("workers", rate > 0 ? kInfinity : 0);
        if constexpr (Out::kWords)
            if (detailed)
                out.notes.push_back("no replicas running");
        return;
    }
    // The busiest clone: hashing loads one clone above the mean share (fleet.h).
    const double perInstance =
        rate / n * (in.balancing == Balancing::Hash ? 1 + in.imbalance : 1.0);
    double holding = service + in.downstreamSeconds;
    std::string cpuWords;
    if (isService) {
        const double cpu = std::min(c.cpuSecondsPerRequest, service);
        const double cores = std::max(c.cores, 1e-6);
        const double rhoCpu = perInstance * cpu / cores;
        out.resource("CPU", rhoCpu);
        if (rhoCpu >= 1) {
            holding = kInfinity;
        } else if (cpu > 0) {
            const int m = std::max(1, positiveInt(cores));
            const auto wait = erlangC(m, rhoCpu * m);
            const double stretch = 1 + (wait ? *wait : 0) / (m * (1 - rhoCpu));
            holding += cpu * (stretch - 1);
            if (detailed) { // the searches need the figures, not the words
                cpuWords = ", its CPU part stretched x" + threeDigits(stretch) +
                           " by waiting for " + std::to_string(m) + (m == 1 ? " core" : " cores") +
                           " (M/M/m)";
            }
        }
    }
    out.holdingSeconds = holding;
    for (const auto& pool : in.connections)
        out.connections(pool.database,
                        perInstance * pool.secondsPerRequest / std::max(1, pool.poolPerInstance));
    FleetSpec spec;
    spec.arrivalRate = rate;
    spec.serviceTime = std::isfinite(holding) ? std::max(holding, 1e-9) : 1e9;
    // The holding time is the worker's own service plus its calls: its variability comes from
    // both (variances add), not from the service's SCV alone. Two exponential 10 ms stages in a
    // row vary half as much as one of 20 ms; a real two-tier fleet measured 0.47-0.50
    // (bench/fleet/two_tier.sh).
    const double entered = c.serviceScv;
    const double ownScv = std::isfinite(entered) && entered >= 0 ? entered : 1.0;
    const double own = holding - in.downstreamSeconds;
    spec.serviceScv = std::isfinite(holding) && holding > 0
                          ? (ownScv * own * own + in.downstreamVariance) / (holding * holding)
                          : ownScv;
    if (!std::isfinite(spec.serviceScv))
        spec.serviceScv = ownScv;
    spec.replicas = n;
    spec.concurrency = workers;
    spec.balancing = in.balancing;
    spec.imbalance = in.imbalance;
    const auto fleet = analyzeFleet(spec, in.percentile, detailed);
    if (!fleet || !std::isfinite(holding)) {
        out.resource("workers", kInfinity);
        return;
    }
    out.resource("workers", fleet->utilisation);
    if constexpr (Out::kWords)
        if (detailed)
            out.model = std::string(fleet->model) + "; " + std::to_string(workers) +
                        " workers per clone, each held " + milliseconds(holding) + " (service " +
                        milliseconds(service) + " + calls " + milliseconds(in.downstreamSeconds) +
                        cpuWords + ")";
    if (out.utilisation() < 1) {
        out.meanResponse = fleet->meanResponse;
        if constexpr (Out::kWords)
            out.percentileResponse = fleet->percentileResponse;
    }
}

} // namespace

const Resource* StationFigures::binding() const {
    const Resource* best = nullptr;
    for (const auto& r : resources)
        if (!best || r.utilisation > best->utilisation)
            best = &r;
    return best;
}

double StationFigures::utilisation() const {
    const auto* b = binding();
    return b ? b->utilisation : 0;
}

const char* scalingProperty(ComponentKind kind) {
    switch (kind) {
    case ComponentKind::Service:
    case ComponentKind::WorkerGroup:
    case ComponentKind::ReadReplicas:
        return "replicas";
    default:
        return nullptr;
    }
}

StationParameters stationParameters(const Component& c) {
    // Only what the kind's model reads (evaluate below): a lookup by name is a search of the
    // component's properties, then of its kind's, and reading every field for every kind was
    // half of the start of a 1,000-component analysis.
    StationParameters p;
    p.kind = c.kind;
    const auto number = [&](std::string_view key) { return c.number(key); };
    const auto seconds = [&](std::string_view key) { return c.number(key) / 1000; };
    switch (c.kind) {
    case ComponentKind::Client:
        break;
    case ComponentKind::Cdn:
        p.edgeLatencySeconds = seconds("edge_latency_ms");
        break;
    case ComponentKind::LoadBalancer:
        p.capacity = number("capacity_rps");
        break;
    case ComponentKind::Service:
        p.cpuSecondsPerRequest = seconds("cpu_ms_per_request");
        p.cores = number("cores");
        [[fallthrough]];
    case ComponentKind::WorkerGroup:
        p.replicas = number("replicas");
        p.concurrency = number("concurrency");
        p.serviceSeconds =
            seconds(c.kind == ComponentKind::WorkerGroup ? "message_cost_ms" : "service_time_ms");
        p.serviceScv = number("service_time_scv");
        break;
    case ComponentKind::Cache:
        p.capacity = number("ops_per_node");
        p.shards = number("shards");
        p.replicasPerShard = number("replicas_per_shard");
        p.redis = c.value("engine") == PropertyValue(std::string("redis"));
        p.latencySeconds = seconds("latency_ms");
        break;
    case ComponentKind::DatabasePrimary:
        p.querySeconds = seconds("query_time_ms");
        p.readCapacity = number("read_capacity_qps");
        p.writeCapacity = number("write_capacity_qps");
        break;
    case ComponentKind::ReadReplicas:
        p.replicas = number("replicas");
        p.querySeconds = seconds("query_time_ms");
        p.readCapacity = number("read_capacity_qps");
        break;
    case ComponentKind::Queue:
        p.capacity = number("throughput_limit_mps");
        break;
    case ComponentKind::ObjectStorage:
        p.getRateLimit = number("get_rate_limit_rps");
        p.putRateLimit = number("put_rate_limit_rps");
        p.latencySeconds = seconds("latency_ms");
        break;
    case ComponentKind::ExternalApi:
        p.capacity = number("rate_limit_rps");
        p.latencySeconds = seconds("latency_ms");
        break;
    }
    return p;
}

StationFigures evaluateStation(const Component& c, const StationInput& in) {
    return evaluateStation(stationParameters(c), in);
}

namespace {

template <class Out> void evaluate(const StationParameters& c, const StationInput& in, Out& out) {
    const bool detailed = Out::kWords && in.detailed;
    const double q = in.percentile;
    const auto& t = in.traffic;
    const double total = t.total();
    const auto passThrough = [&](double own) {
        const double mean = own + in.downstreamSeconds;
        if (std::isfinite(mean))
            out.meanResponse = mean;
    };
    switch (c.kind) {
    case ComponentKind::Client:
        passThrough(0);
        if constexpr (Out::kWords)
            if (detailed)
                out.model = "entry point: the response is its synchronous calls'";
        break;
    case ComponentKind::Cdn:
        passThrough(c.edgeLatencySeconds);
        if constexpr (Out::kWords)
            if (detailed)
                out.model = "edge latency, plus the origin's response for the requests it forwards";
        break;
    case ComponentKind::LoadBalancer:
        out.resource("balancer capacity", share(total, c.capacity));
        if (!out.saturated())
            passThrough(0);
        if constexpr (Out::kWords)
            if (detailed)
                out.model = "a throughput limit; the response is the backends'";
        break;
    case ComponentKind::Service:
        clones(c, in, true, out);
        break;
    case ComponentKind::WorkerGroup:
        clones(c, in, false, out);
        break;
    case ComponentKind::Cache: {
        const int shards = std::max(1, positiveInt(c.shards));
        const bool redis = c.redis;
        const int threads = redis ? 1 : 4; // Redis runs commands on one thread; memcached -t 4
        const double capacity = c.capacity;
        const double u = share(total / shards, capacity);
        out.instances = shards * (1 + positiveInt(c.replicasPerShard));
        out.resource("ops per shard", u);
        if (u < 1 && capacity > 0) {
            const double s = threads / capacity;
            const auto m = mmc(std::max(u, 1e-12) * capacity, 1 / s, threads);
            const double latency = c.latencySeconds;
            out.meanResponse = latency + (m ? m->meanWait : 0);
            if constexpr (Out::kWords)
                if (detailed)
                    out.percentileResponse = latency + waitQuantile(u, s, threads, q);
        }
        if constexpr (Out::kWords)
            if (detailed)
                out.model = std::string("each shard M/M/") +
                            (redis ? "1 (one command thread)" : "4") +
                            " behind the network latency";
        break;
    }
    case ComponentKind::DatabasePrimary: {
        const double s = c.querySeconds;
        const double reads = c.readCapacity;
        const double u = share(t.reads, reads) + share(t.writes + t.calls, c.writeCapacity);
        const int m = serversFor(reads * s);
        out.resource("read + write capacity", u);
        parallelServers(u, s, m, q, detailed, out);
        if constexpr (Out::kWords)
            if (detailed)
                out.model = "M/M/" + std::to_string(m) + " (read capacity x query time servers), " +
                            "utilisation reads/read capacity + writes/write capacity";
        break;
    }
    case ComponentKind::ReadReplicas: {
        const int n = in.replicas ? *in.replicas : positiveInt(c.replicas);
        out.instances = n;
        const double s = c.querySeconds;
        const double capacity = c.readCapacity;
        if (n == 0) {
            out.resource("read capacity", t.reads > 0 ? kInfinity : 0);
            if constexpr (Out::kWords)
                if (detailed)
                    out.notes.push_back("no replicas running");
            break;
        }
        // Each replica serves its share of the reads and applies every replicated write.
        const double u = share(t.reads / n + t.writes + t.calls / n, capacity);
        const int m = serversFor(capacity * s);
        out.resource("read capacity", u);
        parallelServers(u, s, m, q, detailed, out);
        if constexpr (Out::kWords)
            if (detailed)
                out.model = "each replica M/M/" + std::to_string(m) +
                            ": its share of the reads plus every replicated write";
        break;
    }
    case ComponentKind::Queue:
        out.resource("throughput limit", share(total, c.capacity));
        if (!out.saturated())
            out.meanResponse = out.percentileResponse = 0.0;
        if constexpr (Out::kWords)
            if (detailed)
                out.model =
                    "a throughput limit; enqueueing returns at once (the wait is the workers')";
        break;
    case ComponentKind::ObjectStorage: {
        // Synchronous calls fetch (a CDN's origin pulls): GETs with the reads.
        out.resource("GET rate limit", share(t.reads + t.calls, c.getRateLimit));
        out.resource("PUT rate limit", share(t.writes, c.putRateLimit));
        if (!out.saturated())
            out.meanResponse = out.percentileResponse = c.latencySeconds;
        if constexpr (Out::kWords)
            if (detailed)
                out.model = "rate limits per prefix; a fixed first-byte latency below them";
        break;
    }
    case ComponentKind::ExternalApi:
        out.resource("rate limit", share(total, c.capacity));
        if (!out.saturated())
            out.meanResponse = out.percentileResponse = c.latencySeconds;
        if constexpr (Out::kWords)
            if (detailed)
                out.model = "the provider's rate limit; its stated latency below it";
        break;
    }
    if (out.saturated()) {
        out.meanResponse.reset();
        out.percentileResponse.reset();
        if constexpr (Out::kWords)
            if (detailed) {
                const auto* b = out.binding();
                out.notes.push_back(b->name + " saturated (" + percent(b->utilisation) + ")");
            }
    }
}

} // namespace

StationFigures evaluateStation(const StationParameters& c, const StationInput& in) {
    Full out;
    out.named = in.named || in.detailed;
    evaluate(c, in, out);
    return std::move(static_cast<StationFigures&>(out));
}

StationPoint evaluatePoint(const StationParameters& c, const StationInput& in) {
    Lean out;
    evaluate(c, in, out);
    return {out.utilisation(), out.meanResponse.value_or(kInfinity), out.any};
}

} // namespace headroom::analysis
