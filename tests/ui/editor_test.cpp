// The topology editor driven as a user would: mouse, keyboard, drops, the properties panel and
// the clipboard. Assertions are on the document (the model), not on pixels.

#include "canvas/component_item.h"
#include "canvas/link_item.h"
#include "canvas/topology_scene.h"
#include "canvas/topology_view.h"
#include "canvas/zone_item.h"
#include "document/project_document.h"
#include "editor/edit_actions.h"
#include "main_window.h"
#include "panels/property_panel.h"
#include "storage/project_io.h"
#include "support/temp_dir.h"

#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QMimeData>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QWheelEvent>
#include <gtest/gtest.h>

namespace headroom::ui {
namespace {

class Editor : public ::testing::Test {
  protected:
    void SetUp() override {
        window.resize(1280, 800);
        window.show();
        QSignalSpy finished(&window, &MainWindow::loadFinished);
        window.openFile(
            QString::fromStdString((test::sourceDir() / "models/webshop.headroom.json").string()));
        ASSERT_TRUE(finished.wait(10000));
        original = window.document()->project();
        view()->resetZoom();
        view()->centerOn(item("web"));
    }

    ProjectDocument* doc() { return window.document(); }
    TopologyView* view() { return window.view(); }
    EditActions* actions() { return window.editActions(); }
    ComponentItem* item(const char* id) { return window.scene()->componentItem(id); }
    QPoint viewPos(QPointF scenePos) { return view()->mapFromScene(scenePos); }
    const Component& component(const std::string& id) {
        return *doc()->project().findComponent(id);
    }
    void undoAll() {
        while (doc()->undoStack()->canUndo())
            doc()->undoStack()->undo();
    }

    MainWindow window;
    Project original;
};

TEST_F(Editor, DraggingACardMovesItOnTheGridInOneUndoStep) {
    auto* viewport = view()->viewport();
    const QPointF start = item("web")->pos();
    const QPoint from = viewPos(start);
    QTest::mousePress(viewport, Qt::LeftButton, {}, from);
    for (int i = 1; i <= 5; ++i) {
        QMouseEvent move(QEvent::MouseMove, QPointF(from + QPoint(i * 13, i * 7)),
                         viewport->mapToGlobal(QPointF(from + QPoint(i * 13, i * 7))), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport, &move);
    }
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, from + QPoint(65, 35));
    const auto& web = component("web");
    // Dragged by (65, 35) at 100% zoom, the centre snaps to the 20-unit grid.
    EXPECT_EQ(web.position.x, std::round((start.x() + 65) / 20) * 20);
    EXPECT_EQ(web.position.y, std::round((start.y() + 35) / 20) * 20);
    EXPECT_EQ(item("web")->pos(), QPointF(web.position.x, web.position.y));
    EXPECT_EQ(doc()->undoStack()->count(), 1);
    EXPECT_TRUE(window.isWindowModified());
    doc()->undoStack()->undo();
    EXPECT_EQ(doc()->project(), original);
    EXPECT_EQ(item("web")->pos(), start);
}

TEST_F(Editor, ArrowKeysNudgeTheSelectionAndMergeIntoOneStep) {
    doc()->setSelection({"web", "db"});
    view()->setFocus();
    for (int i = 0; i < 3; ++i)
        QTest::keyClick(view(), Qt::Key_Right);
    QTest::keyClick(view(), Qt::Key_Down, Qt::ShiftModifier);
    EXPECT_EQ(component("web").position.x, original.findComponent("web")->position.x + 60);
    EXPECT_EQ(component("db").position.y, original.findComponent("db")->position.y + 1);
    EXPECT_EQ(doc()->undoStack()->count(), 1) << "consecutive moves of the same items merge";
    doc()->undoStack()->undo();
    EXPECT_EQ(doc()->project(), original);
}

TEST_F(Editor, DroppingAPaletteKindAddsItWhereItWasDroppedAndInsideTheZone) {
    auto* mime = new QMimeData;
    mime->setData(TopologyView::kKindMime, "cache");
    const QPointF target = item("web")->pos() + QPointF(0, 140); // inside the region frame
    const QPoint at = viewPos(target);
    QDragEnterEvent enter(at, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view()->viewport(), &enter);
    QDropEvent drop(QPointF(at), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view()->viewport(), &drop);
    delete mime;
    ASSERT_EQ(doc()->project().components.size(), original.components.size() + 1);
    const auto& added = doc()->project().components.back();
    EXPECT_EQ(added.kind, ComponentKind::Cache);
    EXPECT_EQ(added.id, "cache");
    EXPECT_EQ(added.zone, "eu-central-1");
    EXPECT_NEAR(added.position.x, target.x(), 10.01);
    EXPECT_NEAR(added.position.y, target.y(), 10.01);
    EXPECT_EQ(doc()->selectedComponents(), QStringList{"cache"});
    EXPECT_NE(window.scene()->componentItem("cache"), nullptr);
    doc()->undoStack()->undo();
    EXPECT_EQ(doc()->project(), original);
    EXPECT_EQ(window.scene()->componentItem("cache"), nullptr);
}

TEST_F(Editor, DraggingFromThePortToAnotherComponentConnectsThem) {
    const QString cdn = actions()->addComponent(ComponentKind::Cdn, {0, 0});
    ASSERT_EQ(cdn, "cdn-2");
    auto* from = item("cdn-2");
    const QPointF port = from->mapToScene(QPointF(ComponentItem::kWidth / 2, 0));
    view()->centerOn(port);
    QTest::mousePress(view()->viewport(), Qt::LeftButton, {}, viewPos(port));
    const QPoint target = viewPos(item("alb")->pos());
    QMouseEvent move(QEvent::MouseMove, QPointF(target),
                     view()->viewport()->mapToGlobal(QPointF(target)), Qt::NoButton, Qt::LeftButton,
                     Qt::NoModifier);
    QApplication::sendEvent(view()->viewport(), &move);
    QTest::mouseRelease(view()->viewport(), Qt::LeftButton, {}, target);
    // CDN -> load balancer allows only a sync call, so no menu asks.
    const auto& link = doc()->project().links.back();
    EXPECT_EQ(link.from, "cdn-2");
    EXPECT_EQ(link.to, "alb");
    EXPECT_EQ(link.kind, LinkKind::SyncCall);
    EXPECT_NE(window.scene()->linkItem(QString::fromStdString(link.id)), nullptr);
}

TEST_F(Editor, RefusedConnectionSaysWhyAndAddsNothing) {
    QSignalSpy messages(actions(), &EditActions::message);
    EXPECT_TRUE(actions()->connectComponents("shoppers", "db", LinkKind::Read).isEmpty());
    ASSERT_EQ(messages.size(), 1);
    EXPECT_TRUE(messages.front().front().toString().contains("is not a valid connection"));
    EXPECT_EQ(doc()->project(), original);
    EXPECT_TRUE(actions()->connectComponents("web", "replicas", LinkKind::Write).isEmpty());
    EXPECT_EQ(doc()->undoStack()->count(), 0);
}

TEST_F(Editor, DeleteTakesLinksAlongAndUndoRestoresTheModelExactly) {
    doc()->setSelection({"web"});
    actions()->deleteAction()->trigger();
    EXPECT_EQ(doc()->project().findComponent("web"), nullptr);
    for (const auto& l : doc()->project().links)
        EXPECT_TRUE(l.from != "web" && l.to != "web") << l.id;
    EXPECT_EQ(window.scene()->linkCount(), static_cast<int>(doc()->project().links.size()));
    doc()->undoStack()->undo();
    EXPECT_EQ(doc()->project(), original);
    EXPECT_EQ(window.scene()->linkCount(), static_cast<int>(original.links.size()));
}

TEST_F(Editor, CopyInOneWindowPastesIntoAnother) {
    doc()->setSelection({"web", "db"});
    actions()->copySelection();
    MainWindow other;
    other.editActions()->paste(Point{500, 500});
    const auto& pasted = other.document()->project();
    ASSERT_EQ(pasted.components.size(), 2u);
    EXPECT_EQ(pasted.components[0].id, "web");
    EXPECT_EQ(pasted.components[0].zone, "") << "the other project has no such zone";
    ASSERT_EQ(pasted.links.size(), 2u) << "web->db read and write come along";
    EXPECT_EQ(pasted.components[0].properties, original.findComponent("web")->properties);
    // Pasting again into the first window makes fresh ids.
    actions()->paste();
    EXPECT_NE(doc()->project().findComponent("web-2"), nullptr);
    EXPECT_NE(doc()->project().findComponent("db-2"), nullptr);
}

TEST_F(Editor, DuplicateAndAlign) {
    doc()->setSelection({"sessions", "catalog-cache"});
    actions()->duplicateSelection();
    EXPECT_EQ(doc()->selectedComponents(), (QStringList{"sessions-2", "catalog-cache-2"}));
    EXPECT_EQ(component("sessions-2").position.x, component("sessions").position.x + 40);
    doc()->setSelection({"web", "db", "alb"});
    actions()->alignSelection(layout::Alignment::Top);
    const double top = std::min({original.findComponent("web")->position.y,
                                 original.findComponent("db")->position.y,
                                 original.findComponent("alb")->position.y});
    EXPECT_EQ(component("web").position.y, top);
    EXPECT_EQ(component("db").position.y, top);
    undoAll();
    EXPECT_EQ(doc()->project(), original);
}

TEST_F(Editor, EditingAPropertyInThePanelIsUndoable) {
    doc()->setSelection({"web"});
    auto* replicas = qobject_cast<QSpinBox*>(window.propertyPanel()->editor("replicas"));
    ASSERT_NE(replicas, nullptr);
    EXPECT_EQ(replicas->value(), 6);
    EXPECT_EQ(replicas->maximum(), 100000) << "range from the descriptor table";
    replicas->setValue(30); // more than max_replicas (24)
    EXPECT_EQ(std::get<std::int64_t>(component("web").properties.at("replicas")), 30);
    EXPECT_TRUE(window.propertyPanel()->problem("replicas").contains("outside min..max"))
        << window.propertyPanel()->problem("replicas").toStdString();
    replicas->setValue(8);
    EXPECT_EQ(doc()->undoStack()->count(), 1) << "changes of one property merge";
    doc()->undoStack()->undo();
    EXPECT_EQ(doc()->project(), original);
    EXPECT_EQ(replicas->value(), 6) << "the editor follows the model";
}

TEST_F(Editor, SeveralComponentsAreEditedTogether) {
    doc()->setSelection({"sessions", "catalog-cache"});
    auto* shards = qobject_cast<QSpinBox*>(window.propertyPanel()->editor("shards"));
    ASSERT_NE(shards, nullptr);
    shards->setValue(4);
    EXPECT_EQ(std::get<std::int64_t>(component("sessions").properties.at("shards")), 4);
    EXPECT_EQ(std::get<std::int64_t>(component("catalog-cache").properties.at("shards")), 4);
    // A service and a worker group share replicas but not service_time_ms.
    doc()->setSelection({"web", "order-workers"});
    EXPECT_NE(window.propertyPanel()->editor("replicas"), nullptr);
    EXPECT_EQ(window.propertyPanel()->editor("service_time_ms"), nullptr);
    EXPECT_TRUE(window.propertyPanel()->rows().contains("Replicas now\tmixed"));
}

TEST_F(Editor, RenamingInThePanelUpdatesTheCanvas) {
    doc()->setSelection({"db"});
    auto* name = qobject_cast<QLineEdit*>(window.propertyPanel()->editor("name"));
    ASSERT_NE(name, nullptr);
    name->setText("Main \"DB\" {primary}");
    emit name->editingFinished();
    EXPECT_EQ(component("db").name, "Main \"DB\" {primary}");
    EXPECT_TRUE(item("db")->toolTip().contains("Main &quot;DB&quot;"));
}

TEST_F(Editor, ZonesAreDrawnResizedAndTakeInWhatIsDroppedInThem) {
    const QString zone = actions()->addZone(ZoneKind::AvailabilityZone, {900, 900, 400, 300});
    ASSERT_FALSE(zone.isEmpty());
    EXPECT_NE(window.scene()->zoneItem(zone), nullptr);
    // Resize by its grip.
    auto* frame = window.scene()->zoneItem(zone);
    const QPointF grip = frame->mapToScene(QPointF(400 - 5, 300 - 5));
    view()->centerOn(grip);
    QTest::mousePress(view()->viewport(), Qt::LeftButton, {}, viewPos(grip));
    const QPoint to = viewPos(grip + QPointF(200, 100));
    QMouseEvent move(QEvent::MouseMove, QPointF(to), view()->viewport()->mapToGlobal(QPointF(to)),
                     Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view()->viewport(), &move);
    QTest::mouseRelease(view()->viewport(), Qt::LeftButton, {}, to);
    const auto* resized = doc()->project().findZone(ss(zone));
    EXPECT_EQ(resized->bounds.width, 600);
    EXPECT_EQ(resized->bounds.height, 400);
    // A component added inside belongs to it.
    const QString id = actions()->addComponent(ComponentKind::Service, {1000, 1000});
    EXPECT_EQ(qs(component(ss(id)).zone), zone);
}

TEST_F(Editor, DrawingAZoneFrameTakesInTheComponentsInside) {
    window.scene()->beginZoneDrawing(ZoneKind::AvailabilityZone);
    // Drag from just above-left of the payment provider card to past its bottom-right.
    const QPointF centre = item("payments")->pos();
    view()->centerOn(centre);
    QTest::mousePress(view()->viewport(), Qt::LeftButton, {}, viewPos(centre - QPointF(140, 80)));
    QMouseEvent move(QEvent::MouseMove, QPointF(viewPos(centre + QPointF(140, 80))),
                     view()->viewport()->mapToGlobal(QPointF(viewPos(centre + QPointF(140, 80)))),
                     Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view()->viewport(), &move);
    QTest::mouseRelease(view()->viewport(), Qt::LeftButton, {}, viewPos(centre + QPointF(140, 80)));
    ASSERT_EQ(doc()->project().zones.size(), original.zones.size() + 1);
    const auto& zone = doc()->project().zones.back();
    EXPECT_EQ(zone.kind, ZoneKind::AvailabilityZone);
    EXPECT_EQ(zone.bounds.width, 280);
    EXPECT_EQ(zone.bounds.height, 160);
    EXPECT_EQ(component("payments").zone, zone.id);
    EXPECT_FALSE(window.scene()->isDrawingZone()) << "one frame per Draw command";
}

TEST_F(Editor, CtrlWheelZoomsAroundTheMouseAndTheMiddleButtonPans) {
    view()->resetZoom();
    const QPoint at = viewPos(item("db")->pos());
    const QPointF before = view()->mapToScene(at);
    QWheelEvent wheel(QPointF(at), view()->viewport()->mapToGlobal(QPointF(at)), QPoint(),
                      QPoint(0, 120), Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view()->viewport(), &wheel);
    EXPECT_NEAR(view()->zoom(), 1.15, 1e-9);
    const QPointF after = view()->mapToScene(at);
    EXPECT_NEAR(after.x(), before.x(), 1.0) << "the point under the mouse stays put";
    EXPECT_NEAR(after.y(), before.y(), 1.0);
    EXPECT_EQ(doc()->project(), original) << "viewing never edits";

    const QPointF centre = view()->visibleCentre();
    const QPoint from(300, 300);
    QTest::mousePress(view()->viewport(), Qt::MiddleButton, {}, from);
    QMouseEvent move(QEvent::MouseMove, QPointF(from + QPoint(-115, -46)),
                     view()->viewport()->mapToGlobal(QPointF(from + QPoint(-115, -46))),
                     Qt::NoButton, Qt::MiddleButton, Qt::NoModifier);
    QApplication::sendEvent(view()->viewport(), &move);
    QTest::mouseRelease(view()->viewport(), Qt::MiddleButton, {}, from + QPoint(-115, -46));
    // Dragging the canvas 115 px left at 115% shows what lies 100 scene units to the right.
    EXPECT_NEAR(view()->visibleCentre().x() - centre.x(), 100, 1.0);
    EXPECT_NEAR(view()->visibleCentre().y() - centre.y(), 40, 1.0);
}

TEST_F(Editor, AutoLayoutIsOneUndoableStep) {
    actions()->autoLayout();
    EXPECT_EQ(doc()->undoStack()->count(), 1);
    EXPECT_NE(doc()->project(), original);
    // web -> db (write) skips the layers of the caches, queue and workers: it gets a lane.
    EXPECT_FALSE(doc()->project().findLink("web-db-write")->bends.empty());
    EXPECT_TRUE(doc()->project().findLink("alb-web")->bends.empty()) << "adjacent: straight";
    doc()->undoStack()->undo();
    EXPECT_EQ(doc()->project(), original);
}

TEST_F(Editor, ALongMixedSessionUndoesToTheOpenedFileExactly) {
    actions()->addComponent(ComponentKind::Queue, {0, 0});
    actions()->connectComponents("web", "queue", LinkKind::AsyncEnqueue);
    doc()->setSelection({"replicas", "db"});
    actions()->nudgeSelection(20, 0);
    actions()->duplicateSelection();
    actions()->deleteSelection();
    doc()->setSelection({"alb"});
    actions()->cutSelection();
    actions()->paste();
    actions()->autoLayout();
    actions()->addZone(ZoneKind::Region, {0, 0, 500, 500});
    undoAll();
    EXPECT_EQ(doc()->project(), original);
    EXPECT_FALSE(window.isWindowModified());
    EXPECT_EQ(window.scene()->componentCount(), static_cast<int>(original.components.size()));
    EXPECT_EQ(window.scene()->linkCount(), static_cast<int>(original.links.size()));
}

} // namespace
} // namespace headroom::ui
