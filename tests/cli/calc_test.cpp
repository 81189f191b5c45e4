// headroom-cli calc: each calculator against numbers worked out here, independently of core
// (closed forms, the Erlang B recursion written out, published tables), and its refusals of bad
// input with the place named.

#include "support/cli_runner.h"
#include "support/temp_dir.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

namespace headroom {
namespace {

using test::cli;
using test::Run;

nlohmann::json json(const Run& run) {
    return nlohmann::json::parse(run.out);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// P(T > t) for the M/M/c FCFS response T (wait + service), written out for the test: with
/// probability 1 - C no wait, T ~ Exp(mu); else T = Exp(theta) + Exp(mu), theta = c mu - lambda,
/// whose tail is (theta e^{-mu t} - mu e^{-theta t}) / (theta - mu).
double responseTail(double t, double mu, double theta, double erlangC) {
    const double both = (theta * std::exp(-mu * t) - mu * std::exp(-theta * t)) / (theta - mu);
    return (1 - erlangC) * std::exp(-mu * t) + erlangC * both;
}

TEST(Calc, NeedsACalculatorAndEachHasHelp) {
    EXPECT_EQ(cli({"calc"}).exitCode, 2);
    for (const char* sub : {"mmc", "fleet", "mva", "usl"}) {
        const auto run = cli({"calc", sub, "--help"});
        EXPECT_EQ(run.exitCode, 0) << sub;
        EXPECT_TRUE(contains(run.out, "--format")) << sub;
    }
}

TEST(Calc, MmOneMatchesTheExponentialResponse) {
    // lambda 8/s, S = 0.1 s (mu 10), one server: rho = 0.8, and for M/M/1 P(wait) = rho = 0.8,
    // Wq = rho / (mu - lambda) = 0.4 s, W = 1 / (mu - lambda) = 0.5 s. The response is
    // exponential with rate mu - lambda = 2, so its 95th percentile is ln(20) / 2.
    const auto run = cli({"calc", "mmc", "--arrival-rate", "8", "--service-time", "0.1",
                          "--servers", "1", "--format", "json"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto j = json(run);
    EXPECT_EQ(j["saturated"], false);
    EXPECT_NEAR(j["utilisation"].get<double>(), 0.8, 1e-12);
    EXPECT_NEAR(j["wait_probability"].get<double>(), 0.8, 1e-12);
    EXPECT_NEAR(j["mean_wait_s"].get<double>(), 0.4, 1e-12);
    EXPECT_NEAR(j["mean_response_s"].get<double>(), 0.5, 1e-12);
    EXPECT_NEAR(j["percentile_response_s"].get<double>(), std::log(20.0) / 2,
                1e-6 * std::log(20.0) / 2);
    EXPECT_NEAR(std::log(20.0) / 2, 1.49787, 5e-6);

    const auto text =
        cli({"calc", "mmc", "--arrival-rate", "8", "--service-time", "0.1", "--servers", "1"});
    ASSERT_EQ(text.exitCode, 0) << text.err;
    EXPECT_TRUE(contains(text.out, "p95 response")) << text.out;
    EXPECT_TRUE(contains(text.out, "1.49787 s")) << text.out;
}

TEST(Calc, MmTwoWorkedByHand) {
    // lambda 15/s, S = 0.1 s (mu 10), c = 2: a = 1.5 Erlangs, rho = 0.75.
    // Erlang B: B(1) = a / (1 + a) = 0.6, B(2) = a B(1) / (2 + a B(1)) = 0.9 / 2.9 = 9/29.
    // Erlang C = B / (1 - rho (1 - B)) = (9/29) / (1 - 0.75 * 20/29) = 9/14 (the textbook sum
    // agrees: (a^2/2)(c/(c-a)) = 4.5 over 1 + a + 4.5 = 7).
    // Wq = C / (c mu - lambda) = (9/14) / 5 = 9/70 s; W = 9/70 + 1/10 = 8/35 s.
    // The tail, with theta = c mu - lambda = 5: (theta e^{-mu t} - mu e^{-theta t}) / (theta - mu)
    // = 2 e^{-5t} - e^{-10t}, so P(T > t) = (5/14) e^{-10t} + (9/14)(2 e^{-5t} - e^{-10t})
    // = (9/7) x - (2/7) x^2 with x = e^{-5t}. P = 0.05 gives 2x^2 - 9x + 0.35 = 0, the root
    // below 1 is x = (9 - sqrt(78.2)) / 4, and t = -ln(x) / 5 = 0.64766 s.
    const auto run = cli({"calc", "mmc", "--arrival-rate", "15", "--service-time", "0.1",
                          "--servers", "2", "--format", "json"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto j = json(run);
    EXPECT_NEAR(j["offered_load_erlangs"].get<double>(), 1.5, 1e-12);
    EXPECT_NEAR(j["utilisation"].get<double>(), 0.75, 1e-12);
    EXPECT_NEAR(j["wait_probability"].get<double>(), 9.0 / 14, 1e-12);
    EXPECT_NEAR(j["mean_wait_s"].get<double>(), 9.0 / 70, 1e-12);
    EXPECT_NEAR(j["mean_response_s"].get<double>(), 8.0 / 35, 1e-12);
    const double p95 = -std::log((9 - std::sqrt(78.2)) / 4) / 5;
    EXPECT_NEAR(j["percentile_response_s"].get<double>(), p95,
                1e-6 * p95); // percentiles are solved to 7 digits
    EXPECT_NEAR(p95, 0.64766, 5e-6);
}

TEST(Calc, MmcTargetResponseFindsTheFewestServers) {
    // The M/M/2 above has p95 0.648 s. Target p95 <= 0.35 s:
    // - c = 2: P(T > 0.35) = (9/7) e^{-1.75} - (2/7) e^{-3.5} = 0.2148 > 0.05: misses.
    // - c = 3: B(3) = a B(2) / (3 + a B(2)) = (13.5/29) / (100.5/29) = 9/67, rho = 0.5,
    //   C = (9/67) / (1 - 0.5 * 58/67) = 9/38; theta = 30 - 15 = 15, and the tail is
    //   (1 - C) e^{-10t} + C (15 e^{-10t} - 10 e^{-15t}) / 5 = (28 e^{-10t} - 9 e^{-15t}) / 19,
    //   at t = 0.35 0.0420 < 0.05: meets it. So 3 servers.
    const double two = (9.0 / 7) * std::exp(-1.75) - (2.0 / 7) * std::exp(-3.5);
    const double three = (28 * std::exp(-3.5) - 9 * std::exp(-5.25)) / 19;
    ASSERT_GT(two, 0.05);
    ASSERT_LT(three, 0.05);
    EXPECT_NEAR(three, responseTail(0.35, 10, 15, 9.0 / 38), 1e-15) << "the two forms agree";
    const auto run = cli({"calc", "mmc", "--arrival-rate", "15", "--service-time", "0.1",
                          "--servers", "2", "--target-response", "0.35", "--format", "json"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_EQ(json(run)["servers_for_target"], 3);

    // However many servers, the response is at least the service time, whose p95 is
    // 0.1 ln(20) = 0.2996 s: a 0.25 s target is out of reach, and it says so.
    const auto never = cli({"calc", "mmc", "--arrival-rate", "15", "--service-time", "0.1",
                            "--servers", "2", "--target-response", "0.25", "--format", "json"});
    ASSERT_EQ(never.exitCode, 0) << never.err;
    const auto j = json(never);
    EXPECT_TRUE(j["servers_for_target"].is_null());
    EXPECT_TRUE(contains(j["servers_for_target_note"].get<std::string>(), "not reachable"));
    const auto text = cli({"calc", "mmc", "--arrival-rate", "15", "--service-time", "0.1",
                           "--servers", "2", "--target-response", "0.25"});
    EXPECT_TRUE(contains(text.out, "not reachable")) << text.out;
}

TEST(Calc, MmcSaysSaturatedAndStillSizesForTheTarget) {
    // lambda = 20/s = c / S with c = 2: the queue grows for ever.
    const auto run = cli({"calc", "mmc", "--arrival-rate", "20", "--service-time", "0.1",
                          "--servers", "2", "--target-response", "0.35", "--format", "json"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto j = json(run);
    EXPECT_EQ(j["saturated"], true);
    EXPECT_TRUE(j["utilisation"].is_null());
    EXPECT_TRUE(j["mean_response_s"].is_null());
    EXPECT_TRUE(j["percentile_response_s"].is_null());
    // a = 2: the search starts at 3 servers, and at least one more than 2 is needed.
    ASSERT_TRUE(j["servers_for_target"].is_number_integer());
    EXPECT_GE(j["servers_for_target"].get<int>(), 3);
    const auto text =
        cli({"calc", "mmc", "--arrival-rate", "25", "--service-time", "0.1", "--servers", "2"});
    ASSERT_EQ(text.exitCode, 0) << text.err;
    EXPECT_TRUE(contains(text.out, "saturated")) << text.out;
}

TEST(Calc, MmcRefusesNonsenseNumbersWithTheOption) {
    const auto negative =
        cli({"calc", "mmc", "--arrival-rate", "8", "--service-time", "-1", "--servers", "1"});
    EXPECT_EQ(negative.exitCode, 2);
    EXPECT_TRUE(negative.out.empty());
    EXPECT_TRUE(contains(negative.err, "--service-time: must be above 0 seconds, got -1"))
        << negative.err;
    EXPECT_EQ(
        cli({"calc", "mmc", "--arrival-rate", "nan", "--service-time", "0.1", "--servers", "1"})
            .exitCode,
        2);
    EXPECT_EQ(cli({"calc", "mmc", "--arrival-rate", "8", "--service-time", "0.1", "--servers", "0"})
                  .exitCode,
              2);
    EXPECT_EQ(cli({"calc", "mmc", "--arrival-rate", "8", "--service-time", "0.1", "--servers", "1",
                   "--percentile", "100"})
                  .exitCode,
              2);
    EXPECT_EQ(
        cli({"calc", "mmc", "--arrival-rate", "lots", "--service-time", "0.1", "--servers", "1"})
            .exitCode,
        2);
}

TEST(Calc, LeastConnectionsFleetIsOnePooledMmc) {
    // 540 req/s at 20 ms over 3 replicas x 4 workers, least connections: one M/M/12 queue with
    // a = 540 * 0.02 = 10.8 Erlangs, rho = 0.9. Erlang C from the Erlang B recursion
    // B(k) = a B(k-1) / (k + a B(k-1)), C = B / (1 - rho (1 - B)); W = C / (c mu - lambda) + S
    // with c mu - lambda = 600 - 540 = 60/s. Saturation at 12 / 0.02 = 600 req/s.
    const double a = 10.8, rho = 0.9;
    double b = 1;
    for (int k = 1; k <= 12; ++k)
        b = a * b / (k + a * b);
    const double erlangC = b / (1 - rho * (1 - b));
    EXPECT_NEAR(erlangC, 0.64004, 5e-6);
    const auto run =
        cli({"calc", "fleet", "--arrival-rate", "540", "--service-time", "0.02", "--replicas", "3",
             "--concurrency", "4", "--lb", "least-conn", "--format", "json"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto j = json(run);
    EXPECT_EQ(j["saturated"], false);
    EXPECT_NEAR(j["utilisation"].get<double>(), 0.9, 1e-12);
    EXPECT_NEAR(j["clone_arrival_rate_per_s"].get<double>(), 180, 1e-9);
    EXPECT_NEAR(j["clone_arrival_scv"].get<double>(), 1, 1e-12);
    EXPECT_NEAR(j["mean_response_s"].get<double>(), erlangC / 60 + 0.02, 1e-12);
    EXPECT_NEAR(j["saturation_throughput_per_s"].get<double>(), 600, 1e-9);
    // The printed p95 is where the M/M/12 response tail (mu 50, theta 60) falls to 5%.
    const double p95 = j["percentile_response_s"].get<double>();
    EXPECT_NEAR(responseTail(p95, 50, 60, erlangC), 0.05, 1e-9);
    EXPECT_TRUE(contains(j["model"].get<std::string>(), "least connections"));

    const auto text = cli({"calc", "fleet", "--arrival-rate", "540", "--service-time", "0.02",
                           "--replicas", "3", "--concurrency", "4", "--lb", "least-conn"});
    ASSERT_EQ(text.exitCode, 0) << text.err;
    EXPECT_TRUE(contains(text.out, "saturation throughput")) << text.out;
    EXPECT_TRUE(contains(text.out, "600 requests/s")) << text.out;
}

TEST(Calc, FleetRefusesAnUnknownBalancerAndNonsense) {
    EXPECT_EQ(cli({"calc", "fleet", "--arrival-rate", "540", "--service-time", "0.02", "--replicas",
                   "3", "--concurrency", "4", "--lb", "fastest"})
                  .exitCode,
              2);
    const auto zero = cli({"calc", "fleet", "--arrival-rate", "540", "--service-time", "0.02",
                           "--replicas", "0", "--concurrency", "4", "--lb", "random"});
    EXPECT_EQ(zero.exitCode, 2);
    EXPECT_TRUE(contains(zero.err, "--replicas")) << zero.err;
    const auto over =
        cli({"calc", "fleet", "--arrival-rate", "1", "--service-time", "0.02", "--replicas",
             "100000", "--concurrency", "100000", "--lb", "least-conn"});
    EXPECT_EQ(over.exitCode, 2) << "10^10 workers would overflow the pooled count";
}

/// Jain, "The Art of Computer Systems Performance Analysis", example 34.2: CPU, disk A and
/// disk B with demands 2, 3 and 1 s and think time 4 s (as in tests/core/mva_test.cpp).
const char* const kJainModel = R"({
  "think_time": 4,
  "population": 20,
  "stations": [
    {"name": "CPU", "demand": 2, "kind": "queue"},
    {"name": "disk A", "demand": 3, "kind": "queue"},
    {"name": "disk B", "demand": 1}
  ]
})";

TEST(Calc, MvaReproducesJainsTableAtTwentyUsers) {
    test::TempDir dir;
    const auto model = dir / "jain.json";
    test::writeFile(model, kJainModel);
    // Jain, table 34.1, N = 20: R = 56.016 s, X = 0.333/s, disk A queue 16.177, printed to
    // three decimals.
    const auto run = cli({"calc", "mva", model.string(), "--format", "json"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto j = json(run);
    EXPECT_NEAR(j["response_s"].get<double>(), 56.016, 0.0005);
    EXPECT_NEAR(j["throughput_per_s"].get<double>(), 0.333, 0.0005);
    EXPECT_NEAR(j["stations"][1]["queue_length"].get<double>(), 16.177, 0.0005);
    EXPECT_NEAR(j["stations"][1]["utilisation"].get<double>(),
                3 * j["throughput_per_s"].get<double>(), 1e-12);
    EXPECT_EQ(j["stations"][2]["kind"], "queue") << "kind defaults to queue";
    // Asymptotic bounds by hand (D = 6 s, Dmax = 3 s, Z = 4 s, N = 20): X <= min(20/10, 1/3),
    // X >= 20 / (20 x 6 + 4), R >= max(6, 20 x 3 - 4) = 56, R <= 20 x 6; N* = (6 + 4) / 3.
    EXPECT_NEAR(j["bounds"]["throughput_upper"].get<double>(), 1.0 / 3, 1e-12);
    EXPECT_NEAR(j["bounds"]["throughput_lower"].get<double>(), 20.0 / 124, 1e-12);
    EXPECT_NEAR(j["bounds"]["response_lower_s"].get<double>(), 56, 1e-12);
    EXPECT_NEAR(j["bounds"]["response_upper_s"].get<double>(), 120, 1e-12);
    EXPECT_NEAR(j["bounds"]["saturation_population"].get<double>(), 10.0 / 3, 1e-12);

    // Schweitzer's approximation lands within a few percent (here about 1%: R 56.65, X 0.3298).
    const auto approx =
        cli({"calc", "mva", model.string(), "--method", "schweitzer", "--format", "json"});
    ASSERT_EQ(approx.exitCode, 0) << approx.err;
    const auto s = json(approx);
    EXPECT_EQ(s["converged"], true);
    EXPECT_NEAR(s["response_s"].get<double>(), 56.016, 0.02 * 56.016);
    EXPECT_NEAR(s["throughput_per_s"].get<double>(), 0.333, 0.02 * 0.333);
    EXPECT_TRUE(approx.err.empty()) << approx.err;

    const auto text = cli({"calc", "mva", model.string(), "--method", "schweitzer"});
    ASSERT_EQ(text.exitCode, 0) << text.err;
    EXPECT_TRUE(contains(text.out, "converged")) << text.out;
    EXPECT_TRUE(contains(text.out, "disk A")) << text.out;
}

TEST(Calc, MvaDelayStationHasNoUtilisation) {
    // One job never queues: R = 0.05 + 0.12 + 0.03 = 0.2 s and X = 1 / (0.2 + 1.8) = 0.5/s.
    test::TempDir dir;
    const auto model = dir / "one.json";
    test::writeFile(model, R"({"think_time": 1.8, "population": 1, "stations": [
        {"name": "web", "demand": 0.05}, {"name": "db", "demand": 0.12},
        {"name": "cdn", "demand": 0.03, "kind": "delay"}]})");
    const auto run = cli({"calc", "mva", model.string(), "--format", "json"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto j = json(run);
    EXPECT_NEAR(j["response_s"].get<double>(), 0.2, 1e-12);
    EXPECT_NEAR(j["throughput_per_s"].get<double>(), 0.5, 1e-12);
    EXPECT_TRUE(j["stations"][2]["utilisation"].is_null());
    const auto text = cli({"calc", "mva", model.string()});
    ASSERT_EQ(text.exitCode, 0) << text.err;
    const auto cdn = text.out.substr(text.out.find("\ncdn") + 1);
    const auto line = cdn.substr(0, cdn.find('\n'));
    EXPECT_TRUE(contains(line, "delay")) << line;
    EXPECT_TRUE(contains(line, " -  ")) << line;
}

TEST(Calc, MalformedModelNamesWhere) {
    test::TempDir dir;
    const auto model = dir / "model.json";
    const auto run = [&](const std::string& content) {
        test::writeFile(model, content);
        return cli({"calc", "mva", model.string()});
    };
    // "oops" starts at line 3, column 3: byte 2 + 20 + 3 = 25 counting from 1.
    const auto syntax = run("{\n  \"population\": 20,\n  oops\n}\n");
    EXPECT_EQ(syntax.exitCode, 2);
    EXPECT_TRUE(syntax.out.empty());
    EXPECT_TRUE(contains(syntax.err, model.string() + ": line 3, column 3 (byte 25): invalid JSON"))
        << syntax.err;

    const auto mistyped = run(R"({"population": 20, "stations": [{"demand": 2}, {"demand": 3},
        {"name": "disk B", "demand": "1"}]})");
    EXPECT_EQ(mistyped.exitCode, 2);
    EXPECT_TRUE(contains(mistyped.err, model.string() +
                                           ": /stations/2/demand: expected a number of "
                                           "seconds, found string"))
        << mistyped.err;

    const auto missing = run(R"({"think_time": 4, "stations": [{"demand": 2}]})");
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_TRUE(contains(missing.err, ": /population: missing")) << missing.err;

    const auto kind = run(R"({"population": 2, "stations": [{"demand": 2, "kind": "fifo"}]})");
    EXPECT_EQ(kind.exitCode, 2);
    EXPECT_TRUE(contains(kind.err, ": /stations/0/kind: ")) << kind.err;

    const auto fraction = run(R"({"population": 2.5, "stations": [{"demand": 2}]})");
    EXPECT_EQ(fraction.exitCode, 2);
    EXPECT_TRUE(contains(fraction.err, ": /population: expected a whole number")) << fraction.err;

    const auto typo = run(R"({"population": 2, "thinktime": 4, "stations": [{"demand": 2}]})");
    EXPECT_EQ(typo.exitCode, 2);
    EXPECT_TRUE(contains(typo.err, ": /thinktime: unknown field")) << typo.err;

    const auto absent = cli({"calc", "mva", (dir / "absent.json").string()});
    EXPECT_EQ(absent.exitCode, 2);
    EXPECT_TRUE(contains(absent.err, "no such file")) << absent.err;
}

/// The usl package's specsdm91 data (tests/core/usl_test.cpp): users against scripts/hour.
constexpr const char* kSpecSdm91Rows[][2] = {{"1", "64.9"},    {"18", "995.9"},   {"36", "1652.4"},
                                             {"72", "1853.2"}, {"108", "1828.9"}, {"144", "1775.0"},
                                             {"216", "1702.2"}};

TEST(Calc, UslMatchesTheUslPackagesSpecSdm91Fit) {
    test::TempDir dir;
    // A header in the other order, semicolons.
    std::string headed = "throughput;N\n";
    // No header, commas, CRLF line ends and blank lines.
    std::string bare = "\r\n";
    // No header, tabs.
    std::string tabbed;
    for (const auto& [n, x] : kSpecSdm91Rows) {
        headed += std::string(x) + ";" + n + "\n";
        bare += std::string(n) + "," + x + "\r\n\r\n";
        tabbed += std::string(n) + "\t" + x + "\n";
    }
    for (const auto& [name, content] :
         {std::pair{"headed.csv", headed}, std::pair{"bare.csv", bare},
          std::pair{"tabbed.tsv", tabbed}}) {
        const auto file = dir / name;
        test::writeFile(file, content);
        const auto run = cli({"calc", "usl", file.string(), "--format", "json"});
        ASSERT_EQ(run.exitCode, 0) << name << ": " << run.err;
        const auto j = json(run);
        // The package's summary(): alpha 0.0277285, beta 0.0001044, gamma 89.9952330; peak at
        // 96.51956 users, throughput 1884.
        EXPECT_EQ(j["points"], 7) << name;
        EXPECT_NEAR(j["sigma"].get<double>(), 0.0277285, 5e-8) << name;
        EXPECT_NEAR(j["kappa"].get<double>(), 0.0001044, 5e-8) << name;
        EXPECT_NEAR(j["lambda"].get<double>(), 89.995233, 2e-6) << name;
        EXPECT_NEAR(j["peak"]["n"].get<double>(), 96.51956, 5e-6) << name;
        EXPECT_NEAR(j["peak"]["throughput"].get<double>(), 1884, 0.5) << name;
        EXPECT_NEAR(j["r_squared"].get<double>(), 0.98956, 5e-6) << name;
    }
    const auto text = cli({"calc", "usl", (dir / "headed.csv").string()});
    ASSERT_EQ(text.exitCode, 0) << text.err;
    EXPECT_TRUE(contains(text.out, "sigma (contention)")) << text.out;
    EXPECT_TRUE(contains(text.out, "R squared")) << text.out;
}

TEST(Calc, UslWithoutCoherencySaysThereIsNoPeak) {
    // The usl package's raytracer data: the fit holds kappa at its bound 0 (its vignette: "the
    // predicted throughput never reaches a maximum").
    test::TempDir dir;
    const auto file = dir / "raytracer.csv";
    test::writeFile(file, "N,throughput\n1,20\n4,78\n8,130\n12,170\n16,190\n20,200\n24,210\n"
                          "28,230\n32,260\n48,280\n64,310\n");
    const auto run = cli({"calc", "usl", file.string()});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_TRUE(contains(run.out, "none: kappa is 0")) << run.out;
    const auto j = json(cli({"calc", "usl", file.string(), "--format", "json"}));
    EXPECT_TRUE(j["peak"].is_null());
    EXPECT_EQ(j["kappa"], 0.0);
}

TEST(Calc, BrokenUslCsvNamesTheLineAndColumn) {
    test::TempDir dir;
    const auto file = dir / "broken.csv";
    test::writeFile(file, "N,throughput\n1,64.9\n18,995.9\n36,lots\n72,1853.2\n");
    const auto run = cli({"calc", "usl", file.string()});
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_TRUE(run.out.empty());
    EXPECT_TRUE(
        contains(run.err, file.string() + ": line 4, column 2: not a number: 'lots' (throughput)"))
        << run.err;

    test::writeFile(file, "users,rate\n1,64.9\n");
    const auto header = cli({"calc", "usl", file.string()});
    EXPECT_EQ(header.exitCode, 2);
    EXPECT_TRUE(contains(header.err, file.string() + ": line 1: the header names no N"))
        << header.err;

    test::writeFile(file, "N,throughput\n1,64.9\n18\n");
    const auto ragged = cli({"calc", "usl", file.string()});
    EXPECT_EQ(ragged.exitCode, 2);
    EXPECT_TRUE(contains(ragged.err, ": line 3: expected 2 fields, found 1")) << ragged.err;

    test::writeFile(file, "1,64.9\n18,995.9\n");
    const auto few = cli({"calc", "usl", file.string()});
    EXPECT_EQ(few.exitCode, 2) << "two points cannot fit three coefficients";
    EXPECT_TRUE(contains(few.err, file.string())) << few.err;
}

} // namespace
} // namespace headroom
