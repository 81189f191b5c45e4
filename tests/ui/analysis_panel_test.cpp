// The analysis dock and the canvas colours follow the document: the figures are core's (the same
// the CLI prints), the load slider re-analyses, an edit re-analyses, a finding selects its
// components. Set HEADROOM_SCREENSHOTS to a folder to also save pictures of the dock.

#include "analysis/analysis_runner.h"
#include "canvas/component_item.h"
#include "canvas/link_item.h"
#include "canvas/topology_scene.h"
#include "document/project_document.h"
#include "main_window.h"
#include "panels/analysis_panel.h"
#include "storage/project_io.h"
#include "support/temp_dir.h"

#include <QAbstractItemModel>
#include <QDir>
#include <QSignalSpy>
#include <QTableView>
#include <QTextBrowser>
#include <QUrl>
#include <gtest/gtest.h>
#include <qcustomplot.h>

namespace headroom::ui {
namespace {

/// Waits until the runner has published an analysis of the document as it is now.
bool settle(MainWindow& window) {
    auto* runner = window.analysisRunner();
    for (int i = 0; i < 100; ++i) {
        const auto latest = runner->latest();
        if (!runner->isBusy() && latest && latest->revision == window.document()->revision())
            return true;
        QSignalSpy updated(runner, &AnalysisRunner::updated);
        updated.wait(100);
    }
    return false;
}

void openWebshop(MainWindow& window) {
    window.resize(1280, 800);
    window.show();
    QSignalSpy loaded(&window, &MainWindow::loadFinished);
    window.openFile(
        QString::fromStdString((test::sourceDir() / "models/webshop.headroom.json").string()));
    ASSERT_TRUE(loaded.wait(10000));
    ASSERT_TRUE(settle(window));
}

void screenshot(QWidget& widget, const char* name) {
    QCoreApplication::processEvents(); // the layout requests a refresh posted
    const QByteArray folder = qgetenv("HEADROOM_SCREENSHOTS");
    if (!folder.isEmpty())
        widget.grab().save(QDir(QString::fromLocal8Bit(folder)).filePath(name));
}

TEST(AnalysisPanel, CanvasShowsCoresFiguresAndTheBottleneck) {
    MainWindow window;
    openWebshop(window);
    const auto expected = analysis::analyze(window.document()->project());
    auto* scene = window.scene();
    for (const auto& c : expected.components) {
        auto* item = scene->componentItem(QString::fromStdString(c.id));
        ASSERT_TRUE(item) << c.id;
        if (!c.station.binding()) {
            EXPECT_FALSE(item->heat()) << c.id << " has no limit to colour by";
            continue;
        }
        ASSERT_TRUE(item->heat()) << c.id;
        EXPECT_DOUBLE_EQ(item->heat()->utilisation, c.station.binding()->utilisation) << c.id;
        EXPECT_EQ(item->heat()->bottleneck, c.id == "replicas") << c.id;
    }
    // Links carry their rates: the balancer forwards 179.2 req/s to the web tier (400 in,
    // 60% static of which the CDN answers 92%: 400 x (1 - 0.552)).
    bool found = false;
    for (const auto& link : window.document()->project().links)
        if (link.from == "alb" && link.to == "web") {
            EXPECT_TRUE(scene->linkItem(QString::fromStdString(link.id))->label().endsWith("179/s"))
                << scene->linkItem(QString::fromStdString(link.id))->label().toStdString();
            found = true;
        }
    EXPECT_TRUE(found);
    EXPECT_TRUE(window.analysisPanel()->summary()->text().contains("<b>replicas</b>"));
}

TEST(AnalysisPanel, TheLoadSliderTurnsTheReplicasRedFirst) {
    MainWindow window;
    openWebshop(window);
    window.showAnalysisDock();
    auto* panel = window.analysisPanel();
    panel->setLoadMultiplier(2.6);
    ASSERT_TRUE(settle(window));
    ASSERT_EQ(window.analysisRunner()->latest()->result.options.loadMultiplier, 2.6);
    QString hottest;
    double most = 0;
    for (const auto& c : window.document()->project().components) {
        auto* item = window.scene()->componentItem(QString::fromStdString(c.id));
        if (item->heat() && item->heat()->utilisation > most) {
            most = item->heat()->utilisation;
            hottest = item->componentId();
        }
    }
    EXPECT_EQ(hottest, "replicas");
    EXPECT_GE(most, 0.85) << "red on the canvas scale";
    // Sorting the table by utilisation puts it on top.
    panel->table()->sortByColumn(3, Qt::DescendingOrder);
    EXPECT_EQ(panel->table()->model()->index(0, 0).data().toString(), "replicas");
    screenshot(window, "analysis-webshop-x2.6.png");
}

TEST(AnalysisPanel, AnEditIsAnalysedAgain) {
    MainWindow window;
    openWebshop(window);
    const auto before = window.analysisRunner()->latest();
    auto* document = window.document();
    DeltaBuilder edit(document->project());
    auto web = *document->project().findComponent("web");
    web.properties["replicas"] = std::int64_t{12}; // twice the clones: half the CPU each
    edit.setComponent(web);
    document->edit(edit.build(), "More web clones");
    ASSERT_TRUE(settle(window));
    const auto after = window.analysisRunner()->latest();
    ASSERT_NE(before, after);
    const auto util = [](const AnalysisSnapshot& s) {
        for (const auto& c : s.result.components)
            if (c.id == "web")
                return c.station.resources.front().utilisation; // CPU
        return -1.0;
    };
    EXPECT_NEAR(util(*after), util(*before) / 2, 1e-12);
    EXPECT_NEAR(window.scene()->componentItem("web")->heat()->utilisation,
                window.analysisRunner()->latest()->result.components[3].station.utilisation(),
                1e-15);
}

TEST(AnalysisPanel, AFindingSelectsItsComponentsAndTheCurveFollowsTheSelection) {
    MainWindow window;
    openWebshop(window);
    auto* panel = window.analysisPanel();
    const auto& findings = window.analysisRunner()->latest()->findings;
    ASSERT_FALSE(findings.empty());
    emit panel->findings()->anchorClicked(QUrl(QStringLiteral("finding:0")));
    QStringList expected;
    for (const auto& id : findings[0].components)
        expected << QString::fromStdString(id);
    EXPECT_EQ(window.document()->selectedComponents(), expected);

    window.document()->setSelection({"web"});
    ASSERT_TRUE(settle(window));
    const auto latest = window.analysisRunner()->latest();
    EXPECT_EQ(latest->curveComponent, "web");
    ASSERT_GT(latest->curve.size(), 10u);
    // The curve ends just past web's saturation, where its response is no longer finite.
    EXPECT_FALSE(latest->curve.back().meanResponse);
    EXPECT_TRUE(latest->curve.front().meanResponse);
    EXPECT_EQ(panel->chart()->graphCount(), 3);
    panel->showChart();
    window.showAnalysisDock();
    screenshot(window, "analysis-webshop-curve.png");
}

TEST(AnalysisPanel, UsersTabShowsTheClosedViewTheCliPrints) {
    MainWindow window;
    openWebshop(window);
    window.showAnalysisDock();
    auto* panel = window.analysisPanel();
    panel->showUsers();
    const auto latest = window.analysisRunner()->latest();
    ASSERT_TRUE(latest->users) << latest->usersError.toStdString();
    // The same figures as headroom-cli users: core's closedWorkload on the same analysis.
    const auto expected = analysis::closedWorkload(window.document()->project(), latest->result);
    ASSERT_TRUE(expected);
    EXPECT_NEAR(*latest->users->maxThroughput, *expected->maxThroughput, 1e-9);
    EXPECT_NEAR(*latest->users->usersNow, *expected->usersNow, 1e-9);
    const auto text = panel->usersSummary()->text();
    EXPECT_TRUE(
        text.contains(QStringLiteral("about <b>%1 users</b>").arg(*expected->usersNow, 0, 'f', 0)))
        << text.toStdString();
    EXPECT_TRUE(text.contains("replicas is the bottleneck")) << text.toStdString();
    ASSERT_EQ(panel->usersChart()->graphCount(), 2);
    // The throughput curve ends at the bottleneck's ceiling, 1 / Dmax.
    const auto* throughput = panel->usersChart()->graph(0)->data().data();
    EXPECT_NEAR((throughput->constEnd() - 1)->value, *expected->maxThroughput,
                0.01 * *expected->maxThroughput);
    screenshot(window, "analysis-webshop-users.png");
    // Past the replicas' saturation (x3.05) the load shown has no demands to take: the tab
    // keeps the view from the drawn load and says so.
    panel->setLoadMultiplier(3.5);
    ASSERT_TRUE(settle(window));
    const auto past = window.analysisRunner()->latest();
    ASSERT_TRUE(past->users) << past->usersError.toStdString();
    EXPECT_NEAR(*past->users->usersNow, *expected->usersNow, 1e-9);
    EXPECT_TRUE(panel->usersSummary()->text().contains("drawn load (x1)"));
    screenshot(window, "analysis-webshop-users-x3.5.png");
}

} // namespace
} // namespace headroom::ui
