#include "style/heat_scale.h"

#include <QObject>

namespace headroom::ui {

const std::vector<HeatStep>& heatSteps() {
    // ColorBrewer YlOrRd, 5 classes (Cynthia Brewer, colorbrewer2.org).
    static const std::vector<HeatStep> steps{
        {0.0, QColor(0xff, 0xff, 0xb2), QObject::tr("under 50%")},
        {0.5, QColor(0xfe, 0xcc, 0x5c), QObject::tr("50\u201370%")},
        {0.7, QColor(0xfd, 0x8d, 0x3c), QObject::tr("70\u201385%")},
        {0.85, QColor(0xf0, 0x3b, 0x20), QObject::tr("85\u2013100%")},
        {1.0, QColor(0xbd, 0x00, 0x26), QObject::tr("saturated")},
    };
    return steps;
}

QColor utilisationColor(double utilisation) {
    const auto& steps = heatSteps();
    QColor color = steps.front().color;
    for (const auto& step : steps)
        if (!(utilisation < step.from))
            color = step.color;
    return color;
}

QColor textColorOn(const QColor& background) {
    // Relative luminance, roughly: dark backgrounds get white text.
    const double l =
        0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF();
    return l < 0.5 ? Qt::white : QColor(0x0f, 0x17, 0x2a);
}

} // namespace headroom::ui
