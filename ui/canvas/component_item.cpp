#include "canvas/component_item.h"

#include "document/project_document.h"
#include "style/heat_scale.h"
#include "style/kind_style.h"

#include <QFontMetricsF>
#include <QGraphicsSceneHoverEvent>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QSvgRenderer>

namespace headroom::ui {
namespace {
constexpr qreal kRadius = 8;
constexpr qreal kIconSize = 34;
constexpr qreal kPadding = 9;
constexpr qreal kPortRadius = 6;

QPointF portCentre() {
    return {ComponentItem::kWidth / 2, 0};
}

QRectF cardRect() {
    return {-ComponentItem::kWidth / 2, -ComponentItem::kHeight / 2, ComponentItem::kWidth,
            ComponentItem::kHeight};
}
} // namespace

ComponentItem::ComponentItem(const Component& component)
    : id_(qs(component.id)), kind_(component.kind) {
    setFlags(ItemIsSelectable | ItemSendsGeometryChanges);
    setAcceptHoverEvents(true);
    setZValue(10);
    // Cards are costly to paint (SVG icon, text) and are mostly moved, not changed: keep each
    // as a pixmap at screen resolution, so a drag only blits them.
    setCacheMode(DeviceCoordinateCache);
    update(component);
}

void ComponentItem::update(const Component& component) {
    kind_ = component.kind;
    name_ = qs(component.name);
    figures_ = qs(keyFigures(component));
    kindLabel_ = qs(component.descriptor().key).replace('_', ' ').toUpper();
    toolTip_ =
        QStringLiteral("<b>%1</b><br>%2 \u00b7 <code>%3</code><br>%4")
            .arg(name_.toHtmlEscaped(), kindLabel_, id_.toHtmlEscaped(), figures_.toHtmlEscaped());
    setHeat(heat_);
    setPos(component.position.x, component.position.y);
    QGraphicsObject::update();
}

void ComponentItem::setHeat(const std::optional<ComponentHeat>& heat) {
    heat_ = heat;
    QString tip = toolTip_;
    if (heat)
        tip +=
            QStringLiteral("<br>%1 busy (%2)%3")
                .arg(!(heat->utilisation < 1)
                         ? tr("saturated:")
                         : QString::number(qRound(heat->utilisation * 100)) + QStringLiteral("%"),
                     heat->resource.toHtmlEscaped(),
                     heat->bottleneck ? tr("<br><b>the bottleneck</b>") : QString());
    setToolTip(tip);
    QGraphicsObject::update();
}

QRectF ComponentItem::boundingRect() const {
    return cardRect().adjusted(-4, -4, 4 + kPortRadius, 4);
}

bool ComponentItem::isOnPort(QPointF local) const {
    return QLineF(local, portCentre()).length() <= kPortRadius + 3;
}

void ComponentItem::hoverEnterEvent(QGraphicsSceneHoverEvent* event) {
    hovered_ = true;
    QGraphicsObject::update();
    QGraphicsObject::hoverEnterEvent(event);
}

void ComponentItem::hoverMoveEvent(QGraphicsSceneHoverEvent* event) {
    setCursor(isOnPort(event->pos()) ? Qt::CrossCursor : Qt::ArrowCursor);
    QGraphicsObject::hoverMoveEvent(event);
}

void ComponentItem::hoverLeaveEvent(QGraphicsSceneHoverEvent* event) {
    hovered_ = false;
    unsetCursor();
    QGraphicsObject::update();
    QGraphicsObject::hoverLeaveEvent(event);
}

QPainterPath ComponentItem::shape() const {
    QPainterPath path;
    path.addRoundedRect(cardRect(), kRadius, kRadius);
    path.addEllipse(portCentre(), kPortRadius + 3, kPortRadius + 3);
    return path;
}

void ComponentItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
    const QRectF card = cardRect();
    const QColor accent = kindColor(kind_);
    const bool selected = option->state & QStyle::State_Selected;
    const bool hovered = option->state & QStyle::State_MouseOver;
    painter->setRenderHint(QPainter::Antialiasing);

    // Soft shadow, then the card.
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(15, 23, 42, 28));
    painter->drawRoundedRect(card.translated(0, 2), kRadius, kRadius);
    // With an analysis, the card takes a pale wash of its utilisation colour; the badge below
    // carries the full colour and the number.
    const std::optional<QColor> heat =
        heat_ ? std::optional(utilisationColor(heat_->utilisation)) : std::nullopt;
    const QColor saturatedRed = heatSteps().back().color;
    painter->setBrush(heat ? QColor::fromRgbF(0.6 + 0.4 * heat->redF(), 0.6 + 0.4 * heat->greenF(),
                                              0.6 + 0.4 * heat->blueF())
                           : QColor(Qt::white));
    QPen border(selected                     ? QColor(0x25, 0x63, 0xeb)
                : heat_ && heat_->bottleneck ? saturatedRed
                                             : accent.lighter(hovered ? 100 : 130),
                selected                     ? 2.5
                : heat_ && heat_->bottleneck ? 3
                                             : 1.2);
    painter->setPen(border);
    painter->drawRoundedRect(card, kRadius, kRadius);

    // Accent strip on the left, clipped to the card's rounded corners.
    QPainterPath clip;
    clip.addRoundedRect(card, kRadius, kRadius);
    painter->save();
    painter->setClipPath(clip);
    painter->fillRect(QRectF(card.left(), card.top(), 5, card.height()), accent);
    painter->restore();

    // The connection port: drag from it to another component to link them.
    if (hovered || selected) {
        painter->setPen(QPen(Qt::white, 1.5));
        painter->setBrush(selected ? QColor(0x25, 0x63, 0xeb) : accent);
        painter->drawEllipse(portCentre(), kPortRadius, kPortRadius);
    }

    const QRectF iconRect(card.left() + kPadding + 4, -kIconSize / 2, kIconSize, kIconSize);
    kindRenderer(kind_)->render(painter, iconRect);

    const qreal textLeft = iconRect.right() + 9;
    const qreal textWidth = card.right() - kPadding - textLeft;
    QFont nameFont = painter->font();
    nameFont.setPointSizeF(9.5);
    nameFont.setBold(true);
    QFont smallFont = painter->font();
    smallFont.setPointSizeF(7.5);
    const QFontMetricsF nameMetrics(nameFont);
    const QFontMetricsF smallMetrics(smallFont);

    // Kind caption on top, figures at the bottom, the name (up to two lines) in between.
    const QRectF caption(textLeft, card.top() + 6, textWidth, smallMetrics.height());
    const QRectF figures(textLeft, card.bottom() - 6 - smallMetrics.height(), textWidth,
                         smallMetrics.height());
    const QRectF nameBox(textLeft, caption.bottom(), textWidth, figures.top() - caption.bottom());

    // The utilisation badge in the top right corner.
    qreal captionWidth = textWidth;
    if (heat) {
        QFont badgeFont = smallFont;
        badgeFont.setBold(true);
        const QFontMetricsF badgeMetrics(badgeFont);
        const QString text = !(heat_->utilisation < 1)
                                 ? tr("SAT")
                                 : QString::number(qRound(heat_->utilisation * 100)) + "%";
        const qreal w = badgeMetrics.horizontalAdvance(text) + 10;
        const QRectF badge(card.right() - kPadding - w, card.top() + 5, w,
                           badgeMetrics.height() + 2);
        painter->setPen(QPen(heat->darker(130), 0.8));
        painter->setBrush(*heat);
        painter->drawRoundedRect(badge, badge.height() / 2, badge.height() / 2);
        painter->setFont(badgeFont);
        painter->setPen(textColorOn(*heat));
        painter->drawText(badge, Qt::AlignCenter, text);
        captionWidth = badge.left() - 4 - textLeft;
    }

    painter->setFont(smallFont);
    const bool bottleneck = heat_ && heat_->bottleneck;
    painter->setPen(bottleneck ? saturatedRed : accent.darker(120));
    painter->drawText(caption, Qt::AlignLeft | Qt::AlignVCenter,
                      smallMetrics.elidedText(bottleneck ? tr("BOTTLENECK") : kindLabel_,
                                              Qt::ElideRight, captionWidth));

    painter->setFont(nameFont);
    painter->setPen(QColor(0x0f, 0x17, 0x2a));
    painter->drawText(nameBox, Qt::AlignLeft | Qt::AlignVCenter,
                      wrappedName(nameMetrics, textWidth));

    painter->setFont(smallFont);
    painter->setPen(QColor(0x47, 0x55, 0x69));
    painter->drawText(figures, Qt::AlignLeft | Qt::AlignVCenter,
                      smallMetrics.elidedText(figures_, Qt::ElideRight, textWidth));
}

QString ComponentItem::wrappedName(const QFontMetricsF& metrics, qreal width) const {
    const QString name = name_.isEmpty() ? id_ : name_;
    if (metrics.horizontalAdvance(name) <= width)
        return name;
    // Break at the last space that keeps the first line within the width; elide the rest.
    qsizetype split = -1;
    for (qsizetype i = name.indexOf(' '); i > 0; i = name.indexOf(' ', i + 1)) {
        if (metrics.horizontalAdvance(name.left(i)) > width)
            break;
        split = i;
    }
    if (split < 0)
        return metrics.elidedText(name, Qt::ElideRight, width);
    return name.left(split) + QLatin1Char('\n') +
           metrics.elidedText(name.mid(split + 1), Qt::ElideRight, width);
}

QVariant ComponentItem::itemChange(GraphicsItemChange change, const QVariant& value) {
    if (change == ItemPositionHasChanged)
        emit geometryChanged();
    return QGraphicsObject::itemChange(change, value);
}

} // namespace headroom::ui
