#include "panels/whatif_panel.h"

#include "dialogs/whatif_setup_dialog.h"
#include "document/project_document.h"
#include "model/project_delta.h"
#include "panels/scenario_preview.h"
#include "panels/whatif_timeline.h"
#include "whatif/hpa_state.h"
#include "whatif/words.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <qcustomplot.h>

namespace headroom::ui {
namespace {

using whatif::TierRun;

std::size_t indexOf(const Project& p, const std::string& id) {
    for (std::size_t i = 0; i < p.components.size(); ++i)
        if (p.components[i].id == id)
            return i;
    return p.components.size();
}

/// One tier's run on a worker thread; errors (and exceptions) come back as text.
std::shared_ptr<WhatIfRun> simulateTier(const Project& project, const std::string& scenario,
                                        const std::string& component, const std::string& policy,
                                        const std::optional<whatif::hpa::Spec>& spec,
                                        const std::string& specName, bool compareAll = false) {
    auto out = std::make_shared<WhatIfRun>();
    try {
        const auto* s = project.findScenario(scenario);
        const auto index = indexOf(project, component);
        if (!s || index == project.components.size()) {
            out->error = QObject::tr("Choose a scenario and a tier.");
            return out;
        }
        whatif::SimulationOptions options;
        auto replay = whatif::Replay::prepare(project, *s, options);
        if (!replay) {
            out->error = QString::fromStdString(replay.error().describe());
            return out;
        }
        const AutoscalingPolicy* chosen = nullptr;
        for (const auto& p : project.policies)
            if (p.component == component && p.name == policy)
                chosen = &p;
        if (compareAll) {
            // Every policy of the tier, on all cores.
            std::vector<std::pair<std::size_t, const AutoscalingPolicy*>> jobs;
            for (const auto& p : project.policies)
                if (p.component == component)
                    jobs.push_back({index, &p});
            auto runs = replay->runAll(jobs);
            if (!runs) {
                out->error = QString::fromStdString(runs.error().describe());
                return out;
            }
            out->compared = std::move(runs).value();
            if (out->compared.empty()) {
                out->error = QObject::tr("%1 has no policy to compare.")
                                 .arg(QString::fromStdString(component));
                return out;
            }
            out->tier = out->compared.front();
        } else {
            auto run = spec ? replay->runWith(index, specName, &*spec) : replay->run(index, chosen);
            if (!run) {
                out->error = QString::fromStdString(run.error().describe());
                return out;
            }
            out->tier = std::move(run).value();
        }
        out->load = replay->sharedLoad();
        out->objectiveSeconds = options.objectiveFor(project.components[index].kind);
    } catch (const std::exception& e) {
        out->error = QString::fromUtf8(e.what());
    }
    return out;
}

QString money(double usd) {
    return QStringLiteral("%1 USD").arg(usd, 0, 'f', 2);
}

QString latencyText(double seconds) {
    if (!std::isfinite(seconds))
        return QObject::tr("no instance ready");
    return seconds >= 10 ? QStringLiteral("%1 s").arg(seconds, 0, 'f', 1)
                         : QStringLiteral("%1 ms").arg(seconds * 1000, 0, 'f', 1);
}

/// "2d 14:05" from the scenario's start.
QString clock(double seconds) {
    return QString::fromStdString(whatif::runClock(seconds, false));
}

} // namespace

WhatIfPanel::WhatIfPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), scenario_(new QComboBox), tier_(new QComboBox),
      policy_(new QComboBox), runButton_(new QPushButton(tr("Run"))),
      sweepButton_(new QPushButton(tr("Sweep"))), cancelButton_(new QPushButton(tr("Cancel"))),
      setupButton_(new QPushButton(tr("Scenarios && Policies\u2026"))),
      keepButton_(new QPushButton(tr("Keep as a Policy"))), progress_(new QProgressBar),
      status_(new QLabel), tabs_(new QTabWidget), timeline_(new QCustomPlot),
      summary_(new QTableWidget(0, 10)), scatter_(new QCustomPlot), sweepReason_(new QLabel),
      preview_(new ScenarioPreview) {
    runButton_->setToolTip(tr("Replay the scenario through the tier under the chosen policy"));
    sweepButton_->setToolTip(tr("Try the tier's HPA over a grid of targets, metrics and "
                                "scale-down windows, and recommend the cheapest that keeps "
                                "the objective"));
    scenario_->setToolTip(tr("Load scenario (saved in the project)"));
    tier_->setToolTip(tr("Tier to simulate: services and worker groups"));
    policy_->setToolTip(tr("Autoscaling policy of the tier (saved in the project)"));
    setupButton_->setToolTip(tr("Add or edit the project's load scenarios and autoscaling "
                                "policies"));
    keepButton_->setToolTip(tr("Add the recommended HPA to the tier's policies, to run, "
                               "compare and save with the project"));
    keepButton_->setEnabled(false);
    scenario_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    policy_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    progress_->setMaximumWidth(160);
    progress_->setVisible(false);
    cancelButton_->setVisible(false);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Scenario")));
    top->addWidget(scenario_);
    top->addWidget(new QLabel(tr("Tier")));
    top->addWidget(tier_);
    top->addWidget(new QLabel(tr("Policy")));
    top->addWidget(policy_);
    top->addWidget(runButton_);
    top->addWidget(sweepButton_);
    top->addWidget(progress_);
    top->addWidget(cancelButton_);
    top->addStretch(1);
    top->addWidget(setupButton_);

    setUpTimeline(timeline_, font());
    timeline_->setMinimumHeight(240);
    connect(timeline_, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        const auto rects = timeline_->axisRects();
        if (rects.size() > 1 && rects[1]->rect().contains(event->pos()))
            explainEventNear(rects[1]->axis(QCPAxis::atBottom)->pixelToCoord(event->pos().x()) *
                             3600);
    });

    summary_->setHorizontalHeaderLabels(
        {tr("Tier"), tr("Policy"), tr("Minutes over"), tr("Peak p95"), tr("Dropped"),
         tr("Up / down"), tr("Reversals"), tr("Peak replicas"), tr("Instance-hours"), tr("Cost")});
    summary_->verticalHeader()->hide();
    summary_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    summary_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    summary_->horizontalHeader()->setStretchLastSection(true);
    summary_->setMaximumHeight(summary_->fontMetrics().height() * 4 + 8);

    auto* timelinePage = new QWidget;
    auto* timelineLayout = new QVBoxLayout(timelinePage);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    timelineLayout->addWidget(timeline_, 1);
    timelineLayout->addWidget(summary_);

    scatter_->xAxis->setLabel(tr("cost over the scenario (USD)"));
    scatter_->yAxis->setLabel(tr("minutes over the objective"));
    scatter_->legend->setVisible(true);
    scatter_->legend->setFont(QFont(font().family(), 8));
    connect(scatter_, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (!sweep_ || sweep_->sweep.points.empty())
            return;
        std::size_t best = 0;
        double bestDistance = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < sweep_->sweep.points.size(); ++i) {
            const auto& s = sweep_->sweep.points[i].summary;
            const double dx = scatter_->xAxis->coordToPixel(s.cost) - event->pos().x();
            const double dy =
                scatter_->yAxis->coordToPixel(s.minutesOverObjective) - event->pos().y();
            if (dx * dx + dy * dy < bestDistance) {
                bestDistance = dx * dx + dy * dy;
                best = i;
            }
        }
        if (bestDistance < 15 * 15)
            showSweepPoint(best);
    });
    sweepReason_->setWordWrap(true);
    sweepReason_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    sweepReason_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto* reasonScroll = new QScrollArea;
    reasonScroll->setWidget(sweepReason_);
    reasonScroll->setWidgetResizable(true);
    auto* reasonSide = new QWidget;
    auto* reasonLayout = new QVBoxLayout(reasonSide);
    reasonLayout->setContentsMargins(0, 0, 0, 0);
    reasonLayout->addWidget(reasonScroll, 1);
    auto* keepRow = new QHBoxLayout;
    keepRow->addStretch(1);
    keepRow->addWidget(keepButton_);
    reasonLayout->addLayout(keepRow);
    reasonSide->setMinimumWidth(420);
    // The plot beside the recommendation (and the HPA it amounts to), not squeezed above it.
    auto* sweepPage = new QSplitter(Qt::Horizontal);
    sweepPage->addWidget(scatter_);
    sweepPage->addWidget(reasonSide);
    sweepPage->setStretchFactor(0, 3);
    sweepPage->setStretchFactor(1, 2);
    sweepPage->setChildrenCollapsible(false);

    tabs_->addTab(timelinePage, tr("Timeline"));
    tabs_->addTab(sweepPage, tr("Sweep"));
    tabs_->addTab(preview_, tr("Scenario"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addLayout(top);
    layout->addWidget(status_);
    layout->addWidget(tabs_, 1);

    connect(runButton_, &QPushButton::clicked, this, &WhatIfPanel::run);
    connect(sweepButton_, &QPushButton::clicked, this, &WhatIfPanel::startSweep);
    connect(setupButton_, &QPushButton::clicked, this, [this] { editSetup(); });
    connect(keepButton_, &QPushButton::clicked, this, &WhatIfPanel::keepRecommendation);
    connect(cancelButton_, &QPushButton::clicked, this, [this] {
        if (cancel_)
            *cancel_ = true;
        status_->setText(tr("Cancelling..."));
    });
    connect(tier_, &QComboBox::currentIndexChanged, this, &WhatIfPanel::refillPolicies);
    connect(scenario_, &QComboBox::currentIndexChanged, this, &WhatIfPanel::showScenario);
    connect(preview_, &ScenarioPreview::shown, this, &WhatIfPanel::previewShown);
    connect(&runWatcher_, &QFutureWatcher<std::shared_ptr<WhatIfRun>>::finished, this,
            &WhatIfPanel::runFinished);
    connect(&sweepWatcher_, &QFutureWatcher<std::shared_ptr<WhatIfSweep>>::finished, this,
            &WhatIfPanel::sweepFinished);
    connect(document_, &ProjectDocument::projectReset, this, &WhatIfPanel::refillChoices);
    connect(document_, &ProjectDocument::edited, this, &WhatIfPanel::refillChoices);
    status_->setText(tr("Choose a scenario and a tier, then Run; or Sweep to size the tier's "
                        "HPA."));
    refillChoices();
    setBusy(false, {});
}

WhatIfPanel::~WhatIfPanel() {
    if (cancel_)
        *cancel_ = true;
    runWatcher_.waitForFinished();
    sweepWatcher_.waitForFinished();
}

bool WhatIfPanel::isBusy() const {
    return runWatcher_.isRunning() || sweepWatcher_.isRunning();
}

void WhatIfPanel::refillChoices() {
    const auto& project = document_->project();
    const auto keep = [](QComboBox* box, const QStringList& items) {
        const auto current = box->currentText();
        QSignalBlocker block(box);
        box->clear();
        box->addItems(items);
        if (const int i = box->findText(current); i >= 0)
            box->setCurrentIndex(i);
    };
    QStringList scenarios;
    for (const auto& s : project.scenarios)
        scenarios << QString::fromStdString(s.name);
    keep(scenario_, scenarios);
    // Scalable tiers, the ones with a policy first.
    QStringList withPolicy, without;
    for (const auto& c : project.components) {
        if (c.kind != ComponentKind::Service && c.kind != ComponentKind::WorkerGroup)
            continue;
        const bool has = std::any_of(project.policies.begin(), project.policies.end(),
                                     [&](const auto& p) { return p.component == c.id; });
        (has ? withPolicy : without) << QString::fromStdString(c.id);
    }
    keep(tier_, withPolicy + without);
    refillPolicies();
    const bool ready = scenario_->count() > 0 && tier_->count() > 0;
    runButton_->setEnabled(ready && !isBusy());
    sweepButton_->setEnabled(ready && !isBusy());
    const auto none = tr("This project has no load scenarios yet: add one with Scenarios & "
                         "Policies, or open the webshop example.");
    if (scenario_->count() == 0)
        status_->setText(none);
    else if (status_->text() == none)
        status_->setText(tr("Choose a scenario and a tier, then Run; or Sweep to size the "
                            "tier's HPA."));
    showScenario();
}

void WhatIfPanel::showScenario() {
    preview_->show(document_->project(), scenario_->currentText().toStdString());
}

void WhatIfPanel::refillPolicies() {
    const auto& project = document_->project();
    // The choice stays, unless it was the only entry there was (no policy yet): then the
    // tier's first policy is the better start.
    const auto current = policy_->count() > 1 ? policy_->currentText() : QString();
    QSignalBlocker block(policy_);
    policy_->clear();
    const auto tier = tier_->currentText().toStdString();
    for (const auto& p : project.policies)
        if (p.component == tier)
            policy_->addItem(QString::fromStdString(p.name));
    policy_->addItem(tr("(drawn replicas, fixed)"), QStringLiteral("drawn"));
    if (policy_->count() > 2)
        policy_->addItem(tr("Compare all policies"), QStringLiteral("compare"));
    if (const int i = policy_->findText(current); i >= 0)
        policy_->setCurrentIndex(i);
}

void WhatIfPanel::setBusy(bool busy, const QString& what) {
    progress_->setVisible(busy);
    cancelButton_->setVisible(busy && sweepWatcher_.isRunning());
    runButton_->setEnabled(!busy && scenario_->count() > 0 && tier_->count() > 0);
    sweepButton_->setEnabled(!busy && scenario_->count() > 0 && tier_->count() > 0);
    if (busy)
        status_->setText(what);
}

void WhatIfPanel::run() {
    if (isBusy() || scenario_->count() == 0 || tier_->count() == 0)
        return;
    const auto role = policy_->currentData().toString();
    const bool compare = role == QStringLiteral("compare");
    const bool drawn = role == QStringLiteral("drawn");
    const auto policy = drawn || compare ? std::string() : policy_->currentText().toStdString();
    progress_->setRange(0, 0);
    setBusy(
        true,
        compare
            ? tr("Simulating every policy of %1...").arg(tier_->currentText())
            : tr("Simulating %1 under %2...").arg(tier_->currentText(), policy_->currentText()));
    runWatcher_.setFuture(QtConcurrent::run(
        [project = document_->project(), scenario = scenario_->currentText().toStdString(),
         tier = tier_->currentText().toStdString(), policy, compare] {
            return simulateTier(project, scenario, tier, policy, std::nullopt, {}, compare);
        }));
}

void WhatIfPanel::showSweepPoint(std::size_t index) {
    if (isBusy() || !sweep_ || index >= sweep_->sweep.points.size())
        return;
    const auto& point = sweep_->sweep.points[index];
    progress_->setRange(0, 0);
    setBusy(true, tr("Simulating %1...").arg(QString::fromStdString(point.name)));
    tabs_->setCurrentIndex(0);
    // The point's CPU request is the one its policy was sized with.
    auto project = document_->project();
    if (auto* c = project.findComponent(sweep_->sweep.component))
        c->properties["cpu_request_millicores"] = point.cpuRequestMillicores;
    runWatcher_.setFuture(QtConcurrent::run(
        [project = std::move(project), scenario = scenario_->currentText().toStdString(),
         tier = sweep_->sweep.component, spec = point.spec,
         name = point.name] { return simulateTier(project, scenario, tier, {}, spec, name); }));
}

void WhatIfPanel::startSweep() {
    if (isBusy() || scenario_->count() == 0 || tier_->count() == 0)
        return;
    const auto tier = tier_->currentText().toStdString();
    const auto* component = document_->project().findComponent(tier);
    whatif::SweepGrid grid;
    grid.metrics = {whatif::ScalingMetric::Cpu, whatif::ScalingMetric::Requests};
    if (component && component->kind == ComponentKind::WorkerGroup)
        grid.metrics.push_back(whatif::ScalingMetric::Backlog);
    grid.scaleDownWindowSeconds = {60, 300};
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    progress_->setRange(0, static_cast<int>(grid.size()));
    progress_->setValue(0);
    setBusy(true, tr("Sweeping %1 policies for %2...").arg(grid.size()).arg(tier_->currentText()));
    cancelButton_->setVisible(true);
    QPointer<QProgressBar> bar = progress_;
    sweepWatcher_.setFuture(QtConcurrent::run([project = document_->project(),
                                               scenario = scenario_->currentText().toStdString(),
                                               tier, grid, cancel = cancel_, bar] {
        auto out = std::make_shared<WhatIfSweep>();
        try {
            const auto* s = project.findScenario(scenario);
            if (!s) {
                out->error = QObject::tr("Choose a scenario.");
                return out;
            }
            whatif::SweepOptions options;
            options.progress = [cancel, bar](std::size_t done, std::size_t) {
                QMetaObject::invokeMethod(
                    bar.data(),
                    [bar, done] {
                        if (bar)
                            bar->setValue(static_cast<int>(done));
                    },
                    Qt::QueuedConnection);
                return !*cancel;
            };
            auto result = whatif::sweep(project, *s, tier, grid, {}, options);
            if (!result)
                out->error = QString::fromStdString(result.error().describe());
            else
                out->sweep = std::move(result).value();
        } catch (const std::exception& e) {
            out->error = QString::fromUtf8(e.what());
        }
        return out;
    }));
}

void WhatIfPanel::runFinished() {
    auto result = runWatcher_.result();
    setBusy(false, {});
    if (!result->error.isEmpty()) {
        status_->setText(tr("Cannot simulate: %1").arg(result->error));
        return;
    }
    shown_ = std::move(result);
    drawRun();
    const auto& s = shown_->tier.summary;
    if (!shown_->compared.empty()) {
        status_->setText(tr("%1 policies of %2 on the same load: the table has one row each.")
                             .arg(shown_->compared.size())
                             .arg(QString::fromStdString(shown_->tier.component)));
        emit runShown();
        return;
    }
    QString forecast;
    if (!shown_->tier.forecast.empty()) {
        const auto a = whatif::forecastAccuracy(shown_->tier.forecast);
        forecast = tr(" Predictive forecast against the %1 hours seen: mean absolute error "
                      "%2%, bias %3%.")
                       .arg(a.hours)
                       .arg(a.meanAbsolutePercent, 0, 'f', 1)
                       .arg(a.biasPercent, 0, 'f', 1);
    }
    status_->setText(tr("%1 under %2: %3 minutes over the %4 objective, %5.%6 Click a marker "
                        "on the replicas chart for the controller's reason.")
                         .arg(QString::fromStdString(shown_->tier.component),
                              QString::fromStdString(shown_->tier.policy))
                         .arg(s.minutesOverObjective, 0, 'f', 1)
                         .arg(latencyText(shown_->objectiveSeconds), money(s.cost), forecast));
    emit runShown();
}

void WhatIfPanel::sweepFinished() {
    auto result = sweepWatcher_.result();
    setBusy(false, {});
    cancel_.reset();
    if (!result->error.isEmpty()) {
        status_->setText(tr("Cannot sweep: %1").arg(result->error));
        return;
    }
    sweep_ = std::move(result);
    keepButton_->setEnabled(sweep_->sweep.recommended.has_value());
    drawSweep();
    tabs_->setCurrentIndex(1);
    status_->setText(sweep_->sweep.cancelled
                         ? QString::fromStdString(sweep_->sweep.reason)
                         : tr("%1 policies tried. Click a point to see its run.")
                               .arg(sweep_->sweep.points.size()));
    emit sweepShown();
}

void WhatIfPanel::drawRun() {
    const auto& primary = shown_->tier;
    const bool compare = !shown_->compared.empty();
    const std::vector<const TierRun*> runs = [&] {
        std::vector<const TierRun*> out;
        for (const auto& r : shown_->compared)
            out.push_back(&r);
        if (out.empty())
            out.push_back(&primary);
        return out;
    }();
    drawTimeline(timeline_, *shown_);

    summary_->setRowCount(static_cast<int>(runs.size()));
    for (std::size_t k = 0; k < runs.size(); ++k) {
        const auto& run = *runs[k];
        const auto& s = run.summary;
        const QStringList cells{QString::fromStdString(run.component),
                                QString::fromStdString(run.policy),
                                QString::number(s.minutesOverObjective, 'f', 1),
                                latencyText(s.peakLatencySeconds),
                                QString::number(s.droppedRequests, 'f', 0),
                                QStringLiteral("%1 / %2").arg(s.scaleUps).arg(s.scaleDowns),
                                QString::number(s.flaps),
                                QString::number(s.peakReplicas),
                                QString::number(s.instanceHours, 'f', 1),
                                money(s.cost)};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c >= 2)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (compare && c == 1)
                item->setForeground(policyColour(k));
            summary_->setItem(static_cast<int>(k), c, item);
        }
    }
    // The table shows every row (up to five) before the charts get the rest.
    const int rowHeight = summary_->verticalHeader()->defaultSectionSize();
    const int tableHeight =
        summary_->horizontalHeader()->sizeHint().height() +
        rowHeight * static_cast<int>(std::clamp<std::size_t>(runs.size(), 1, 5)) +
        2 * summary_->frameWidth() + 2;
    summary_->setMinimumHeight(tableHeight);
    summary_->setMaximumHeight(tableHeight);
}

void WhatIfPanel::drawSweep() {
    scatter_->clearGraphs();
    const auto& sweep = sweep_->sweep;
    QVector<double> allX, allY, frontX, frontY;
    for (std::size_t i = 0; i < sweep.points.size(); ++i) {
        const auto& s = sweep.points[i].summary;
        allX << s.cost;
        allY << s.minutesOverObjective;
    }
    for (const auto i : sweep.pareto) {
        frontX << sweep.points[i].summary.cost;
        frontY << sweep.points[i].summary.minutesOverObjective;
    }
    const auto scatterGraph = [&](const QString& name, const QCPScatterStyle& style,
                                  const QVector<double>& xs, const QVector<double>& ys) {
        auto* g = scatter_->addGraph();
        g->setName(name);
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(style);
        g->setData(xs, ys);
        return g;
    };
    scatterGraph(tr("policies tried"), QCPScatterStyle(QCPScatterStyle::ssCircle, kMuted, 6), allX,
                 allY);
    auto* front = scatterGraph(tr("Pareto front"),
                               QCPScatterStyle(QCPScatterStyle::ssDisc, kLoad, 7), frontX, frontY);
    front->setLineStyle(QCPGraph::lsStepLeft);
    front->setPen(QPen(kLoad, 1, Qt::DashLine));
    scatterGraph(tr("current policy"),
                 QCPScatterStyle(QCPScatterStyle::ssDiamond, kDesired, kDesired, 9),
                 {sweep.base.cost}, {sweep.base.minutesOverObjective});
    if (sweep.recommended) {
        const auto& s = sweep.points[*sweep.recommended].summary;
        scatterGraph(tr("recommended"),
                     QCPScatterStyle(QCPScatterStyle::ssStar, kServed, kServed, 14), {s.cost},
                     {s.minutesOverObjective});
    }
    scatter_->rescaleAxes();
    const auto pad = [](QCPAxis* axis) {
        const auto r = axis->range();
        const double span = std::max(r.size(), std::max(1e-6, std::abs(r.upper) * 0.1));
        axis->setRange(std::max(0.0, r.lower - span * 0.08), r.upper + span * 0.08);
    };
    pad(scatter_->xAxis);
    pad(scatter_->yAxis);
    scatter_->yAxis->setRangeLower(0);
    scatter_->yAxis->setRangeUpper(std::max(scatter_->yAxis->range().upper, 1.0));
    scatter_->replot();
    QString reason = QString::fromStdString(sweep.reason).toHtmlEscaped();
    if (sweep.recommended)
        reason += QStringLiteral("<pre style=\"font-size:8pt\">%1</pre>")
                      .arg(QString::fromStdString(
                               whatif::hpa::hpaObjectJson(sweep.points[*sweep.recommended].spec,
                                                          sweep.component))
                               .toHtmlEscaped());
    sweepReason_->setText(reason);
}

void WhatIfPanel::explainEventNear(double seconds) {
    if (!shown_ || !shown_->compared.empty() || shown_->tier.events.empty())
        return;
    const auto rects = timeline_->axisRects();
    const double span = rects[1]->axis(QCPAxis::atBottom)->range().size() * 3600;
    const whatif::ScalingEvent* nearest = nullptr;
    for (const auto& e : shown_->tier.events)
        if (!nearest || std::abs(e.atSeconds - seconds) < std::abs(nearest->atSeconds - seconds))
            nearest = &e;
    if (std::abs(nearest->atSeconds - seconds) > span * 0.02)
        return;
    const auto what =
        nearest->rollout ? tr("rolling update at %1").arg(nearest->from)
        : nearest->from == nearest->to
            ? tr("held at %1 (the metrics wanted %2)").arg(nearest->from).arg(nearest->wanted)
            : tr("%1 -> %2").arg(nearest->from).arg(nearest->to);
    status_->setText(QStringLiteral("<b>%1 %2</b> %3: %4")
                         .arg(clock(nearest->atSeconds), what.toHtmlEscaped(),
                              QString::fromStdString(nearest->condition).toHtmlEscaped(),
                              QString::fromStdString(nearest->reason).toHtmlEscaped()));
}

WhatIfSetupDialog* WhatIfPanel::editSetup(bool policies) {
    using Page = WhatIfSetupDialog::Page;
    auto* dialog =
        new WhatIfSetupDialog(document_, policies ? Page::Policies : Page::Scenarios, window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->selectScenario(scenario_->currentText());
    const bool drawn = !policy_->currentData().toString().isEmpty();
    dialog->selectPolicy(tier_->currentText(), drawn ? QString() : policy_->currentText());
    dialog->open();
    return dialog;
}

bool WhatIfPanel::keepRecommendation() {
    if (!sweep_ || !sweep_->sweep.recommended)
        return false;
    const auto& s = sweep_->sweep;
    const auto& point = s.points[*s.recommended];
    const auto& project = document_->project();
    if (!project.findComponent(s.component))
        return false;
    // Named after the point, made unique on the tier.
    std::string name = "recommended: " + point.name;
    const auto taken = [&](const std::string& n) {
        return std::any_of(project.policies.begin(), project.policies.end(), [&](const auto& p) {
            return p.component == s.component && p.name == n;
        });
    };
    for (int i = 2; taken(name); ++i)
        name = "recommended: " + point.name + " (" + std::to_string(i) + ")";
    auto policies = project.policies;
    policies.push_back(
        {name, s.component, PolicyKind::KubernetesHpa,
         nlohmann::json::parse(whatif::hpa::hpaObjectJson(point.spec, s.component)).dump()});
    DeltaBuilder builder(project);
    builder.setWhatIf({project.scenarios, policies});
    // The recommendation sized the pods' CPU request with the HPA: the request goes with it,
    // or the kept policy would run against another request than the one it was chosen for.
    auto tier = *project.findComponent(s.component);
    const double request = point.cpuRequestMillicores;
    const bool newRequest = request > 0 && tier.number("cpu_request_millicores") != request;
    if (newRequest) {
        tier.properties["cpu_request_millicores"] = request;
        builder.setComponent(tier);
    }
    document_->edit(builder.build(), tr("Keep the recommended policy"));
    if (const int i = tier_->findText(QString::fromStdString(s.component)); i >= 0)
        tier_->setCurrentIndex(i);
    refillPolicies();
    if (const int i = policy_->findText(QString::fromStdString(name)); i >= 0)
        policy_->setCurrentIndex(i);
    status_->setText(
        tr("Kept as the policy \"%1\" of %2%3: Run it, or compare it with the others; it is "
           "saved with the project.")
            .arg(QString::fromStdString(name), QString::fromStdString(s.component),
                 newRequest ? tr(", with its CPU request set to %1m").arg(request) : QString()));
    return true;
}

} // namespace headroom::ui
