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
    bends_.clear();
    for (const auto& p : link.bends)
        bends_.append(QPointF(p.x, p.y));
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
    linkText_ = text.trimmed();
    setRate(rate_);
    setToolTip(QStringLiteral("%1 \u2192 %2: %3, %4 per request%5")
                   .arg(qs(link.from).toHtmlEscaped(), qs(link.to).toHtmlEscaped(),
                        qs(headroom::label(link.kind)), qs(formatNumber(link.callsPerRequest)),
                        link.onlyOnMiss ? QStringLiteral(", only on cache miss") : QString()));
    adjust();
}

void LinkItem::setRate(std::optional<double> rate) {
    rate_ = rate;
    QString text = linkText_;
    if (rate) {
        // 0.36/s, 3.6/s, 179/s, 3.6k/s: a rate to read at a glance.
        const double r = *rate;
        const QString number = r >= 10000  ? QString::number(r / 1000, 'f', 0) + "k"
                               : r >= 1000 ? QString::number(r / 1000, 'f', 1) + "k"
                               : r >= 10   ? QString::number(r, 'f', 0)
                               : r >= 1    ? QString::number(r, 'f', 1)
                                           : QString::number(r, 'g', 2);
        text += (text.isEmpty() ? QString() : QStringLiteral(" \u00b7 ")) + number + "/s";
    }
    if (text != label_) {
        prepareGeometryChange();
        label_ = text;
        QGraphicsObject::update();
    }
}

void LinkItem::setParallelOffset(qreal offset) {
    offset_ = offset;
    adjust();
}

void LinkItem::adjust() {
    prepareGeometryChange();
    QPointF a = from_->pos();
    QPointF b = to_->pos();
    points_.clear();
    if (!bends_.isEmpty()) {
        // Through the lane: leave the card towards the first bend, arrive from the last.
        points_.append(exitPoint(cardAround(a), a, bends_.front()));
        points_.append(bends_);
        points_.append(exitPoint(cardAround(b), b, bends_.back()));
    } else {
        if (offset_ != 0 && a != b) {
            const QLineF direction(a, b);
            const QPointF normal = QPointF(-direction.dy(), direction.dx()) / direction.length();
            a += normal * offset_;
            b += normal * offset_;
        }
        points_ = {exitPoint(cardAround(from_->pos()), a, b),
                   exitPoint(cardAround(to_->pos()), b, a)};
    }
    path_ = QPainterPath();
    path_.addPolygon(points_);
}

QPointF LinkItem::labelCentre() const {
    // A link through a lane is labelled near its start, where it is still clear whose it is;
    // parallel links put their labels at different points so they do not stack.
    if (bends_.size() >= 2)
        return QLineF(points_[1], points_[2]).pointAt(0.5);
    return QLineF(points_.front(), points_.back())
        .pointAt(std::clamp(0.5 + offset_ * 0.015, 0.2, 0.8));
}

QRectF LinkItem::boundingRect() const {
    const qreal extra = kArrowSize + 4;
    QRectF box = points_.boundingRect().adjusted(-extra, -extra, extra, extra);
    if (!label_.isEmpty()) {
        const QFontMetricsF metrics(labelFont());
        const QSizeF size(metrics.horizontalAdvance(label_) + 12, metrics.height() + 4);
        box |= QRectF(labelCentre() - QPointF(size.width() / 2, size.height() / 2), size);
    }
    return box;
}

QPainterPath LinkItem::shape() const {
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    return stroker.createStroke(path_);
}

void LinkItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
    if (points_.size() < 2)
        return;
    const QLineF last(points_[points_.size() - 2], points_.back());
    if (last.length() < 1)
        return;
    painter->setRenderHint(QPainter::Antialiasing);
    QPen pen = linkPen(kind_);
    if (option->state & QStyle::State_Selected) {
        pen.setColor(QColor(0x25, 0x63, 0xeb));
        pen.setWidthF(pen.widthF() + 1.2);
    }
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPolyline(points_);

    // Arrowhead at the callee.
    const qreal angle = std::atan2(-last.dy(), last.dx());
    const QPointF tip = last.p2();
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
