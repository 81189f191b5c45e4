#pragma once
// Where a byte offset falls in a text, as people count: for parse error messages.

#include <cstddef>
#include <string>
#include <string_view>

namespace headroom {

/// "line L, column C" (both from 1) of byte `offset` in `text`.
inline std::string lineAndColumn(std::string_view text, std::size_t offset) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

} // namespace headroom
