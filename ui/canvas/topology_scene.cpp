#include "canvas/topology_scene.h"

#include "canvas/component_item.h"
#include "canvas/link_item.h"
#include "canvas/zone_item.h"
#include "document/project_document.h"

#include <QMap>
#include <QScopedValueRollback>

namespace headroom::ui {

TopologyScene::TopologyScene(ProjectDocument* document, QObject* parent)
    : QGraphicsScene(parent), document_(document) {
    setItemIndexMethod(QGraphicsScene::BspTreeIndex);
    connect(document_, &ProjectDocument::projectReset, this, &TopologyScene::rebuild);
    connect(document_, &ProjectDocument::componentChanged, this,
            &TopologyScene::refreshComponent);
    connect(document_, &ProjectDocument::selectionChanged, this,
            &TopologyScene::pullSelectionFromDocument);
    connect(this, &QGraphicsScene::selectionChanged, this,
            &TopologyScene::pushSelectionToDocument);
    rebuild();
}

TopologyScene::~TopologyScene() {
    // ~QGraphicsScene deselects and deletes the items, which would call back into this
    // (already destroyed) subclass and into a document that may be gone.
    disconnect(this, &QGraphicsScene::selectionChanged, this, nullptr);
}

void TopologyScene::rebuild() {
    const QScopedValueRollback guard(syncingSelection_, true);
    clear();
    components_.clear();
    links_.clear();
    zones_.clear();
    const auto& project = document_->project();
    for (const auto& zone : project.zones) {
        auto* item = new ZoneItem(zone);
        addItem(item);
        zones_.insert(qs(zone.id), item);
    }
    for (const auto& component : project.components) {
        auto* item = new ComponentItem(component);
        addItem(item);
        components_.insert(qs(component.id), item);
    }
    for (const auto& link : project.links) {
        auto* from = components_.value(qs(link.from));
        auto* to = components_.value(qs(link.to));
        if (!from || !to || from == to)
            continue; // dangling or self links are reported by validation, not drawn
        auto* item = new LinkItem(link, from, to);
        addItem(item);
        links_.insert(qs(link.id), item);
        connect(from, &ComponentItem::geometryChanged, this, [item] { item->adjust(); });
        connect(to, &ComponentItem::geometryChanged, this, [item] { item->adjust(); });
    }
    spreadParallelLinks();
    setSceneRect(contentRect().adjusted(-2000, -2000, 2000, 2000));
}

void TopologyScene::refreshComponent(const QString& id) {
    if (auto* item = components_.value(id))
        if (const auto* component = document_->project().findComponent(ss(id)))
            item->update(*component);
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
            const bool reversed = group[i]->fromItem()->componentId() >
                                  group[i]->toItem()->componentId();
            const qreal offset = first + kSpacing * i;
            group[i]->setParallelOffset(reversed ? -offset : offset);
        }
    }
}

QRectF TopologyScene::contentRect() const {
    return itemsBoundingRect().adjusted(-40, -40, 40, 40);
}

void TopologyScene::pushSelectionToDocument() {
    if (syncingSelection_ || !document_)
        return;
    const QScopedValueRollback guard(syncingSelection_, true);
    QStringList components, links;
    for (auto* item : selectedItems()) {
        if (auto* c = qgraphicsitem_cast<ComponentItem*>(item))
            components.append(c->componentId());
        else if (auto* l = qgraphicsitem_cast<LinkItem*>(item))
            links.append(l->linkId());
    }
    // Stable order: the document's order, not the scene's hit order.
    QStringList ordered;
    for (const auto& c : document_->project().components)
        if (components.contains(qs(c.id)))
            ordered.append(qs(c.id));
    document_->setSelection(ordered, links);
}

void TopologyScene::pullSelectionFromDocument() {
    if (syncingSelection_)
        return;
    const QScopedValueRollback guard(syncingSelection_, true);
    const auto& selectedComponents = document_->selectedComponents();
    const auto& selectedLinks = document_->selectedLinks();
    for (auto it = components_.cbegin(); it != components_.cend(); ++it)
        it.value()->setSelected(selectedComponents.contains(it.key()));
    for (auto it = links_.cbegin(); it != links_.cend(); ++it)
        it.value()->setSelected(selectedLinks.contains(it.key()));
}

} // namespace headroom::ui
