#include "analysis/queueing.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <numeric>
#include <queue>
#include <random>
#include <vector>

namespace headroom::analysis {
namespace {

TEST(Queueing, ErlangBAndCWorkedByHand) {
    // c = 2, a = 1: B = (1/2) / (1 + 1 + 1/2) = 0.2; C = 0.2 / (1 - 0.5 * 0.8) = 1/3.
    EXPECT_NEAR(erlangB(2, 1), 0.2, 1e-15);
    EXPECT_NEAR(*erlangC(2, 1), 1.0 / 3, 1e-15);
    // c = 3, a = 2 from the textbook sum: (8/6 * 3) / (1 + 2 + 2 + 4) = 4/9.
    EXPECT_NEAR(*erlangC(3, 2), 4.0 / 9, 1e-15);
    // One server: C = rho.
    EXPECT_NEAR(*erlangC(1, 0.8), 0.8, 1e-15);
    EXPECT_FALSE(erlangC(4, 4)) << "saturated";
    EXPECT_FALSE(erlangC(0, 0.5));
}

/// Half a unit in the last digit a source prints, so a value agrees when it rounds to the
/// printed one (and a hair more for the binary representation of the printed decimal).
constexpr double printedTo(double lastDigit) {
    return lastDigit / 2 * (1 + 1e-9);
}

TEST(Queueing, MmcMatchesTheBankTellersOfTheHp12cSolutionsHandbook) {
    // Hewlett-Packard, "HP 12C Solutions Handbook", p. 144, example 1, after Trueman, "An
    // Introduction to Quantitative Methods for Decision Making" (Holt, Rinehart and Winston,
    // 1977): customers arrive at 1.2 a minute and join one queue for three tellers, each
    // serving 0.5 a minute. Printed: rho = 2.40, rho / n = 0.80, the mean wait in queue as a
    // multiple of the mean service time 1.079 (Trueman's table 12.2, p. 512), then from that
    // 1.079: wait in queue 2.16 min, in system 4.16 min, queue length 2.59, number in system
    // 4.99 (read at https://manual.onestart.ai/manuals/HP-12c-Solutions-Handbook-5175114?page=145).
    const double lambda = 1.2, mu = 0.5; // per minute
    const auto r = mmc(lambda, mu, 3);
    ASSERT_TRUE(r);
    EXPECT_NEAR(lambda / mu, 2.40, printedTo(0.01));
    EXPECT_NEAR(r->utilisation, 0.80, printedTo(0.01));
    EXPECT_NEAR(r->meanWait * mu, 1.079, printedTo(0.001)); // exactly 1.07865
    EXPECT_NEAR(r->meanWait, 2.16, printedTo(0.01));
    EXPECT_NEAR(r->meanResponse, 4.16, printedTo(0.01));
    // Queue length and number in system by Little's law, as the handbook gets them.
    EXPECT_NEAR(lambda * r->meanWait, 2.59, printedTo(0.01));
    EXPECT_NEAR(lambda * r->meanResponse, 4.99, printedTo(0.01));
    // Wq = C / (c mu - lambda): the Erlang C behind the printed wait.
    EXPECT_NEAR(*erlangC(3, lambda / mu), r->meanWait * (3 * mu - lambda), 1e-12);
}

TEST(Queueing, MmcMatchesBronsonsThreeServerProblem) {
    // Bronson, Schaum's Outline of Operations Research (McGraw-Hill, 1982), problem 24.6, as
    // listed among the examples of M. Casquilho's M/M/s calculator (IST Lisbon,
    // http://web.ist.utl.pt/mcasquilho/compute/or/Fx-queuevars.php): s = 3, arrivals 300 a
    // year, a mean service of 2 days (mu = 182.5 a year). Printed: Lq = 0.352, L = 1.996,
    // Wq = 0.001175 yr = 0.43 d, W = 0.006654 yr = 2.429 d, p0 = 0.17754.
    const double lambda = 300, mu = 182.5; // per year
    const auto r = mmc(lambda, mu, 3);
    ASSERT_TRUE(r);
    EXPECT_NEAR(r->meanWait, 0.001175, printedTo(0.000001));
    EXPECT_NEAR(r->meanWait * 365, 0.43, printedTo(0.01));
    EXPECT_NEAR(r->meanResponse, 0.006654, printedTo(0.000001));
    EXPECT_NEAR(r->meanResponse * 365, 2.429, printedTo(0.001));
    EXPECT_NEAR(lambda * r->meanWait, 0.352, printedTo(0.001));
    EXPECT_NEAR(lambda * r->meanResponse, 1.996, printedTo(0.001));
    // p0, the chance the system is empty, is no figure of ours, but Erlang C is p0 times
    // a^c / (c! (1 - rho)): the printed p0 pins C to five digits.
    const double a = lambda / mu, rho = a / 3;
    EXPECT_NEAR(*erlangC(3, a) * 6 * (1 - rho) / (a * a * a), 0.17754, printedTo(0.00001));
}

TEST(Queueing, ErlangBStaysExactForThousandsOfServers) {
    // Against the definition summed in log space (a different computation): B = t_c / sum t_k
    // with log t_k = k ln a - lgamma(k + 1).
    for (const auto& [c, a] :
         {std::pair{5000, 4900.0}, std::pair{2000, 1500.0}, std::pair{300, 310.0}}) {
        double top = -INFINITY;
        std::vector<double> logs;
        for (int k = 0; k <= c; ++k) {
            logs.push_back(k * std::log(a) - std::lgamma(k + 1.0));
            top = std::max(top, logs.back());
        }
        double sum = 0;
        for (double l : logs)
            sum += std::exp(l - top);
        const double expected = std::exp(logs.back() - top) / sum;
        EXPECT_NEAR(erlangB(c, a), expected, 1e-12 * std::max(1.0, expected)) << c << " " << a;
    }
}

TEST(Queueing, MmcMeansAndTheMm1SpecialCase) {
    // M/M/2, lambda = mu = 1: Lq = 2 rho^3 / (1 - rho^2) = 1/3 with rho = 1/2, Wq = Lq / lambda.
    const auto two = mmc(1, 1, 2);
    ASSERT_TRUE(two);
    EXPECT_NEAR(two->utilisation, 0.5, 1e-15);
    EXPECT_NEAR(two->meanWait, 1.0 / 3, 1e-15);
    EXPECT_NEAR(two->meanResponse, 4.0 / 3, 1e-15);
    // M/M/1: the response time is exponential with rate mu - lambda, so its p95 is
    // ln(20) / (mu - lambda) and its mean 1 / (mu - lambda).
    const auto one = mmc(8, 10, 1);
    ASSERT_TRUE(one);
    EXPECT_NEAR(one->meanResponse, 0.5, 1e-14);
    EXPECT_NEAR(*mmcResponsePercentile(8, 10, 1, 0.95), std::log(20.0) / 2, 1e-9);
    EXPECT_FALSE(mmc(10, 10, 1));
    EXPECT_FALSE(mmcResponsePercentile(1, 1, 2, 1.0));
}

TEST(Queueing, AllenCunneenMatchesTheExactCasesItShould) {
    // Exponential both ways: exactly M/M/c.
    EXPECT_NEAR(*ggcMeanWait(3.4, 1, 4, 1, 1), mmc(3.4, 1, 4)->meanWait, 1e-15);
    // M/D/1 (constant service): Pollaczek-Khinchine gives Wq = rho / (2 mu (1 - rho));
    // lambda = 8, mu = 10: 0.8 / (2 * 10 * 0.2) = 0.2.
    EXPECT_NEAR(*ggcMeanWait(8, 10, 1, 1, 0), 0.2, 1e-12);
    // M/G/1 with service SCV 2: P-K gives Wq = rho (1 + cs^2) / (2 mu (1 - rho)) = 0.6.
    EXPECT_NEAR(*ggcMeanWait(8, 10, 1, 1, 2), 0.6, 1e-12);
    EXPECT_FALSE(ggcMeanWait(10, 10, 1, 1, 1));
    EXPECT_FALSE(ggcMeanWait(1, 10, 1, -1, 1));
}

TEST(Queueing, ResponsePercentileMatchesASimulatedPool) {
    // An M/M/4 FCFS pool at 85% load, simulated for three million requests with a fixed seed:
    // the mean and the 95th and 99th percentiles of (finish - arrival) agree with the closed
    // form (at ten million requests and three seeds the p99 was within 0.8%; the bounds here
    // leave room for the shorter run's sampling noise).
    const double lambda = 3.4, mu = 1.0;
    const int servers = 4;
    std::mt19937_64 random(42);
    std::exponential_distribution<double> gap(lambda), work(mu);
    std::priority_queue<double, std::vector<double>, std::greater<>> freeAt;
    for (int s = 0; s < servers; ++s)
        freeAt.push(0);
    std::vector<double> response;
    response.reserve(3'000'000);
    double now = 0, sum = 0;
    for (int i = 0; i < 3'050'000; ++i) {
        now += gap(random);
        const double start = std::max(now, freeAt.top());
        freeAt.pop();
        const double finish = start + work(random);
        freeAt.push(finish);
        if (i >= 50'000) { // after the warm-up
            response.push_back(finish - now);
            sum += finish - now;
        }
    }
    EXPECT_NEAR(sum / static_cast<double>(response.size()), mmc(lambda, mu, servers)->meanResponse,
                0.01 * mmc(lambda, mu, servers)->meanResponse);
    std::sort(response.begin(), response.end());
    for (const auto& [q, tolerance] : {std::pair{0.95, 0.02}, std::pair{0.99, 0.03}}) {
        const double simulated =
            response[static_cast<std::size_t>(q * static_cast<double>(response.size()))];
        const double formula = *mmcResponsePercentile(lambda, mu, servers, q);
        EXPECT_NEAR(formula, simulated, tolerance * simulated) << q;
    }
}

TEST(Queueing, GgcPercentileReducesToTheExactCases) {
    // Exponential both ways: the M/M/c percentile.
    for (const double q : {0.5, 0.95, 0.99})
        EXPECT_NEAR(*ggcResponsePercentile(3.4, 1, 4, 1, 1, q),
                    *mmcResponsePercentile(3.4, 1, 4, q),
                    1e-4 * *mmcResponsePercentile(3.4, 1, 4, q))
            << q;
    // M/D/1, lambda = 8, mu = 10, by hand: C = rho = 0.8, Wq = 0.2 (Pollaczek-Khinchine), so a
    // wait is exponential with rate C / Wq = 4; T > t (t >= 0.1 s) needs a wait over t - 0.1:
    // 0.8 e^{-4 (t - 0.1)} = 0.05  =>  t = 0.1 + ln(16) / 4 = 0.79315 s.
    EXPECT_NEAR(*ggcResponsePercentile(8, 10, 1, 1, 0, 0.95), 0.1 + std::log(16.0) / 4, 1e-9);
    // Below C nobody waits: the median of M/D/1 at 30% load is the service time.
    EXPECT_NEAR(*ggcResponsePercentile(3, 10, 1, 1, 0, 0.5), 0.1, 1e-9);
    EXPECT_FALSE(ggcResponsePercentile(10, 10, 1, 1, 1, 0.95));
}

TEST(Queueing, PercentileWithErlangTwoServiceMatchesTheConvolutionByHand) {
    // Service Erlang-2 (SCV 0.5) of mean s, rate beta = 2 / s per phase:
    //   P(S > t) = e^{-beta t} (1 + beta t).
    // A wait, given one, exponential of rate theta; its convolution with S, by hand:
    //   integral_0^t beta^2 x e^{-beta x} e^{-theta (t - x)} dx
    //     = beta^2 e^{-theta t} (1 - e^{-d t} (1 + d t)) / d^2,  d = beta - theta != 0,
    // so P(T > t) = P(S > t) + C beta^2 e^{-theta t} (1 - e^{-d t} (1 + d t)) / d^2.
    // Both signs of d: the wait shorter than a service phase (a wide pool) and longer.
    const double s = 0.020, beta = 2 / s;
    for (const double theta : {30.0, 400.0, 3000.0})
        for (const double c : {0.05, 0.4, 0.95})
            for (const double q : {0.5, 0.95, 0.99}) {
                const WaitModel wait{c, c / theta};
                const double t = responsePercentile(wait, 1 / s, 0.5, q);
                const double d = beta - theta;
                const double tail = std::exp(-beta * t) * (1 + beta * t) +
                                    c * beta * beta * std::exp(-theta * t) *
                                        (1 - std::exp(-d * t) * (1 + d * t)) / (d * d);
                EXPECT_NEAR(tail, 1 - q, 1e-7 * (1 - q)) << theta << " " << c << " " << q;
            }
    // A nearly fixed service (SCV 6e-4, gamma shape 1,667, as a short service plus a long
    // fixed call makes), with the wait's rate 0.6 of the service's (an overflow for the
    // incomplete-gamma form): the wait is a few microseconds, so p95 is the service's own,
    // close to normal, s (1 + 1.645 sqrt(SCV)) = 20.806 ms.
    const double beta2 = 1 / (6e-4 * s);
    EXPECT_NEAR(responsePercentile({0.3, 0.3 / (0.6 * beta2)}, 1 / s, 6e-4, 0.95),
                s * (1 + 1.645 * std::sqrt(6e-4)), 1e-4);
}

/// Simulates one FCFS pool of `servers` for `count` requests after a warm-up; returns the
/// sorted response times.
template <typename Gap, typename Work>
std::vector<double> simulatePool(int servers, int count, Gap gap, Work work) {
    std::priority_queue<double, std::vector<double>, std::greater<>> freeAt;
    for (int s = 0; s < servers; ++s)
        freeAt.push(0);
    std::vector<double> response;
    response.reserve(static_cast<std::size_t>(count));
    double now = 0;
    for (int i = 0; i < count + 50'000; ++i) {
        now += gap();
        const double start = std::max(now, freeAt.top());
        freeAt.pop();
        const double finish = start + work();
        freeAt.push(finish);
        if (i >= 50'000)
            response.push_back(finish - now);
    }
    std::sort(response.begin(), response.end());
    return response;
}

double meanOf(const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}
double quantileOf(const std::vector<double>& sorted, double q) {
    return sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size()))];
}

TEST(Queueing, GgcApproximationAgainstSimulatedRoundRobinClones) {
    // One of 3 round-robin clones of 4 workers, 20 ms service, at 90% load: it gets every third
    // arrival of a Poisson stream (Erlang-3 gaps, SCV 1/3). Simulated for two million requests,
    // the approximation's errors were (mean, p95): exponential service +4.3%, +2.1%; constant
    // +4.0%, +3.7%; gamma with SCV 2 +6.5%, +4.3%. Plain M/M/c puts the p95 at 163 ms against
    // the simulated 118, 41 and 184 ms: a third high, four times high, a tenth low.
    const double service = 0.020, rho = 0.90;
    const int workers = 4;
    const double cloneRate = rho * workers / service; // 180 req/s at this clone
    std::mt19937_64 random(7);
    std::gamma_distribution<double> erlang3(3.0, 1 / (3 * cloneRate) * 1.0);
    std::exponential_distribution<double> expo(1 / service);
    const auto gap = [&] { return erlang3(random); };
    std::gamma_distribution<double> heavy(0.5, service / 0.5); // SCV 2
    for (const double scv : {1.0, 0.0, 2.0}) {
        const auto work = [&] {
            return scv == 1 ? expo(random) : scv == 0 ? service : heavy(random);
        };
        const auto sim = simulatePool(workers, 2'000'000, gap, work);
        const double mean = *ggcMeanWait(cloneRate, 1 / service, workers, 1.0 / 3, scv) + service;
        const double p95 =
            *ggcResponsePercentile(cloneRate, 1 / service, workers, 1.0 / 3, scv, 0.95);
        EXPECT_NEAR(mean, meanOf(sim), 0.08 * meanOf(sim)) << "service SCV " << scv;
        EXPECT_NEAR(p95, quantileOf(sim, 0.95), 0.06 * quantileOf(sim, 0.95))
            << "service SCV " << scv;
        const double plainP95 = *mmcResponsePercentile(cloneRate, 1 / service, workers, 0.95);
        EXPECT_GT(std::abs(plainP95 / quantileOf(sim, 0.95) - 1), 0.1) << "service SCV " << scv;
    }
}

} // namespace
} // namespace headroom::analysis
