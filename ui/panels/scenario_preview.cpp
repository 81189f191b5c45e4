#include "panels/scenario_preview.h"

#include "whatif/words.h"

#include <QLabel>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <qcustomplot.h>

namespace headroom::ui {
namespace {

const QColor kLoad(0x1d, 0x4e, 0xd8);

/// What a scenario is made of, in one paragraph.
QString scenarioWords(const Scenario& s) {
    QStringList parts;
    if (s.recorded) {
        parts << QObject::tr("Replays the arrival rate recorded at %1")
                     .arg(QString::fromStdString(s.component));
    } else {
        const auto& l = s.synthetic;
        parts << QObject::tr("Synthetic, from a Monday 00:00 UTC: %1 days, mean %2 req/s, daily "
                             "swing \u00b1%3% peaking at %4:00, weekends x%5%6")
                     .arg(l.days)
                     .arg(l.meanRps)
                     .arg(l.dailyAmplitude * 100)
                     .arg(l.peakHour)
                     .arg(l.weekendFactor)
                     .arg(l.poissonNoise ? QObject::tr(", Poisson noise (seed %1)").arg(l.seed)
                                         : QString());
    }
    for (const auto& t : s.transforms)
        switch (t.kind) {
        case TransformKind::Scale:
            parts << QObject::tr("scaled x%1").arg(t.factor);
            break;
        case TransformKind::Growth:
            parts << QObject::tr("growing %1% a month%2")
                         .arg(t.percentPerMonth)
                         .arg(t.compounded ? QObject::tr(", compounded") : QString());
            break;
        case TransformKind::Step:
            parts << QObject::tr("x%1 from hour %2").arg(t.factor).arg(t.atHours);
            break;
        case TransformKind::Spike:
            parts << QObject::tr("a x%1 spike at hour %2 (rising %3 min, decaying %4 min)")
                         .arg(t.factor)
                         .arg(t.atHours)
                         .arg(t.riseMinutes)
                         .arg(t.decayMinutes);
            break;
        case TransformKind::Repeat:
            parts << QObject::tr("repeated %1 times").arg(t.times);
            break;
        }
    for (const auto& d : s.deploys)
        parts << QObject::tr("a rolling deploy of %1 at hour %2 (maxSurge %3, maxUnavailable %4)")
                     .arg(d.component.empty() ? QObject::tr("every tier")
                                              : QString::fromStdString(d.component))
                     .arg(d.atHours)
                     .arg(QString::fromStdString(d.maxSurge),
                          QString::fromStdString(d.maxUnavailable));
    return parts.join(QStringLiteral("; ")) + QStringLiteral(".");
}

} // namespace

ScenarioPreview::ScenarioPreview(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot), text_(new QLabel) {
    plot_->xAxis->setLabel(tr("hours from the scenario's start"));
    plot_->yAxis->setLabel(tr("req/s"));
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->axisRect()->setRangeDrag(Qt::Horizontal);
    plot_->axisRect()->setRangeZoom(Qt::Horizontal);
    plot_->setMinimumHeight(160);
    text_->setWordWrap(true);
    text_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(text_);
    layout->addWidget(plot_, 1);
    connect(&watcher_, &QFutureWatcher<std::shared_ptr<Built>>::finished, this,
            &ScenarioPreview::finished);
}

ScenarioPreview::~ScenarioPreview() {
    watcher_.waitForFinished();
}

void ScenarioPreview::show(const Project& project, const std::string& name) {
    if (watcher_.isRunning()) {
        // The newest choice is drawn when this one is done.
        again_ = std::make_pair(project, name);
        return;
    }
    const auto* s = project.findScenario(name);
    // Edits elsewhere in the drawing leave the preview as it is: it is built again only when
    // the scenario, or the series a recorded one replays, changed.
    if (s && previewed_ && *previewed_ == *s && previewedSeries_ == project.series.size())
        return;
    previewed_ = s ? std::optional<Scenario>(*s) : std::nullopt;
    previewedSeries_ = project.series.size();
    if (!s) {
        plot_->clearGraphs();
        plot_->clearItems();
        plot_->replot();
        text_->clear();
        return;
    }
    // A minute a point: a year is half a million, drawn with adaptive sampling.
    watcher_.setFuture(QtConcurrent::run([project, scenario = *s] {
        auto out = std::make_shared<Built>();
        out->scenario = scenario;
        try {
            auto load = whatif::buildLoad(project, scenario, 60);
            if (load)
                out->load = std::move(load).value();
            else
                out->error = QString::fromStdString(load.error().describe());
        } catch (const std::exception& e) {
            out->error = QString::fromUtf8(e.what());
        }
        return out;
    }));
}

void ScenarioPreview::finished() {
    const auto result = watcher_.result();
    if (again_) {
        const auto next = std::move(*again_);
        again_.reset();
        show(next.first, next.second);
        return;
    }
    plot_->clearGraphs();
    plot_->clearItems();
    const auto& sc = result->scenario;
    QString words =
        QStringLiteral("<b>%1</b>").arg(QString::fromStdString(sc.name).toHtmlEscaped());
    if (!sc.description.empty())
        words += QStringLiteral(": ") + QString::fromStdString(sc.description).toHtmlEscaped();
    words += QStringLiteral("<br>") + scenarioWords(sc).toHtmlEscaped();
    if (!result->error.isEmpty()) {
        text_->setText(words + QStringLiteral("<br><span style=\"color:#b91c1c\">%1</span>")
                                   .arg(result->error.toHtmlEscaped()));
        plot_->replot();
        emit shown();
        return;
    }
    const auto& load = result->load;
    QVector<double> x(static_cast<qsizetype>(load.rps.size())), y(x.size());
    double peak = 0, sum = 0;
    for (std::size_t i = 0; i < load.rps.size(); ++i) {
        x[static_cast<qsizetype>(i)] = static_cast<double>(i) * load.tickSeconds / 3600;
        y[static_cast<qsizetype>(i)] = load.rps[i];
        peak = std::max(peak, load.rps[i]);
        sum += load.rps[i];
    }
    auto* g = plot_->addGraph();
    g->setPen(QPen(kLoad, 1.2));
    g->setAdaptiveSampling(true);
    g->setData(x, y, true);
    const double hours = load.seconds() / 3600;
    for (const auto& d : sc.deploys) {
        auto* mark = new QCPItemStraightLine(plot_);
        mark->point1->setCoords(d.atHours, 0);
        mark->point2->setCoords(d.atHours, 1);
        mark->setPen(QPen(QColor(0x7c, 0x3a, 0xed), 1, Qt::DashLine));
    }
    plot_->xAxis->setRange(0, std::max(hours, 1e-3));
    plot_->yAxis->setRange(0, std::max(1.0, peak * 1.1));
    plot_->replot();
    words +=
        QStringLiteral("<br>") +
        tr("%1 of load at %2: mean %3 req/s, peak %4 req/s.")
            .arg(QString::fromStdString(whatif::runClock(load.seconds(), false)),
                 sc.component.empty() ? tr("the entry")
                                      : QString::fromStdString(sc.component).toHtmlEscaped())
            .arg(load.rps.empty() ? 0.0 : sum / static_cast<double>(load.rps.size()), 0, 'f', 1)
            .arg(peak, 0, 'f', 1);
    if (!sc.deploys.empty())
        words += QStringLiteral(" ") + tr("Dashed lines: rolling deploys.");
    text_->setText(words);
    emit shown();
}

} // namespace headroom::ui
