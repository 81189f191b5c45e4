#pragma once
// The canvas widget: shows the TopologyScene with a dotted grid, zoom and pan.

#include <QGraphicsView>

namespace headroom::ui {

class TopologyScene;

class TopologyView : public QGraphicsView {
    Q_OBJECT
public:
    explicit TopologyView(TopologyScene* scene, QWidget* parent = nullptr);

    [[nodiscard]] qreal zoom() const { return transform().m11(); }
    void setZoom(qreal factor);

public slots:
    void zoomIn();
    void zoomOut();
    void zoomToFit();
    void resetZoom();

signals:
    void zoomChanged(qreal factor);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void drawBackground(QPainter* painter, const QRectF& rect) override;

private:
    TopologyScene* scene_;
};

} // namespace headroom::ui
