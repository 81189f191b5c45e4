#pragma once
// Poisson-distributed counts for a scenario's noise, drawn the same way on every platform (the
// standard library's poisson_distribution differs between implementations, and builds its
// tables anew for every mean, which was most of the time of preparing a month of ticks).
// Small means by inversion of the distribution function; means of 10 and more by Hörmann's
// transformed rejection with squeeze, PTRS ("The transformed rejection method for generating
// Poisson random variables", Insurance: Mathematics and Economics 12, 1993), which is exact
// and takes two uniforms for nine draws in ten. docs/autoscalers.md, "Load scenarios".

#include <cstdint>
#include <random>

namespace headroom::whatif {

class PoissonSampler {
  public:
    explicit PoissonSampler(std::uint64_t seed) : random_(seed) {}
    /// A count with mean `mean` (0 or less, or not a number: 0).
    std::int64_t operator()(double mean);

  private:
    double uniform(); ///< in [0, 1), 53 random bits
    std::mt19937_64 random_;
};

} // namespace headroom::whatif
