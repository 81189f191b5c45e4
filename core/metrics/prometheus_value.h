#pragma once
// Sample values as Prometheus writes them in its API answers and text exposition: a float
// ("1.5", "1e3"), or "NaN", "+Inf", "-Inf".

#include <optional>
#include <string_view>

namespace headroom::metrics {

std::optional<double> parsePrometheusValue(std::string_view text);

} // namespace headroom::metrics
