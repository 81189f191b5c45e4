#include "panels/metrics_panel.h"

#include "document/project_document.h"
#include "metrics/roles.h"
#include "metrics/series.h"
#include "metrics/series_ops.h"

#include <QLabel>
#include <QStackedLayout>
#include <QToolTip>
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
    plot_->setNoAntialiasingOnDrag(true);
    plot_->setMinimumHeight(120);
    plot_->setMouseTracking(true);
    connect(plot_, &QCustomPlot::mouseMove, this, &MetricsPanel::hover);

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

    connect(&watcher_,
            &QFutureWatcher<std::vector<std::pair<const metrics::Series*, Decoded>>>::finished,
            this, &MetricsPanel::decoded);
    connect(document_, &ProjectDocument::selectionChanged, this, &MetricsPanel::selectionChanged);
    connect(document_, &ProjectDocument::projectReset, this, [this] {
        cache_.clear();
        selectionChanged();
    });
    selectionChanged();
}

MetricsPanel::~MetricsPanel() {
    watcher_.waitForFinished();
}

int MetricsPanel::plottedSeries() const {
    return plot_->graphCount();
}

QString MetricsPanel::seriesLabel(int index) const {
    return index >= 0 && index < static_cast<int>(shown_.size())
               ? shown_[static_cast<std::size_t>(index)].label
               : QString();
}

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
        std::string unit = entry.data->info().unit;
        if (const auto* role = metrics::findRole(entry.role)) {
            label = qs(entry.component) + QStringLiteral(" \u00b7 ") + qs(role->label);
            if (unit.empty())
                unit = role->unit;
        }
        if (!unit.empty())
            label += QStringLiteral(" (") + qs(unit) + ")";
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
                             std::make_shared<const DecodedSeries>(
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
    // One strip per series (their units differ), stacked, sharing the time axis.
    plot_->clearGraphs();
    plot_->clearItems();
    plot_->plotLayout()->clear();
    if (shown_.empty()) {
        hint_->setText(document_->selectedComponents().isEmpty()
                           ? tr("No metric series in this project yet.\nImport them with "
                                "headroom-cli import PROJECT --csv FILE --bind COMPONENT.ROLE")
                           : tr("No metric series bound to the selection."));
        plot_->setVisible(false);
        hint_->setVisible(true);
        plot_->replot();
        emit refreshed();
        return;
    }
    hint_->setVisible(false);
    plot_->setVisible(true);
    auto* margins = new QCPMarginGroup(plot_);
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(QStringLiteral("d MMM hh:mm"));
    ticker->setDateTimeSpec(Qt::UTC);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    double first = 0, last = 0;
    bool any = false;
    for (std::size_t i = 0; i < shown_.size(); ++i) {
        auto* rect = new QCPAxisRect(plot_);
        plot_->plotLayout()->addElement(static_cast<int>(i), 0, rect);
        rect->setRangeDrag(Qt::Horizontal);
        rect->setRangeZoom(Qt::Horizontal);
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
        auto* x = rect->axis(QCPAxis::atBottom);
        auto* y = rect->axis(QCPAxis::atLeft);
        x->setTicker(ticker);
        x->setTickLabels(i + 1 == shown_.size()); // dates under the last strip only
        x->setTickLabelFont(small);
        y->setTickLabelFont(small);
        y->ticker()->setTickCount(3);
        // The series' name sits inside its strip (rotated axis labels do not fit thin strips).
        auto* title = new QCPItemText(plot_);
        title->setClipToAxisRect(false);
        title->setClipAxisRect(rect);
        title->position->setType(QCPItemPosition::ptAxisRectRatio);
        title->position->setAxisRect(rect);
        title->position->setCoords(0.005, 0.0);
        title->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        title->setText(shown_[i].label);
        title->setFont(small);
        title->setColor(kPalette[i % std::size(kPalette)].darker(130));
        title->setBrush(QColor(255, 255, 255, 210));
        title->setPadding(QMargins(4, 1, 4, 1));
        auto* graph = plot_->addGraph(x, y);
        graph->setName(shown_[i].label);
        // A cosmetic 1-pixel pen keeps the raster engine on its fast path for jagged min/max
        // lines; a wider pen costs ten times as much per frame.
        QPen pen(kPalette[i % std::size(kPalette)], 1);
        pen.setCosmetic(true);
        graph->setPen(pen);
        graph->setAdaptiveSampling(false); // it gets screen-sized data already
        const auto& samples = cache_[shown_[i].series.get()];
        if (samples && !samples->samples.empty()) {
            const double a = samples->samples.front().timestampMs / 1000.0;
            const double b = samples->samples.back().timestampMs / 1000.0;
            first = any ? std::min(first, a) : a;
            last = any ? std::max(last, b) : b;
            any = true;
        }
        // Panning or zooming one strip moves them all.
        connect(x, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
                [this](const QCPRange& range) {
                    for (int g = 0; g < plot_->graphCount(); ++g)
                        plot_->graph(g)->keyAxis()->setRange(range);
                    fillVisible();
                });
    }
    if (any)
        for (int g = 0; g < plot_->graphCount(); ++g)
            plot_->graph(g)->keyAxis()->setRange(first, std::max(last, first + 1));
    fillVisible();
    emit refreshed();
}

void MetricsPanel::hover(QMouseEvent* event) {
    if (plot_->graphCount() == 0)
        return;
    auto* keyAxis = plot_->graph(0)->keyAxis();
    const double key = keyAxis->pixelToCoord(event->position().x());
    QStringList lines;
    lines.append(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(key * 1000), Qt::UTC)
                     .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss 'UTC'")));
    for (int i = 0; i < plot_->graphCount(); ++i) {
        auto* graph = plot_->graph(i);
        const auto data = graph->data();
        if (data->isEmpty())
            continue;
        auto it = data->findBegin(key, false);
        if (it == data->constEnd())
            --it;
        lines.append(
            QStringLiteral("%1: %2").arg(graph->name(), QString::number(it->value, 'g', 6)));
    }
    // One vertical line per strip, made on first hover and moved after.
    for (int i = 0; i < plot_->graphCount(); ++i) {
        auto* rect = plot_->graph(i)->keyAxis()->axisRect();
        QCPItemStraightLine* cursor = nullptr;
        for (int k = 0; k < plot_->itemCount(); ++k)
            if (auto* candidate = qobject_cast<QCPItemStraightLine*>(plot_->item(k));
                candidate && candidate->clipAxisRect() == rect)
                cursor = candidate;
        if (!cursor) {
            cursor = new QCPItemStraightLine(plot_);
            cursor->setClipAxisRect(rect);
            cursor->setPen(QPen(QColor(0x64, 0x74, 0x8b), 1, Qt::DashLine));
            for (auto* position : {cursor->point1, cursor->point2}) {
                position->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
                position->setAxisRect(rect);
            }
        }
        const auto* y = rect->axis(QCPAxis::atLeft);
        cursor->point1->setCoords(key, y->range().lower);
        cursor->point2->setCoords(key, y->range().upper);
    }
    hoverText_ = lines.join('\n');
    QToolTip::showText(event->globalPosition().toPoint(), hoverText_, plot_);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void MetricsPanel::fillVisible() {
    if (plot_->graphCount() == 0)
        return;
    const QCPRange range = plot_->graph(0)->keyAxis()->range();
    const auto from = static_cast<std::int64_t>(range.lower * 1000);
    const auto to = static_cast<std::int64_t>(range.upper * 1000) + 1;
    const int columns = std::max(100, plot_->graph(0)->keyAxis()->axisRect()->width());
    for (int i = 0; i < plot_->graphCount() && i < static_cast<int>(shown_.size()); ++i) {
        double lo = INFINITY, hi = -INFINITY;
        const auto& decoded = cache_[shown_[static_cast<std::size_t>(i)].series.get()];
        QVector<QCPGraphData> points;
        if (decoded) {
            // A little beyond both edges, so lines run off the chart rather than stopping short.
            const auto span = to - from;
            for (const auto& s : decoded->index.downsample(decoded->samples, from - span / 10,
                                                           to + span / 10, columns)) {
                points.append(QCPGraphData(s.timestampMs / 1000.0, s.value));
                if (s.timestampMs >= from && s.timestampMs < to) {
                    lo = std::min(lo, s.value);
                    hi = std::max(hi, s.value);
                }
            }
        }
        plot_->graph(i)->data()->set(points, true);
        if (std::isfinite(lo) && std::isfinite(hi)) {
            const double pad = std::max(1e-9, (hi - lo) * 0.08);
            plot_->graph(i)->valueAxis()->setRange(lo - pad, hi + pad);
        }
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace headroom::ui
