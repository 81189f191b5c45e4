#pragma once
// How the what-if engine writes figures in its explanations, its CLI and its GUI alike: a
// figure to four significant digits, and a time from the run's start as "2d 18:05:30".

#include <cstdio>
#include <string>

namespace headroom::whatif {

inline std::string shortNumber(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", v);
    return text;
}

/// "2d 18:05:30" (or "2d 18:05" without seconds) from the run's start.
inline std::string runClock(double seconds, bool withSeconds = true) {
    const auto s = static_cast<long long>(seconds + 0.5);
    char text[48];
    if (withSeconds)
        std::snprintf(text, sizeof text, "%lldd %02lld:%02lld:%02lld", s / 86400, s / 3600 % 24,
                      s / 60 % 60, s % 60);
    else
        std::snprintf(text, sizeof text, "%lldd %02lld:%02lld", s / 86400, s / 3600 % 24,
                      s / 60 % 60);
    return text;
}

} // namespace headroom::whatif
