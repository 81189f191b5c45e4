#pragma once
// Autosave for crash recovery: while the document has unsaved changes, a copy is written every
// minute to a recovery file beside the project (or in the application's data folder for a
// project never saved). Saving or discarding the changes removes it; after a crash it is still
// there, and the main window offers to restore it.

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

namespace headroom::ui {

class ProjectDocument;

class Autosaver : public QObject {
    Q_OBJECT
  public:
    explicit Autosaver(ProjectDocument* document, QObject* parent = nullptr);
    ~Autosaver() override;

    /// Milliseconds between autosaves while there are unsaved changes (default one minute).
    void setInterval(int milliseconds) { timer_.setInterval(milliseconds); }
    /// Where the recovery copy of this document goes now.
    [[nodiscard]] QString recoveryPath() const;
    /// The recovery file for a project file: hidden, beside it, always in SQLite form.
    static QString recoveryPathFor(const QString& projectPath);
    /// Folder for recovery files of projects never saved.
    static QString untitledRecoveryFolder();
    /// Recovery files of untitled projects left by a session that did not end cleanly.
    static QStringList orphanedUntitledRecoveries();

    /// Writes the recovery file now (in the background) if there are unsaved changes.
    void saveNow();
    /// Deletes the current recovery file (changes saved or discarded).
    void discard();
    /// Stops following the document, leaving any recovery file in place: the owner is going
    /// away without the user saving or discarding (what a crash would do, too).
    void detach();

  signals:
    void recoverySaved(const QString& path);

  private:
    void onModifiedChanged(bool modified);
    void onPathChanged();

    ProjectDocument* document_;
    QTimer timer_;
    QString untitledPath_; ///< this session's recovery file for an untitled project
    QString lastWritten_;
    QFutureWatcher<bool> watcher_;
};

} // namespace headroom::ui
