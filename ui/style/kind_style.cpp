#include "style/kind_style.h"

#include <QHash>
#include <QSvgRenderer>

namespace headroom::ui {
namespace {
QString iconPath(ComponentKind kind) {
    return QStringLiteral(":/icons/%1.svg").arg(QString::fromStdString(describe(kind).key));
}
} // namespace

QIcon kindIcon(ComponentKind kind) {
    return QIcon(iconPath(kind));
}

QSvgRenderer* kindRenderer(ComponentKind kind) {
    // One renderer per kind for the whole application; owned here, created on first use.
    static QHash<int, QSvgRenderer*> renderers;
    auto*& renderer = renderers[static_cast<int>(kind)];
    if (!renderer)
        renderer = new QSvgRenderer(iconPath(kind));
    return renderer;
}

QColor kindColor(ComponentKind kind) {
    switch (kind) {
    case ComponentKind::Client:
        return QColor(0x5b, 0x67, 0x7a);
    case ComponentKind::Cdn:
        return QColor(0x0f, 0x9d, 0x92);
    case ComponentKind::LoadBalancer:
        return QColor(0x4f, 0x46, 0xe5);
    case ComponentKind::Service:
        return QColor(0x25, 0x63, 0xeb);
    case ComponentKind::Cache:
        return QColor(0xea, 0x7a, 0x0c);
    case ComponentKind::DatabasePrimary:
        return QColor(0x15, 0x80, 0x3d);
    case ComponentKind::ReadReplicas:
        return QColor(0x4a, 0xb8, 0x6a);
    case ComponentKind::Queue:
        return QColor(0x93, 0x33, 0xea);
    case ComponentKind::WorkerGroup:
        return QColor(0xd9, 0x97, 0x06);
    case ComponentKind::ObjectStorage:
        return QColor(0xb9, 0x4a, 0x2c);
    case ComponentKind::ExternalApi:
        return QColor(0x6b, 0x72, 0x80);
    }
    return Qt::gray;
}

QPen linkPen(LinkKind kind) {
    QPen pen(QColor(0x47, 0x55, 0x69), 1.6);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    switch (kind) {
    case LinkKind::SyncCall:
        break;
    case LinkKind::AsyncEnqueue:
        pen.setColor(QColor(0x93, 0x33, 0xea));
        pen.setStyle(Qt::DashLine);
        break;
    case LinkKind::Read:
        pen.setColor(QColor(0x0e, 0x74, 0x90));
        break;
    case LinkKind::Write:
        pen.setColor(QColor(0xc2, 0x41, 0x0c));
        break;
    }
    return pen;
}

QIcon appIcon() {
    return QIcon(QStringLiteral(":/icons/headroom.svg"));
}

} // namespace headroom::ui
