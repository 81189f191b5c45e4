#include "editor/edit_actions.h"

#include "canvas/component_item.h"
#include "canvas/topology_scene.h"
#include "canvas/topology_view.h"
#include "document/project_document.h"
#include "layout/layered_layout.h"
#include "model/fragment.h"
#include "storage/json_format.h"
#include "style/kind_style.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QMimeData>

namespace headroom::ui {
namespace {
const QString kFragmentMime = QStringLiteral("application/x-headroom-fragment+json");

std::vector<std::string> toStd(const QStringList& ids) {
    std::vector<std::string> out;
    for (const auto& id : ids)
        out.push_back(ss(id));
    return out;
}

QString countText(qsizetype n, const QString& one, const QString& many) {
    return n == 1 ? one : QString::number(n) + QLatin1Char(' ') + many;
}
} // namespace

EditActions::EditActions(ProjectDocument* document, TopologyView* view, QWidget* parent)
    : QObject(parent), document_(document), view_(view), parentWidget_(parent) {
    undo_ = document_->undoStack()->createUndoAction(this, tr("&Undo"));
    undo_->setShortcut(QKeySequence::Undo);
    redo_ = document_->undoStack()->createRedoAction(this, tr("&Redo"));
    redo_->setShortcut(QKeySequence::Redo);
    cut_ = make(tr("Cu&t"), QKeySequence::Cut, &EditActions::cutSelection);
    copy_ = new QAction(tr("&Copy"), this);
    copy_->setShortcut(QKeySequence::Copy);
    connect(copy_, &QAction::triggered, this, [this] { copySelection(); });
    paste_ = new QAction(tr("&Paste"), this);
    paste_->setShortcut(QKeySequence::Paste);
    connect(paste_, &QAction::triggered, this, [this] { paste(); });
    duplicate_ = make(tr("D&uplicate"), QKeySequence(Qt::CTRL | Qt::Key_D),
                      &EditActions::duplicateSelection);
    delete_ = make(tr("&Delete"), QKeySequence::Delete, &EditActions::deleteSelection);
    delete_->setShortcuts({QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)});
    selectAll_ = make(tr("Select &All"), QKeySequence::SelectAll, &EditActions::selectAll);
    autoLayout_ = make(tr("Auto-&Layout"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L),
                       &EditActions::autoLayout);
    autoLayout_->setStatusTip(tr("Lay the topology out in layers from the entry points"));

    const std::pair<QString, layout::Alignment> alignments[] = {
        {tr("Align &Left"), layout::Alignment::Left},
        {tr("Align &Centre"), layout::Alignment::HorizontalCentre},
        {tr("Align &Right"), layout::Alignment::Right},
        {tr("Align &Top"), layout::Alignment::Top},
        {tr("Align &Middle"), layout::Alignment::VerticalCentre},
        {tr("Align &Bottom"), layout::Alignment::Bottom}};
    for (const auto& [text, alignment] : alignments) {
        auto* action = new QAction(text, this);
        connect(action, &QAction::triggered, this, [this, a = alignment] { alignSelection(a); });
        alignActions_.append(action);
    }
    for (auto [text, axis] : {std::pair{tr("Distribute &Horizontally"), layout::Axis::Horizontal},
                              std::pair{tr("Distribute &Vertically"), layout::Axis::Vertical}}) {
        auto* action = new QAction(text, this);
        connect(action, &QAction::triggered, this, [this, a = axis] { distributeSelection(a); });
        distributeActions_.append(action);
    }
    addRegion_ = new QAction(tr("Draw &Region"), this);
    addRegion_->setStatusTip(tr("Drag a frame on the canvas, or wrap the selected components"));
    addAvailabilityZone_ = new QAction(tr("Draw &Availability Zone"), this);
    addAvailabilityZone_->setStatusTip(addRegion_->statusTip());
    auto addZoneAround = [this](ZoneKind kind) {
        // Around the selection when there is one, else the user drags the frame.
        QRectF frame;
        for (const auto& id : document_->selectedComponents())
            if (auto* item = view_->topologyScene()->componentItem(id))
                frame |= item->sceneBoundingRect();
        if (frame.isNull()) {
            view_->topologyScene()->beginZoneDrawing(kind);
            view_->viewport()->setCursor(Qt::CrossCursor);
            view_->setFocus();
            return;
        }
        frame.adjust(-30, -56, 30, 30);
        addZone(kind, {frame.x(), frame.y(), frame.width(), frame.height()});
    };
    connect(view_->topologyScene(), &TopologyScene::zoneDrawn, this,
            [this](ZoneKind kind, QRectF frame) {
                view_->viewport()->unsetCursor();
                addZone(kind, {frame.x(), frame.y(), frame.width(), frame.height()});
            });
    connect(addRegion_, &QAction::triggered, this,
            [addZoneAround] { addZoneAround(ZoneKind::Region); });
    connect(addAvailabilityZone_, &QAction::triggered, this,
            [addZoneAround] { addZoneAround(ZoneKind::AvailabilityZone); });

    connect(document_, &ProjectDocument::selectionChanged, this, &EditActions::updateEnabled);
    connect(document_, &ProjectDocument::projectReset, this, &EditActions::updateEnabled);
    connect(QApplication::clipboard(), &QClipboard::dataChanged, this, &EditActions::updateEnabled);
    updateEnabled();
}

QAction* EditActions::make(const QString& text, const QKeySequence& shortcut,
                           void (EditActions::*slot)()) {
    auto* action = new QAction(text, this);
    action->setShortcut(shortcut);
    connect(action, &QAction::triggered, this, slot);
    return action;
}

void EditActions::fillEditMenu(QMenu* menu) const {
    menu->addAction(undo_);
    menu->addAction(redo_);
    menu->addSeparator();
    menu->addAction(cut_);
    menu->addAction(copy_);
    menu->addAction(paste_);
    menu->addAction(duplicate_);
    menu->addAction(delete_);
    menu->addSeparator();
    menu->addAction(selectAll_);
}

void EditActions::fillArrangeMenu(QMenu* menu) const {
    menu->addAction(autoLayout_);
    menu->addSeparator();
    menu->addActions(alignActions_);
    menu->addSeparator();
    menu->addActions(distributeActions_);
}

void EditActions::fillInsertMenu(QMenu* menu) const {
    for (const auto& kind : allKinds()) {
        auto* action = menu->addAction(kindIcon(kind.kind), qs(kind.label));
        action->setStatusTip(qs(kind.description));
        connect(action, &QAction::triggered, this, [this, k = kind.kind] {
            const QPointF at = view_->visibleCentre();
            const_cast<EditActions*>(this)->addComponent(k, {at.x(), at.y()});
        });
    }
    menu->addSeparator();
    menu->addAction(addRegion_);
    menu->addAction(addAvailabilityZone_);
}

void EditActions::updateEnabled() {
    const bool components = !document_->selectedComponents().isEmpty();
    const bool anything = components || !document_->selectedLinks().isEmpty() ||
                          !document_->selectedZones().isEmpty();
    cut_->setEnabled(components);
    copy_->setEnabled(components);
    duplicate_->setEnabled(components);
    delete_->setEnabled(anything);
    const auto* mime = QApplication::clipboard()->mimeData();
    paste_->setEnabled(mime && (mime->hasFormat(kFragmentMime) || mime->hasText()));
    const auto count = document_->selectedComponents().size();
    for (auto* a : std::as_const(alignActions_))
        a->setEnabled(count >= 2);
    for (auto* a : std::as_const(distributeActions_))
        a->setEnabled(count >= 3);
}

// ---- adding ---------------------------------------------------------------------------------

QString EditActions::addComponent(ComponentKind kind, Point at) {
    const auto& project = document_->project();
    const auto& descriptor = describe(kind);
    Component component =
        makeComponent(kind, uniqueId(descriptor.key, idsInUse(project)), descriptor.label);
    const QPointF snappedAt = TopologyScene::snapped(QPointF(at.x, at.y));
    component.position = {snappedAt.x(), snappedAt.y()};
    // Dropped inside a zone: it belongs to the innermost one.
    const Zone* best = nullptr;
    for (const auto& zone : project.zones)
        if (zone.bounds.contains(component.position) &&
            (!best ||
             zone.bounds.width * zone.bounds.height < best->bounds.width * best->bounds.height))
            best = &zone;
    if (best)
        component.zone = best->id;
    DeltaBuilder edit(project);
    edit.setComponent(component);
    document_->edit(edit.build(), tr("Add %1").arg(qs(descriptor.label)));
    document_->setSelection({qs(component.id)});
    return qs(component.id);
}

QString EditActions::connectComponents(const QString& from, const QString& to, LinkKind kind) {
    const auto& project = document_->project();
    const auto* a = project.findComponent(ss(from));
    const auto* b = project.findComponent(ss(to));
    if (!a || !b || a == b)
        return {};
    if (auto refusal = linkRefusal(a->kind, b->kind, kind)) {
        emit message(tr("Cannot connect: %1").arg(qs(*refusal)));
        return {};
    }
    Link link;
    link.id = uniqueId(a->id + "-" + b->id, idsInUse(project));
    link.from = a->id;
    link.to = b->id;
    link.kind = kind;
    DeltaBuilder edit(project);
    edit.setLink(link);
    document_->edit(edit.build(), tr("Connect %1 \u2192 %2").arg(from, to));
    document_->setSelection({}, {qs(link.id)});
    return qs(link.id);
}

void EditActions::connectInteractively(const QString& from, const QString& to, QPoint screenPos) {
    const auto* a = document_->project().findComponent(ss(from));
    const auto* b = document_->project().findComponent(ss(to));
    if (!a || !b)
        return;
    QList<LinkKind> allowed;
    for (auto kind : allLinkKinds())
        if (!linkRefusal(a->kind, b->kind, kind))
            allowed.append(kind);
    if (allowed.isEmpty()) {
        emit message(
            tr("Cannot connect: %1").arg(qs(*linkRefusal(a->kind, b->kind, LinkKind::SyncCall))));
        return;
    }
    if (allowed.size() == 1) {
        connectComponents(from, to, allowed.front());
        return;
    }
    QMenu menu(parentWidget_);
    menu.setTitle(tr("Link kind"));
    menu.addSection(tr("%1 \u2192 %2").arg(qs(a->name), qs(b->name)));
    for (auto kind : allowed) {
        auto* action = menu.addAction(qs(label(kind)));
        action->setData(static_cast<int>(kind));
    }
    if (auto* chosen = menu.exec(screenPos))
        connectComponents(from, to, static_cast<LinkKind>(chosen->data().toInt()));
}

QString EditActions::addZone(ZoneKind kind, Rect frame) {
    const auto& project = document_->project();
    Zone zone;
    zone.kind = kind;
    zone.id = uniqueId(kind == ZoneKind::Region ? "region" : "az", idsInUse(project));
    zone.name = kind == ZoneKind::Region ? tr("New region").toStdString()
                                         : tr("New availability zone").toStdString();
    zone.bounds = frame;
    // An AZ drawn inside a region belongs to it.
    for (const auto& other : project.zones)
        if (kind == ZoneKind::AvailabilityZone && other.kind == ZoneKind::Region &&
            other.bounds.contains({frame.x, frame.y}) &&
            other.bounds.contains({frame.x + frame.width, frame.y + frame.height}))
            zone.parent = other.id;
    DeltaBuilder edit(project);
    edit.setZone(zone);
    // Components inside the frame join it, unless they already sit in a zone inside it (a
    // region drawn around availability zones adopts the zones, not their components).
    for (const auto& c : project.components)
        if (frame.contains(c.position) && (c.zone.empty() || c.zone == zone.parent)) {
            Component member = c;
            member.zone = zone.id;
            edit.setComponent(member);
        }
    auto inside = [&frame](const Rect& r) {
        return frame.contains({r.x, r.y}) && frame.contains({r.x + r.width, r.y + r.height});
    };
    if (kind == ZoneKind::Region)
        for (const auto& other : project.zones)
            if (other.kind == ZoneKind::AvailabilityZone && other.parent.empty() &&
                inside(other.bounds)) {
                Zone child = other;
                child.parent = zone.id;
                edit.setZone(child);
            }
    document_->edit(edit.build(), tr("Add %1").arg(qs(label(kind))));
    document_->setSelection({}, {}, {qs(zone.id)});
    return qs(zone.id);
}

// ---- selection commands ---------------------------------------------------------------------

void EditActions::deleteSelection() {
    const auto components = document_->selectedComponents();
    const auto links = document_->selectedLinks();
    const auto zones = document_->selectedZones();
    if (components.isEmpty() && links.isEmpty() && zones.isEmpty())
        return;
    DeltaBuilder edit(document_->project());
    for (const auto& id : links)
        edit.removeLink(ss(id));
    for (const auto& id : components)
        edit.removeComponent(ss(id));
    for (const auto& id : zones)
        edit.removeZone(ss(id));
    const auto total = components.size() + links.size() + zones.size();
    document_->edit(edit.build(),
                    total == 1 ? tr("Delete %1")
                                     .arg(components.isEmpty()
                                              ? (links.isEmpty() ? zones.front() : links.front())
                                              : components.front())
                               : tr("Delete %1 items").arg(total));
}

void EditActions::duplicateSelection() {
    const auto& project = document_->project();
    const auto fragment = extractFragment(project, toStd(document_->selectedComponents()));
    if (fragment.components.empty())
        return;
    addFragment(prepareForPaste(fragment, project, {40, 40}), tr("Duplicate %1"));
}

void EditActions::addFragment(const Project& ready, const QString& text) {
    DeltaBuilder edit(document_->project());
    QStringList ids;
    for (const auto& c : ready.components) {
        edit.setComponent(c);
        ids.append(qs(c.id));
    }
    for (const auto& l : ready.links)
        edit.setLink(l);
    if (ids.isEmpty())
        return;
    document_->edit(edit.build(), text.arg(countText(ids.size(), ids.front(), tr("components"))));
    document_->setSelection(ids);
}

void EditActions::copySelection() const {
    const auto fragment =
        extractFragment(document_->project(), toStd(document_->selectedComponents()));
    if (fragment.components.empty())
        return;
    const QByteArray json = QByteArray::fromStdString(projectToJson(fragment, kFragmentFormatName));
    auto* mime = new QMimeData;
    mime->setData(kFragmentMime, json);
    // Also as text, so it pastes into another window, an editor or a chat as readable JSON.
    mime->setText(QString::fromUtf8(json));
    QApplication::clipboard()->setMimeData(mime);
}

void EditActions::cutSelection() {
    copySelection();
    deleteSelection();
}

void EditActions::paste(std::optional<Point> at) {
    const auto* mime = QApplication::clipboard()->mimeData();
    if (!mime)
        return;
    const QByteArray data =
        mime->hasFormat(kFragmentMime) ? mime->data(kFragmentMime) : mime->text().toUtf8();
    auto fragment = projectFromJson(data.toStdString(), "clipboard", kFragmentFormatName);
    if (!fragment) {
        emit message(tr("The clipboard holds no Headroom components"));
        return;
    }
    if (fragment->components.empty())
        return;
    Point offset{40, 40};
    if (at) {
        double cx = 0, cy = 0;
        for (const auto& c : fragment->components) {
            cx += c.position.x;
            cy += c.position.y;
        }
        const auto n = static_cast<double>(fragment->components.size());
        const QPointF snappedOffset =
            TopologyScene::snapped(QPointF(at->x - cx / n, at->y - cy / n));
        offset = {snappedOffset.x(), snappedOffset.y()};
    }
    addFragment(prepareForPaste(*fragment, document_->project(), offset), tr("Paste %1"));
}

void EditActions::selectAll() {
    QStringList ids;
    for (const auto& c : document_->project().components)
        ids.append(qs(c.id));
    document_->setSelection(ids);
}

// ---- arranging ------------------------------------------------------------------------------

namespace {
/// Moves components to new centres as one edit, straightening links whose ends moved.
void moveTo(ProjectDocument* document, const QStringList& ids, const std::vector<Point>& centres,
            const QString& text, const QString& mergeTag = {}) {
    const auto& project = document->project();
    DeltaBuilder edit(project);
    for (int i = 0; i < ids.size(); ++i) {
        const auto* c = project.findComponent(ss(ids[i]));
        if (!c || c->position == centres[static_cast<std::size_t>(i)])
            continue;
        Component moved = *c;
        moved.position = centres[static_cast<std::size_t>(i)];
        edit.setComponent(moved);
        for (const auto& l : project.links)
            if (!l.bends.empty() && (l.from == c->id || l.to == c->id)) {
                Link straight = l;
                straight.bends.clear();
                edit.setLink(straight);
            }
    }
    document->edit(edit.build(), text, mergeTag);
}

/// The ids that exist, and their centres.
std::vector<Point> centresOf(const Project& project, QStringList& ids) {
    std::vector<Point> out;
    QStringList existing;
    for (const auto& id : ids)
        if (const auto* c = project.findComponent(ss(id))) {
            existing.append(id);
            out.push_back(c->position);
        }
    ids = existing;
    return out;
}
} // namespace

void EditActions::alignSelection(layout::Alignment alignment) {
    auto ids = document_->selectedComponents();
    auto centres = centresOf(document_->project(), ids);
    if (ids.size() < 2)
        return;
    moveTo(document_, ids, layout::align(centres, alignment),
           tr("Align %1 components").arg(ids.size()));
}

void EditActions::distributeSelection(layout::Axis axis) {
    auto ids = document_->selectedComponents();
    auto centres = centresOf(document_->project(), ids);
    if (ids.size() < 3)
        return;
    moveTo(document_, ids, layout::distribute(centres, axis),
           tr("Distribute %1 components").arg(ids.size()));
}

void EditActions::nudgeSelection(double dx, double dy) {
    auto ids = document_->selectedComponents();
    auto centres = centresOf(document_->project(), ids);
    if (ids.isEmpty())
        return;
    for (auto& p : centres)
        p = {p.x + dx, p.y + dy};
    moveTo(document_, ids, centres,
           ids.size() == 1 ? tr("Move %1").arg(ids.front())
                           : tr("Move %1 components").arg(ids.size()),
           QStringLiteral("move:") + QStringList(ids).join(','));
}

void EditActions::autoLayout() {
    const auto& project = document_->project();
    if (project.components.empty())
        return;
    const auto laidOut = layout::applyLayout(project, layout::layeredLayout(project));
    DeltaBuilder edit(project);
    for (const auto& c : laidOut.components)
        edit.setComponent(c);
    for (const auto& l : laidOut.links)
        edit.setLink(l);
    for (const auto& z : laidOut.zones)
        edit.setZone(z);
    document_->edit(edit.build(), tr("Auto-layout"));
    view_->zoomToFit();
}

} // namespace headroom::ui
