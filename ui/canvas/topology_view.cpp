#include "canvas/topology_view.h"

#include "canvas/topology_scene.h"

#include <QPainter>
#include <QWheelEvent>
#include <QtMath>

namespace headroom::ui {
namespace {
constexpr qreal kMinZoom = 0.1;
constexpr qreal kMaxZoom = 4.0;
constexpr qreal kGrid = 20;
} // namespace

TopologyView::TopologyView(TopologyScene* scene, QWidget* parent)
    : QGraphicsView(scene, parent), scene_(scene) {
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing |
                   QPainter::SmoothPixmapTransform);
    setDragMode(QGraphicsView::RubberBandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setFrameShape(QFrame::NoFrame);
    setBackgroundBrush(QColor(0xfa, 0xfb, 0xfc));
}

void TopologyView::setZoom(qreal factor) {
    factor = std::clamp(factor, kMinZoom, kMaxZoom);
    setTransform(QTransform::fromScale(factor, factor));
    emit zoomChanged(factor);
}

void TopologyView::zoomIn() { setZoom(zoom() * 1.25); }
void TopologyView::zoomOut() { setZoom(zoom() / 1.25); }
void TopologyView::resetZoom() { setZoom(1.0); }

void TopologyView::zoomToFit() {
    const QRectF content = scene_->contentRect();
    if (content.isEmpty()) {
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

void TopologyView::wheelEvent(QWheelEvent* event) {
    if (event->modifiers() & Qt::ControlModifier) {
        const qreal steps = event->angleDelta().y() / 120.0;
        setZoom(zoom() * std::pow(1.15, steps));
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void TopologyView::drawBackground(QPainter* painter, const QRectF& rect) {
    QGraphicsView::drawBackground(painter, rect);
    if (zoom() < 0.35)
        return; // dots would turn into noise
    painter->setPen(QPen(QColor(0xd5, 0xdb, 0xe3), 1.5 / zoom()));
    const qreal left = std::floor(rect.left() / kGrid) * kGrid;
    const qreal top = std::floor(rect.top() / kGrid) * kGrid;
    QVector<QPointF> dots;
    for (qreal x = left; x < rect.right(); x += kGrid)
        for (qreal y = top; y < rect.bottom(); y += kGrid)
            dots.append(QPointF(x, y));
    painter->drawPoints(dots.data(), static_cast<int>(dots.size()));
}

} // namespace headroom::ui
