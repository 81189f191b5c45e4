#pragma once
// The what-if dock's timeline: four stacked charts over one time axis (load, replicas, p95
// against the objective, cumulative cost), each with its legend beside it. One run shows its
// desired and ready counts, scaling events (filled where the count changed, hollow where a
// change was held back), rolling updates as bands and a predictive forecast dashed; runs
// compared show one colour per policy.

#include "panels/whatif_panel.h"

#include <QColor>
#include <QFont>

class QCustomPlot;

namespace headroom::ui {

inline const QColor kLoad(0x1d, 0x4e, 0xd8);
inline const QColor kServed(0x05, 0x96, 0x69);
inline const QColor kDesired(0xd9, 0x77, 0x06);
inline const QColor kReady(0x1d, 0x4e, 0xd8);
inline const QColor kObjective(0xdc, 0x26, 0x26);
inline const QColor kMuted(0x94, 0xa3, 0xb8);

/// Distinct colours for policies side by side.
QColor policyColour(std::size_t k);

/// The four charts and their legends, the time axes kept together on drag and zoom.
void setUpTimeline(QCustomPlot* plot, const QFont& font);

/// Draws `shown` (one run, or every compared one) on a plot set up by setUpTimeline.
void drawTimeline(QCustomPlot* plot, const WhatIfRun& shown);

} // namespace headroom::ui
