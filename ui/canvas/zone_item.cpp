#include "canvas/zone_item.h"

#include "document/project_document.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

namespace headroom::ui {
namespace {
QFont titleFont() {
    QFont font;
    font.setPointSizeF(8.5);
    font.setBold(true);
    return font;
}
} // namespace

ZoneItem::ZoneItem(const Zone& zone) {
    setFlags(ItemIsSelectable);
    update(zone);
}

void ZoneItem::update(const Zone& zone) {
    prepareGeometryChange();
    id_ = qs(zone.id);
    name_ = qs(zone.name);
    kind_ = zone.kind;
    // Regions behind availability zones, both behind links and components.
    setZValue(kind_ == ZoneKind::Region ? -20 : -10);
    setPos(zone.bounds.x, zone.bounds.y);
    frame_ = QRectF(0, 0, zone.bounds.width, zone.bounds.height);
    setToolTip(QStringLiteral("%1 (%2)").arg(name_.toHtmlEscaped(), qs(label(zone.kind))));
}

QRectF ZoneItem::boundingRect() const {
    return frame_.adjusted(-2, -2, 2, 2);
}

QString ZoneItem::caption() const {
    const QFontMetricsF metrics(titleFont());
    const QString text =
        (kind_ == ZoneKind::Region ? QStringLiteral("REGION  ") : QStringLiteral("AZ  ")) + name_;
    return metrics.elidedText(text, Qt::ElideRight, std::max<qreal>(20, frame_.width() - 24));
}

QRectF ZoneItem::titleTab() const {
    const QFontMetricsF metrics(titleFont());
    return {frame_.left() + 12, frame_.top() + 8, metrics.horizontalAdvance(caption()) + 14,
            metrics.height() + 6};
}

QPainterPath ZoneItem::shape() const {
    QPainterPath outline;
    outline.addRoundedRect(frame_, 12, 12);
    QPainterPathStroker stroker;
    stroker.setWidth(8);
    QPainterPath path = stroker.createStroke(outline);
    path.addRect(titleTab());
    path.addRect(QRectF(frame_.bottomRight() - QPointF(16, 16), QSizeF(18, 18)));
    return path;
}

namespace {
constexpr qreal kGrip = 14;
constexpr qreal kMinZoneSize = 120;
} // namespace

bool ZoneItem::isOnResizeHandle(QPointF local) const {
    return QRectF(frame_.bottomRight() - QPointF(kGrip, kGrip), QSizeF(kGrip + 2, kGrip + 2))
        .contains(local);
}

void ZoneItem::resizePreview(QPointF local) {
    prepareGeometryChange();
    frame_.setWidth(std::max(kMinZoneSize, std::round(local.x() / 20) * 20));
    frame_.setHeight(std::max(kMinZoneSize, std::round(local.y() / 20) * 20));
}

void ZoneItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
    painter->setRenderHint(QPainter::Antialiasing);
    const bool region = kind_ == ZoneKind::Region;
    const bool selected = option->state & QStyle::State_Selected;
    QPen border(region ? QColor(0x94, 0xa3, 0xb8) : QColor(0x60, 0xa5, 0xfa), 1.2);
    if (!region)
        border.setStyle(Qt::DashLine);
    if (selected) {
        border.setColor(QColor(0x25, 0x63, 0xeb));
        border.setWidthF(2);
    }
    painter->setPen(border);
    painter->setBrush(region ? QColor(0xf1, 0xf5, 0xf9, 200) : QColor(0xef, 0xf6, 0xff, 160));
    painter->drawRoundedRect(frame_, 12, 12);

    // Title tab in the top-left corner.
    const QFont font = titleFont();
    const QString shown = caption();
    const QRectF tab = titleTab();
    painter->setPen(Qt::NoPen);
    painter->setBrush(region ? QColor(0xe2, 0xe8, 0xf0) : QColor(0xdb, 0xea, 0xfe));
    painter->drawRoundedRect(tab, 5, 5);
    painter->setFont(font);
    painter->setPen(region ? QColor(0x33, 0x41, 0x55) : QColor(0x1d, 0x4e, 0xd8));
    painter->drawText(tab, Qt::AlignCenter, shown);

    // Resize grip: three short diagonal strokes in the bottom-right corner.
    painter->setPen(QPen(border.color(), 1.2, Qt::SolidLine, Qt::RoundCap));
    const QPointF corner = frame_.bottomRight() - QPointF(4, 4);
    for (int i = 1; i <= 3; ++i)
        painter->drawLine(corner - QPointF(3.0 * i, 0), corner - QPointF(0, 3.0 * i));
}

} // namespace headroom::ui
