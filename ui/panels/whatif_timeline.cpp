#include "panels/whatif_timeline.h"

#include <QObject>
#include <algorithm>
#include <cmath>
#include <limits>
#include <qcustomplot.h>

namespace headroom::ui {
namespace {

using whatif::TierRun;

QCPAxisRect* stackedRect(QCustomPlot* plot, int row, const QString& label, QCPMarginGroup* group) {
    auto* rect = row == 0 ? plot->axisRect() : new QCPAxisRect(plot);
    if (row > 0)
        plot->plotLayout()->addElement(row, 0, rect);
    rect->axis(QCPAxis::atLeft)->setLabel(label);
    rect->axis(QCPAxis::atLeft)->ticker()->setTickCount(2); // short charts: few, legible ticks
    rect->setMarginGroup(QCP::msLeft | QCP::msRight, group);
    rect->setRangeDrag(Qt::Horizontal);
    rect->setRangeZoom(Qt::Horizontal);
    rect->axis(QCPAxis::atBottom)->setTickLabels(false);
    return rect;
}

/// A graph on one of the stacked charts, listed in that chart's legend when `listed`: the
/// legend beside the chart in the plot layout's second column.
QCPGraph* line(QCustomPlot* plot, QCPAxisRect* rect, const QString& name, const QPen& pen,
               bool listed = true) {
    auto* g = plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    g->setName(name);
    g->setPen(pen);
    g->setAdaptiveSampling(true);
    g->removeFromLegend();
    const auto rects = plot->axisRects();
    const int row = static_cast<int>(rects.indexOf(rect));
    if (listed && row >= 0)
        if (auto* legend = qobject_cast<QCPLegend*>(plot->plotLayout()->element(row, 1)))
            g->addToLegend(legend);
    return g;
}

} // namespace

QColor policyColour(std::size_t k) {
    static const QColor kPalette[] = {QColor(0xd9, 0x77, 0x06), QColor(0x1d, 0x4e, 0xd8),
                                      QColor(0x05, 0x96, 0x69), QColor(0x7c, 0x3a, 0xed),
                                      QColor(0xdb, 0x27, 0x77), QColor(0x0e, 0x74, 0x90)};
    return kPalette[k % std::size(kPalette)];
}

void setUpTimeline(QCustomPlot* plot, const QFont& font) {
    // Four charts over one time axis: load, replicas, latency, cost.
    auto* group = new QCPMarginGroup(plot);
    plot->plotLayout()->clear();
    plot->plotLayout()->addElement(0, 0, new QCPAxisRect(plot));
    const QStringList labels{QObject::tr("req/s"), QObject::tr("replicas"), QObject::tr("p95 ms"),
                             QObject::tr("USD")};
    for (int row = 0; row < 4; ++row)
        stackedRect(plot, row, labels[row], group);
    auto rects = plot->axisRects();
    // Each chart its own small legend, beside it rather than over its lines.
    for (int row = 0; row < rects.size(); ++row) {
        auto* legend = new QCPLegend;
        plot->plotLayout()->addElement(row, 1, legend);
        legend->setLayer(QStringLiteral("legend"));
        legend->setFont(QFont(font.family(), 7));
        legend->setBorderPen(Qt::NoPen);
        legend->setBrush(Qt::NoBrush);
        legend->setRowSpacing(-3);
        legend->setMargins(QMargins(4, 0, 2, 0));
    }
    plot->plotLayout()->setColumnStretchFactor(1, 0.001);
    rects.back()->axis(QCPAxis::atBottom)->setTickLabels(true);
    rects.back()->axis(QCPAxis::atBottom)->setLabel(QObject::tr("hours from the scenario's start"));
    for (auto* rect : rects)
        QObject::connect(rect->axis(QCPAxis::atBottom),
                         qOverload<const QCPRange&>(&QCPAxis::rangeChanged), plot,
                         [plot](const QCPRange& range) {
                             for (auto* other : plot->axisRects())
                                 if (other->axis(QCPAxis::atBottom)->range() != range)
                                     other->axis(QCPAxis::atBottom)->setRange(range);
                             plot->replot(QCustomPlot::rpQueuedReplot);
                         });
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
}

void drawTimeline(QCustomPlot* plot, const WhatIfRun& shown) {
    const auto& primary = shown.tier;
    const bool compare = !shown.compared.empty();
    std::vector<const TierRun*> runs;
    for (const auto& r : shown.compared)
        runs.push_back(&r);
    if (runs.empty())
        runs.push_back(&primary);
    const double tick = shown.load->tickSeconds;
    plot->clearGraphs();
    plot->clearItems();
    const auto rects = plot->axisRects();
    const std::size_t n = primary.ticks.size();
    QVector<double> x(static_cast<qsizetype>(n)), offered(x.size()), served(x.size());
    qsizetype at = 0;
    for (const auto& t : primary.ticks) { // in order: each tick is worked out as it is reached
        x[at] = static_cast<double>(at) * tick / 3600;
        offered[at] = t.offeredRps;
        served[at] = t.servedRps;
        ++at;
    }
    line(plot, rects[0], QObject::tr("offered"), QPen(kLoad, 1.2))->setData(x, offered, true);
    if (!compare)
        line(plot, rects[0], QObject::tr("served"), QPen(kServed, 1.2, Qt::DashLine))
            ->setData(x, served, true);
    for (std::size_t k = 0; k < runs.size(); ++k) {
        const auto& run = *runs[k];
        QVector<double> desired(x.size()), ready(x.size()), latency(x.size()), cost(x.size());
        double total = 0;
        qsizetype j = 0;
        for (const auto& t : run.ticks) {
            if (j == x.size())
                break;
            desired[j] = t.desired;
            ready[j] = t.ready;
            latency[j] = std::isfinite(t.latencySeconds) ? t.latencySeconds * 1000
                                                         : std::numeric_limits<double>::quiet_NaN();
            total += run.cost(t);
            cost[j] = total;
            ++j;
        }
        const QColor colour = compare ? policyColour(k) : kDesired;
        auto* d = line(plot, rects[1],
                       compare ? QString::fromStdString(run.policy) : QObject::tr("desired"),
                       QPen(colour, 1.5));
        d->setLineStyle(QCPGraph::lsStepLeft);
        d->setData(x, desired, true);
        if (!compare) {
            auto* r = line(plot, rects[1], QObject::tr("ready"), QPen(kReady, 1.5));
            r->setLineStyle(QCPGraph::lsStepLeft);
            r->setData(x, ready, true);
        }
        line(plot, rects[2], QObject::tr("p95"), QPen(compare ? colour : kLoad, 1.2), !compare)
            ->setData(x, latency, true);
        line(plot, rects[3], QObject::tr("cost"), QPen(compare ? colour : kServed, 1.5), !compare)
            ->setData(x, cost, true);
    }
    if (!compare) {
        // Scaling events: filled where the count changed, hollow where a change was held back.
        QVector<double> changedX, changedY, heldX, heldY;
        for (const auto& e : primary.events) {
            if (e.rollout)
                continue; // shown as a band
            (e.from == e.to ? heldX : changedX) << e.atSeconds / 3600;
            (e.from == e.to ? heldY : changedY) << e.to;
        }
        auto* changed = line(plot, rects[1], QObject::tr("scaled"), Qt::NoPen);
        changed->setLineStyle(QCPGraph::lsNone);
        changed->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, kDesired, kDesired, 6));
        changed->setData(changedX, changedY, true);
        auto* held = line(plot, rects[1], QObject::tr("held"), Qt::NoPen);
        held->setLineStyle(QCPGraph::lsNone);
        held->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, kMuted, 6));
        held->setData(heldX, heldY, true);
    }
    // Rolling updates: a band over the replicas chart from start to done.
    for (const auto& r : primary.rollouts) {
        auto* band = new QCPItemRect(plot);
        band->setClipAxisRect(rects[1]);
        for (auto* p : {band->topLeft, band->bottomRight})
            p->setAxes(rects[1]->axis(QCPAxis::atBottom), rects[1]->axis(QCPAxis::atLeft));
        const double end =
            std::isfinite(r.endSeconds) ? r.endSeconds : (n > 0 ? x.back() * 3600 : 0);
        band->topLeft->setCoords(r.startSeconds / 3600, 1e9);
        band->bottomRight->setCoords(end / 3600, -1e9);
        band->setPen(Qt::NoPen);
        band->setBrush(QColor(0x7c, 0x3a, 0xed, 40));
    }
    if (!compare && !primary.forecast.empty()) {
        // Predictive scaling: each hour's forecast beside the load that came, and the
        // capacity it called for beside the replicas.
        QVector<double> hours, rps, capacity;
        for (const auto& f : primary.forecast) {
            hours << f.atSeconds / 3600;
            rps << f.forecastRps;
            capacity << f.forecastCapacity;
        }
        auto* f = line(plot, rects[0], QObject::tr("forecast"), QPen(kDesired, 1.2, Qt::DashLine));
        f->setLineStyle(QCPGraph::lsStepLeft);
        f->setData(hours, rps, true);
        auto* c =
            line(plot, rects[1], QObject::tr("forecast capacity"), QPen(kMuted, 1.2, Qt::DashLine));
        c->setLineStyle(QCPGraph::lsStepLeft);
        c->setData(hours, capacity, true);
    }
    // The objective across the whole run, named in the latency chart's legend.
    const double objectiveMs = shown.objectiveSeconds * 1000;
    line(plot, rects[2], QObject::tr("objective"), QPen(kObjective, 1, Qt::DotLine))
        ->setData(QVector<double>{0, n > 0 ? x.back() : 1},
                  QVector<double>{objectiveMs, objectiveMs}, true);
    if (compare) // the policies' colours are named once, beside the replicas
        line(plot, rects[3], QObject::tr("per policy, colours as above"), QPen(kMuted, 1.5));
    for (auto* rect : rects) {
        rect->axis(QCPAxis::atBottom)->setRange(0, n > 0 ? x.back() : 1);
        bool found = false;
        auto range = QCPRange();
        for (auto* g : rect->graphs()) {
            const auto r2 = g->data()->valueRange(found);
            if (found)
                range.expand(r2);
        }
        rect->axis(QCPAxis::atLeft)->setRange(0, std::max(1.0, range.upper * 1.1));
    }
    // The latency axis: the objective in view even when the run stays far below it.
    auto* latencyAxis = rects[2]->axis(QCPAxis::atLeft);
    latencyAxis->setRange(0, std::max(latencyAxis->range().upper, objectiveMs * 1.2));
    // Legends as wide as their longest entry, the same for every chart so the charts align.
    if (auto* first = qobject_cast<QCPLegend*>(plot->plotLayout()->element(0, 1))) {
        const QFontMetrics metrics(first->font());
        int widest = 0;
        for (int i = 0; i < plot->graphCount(); ++i)
            widest = std::max(widest, metrics.horizontalAdvance(plot->graph(i)->name()));
        for (int row = 0; row < rects.size(); ++row)
            if (auto* legend = plot->plotLayout()->element(row, 1))
                legend->setMinimumSize(std::min(widest + 48, 320), 0);
    }
    plot->replot();
}

} // namespace headroom::ui
