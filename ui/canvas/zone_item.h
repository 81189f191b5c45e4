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

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option,
               QWidget* widget) override;

    enum { Type = UserType + 3 };
    int type() const override { return Type; }

private:
    QString id_;
    QString name_;
    ZoneKind kind_ = ZoneKind::Region;
    QRectF frame_; ///< in item coordinates (the item sits at the frame's top-left)
};

} // namespace headroom::ui
