// The ideal fleet, simulated: Poisson arrivals into a balancer over N clones, each clone one
// FCFS queue in front of c workers, service times from a gamma distribution of the given mean
// and squared coefficient of variation (0 = constant, 1 = exponential). No network, no
// scheduler: what the queueing model of a tier (core/analysis/fleet.h) describes, so its
// approximations can be checked apart from a real fleet's own noise (bench/fleet/run.sh).
//
//   headroom_fleet_sim --lb round-robin|random|pooled --replicas N --concurrency C
//                      --service-time S --service-scv CS2 --utilisation U [--requests R]
//                      [--seed X]
// prints one JSON object: the mean, p95 and p99 response (seconds) and the mean wait.
// "pooled" is one queue over all N x C workers (what least connections comes close to).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <queue>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Options {
    std::string lb = "round-robin";
    int replicas = 3;
    int concurrency = 4;
    double serviceTime = 0.02;
    double serviceScv = 1;
    double utilisation = 0.8;
    long requests = 2'000'000;
    unsigned seed = 1;
};

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "headroom_fleet_sim: %s\nusage: headroom_fleet_sim --lb "
                 "round-robin|random|pooled --replicas N --concurrency C --service-time S "
                 "--service-scv CS2 --utilisation U [--requests R] [--seed X]\n",
                 why);
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        if (i + 1 >= argc)
            usage("every option takes a value");
        const char* value = argv[++i];
        if (flag == "--lb")
            o.lb = value;
        else if (flag == "--replicas")
            o.replicas = std::atoi(value);
        else if (flag == "--concurrency")
            o.concurrency = std::atoi(value);
        else if (flag == "--service-time")
            o.serviceTime = std::atof(value);
        else if (flag == "--service-scv")
            o.serviceScv = std::atof(value);
        else if (flag == "--utilisation")
            o.utilisation = std::atof(value);
        else if (flag == "--requests")
            o.requests = std::atol(value);
        else if (flag == "--seed")
            o.seed = static_cast<unsigned>(std::atol(value));
        else
            usage("unknown option");
    }
    if (o.lb != "round-robin" && o.lb != "random" && o.lb != "pooled")
        usage("--lb is round-robin, random or pooled");
    if (o.replicas < 1 || o.concurrency < 1 || !(o.serviceTime > 0) || !(o.serviceScv >= 0) ||
        !(o.utilisation > 0 && o.utilisation < 1) || o.requests < 1000)
        usage("a value is out of range");
    return o;
}

/// One FCFS queue in front of `workers` servers: a request starts when the earliest worker is
/// free (constant-time for the common case of a few workers, a heap beyond).
class Pool {
  public:
    explicit Pool(int workers) : free_(static_cast<std::size_t>(workers), 0.0) {}
    /// The time the request waits before a worker takes it.
    double admit(double arrival, double service) {
        std::pop_heap(free_.begin(), free_.end(), std::greater<>{});
        const double start = std::max(arrival, free_.back());
        free_.back() = start + service;
        std::push_heap(free_.begin(), free_.end(), std::greater<>{});
        return start - arrival;
    }

  private:
    std::vector<double> free_; // a min-heap of the times each worker is next free
};

} // namespace

int main(int argc, char** argv) {
    const auto o = parse(argc, argv);
    const bool pooled = o.lb == "pooled";
    const int clones = pooled ? 1 : o.replicas;
    const int workers = pooled ? o.replicas * o.concurrency : o.concurrency;
    const double rate = o.utilisation * o.replicas * o.concurrency / o.serviceTime;

    std::mt19937_64 random(o.seed);
    std::exponential_distribution<double> gap(rate);
    std::uniform_int_distribution<int> pick(0, clones - 1);
    const bool constant = o.serviceScv == 0;
    // Gamma with shape k and scale S/k has mean S and SCV 1/k.
    std::gamma_distribution<double> service(constant ? 1.0 : 1 / o.serviceScv,
                                            constant ? 1.0 : o.serviceTime * o.serviceScv);

    std::vector<Pool> pools(static_cast<std::size_t>(clones), Pool(workers));
    const long warmUp = o.requests / 10; // the empty start is not the steady state
    std::vector<double> responses;
    responses.reserve(static_cast<std::size_t>(o.requests));
    double now = 0, waits = 0;
    for (long i = 0; i < warmUp + o.requests; ++i) {
        now += gap(random);
        // (a pick from one clone would still draw a number and shift the arrivals)
        const int clone = o.lb == "random" ? pick(random) : static_cast<int>(i % clones);
        const double s = constant ? o.serviceTime : service(random);
        const double wait = pools[static_cast<std::size_t>(clone)].admit(now, s);
        if (i >= warmUp) {
            responses.push_back(wait + s);
            waits += wait;
        }
    }
    double sum = 0;
    for (const double r : responses)
        sum += r;
    const auto quantile = [&](double q) {
        auto at = responses.begin() + static_cast<long>(q * static_cast<double>(responses.size()));
        std::nth_element(responses.begin(), at, responses.end());
        return *at;
    };
    const double n = static_cast<double>(responses.size());
    const double p95 = quantile(0.95);
    const double p99 = quantile(0.99);
    std::printf("{\"lb\": \"%s\", \"replicas\": %d, \"concurrency\": %d, \"service_time_s\": %g, "
                "\"service_scv\": %g, \"utilisation\": %g, \"arrival_rate_per_s\": %.6g, "
                "\"requests\": %ld, \"mean_wait_s\": %.6g, \"mean_response_s\": %.6g, "
                "\"p95_response_s\": %.6g, \"p99_response_s\": %.6g}\n",
                o.lb.c_str(), o.replicas, o.concurrency, o.serviceTime, o.serviceScv, o.utilisation,
                rate, o.requests, waits / n, sum / n, p95, p99);
    return 0;
}
