#pragma once
// A region or availability zone on the canvas: a labelled frame behind the components.

#include "model/zone.h"

#include <QGraphicsItem>
#include <QString>

namespace headroom::ui {

class ZoneItem : public QGraphicsItem {
  public:
    explicit ZoneItem(const Zone& zone);
    void update(const Zone& zone);
    [[nodiscard]] const QString& zoneId() const { return id_; }

    /// Is this point (item coordinates) on the resize grip in the bottom-right corner?
    [[nodiscard]] bool isOnResizeHandle(QPointF local) const;
    /// Shows the frame resized so its bottom-right corner is at `local` (feedback while
    /// dragging the grip); the scene commits it as an edit on release.
    void resizePreview(QPointF local);
    /// The frame as shown, in scene coordinates.
    [[nodiscard]] QRectF previewFrame() const { return frame_.translated(pos()); }

    QRectF boundingRect() const override;
    /// Only the title tab, the border and the grip take clicks: clicks inside the frame reach
    /// the canvas, so rubber-band selection works inside a zone.
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    enum { Type = UserType + 3 };
    int type() const override { return Type; }

  private:
    [[nodiscard]] QRectF titleTab() const;
    [[nodiscard]] QString caption() const;

    QString id_;
    QString name_;
    ZoneKind kind_ = ZoneKind::Region;
    QRectF frame_; ///< in item coordinates (the item sits at the frame's top-left)
};

} // namespace headroom::ui
