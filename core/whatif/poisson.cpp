#include "whatif/poisson.h"

#include <cmath>

namespace headroom::whatif {

double PoissonSampler::uniform() {
    return static_cast<double>(random_() >> 11) * 0x1.0p-53;
}

std::int64_t PoissonSampler::operator()(double mean) {
    if (!(mean > 0))
        return 0;
    if (mean < 10) {
        // Inversion: walk up the distribution function until it passes a uniform.
        const double u = uniform();
        double p = std::exp(-mean), cumulative = p;
        std::int64_t k = 0;
        while (u >= cumulative && p > 0) {
            ++k;
            p *= mean / static_cast<double>(k);
            cumulative += p;
        }
        return k;
    }
    // PTRS: a candidate k from a transformed uniform u, accepted at once inside the squeeze
    // (|u| not near 1/2 and v under v_r), else by comparing the hat with the distribution.
    // The logarithms only the comparison needs are taken when it is reached (one draw in ten).
    const double b = 0.931 + 2.53 * std::sqrt(mean);
    const double a = -0.059 + 0.02483 * b;
    const double vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        const double u = uniform() - 0.5;
        const double v = uniform();
        const double us = 0.5 - std::abs(u);
        const double k = std::floor((2 * a / us + b) * u + mean + 0.43);
        if (us >= 0.07 && v <= vr)
            return static_cast<std::int64_t>(k);
        if (k < 0 || (us < 0.013 && v > us))
            continue;
        const double logInverseAlpha = std::log(1.1239 + 1.1328 / (b - 3.4));
        if (std::log(v) + logInverseAlpha - std::log(a / (us * us) + b) <=
            -mean + k * std::log(mean) - std::lgamma(k + 1))
            return static_cast<std::int64_t>(k);
    }
}

} // namespace headroom::whatif
