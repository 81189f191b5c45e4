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
    selectedComponents_.clear();
    selectedLinks_.clear();
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
    if (filePath_ != filePath) {
        filePath_ = filePath;
        emit filePathChanged(filePath_);
    }
}

void ProjectDocument::setSelection(const QStringList& components, const QStringList& links) {
    if (components == selectedComponents_ && links == selectedLinks_)
        return;
    selectedComponents_ = components;
    selectedLinks_ = links;
    emit selectionChanged();
}

void ProjectDocument::replaceComponent(const Component& component) {
    if (auto* existing = project_.findComponent(component.id)) {
        *existing = component;
        emit componentChanged(qs(component.id));
    }
}

void ProjectDocument::setComponentPosition(const QString& id, Point position) {
    if (auto* existing = project_.findComponent(ss(id))) {
        existing->position = position;
        emit componentChanged(id);
    }
}

} // namespace headroom::ui
