#pragma once
// The open project as the GUI sees it: owns the core Project, its file path and undo stack, and
// announces every change by signal. The canvas and panels mirror it; no widget edits the model
// directly (editing commands arrive as QUndoCommands that call the mutators below).

#include "model/project.h"
#include "model/project_delta.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QUndoCommand>
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
    /// Goes up by one with every change applied (edit, undo, redo, reset): equal revisions
    /// mean the same content, which an undo index alone does not (merged steps).
    [[nodiscard]] std::uint64_t revision() const { return revision_; }

    /// Replaces the whole project (after New or Open). Clears undo history and selection.
    void reset(Project project, const QString& filePath);
    /// Records that the current state is what is on disk at `filePath`.
    void markSaved(const QString& filePath);
    /// Changes the file the project belongs to, without claiming it is saved there.
    void setFilePath(const QString& filePath);

    // Selection lives here, not in the scene, so every view agrees on it.
    [[nodiscard]] const QStringList& selectedComponents() const { return selectedComponents_; }
    [[nodiscard]] const QStringList& selectedLinks() const { return selectedLinks_; }
    [[nodiscard]] const QStringList& selectedZones() const { return selectedZones_; }
    void setSelection(const QStringList& components, const QStringList& links = {},
                      const QStringList& zones = {});

    /// Pushes an undoable edit onto the undo stack (and applies it). An empty delta is
    /// ignored. Edits with the same non-empty `mergeTag` in a row become one undo step.
    void edit(ProjectDelta delta, const QString& text, const QString& mergeTag = {});

    /// Replaces the whole project as one undoable step (restoring a recovery file, say).
    void replaceProject(Project project, const QString& text);
    /// Swaps in a whole project and announces a reset; only ReplaceCommand calls this.
    void swapProject(Project& project);

    /// Applies a delta and announces each change; only EditCommand calls this.
    void applyDelta(const ProjectDelta& delta, Direction direction);

  signals:
    /// The whole project was replaced: rebuild everything.
    void projectReset();
    void componentAdded(const QString& id);
    void componentRemoved(const QString& id);
    void componentChanged(const QString& id);
    void linkAdded(const QString& id);
    void linkRemoved(const QString& id);
    void linkChanged(const QString& id);
    void zoneAdded(const QString& id);
    void zoneRemoved(const QString& id);
    void zoneChanged(const QString& id);
    void infoChanged();
    /// A series was bound or unbound (deleting a component unbinds its series).
    void seriesBindingChanged();
    /// The load scenarios or autoscaling policies changed.
    void whatIfChanged();
    /// After every applied edit (once per undo step), for views that refresh as a whole.
    void edited();
    void selectionChanged();
    void filePathChanged(const QString& path);
    void modifiedChanged(bool modified);

  private:
    Project project_;
    QString filePath_;
    QUndoStack undoStack_;
    QStringList selectedComponents_;
    QStringList selectedLinks_;
    QStringList selectedZones_;
    std::uint64_t revision_ = 0;
};

/// One undo step that swaps the whole project for another.
class ReplaceCommand : public QUndoCommand {
  public:
    ReplaceCommand(ProjectDocument* document, Project other, const QString& text)
        : QUndoCommand(text), document_(document), other_(std::move(other)) {}
    void redo() override { document_->swapProject(other_); }
    void undo() override { document_->swapProject(other_); }

  private:
    ProjectDocument* document_;
    Project other_;
};

/// One undo step: a ProjectDelta applied forward on redo and backward on undo. Steps with the
/// same merge tag (e.g. moves of the same components) merge into one.
class EditCommand : public QUndoCommand {
  public:
    EditCommand(ProjectDocument* document, ProjectDelta delta, const QString& text,
                QString mergeTag);
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

  private:
    static constexpr int kMergeableId = 0x4852;
    ProjectDocument* document_;
    ProjectDelta delta_;
    QString mergeTag_;
};

/// std::string (UTF-8, as core stores it) to QString and back.
inline QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
inline QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}
inline std::string ss(const QString& s) {
    return s.toStdString();
}

} // namespace headroom::ui
