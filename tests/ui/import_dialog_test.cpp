// The import dialog's mapping step and its Prometheus page. Set HEADROOM_SCREENSHOTS to a folder
// to keep pictures of the dialog as these tests leave it.

#include "dialogs/import_metrics_dialog.h"
#include "dialogs/prometheus_source.h"
#include "dialogs/series_mapping.h"
#include "document/project_document.h"
#include "main_window.h"
#include "support/bare_example.h"
#include "support/fake_http_server.h"
#include "support/temp_dir.h"

#include <QComboBox>
#include <QSignalSpy>
#include <gtest/gtest.h>

namespace headroom::ui {
namespace {

void keepPicture(QWidget* widget, const char* name) {
    const QByteArray folder = qgetenv("HEADROOM_SCREENSHOTS");
    if (!folder.isEmpty())
        widget->grab().save(QString::fromUtf8(folder) + "/" + name);
}

class ImportMapping : public ::testing::Test {
  protected:
    void SetUp() override {
        window.resize(1280, 800);
        window.show();
        QSignalSpy loaded(&window, &MainWindow::loadFinished);
        window.openFile(QString::fromStdString(test::bareExample(dir, "webshop").string()));
        ASSERT_TRUE(loaded.wait(10000));
        test::writeFile(dir / "web.csv", "time,rps,cpu_percent,p95_latency_seconds\n"
                                         "2026-11-20T00:00:00Z,100,40,0.120\n"
                                         "2026-11-20T00:00:15Z,120,45,0.135\n"
                                         "2026-11-20T00:00:30Z,,50,0.150\n");
    }
    QString file(const char* name) { return QString::fromStdString((dir / name).string()); }
    QComboBox* cell(int row, int column) {
        return qobject_cast<QComboBox*>(dialog->mapping()->cellWidget(row, column));
    }

    test::TempDir dir;
    MainWindow window;
    ImportMetricsDialog* dialog = nullptr;
};

TEST_F(ImportMapping, EachColumnIsBoundByWhatItsNameSaysWithItsUnit) {
    dialog = window.importMetrics({}, "web");
    QSignalSpy read(dialog, &ImportMetricsDialog::readFinished);
    dialog->setFile(file("web.csv"));
    ASSERT_TRUE(read.wait(10000)) << dialog->errorText().toStdString();
    auto* table = dialog->mapping();
    ASSERT_EQ(table->rowCount(), 3);
    EXPECT_EQ(table->item(0, 1)->text(), "rps");
    EXPECT_EQ(table->item(0, 2)->text(), "2") << "the empty cell is a gap";
    EXPECT_EQ(table->item(2, 6)->text(), "0.15");
    EXPECT_EQ(cell(1, 8)->currentData().toString(), "cpu_utilization");
    EXPECT_EQ(cell(1, 9)->currentData().toString(), "%");
    EXPECT_EQ(cell(2, 8)->currentData().toString(), "latency_p95");
    EXPECT_EQ(cell(2, 9)->currentData().toString(), "s");
    for (int row = 0; row < 3; ++row)
        EXPECT_EQ(cell(row, 7)->currentData().toString(), "web");
    keepPicture(dialog, "import-mapping.png");

    // Leave the CPU column out; import the other two as one undoable step.
    table->item(1, 0)->setCheckState(Qt::Unchecked);
    QSignalSpy imported(dialog, &ImportMetricsDialog::imported);
    dialog->startImport();
    ASSERT_EQ(imported.count(), 1) << dialog->errorText().toStdString();
    const auto& series = window.document()->project().series;
    ASSERT_EQ(series.size(), 2u);
    EXPECT_EQ(series[0].role, "arrival_rate");
    EXPECT_EQ(series[0].data->info().unit, "req/s");
    EXPECT_EQ(series[1].role, "latency_p95");
    EXPECT_EQ(series[1].data->info().unit, "s");
    // 0.150 s is 150 ms in the role's unit.
    EXPECT_DOUBLE_EQ(0.150 * *roleUnitFactor(window.document()->project(), series[1]), 150);
    EXPECT_TRUE(dialog->errorText().contains("Imported 2 series, 5 samples; 2 bound"))
        << dialog->errorText().toStdString();
    window.document()->undoStack()->undo();
    EXPECT_TRUE(window.document()->project().series.empty());
    dialog->close();
}

TEST_F(ImportMapping, AUnitTheRoleCannotTakeIsRefusedAndNothingImported) {
    dialog = window.importMetrics({}, "web");
    QSignalSpy read(dialog, &ImportMetricsDialog::readFinished);
    dialog->setFile(file("web.csv"));
    ASSERT_TRUE(read.wait(10000));
    // CPU in cores needs a CPU request: the load balancer has none.
    cell(1, 7)->setCurrentIndex(cell(1, 7)->findData("alb"));
    cell(1, 9)->setCurrentIndex(cell(1, 9)->findData("cores"));
    QSignalSpy failed(dialog, &ImportMetricsDialog::failed);
    dialog->startImport();
    ASSERT_EQ(failed.count(), 1);
    EXPECT_TRUE(dialog->errorText().contains("CPU request")) << dialog->errorText().toStdString();
    EXPECT_TRUE(window.document()->project().series.empty());
    dialog->close();
}

TEST_F(ImportMapping, PrometheusPageFetchesInTheBackgroundAndShowsServerErrors) {
    const QByteArray matrix = R"({"status":"success","data":{"resultType":"matrix","result":[
      {"metric":{"__name__":"http_requests_per_second","job":"web"},
       "values":[[1795132800,"410"],[1795132815,"432.5"],[1795132830,"455"]]}]}})";
    test::FakeServer server([&](const QByteArray& request) -> std::optional<test::Reply> {
        if (request.contains("query=bad"))
            return test::Reply{
                400, "application/json",
                R"({"status":"error","errorType":"bad_data","error":"1:4: parse error: unexpected end of input"})"};
        return test::Reply{200, "application/json", matrix};
    });
    dialog = window.importMetrics({}, "web");
    auto* page = dialog->showPrometheus();
    page->setServer(QString::fromStdString(server.url()));
    page->setRange("2026-11-20T00:00:00Z", "2026-11-20T00:00:30Z", "15s");

    page->setQuery("bad(");
    QSignalSpy failed(dialog, &ImportMetricsDialog::failed);
    dialog->read();
    ASSERT_TRUE(failed.wait(10000));
    EXPECT_TRUE(dialog->errorText().contains("bad_data: 1:4: parse error"))
        << dialog->errorText().toStdString();

    page->setQuery("sum(rate(http_requests_total{job=\"web\"}[5m]))");
    QSignalSpy read(dialog, &ImportMetricsDialog::readFinished);
    dialog->read();
    ASSERT_TRUE(read.wait(10000)) << dialog->errorText().toStdString();
    ASSERT_EQ(dialog->mapping()->rowCount(), 1);
    EXPECT_EQ(cell(0, 8)->currentData().toString(), "arrival_rate");
    keepPicture(dialog, "import-prometheus.png");
    QSignalSpy imported(dialog, &ImportMetricsDialog::imported);
    dialog->startImport();
    ASSERT_EQ(imported.count(), 1);
    const auto& entry = window.document()->project().series.at(0);
    EXPECT_EQ(entry.component, "web");
    EXPECT_EQ(entry.data->info().source.kind, "prometheus");
    EXPECT_EQ(entry.data->info().source.stepMs, 15'000);
    EXPECT_EQ(entry.data->size(), 3u);
    dialog->close();
}

TEST_F(ImportMapping, AnUnreachableServerSaysSoAndTypingMistakesNameTheField) {
    dialog = window.importMetrics({}, "web");
    auto* page = dialog->showPrometheus();
    page->setServer("http://127.0.0.1:1");
    page->setQuery("up");
    page->setRange("now-1h", "now", "15x");
    QSignalSpy failed(dialog, &ImportMetricsDialog::failed);
    dialog->read();
    ASSERT_EQ(failed.count(), 1);
    EXPECT_TRUE(dialog->errorText().contains("Step: not a duration: '15x'"))
        << dialog->errorText().toStdString();
    page->setRange("now-1h", "now", "15s");
    dialog->read();
    ASSERT_TRUE(failed.wait(10000));
    EXPECT_TRUE(dialog->errorText().contains("could not reach the server"))
        << dialog->errorText().toStdString();
    dialog->close();
}

} // namespace
} // namespace headroom::ui
