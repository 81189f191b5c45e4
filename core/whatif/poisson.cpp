#include "whatif/poisson.h"

#include <boost/random/poisson_distribution.hpp>

namespace headroom::whatif {

std::int64_t PoissonSampler::operator()(double mean) {
    if (!(mean > 0))
        return 0;
    // Built per draw: the means change every tick, and its set-up is a square root and two
    // divisions.
    return boost::random::poisson_distribution<std::int64_t, double>(mean)(random_);
}

} // namespace headroom::whatif
