#include "canvas/topology_scene.h"

#include "analysis/analysis.h"
#include "canvas/component_item.h"
#include "canvas/link_item.h"
#include "canvas/zone_item.h"
#include "document/project_document.h"

#include <QGraphicsLineItem>
#include <QGraphicsSceneMouseEvent>
#include <QMap>
#include <QScopedValueRollback>
#include <QStringList>

namespace headroom::ui {
namespace {

/// The innermost zone (smallest frame) containing the point, or "" when none does.
std::string zoneAt(const Project& project, Point p) {
    const Zone* best = nullptr;
    for (const auto& zone : project.zones)
        if (zone.bounds.contains(p) && (!best || zone.bounds.width * zone.bounds.height <
                                                     best->bounds.width * best->bounds.height))
            best = &zone;
    return best ? best->id : std::string();
}

QString plural(int n, const QString& one, const QString& many) {
    return QString::number(n) + QLatin1Char(' ') + (n == 1 ? one : many);
}

} // namespace

TopologyScene::TopologyScene(ProjectDocument* document, QObject* parent)
    : QGraphicsScene(parent), document_(document) {
    setItemIndexMethod(QGraphicsScene::BspTreeIndex);
    auto* d = document_.data();
    connect(d, &ProjectDocument::projectReset, this, &TopologyScene::rebuild);
    connect(d, &ProjectDocument::componentAdded, this, &TopologyScene::onComponentAdded);
    connect(d, &ProjectDocument::componentRemoved, this, &TopologyScene::onComponentRemoved);
    connect(d, &ProjectDocument::componentChanged, this, &TopologyScene::onComponentChanged);
    connect(d, &ProjectDocument::linkAdded, this, &TopologyScene::onLinkAdded);
    connect(d, &ProjectDocument::linkRemoved, this, &TopologyScene::onLinkRemoved);
    connect(d, &ProjectDocument::linkChanged, this, &TopologyScene::onLinkChanged);
    connect(d, &ProjectDocument::zoneAdded, this, &TopologyScene::onZoneAdded);
    connect(d, &ProjectDocument::zoneRemoved, this, &TopologyScene::onZoneRemoved);
    connect(d, &ProjectDocument::zoneChanged, this, &TopologyScene::onZoneChanged);
    connect(d, &ProjectDocument::edited, this, &TopologyScene::updateSceneRect);
    connect(d, &ProjectDocument::selectionChanged, this, &TopologyScene::pullSelectionFromDocument);
    connect(this, &QGraphicsScene::selectionChanged, this, &TopologyScene::pushSelectionToDocument);
    rebuild();
}

TopologyScene::~TopologyScene() {
    // ~QGraphicsScene deselects and deletes the items, which would call back into this
    // (already destroyed) subclass and into a document that may be gone.
    disconnect(this, &QGraphicsScene::selectionChanged, this, nullptr);
}

// ---- mirroring the document -----------------------------------------------------------------

void TopologyScene::rebuild() {
    const QScopedValueRollback guard(syncingSelection_, true);
    gesture_ = Gesture::None;
    connectLine_ = nullptr;
    resizing_ = nullptr;
    zoneSketch_ = nullptr;
    zoneToDraw_.reset();
    clear();
    components_.clear();
    links_.clear();
    zones_.clear();
    const auto& project = document_->project();
    for (const auto& zone : project.zones)
        addZoneItem(zone);
    for (const auto& component : project.components)
        addComponentItem(component);
    for (const auto& link : project.links)
        addLinkItem(link);
    spreadParallelLinks();
    updateSceneRect();
}

void TopologyScene::addComponentItem(const Component& component) {
    auto* item = new ComponentItem(component);
    addItem(item);
    components_.insert(qs(component.id), item);
}

void TopologyScene::addZoneItem(const Zone& zone) {
    auto* item = new ZoneItem(zone);
    addItem(item);
    zones_.insert(qs(zone.id), item);
}

void TopologyScene::addLinkItem(const Link& link) {
    auto* from = components_.value(qs(link.from));
    auto* to = components_.value(qs(link.to));
    if (!from || !to || from == to)
        return; // dangling or self links are reported by validation, not drawn
    auto* item = new LinkItem(link, from, to);
    addItem(item);
    links_.insert(qs(link.id), item);
    connect(from, &ComponentItem::geometryChanged, item, &LinkItem::adjust);
    connect(to, &ComponentItem::geometryChanged, item, &LinkItem::adjust);
}

void TopologyScene::removeLinkItem(const QString& id) {
    if (auto* item = links_.take(id))
        delete item;
}

void TopologyScene::onComponentAdded(const QString& id) {
    if (const auto* c = document_->project().findComponent(ss(id)))
        addComponentItem(*c);
}

void TopologyScene::onComponentRemoved(const QString& id) {
    // Links go first in every delta; any left over (dangling) go with their end.
    for (const auto& linkId : links_.keys())
        if (auto* l = links_.value(linkId);
            l->fromItem()->componentId() == id || l->toItem()->componentId() == id)
            removeLinkItem(linkId);
    delete components_.take(id);
}

void TopologyScene::onComponentChanged(const QString& id) {
    auto* item = components_.value(id);
    const auto* component = document_->project().findComponent(ss(id));
    if (item && component)
        item->update(*component);
}

void TopologyScene::onLinkAdded(const QString& id) {
    if (const auto* l = document_->project().findLink(ss(id)))
        addLinkItem(*l);
    spreadParallelLinks();
}

void TopologyScene::onLinkRemoved(const QString& id) {
    removeLinkItem(id);
    spreadParallelLinks();
}

void TopologyScene::onLinkChanged(const QString& id) {
    const auto* link = document_->project().findLink(ss(id));
    auto* item = links_.value(id);
    if (!link)
        return;
    if (item && item->fromItem()->componentId() == qs(link->from) &&
        item->toItem()->componentId() == qs(link->to)) {
        item->update(*link);
    } else {
        removeLinkItem(id);
        addLinkItem(*link);
        spreadParallelLinks();
    }
}

void TopologyScene::onZoneAdded(const QString& id) {
    if (const auto* z = document_->project().findZone(ss(id)))
        addZoneItem(*z);
}

void TopologyScene::onZoneRemoved(const QString& id) {
    delete zones_.take(id);
}

void TopologyScene::onZoneChanged(const QString& id) {
    auto* item = zones_.value(id);
    const auto* zone = document_->project().findZone(ss(id));
    if (item && zone)
        item->update(*zone);
}

void TopologyScene::spreadParallelLinks() {
    // Links between the same two components (either direction) fan out side by side.
    QMap<QPair<QString, QString>, QList<LinkItem*>> groups;
    for (auto* link : std::as_const(links_)) {
        auto a = link->fromItem()->componentId();
        auto b = link->toItem()->componentId();
        if (b < a)
            std::swap(a, b);
        groups[{a, b}].append(link);
    }
    constexpr qreal kSpacing = 14;
    for (auto& group : groups) {
        std::sort(group.begin(), group.end(),
                  [](auto* x, auto* y) { return x->linkId() < y->linkId(); });
        const qreal first = -kSpacing * (group.size() - 1) / 2.0;
        for (int i = 0; i < group.size(); ++i) {
            // The offset is relative to each link's own direction; flip reversed ones so
            // the lines do not cross.
            const bool reversed =
                group[i]->fromItem()->componentId() > group[i]->toItem()->componentId();
            const qreal offset = first + kSpacing * i;
            group[i]->setParallelOffset(reversed ? -offset : offset);
        }
    }
}

void TopologyScene::updateSceneRect() {
    // Generous room around the content so there is space to drop and drag into.
    setSceneRect(contentRect().adjusted(-2000, -2000, 2000, 2000));
}

QRectF TopologyScene::contentRect() const {
    QRectF box;
    for (auto* item : items())
        if (item != connectLine_ && item != zoneSketch_)
            box |= item->sceneBoundingRect();
    return box.adjusted(-40, -40, 40, 40);
}

ComponentItem* TopologyScene::componentAt(QPointF scenePos) const {
    for (auto* item : items(scenePos))
        if (auto* c = qgraphicsitem_cast<ComponentItem*>(item))
            return c;
    return nullptr;
}

// ---- selection ------------------------------------------------------------------------------

void TopologyScene::pushSelectionToDocument() {
    if (syncingSelection_ || !document_)
        return;
    const QScopedValueRollback guard(syncingSelection_, true);
    QStringList components, links, zones;
    for (auto* item : selectedItems()) {
        if (auto* c = qgraphicsitem_cast<ComponentItem*>(item))
            components.append(c->componentId());
        else if (auto* l = qgraphicsitem_cast<LinkItem*>(item))
            links.append(l->linkId());
        else if (auto* z = qgraphicsitem_cast<ZoneItem*>(item))
            zones.append(z->zoneId());
    }
    // Stable order: the document's order, not the scene's hit order.
    QStringList ordered;
    for (const auto& c : document_->project().components)
        if (components.contains(qs(c.id)))
            ordered.append(qs(c.id));
    document_->setSelection(ordered, links, zones);
}

void TopologyScene::pullSelectionFromDocument() {
    if (syncingSelection_)
        return;
    const QScopedValueRollback guard(syncingSelection_, true);
    const auto& components = document_->selectedComponents();
    const auto& links = document_->selectedLinks();
    const auto& zones = document_->selectedZones();
    for (auto it = components_.cbegin(); it != components_.cend(); ++it)
        it.value()->setSelected(components.contains(it.key()));
    for (auto it = links_.cbegin(); it != links_.cend(); ++it)
        it.value()->setSelected(links.contains(it.key()));
    for (auto it = zones_.cbegin(); it != zones_.cend(); ++it)
        it.value()->setSelected(zones.contains(it.key()));
}

// ---- gestures -------------------------------------------------------------------------------

QPointF TopologyScene::snapped(QPointF p) {
    return {std::round(p.x() / kGrid) * kGrid, std::round(p.y() / kGrid) * kGrid};
}

void TopologyScene::beginDrag(const QString& anchorId) {
    gesture_ = Gesture::Move;
    anchorId_ = anchorId;
    dragStart_.clear();
    for (const auto& id : document_->selectedComponents())
        if (auto* item = components_.value(id))
            dragStart_.insert(id, item->pos());
    if (auto* anchor = components_.value(anchorId); anchor && !dragStart_.contains(anchorId))
        dragStart_.insert(anchorId, anchor->pos());
}

void TopologyScene::dragTo(QPointF delta, bool snap) {
    if (gesture_ != Gesture::Move || dragStart_.isEmpty())
        return;
    // Snap the dragged card to the grid and move the others by the same amount, so a group
    // keeps its shape.
    const QPointF anchorStart = dragStart_.value(anchorId_, dragStart_.cbegin().value());
    const QPointF target = anchorStart + delta;
    const QPointF step = (snap ? snapped(target) : target) - anchorStart;
    for (auto it = dragStart_.cbegin(); it != dragStart_.cend(); ++it)
        if (auto* item = components_.value(it.key()))
            item->setPos(it.value() + step);
}

void TopologyScene::endDrag() {
    if (gesture_ != Gesture::Move)
        return;
    gesture_ = Gesture::None;
    const auto& project = document_->project();
    DeltaBuilder edit(project);
    QStringList moved;
    for (auto it = dragStart_.cbegin(); it != dragStart_.cend(); ++it) {
        auto* item = components_.value(it.key());
        const auto* component = project.findComponent(ss(it.key()));
        if (!item || !component || item->pos() == it.value())
            continue;
        Component changed = *component;
        changed.position = {item->pos().x(), item->pos().y()};
        // Dropped inside a zone frame: it now belongs to that zone (or to none outside all).
        changed.zone = zoneAt(project, changed.position);
        edit.setComponent(changed);
        moved.append(it.key());
        // Lanes from auto-layout no longer fit once an end moves: straighten its links.
        for (const auto& link : project.links)
            if (!link.bends.empty() && (link.from == component->id || link.to == component->id)) {
                Link straight = link;
                straight.bends.clear();
                edit.setLink(straight);
            }
    }
    dragStart_.clear();
    if (moved.isEmpty())
        return;
    moved.sort();
    document_->edit(edit.build(),
                    moved.size() == 1
                        ? tr("Move %1").arg(moved.front())
                        : tr("Move %1").arg(plural(static_cast<int>(moved.size()), tr("component"),
                                                   tr("components"))),
                    QStringLiteral("move:") + moved.join(','));
}

void TopologyScene::beginZoneDrawing(ZoneKind kind) {
    zoneToDraw_ = kind;
    emit message(
        tr("Drag on the canvas to draw the %1; Esc cancels").arg(qs(label(kind)).toLower()));
}

void TopologyScene::cancelZoneDrawing() {
    zoneToDraw_.reset();
    delete zoneSketch_;
    zoneSketch_ = nullptr;
    if (gesture_ == Gesture::DrawZone)
        gesture_ = Gesture::None;
}

void TopologyScene::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    if (event->button() != Qt::LeftButton) {
        QGraphicsScene::mousePressEvent(event);
        return;
    }
    pressScenePos_ = event->scenePos();
    if (zoneToDraw_) {
        gesture_ = Gesture::DrawZone;
        const QPointF corner = snapped(event->scenePos());
        zoneSketch_ =
            addRect(QRectF(corner, corner), QPen(QColor(0x25, 0x63, 0xeb), 1.5, Qt::DashLine),
                    QColor(0x25, 0x63, 0xeb, 24));
        zoneSketch_->setZValue(100);
        event->accept();
        return;
    }
    auto* component = componentAt(event->scenePos());
    if (component && component->isOnPort(component->mapFromScene(event->scenePos()))) {
        gesture_ = Gesture::Connect;
        connectFrom_ = component->componentId();
        connectLine_ = addLine(QLineF(component->pos(), event->scenePos()),
                               QPen(QColor(0x25, 0x63, 0xeb), 1.6, Qt::DashLine));
        connectLine_->setZValue(100);
        event->accept();
        return;
    }
    for (auto* item : items(event->scenePos()))
        if (auto* zone = qgraphicsitem_cast<ZoneItem*>(item);
            zone && zone->isOnResizeHandle(zone->mapFromScene(event->scenePos()))) {
            gesture_ = Gesture::ResizeZone;
            resizing_ = zone;
            event->accept();
            return;
        }
    // Pressing on a card that is already selected keeps the selection, so a group can be
    // dragged; a click without a move then selects just that card (as file managers do).
    const bool extend = event->modifiers() & (Qt::ControlModifier | Qt::ShiftModifier);
    if (component && component->isSelected() && !extend) {
        clickedSelected_ = component->componentId();
        beginDrag(component->componentId());
        event->accept();
        return;
    }
    clickedSelected_.clear();
    // Default handling does the selection (click, Ctrl+click, rubber band in the view).
    QGraphicsScene::mousePressEvent(event);
    if (component && component->isSelected())
        beginDrag(component->componentId());
}

void TopologyScene::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    switch (gesture_) {
    case Gesture::Move:
        dragTo(event->scenePos() - pressScenePos_, !(event->modifiers() & Qt::AltModifier));
        event->accept();
        return;
    case Gesture::Connect:
        connectLine_->setLine(QLineF(connectLine_->line().p1(), event->scenePos()));
        event->accept();
        return;
    case Gesture::ResizeZone:
        if (resizing_)
            resizing_->resizePreview(resizing_->mapFromScene(event->scenePos()));
        event->accept();
        return;
    case Gesture::DrawZone:
        zoneSketch_->setRect(
            QRectF(snapped(pressScenePos_), snapped(event->scenePos())).normalized());
        event->accept();
        return;
    case Gesture::None:
        break;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void TopologyScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    switch (gesture_) {
    case Gesture::Move: {
        const bool moved = event->scenePos() != pressScenePos_;
        endDrag();
        if (!moved && !clickedSelected_.isEmpty()) {
            if (auto* item = components_.value(clickedSelected_)) {
                clearSelection();
                item->setSelected(true);
            }
        }
        clickedSelected_.clear();
        break;
    }
    case Gesture::Connect: {
        gesture_ = Gesture::None;
        delete connectLine_;
        connectLine_ = nullptr;
        auto* target = componentAt(event->scenePos());
        if (target && target->componentId() != connectFrom_)
            emit connectRequested(connectFrom_, target->componentId(), event->screenPos());
        else if (!target)
            emit message(tr("Drop the link on another component to connect them"));
        event->accept();
        return;
    }
    case Gesture::ResizeZone:
        gesture_ = Gesture::None;
        if (resizing_)
            commitZoneResize(resizing_);
        resizing_ = nullptr;
        event->accept();
        return;
    case Gesture::DrawZone: {
        const QRectF frame =
            QRectF(snapped(pressScenePos_), snapped(event->scenePos())).normalized();
        const ZoneKind kind = *zoneToDraw_;
        cancelZoneDrawing();
        if (frame.width() >= 100 && frame.height() >= 80)
            emit zoneDrawn(kind, frame);
        else
            emit message(tr("Too small for a zone: drag a larger frame"));
        event->accept();
        return;
    }
    case Gesture::None:
        break;
    }
    QGraphicsScene::mouseReleaseEvent(event);
}

void TopologyScene::commitZoneResize(ZoneItem* item) {
    const auto* zone = document_->project().findZone(ss(item->zoneId()));
    if (!zone)
        return;
    Zone changed = *zone;
    const QRectF frame = item->previewFrame();
    changed.bounds = {frame.x(), frame.y(), frame.width(), frame.height()};
    DeltaBuilder edit(document_->project());
    edit.setZone(changed);
    document_->edit(edit.build(), tr("Resize zone %1").arg(item->zoneId()),
                    QStringLiteral("resize-zone:") + item->zoneId());
    item->update(*document_->project().findZone(ss(item->zoneId())));
}

void TopologyScene::showAnalysis(const analysis::Analysis* analysis) {
    QSet<QString> shown;
    if (analysis) {
        for (std::size_t v = 0; v < analysis->components.size(); ++v) {
            const auto& a = analysis->components[v];
            auto* item = components_.value(qs(a.id));
            if (!item)
                continue;
            shown.insert(item->componentId());
            const auto* binding = a.station.binding();
            if (!binding) { // a client or a CDN: no limit of its own
                item->setHeat(std::nullopt);
                continue;
            }
            item->setHeat(
                ComponentHeat{binding->utilisation, qs(binding->name), analysis->bottleneck == v});
        }
    }
    for (auto* item : std::as_const(components_))
        if (!shown.contains(item->componentId()))
            item->setHeat(std::nullopt);
    const auto& project = document_->project();
    for (std::size_t l = 0; l < project.links.size(); ++l)
        if (auto* item = links_.value(qs(project.links[l].id)))
            item->setRate(analysis && l < analysis->links.size() && !analysis->links[l].closesCycle
                              ? std::optional(analysis->links[l].rate)
                              : std::nullopt);
}

} // namespace headroom::ui
