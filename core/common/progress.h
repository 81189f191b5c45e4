#pragma once
// Progress reporting for long work. The callback receives the fraction done (0..1) and returns
// false to cancel; the work then stops at the next safe point and reports that it was cancelled.

#include <functional>

namespace headroom {

using ProgressCallback = std::function<bool(double fractionDone)>;

inline bool keepGoing(const ProgressCallback& progress, double fraction) {
    return !progress || progress(fraction);
}

} // namespace headroom
