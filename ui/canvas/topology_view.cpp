#include "canvas/topology_view.h"

#include "canvas/component_item.h"
#include "canvas/topology_scene.h"
#include "editor/edit_actions.h"

#include <QContextMenuEvent>
#include <QGestureEvent>
#include <QMenu>
#include <QMimeData>
#include <QNativeGestureEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>
#include <QtMath>

namespace headroom::ui {
namespace {
constexpr qreal kMinZoom = 0.1;
constexpr qreal kMaxZoom = 4.0;
} // namespace

const QString TopologyView::kKindMime = QStringLiteral("application/x-headroom-kind");

TopologyView::TopologyView(TopologyScene* scene, QWidget* parent)
    : QGraphicsView(scene, parent), scene_(scene) {
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing |
                   QPainter::SmoothPixmapTransform);
    setDragMode(QGraphicsView::RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setFrameShape(QFrame::NoFrame);
    setBackgroundBrush(QColor(0xfa, 0xfb, 0xfc));
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    viewport()->grabGesture(Qt::PinchGesture);
}

void TopologyView::setZoom(qreal factor) {
    factor = std::clamp(factor, kMinZoom, kMaxZoom);
    setTransform(QTransform::fromScale(factor, factor));
    emit zoomChanged(factor);
}

void TopologyView::zoomAround(qreal factor, QPoint viewportAnchor) {
    const QPointF before = mapToScene(viewportAnchor);
    const auto anchor = transformationAnchor();
    setTransformationAnchor(QGraphicsView::NoAnchor);
    setZoom(zoom() * factor);
    const QPointF after = mapToScene(viewportAnchor);
    translate(after.x() - before.x(), after.y() - before.y());
    setTransformationAnchor(anchor);
}

void TopologyView::zoomIn() {
    setZoom(zoom() * 1.25);
}
void TopologyView::zoomOut() {
    setZoom(zoom() / 1.25);
}
void TopologyView::resetZoom() {
    setZoom(1.0);
}

QPointF TopologyView::visibleCentre() const {
    return mapToScene(viewport()->rect().center());
}

void TopologyView::zoomToFit() {
    const QRectF content = scene_->contentRect();
    if (content.width() <= 80 && content.height() <= 80) {
        resetZoom();
        return;
    }
    fitInView(content, Qt::KeepAspectRatio);
    // Never blow a small diagram up past 100%: text would look oversized.
    if (zoom() > 1.0)
        setTransform(QTransform());
    centerOn(content.center());
    emit zoomChanged(zoom());
}

bool TopologyView::viewportEvent(QEvent* event) {
    if (event->type() == QEvent::NativeGesture) { // trackpad pinch (macOS, Wayland)
        auto* gesture = static_cast<QNativeGestureEvent*>(event);
        if (gesture->gestureType() == Qt::ZoomNativeGesture) {
            zoomAround(1.0 + gesture->value(), gesture->position().toPoint());
            return true;
        }
    }
    if (event->type() == QEvent::Gesture) { // touch-screen pinch
        auto* gestureEvent = static_cast<QGestureEvent*>(event);
        if (auto* pinch = static_cast<QPinchGesture*>(gestureEvent->gesture(Qt::PinchGesture))) {
            if (pinch->changeFlags() & QPinchGesture::ScaleFactorChanged)
                zoomAround(pinch->scaleFactor(),
                           viewport()->mapFromGlobal(pinch->centerPoint().toPoint()));
            return true;
        }
    }
    return QGraphicsView::viewportEvent(event);
}

void TopologyView::wheelEvent(QWheelEvent* event) {
    if (event->modifiers() & Qt::ControlModifier) {
        const qreal steps = event->angleDelta().y() / 120.0;
        zoomAround(std::pow(1.15, steps), event->position().toPoint());
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void TopologyView::drawBackground(QPainter* painter, const QRectF& rect) {
    QGraphicsView::drawBackground(painter, rect);
    if (zoom() < 0.35)
        return; // dots would turn into noise
    const qreal grid = TopologyScene::kGrid;
    painter->setPen(QPen(QColor(0xd5, 0xdb, 0xe3), 1.5 / zoom()));
    const qreal left = std::floor(rect.left() / grid) * grid;
    const qreal top = std::floor(rect.top() / grid) * grid;
    QVector<QPointF> dots;
    for (qreal x = left; x < rect.right(); x += grid)
        for (qreal y = top; y < rect.bottom(); y += grid)
            dots.append(QPointF(x, y));
    painter->drawPoints(dots.data(), static_cast<int>(dots.size()));
}

void TopologyView::drawForeground(QPainter* painter, const QRectF& rect) {
    QGraphicsView::drawForeground(painter, rect);
    if (!scene_->items().isEmpty())
        return;
    painter->save();
    painter->resetTransform();
    QFont font = painter->font();
    font.setPointSizeF(font.pointSizeF() * 1.2);
    painter->setFont(font);
    painter->setPen(QColor(0x64, 0x74, 0x8b));
    painter->drawText(viewport()->rect().adjusted(40, 40, -40, -40),
                      Qt::AlignCenter | Qt::TextWordWrap,
                      tr("Drag components here from the Components panel,\n"
                         "then drag from a card's right-hand dot to another card to connect "
                         "them.\n\nOr open an example: File \u25b8 Open Example."));
    painter->restore();
}

// ---- panning --------------------------------------------------------------------------------

void TopologyView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton || (spaceHeld_ && event->button() == Qt::LeftButton)) {
        panning_ = true;
        panFrom_ = event->pos();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void TopologyView::mouseMoveEvent(QMouseEvent* event) {
    if (panning_) {
        const QPoint delta = event->pos() - panFrom_;
        panFrom_ = event->pos();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void TopologyView::mouseReleaseEvent(QMouseEvent* event) {
    if (panning_) {
        panning_ = false;
        viewport()->setCursor(spaceHeld_ ? Qt::OpenHandCursor : Qt::ArrowCursor);
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

// ---- keyboard -------------------------------------------------------------------------------

void TopologyView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape && scene_->isDrawingZone()) {
        scene_->cancelZoneDrawing();
        viewport()->unsetCursor();
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        spaceHeld_ = true;
        viewport()->setCursor(Qt::OpenHandCursor);
        event->accept();
        return;
    }
    // Arrow keys move the selection one grid step (Shift: one unit).
    const qreal step = (event->modifiers() & Qt::ShiftModifier) ? 1 : TopologyScene::kGrid;
    qreal dx = 0, dy = 0;
    switch (event->key()) {
    case Qt::Key_Left:
        dx = -step;
        break;
    case Qt::Key_Right:
        dx = step;
        break;
    case Qt::Key_Up:
        dy = -step;
        break;
    case Qt::Key_Down:
        dy = step;
        break;
    default:
        QGraphicsView::keyPressEvent(event);
        return;
    }
    if (actions_ && !scene_->document()->selectedComponents().isEmpty()) {
        actions_->nudgeSelection(dx, dy);
        event->accept();
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

void TopologyView::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        spaceHeld_ = false;
        if (!panning_)
            viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

// ---- context menu and drops -----------------------------------------------------------------

void TopologyView::contextMenuEvent(QContextMenuEvent* event) {
    if (!actions_)
        return;
    const QPointF at = mapToScene(event->pos());
    auto* item = scene_->itemAt(at, transform());
    auto* document = scene_->document();
    // Right-clicking something not yet selected selects it first, as desktop apps do.
    if (item && !item->isSelected()) {
        scene_->clearSelection();
        item->setSelected(true);
    }
    QMenu menu(this);
    if (!document->selectedComponents().isEmpty() || !document->selectedLinks().isEmpty() ||
        !document->selectedZones().isEmpty()) {
        actions_->fillEditMenu(&menu);
        if (document->selectedComponents().size() >= 2) {
            auto* arrange = menu.addMenu(tr("Arrange"));
            actions_->fillArrangeMenu(arrange);
        }
    } else {
        auto* add = menu.addMenu(tr("Add Component"));
        for (const auto& kind : allKinds())
            add->addAction(qs(kind.label), this, [this, k = kind.kind, at] {
                actions_->addComponent(k, {at.x(), at.y()});
            });
        menu.addAction(tr("Paste Here"), this, [this, at] {
            actions_->paste(Point{at.x(), at.y()});
        });
        menu.addSeparator();
        menu.addAction(actions_->autoLayoutAction());
        menu.addAction(tr("Zoom to Fit"), this, &TopologyView::zoomToFit);
    }
    menu.exec(event->globalPos());
}

void TopologyView::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasFormat(kKindMime) || event->mimeData()->hasUrls())
        event->acceptProposedAction();
    else
        QGraphicsView::dragEnterEvent(event);
}

void TopologyView::dragMoveEvent(QDragMoveEvent* event) {
    if (event->mimeData()->hasFormat(kKindMime) || event->mimeData()->hasUrls())
        event->acceptProposedAction();
    else
        QGraphicsView::dragMoveEvent(event);
}

void TopologyView::dropEvent(QDropEvent* event) {
    // A metrics file dropped on a component: import it bound to that component.
    if (event->mimeData()->hasUrls() && !event->mimeData()->urls().isEmpty() &&
        event->mimeData()->urls().front().isLocalFile()) {
        const QPointF at = mapToScene(event->position().toPoint());
        auto* target = scene_->componentAt(at);
        emit fileDropped(event->mimeData()->urls().front().toLocalFile(),
                         target ? target->componentId() : QString());
        event->acceptProposedAction();
        return;
    }
    if (!event->mimeData()->hasFormat(kKindMime) || !actions_) {
        QGraphicsView::dropEvent(event);
        return;
    }
    const auto key = QString::fromUtf8(event->mimeData()->data(kKindMime)).toStdString();
    if (const auto kind = componentKindFromKey(key)) {
        const QPointF at = mapToScene(event->position().toPoint());
        actions_->addComponent(*kind, {at.x(), at.y()});
        event->acceptProposedAction();
        setFocus();
    }
}

} // namespace headroom::ui
