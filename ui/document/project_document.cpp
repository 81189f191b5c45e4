#include "document/project_document.h"

#include <QFileInfo>

namespace headroom::ui {

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent) {
    connect(&undoStack_, &QUndoStack::cleanChanged, this,
            [this](bool clean) { emit modifiedChanged(!clean); });
}

QString ProjectDocument::displayName() const {
    if (filePath_.isEmpty())
        return project_.name.empty() ? tr("Untitled") : qs(project_.name);
    return QFileInfo(filePath_).fileName();
}

void ProjectDocument::reset(Project project, const QString& filePath) {
    project_ = std::move(project);
    ++revision_;
    selectedComponents_.clear();
    selectedLinks_.clear();
    selectedZones_.clear();
    undoStack_.clear();
    undoStack_.setClean();
    if (filePath_ != filePath) {
        filePath_ = filePath;
        emit filePathChanged(filePath_);
    }
    emit projectReset();
    emit selectionChanged();
    emit modifiedChanged(false);
}

void ProjectDocument::markSaved(const QString& filePath) {
    undoStack_.setClean();
    setFilePath(filePath);
}

void ProjectDocument::setFilePath(const QString& filePath) {
    if (filePath_ != filePath) {
        filePath_ = filePath;
        emit filePathChanged(filePath_);
    }
}

void ProjectDocument::setSelection(const QStringList& requestedComponents,
                                   const QStringList& requestedLinks,
                                   const QStringList& requestedZones) {
    // Only what exists can be selected (ids may come from the command line or a stale list).
    QStringList components, links, zones;
    for (const auto& id : requestedComponents)
        if (project_.findComponent(ss(id)))
            components.append(id);
    for (const auto& id : requestedLinks)
        if (project_.findLink(ss(id)))
            links.append(id);
    for (const auto& id : requestedZones)
        if (project_.findZone(ss(id)))
            zones.append(id);
    if (components == selectedComponents_ && links == selectedLinks_ && zones == selectedZones_)
        return;
    selectedComponents_ = components;
    selectedLinks_ = links;
    selectedZones_ = zones;
    emit selectionChanged();
}

void ProjectDocument::edit(ProjectDelta delta, const QString& text, const QString& mergeTag) {
    if (delta.empty())
        return;
    undoStack_.push(new EditCommand(this, std::move(delta), text, mergeTag));
}

void ProjectDocument::replaceProject(Project project, const QString& text) {
    undoStack_.push(new ReplaceCommand(this, std::move(project), text));
}

void ProjectDocument::swapProject(Project& project) {
    std::swap(project_, project);
    ++revision_;
    selectedComponents_.clear();
    selectedLinks_.clear();
    selectedZones_.clear();
    emit projectReset();
    emit selectionChanged();
    emit edited();
}

void ProjectDocument::applyDelta(const ProjectDelta& delta, Direction direction) {
    const auto changes = apply(project_, delta, direction);
    ++revision_;
    bool selectionTouched = false;
    using O = AppliedChange::Object;
    using K = AppliedChange::Kind;
    for (const auto& change : changes) {
        const QString id = qs(change.id);
        switch (change.object) {
        case O::Component:
            if (change.kind == K::Added)
                emit componentAdded(id);
            else if (change.kind == K::Removed) {
                selectionTouched |= selectedComponents_.removeAll(id) > 0;
                emit componentRemoved(id);
            } else
                emit componentChanged(id);
            break;
        case O::Link:
            if (change.kind == K::Added)
                emit linkAdded(id);
            else if (change.kind == K::Removed) {
                selectionTouched |= selectedLinks_.removeAll(id) > 0;
                emit linkRemoved(id);
            } else
                emit linkChanged(id);
            break;
        case O::Zone:
            if (change.kind == K::Added)
                emit zoneAdded(id);
            else if (change.kind == K::Removed) {
                selectionTouched |= selectedZones_.removeAll(id) > 0;
                emit zoneRemoved(id);
            } else
                emit zoneChanged(id);
            break;
        case O::Info:
            emit infoChanged();
            break;
        case O::Series:
            emit seriesBindingChanged();
            break;
        case O::WhatIf:
            emit whatIfChanged();
            break;
        }
    }
    if (selectionTouched)
        emit selectionChanged();
    emit edited();
}

EditCommand::EditCommand(ProjectDocument* document, ProjectDelta delta, const QString& text,
                         QString mergeTag)
    : QUndoCommand(text), document_(document), delta_(std::move(delta)),
      mergeTag_(std::move(mergeTag)) {}

void EditCommand::redo() {
    document_->applyDelta(delta_, Direction::Forward);
}
void EditCommand::undo() {
    document_->applyDelta(delta_, Direction::Backward);
}

int EditCommand::id() const {
    return mergeTag_.isEmpty() ? -1 : kMergeableId;
}

bool EditCommand::mergeWith(const QUndoCommand* other) {
    const auto* next = dynamic_cast<const EditCommand*>(other);
    if (!next || next->mergeTag_ != mergeTag_)
        return false;
    auto combined = composeChanges(delta_, next->delta_);
    if (!combined)
        return false;
    delta_ = std::move(*combined);
    return true;
}

} // namespace headroom::ui
