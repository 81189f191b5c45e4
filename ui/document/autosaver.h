#pragma once
// Autosave for crash recovery: while the document has unsaved changes, a copy is written every
// minute to a recovery file beside the project (or in the application's data folder for a
// project never saved, or when another window already keeps the one beside it). Saving or
// discarding the changes removes it; after a crash it is still there, and the main window
// offers to restore it. A lock file beside each recovery file says which live window owns it,
// so no other window offers or deletes it.

#include <QFutureWatcher>
#include <QLockFile>
#include <QObject>
#include <QTimer>
#include <memory>

namespace headroom::ui {

class ProjectDocument;

class Autosaver : public QObject {
    Q_OBJECT
public:
    explicit Autosaver(ProjectDocument* document, QObject* parent = nullptr);
    ~Autosaver() override;

    /// Milliseconds between autosaves while there are unsaved changes (default one minute).
    void setInterval(int milliseconds) { timer_.setInterval(milliseconds); }
    /// Where the recovery copy of this document goes now (claiming it for this window).
    [[nodiscard]] QString recoveryPath();
    /// The recovery file for a project file: hidden, beside it, always in SQLite form.
    static QString recoveryPathFor(const QString& projectPath);
    /// Folder for recovery files of projects never saved.
    static QString untitledRecoveryFolder();
    /// Recovery files of untitled projects whose window is gone (crashed), newest first.
    static QStringList orphanedUntitledRecoveries();
    /// Is the recovery file free to be offered (no live window keeps it)?
    static bool isOrphaned(const QString& recoveryFile);
    /// Deletes a recovery file (and its stale lock) that nobody owns.
    static void removeRecovery(const QString& recoveryFile);

    /// Writes the recovery file now (in the background) if there are unsaved changes.
    void saveNow();
    /// Deletes this window's recovery file (changes saved or discarded), without waiting.
    void discard();
    /// Stops following the document, leaving any recovery file in place: the owner is going
    /// away without the user saving or discarding (what a crash would do, too).
    void detach();

signals:
    void recoverySaved(const QString& path);
    void recoveryFailed(const QString& message);

private:
    void onModifiedChanged(bool modified);
    void onPathChanged();
    void release();

    ProjectDocument* document_;
    QTimer timer_;
    QString owned_;                   ///< the recovery file this window holds the lock of
    std::unique_ptr<QLockFile> lock_; ///< held while this window owns `owned_`
    bool written_ = false;            ///< `owned_` exists on disk because we wrote it
    bool deleteWhenDone_ = false;     ///< discard() came while a write was running
    QFutureWatcher<QString> watcher_; ///< empty string on success, else the error
};

} // namespace headroom::ui
