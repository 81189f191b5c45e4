// The metrics dock plots the series bound to the selection, downsampled to the screen.

#include "document/project_document.h"
#include "main_window.h"
#include "panels/metrics_panel.h"
#include "storage/project_io.h"
#include "support/bare_example.h"
#include "support/temp_dir.h"

#include <QApplication>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <cmath>
#include <gtest/gtest.h>
#include <qcustomplot.h>

namespace headroom::ui {
namespace {

std::shared_ptr<const metrics::Series> wave(const std::string& name, int count) {
    std::vector<metrics::Sample> samples;
    for (int i = 0; i < count; ++i)
        samples.push_back({1'700'000'000'000 + i * 15'000LL,
                           100 + 50 * std::sin(i / 500.0) + (i == count / 2 ? 400 : 0)});
    return metrics::Series::fromSamples({name, {}, "req/s", {}}, samples);
}

TEST(MetricsPanel, PlotsTheSelectionsSeriesDownsampledAndKeepsPeaks) {
    auto project = loadProject((test::sourceDir() / "models/webshop.headroom.json").string());
    ASSERT_TRUE(project);
    project->series.clear(); // the example's own sample data
    project->series.push_back({wave("web_rps", 200'000), "web", "arrival_rate"});
    project->series.push_back({wave("db_qps", 1000), "db", "arrival_rate"});
    test::TempDir dir;
    const auto file = dir / "shop.headroom";
    ASSERT_TRUE(saveProject(*project, file));

    MainWindow window;
    window.resize(1280, 800);
    window.show();
    QSignalSpy loaded(&window, &MainWindow::loadFinished);
    window.openFile(QString::fromStdString(file.string()));
    ASSERT_TRUE(loaded.wait(10000));
    auto* panel = window.metricsPanel();

    QSignalSpy refreshed(panel, &MetricsPanel::refreshed);
    window.document()->setSelection({"web"});
    if (panel->plottedSeries() != 1 || refreshed.isEmpty()) {
        ASSERT_TRUE(refreshed.wait(10000));
    }
    ASSERT_EQ(panel->plottedSeries(), 1);
    EXPECT_EQ(panel->seriesLabel(0), "web \u00b7 Arrival rate (req/s)");
    const int width = std::max(100, panel->plot()->graph(0)->keyAxis()->axisRect()->width());
    EXPECT_LE(panel->plottedPoints(), 2 * width + 8) << "200,000 samples, screen-sized";
    EXPECT_GT(panel->plottedPoints(), 50);
    double peak = 0;
    for (const auto& point : *panel->plot()->graph(0)->data())
        peak = std::max(peak, point.value);
    EXPECT_GT(peak, 450) << "the one-sample spike is still drawn";

    // Hovering the middle of the chart shows the time and the value there.
    auto* rect = panel->plot()->graph(0)->keyAxis()->axisRect();
    const QPoint middle = rect->center();
    QMouseEvent move(QEvent::MouseMove, QPointF(middle),
                     panel->plot()->mapToGlobal(QPointF(middle)), Qt::NoButton, Qt::NoButton,
                     Qt::NoModifier);
    QApplication::sendEvent(panel->plot(), &move);
    EXPECT_TRUE(panel->hoverText().contains("UTC")) << panel->hoverText().toStdString();
    EXPECT_TRUE(panel->hoverText().contains("web \u00b7 Arrival rate (req/s): "));

    window.document()->setSelection({});
    if (panel->plottedSeries() != 2) {
        ASSERT_TRUE(refreshed.wait(10000));
    }
    EXPECT_EQ(panel->plottedSeries(), 2) << "nothing selected: every series";

    // The legend switches strips off and on, keeping the time range.
    ASSERT_NE(panel->legendButton(1), nullptr);
    EXPECT_EQ(panel->legendButton(1)->text(), "db \u00b7 Arrival rate (req/s)");
    panel->setVisibleRange(1'700'000'000 + 3600, 1'700'000'000 + 7200);
    panel->legendButton(0)->setChecked(false);
    EXPECT_EQ(panel->plottedSeries(), 1);
    EXPECT_EQ(panel->plot()->graph(0)->name(), "db \u00b7 Arrival rate (req/s)");
    EXPECT_DOUBLE_EQ(panel->visibleRange().first, 1'700'000'000 + 3600);
    panel->legendButton(0)->setChecked(true);
    EXPECT_EQ(panel->plottedSeries(), 2);

    // The range selector: dragging across it picks the range, a double-click shows all. The
    // series run from 1,700,000,000 s for 200,000 samples of 15 s (3,000,000 s).
    auto* overview = panel->overview();
    auto* strip = overview->axisRect();
    const int y = strip->center().y();
    const int left = strip->left() + strip->width() / 4;
    const int right = strip->left() + strip->width() / 2;
    QTest::mousePress(overview, Qt::LeftButton, Qt::NoModifier, QPoint(left, y));
    QTest::mouseMove(overview, QPoint(right, y));
    QMouseEvent drag(QEvent::MouseMove, QPointF(right, y), overview->mapToGlobal(QPointF(right, y)),
                     Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(overview, &drag);
    QTest::mouseRelease(overview, Qt::LeftButton, Qt::NoModifier, QPoint(right, y));
    const auto [from, to] = panel->visibleRange();
    const double span = 199'999 * 15.0;
    EXPECT_NEAR(from, 1'700'000'000 + span / 4, span / 100);
    EXPECT_NEAR(to, 1'700'000'000 + span / 2, span / 100);
    QTest::mouseDClick(overview, Qt::LeftButton, Qt::NoModifier, QPoint(right, y));
    EXPECT_DOUBLE_EQ(panel->visibleRange().first, 1'700'000'000);
    EXPECT_DOUBLE_EQ(panel->visibleRange().second, 1'700'000'000 + span);

    window.document()->setSelection({"alb"});
    EXPECT_EQ(panel->plottedSeries(), 0);
}

} // namespace
} // namespace headroom::ui

#include "canvas/component_item.h"
#include "canvas/topology_scene.h"
#include "canvas/topology_view.h"
#include "dialogs/import_metrics_dialog.h"

#include <QApplication>
#include <QMimeData>
#include <QUrl>

namespace headroom::ui {
namespace {

class ImportDialog : public ::testing::Test {
  protected:
    void SetUp() override {
        window.resize(1280, 800);
        window.show();
        QSignalSpy loaded(&window, &MainWindow::loadFinished);
        window.openFile(QString::fromStdString(test::bareExample(dir, "webshop").string()));
        ASSERT_TRUE(loaded.wait(10000));
        test::writeFile(dir / "rps.csv", "time,rps\n1709294400,100\n1709294415,120\n");
        test::writeFile(dir / "bad.csv", "time,rps\n1709294400,100\n1709294415,oops\n");
    }
    QString file(const char* name) { return QString::fromStdString((dir / name).string()); }

    test::TempDir dir;
    MainWindow window;
};

TEST_F(ImportDialog, ImportsInTheBackgroundBindsAndIsOneUndoStep) {
    auto* dialog = window.importMetrics(file("rps.csv"), "web");
    QSignalSpy imported(dialog, &ImportMetricsDialog::imported);
    dialog->startImport();
    ASSERT_TRUE(imported.wait(10000));
    const auto& series = window.document()->project().series;
    ASSERT_EQ(series.size(), 1u);
    EXPECT_EQ(series[0].component, "web");
    EXPECT_EQ(series[0].role, "arrival_rate");
    EXPECT_EQ(series[0].data->size(), 2u);
    EXPECT_TRUE(window.isWindowModified());
    EXPECT_TRUE(dialog->errorText().contains("Imported 1 series, 2 samples"));
    window.document()->undoStack()->undo();
    EXPECT_TRUE(window.document()->project().series.empty());
    dialog->close();
}

TEST_F(ImportDialog, ABadFileShowsWhereAndImportsNothing) {
    auto* dialog = window.importMetrics(file("bad.csv"), "web");
    QSignalSpy failed(dialog, &ImportMetricsDialog::failed);
    dialog->startImport();
    ASSERT_TRUE(failed.wait(10000));
    EXPECT_TRUE(dialog->errorText().contains("line 3, column 2: not a number: 'oops'"))
        << dialog->errorText().toStdString();
    EXPECT_TRUE(window.document()->project().series.empty());
    EXPECT_FALSE(window.isWindowModified());
    dialog->close();
}

TEST_F(ImportDialog, DroppingAFileOnAComponentOpensTheImportBoundToIt) {
    auto* view = window.view();
    view->resetZoom();
    auto* web = window.scene()->componentItem("web");
    view->centerOn(web);
    const QPoint at = view->mapFromScene(web->pos());
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(file("rps.csv"))});
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &enter);
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &drop);
    auto* dialog = window.findChild<ImportMetricsDialog*>();
    ASSERT_NE(dialog, nullptr);
    QSignalSpy imported(dialog, &ImportMetricsDialog::imported);
    dialog->startImport();
    ASSERT_TRUE(imported.wait(10000));
    EXPECT_EQ(window.document()->project().series.at(0).component, "web");
    dialog->close();
}

} // namespace
} // namespace headroom::ui

#include "editor/edit_actions.h"

namespace headroom::ui {
namespace {

TEST(MetricsPanel, DeletingAComponentUnbindsItsSeriesAndUndoRebindsThem) {
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    QSignalSpy loaded(&window, &MainWindow::loadFinished);
    window.openFile(
        QString::fromStdString((test::sourceDir() / "models/webshop.headroom.json").string()));
    ASSERT_TRUE(loaded.wait(10000));
    auto* panel = window.metricsPanel();
    QSignalSpy refreshed(panel, &MetricsPanel::refreshed);
    window.document()->setSelection({"web"});
    if (panel->plottedSeries() != 4) {
        ASSERT_TRUE(refreshed.wait(10000));
    }
    ASSERT_EQ(panel->plottedSeries(), 4);

    window.editActions()->deleteSelection();
    const auto& series = window.document()->project().series;
    ASSERT_EQ(series.size(), 4u) << "measurements are kept";
    for (const auto& entry : series)
        EXPECT_TRUE(entry.component.empty());
    EXPECT_EQ(panel->seriesLabel(0), "rps (req/s)") << "shown unbound, under their own name";

    window.document()->undoStack()->undo();
    EXPECT_EQ(series[0].component, "web");
    EXPECT_EQ(series[3].role, "replica_count");
    window.document()->setSelection({"web"});
    EXPECT_EQ(panel->plottedSeries(), 4);

    // The legend's menu: unbind one series, remove another; each one undo step.
    panel->unbindSeries(1); // CPU
    EXPECT_EQ(series[1].component, "");
    EXPECT_EQ(series[1].role, "");
    EXPECT_EQ(panel->plottedSeries(), 3) << "no longer the selection's";
    window.document()->setSelection({});
    panel->removeSeries(0); // rps
    ASSERT_EQ(window.document()->project().series.size(), 3u);
    EXPECT_EQ(window.document()->project().series[0].data->info().name, "cpu_percent");
    window.document()->undoStack()->undo();
    window.document()->undoStack()->undo();
    ASSERT_EQ(window.document()->project().series.size(), 4u);
    EXPECT_EQ(window.document()->project().series[1].component, "web");
}

} // namespace
} // namespace headroom::ui
