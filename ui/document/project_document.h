#pragma once
// The open project as the GUI sees it: owns the core Project, its file path and undo stack, and
// announces every change by signal. The canvas and panels mirror it; no widget edits the model
// directly (editing commands arrive as QUndoCommands that call the mutators below).

#include "model/project.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QUndoStack>

namespace headroom::ui {

class ProjectDocument : public QObject {
    Q_OBJECT
public:
    explicit ProjectDocument(QObject* parent = nullptr);

    [[nodiscard]] const Project& project() const { return project_; }
    /// The file the project was read from or last saved to; empty for a new project.
    [[nodiscard]] QString filePath() const { return filePath_; }
    [[nodiscard]] QString displayName() const;
    [[nodiscard]] bool isModified() const { return !undoStack_.isClean(); }
    [[nodiscard]] QUndoStack* undoStack() { return &undoStack_; }

    /// Replaces the whole project (after New or Open). Clears undo history and selection.
    void reset(Project project, const QString& filePath);
    /// Records that the current state is what is on disk at `filePath`.
    void markSaved(const QString& filePath);

    // Selection lives here, not in the scene, so every view agrees on it.
    [[nodiscard]] const QStringList& selectedComponents() const { return selectedComponents_; }
    [[nodiscard]] const QStringList& selectedLinks() const { return selectedLinks_; }
    void setSelection(const QStringList& components, const QStringList& links);

    // Fine-grained changes, used by undo commands; each emits its signal.
    void replaceComponent(const Component& component);
    void setComponentPosition(const QString& id, Point position);

signals:
    /// The whole project was replaced: rebuild everything.
    void projectReset();
    void componentChanged(const QString& id);
    void selectionChanged();
    void filePathChanged(const QString& path);
    void modifiedChanged(bool modified);

private:
    Project project_;
    QString filePath_;
    QUndoStack undoStack_;
    QStringList selectedComponents_;
    QStringList selectedLinks_;
};

/// std::string (UTF-8, as core stores it) to QString and back.
inline QString qs(const std::string& s) { return QString::fromStdString(s); }
inline QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}
inline std::string ss(const QString& s) { return s.toStdString(); }

} // namespace headroom::ui
