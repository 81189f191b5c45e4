// The what-if dock runs core's simulation and sweep on worker threads and shows their numbers
// (the same the CLI prints): the webshop's Black Friday week under its web HPA, then a sweep
// whose recommended point, clicked, shows its own run. Set HEADROOM_SCREENSHOTS to a folder to
// also save pictures of the dock.

#include "document/project_document.h"
#include "main_window.h"
#include "panels/scenario_preview.h"
#include "panels/whatif_panel.h"
#include "support/temp_dir.h"
#include "whatif/simulation.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <gtest/gtest.h>
#include <qcustomplot.h>

namespace headroom::ui {
namespace {

void screenshot(QWidget& widget, const char* name) {
    const QByteArray folder = qgetenv("HEADROOM_SCREENSHOTS");
    QCoreApplication::sendPostedEvents(); // pending layout requests, as the event loop would
    if (!folder.isEmpty())
        widget.grab().save(QDir(QString::fromLocal8Bit(folder)).filePath(name));
}

void openWebshop(MainWindow& window) {
    window.resize(1280, 800);
    window.show();
    QSignalSpy loaded(&window, &MainWindow::loadFinished);
    window.openFile(
        QString::fromStdString((test::sourceDir() / "models/webshop.headroom.json").string()));
    ASSERT_TRUE(loaded.wait(10000));
}

/// The webshop open, the What-if dock raised on the Black Friday week and web.
WhatIfPanel* webshopDock(MainWindow& window) {
    openWebshop(window);
    auto* panel = window.whatIfPanel();
    window.findChild<QDockWidget*>("whatIfDock")->raise();
    panel->scenarioBox()->setCurrentText("Black Friday week");
    panel->tierBox()->setCurrentText("web");
    return panel;
}

QCPGraph* graphNamed(QCustomPlot* plot, const QString& name) {
    for (int i = 0; i < plot->graphCount(); ++i)
        if (plot->graph(i)->name() == name)
            return plot->graph(i);
    return nullptr;
}

QString cell(QTableWidget* table, int column) {
    return table->item(0, column) ? table->item(0, column)->text() : QString();
}

TEST(WhatIfPanel, ShowsCoresRunOfTheChosenScenarioAndPolicy) {
    MainWindow window;
    openWebshop(window);
    auto* panel = window.whatIfPanel();
    window.findChild<QDockWidget*>("whatIfDock")->raise();
    ASSERT_GE(panel->scenarioBox()->findText("Black Friday week"), 0);
    panel->scenarioBox()->setCurrentText("Black Friday week");
    panel->tierBox()->setCurrentText("web");
    panel->policyBox()->setCurrentText("web HPA, CPU 60%");
    QSignalSpy shown(panel, &WhatIfPanel::runShown);
    panel->run();
    ASSERT_TRUE(shown.wait(20000)) << panel->status()->text().toStdString();

    whatif::SimulationOptions options;
    options.component = "web";
    options.policy = "web HPA, CPU 60%";
    const auto& project = window.document()->project();
    const auto expected =
        whatif::simulate(project, *project.findScenario("Black Friday week"), options);
    ASSERT_TRUE(expected);
    const auto& s = expected->tiers.at(0).summary;
    auto* table = panel->summaryTable();
    EXPECT_EQ(cell(table, 0), "web");
    EXPECT_EQ(cell(table, 1), "web HPA, CPU 60%");
    EXPECT_EQ(cell(table, 2), QString::number(s.minutesOverObjective, 'f', 1));
    EXPECT_EQ(cell(table, 5), QStringLiteral("%1 / %2").arg(s.scaleUps).arg(s.scaleDowns));
    EXPECT_EQ(cell(table, 7), QString::number(s.peakReplicas));
    EXPECT_EQ(cell(table, 9), QStringLiteral("%1 USD").arg(s.cost, 0, 'f', 2));
    // Four charts over the week's 40,320 ticks; the replicas chart marks every event.
    ASSERT_EQ(panel->timeline()->axisRects().size(), 4);
    EXPECT_EQ(panel->timeline()->graph(0)->dataCount(), 40320);
    const auto& events = expected->tiers.at(0).events;
    EXPECT_EQ(graphNamed(panel->timeline(), "scaled")->dataCount() +
                  graphNamed(panel->timeline(), "held")->dataCount(),
              static_cast<int>(events.size()));
    screenshot(*panel, "whatif-timeline.png");
    screenshot(window, "whatif-window.png");
}

TEST(WhatIfPanel, APredictivePolicyShowsItsForecastBesideTheLoad) {
    MainWindow window;
    auto* panel = webshopDock(window);
    const QString policy = "web as an EC2 group, CPU 50% + predictive";
    ASSERT_GE(panel->policyBox()->findText(policy), 0);
    panel->policyBox()->setCurrentText(policy);
    QSignalSpy shown(panel, &WhatIfPanel::runShown);
    panel->run();
    ASSERT_TRUE(shown.wait(20000)) << panel->status()->text().toStdString();
    const auto& run = panel->shownRun()->tier;
    ASSERT_FALSE(run.forecast.empty());
    // The forecast, one point an hour, and the capacity it called for.
    auto* plot = panel->timeline();
    auto* forecast = graphNamed(plot, "forecast");
    ASSERT_TRUE(forecast);
    EXPECT_EQ(forecast->dataCount(), static_cast<int>(run.forecast.size()));
    EXPECT_DOUBLE_EQ(forecast->data()->at(0)->value, run.forecast.front().forecastRps);
    auto* capacity = graphNamed(plot, "forecast capacity");
    ASSERT_TRUE(capacity);
    EXPECT_DOUBLE_EQ(capacity->data()->at(0)->value, run.forecast.front().forecastCapacity);
    const auto accuracy = whatif::forecastAccuracy(run.forecast);
    EXPECT_TRUE(panel->status()->text().contains(
        QStringLiteral("mean absolute error %1%").arg(accuracy.meanAbsolutePercent, 0, 'f', 1)))
        << panel->status()->text().toStdString();
    screenshot(*panel, "whatif-predictive.png");
}

TEST(WhatIfPanel, ComparesEveryPolicyOfATierOnTheSameLoad) {
    MainWindow window;
    auto* panel = webshopDock(window);
    ASSERT_GE(panel->policyBox()->findText("Compare all policies"), 0);
    panel->policyBox()->setCurrentText("Compare all policies");
    QSignalSpy shown(panel, &WhatIfPanel::runShown);
    panel->run();
    ASSERT_TRUE(shown.wait(30000)) << panel->status()->text().toStdString();
    const auto& project = window.document()->project();
    std::vector<std::string> names;
    for (const auto& p : project.policies)
        if (p.component == "web")
            names.push_back(p.name);
    ASSERT_EQ(panel->shownRun()->compared.size(), names.size());
    auto* table = panel->summaryTable();
    ASSERT_EQ(table->rowCount(), static_cast<int>(names.size()));
    whatif::SimulationOptions options;
    options.component = "web";
    for (std::size_t k = 0; k < names.size(); ++k) {
        options.policy = names[k];
        const auto expected =
            whatif::simulate(project, *project.findScenario("Black Friday week"), options);
        ASSERT_TRUE(expected);
        const auto row = static_cast<int>(k);
        EXPECT_EQ(table->item(row, 1)->text().toStdString(), names[k]);
        EXPECT_EQ(table->item(row, 9)->text(),
                  QStringLiteral("%1 USD").arg(expected->tiers.at(0).summary.cost, 0, 'f', 2));
    }
    // The load once, each policy's replicas, latency and cost, the objective, and the cost
    // chart's note that the colours are the policies'.
    EXPECT_EQ(panel->timeline()->graphCount(), 1 + 3 * static_cast<int>(names.size()) + 2);
    screenshot(*panel, "whatif-compare.png");
}

TEST(WhatIfPanel, SweepRecommendsAndAPointShowsItsRun) {
    MainWindow window;
    auto* panel = webshopDock(window);
    QSignalSpy swept(panel, &WhatIfPanel::sweepShown);
    panel->startSweep();
    EXPECT_TRUE(panel->isBusy());
    ASSERT_TRUE(swept.wait(60000)) << panel->status()->text().toStdString();
    const auto* sweep = panel->shownSweep();
    ASSERT_TRUE(sweep && sweep->error.isEmpty());
    EXPECT_EQ(sweep->sweep.points.size(), 24u); // cpu and requests x 6 targets x 2 windows
    ASSERT_TRUE(sweep->sweep.recommended);
    EXPECT_EQ(panel->tabs()->currentIndex(), 1);
    screenshot(*panel, "whatif-sweep.png");

    QSignalSpy shown(panel, &WhatIfPanel::runShown);
    panel->showSweepPoint(*sweep->sweep.recommended);
    ASSERT_TRUE(shown.wait(20000)) << panel->status()->text().toStdString();
    const auto& point = sweep->sweep.points[*sweep->sweep.recommended];
    EXPECT_EQ(panel->shownRun()->tier.policy, point.name);
    EXPECT_NEAR(panel->shownRun()->tier.summary.cost, point.summary.cost, 1e-9);
    EXPECT_EQ(panel->tabs()->currentIndex(), 0);
}

TEST(WhatIfPanel, TheScenarioTabPreviewsTheLoadAndItsDeploys) {
    MainWindow window;
    openWebshop(window);
    auto* panel = window.whatIfPanel();
    window.findChild<QDockWidget*>("whatIfDock")->raise();
    QSignalSpy previewed(panel, &WhatIfPanel::previewShown);
    panel->scenarioBox()->setCurrentText("Black Friday, deploy at the peak");
    ASSERT_TRUE(previewed.wait(10000));
    while (panel->preview()->plot()->graphCount() == 0 ||
           !panel->preview()->text()->text().contains("deploy at the peak"))
        ASSERT_TRUE(previewed.wait(10000));
    panel->tabs()->setCurrentIndex(2);
    // A week at a minute a point; the deploy marked; what the scenario is made of in words.
    EXPECT_EQ(panel->preview()->plot()->graph(0)->dataCount(), 7 * 24 * 60);
    EXPECT_EQ(panel->preview()->plot()->itemCount(), 1);
    const auto text = panel->preview()->text()->text();
    EXPECT_TRUE(text.contains("a rolling deploy of web at hour 114.17")) << text.toStdString();
    EXPECT_TRUE(text.contains("spike")) << text.toStdString();
    screenshot(*panel, "whatif-scenario.png");
}

TEST(WhatIfPanel, AProjectWithoutScenariosSaysWhatToDo) {
    ProjectDocument document;
    WhatIfPanel panel(&document);
    EXPECT_TRUE(panel.status()->text().contains("no load scenarios"));
    panel.run(); // nothing to run: no crash, nothing started
    EXPECT_FALSE(panel.isBusy());
}

} // namespace
} // namespace headroom::ui
