#include "canvas/component_item.h"
#include "canvas/link_item.h"
#include "canvas/topology_scene.h"
#include "canvas/topology_view.h"
#include "canvas/zone_item.h"
#include "document/project_document.h"
#include "editor/edit_actions.h"
#include "main_window.h"
#include "panels/problems_panel.h"
#include "panels/property_panel.h"
#include "storage/project_io.h"
#include "support/temp_dir.h"

#include <QApplication>
#include <QLineEdit>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>

namespace headroom::ui {
namespace {

QString examplePath(const std::string& name) {
    return QString::fromStdString(
        (test::sourceDir() / "models" / (name + ".headroom.json")).string());
}

/// Opens a file in the window and waits for the background load to finish.
bool openAndWait(MainWindow& window, const QString& path) {
    QSignalSpy finished(&window, &MainWindow::loadFinished);
    window.openFile(path);
    if (!finished.wait(10000))
        return false;
    return finished.front().front().toBool();
}

class OpenExample : public ::testing::TestWithParam<std::string> {};

TEST_P(OpenExample, SceneHasOneItemPerModelObjectAtItsPosition) {
    MainWindow window;
    window.show();
    ASSERT_TRUE(openAndWait(window, examplePath(GetParam())));
    const auto expected = loadProject(examplePath(GetParam()).toStdString());
    ASSERT_TRUE(expected);
    const auto& project = window.document()->project();
    EXPECT_EQ(project, *expected);

    auto* scene = window.scene();
    EXPECT_EQ(scene->componentCount(), static_cast<int>(project.components.size()));
    EXPECT_EQ(scene->linkCount(), static_cast<int>(project.links.size()));
    EXPECT_EQ(scene->zoneCount(), static_cast<int>(project.zones.size()));
    int componentItems = 0, linkItems = 0, zoneItems = 0;
    for (auto* item : scene->items()) {
        componentItems += item->type() == ComponentItem::Type;
        linkItems += item->type() == LinkItem::Type;
        zoneItems += item->type() == ZoneItem::Type;
    }
    EXPECT_EQ(componentItems, static_cast<int>(project.components.size()));
    EXPECT_EQ(linkItems, static_cast<int>(project.links.size()));
    EXPECT_EQ(zoneItems, static_cast<int>(project.zones.size()));
    for (const auto& c : project.components) {
        auto* item = scene->componentItem(qs(c.id));
        ASSERT_NE(item, nullptr) << c.id;
        EXPECT_EQ(item->pos(), QPointF(c.position.x, c.position.y)) << c.id;
    }
    EXPECT_TRUE(
        window.windowTitle().startsWith(QString::fromStdString(GetParam()) + ".headroom.json[*]"))
        << window.windowTitle().toStdString();
    EXPECT_FALSE(window.isWindowModified());
    EXPECT_EQ(window.problemsPanel()->errorCount(), 0);
    // Zoom to fit leaves every component in view.
    const QRect visible = window.view()->viewport()->rect();
    for (const auto& c : project.components) {
        const QPoint at = window.view()->mapFromScene(QPointF(c.position.x, c.position.y));
        EXPECT_TRUE(visible.contains(at)) << c.id;
    }
}

INSTANTIATE_TEST_SUITE_P(Models, OpenExample,
                         ::testing::Values("webshop", "video-pipeline", "legacy-sticky"),
                         [](const auto& info) {
                             std::string name = info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST(MainWindow, ClickingAComponentShowsItsPropertiesFromTheDescriptorTable) {
    MainWindow window;
    window.show();
    ASSERT_TRUE(openAndWait(window, examplePath("webshop")));
    auto* view = window.view();
    auto* item = window.scene()->componentItem("web");
    ASSERT_NE(item, nullptr);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->mapFromScene(item->pos()));
    EXPECT_EQ(window.document()->selectedComponents(), QStringList{"web"});
    EXPECT_TRUE(item->isSelected());
    EXPECT_EQ(window.propertyPanel()->title(), "Web (stateless clones)");
    const auto rows = window.propertyPanel()->rows();
    EXPECT_TRUE(rows.contains("Replicas now\t6 instances")) << rows.join('\n').toStdString();
    EXPECT_TRUE(rows.contains("Service time\t45 ms"));
    EXPECT_TRUE(rows.contains("Session state lives in\tExternal cache"));
    EXPECT_TRUE(rows.contains("Zone\teu-central-1 (Frankfurt)"));

    // Selecting in the document (as the problems panel does) selects on the canvas.
    window.document()->setSelection({"db"}, {});
    EXPECT_FALSE(item->isSelected());
    EXPECT_TRUE(window.scene()->componentItem("db")->isSelected());
    EXPECT_EQ(window.propertyPanel()->title(), "PostgreSQL primary");
}

TEST(MainWindow, BrokenFileShowsAnErrorAndKeepsTheOpenProject) {
    test::TempDir dir;
    const auto broken = dir / "broken.headroom";
    test::writeFile(broken, "this is not a database");
    MainWindow window;
    window.show();
    ASSERT_TRUE(openAndWait(window, examplePath("legacy-sticky")));
    const auto before = window.document()->project();

    QSignalSpy finished(&window, &MainWindow::loadFinished);
    window.openFile(QString::fromStdString(broken.string()));
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_FALSE(finished.front().at(0).toBool());
    EXPECT_TRUE(finished.front().at(1).toString().contains("not a SQLite database"));
    auto* dialog = window.findChild<QMessageBox*>("errorDialog");
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->text().contains("broken.headroom"));
    EXPECT_EQ(window.document()->project(), before);
    EXPECT_EQ(window.scene()->componentCount(), static_cast<int>(before.components.size()));
    dialog->close();
}

TEST(MainWindow, SaveAsWritesAProjectFileThatLoadsBackEqual) {
    test::TempDir dir;
    MainWindow window;
    ASSERT_TRUE(openAndWait(window, examplePath("video-pipeline")));
    const QString target = QString::fromStdString((dir / "copy.headroom").string());
    QSignalSpy saved(&window, &MainWindow::saveFinished);
    window.saveToFile(target);
    ASSERT_TRUE(saved.wait(10000));
    EXPECT_TRUE(saved.front().at(0).toBool()) << saved.front().at(1).toString().toStdString();
    EXPECT_EQ(window.document()->filePath(), target);
    EXPECT_TRUE(window.windowTitle().startsWith("copy.headroom[*]"));
    const auto reloaded = loadProject(target.toStdString());
    ASSERT_TRUE(reloaded) << reloaded.error().describe();
    EXPECT_EQ(*reloaded, window.document()->project());
}

TEST(MainWindow, FailedSaveSaysSoAndKeepsTheDocumentAsItWas) {
    test::TempDir dir;
    MainWindow window;
    ASSERT_TRUE(openAndWait(window, examplePath("webshop")));
    const QString before = window.document()->filePath();
    QSignalSpy saved(&window, &MainWindow::saveFinished);
    window.saveToFile(QString::fromStdString((dir / "missing/dir/x.headroom").string()));
    ASSERT_TRUE(saved.wait(10000));
    EXPECT_FALSE(saved.front().at(0).toBool());
    EXPECT_EQ(window.document()->filePath(), before);
    EXPECT_NE(window.findChild<QMessageBox*>("errorDialog"), nullptr);
}

TEST(MainWindow, AnEditMadeWhileSavingKeepsTheWindowModified) {
    test::TempDir dir;
    MainWindow window;
    ASSERT_TRUE(openAndWait(window, examplePath("legacy-sticky")));
    QSignalSpy saved(&window, &MainWindow::saveFinished);
    window.saveToFile(QString::fromStdString((dir / "p.headroom").string()));
    // The save result arrives through the event loop, so this edit lands while it runs.
    window.editActions()->addComponent(ComponentKind::Cache, {0, 0});
    ASSERT_TRUE(saved.wait(10000));
    EXPECT_TRUE(window.isWindowModified()) << "the file does not hold the new cache";
    EXPECT_TRUE(window.windowTitle().startsWith("p.headroom[*]"));
    const auto onDisk = loadProject((dir / "p.headroom").string());
    ASSERT_TRUE(onDisk);
    EXPECT_EQ(onDisk->findComponent("cache"), nullptr);
}

TEST(MainWindow, CloseAsksOnceAndDiscardClosesAtOnce) {
    MainWindow window;
    window.show();
    ASSERT_TRUE(openAndWait(window, examplePath("legacy-sticky")));
    window.editActions()->addComponent(ComponentKind::Cache, {0, 0});
    int asked = 0;
    window.setUnsavedPrompt([&] {
        ++asked;
        return MainWindow::UnsavedAnswer::Cancel;
    });
    EXPECT_FALSE(window.close());
    EXPECT_TRUE(window.isVisible());
    window.setUnsavedPrompt([&] {
        ++asked;
        return MainWindow::UnsavedAnswer::Discard;
    });
    EXPECT_TRUE(window.close());
    EXPECT_FALSE(window.isVisible());
    EXPECT_EQ(asked, 2);
}

TEST(MainWindow, TextStillBeingTypedCountsAsAChangeWhenClosing) {
    MainWindow window;
    window.show();
    window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
    ASSERT_TRUE(openAndWait(window, examplePath("legacy-sticky")));
    window.document()->setSelection({"app"});
    QTest::qWait(20); // let the panel lay out and show its new editors
    auto* name = qobject_cast<QLineEdit*>(window.propertyPanel()->editor("name"));
    ASSERT_NE(name, nullptr);
    name->setFocus();
    ASSERT_TRUE(name->hasFocus());
    name->setText("Renamed but not committed");
    bool asked = false;
    window.setUnsavedPrompt([&] {
        asked = true;
        return MainWindow::UnsavedAnswer::Cancel;
    });
    EXPECT_FALSE(window.close());
    EXPECT_TRUE(asked);
    EXPECT_EQ(window.document()->project().findComponent("app")->name, "Renamed but not committed");
}

TEST(MainWindow, SaveBeforeClosingDoesNotCloseIfEditsArrivedDuringTheSave) {
    test::TempDir dir;
    MainWindow window;
    window.show();
    ASSERT_TRUE(openAndWait(window, examplePath("legacy-sticky")));
    QSignalSpy saved(&window, &MainWindow::saveFinished);
    window.saveToFile(QString::fromStdString((dir / "p.headroom").string()));
    ASSERT_TRUE(saved.wait(10000));
    window.editActions()->addComponent(ComponentKind::Cache, {0, 0});
    window.setUnsavedPrompt([] { return MainWindow::UnsavedAnswer::Save; });
    EXPECT_FALSE(window.close()) << "waits for the save";
    window.editActions()->addComponent(ComponentKind::Queue, {0, 300}); // during the save
    ASSERT_TRUE(saved.wait(10000));
    QTest::qWait(20);
    EXPECT_TRUE(window.isVisible()) << "the queue is not on disk: closing now would lose it";
    EXPECT_TRUE(window.isWindowModified());
}

TEST(MainWindow, NewProjectIsEmptyAndUntitled) {
    MainWindow window;
    EXPECT_TRUE(window.windowTitle().startsWith("Untitled[*]"));
    EXPECT_EQ(window.scene()->componentCount(), 0);
    EXPECT_EQ(window.propertyPanel()->title(), "Untitled");
}

} // namespace
} // namespace headroom::ui
