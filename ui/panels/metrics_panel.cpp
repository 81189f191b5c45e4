#include "panels/metrics_panel.h"

#include "document/project_document.h"
#include "metrics/roles.h"
#include "metrics/series.h"
#include "metrics/series_ops.h"
#include "model/project_delta.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QStackedLayout>
#include <QToolButton>
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
    : QWidget(parent), document_(document), plot_(new QCustomPlot), overview_(new QCustomPlot),
      legend_(new QWidget), legendLayout_(new QHBoxLayout(legend_)), hint_(new QLabel) {
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
    legendLayout_->setContentsMargins(4, 2, 4, 0);
    legendLayout_->setSpacing(2);

    // The range selector: the whole span in miniature; drag to choose, click to centre.
    overview_->setFixedHeight(52);
    overview_->setToolTip(tr("Drag to choose the time range shown; click to centre it; "
                             "double-click to show everything"));
    overview_->plotLayout()->clear();
    auto* strip = new QCPAxisRect(overview_);
    overview_->plotLayout()->addElement(0, 0, strip);
    strip->setMinimumMargins(QMargins(0, 0, 0, 0));
    for (auto* axis : strip->axes())
        axis->setVisible(false);
    strip->setBackground(QColor(0xf1, 0xf5, 0xf9));
    window_ = new QCPItemRect(overview_);
    window_->setClipAxisRect(strip);
    for (auto* corner : {window_->topLeft, window_->bottomRight}) {
        corner->setAxisRect(strip);
        corner->setAxes(strip->axis(QCPAxis::atBottom), strip->axis(QCPAxis::atLeft));
    }
    window_->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    window_->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    window_->setPen(QPen(QColor(0x25, 0x63, 0xeb), 1));
    window_->setBrush(QColor(0x25, 0x63, 0xeb, 24));
    connect(overview_, &QCustomPlot::mousePress, this,
            [this](QMouseEvent* e) { overviewMouse(e, true, false); });
    connect(overview_, &QCustomPlot::mouseMove, this,
            [this](QMouseEvent* e) { overviewMouse(e, false, false); });
    connect(overview_, &QCustomPlot::mouseRelease, this,
            [this](QMouseEvent* e) { overviewMouse(e, false, true); });
    connect(overview_, &QCustomPlot::mouseDoubleClick, this, [this] { showAll(); });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(legend_);
    layout->addLayout(stack, 1);
    layout->addWidget(overview_);

    connect(&watcher_,
            &QFutureWatcher<std::vector<std::pair<const metrics::Series*, Decoded>>>::finished,
            this, &MetricsPanel::decoded);
    connect(document_, &ProjectDocument::selectionChanged, this, &MetricsPanel::selectionChanged);
    connect(document_, &ProjectDocument::seriesBindingChanged, this,
            &MetricsPanel::selectionChanged);
    connect(document_, &ProjectDocument::projectReset, this, [this] {
        cache_.clear();
        selectionChanged();
    });
    selectionChanged();
}

MetricsPanel::~MetricsPanel() {
    watcher_.waitForFinished();
}

QToolButton* MetricsPanel::legendButton(int index) const {
    const auto buttons = legend_->findChildren<QToolButton*>(QStringLiteral("legendEntry"));
    return index >= 0 && index < buttons.size() ? buttons[index] : nullptr;
}

std::pair<double, double> MetricsPanel::visibleRange() const {
    if (plot_->graphCount() == 0)
        return span_;
    const auto range = plot_->graph(0)->keyAxis()->range();
    return {range.lower, range.upper};
}

void MetricsPanel::setVisibleRange(double fromS, double toS) {
    if (plot_->graphCount() == 0 || toS <= fromS)
        return;
    plot_->graph(0)->keyAxis()->setRange(fromS, toS); // the others follow
}

void MetricsPanel::showAll() {
    if (span_.second > span_.first)
        setVisibleRange(span_.first, span_.second);
}

void MetricsPanel::rebuildLegend() {
    for (auto* old : legend_->findChildren<QToolButton*>())
        delete old;
    while (auto* item = legendLayout_->takeAt(0))
        delete item;
    for (std::size_t i = 0; i < shown_.size(); ++i) {
        auto* entry = new QToolButton;
        entry->setObjectName(QStringLiteral("legendEntry"));
        entry->setCheckable(true);
        entry->setChecked(!hidden_.contains(shown_[i].label));
        entry->setAutoRaise(true);
        entry->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        QPixmap swatch(12, 12);
        swatch.fill(Qt::transparent);
        QPainter painter(&swatch);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setBrush(kPalette[i % std::size(kPalette)]);
        painter.setPen(Qt::NoPen);
        painter.drawEllipse(1, 1, 10, 10);
        painter.end();
        entry->setIcon(QIcon(swatch));
        entry->setText(shown_[i].label);
        entry->setToolTip(tr("Show or hide this series; right-click to unbind or remove it"));
        entry->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(entry, &QToolButton::customContextMenuRequested, this,
                [this, entry, i](const QPoint& at) {
                    QMenu menu(entry);
                    menu.addAction(tr("Unbind from Component"), this,
                                   [this, i] { unbindSeries(static_cast<int>(i)); })
                        ->setEnabled(shown_[i].bound);
                    menu.addAction(tr("Remove from Project"), this,
                                   [this, i] { removeSeries(static_cast<int>(i)); });
                    menu.exec(entry->mapToGlobal(at));
                });
        connect(entry, &QToolButton::toggled, this, [this, label = shown_[i].label](bool on) {
            if (on)
                hidden_.remove(label);
            else
                hidden_.insert(label);
            const auto keep = visibleRange();
            replot();
            if (keep.second > keep.first)
                setVisibleRange(keep.first, keep.second);
        });
        legendLayout_->addWidget(entry);
    }
    legendLayout_->addStretch(1);
    if (!shown_.empty()) {
        auto* all = new QToolButton;
        all->setObjectName(QStringLiteral("showAll"));
        all->setText(tr("Show All"));
        all->setToolTip(tr("Show the whole time span (or double-click the range selector)"));
        all->setAutoRaise(true);
        connect(all, &QToolButton::clicked, this, &MetricsPanel::showAll);
        legendLayout_->addWidget(all);
    }
    legend_->setVisible(!shown_.empty());
}

void MetricsPanel::overviewMouse(QMouseEvent* event, bool press, bool release) {
    if (plot_->graphCount() == 0 || (!(event->buttons() & Qt::LeftButton) && !release))
        return;
    auto* axis = overview_->axisRect()->axis(QCPAxis::atBottom);
    const double at = axis->pixelToCoord(event->position().x());
    if (press) {
        pressedAt_ = at;
        dragging_ = false;
        return;
    }
    const double pixels = std::abs(axis->coordToPixel(at) - axis->coordToPixel(pressedAt_));
    if (pixels > 3)
        dragging_ = true;
    if (dragging_) {
        setVisibleRange(std::min(pressedAt_, at), std::max(pressedAt_, at));
    } else if (release) {
        const auto [from, to] = visibleRange();
        setVisibleRange(at - (to - from) / 2, at + (to - from) / 2);
    }
    if (release)
        dragging_ = false;
}

void MetricsPanel::updateOverview() {
    overview_->clearGraphs();
    auto* strip = overview_->axisRect();
    auto* x = strip->axis(QCPAxis::atBottom);
    auto* y = strip->axis(QCPAxis::atLeft);
    overview_->setVisible(!plotted_.empty());
    if (plotted_.empty() || span_.second <= span_.first) {
        overview_->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    // The first plotted series, whole, as a silhouette.
    const auto& decoded = cache_[shown_[plotted_.front()].series.get()];
    auto* graph = overview_->addGraph(x, y);
    graph->setPen(QPen(QColor(0x94, 0xa3, 0xb8), 1));
    graph->setBrush(QColor(0x94, 0xa3, 0xb8, 60));
    graph->setAdaptiveSampling(false);
    QVector<QCPGraphData> points;
    double lo = INFINITY, hi = -INFINITY;
    if (decoded)
        for (const auto& s : decoded->index.downsample(
                 decoded->samples, static_cast<std::int64_t>(span_.first * 1000),
                 static_cast<std::int64_t>(span_.second * 1000) + 1,
                 std::max(100, overview_->width()))) {
            points.append(QCPGraphData(s.timestampMs / 1000.0, s.value));
            lo = std::min(lo, s.value);
            hi = std::max(hi, s.value);
        }
    graph->data()->set(points, true);
    x->setRange(span_.first, span_.second);
    if (std::isfinite(lo))
        y->setRange(std::min(0.0, lo), hi + std::max(1e-9, (hi - lo) * 0.05));
    const auto [from, to] = visibleRange();
    window_->topLeft->setCoords(from, 0);
    window_->bottomRight->setCoords(to, 1);
    overview_->replot(QCustomPlot::rpQueuedReplot);
}

void MetricsPanel::unbindSeries(int index) {
    if (index < 0 || index >= static_cast<int>(shown_.size()) || !shown_[index].bound)
        return;
    DeltaBuilder edit(document_->project());
    edit.setBinding(shown_[static_cast<std::size_t>(index)].index, {});
    document_->edit(edit.build(), tr("Unbind Series"));
}

void MetricsPanel::removeSeries(int index) {
    if (index < 0 || index >= static_cast<int>(shown_.size()))
        return;
    Project project = document_->project();
    const auto at = shown_[static_cast<std::size_t>(index)].index;
    if (at >= project.series.size())
        return;
    project.series.erase(project.series.begin() + static_cast<std::ptrdiff_t>(at));
    document_->replaceProject(std::move(project), tr("Remove Series"));
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
        shown_.push_back({entry.data, label,
                          static_cast<std::size_t>(&entry - project.series.data()),
                          !entry.component.empty()});
    }
    rebuildLegend();
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
    plotted_.clear();
    for (std::size_t i = 0; i < shown_.size(); ++i)
        if (!hidden_.contains(shown_[i].label))
            plotted_.push_back(i);
    if (plotted_.empty()) {
        hint_->setText(!shown_.empty()
                           ? tr("Every series is switched off; switch one on in the legend.")
                       : document_->selectedComponents().isEmpty()
                           ? tr("No metric series in this project yet.\nImport them with File > "
                                "Import Metrics, or drop a file on a component.")
                           : tr("No metric series bound to the selection."));
        plot_->setVisible(false);
        hint_->setVisible(true);
        plot_->replot();
        updateOverview();
        emit refreshed();
        return;
    }
    hint_->setVisible(false);
    plot_->setVisible(true);
    // Each strip needs room for its name and a readable curve; the dock grows to give it.
    plot_->setMinimumHeight(std::min(320, std::max(120, 64 * static_cast<int>(plotted_.size()))));
    auto* margins = new QCPMarginGroup(plot_);
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(QStringLiteral("d MMM hh:mm"));
    ticker->setDateTimeSpec(Qt::UTC);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    double first = 0, last = 0;
    bool any = false;
    for (std::size_t i = 0; i < plotted_.size(); ++i) {
        const auto& shown = shown_[plotted_[i]];
        const QColor color = kPalette[plotted_[i] % std::size(kPalette)];
        auto* rect = new QCPAxisRect(plot_);
        plot_->plotLayout()->addElement(static_cast<int>(i), 0, rect);
        rect->setRangeDrag(Qt::Horizontal);
        rect->setRangeZoom(Qt::Horizontal);
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
        auto* x = rect->axis(QCPAxis::atBottom);
        auto* y = rect->axis(QCPAxis::atLeft);
        x->setTicker(ticker);
        x->setTickLabels(i + 1 == plotted_.size()); // dates under the last strip only
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
        title->setText(shown.label);
        title->setFont(small);
        title->setColor(color.darker(130));
        title->setBrush(QColor(255, 255, 255, 210));
        title->setPadding(QMargins(4, 1, 4, 1));
        auto* graph = plot_->addGraph(x, y);
        graph->setName(shown.label);
        // A cosmetic 1-pixel pen keeps the raster engine on its fast path for jagged min/max
        // lines; a wider pen costs ten times as much per frame.
        QPen pen(color, 1);
        pen.setCosmetic(true);
        graph->setPen(pen);
        graph->setAdaptiveSampling(false); // it gets screen-sized data already
        const auto& samples = cache_[shown.series.get()];
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
    span_ = {first, std::max(last, first + 1)};
    if (any)
        for (int g = 0; g < plot_->graphCount(); ++g)
            plot_->graph(g)->keyAxis()->setRange(span_.first, span_.second);
    fillVisible();
    updateOverview();
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
    for (int i = 0; i < plot_->graphCount() && i < static_cast<int>(plotted_.size()); ++i) {
        double lo = INFINITY, hi = -INFINITY;
        const auto& decoded = cache_[shown_[plotted_[static_cast<std::size_t>(i)]].series.get()];
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
            // Headroom above the curve for the strip's name.
            plot_->graph(i)->valueAxis()->setRange(lo - pad, hi + pad + (hi - lo) * 0.3);
        }
    }
    if (window_ && overview_->graphCount() > 0) {
        window_->topLeft->setCoords(range.lower, 0);
        window_->bottomRight->setCoords(range.upper, 1);
        overview_->replot(QCustomPlot::rpQueuedReplot);
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace headroom::ui
