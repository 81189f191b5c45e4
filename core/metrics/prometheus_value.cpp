#include "metrics/prometheus_value.h"

#include <fast_float/fast_float.h>
#include <limits>
#include <system_error>

namespace headroom::metrics {

std::optional<double> parsePrometheusValue(std::string_view text) {
    if (text == "NaN")
        return std::numeric_limits<double>::quiet_NaN();
    if (text == "+Inf" || text == "Inf")
        return std::numeric_limits<double>::infinity();
    if (text == "-Inf")
        return -std::numeric_limits<double>::infinity();
    double value = 0;
    auto [end, ec] = fast_float::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

} // namespace headroom::metrics
