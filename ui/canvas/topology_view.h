#pragma once
// The canvas widget: shows the TopologyScene on a dotted grid. Zoom (Ctrl+wheel, pinch, keys),
// pan (middle button, Space+drag, wheel), drops from the palette, arrow-key nudges and context
// menus; what those do to the model is delegated to EditActions.

#include "model/component_kind.h"

#include <QGraphicsView>

namespace headroom::ui {

class TopologyScene;
class EditActions;

class TopologyView : public QGraphicsView {
    Q_OBJECT
  public:
    /// MIME type of a component kind dragged from the palette.
    static const QString kKindMime;

    explicit TopologyView(TopologyScene* scene, QWidget* parent = nullptr);

    void setEditActions(EditActions* actions) { actions_ = actions; }
    [[nodiscard]] TopologyScene* topologyScene() const { return scene_; }
    [[nodiscard]] qreal zoom() const { return transform().m11(); }
    void setZoom(qreal factor);
    /// The scene point in the middle of what is visible.
    [[nodiscard]] QPointF visibleCentre() const;

  public slots:
    void zoomIn();
    void zoomOut();
    void zoomToFit();
    void resetZoom();

  signals:
    void zoomChanged(qreal factor);
    /// A file was dropped on the canvas (on a component, or on empty canvas: empty id).
    void fileDropped(const QString& path, const QString& componentId);

  protected:
    bool viewportEvent(QEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void drawBackground(QPainter* painter, const QRectF& rect) override;
    /// An empty canvas says how to start.
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

  private:
    void zoomAround(qreal factor, QPoint viewportAnchor);

    TopologyScene* scene_;
    EditActions* actions_ = nullptr;
    bool panning_ = false;
    bool spaceHeld_ = false;
    QPoint panFrom_;
};

} // namespace headroom::ui
