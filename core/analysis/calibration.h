#pragma once
// Calibration from bound metrics: what the measured series say about a component, beside what
// was entered, and which of the two the analysis uses.
// - CPU per request from the utilisation law per instance, U = X D (+ background): a least
//   squares line of the CPU each instance burns (cores) against the requests it serves per
//   second, over the series' common minutes. Its slope is the service demand D, its intercept
//   the background CPU (garbage collection, health checks) that plain U / X would charge to the
//   requests. Used instead of the entered value when the fit is sound (enough points spread
//   over a range of load, R^2 of 0.5 or more).
// - The arrival rate measured (mean and 95th percentile over time) beside the rate the drawing
//   sends the component: reported, since the drawing's clients are the what-if.
// - Little's law, N = X R: requests in progress from the measured rate and mean latency,
//   against the workers the component has. Reported.
// - How much service times vary: with a mean and a p95 latency bound, the squared coefficient of
//   variation of the gamma distribution whose p95 / mean ratio is the one measured in the
//   quietest minutes (when a response is mostly service). Used.
// Sources: the utilisation law and Little's law, Lazowska et al., "Quantitative System
// Performance" (1984), chapter 3; service demand by regression, Menasce, Almeida and Dowdy,
// "Performance by Design" (2004), chapter 12.

#include "model/project.h"

#include <optional>
#include <string>
#include <vector>

namespace headroom::analysis {

struct CalibrationFigure {
    std::string key;   ///< the property it informs, e.g. "cpu_ms_per_request", or a name
    std::string label; ///< e.g. "CPU per request"
    std::string unit;  ///< of measured and entered, e.g. "ms"
    std::optional<double> measured;
    std::optional<double> entered;
    bool used = false; ///< the analysis uses the measured value instead of the entered one
    std::string how;   ///< how it was measured, and why it is (not) used
};

struct ComponentCalibration {
    std::string component;
    std::vector<CalibrationFigure> figures;
};

struct CalibrationResult {
    std::vector<ComponentCalibration> components; ///< only components with bound metrics
    Project calibrated; ///< the project with the measured values that are used put in
};

/// What the bound series of every component say. `drawnRates` (per component, in project
/// order, at the drawn load; may be empty) is set beside the measured arrival rate.
CalibrationResult calibrate(const Project& project, const std::vector<double>& drawnRates = {});

} // namespace headroom::analysis
