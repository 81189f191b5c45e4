#pragma once
// Poisson-distributed counts for a scenario's noise, drawn the same way on every platform:
// Boost.Random's poisson_distribution (inversion below a mean of 10; from 10 up, Hörmann's
// transformed rejection with squeeze, PTRS: "The transformed rejection method for generating
// Poisson random variables", Insurance: Mathematics and Economics 12, 1993, which is exact and
// takes two uniforms for nine draws in ten). The standard library's poisson_distribution
// differs between implementations, and builds tables anew for every mean, which was most of
// the time of preparing a month of ticks. docs/simulation.md, "Load scenarios".

#include <cstdint>
#include <random>

namespace headroom::whatif {

class PoissonSampler {
  public:
    explicit PoissonSampler(std::uint64_t seed) : random_(seed) {}
    explicit PoissonSampler(std::seed_seq& seeds) : random_(seeds) {}
    /// A count with mean `mean` (0 or less, or not a number: 0).
    std::int64_t operator()(double mean);

  private:
    std::mt19937_64 random_;
};

} // namespace headroom::whatif
