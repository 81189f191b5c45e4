#pragma once
// Numbers in words at three significant digits (0.125, 1.58, 2, 1.2e+03): printf's %.3g,
// which std::to_chars writes exactly, without printf's cost (a third of an HPA explanation's
// formatting; a fifth of a detailed station's).

#include <charconv>
#include <string>

namespace headroom {

inline std::string threeDigits(double v) {
    char text[48];
    const auto end = std::to_chars(text, text + sizeof text, v, std::chars_format::general, 3).ptr;
    return {text, end};
}

} // namespace headroom
