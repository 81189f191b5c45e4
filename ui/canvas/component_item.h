#pragma once
// A component on the canvas: a card with the kind's icon, the name and its key figures.
// It mirrors one Component of the document; the scene refreshes it when the document changes.

#include "model/component.h"

#include <QFontMetricsF>
#include <QGraphicsObject>
#include <QString>
#include <optional>

namespace headroom::ui {

/// What the bottleneck analysis says about a component, as the card shows it.
struct ComponentHeat {
    double utilisation = 0; ///< of the busiest resource; 1 or more: saturated
    QString resource;       ///< that resource, for the tooltip
    bool bottleneck = false;
};

class ComponentItem : public QGraphicsObject {
    Q_OBJECT
  public:
    static constexpr qreal kWidth = 200;
    static constexpr qreal kHeight = 76;

    explicit ComponentItem(const Component& component);

    /// Takes the component's current values: name, figures, position.
    void update(const Component& component);
    [[nodiscard]] const QString& componentId() const { return id_; }
    [[nodiscard]] ComponentKind kind() const { return kind_; }
    /// Colours the card by utilisation and marks the bottleneck; nothing clears it.
    void setHeat(const std::optional<ComponentHeat>& heat);
    [[nodiscard]] const std::optional<ComponentHeat>& heat() const { return heat_; }

    /// Is this point (item coordinates) on the connection port, the dot on the right edge
    /// that starts a link when dragged?
    [[nodiscard]] bool isOnPort(QPointF local) const;

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    enum { Type = UserType + 1 };
    int type() const override { return Type; }

  signals:
    /// Emitted whenever the item moves, so links attached to it follow.
    void geometryChanged();

  protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;
    void hoverEnterEvent(QGraphicsSceneHoverEvent* event) override;
    void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent* event) override;

  private:
    /// The name on at most two lines that fit `width`.
    QString wrappedName(const QFontMetricsF& metrics, qreal width) const;

    QString id_;
    ComponentKind kind_;
    QString name_;
    QString figures_;
    QString kindLabel_;
    QString toolTip_;
    bool hovered_ = false;
    std::optional<ComponentHeat> heat_;
};

} // namespace headroom::ui
