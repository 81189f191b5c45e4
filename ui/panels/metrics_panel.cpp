#include "panels/metrics_panel.h"

#include "document/project_document.h"
#include "metrics/roles.h"
#include "metrics/series.h"
#include "metrics/series_ops.h"

#include <QLabel>
#include <QStackedLayout>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <qcustomplot.h>

namespace headroom::ui {
namespace {
const QColor kPalette[] = {QColor(0x25, 0x63, 0xeb), QColor(0xea, 0x7a, 0x0c),
                           QColor(0x15, 0x80, 0x3d), QColor(0x93, 0x33, 0xea),
                           QColor(0xc2, 0x41, 0x0c), QColor(0x0e, 0x74, 0x90)};
}

MetricsPanel::MetricsPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), plot_(new QCustomPlot), hint_(new QLabel) {
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->axisRect()->setRangeDrag(Qt::Horizontal);
    plot_->axisRect()->setRangeZoom(Qt::Horizontal);
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(QStringLiteral("d MMM\nhh:mm"));
    ticker->setDateTimeSpec(Qt::UTC);
    plot_->xAxis->setTicker(ticker);
    plot_->legend->setVisible(true);
    plot_->legend->setBrush(QColor(255, 255, 255, 220));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    plot_->setNoAntialiasingOnDrag(true);
    // Re-pick the points to draw whenever the visible time range changes.
    connect(plot_->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [this] { fillVisible(); });

    hint_->setAlignment(Qt::AlignCenter);
    hint_->setWordWrap(true);
    hint_->setForegroundRole(QPalette::PlaceholderText);
    auto* stack = new QStackedLayout;
    stack->setStackingMode(QStackedLayout::StackAll);
    stack->addWidget(hint_);
    stack->addWidget(plot_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(stack);

    connect(&watcher_, &QFutureWatcher<std::vector<std::pair<const metrics::Series*, Decoded>>>::finished,
            this, &MetricsPanel::decoded);
    connect(document_, &ProjectDocument::selectionChanged, this, &MetricsPanel::selectionChanged);
    connect(document_, &ProjectDocument::projectReset, this, [this] {
        cache_.clear();
        selectionChanged();
    });
    selectionChanged();
}

MetricsPanel::~MetricsPanel() { watcher_.waitForFinished(); }

int MetricsPanel::plottedSeries() const { return plot_->graphCount(); }

int MetricsPanel::plottedPoints() const {
    int points = 0;
    for (int i = 0; i < plot_->graphCount(); ++i)
        points += plot_->graph(i)->data()->size();
    return points;
}

void MetricsPanel::selectionChanged() {
    const auto& project = document_->project();
    const auto& selected = document_->selectedComponents();
    shown_.clear();
    for (const auto& entry : project.series) {
        if (!entry.data)
            continue;
        if (!selected.isEmpty() && !selected.contains(qs(entry.component)))
            continue;
        QString label = qs(entry.data->info().name);
        if (const auto* role = metrics::findRole(entry.role))
            label = qs(entry.component) + QStringLiteral(" \u00b7 ") + qs(role->label);
        if (!entry.data->info().unit.empty())
            label += QStringLiteral(" (") + qs(entry.data->info().unit) + ")";
        shown_.push_back({entry.data, label});
    }
    // Decode what is not cached yet, in the background.
    std::vector<std::shared_ptr<const metrics::Series>> missing;
    for (const auto& s : shown_)
        if (!cache_.count(s.series.get()))
            missing.push_back(s.series);
    if (missing.empty()) {
        replot();
        return;
    }
    if (watcher_.isRunning()) {
        pending_ = true; // decode again for the newest selection when this one lands
        return;
    }
    watcher_.setFuture(QtConcurrent::run([missing] {
        std::vector<std::pair<const metrics::Series*, Decoded>> out;
        for (const auto& series : missing) {
            auto samples = series->samples();
            out.emplace_back(series.get(),
                             std::make_shared<const std::vector<metrics::Sample>>(
                                 samples ? std::move(*samples) : std::vector<metrics::Sample>{}));
        }
        return out;
    }));
}

void MetricsPanel::decoded() {
    for (auto& [series, samples] : watcher_.result())
        cache_[series] = samples;
    if (std::exchange(pending_, false)) {
        selectionChanged();
        return;
    }
    replot();
}

void MetricsPanel::replot() {
    plot_->clearGraphs();
    if (shown_.empty()) {
        hint_->setText(document_->selectedComponents().isEmpty()
                           ? tr("No metric series in this project yet.\nImport them with "
                                "headroom-cli import PROJECT --csv FILE --bind COMPONENT.ROLE")
                           : tr("No metric series bound to the selection."));
        plot_->setVisible(false);
        hint_->setVisible(true);
        emit refreshed();
        return;
    }
    hint_->setVisible(false);
    plot_->setVisible(true);
    double first = 0, last = 0;
    bool any = false;
    for (std::size_t i = 0; i < shown_.size(); ++i) {
        auto* graph = plot_->addGraph();
        graph->setName(shown_[i].label);
        graph->setPen(QPen(kPalette[i % std::size(kPalette)], 1.4));
        graph->setAdaptiveSampling(false); // we hand it screen-sized data already
        const auto& samples = cache_[shown_[i].series.get()];
        if (samples && !samples->empty()) {
            const double a = samples->front().timestampMs / 1000.0;
            const double b = samples->back().timestampMs / 1000.0;
            first = any ? std::min(first, a) : a;
            last = any ? std::max(last, b) : b;
            any = true;
        }
    }
    if (any)
        plot_->xAxis->setRange(first, std::max(last, first + 1)); // fills via rangeChanged
    fillVisible();
    emit refreshed();
}

void MetricsPanel::fillVisible() {
    const QCPRange range = plot_->xAxis->range();
    const auto from = static_cast<std::int64_t>(range.lower * 1000);
    const auto to = static_cast<std::int64_t>(range.upper * 1000) + 1;
    const int columns = std::max(100, plot_->axisRect()->width());
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < plot_->graphCount() && i < static_cast<int>(shown_.size()); ++i) {
        const auto& samples = cache_[shown_[static_cast<std::size_t>(i)].series.get()];
        QVector<QCPGraphData> points;
        if (samples) {
            // A little beyond both edges, so lines run off the chart rather than stopping short.
            const auto span = to - from;
            for (const auto& s : metrics::minMaxDownsample(*samples, from - span / 10,
                                                           to + span / 10, columns)) {
                points.append(QCPGraphData(s.timestampMs / 1000.0, s.value));
                if (s.timestampMs >= from && s.timestampMs < to) {
                    lo = std::min(lo, s.value);
                    hi = std::max(hi, s.value);
                }
            }
        }
        plot_->graph(i)->data()->set(points, true);
    }
    if (std::isfinite(lo) && std::isfinite(hi)) {
        const double pad = std::max(1e-9, (hi - lo) * 0.08);
        plot_->yAxis->setRange(lo - pad, hi + pad);
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace headroom::ui
