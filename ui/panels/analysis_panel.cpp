#include "panels/analysis_panel.h"

#include "analysis/analysis_table_model.h"
#include "document/project_document.h"
#include "style/heat_scale.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QSlider>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>
#include <cmath>
#include <qcustomplot.h>

namespace headroom::ui {
namespace {

constexpr double kSliderStep = 0.1; // the slider moves in tenths: x0.5 .. x10

QString multiplierText(double k) {
    return QStringLiteral("\u00d7") + QString::number(k, 'f', k < 10 ? 2 : 1);
}

/// The panel's two charts: a legend in small type, three labelled axes (the right one shown).
void setUpChart(QCustomPlot* chart, const QFont& font, const QString& x, const QString& y,
                const QString& y2) {
    chart->setMinimumHeight(150);
    chart->legend->setVisible(true);
    chart->legend->setFont(QFont(font.family(), 8));
    chart->xAxis->setLabel(x);
    chart->yAxis->setLabel(y);
    chart->yAxis2->setLabel(y2);
    chart->yAxis2->setVisible(true);
}

} // namespace

AnalysisPanel::AnalysisPanel(ProjectDocument* document, AnalysisRunner* runner, QWidget* parent)
    : QWidget(parent), document_(document), runner_(runner), slider_(new QSlider(Qt::Horizontal)),
      spin_(new QDoubleSpinBox), summary_(new QLabel), legend_(new QLabel),
      model_(new AnalysisTableModel(this)), proxy_(new QSortFilterProxyModel(this)),
      table_(new QTableView), tabs_(new QTabWidget), findings_(new QTextBrowser),
      chart_(new QCustomPlot), users_(new QWidget), usersSummary_(new QLabel),
      usersChart_(new QCustomPlot) {
    slider_->setRange(5, 100);
    slider_->setValue(10);
    slider_->setPageStep(5);
    slider_->setToolTip(tr("Load multiplier: every client's arrival rate times this"));
    spin_->setRange(0.5, 10);
    spin_->setSingleStep(kSliderStep);
    spin_->setDecimals(2);
    spin_->setPrefix(QStringLiteral("\u00d7"));
    spin_->setValue(1);
    spin_->setAccessibleName(tr("Load multiplier"));
    connect(slider_, &QSlider::valueChanged, this, [this](int v) {
        if (!syncing_)
            setLoadMultiplier(v * kSliderStep);
    });
    connect(spin_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (!syncing_)
            setLoadMultiplier(v);
    });

    // The colour key, as the canvas uses it.
    QString key;
    for (const auto& step : heatSteps())
        key += QStringLiteral("<span style='background:%1;color:%2'>&nbsp;%3&nbsp;</span> ")
                   .arg(step.color.name(), textColorOn(step.color).name(), step.label);
    legend_->setText(key);
    legend_->setToolTip(tr("Canvas colours: utilisation of each component's busiest resource "
                           "(ColorBrewer YlOrRd, readable with colour-blindness)"));

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Load")));
    top->addWidget(slider_, 1);
    top->addWidget(spin_);
    top->addSpacing(12);
    top->addWidget(legend_);

    summary_->setTextFormat(Qt::RichText);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    proxy_->setSourceModel(model_);
    proxy_->setSortRole(AnalysisTableModel::SortRole);
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(-1, Qt::AscendingOrder); // project order until a header is clicked
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (syncing_)
            return;
        QStringList ids;
        for (const auto& row : table_->selectionModel()->selectedRows())
            ids << row.data(AnalysisTableModel::IdRole).toString();
        QScopedValueRollback guard(syncing_, true);
        document_->setSelection(ids);
        if (!ids.isEmpty())
            runner_->setCurveComponent(ids.front());
    });

    // Findings as wrapped text: each message is a link that selects the components it names.
    findings_->setOpenLinks(false);
    findings_->setOpenExternalLinks(false);
    connect(findings_, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.scheme() == QStringLiteral("finding"))
            activateFinding(url.path().toInt());
    });

    setUpChart(chart_, font(), tr("load multiplier"), tr("response (ms)"), tr("utilisation (%)"));

    // The system as N users: what they make it do, and the two points that matter.
    usersSummary_->setTextFormat(Qt::RichText);
    usersSummary_->setWordWrap(true);
    usersSummary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Its wrapped lines, all of them: the chart gives way first.
    usersSummary_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    setUpChart(usersChart_, font(), tr("users (each thinking between requests)"), tr("requests/s"),
               tr("mean response (ms, log scale)"));
    usersChart_->yAxis2->setScaleType(QCPAxis::stLogarithmic);
    usersChart_->yAxis2->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    // The legend in a row of its own under the plot: inside, it would hide a marker's label.
    auto* legendRow = new QCPLayoutGrid;
    usersChart_->plotLayout()->addElement(1, 0, legendRow);
    legendRow->setMargins(QMargins(0, 0, 0, 4));
    legendRow->addElement(0, 0, usersChart_->legend);
    usersChart_->legend->setFillOrder(QCPLegend::foColumnsFirst);
    usersChart_->legend->setBorderPen(Qt::NoPen);
    usersChart_->plotLayout()->setRowStretchFactor(1, 0.001);
    auto* usersLayout = new QVBoxLayout(users_);
    usersLayout->setContentsMargins(4, 4, 4, 0);
    usersLayout->addWidget(usersSummary_);
    usersLayout->addWidget(usersChart_, 1);

    tabs_->addTab(findings_, tr("Findings"));
    tabs_->addTab(chart_, tr("Load curve"));
    tabs_->addTab(users_, tr("Users"));
    tabs_->setTabToolTip(tabs_->indexOf(users_),
                         tr("The system as a closed workload: N users who wait for each "
                            "answer and think before the next request, as a load test's "
                            "virtual users do (Mean Value Analysis)"));
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(table_);
    split->addWidget(tabs_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addLayout(top);
    layout->addWidget(summary_);
    layout->addWidget(split, 1);

    connect(runner_, &AnalysisRunner::updated, this, &AnalysisPanel::refresh);
    connect(document_, &ProjectDocument::selectionChanged, this,
            &AnalysisPanel::followDocumentSelection);
    refresh();
}

void AnalysisPanel::setLoadMultiplier(double multiplier) {
    multiplier = std::clamp(multiplier, 0.5, 10.0);
    {
        QScopedValueRollback guard(syncing_, true);
        slider_->setValue(static_cast<int>(std::lround(multiplier / kSliderStep)));
        spin_->setValue(multiplier);
    }
    runner_->setLoadMultiplier(multiplier);
}

double AnalysisPanel::loadMultiplier() const {
    return runner_->loadMultiplier();
}

void AnalysisPanel::showChart() {
    tabs_->setCurrentWidget(chart_);
}

void AnalysisPanel::fitUsersSummary() {
    // A wrapped label's size hint assumes some width of its own; at the width it has, all of
    // its lines must show, and the chart below gives way.
    const int width = usersSummary_->contentsRect().width();
    if (width > 0)
        usersSummary_->setMinimumHeight(usersSummary_->heightForWidth(width));
}

void AnalysisPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    fitUsersSummary();
}

void AnalysisPanel::showUsers() {
    tabs_->setCurrentWidget(users_);
}

void AnalysisPanel::refresh() {
    const auto snapshot = runner_->latest();
    if (!snapshot) {
        summary_->setText(tr("Analysing\u2026"));
        return;
    }
    if (!snapshot->error.isEmpty()) {
        summary_->setText(
            tr("The analysis could not be done: %1").arg(snapshot->error.toHtmlEscaped()));
        model_->setSnapshot(nullptr, {});
        findings_->clear();
        chart_->clearGraphs();
        chart_->replot();
        usersSummary_->clear();
        usersChart_->clearGraphs();
        usersChart_->clearItems();
        usersChart_->replot();
        return;
    }
    const auto& project = document_->project();
    std::vector<ComponentKind> kinds;
    for (const auto& c : snapshot->result.components) {
        const auto* component = project.findComponent(c.id);
        kinds.push_back(component ? component->kind : ComponentKind::Service);
    }
    {
        QScopedValueRollback guard(syncing_, true);
        model_->setSnapshot(snapshot, std::move(kinds));
    }
    shown_ = snapshot;
    followDocumentSelection();

    const auto& a = snapshot->result;
    const double k = a.options.loadMultiplier;
    QString text = tr("At <b>%1</b> (%2 requests/s entering): ")
                       .arg(multiplierText(k))
                       .arg(a.entryRate, 0, 'f', 1);
    if (a.bottleneck) {
        const auto& b = a.components[*a.bottleneck];
        text += tr("the bottleneck is <b>%1</b> (%2), saturating at <b>%3</b>, %4 requests/s "
                   "entering.")
                    .arg(qs(b.id).toHtmlEscaped(), qs(b.saturatingResource).toHtmlEscaped(),
                         multiplierText(*b.saturationMultiplier))
                    .arg(a.entryRate / k * *b.saturationMultiplier, 0, 'f', 0);
        for (const auto v : a.saturationOrder)
            if (a.components[v].pushedBy == a.bottleneck)
                text += tr(" %1's pool runs out just before it, at %2, held by its slowing "
                           "response.")
                            .arg(qs(a.components[v].id).toHtmlEscaped(),
                                 multiplierText(*a.components[v].saturationMultiplier));
    } else {
        text += tr("nothing here has a capacity limit.");
    }
    for (const auto& e : a.entries)
        text += tr(" End to end from %1: %2.")
                    .arg(qs(e.client).toHtmlEscaped(),
                         e.meanResponse ? tr("%1 ms mean").arg(*e.meanResponse * 1000, 0, 'f', 1)
                                        : tr("saturated"));
    if (!a.cycles.empty())
        text += tr(" <b>%n cycle(s)</b> in the links: their traffic is not counted.", "",
                   static_cast<int>(a.cycles.size()));
    // What the bound metrics changed, so nobody wonders where a number came from.
    QStringList calibrated;
    for (const auto& c : a.calibration)
        for (const auto& f : c.figures)
            if (f.used && f.measured)
                calibrated << tr("%1 %2 %3 %4 (entered %5)")
                                  .arg(qs(c.component).toHtmlEscaped(), qs(f.label).toLower())
                                  .arg(*f.measured, 0, 'g', 3)
                                  .arg(qs(f.unit))
                                  .arg(f.entered.value_or(0), 0, 'g', 3);
    if (!calibrated.isEmpty())
        text +=
            tr(" <i>From the bound metrics:</i> %1.").arg(calibrated.join(QStringLiteral("; ")));
    summary_->setText(text);
    refreshFindings(*snapshot);
    refreshChart(*snapshot);
    refreshUsers(*snapshot);
}

void AnalysisPanel::activateFinding(int index) {
    if (!shown_ || index < 0 || index >= static_cast<int>(shown_->findings.size()))
        return;
    QStringList ids;
    for (const auto& id : shown_->findings[static_cast<std::size_t>(index)].components)
        ids << qs(id);
    document_->setSelection(ids);
}

void AnalysisPanel::refreshFindings(const AnalysisSnapshot& snapshot) {
    int errors = 0, warnings = 0;
    QString html;
    for (std::size_t i = 0; i < snapshot.findings.size(); ++i) {
        const auto& f = snapshot.findings[i];
        // Symbol and colour both carry the severity (not colour alone).
        const auto [symbol, color] =
            f.severity == analysis::FindingSeverity::Error
                ? std::pair{QStringLiteral("\u2716"), QStringLiteral("#b91c1c")}
            : f.severity == analysis::FindingSeverity::Warning
                ? std::pair{QStringLiteral("\u26a0"), QStringLiteral("#b45309")}
                : std::pair{QStringLiteral("\u2139"), QStringLiteral("#1d4ed8")};
        html += QStringLiteral("<p style='margin:2px 0 6px 0'><span style='color:%1;font-size:"
                               "large'>%2</span> <a href='finding:%3' style='color:#0f172a;"
                               "text-decoration:none'><b>%4</b></a> <span style='color:#64748b'>"
                               "[%5]</span><br><span style='color:#334155'>%6</span><br>"
                               "<span style='color:#334155'><i>%7</i> %8</span></p>")
                    .arg(color, symbol)
                    .arg(i)
                    .arg(qs(f.message).toHtmlEscaped(), qs(f.rule).toHtmlEscaped(),
                         qs(f.why).toHtmlEscaped(), tr("Fix:"), qs(f.fix).toHtmlEscaped());
        errors += f.severity == analysis::FindingSeverity::Error;
        warnings += f.severity == analysis::FindingSeverity::Warning;
    }
    if (snapshot.findings.empty())
        html = tr("<p>No findings: the design follows the scaling playbook.</p>");
    const int scroll = findings_->verticalScrollBar()->value();
    findings_->setHtml(html);
    findings_->verticalScrollBar()->setValue(scroll);
    const auto count = [](int n, const QString& one, const QString& many) {
        return QString::number(n) + QLatin1Char(' ') + (n == 1 ? one : many);
    };
    tabs_->setTabText(tabs_->indexOf(findings_),
                      snapshot.findings.empty()
                          ? tr("Findings")
                          : tr("Findings (%1, %2)")
                                .arg(count(errors, tr("error"), tr("errors")),
                                     count(warnings, tr("warning"), tr("warnings"))));
}

void AnalysisPanel::refreshChart(const AnalysisSnapshot& snapshot) {
    chart_->clearGraphs();
    chart_->clearItems();
    const auto& curve = snapshot.curve;
    if (curve.empty()) {
        chart_->plotLayout()->setVisible(true);
        chart_->replot();
        return;
    }
    QVector<double> ks, mean, pct, util;
    for (const auto& p : curve) {
        ks << p.multiplier;
        mean << (p.meanResponse ? *p.meanResponse * 1000 : qQNaN());
        pct << (p.percentileResponse ? *p.percentileResponse * 1000 : qQNaN());
        util << (std::isfinite(p.utilisation) ? std::min(p.utilisation, 1.0) * 100 : 100);
    }
    const QString p = QStringLiteral("p%1").arg(snapshot.result.options.percentile * 100);
    auto* g = chart_->addGraph();
    g->setName(tr("%1 mean").arg(snapshot.curveComponent));
    g->setData(ks, mean, true);
    g->setPen(QPen(QColor(0x1d, 0x4e, 0xd8), 2));
    g = chart_->addGraph();
    g->setName(p);
    g->setData(ks, pct, true);
    g->setPen(QPen(QColor(0x1d, 0x4e, 0xd8), 1.5, Qt::DashLine));
    g = chart_->addGraph(chart_->xAxis, chart_->yAxis2);
    g->setName(tr("utilisation"));
    g->setData(ks, util, true);
    g->setPen(QPen(heatSteps()[3].color, 2));
    chart_->xAxis->setRange(0, ks.back());
    double top = 1;
    for (const double v : pct + mean)
        if (std::isfinite(v))
            top = std::max(top, v);
    chart_->yAxis->setRange(0, top * 1.1);
    chart_->yAxis2->setRange(0, 105);

    // Where it saturates, and where the slider is.
    for (const auto& c : snapshot.result.components) {
        if (qs(c.id) != snapshot.curveComponent)
            continue;
        if (c.saturationMultiplier && *c.saturationMultiplier <= ks.back()) {
            auto* line = new QCPItemStraightLine(chart_);
            line->point1->setCoords(*c.saturationMultiplier, 0);
            line->point2->setCoords(*c.saturationMultiplier, 1);
            line->setPen(QPen(heatSteps().back().color, 1.5, Qt::DotLine));
            auto* label = new QCPItemText(chart_);
            label->position->setType(QCPItemPosition::ptPlotCoords);
            label->position->setCoords(*c.saturationMultiplier, top * 1.05);
            label->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
            label->setText(tr("saturates %1 ").arg(multiplierText(*c.saturationMultiplier)));
            label->setColor(heatSteps().back().color);
        }
    }
    auto* now = new QCPItemStraightLine(chart_);
    const double k = snapshot.result.options.loadMultiplier;
    now->point1->setCoords(k, 0);
    now->point2->setCoords(k, 1);
    now->setPen(QPen(QColor(0x47, 0x55, 0x69), 1));
    chart_->legend->setVisible(true);
    chart_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignLeft | Qt::AlignTop);
    chart_->replot();
}

void AnalysisPanel::refreshUsers(const AnalysisSnapshot& snapshot) {
    usersChart_->clearGraphs();
    usersChart_->clearItems();
    if (!snapshot.users) {
        usersSummary_->setText(tr("No closed view: %1").arg(snapshot.usersError.toHtmlEscaped()));
        usersChart_->replot();
        return;
    }
    const auto& w = *snapshot.users;
    const auto& project = document_->project();
    const auto name = [&](std::size_t v) { return qs(project.components[v].id).toHtmlEscaped(); };
    QString text =
        tr("Users who think <b>%1 s</b> between requests.").arg(w.thinkSeconds, 0, 'g', 3);
    if (w.usersNow)
        text += tr(" The load analysed, %1 requests/s, is about <b>%2 users</b>.")
                    .arg(w.entryRate, 0, 'f', 0)
                    .arg(*w.usersNow, 0, 'f', 0);
    if (w.bottleneck && w.saturationUsers && w.maxThroughput)
        text += tr(" At most <b>%1 requests/s</b> (%2 is the bottleneck); past <b>N* = %3</b> "
                   "users each new one mostly waits.")
                    .arg(*w.maxThroughput, 0, 'f', 0)
                    .arg(name(w.stations[*w.bottleneck].component))
                    .arg(*w.saturationUsers, 0, 'f', 0);
    if (!w.leftOut.empty()) {
        QStringList off;
        for (const auto v : w.leftOut)
            off << name(v);
        text += tr(" Reached only asynchronously, so holding no user: %1.")
                    .arg(off.join(QStringLiteral(", ")));
    }
    QString notes; // first: they say how far to trust the rest
    for (const auto& note : w.notes)
        notes += QStringLiteral("<i>%1.</i> ").arg(qs(note).toHtmlEscaped());
    usersSummary_->setText(notes + text);
    fitUsersSummary();

    // To a quarter past the knee (or the load analysed): beyond it throughput is flat and the
    // response a straight line, N Dmax - Z. The response on a log scale, so the flat part
    // (a lone request's time) and the climb past N* both read.
    const double knee = std::max(w.saturationUsers.value_or(0), w.usersNow.value_or(0));
    const int last = static_cast<int>(
        std::clamp(std::ceil(knee * 1.25), 10.0, static_cast<double>(w.curve.back().users)));
    QVector<double> n, x, r;
    const std::size_t step = std::max(1, last / 600);
    for (std::size_t i = 0; i < static_cast<std::size_t>(last); i += step) {
        n << w.curve[i].users;
        x << w.curve[i].throughputPerSecond;
        r << w.curve[i].responseSeconds * 1000;
    }
    auto* g = usersChart_->addGraph();
    g->setName(tr("throughput"));
    g->setData(n, x, true);
    g->setPen(QPen(QColor(0x1d, 0x4e, 0xd8), 2));
    g = usersChart_->addGraph(usersChart_->xAxis, usersChart_->yAxis2);
    g->setName(tr("mean response"));
    g->setData(n, r, true);
    g->setPen(QPen(heatSteps()[3].color, 2));
    usersChart_->xAxis->setRange(0, n.back());
    usersChart_->yAxis->setRange(0, w.maxThroughput ? *w.maxThroughput * 1.1 : x.back() * 1.1);
    const double lowest = std::max(1e-3, *std::min_element(r.begin(), r.end()));
    const double highest = std::max(lowest * 10, *std::max_element(r.begin(), r.end()));
    usersChart_->yAxis2->setRange(lowest / 1.5, highest * 1.5);
    const auto marker = [&](double at, const QString& label, const QColor& color) {
        if (!(at > 0) || at > n.back())
            return;
        auto* line = new QCPItemStraightLine(usersChart_);
        line->point1->setCoords(at, 0);
        line->point2->setCoords(at, 1);
        line->setPen(QPen(color, 1.5, Qt::DotLine));
        auto* text = new QCPItemText(usersChart_);
        text->position->setType(QCPItemPosition::ptAxisRectRatio);
        text->position->setAxisRect(usersChart_->axisRect());
        text->position->setCoords(
            (at - usersChart_->xAxis->range().lower) / usersChart_->xAxis->range().size(), 0.02);
        text->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        text->setText(QLatin1Char(' ') + label);
        text->setColor(color);
    };
    if (w.usersNow)
        marker(*w.usersNow, tr("load analysed"), QColor(0x47, 0x55, 0x69));
    if (w.saturationUsers)
        marker(*w.saturationUsers, tr("N*"), heatSteps().back().color);
    usersChart_->replot();
}

void AnalysisPanel::followDocumentSelection() {
    if (syncing_)
        return;
    QScopedValueRollback guard(syncing_, true);
    const auto& ids = document_->selectedComponents();
    table_->selectionModel()->clearSelection();
    for (const auto& id : ids) {
        const int row = model_->rowOf(id);
        if (row < 0)
            continue;
        const auto index = proxy_->mapFromSource(model_->index(row, 0));
        table_->selectionModel()->select(index,
                                         QItemSelectionModel::Select | QItemSelectionModel::Rows);
        table_->scrollTo(index);
    }
    if (!ids.isEmpty())
        runner_->setCurveComponent(ids.front());
}

} // namespace headroom::ui
