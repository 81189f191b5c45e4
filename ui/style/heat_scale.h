#pragma once
// The utilisation colours of the canvas and the analysis panel: ColorBrewer's YlOrRd
// (yellow-orange-red), a sequential scale that stays readable for the common colour-vision
// deficiencies, in steps a reviewer can name ("orange: past 70%").

#include <QColor>
#include <QString>
#include <vector>

namespace headroom::ui {

struct HeatStep {
    double from; ///< utilisation where the step starts
    QColor color;
    QString label;
};

/// The steps, lowest first; the last is "saturated" (utilisation 1 or more).
const std::vector<HeatStep>& heatSteps();
QColor utilisationColor(double utilisation);
/// Black or white, whichever reads better on `background`.
QColor textColorOn(const QColor& background);

} // namespace headroom::ui
