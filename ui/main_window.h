#pragma once
// Headroom's main window: menus, the canvas, the properties and problems docks, and the file
// commands. Files are read and written off the GUI thread; errors open a dialog, never a crash.

#include "common/result.h"
#include "model/project.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QMainWindow>
#include <functional>
#include <optional>

class QLabel;
class QMenu;
class QProgressBar;

namespace headroom::ui {

class ProjectDocument;
class TopologyScene;
class TopologyView;
class PropertyPanel;
class ProblemsPanel;
class PalettePanel;
class EditActions;
class Autosaver;
class MetricsPanel;
class AnalysisRunner;
class AnalysisPanel;
class WhatIfPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    [[nodiscard]] ProjectDocument* document() const { return document_; }
    [[nodiscard]] TopologyScene* scene() const { return scene_; }
    [[nodiscard]] TopologyView* view() const { return view_; }
    [[nodiscard]] PropertyPanel* propertyPanel() const { return propertyPanel_; }
    [[nodiscard]] ProblemsPanel* problemsPanel() const { return problemsPanel_; }
    [[nodiscard]] EditActions* editActions() const { return editActions_; }
    [[nodiscard]] MetricsPanel* metricsPanel() const { return metricsPanel_; }
    [[nodiscard]] AnalysisRunner* analysisRunner() const { return analysisRunner_; }
    [[nodiscard]] AnalysisPanel* analysisPanel() const { return analysisPanel_; }
    [[nodiscard]] WhatIfPanel* whatIfPanel() const { return whatIfPanel_; }
    /// Brings the Analysis dock to the front.
    void showAnalysisDock();
    [[nodiscard]] bool isBusy() const;

    /// Starts reading the file in the background; loadFinished reports the outcome. The open
    /// project stays as it is if the file cannot be read.
    void openFile(const QString& path);
    /// Starts writing the project in the background; saveFinished reports the outcome.
    /// False when it could not start (another file operation is running).
    bool saveToFile(const QString& path);

    /// What to do with unsaved changes before they would be lost.
    enum class UnsavedAnswer { Save, Discard, Cancel };
    /// Replaces the "Save changes?" dialog (tests).
    void setUnsavedPrompt(std::function<UnsavedAnswer()> prompt) {
        unsavedPrompt_ = std::move(prompt);
    }

    /// Where the bundled example projects live (source tree or installed share folder).
    static QString examplesDirectory();

    [[nodiscard]] Autosaver* autosaver() const { return autosaver_; }
    /// Asks whether to restore a recovery copy saved at `when`; tests replace the dialog.
    using RecoveryPrompt = std::function<bool(const QString& project, const QDateTime& when)>;
    void setRecoveryPrompt(RecoveryPrompt prompt) { recoveryPrompt_ = std::move(prompt); }
    /// Offers to restore an untitled project left behind by a crash (called at start-up).
    void offerUntitledRecovery();
    /// Opens the Import Metrics dialog, optionally on a file and bound to a component.
    class ImportMetricsDialog* importMetrics(const QString& file = {},
                                             const QString& componentId = {});

  signals:
    void loadFinished(bool ok, const QString& message);
    /// A recovery copy was put back into the document (as one undoable, unsaved change).
    void recoveryRestored(const QString& recoveryFile);
    void saveFinished(bool ok, const QString& message);

  protected:
    void closeEvent(QCloseEvent* event) override;

  private:
    struct LoadOutcome {
        QString path;
        std::optional<Project> project;
        Error error;
    };
    struct SaveOutcome {
        QString path;
        std::optional<Error> error;
    };

    void createActions();
    void createDocks();
    void createStatusBar();
    void newProject();
    void openDialog();
    bool save();
    bool saveAs();
    void closeProject();
    void exportCanvas();
    void showAbout();
    /// Commits text still being typed in an editor, so it counts as a change.
    void commitPendingEdits();
    UnsavedAnswer askAboutUnsavedChanges();
    /// Asks about unsaved changes; runs `proceed` once it is safe to discard the project.
    void whenSafeToDiscard(const std::function<void()>& proceed);
    void loadDone();
    /// After opening `projectPath`: restore its recovery file if one is newer and wanted.
    void checkRecovery(const QString& projectPath);
    void restoreRecovery(const QString& recoveryFile);
    void saveDone();
    void showError(const QString& title, const QString& text);
    void updateTitle();
    void updateCounts();
    void addRecentFile(const QString& path);
    void rebuildRecentMenu();
    void rebuildExamplesMenu();
    void setBusy(const QString& message);
    void clearBusy(const QString& message);

    ProjectDocument* document_;
    TopologyScene* scene_;
    TopologyView* view_;
    PropertyPanel* propertyPanel_;
    ProblemsPanel* problemsPanel_;
    PalettePanel* palette_;
    EditActions* editActions_;
    Autosaver* autosaver_;
    MetricsPanel* metricsPanel_;
    AnalysisRunner* analysisRunner_;
    AnalysisPanel* analysisPanel_;
    WhatIfPanel* whatIfPanel_;
    RecoveryPrompt recoveryPrompt_;
    QMenu* recentMenu_ = nullptr;
    QMenu* examplesMenu_ = nullptr;
    QLabel* countsLabel_ = nullptr;
    QLabel* problemsLabel_ = nullptr;
    QLabel* zoomLabel_ = nullptr;
    QProgressBar* busyBar_ = nullptr;
    QFutureWatcher<LoadOutcome> loadWatcher_;
    QFutureWatcher<SaveOutcome> saveWatcher_;
    std::function<void()> afterSave_;
    std::uint64_t savedRevision_ = 0; ///< document revision being written by the running save
    std::function<UnsavedAnswer()> unsavedPrompt_;
    QList<QAction*> fileActions_;
};

} // namespace headroom::ui
