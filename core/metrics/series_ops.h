#pragma once
// What the engines and the charts do with samples: resample onto a regular step, turn a counter
// into a rate, take percentiles over windows, and shrink a long series for the screen without
// losing its peaks. All take samples sorted by time; NaN samples are treated as gaps.

#include "metrics/sample_codec.h"

#include <cstdint>
#include <span>
#include <vector>

namespace headroom::metrics {

enum class Aggregation { Average, Max, Min, Last };

/// One sample per step-wide bucket [t, t + step) aligned to multiples of the step; the sample
/// is stamped with the bucket's start. Empty buckets are left out (a gap stays a gap).
std::vector<Sample> resample(std::span<const Sample> samples, std::int64_t stepMs,
                             Aggregation aggregation);

/// Per-second rate of a monotonically increasing counter between consecutive samples, stamped
/// at the later one. A drop means the counter restarted from zero, so the increase is the new
/// value (as Prometheus' rate() treats counter resets).
std::vector<Sample> counterRate(std::span<const Sample> samples);

/// The q-quantile (0..1, linear interpolation between closest ranks, like numpy's default) of
/// the values in each window-wide bucket, stamped with the bucket's start.
std::vector<Sample> percentileOverWindows(std::span<const Sample> samples, std::int64_t windowMs,
                                          double q);

/// For a chart `buckets` pixels wide: the minimum and the maximum sample of every bucket of
/// [fromMs, toMs), in time order, so spikes survive. At most 2 * buckets samples.
std::vector<Sample> minMaxDownsample(std::span<const Sample> samples, std::int64_t fromMs,
                                     std::int64_t toMs, int buckets);

/// The extremes of fixed blocks of samples, built once, so minMaxDownsample over millions of
/// samples reads each pixel column's whole blocks instead of every sample: a chart of all of
/// 10 million samples stays within a frame. Gives exactly what minMaxDownsample gives.
class MinMaxIndex {
  public:
    explicit MinMaxIndex(std::span<const Sample> samples, std::size_t block = 256);
    [[nodiscard]] std::vector<Sample> downsample(std::span<const Sample> samples,
                                                 std::int64_t fromMs, std::int64_t toMs,
                                                 int buckets) const;

  private:
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    struct Block {
        std::size_t lo = kNone; ///< index of the block's first minimum (NaN skipped)
        std::size_t hi = kNone;
    };
    std::size_t block_;
    std::vector<Block> blocks_;
};

/// Largest-Triangle-Three-Buckets (Steinarsson, "Downsampling Time Series for Visual
/// Representation", 2013): `threshold` samples that keep the visual shape.
std::vector<Sample> lttb(std::span<const Sample> samples, std::size_t threshold);

} // namespace headroom::metrics
