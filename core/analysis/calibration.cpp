#include "analysis/calibration.h"

#include "metrics/series_ops.h"

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

namespace headroom::analysis {
namespace {

constexpr std::int64_t kStepMs = 60'000; // the series are compared minute by minute
constexpr std::size_t kFewestPoints = 30;
constexpr double kSoundFit = 0.5; // R^2

using Minutes = std::map<std::int64_t, double>;

std::string num(double v, const char* pattern = "%.3g") {
    char text[48];
    std::snprintf(text, sizeof text, pattern, v);
    return text;
}

/// The first series bound to the component in `role`, as per-minute averages in the role's
/// unit; nothing when there is none or it cannot be read or converted.
std::optional<Minutes> minutes(const Project& project, const std::string& component,
                               const std::string& role) {
    for (const auto& entry : project.series) {
        if (entry.component != component || entry.role != role || !entry.data)
            continue;
        const auto factor = roleUnitFactor(project, entry);
        const auto samples = entry.data->samples();
        if (!factor || !samples)
            return std::nullopt;
        Minutes out;
        for (const auto& s : metrics::resample(*samples, kStepMs, metrics::Aggregation::Average))
            if (std::isfinite(s.value))
                out.emplace(s.timestampMs, s.value * *factor);
        if (out.empty())
            return std::nullopt;
        return out;
    }
    return std::nullopt;
}

double quantile(std::vector<double> values, double q) {
    std::sort(values.begin(), values.end());
    const double at = q * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(at));
    const auto hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (values[hi] - values[lo]) * (at - static_cast<double>(lo));
}

struct Line {
    std::size_t points = 0;
    double slope = 0, intercept = 0, rSquared = 0;
    double xMin = 0, xMax = 0;
};

/// Ordinary least squares of y on x.
Line fit(const std::vector<std::pair<double, double>>& xy) {
    Line line;
    line.points = xy.size();
    if (xy.size() < 2)
        return line;
    double mx = 0, my = 0;
    line.xMin = line.xMax = xy.front().first;
    for (const auto& [x, y] : xy) {
        mx += x;
        my += y;
        line.xMin = std::min(line.xMin, x);
        line.xMax = std::max(line.xMax, x);
    }
    const auto n = static_cast<double>(xy.size());
    mx /= n;
    my /= n;
    double sxx = 0, sxy = 0, syy = 0;
    for (const auto& [x, y] : xy) {
        sxx += (x - mx) * (x - mx);
        sxy += (x - mx) * (y - my);
        syy += (y - my) * (y - my);
    }
    if (sxx <= 0)
        return line;
    line.slope = sxy / sxx;
    line.intercept = my - line.slope * mx;
    line.rSquared = syy > 0 ? sxy * sxy / (sxx * syy) : 0;
    return line;
}

/// CPU per request (ms) from the utilisation law per instance; fills the figure and says
/// whether it is sound enough to use.
CalibrationFigure cpuDemand(const Component& c, const Minutes& rate, const Minutes& cpu,
                            const std::optional<Minutes>& replicas) {
    CalibrationFigure f{"cpu_ms_per_request",
                        "CPU per request",
                        "ms",
                        std::nullopt,
                        c.number("cpu_ms_per_request"),
                        false,
                        ""};
    const double requestCores = c.number("cpu_request_millicores") / 1000;
    const double drawnReplicas = std::max(1.0, c.number("replicas"));
    std::vector<std::pair<double, double>> xy;
    for (const auto& [t, x] : rate) {
        const auto u = cpu.find(t);
        if (u == cpu.end())
            continue;
        double n = drawnReplicas;
        if (replicas) {
            const auto r = replicas->find(t);
            if (r == replicas->end() || !(r->second >= 1))
                continue;
            n = r->second;
        }
        xy.emplace_back(x / n, u->second * requestCores);
    }
    const auto line = fit(xy);
    const std::string per = replicas ? "the measured replica count" : "the drawn replicas";
    if (line.points < kFewestPoints) {
        f.how = "not enough minutes where both the rate and the CPU were measured (" +
                std::to_string(line.points) + "; " + std::to_string(kFewestPoints) + " needed)";
        return f;
    }
    f.measured = line.slope * 1000;
    f.how = "least squares of each instance's CPU (cores) on its requests/s (per " + per +
            ") over " + std::to_string(line.points) + " minutes: R\u00b2 " +
            num(line.rSquared, "%.2f") + ", background " + num(line.intercept) +
            " cores per instance";
    if (!(line.slope > 0) || line.rSquared < kSoundFit || line.xMax < 1.5 * line.xMin) {
        f.how += line.xMax < 1.5 * line.xMin
                     ? "; the load hardly varied, so the slope is not trusted: entered value used"
                     : "; too loose a fit to trust: entered value used";
        return f;
    }
    f.used = true;
    f.how += "; used instead of the entered value";
    return f;
}

/// The 95th percentile of a gamma distribution of mean 1 and squared coefficient of variation
/// `scv` (1: exponential, ln 20 = 3.0; towards 0: constant, 1).
double gammaP95(double scv) {
    using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
    const double shape = 1 / scv;
    return boost::math::gamma_p_inv(shape, 0.95, Policy()) / shape;
}

/// The service-time SCV whose gamma distribution has the measured p95 / mean ratio, from the
/// minutes when the component was least busy (so the response is mostly service): nothing when
/// there are too few such minutes.
CalibrationFigure serviceScv(const Component& c, const Minutes& mean, const Minutes& p95,
                             const std::optional<Minutes>& cpu,
                             const std::optional<Minutes>& rate) {
    CalibrationFigure f{"service_time_scv",
                        "Service time variability (SCV)",
                        "",
                        std::nullopt,
                        c.number("service_time_scv"),
                        false,
                        ""};
    // The quietest fifth of the minutes: by CPU when it is bound, else by arrival rate, else by
    // latency; there a response is mostly service, not waiting.
    std::vector<std::tuple<double, double, double>> quiet; // (busyness, mean, p95)
    for (const auto& [t, m] : mean) {
        const auto q = p95.find(t);
        if (q == p95.end() || !(m > 0))
            continue;
        double busyness = m;
        if (const auto& by = cpu ? cpu : rate) {
            const auto b = by->find(t);
            if (b == by->end())
                continue;
            busyness = b->second;
        }
        quiet.emplace_back(busyness, m, q->second);
    }
    std::sort(quiet.begin(), quiet.end());
    quiet.resize(quiet.size() / 5);
    std::vector<std::pair<double, double>> pairs; // (mean, p95)
    for (const auto& [b, m, q] : quiet)
        pairs.emplace_back(m, q);
    if (pairs.size() < kFewestPoints) {
        f.how = "not enough minutes with both the mean and the p95 latency (a fifth of them: " +
                std::to_string(pairs.size()) + "; " + std::to_string(kFewestPoints) + " needed)";
        return f;
    }
    std::vector<double> ratios;
    for (const auto& [m, q] : pairs)
        ratios.push_back(q / m);
    const double ratio = quantile(ratios, 0.5);
    double scv = 0;
    if (ratio > 1) {
        double low = 1e-4, high = 20; // gammaP95 rises with the SCV
        if (ratio >= gammaP95(high)) {
            scv = high;
        } else {
            for (int i = 0; i < 100 && high - low > 1e-6 * high; ++i) {
                const double mid = (low + high) / 2;
                (gammaP95(mid) < ratio ? low : high) = mid;
            }
            scv = (low + high) / 2;
        }
    }
    f.measured = scv;
    f.used = true;
    f.how = "the gamma distribution with the median p95 / mean ratio (" + num(ratio) + ") of " +
            std::to_string(pairs.size()) +
            " quiet minutes, when the response is mostly service; used instead of the entered "
            "value";
    return f;
}

} // namespace

CalibrationResult calibrate(const Project& project, const std::vector<double>& drawnRates) {
    CalibrationResult out;
    out.calibrated = project;
    if (project.series.empty())
        return out;
    for (std::size_t v = 0; v < project.components.size(); ++v) {
        const auto& c = project.components[v];
        const auto rate = minutes(project, c.id, "arrival_rate");
        const auto cpu = minutes(project, c.id, "cpu_utilization");
        const auto latency = minutes(project, c.id, "latency_mean");
        const auto latencyP95 = minutes(project, c.id, "latency_p95");
        if (!rate && !cpu && !latency)
            continue;
        ComponentCalibration cal{c.id, {}};
        if (rate) {
            std::vector<double> values;
            double sum = 0;
            for (const auto& [t, x] : *rate) {
                values.push_back(x);
                sum += x;
            }
            CalibrationFigure f{
                "arrival_rate", "Arrival rate", "req/s", sum / static_cast<double>(values.size()),
                std::nullopt,   false,          ""};
            if (v < drawnRates.size())
                f.entered = drawnRates[v];
            f.how = "mean over " + std::to_string(values.size()) +
                    " minutes (95% of minutes below " + num(quantile(values, 0.95)) +
                    " req/s); the drawing's clients set the analysed load";
            cal.figures.push_back(std::move(f));
        }
        if (c.kind == ComponentKind::Service && rate && cpu) {
            auto f = cpuDemand(c, *rate, *cpu, minutes(project, c.id, "replica_count"));
            if (f.used)
                out.calibrated.components[v].properties["cpu_ms_per_request"] = *f.measured;
            cal.figures.push_back(std::move(f));
        } else if (c.kind == ComponentKind::Service && cpu && !rate) {
            cal.figures.push_back({"cpu_ms_per_request", "CPU per request", "ms", std::nullopt,
                                   c.number("cpu_ms_per_request"), false,
                                   "CPU is bound but no arrival rate: the utilisation law needs "
                                   "both"});
        }
        if (rate && latency &&
            (c.kind == ComponentKind::Service || c.kind == ComponentKind::WorkerGroup)) {
            // Little's law minute by minute: requests in progress = rate x mean latency.
            double sum = 0;
            std::size_t n = 0;
            for (const auto& [t, x] : *rate)
                if (const auto r = latency->find(t); r != latency->end()) {
                    sum += x * r->second / 1000; // latency in ms
                    ++n;
                }
            if (n > 0) {
                const double workers = c.number("replicas") * c.number("concurrency");
                cal.figures.push_back(
                    {"requests_in_progress", "Requests in progress (Little's law)", "requests",
                     sum / static_cast<double>(n), workers, false,
                     "rate x mean latency averaged over " + std::to_string(n) +
                         " minutes, beside the drawn workers (replicas x concurrency)"});
            }
        }
        if (latency && latencyP95 &&
            (c.kind == ComponentKind::Service || c.kind == ComponentKind::WorkerGroup)) {
            auto f = serviceScv(c, *latency, *latencyP95, cpu, rate);
            if (f.used)
                out.calibrated.components[v].properties["service_time_scv"] = *f.measured;
            cal.figures.push_back(std::move(f));
        }
        out.components.push_back(std::move(cal));
    }
    return out;
}

} // namespace headroom::analysis
