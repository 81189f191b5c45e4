#include "canvas/link_item.h"

#include "canvas/component_item.h"
#include "document/project_document.h"
#include "model/property.h"
#include "style/kind_style.h"

#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>
#include <QtMath>

namespace headroom::ui {
namespace {
constexpr qreal kArrowSize = 9;

/// Where the segment from the card's centre towards `outside` leaves the card.
QPointF exitPoint(const QRectF& card, QPointF centre, QPointF outside) {
    const QLineF ray(centre, outside);
    const QPointF corners[] = {card.topLeft(), card.topRight(), card.bottomRight(),
                               card.bottomLeft()};
    for (int i = 0; i < 4; ++i) {
        QPointF hit;
        if (ray.intersects(QLineF(corners[i], corners[(i + 1) % 4]), &hit) ==
            QLineF::BoundedIntersection)
            return hit;
    }
    return centre;
}

QRectF cardAround(QPointF centre) {
    return {centre.x() - ComponentItem::kWidth / 2, centre.y() - ComponentItem::kHeight / 2,
            ComponentItem::kWidth, ComponentItem::kHeight};
}

QFont labelFont() {
    QFont font;
    font.setPointSizeF(7.5);
    return font;
}
} // namespace

LinkItem::LinkItem(const Link& link, ComponentItem* from, ComponentItem* to)
    : from_(from), to_(to) {
    setFlags(ItemIsSelectable);
    setZValue(0);
    update(link);
}

void LinkItem::update(const Link& link) {
    id_ = qs(link.id);
    kind_ = link.kind;
    // Short words on the canvas; the tooltip and the properties panel say it in full.
    QString text;
    if (link.kind == LinkKind::AsyncEnqueue)
        text = QStringLiteral("async");
    else if (link.kind != LinkKind::SyncCall)
        text = qs(headroom::label(link.kind));
    if (link.callsPerRequest != 1.0)
        text += (text.isEmpty() ? "" : " ") + QStringLiteral("\u00d7") +
                qs(formatNumber(link.callsPerRequest));
    if (link.onlyOnMiss)
        text += QStringLiteral(" (on miss)");
    label_ = text.trimmed();
    setToolTip(QStringLiteral("%1 \u2192 %2: %3, %4 per request%5")
                   .arg(qs(link.from).toHtmlEscaped(), qs(link.to).toHtmlEscaped(),
                        qs(headroom::label(link.kind)), qs(formatNumber(link.callsPerRequest)),
                        link.onlyOnMiss ? QStringLiteral(", only on cache miss") : QString()));
    adjust();
}

void LinkItem::setParallelOffset(qreal offset) {
    offset_ = offset;
    adjust();
}

void LinkItem::adjust() {
    prepareGeometryChange();
    QPointF a = from_->pos();
    QPointF b = to_->pos();
    if (offset_ != 0 && a != b) {
        const QLineF direction(a, b);
        const QPointF normal = QPointF(-direction.dy(), direction.dx()) / direction.length();
        a += normal * offset_;
        b += normal * offset_;
    }
    line_ = QLineF(exitPoint(cardAround(from_->pos()), a, b),
                   exitPoint(cardAround(to_->pos()), b, a));
}

QPointF LinkItem::labelCentre() const {
    // Parallel links put their labels at different points along the line so they do not stack.
    return line_.pointAt(std::clamp(0.5 + offset_ * 0.015, 0.2, 0.8));
}

QRectF LinkItem::boundingRect() const {
    const qreal extra = kArrowSize + 4;
    QRectF box = QRectF(line_.p1(), line_.p2()).normalized().adjusted(-extra, -extra, extra, extra);
    if (!label_.isEmpty()) {
        const QFontMetricsF metrics(labelFont());
        const QSizeF size(metrics.horizontalAdvance(label_) + 12, metrics.height() + 4);
        box |= QRectF(labelCentre() - QPointF(size.width() / 2, size.height() / 2), size);
    }
    return box;
}

QPainterPath LinkItem::shape() const {
    QPainterPath path(line_.p1());
    path.lineTo(line_.p2());
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    return stroker.createStroke(path);
}

void LinkItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
    if (line_.length() < 1)
        return;
    painter->setRenderHint(QPainter::Antialiasing);
    QPen pen = linkPen(kind_);
    if (option->state & QStyle::State_Selected) {
        pen.setColor(QColor(0x25, 0x63, 0xeb));
        pen.setWidthF(pen.widthF() + 1.2);
    }
    painter->setPen(pen);
    painter->drawLine(line_);

    // Arrowhead at the callee.
    const qreal angle = std::atan2(-line_.dy(), line_.dx());
    const QPointF tip = line_.p2();
    const QPointF left = tip - QPointF(std::cos(angle - M_PI / 7) * kArrowSize,
                                       -std::sin(angle - M_PI / 7) * kArrowSize);
    const QPointF right = tip - QPointF(std::cos(angle + M_PI / 7) * kArrowSize,
                                        -std::sin(angle + M_PI / 7) * kArrowSize);
    painter->setPen(Qt::NoPen);
    painter->setBrush(pen.color());
    painter->drawPolygon(QPolygonF({tip, left, right}));

    if (label_.isEmpty())
        return;
    const QFont font = labelFont();
    const QFontMetricsF metrics(font);
    const QSizeF size(metrics.horizontalAdvance(label_) + 10, metrics.height() + 2);
    const QRectF pill(labelCentre() - QPointF(size.width() / 2, size.height() / 2), size);
    painter->setBrush(QColor(255, 255, 255, 235));
    painter->setPen(QPen(pen.color().lighter(150), 0.8));
    painter->drawRoundedRect(pill, size.height() / 2, size.height() / 2);
    painter->setFont(font);
    painter->setPen(pen.color().darker(120));
    painter->drawText(pill, Qt::AlignCenter, label_);
}

} // namespace headroom::ui
