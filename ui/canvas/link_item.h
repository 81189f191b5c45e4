#pragma once
// A link on the canvas: an arrow from the caller's card to the callee's, styled by link kind,
// labelled with its kind and fan-out when they are not the plain "one sync call".

#include "model/link.h"

#include <QGraphicsObject>
#include <QPainterPath>
#include <QString>
#include <optional>

namespace headroom::ui {

class ComponentItem;

class LinkItem : public QGraphicsObject {
    Q_OBJECT
  public:
    LinkItem(const Link& link, ComponentItem* from, ComponentItem* to);

    void update(const Link& link);
    /// Adds the analysed request rate to the label; nothing takes it off.
    void setRate(std::optional<double> requestsPerSecond);
    /// Sideways shift so parallel links between the same two components stay apart.
    void setParallelOffset(qreal offset);
    /// Recomputes the arrow after either end moved.
    void adjust();
    [[nodiscard]] const QPolygonF& points() const { return points_; }

    [[nodiscard]] const QString& linkId() const { return id_; }
    [[nodiscard]] ComponentItem* fromItem() const { return from_; }
    [[nodiscard]] ComponentItem* toItem() const { return to_; }
    [[nodiscard]] QString label() const { return label_; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    enum { Type = UserType + 2 };
    int type() const override { return Type; }

  private:
    [[nodiscard]] QPointF labelCentre() const;

    QString id_;
    LinkKind kind_ = LinkKind::SyncCall;
    QString label_;    ///< what the label shows: the link's own text and the rate
    QString linkText_; ///< kind and fan-out
    std::optional<double> rate_;
    ComponentItem* from_;
    ComponentItem* to_;
    qreal offset_ = 0;
    QList<QPointF> bends_;
    QPolygonF points_; ///< the drawn line: card edge, bends, card edge
    QPainterPath path_;
};

} // namespace headroom::ui
