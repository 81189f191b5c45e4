#include "whatif/load.h"

#include "common/helper_threads.h"
#include "metrics/series_ops.h"
#include "whatif/poisson.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numbers>
#include <random>
#include <thread>

namespace headroom::whatif {
namespace {

/// The most ticks a scenario may have: ten years at 15 s, a guard against a typo in `days`
/// or `times` filling the memory.
constexpr std::size_t kMaxTicks = 21'024'000;

/// The weekday cycle: mean (1 + a cos(2 pi (hour - peak) / 24)), times the weekend factor on
/// days 5 and 6 (Saturday, Sunday) counted from a Monday.
std::vector<double> synthetic(const SyntheticLoad& l, double tick) {
    const auto ticks = static_cast<std::size_t>(std::ceil(l.days * 86400 / tick));
    const auto daily = [&](double hour) {
        return 1 + l.dailyAmplitude * std::cos(2 * std::numbers::pi * (hour - l.peakHour) / 24);
    };
    // A tick that divides the day repeats the day's shape: its cosines are taken once.
    const double perDay = 86400 / tick;
    std::vector<double> day;
    if (perDay == std::floor(perDay) && static_cast<double>(ticks) > perDay) {
        day.resize(static_cast<std::size_t>(perDay));
        for (std::size_t i = 0; i < day.size(); ++i)
            day[i] = daily(static_cast<double>(i) * tick / 3600);
    }
    std::vector<double> out(ticks);
    if (!day.empty()) {
        // Day by day: the same products, without two divisions a tick.
        for (std::size_t start = 0, d = 0; start < ticks; start += day.size(), ++d) {
            const double factor = d % 7 >= 5 ? l.weekendFactor : 1.0;
            const std::size_t n = std::min(day.size(), ticks - start);
            for (std::size_t j = 0; j < n; ++j)
                out[start + j] = l.meanRps * day[j] * factor;
        }
        return out;
    }
    for (std::size_t i = 0; i < ticks; ++i) {
        const double t = static_cast<double>(i) * tick;
        const auto weekday = static_cast<long long>(t / 86400) % 7;
        out[i] =
            l.meanRps * daily(std::fmod(t / 3600, 24)) * (weekday >= 5 ? l.weekendFactor : 1.0);
    }
    return out;
}

Result<LoadSeries> recorded(const Project& project, const Scenario& s, double tick) {
    const ProjectSeries* bound = nullptr;
    for (const auto& entry : project.series)
        if (entry.component == s.component && entry.role == "arrival_rate" && entry.data)
            bound = &entry;
    if (!bound)
        return Error{"scenario \"" + s.name + "\" replays the arrival rate of \"" + s.component +
                         "\", but no arrival-rate series is bound to it",
                     "", "/scenarios/" + s.name};
    const auto factor = roleUnitFactor(project, *bound);
    if (!factor)
        return factor.error();
    const auto samples = bound->data->samples();
    if (!samples)
        return samples.error();
    const auto stepMs = static_cast<std::int64_t>(std::llround(tick * 1000));
    const auto buckets = metrics::resample(*samples, stepMs, metrics::Aggregation::Average);
    if (buckets.empty())
        return Error{"the arrival-rate series of \"" + s.component + "\" has no samples", "",
                     "/scenarios/" + s.name};
    LoadSeries out;
    out.startMs = buckets.front().timestampMs;
    const auto ticks =
        static_cast<std::size_t>((buckets.back().timestampMs - out.startMs) / stepMs) + 1;
    if (ticks > kMaxTicks)
        return Error{"the recorded series spans more than ten years at this tick", "", ""};
    out.rps.assign(ticks, 0);
    // Gaps (a scrape that failed) are bridged linearly between the buckets around them.
    for (std::size_t b = 0; b < buckets.size(); ++b) {
        const auto at = static_cast<std::size_t>((buckets[b].timestampMs - out.startMs) / stepMs);
        out.rps[at] = buckets[b].value * *factor;
        if (b > 0) {
            const auto from =
                static_cast<std::size_t>((buckets[b - 1].timestampMs - out.startMs) / stepMs);
            for (std::size_t i = from + 1; i < at; ++i)
                out.rps[i] = out.rps[from] + (out.rps[at] - out.rps[from]) *
                                                 static_cast<double>(i - from) /
                                                 static_cast<double>(at - from);
        }
    }
    return out;
}

void apply(const ScenarioTransform& t, std::vector<double>& rps, double tick) {
    const auto timeOf = [&](std::size_t i) { return static_cast<double>(i) * tick; };
    switch (t.kind) {
    case TransformKind::Scale:
        for (auto& r : rps)
            r *= t.factor;
        break;
    case TransformKind::Growth:
        for (std::size_t i = 0; i < rps.size(); ++i) {
            const double months = timeOf(i) / kSecondsPerMonth;
            rps[i] *= t.compounded ? std::pow(1 + t.percentPerMonth / 100, months)
                                   : 1 + t.percentPerMonth / 100 * months;
        }
        break;
    case TransformKind::Step:
        for (std::size_t i = 0; i < rps.size(); ++i)
            if (timeOf(i) >= t.atHours * 3600)
                rps[i] *= t.factor;
        break;
    case TransformKind::Spike: {
        const double start = t.atHours * 3600, rise = t.riseMinutes * 60;
        for (std::size_t i = 0; i < rps.size(); ++i) {
            const double since = timeOf(i) - start;
            if (since < 0)
                continue;
            const double shape =
                since < rise ? since / rise : std::exp(-(since - rise) / (t.decayMinutes * 60));
            rps[i] *= 1 + (t.factor - 1) * shape;
        }
        break;
    }
    case TransformKind::Repeat: {
        const auto once = rps;
        for (int k = 1; k < t.times && rps.size() + once.size() <= kMaxTicks; ++k)
            rps.insert(rps.end(), once.begin(), once.end());
        break;
    }
    }
    for (auto& r : rps)
        r = std::max(r, 0.0); // a growth of -100% or worse ends at nothing, not below
}

/// Arrivals in a tick are Poisson with the rate times the tick; the rate is their count over
/// the tick. Drawn in blocks of ticks, each from its own stream (the seed and the block's
/// number), on all cores: the same draws however many threads take the blocks, and a month's
/// draws were most of preparing a run.
void addNoise(std::vector<double>& rps, double tick, std::uint64_t seed) {
    constexpr std::size_t kBlock = 4096;
    const std::size_t blocks = (rps.size() + kBlock - 1) / kBlock;
    std::atomic<std::size_t> next{0};
    const auto drawBlocks = [&] {
        for (std::size_t b; (b = next.fetch_add(1)) < blocks;) {
            std::seed_seq seeds{static_cast<std::uint32_t>(seed),
                                static_cast<std::uint32_t>(seed >> 32),
                                static_cast<std::uint32_t>(b)};
            PoissonSampler arrivals(seeds);
            const std::size_t end = std::min(rps.size(), (b + 1) * kBlock);
            for (std::size_t i = b * kBlock; i < end; ++i)
                rps[i] = static_cast<double>(arrivals(rps[i] * tick)) / tick;
        }
    };
    // On the process's kept helper threads, from a few blocks on (waking one costs about as
    // much as a block).
    const std::size_t helpers =
        blocks >= 8 ? std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, blocks) - 1
                    : 0;
    HelperThreads(static_cast<unsigned>(helpers)).alongside(drawBlocks, drawBlocks);
}

} // namespace

Result<LoadSeries> buildLoad(const Project& project, const Scenario& scenario, double tick) {
    if (!(tick >= 1 && tick <= 3600))
        return Error{"the tick must lie between 1 s and 1 h", "", ""};
    LoadSeries out;
    if (scenario.recorded) {
        auto r = recorded(project, scenario, tick);
        if (!r)
            return r.error();
        out = std::move(r).value();
    } else {
        if (scenario.synthetic.days * 86400 / tick > static_cast<double>(kMaxTicks))
            return Error{"the scenario is longer than ten years at this tick", "", ""};
        out.rps = synthetic(scenario.synthetic, tick);
        out.startMs = kSyntheticStartMs;
    }
    out.tickSeconds = tick;
    out.component = scenario.component;
    for (const auto& t : scenario.transforms)
        apply(t, out.rps, tick);
    if (!scenario.recorded && scenario.synthetic.poissonNoise)
        addNoise(out.rps, tick, static_cast<std::uint64_t>(scenario.synthetic.seed));
    return out;
}

} // namespace headroom::whatif
