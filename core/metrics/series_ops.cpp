#include "metrics/series_ops.h"

#include <algorithm>
#include <cmath>

namespace headroom::metrics {
namespace {

std::int64_t bucketStart(std::int64_t t, std::int64_t step) {
    // Floor division, so negative timestamps land in the right bucket too.
    std::int64_t q = t / step;
    if ((t % step != 0) && (t < 0))
        --q;
    return q * step;
}

double quantile(std::vector<double>& values, double q) {
    std::sort(values.begin(), values.end());
    const double position = q * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const auto above = std::min(below + 1, values.size() - 1);
    const double weight = position - static_cast<double>(below);
    return values[below] + (values[above] - values[below]) * weight;
}

} // namespace

std::vector<Sample> resample(std::span<const Sample> samples, std::int64_t stepMs,
                             Aggregation aggregation) {
    std::vector<Sample> out;
    if (stepMs <= 0)
        return out;
    std::size_t i = 0;
    while (i < samples.size()) {
        const std::int64_t start = bucketStart(samples[i].timestampMs, stepMs);
        double sum = 0, lo = INFINITY, hi = -INFINITY, last = NAN;
        int n = 0;
        for (; i < samples.size() && samples[i].timestampMs < start + stepMs; ++i) {
            const double v = samples[i].value;
            if (std::isnan(v))
                continue;
            sum += v;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            last = v;
            ++n;
        }
        if (n == 0)
            continue;
        double value = last;
        switch (aggregation) {
        case Aggregation::Average:
            value = sum / n;
            break;
        case Aggregation::Max:
            value = hi;
            break;
        case Aggregation::Min:
            value = lo;
            break;
        case Aggregation::Last:
            break;
        }
        out.push_back({start, value});
    }
    return out;
}

std::vector<Sample> counterRate(std::span<const Sample> samples) {
    std::vector<Sample> out;
    const Sample* previous = nullptr;
    for (const auto& s : samples) {
        if (std::isnan(s.value))
            continue;
        if (previous && s.timestampMs > previous->timestampMs) {
            const double increase =
                s.value >= previous->value ? s.value - previous->value : s.value; // reset
            out.push_back(
                {s.timestampMs,
                 increase * 1000.0 / static_cast<double>(s.timestampMs - previous->timestampMs)});
        }
        previous = &s;
    }
    return out;
}

std::vector<Sample> percentileOverWindows(std::span<const Sample> samples, std::int64_t windowMs,
                                          double q) {
    std::vector<Sample> out;
    if (windowMs <= 0 || q < 0 || q > 1)
        return out;
    std::vector<double> values;
    std::size_t i = 0;
    while (i < samples.size()) {
        const std::int64_t start = bucketStart(samples[i].timestampMs, windowMs);
        values.clear();
        for (; i < samples.size() && samples[i].timestampMs < start + windowMs; ++i)
            if (!std::isnan(samples[i].value))
                values.push_back(samples[i].value);
        if (!values.empty())
            out.push_back({start, quantile(values, q)});
    }
    return out;
}

namespace {

/// A bucket's minimum and maximum, in time order (one sample when they are the same).
void appendExtremes(std::vector<Sample>& out, const Sample* lo, const Sample* hi) {
    if (!lo)
        return;
    if (lo == hi) {
        out.push_back(*lo);
    } else if (lo->timestampMs < hi->timestampMs) {
        out.push_back(*lo);
        out.push_back(*hi);
    } else {
        out.push_back(*hi);
        out.push_back(*lo);
    }
}

} // namespace

std::vector<Sample> minMaxDownsample(std::span<const Sample> samples, std::int64_t fromMs,
                                     std::int64_t toMs, int buckets) {
    std::vector<Sample> out;
    if (buckets <= 0 || toMs <= fromMs)
        return out;
    const auto first =
        std::lower_bound(samples.begin(), samples.end(), fromMs,
                         [](const Sample& s, std::int64_t t) { return s.timestampMs < t; });
    const double width = static_cast<double>(toMs - fromMs) / buckets;
    auto it = first;
    for (int b = 0; b < buckets && it != samples.end() && it->timestampMs < toMs; ++b) {
        const auto end = static_cast<std::int64_t>(std::ceil(fromMs + width * (b + 1)));
        const Sample* lo = nullptr;
        const Sample* hi = nullptr;
        for (; it != samples.end() && it->timestampMs < std::min(end, toMs); ++it) {
            if (std::isnan(it->value))
                continue;
            if (!lo || it->value < lo->value)
                lo = &*it;
            if (!hi || it->value > hi->value)
                hi = &*it;
        }
        appendExtremes(out, lo, hi);
    }
    return out;
}

namespace {

/// Extremes of samples[from, to) into lo/hi (first occurrences; NaN skipped).
void scanExtremes(std::span<const Sample> samples, std::size_t from, std::size_t to,
                  const Sample*& lo, const Sample*& hi) {
    for (std::size_t k = from; k < to; ++k) {
        const Sample& s = samples[k];
        if (std::isnan(s.value))
            continue;
        if (!lo || s.value < lo->value)
            lo = &s;
        if (!hi || s.value > hi->value)
            hi = &s;
    }
}

} // namespace

MinMaxIndex::MinMaxIndex(std::span<const Sample> samples, std::size_t block)
    : block_(std::max<std::size_t>(block, 2)) {
    blocks_.resize(samples.size() / block_);
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
        const Sample* lo = nullptr;
        const Sample* hi = nullptr;
        scanExtremes(samples, b * block_, (b + 1) * block_, lo, hi);
        if (lo) {
            blocks_[b].lo = static_cast<std::size_t>(lo - samples.data());
            blocks_[b].hi = static_cast<std::size_t>(hi - samples.data());
        }
    }
}

std::vector<Sample> MinMaxIndex::downsample(std::span<const Sample> samples, std::int64_t fromMs,
                                            std::int64_t toMs, int buckets) const {
    std::vector<Sample> out;
    if (buckets <= 0 || toMs <= fromMs)
        return out;
    const auto byTime = [](const Sample& s, std::int64_t t) { return s.timestampMs < t; };
    const double width = static_cast<double>(toMs - fromMs) / buckets;
    auto index = static_cast<std::size_t>(
        std::lower_bound(samples.begin(), samples.end(), fromMs, byTime) - samples.begin());
    for (int b = 0; b < buckets && index < samples.size() && samples[index].timestampMs < toMs;
         ++b) {
        const auto end =
            std::min(static_cast<std::int64_t>(std::ceil(fromMs + width * (b + 1))), toMs);
        const auto stop = static_cast<std::size_t>(
            std::lower_bound(samples.begin() + static_cast<std::ptrdiff_t>(index), samples.end(),
                             end, byTime) -
            samples.begin());
        const Sample* lo = nullptr;
        const Sample* hi = nullptr;
        // Raw samples up to the first whole block, whole blocks, then the raw rest.
        const std::size_t firstBlock = (index + block_ - 1) / block_;
        const std::size_t endBlock = std::min(stop / block_, blocks_.size());
        if (firstBlock >= endBlock) {
            scanExtremes(samples, index, stop, lo, hi);
        } else {
            scanExtremes(samples, index, firstBlock * block_, lo, hi);
            for (std::size_t k = firstBlock; k < endBlock; ++k) {
                if (blocks_[k].lo == kNone)
                    continue;
                const Sample* blockLo = &samples[blocks_[k].lo];
                const Sample* blockHi = &samples[blocks_[k].hi];
                if (!lo || blockLo->value < lo->value)
                    lo = blockLo;
                if (!hi || blockHi->value > hi->value)
                    hi = blockHi;
            }
            scanExtremes(samples, endBlock * block_, stop, lo, hi);
        }
        index = stop;
        appendExtremes(out, lo, hi);
    }
    return out;
}

std::vector<Sample> lttb(std::span<const Sample> samples, std::size_t threshold) {
    if (threshold >= samples.size() || threshold < 3)
        return {samples.begin(), samples.end()};
    std::vector<Sample> out;
    out.reserve(threshold);
    const double every = static_cast<double>(samples.size() - 2) / (threshold - 2);
    std::size_t a = 0;
    out.push_back(samples[0]);
    for (std::size_t i = 0; i < threshold - 2; ++i) {
        // Average of the next bucket: the third point of the triangle.
        auto nextStart = static_cast<std::size_t>(std::floor((i + 1) * every)) + 1;
        auto nextEnd =
            std::min(static_cast<std::size_t>(std::floor((i + 2) * every)) + 1, samples.size());
        double avgX = 0, avgY = 0;
        for (std::size_t j = nextStart; j < nextEnd; ++j) {
            avgX += static_cast<double>(samples[j].timestampMs);
            avgY += samples[j].value;
        }
        const double n = static_cast<double>(std::max<std::size_t>(1, nextEnd - nextStart));
        avgX /= n;
        avgY /= n;
        // The point of this bucket that makes the largest triangle with a and the average.
        const auto start = static_cast<std::size_t>(std::floor(i * every)) + 1;
        const auto end = static_cast<std::size_t>(std::floor((i + 1) * every)) + 1;
        const double ax = static_cast<double>(samples[a].timestampMs), ay = samples[a].value;
        double best = -1;
        std::size_t chosen = start;
        for (std::size_t j = start; j < end; ++j) {
            const double area =
                std::abs((ax - avgX) * (samples[j].value - ay) -
                         (ax - static_cast<double>(samples[j].timestampMs)) * (avgY - ay));
            if (area > best) {
                best = area;
                chosen = j;
            }
        }
        out.push_back(samples[chosen]);
        a = chosen;
    }
    out.push_back(samples.back());
    return out;
}

} // namespace headroom::metrics
