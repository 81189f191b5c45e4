#include "main_window.h"

#include "analysis/analysis_runner.h"
#include "canvas/scene_export.h"
#include "canvas/topology_scene.h"
#include "canvas/topology_view.h"
#include "dialogs/import_metrics_dialog.h"
#include "dialogs/prometheus_source.h"
#include "document/autosaver.h"
#include "document/project_document.h"
#include "editor/edit_actions.h"
#include "panels/analysis_panel.h"
#include "panels/metrics_panel.h"
#include "panels/palette_panel.h"
#include "panels/problems_panel.h"
#include "panels/property_panel.h"
#include "panels/whatif_panel.h"
#include "storage/json_format.h"
#include "storage/project_io.h"
#include "style/kind_style.h"
#include "version.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QUndoView>
#include <QtConcurrent/QtConcurrentRun>

namespace headroom::ui {
namespace {

/// Goes up when docks are added or regrouped, so a layout saved by an older Headroom (which
/// knows nothing of the new dock and would strand it beside the others) is not restored.
/// 2: the Analysis dock.
constexpr int kDockLayoutVersion = 3; // 3: the What-if dock
const char* const kFileFilter = QT_TRANSLATE_NOOP(
    "MainWindow", "Headroom projects (*.headroom *.headroom.json);;Headroom project (*.headroom);;"
                  "Headroom interchange JSON (*.headroom.json);;All files (*)");

QString countOf(qsizetype n, const QString& one, const QString& many) {
    return QString::number(n) + QLatin1Char(' ') + (n == 1 ? one : many);
}

Project untitledProject() {
    Project project;
    project.name = "Untitled";
    return project;
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), document_(new ProjectDocument(this)),
      scene_(new TopologyScene(document_, this)), view_(new TopologyView(scene_)),
      propertyPanel_(new PropertyPanel(document_)), problemsPanel_(new ProblemsPanel(document_)),
      palette_(new PalettePanel), editActions_(new EditActions(document_, view_, this)),
      autosaver_(new Autosaver(document_, this)), metricsPanel_(new MetricsPanel(document_)),
      analysisRunner_(new AnalysisRunner(document_, this)),
      analysisPanel_(new AnalysisPanel(document_, analysisRunner_)),
      whatIfPanel_(new WhatIfPanel(document_)) {
    connect(analysisRunner_, &AnalysisRunner::updated, this, [this] {
        if (const auto latest = analysisRunner_->latest())
            scene_->showAnalysis(&latest->result);
    });
    recoveryPrompt_ = [this](const QString& project, const QDateTime& when) {
        return QMessageBox::question(
                   this, tr("Recover unsaved changes?"),
                   tr("Headroom found changes to \u201c%1\u201d that were not saved, autosaved "
                      "%2. Headroom may have stopped unexpectedly.\n\nRestore them?")
                       .arg(project, QLocale().toString(when, QLocale::ShortFormat)),
                   QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes) == QMessageBox::Yes;
    };
    view_->setEditActions(editActions_);
    connect(editActions_, &EditActions::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 6000); });
    connect(autosaver_, &Autosaver::recoveryFailed, this, [this](const QString& error) {
        statusBar()->showMessage(tr("Autosave failed: %1").arg(error), 10000);
    });
    connect(scene_, &TopologyScene::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 6000); });
    connect(
        view_, &TopologyView::fileDropped, this,
        [this](const QString& path, const QString& component) { importMetrics(path, component); });
    connect(scene_, &TopologyScene::connectRequested, editActions_,
            &EditActions::connectInteractively);
    connect(palette_, &PalettePanel::placeRequested, this, [this](ComponentKind kind) {
        // Click to place: in the middle of the view, stepping aside from cards already there.
        QPointF at = TopologyScene::snapped(view_->visibleCentre());
        for (int i = 0; i < 50 && scene_->componentAt(at); ++i)
            at += QPointF(TopologyScene::kGrid * 2, TopologyScene::kGrid * 2);
        editActions_->addComponent(kind, {at.x(), at.y()});
        view_->setFocus();
    });
    setWindowIcon(appIcon());
    setCentralWidget(view_);
    setDocumentMode(true);
    createActions();
    createDocks();
    createStatusBar();

    connect(document_, &ProjectDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(document_, &ProjectDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(document_, &ProjectDocument::projectReset, this, [this] {
        updateTitle();
        updateCounts();
    });
    connect(&loadWatcher_, &QFutureWatcher<LoadOutcome>::finished, this, &MainWindow::loadDone);
    connect(&saveWatcher_, &QFutureWatcher<SaveOutcome>::finished, this, &MainWindow::saveDone);

    document_->reset(untitledProject(), {});
    QSettings settings;
    if (!restoreGeometry(settings.value("window/geometry").toByteArray()))
        resize(1280, 800);
    restoreState(settings.value("window/state").toByteArray(), kDockLayoutVersion);
}

MainWindow::~MainWindow() {
    // Let a background save finish: abandoning it half way is exactly what must not happen.
    saveWatcher_.waitForFinished();
    loadWatcher_.waitForFinished();
    // Tearing down the undo stack looks like "changes discarded"; it is not.
    autosaver_->detach();
}

QString MainWindow::examplesDirectory() {
    const QString besideBinary =
        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/headroom/models");
    if (QFileInfo::exists(besideBinary))
        return QDir(besideBinary).canonicalPath();
    return QStringLiteral(HEADROOM_MODELS_DIR);
}

bool MainWindow::isBusy() const {
    return loadWatcher_.isRunning() || saveWatcher_.isRunning();
}

void MainWindow::createDocks() {
    auto* viewMenu = menuBar()->findChild<QMenu*>("viewMenu");
    auto* properties = new QDockWidget(tr("Properties"), this);
    properties->setObjectName("propertiesDock");
    properties->setWidget(propertyPanel_);
    properties->setMinimumWidth(280);
    addDockWidget(Qt::RightDockWidgetArea, properties);

    auto* palette = new QDockWidget(tr("Components"), this);
    palette->setObjectName("paletteDock");
    palette->setWidget(palette_);
    palette->setMinimumWidth(190);
    addDockWidget(Qt::LeftDockWidgetArea, palette);

    auto* history = new QDockWidget(tr("History"), this);
    history->setObjectName("historyDock");
    auto* undoView = new QUndoView(document_->undoStack());
    undoView->setEmptyLabel(tr("<opened>"));
    history->setWidget(undoView);
    addDockWidget(Qt::RightDockWidgetArea, history);

    auto* problems = new QDockWidget(tr("Problems"), this);
    problems->setObjectName("problemsDock");
    problems->setWidget(problemsPanel_);
    addDockWidget(Qt::BottomDockWidgetArea, problems);
    auto* metrics = new QDockWidget(tr("Metrics"), this);
    metrics->setObjectName("metricsDock");
    metrics->setWidget(metricsPanel_);
    addDockWidget(Qt::BottomDockWidgetArea, metrics);
    auto* analysis = new QDockWidget(tr("Analysis"), this);
    analysis->setObjectName("analysisDock");
    analysis->setWidget(analysisPanel_);
    addDockWidget(Qt::BottomDockWidgetArea, analysis);
    auto* whatIf = new QDockWidget(tr("What-if"), this);
    whatIf->setObjectName("whatIfDock");
    whatIf->setWidget(whatIfPanel_);
    addDockWidget(Qt::BottomDockWidgetArea, whatIf);
    tabifyDockWidget(problems, metrics);
    tabifyDockWidget(problems, analysis);
    tabifyDockWidget(problems, whatIf);
    problems->raise();
    tabifyDockWidget(properties, history);
    properties->raise();
    resizeDocks({properties, palette}, {330, 190}, Qt::Horizontal);
    resizeDocks({problems}, {110}, Qt::Vertical);
    if (viewMenu) {
        viewMenu->addAction(palette->toggleViewAction());
        viewMenu->addAction(properties->toggleViewAction());
        viewMenu->addAction(history->toggleViewAction());
        viewMenu->addAction(problems->toggleViewAction());
        viewMenu->addAction(metrics->toggleViewAction());
        viewMenu->addAction(analysis->toggleViewAction());
        viewMenu->addAction(whatIf->toggleViewAction());
    }
    connect(problemsPanel_, &ProblemsPanel::countsChanged, this, &MainWindow::updateCounts);
}

void MainWindow::createStatusBar() {
    countsLabel_ = new QLabel;
    problemsLabel_ = new QLabel;
    zoomLabel_ = new QLabel;
    busyBar_ = new QProgressBar;
    busyBar_->setRange(0, 0);
    busyBar_->setMaximumWidth(120);
    busyBar_->setVisible(false);
    statusBar()->addPermanentWidget(busyBar_);
    statusBar()->addPermanentWidget(countsLabel_);
    statusBar()->addPermanentWidget(problemsLabel_);
    statusBar()->addPermanentWidget(zoomLabel_);
    connect(view_, &TopologyView::zoomChanged, this, [this](qreal factor) {
        zoomLabel_->setText(QStringLiteral("%1%").arg(qRound(factor * 100)));
    });
    zoomLabel_->setText(QStringLiteral("100%"));
}

void MainWindow::updateTitle() {
    setWindowTitle(document_->displayName() + QStringLiteral("[*] \u2014 Headroom"));
    setWindowModified(document_->isModified());
}

void MainWindow::updateCounts() {
    const auto& project = document_->project();
    countsLabel_->setText(
        countOf(project.components.size(), tr("component"), tr("components")) +
        QStringLiteral(" \u00b7 ") + countOf(project.links.size(), tr("link"), tr("links")) +
        QStringLiteral(" \u00b7 ") + countOf(project.zones.size(), tr("zone"), tr("zones")));
    const int errors = problemsPanel_->errorCount();
    const int warnings = problemsPanel_->warningCount();
    problemsLabel_->setText(errors == 0 && warnings == 0
                                ? tr("No problems")
                                : countOf(errors, tr("error"), tr("errors")) +
                                      QStringLiteral(", ") +
                                      countOf(warnings, tr("warning"), tr("warnings")));
}

// ---- file commands --------------------------------------------------------------------------

void MainWindow::commitPendingEdits() {
    // A name or description being typed commits when its editor loses focus.
    if (auto* focused = QApplication::focusWidget())
        focused->clearFocus();
}

MainWindow::UnsavedAnswer MainWindow::askAboutUnsavedChanges() {
    commitPendingEdits();
    if (!document_->isModified())
        return UnsavedAnswer::Discard;
    if (unsavedPrompt_)
        return unsavedPrompt_();
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved changes"),
        tr("Save the changes to \u201c%1\u201d before continuing?").arg(document_->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return UnsavedAnswer::Save;
    return answer == QMessageBox::Discard ? UnsavedAnswer::Discard : UnsavedAnswer::Cancel;
}

void MainWindow::whenSafeToDiscard(const std::function<void()>& proceed) {
    switch (askAboutUnsavedChanges()) {
    case UnsavedAnswer::Discard:
        proceed();
        break;
    case UnsavedAnswer::Save:
        afterSave_ = proceed;
        if (!save())
            afterSave_ = nullptr;
        break;
    case UnsavedAnswer::Cancel:
        break;
    }
}

void MainWindow::newProject() {
    whenSafeToDiscard([this] {
        document_->reset(untitledProject(), {});
        statusBar()->showMessage(tr("New project"), 3000);
    });
}

void MainWindow::openDialog() {
    whenSafeToDiscard([this] {
        const QString start = document_->filePath().isEmpty()
                                  ? examplesDirectory()
                                  : QFileInfo(document_->filePath()).absolutePath();
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open Project"), start, tr(kFileFilter));
        if (!path.isEmpty())
            openFile(path);
    });
}

void MainWindow::openFile(const QString& path) {
    if (isBusy()) {
        statusBar()->showMessage(tr("Still busy with the previous file"), 3000);
        return;
    }
    setBusy(tr("Opening %1\u2026").arg(QFileInfo(path).fileName()));
    loadWatcher_.setFuture(QtConcurrent::run([path]() -> LoadOutcome {
        auto result = loadProject(path.toStdString());
        if (!result)
            return {path, std::nullopt, result.error()};
        return {path, std::move(result).value(), {}};
    }));
}

void MainWindow::loadDone() {
    auto outcome = loadWatcher_.result();
    if (!outcome.project) {
        clearBusy(tr("Could not open %1").arg(QFileInfo(outcome.path).fileName()));
        const QString message = qs(outcome.error.describe());
        showError(tr("Cannot open project"), tr("Headroom could not open \u201c%1\u201d.\n\n%2")
                                                 .arg(QFileInfo(outcome.path).fileName(), message));
        emit loadFinished(false, message);
        return;
    }
    const QString absolute = QFileInfo(outcome.path).absoluteFilePath();
    document_->reset(std::move(*outcome.project), absolute);
    // A project with measurements opens on its charts, one without on its problems.
    const bool measured = !document_->project().series.empty();
    if (auto* dock = findChild<QDockWidget*>(measured ? QStringLiteral("metricsDock")
                                                      : QStringLiteral("problemsDock"))) {
        dock->raise();
        if (measured && dock->height() < 340)
            resizeDocks({dock}, {std::min(380, height() / 2)}, Qt::Vertical);
    }
    addRecentFile(absolute);
    view_->zoomToFit();
    clearBusy(tr("Opened %1").arg(QFileInfo(absolute).fileName()));
    emit loadFinished(true, absolute);
    checkRecovery(absolute);
}

void MainWindow::checkRecovery(const QString& projectPath) {
    const QFileInfo recovery(Autosaver::recoveryPathFor(projectPath));
    // Another live window keeping this project open owns its recovery file: leave it be.
    if (!recovery.exists() || !Autosaver::isOrphaned(recovery.absoluteFilePath()))
        return;
    if (recoveryPrompt_(QFileInfo(projectPath).fileName(), recovery.lastModified()))
        restoreRecovery(recovery.absoluteFilePath());
    else
        Autosaver::removeRecovery(recovery.absoluteFilePath());
}

void MainWindow::offerUntitledRecovery() {
    const auto orphans = Autosaver::orphanedUntitledRecoveries();
    if (orphans.isEmpty() || document_->isModified())
        return;
    const QFileInfo newest(orphans.front());
    if (recoveryPrompt_(tr("an untitled project"), newest.lastModified()))
        restoreRecovery(newest.absoluteFilePath());
    else
        Autosaver::removeRecovery(newest.absoluteFilePath());
}

void MainWindow::restoreRecovery(const QString& recoveryFile) {
    auto* watcher = new QFutureWatcher<LoadOutcome>(this);
    connect(watcher, &QFutureWatcher<LoadOutcome>::finished, this, [this, watcher, recoveryFile] {
        auto outcome = watcher->result();
        watcher->deleteLater();
        if (!outcome.project) {
            showError(tr("Cannot recover"), qs(outcome.error.describe()));
            return;
        }
        // One undoable step on top of the file as saved: the title shows it as unsaved, and
        // undo shows what was on disk.
        document_->replaceProject(std::move(*outcome.project), tr("Restore unsaved changes"));
        // An untitled recovery has served its purpose; a file's own is rewritten by autosave.
        if (recoveryFile.startsWith(Autosaver::untitledRecoveryFolder()))
            Autosaver::removeRecovery(recoveryFile);
        view_->zoomToFit();
        statusBar()->showMessage(tr("Restored unsaved changes"), 5000);
        emit recoveryRestored(recoveryFile);
    });
    watcher->setFuture(QtConcurrent::run([recoveryFile]() -> LoadOutcome {
        auto result = loadProject(recoveryFile.toStdString());
        if (!result)
            return {recoveryFile, std::nullopt, result.error()};
        return {recoveryFile, std::move(result).value(), {}};
    }));
}

bool MainWindow::save() {
    commitPendingEdits();
    if (document_->filePath().isEmpty())
        return saveAs();
    return saveToFile(document_->filePath());
}

bool MainWindow::saveAs() {
    QString start = document_->filePath();
    if (start.isEmpty())
        start = QDir::home().filePath(document_->displayName() + QStringLiteral(".headroom"));
    QString path =
        QFileDialog::getSaveFileName(this, tr("Save Project As"), start, tr(kFileFilter));
    if (path.isEmpty())
        return false;
    if (!formatFromPath(path.toStdString()))
        path += QStringLiteral(".headroom");
    return saveToFile(path);
}

bool MainWindow::saveToFile(const QString& path) {
    if (isBusy()) {
        statusBar()->showMessage(tr("Still busy with the previous file"), 3000);
        return false;
    }
    // The JSON form names metric files but holds no samples: say so before series are dropped.
    if (formatFromPath(path.toStdString()) == ProjectFormat::Json) {
        if (const auto leftOut = seriesLeftOutOfJson(document_->project())) {
            QMessageBox box(QMessageBox::Warning, tr("Save as JSON"),
                            tr("%n imported metric series cannot be kept in the JSON form "
                               "(it holds the model and names metric files, not samples).",
                               nullptr, static_cast<int>(leftOut)),
                            QMessageBox::Cancel, this);
            box.setInformativeText(tr("Save a .headroom project to keep them."));
            auto* asProject = box.addButton(tr("Save as .headroom\u2026"), QMessageBox::AcceptRole);
            auto* anyway =
                box.addButton(tr("Save JSON Without Them"), QMessageBox::DestructiveRole);
            box.setDefaultButton(asProject);
            box.exec();
            if (box.clickedButton() == asProject)
                return saveAs();
            if (box.clickedButton() != anyway)
                return false;
        }
    }
    setBusy(tr("Saving %1\u2026").arg(QFileInfo(path).fileName()));
    savedRevision_ = document_->revision();
    // The worker gets its own copy, so the GUI stays free to show (and later edit) the project.
    saveWatcher_.setFuture(
        QtConcurrent::run([path, project = document_->project()]() -> SaveOutcome {
            auto saved = saveProject(project, path.toStdString());
            if (!saved)
                return {path, saved.error()};
            return {path, std::nullopt};
        }));
    return true;
}

void MainWindow::saveDone() {
    const auto outcome = saveWatcher_.result();
    auto then = std::exchange(afterSave_, nullptr);
    if (outcome.error) {
        clearBusy(tr("Save failed"));
        const QString message = qs(outcome.error->describe());
        showError(
            tr("Cannot save project"),
            tr("The project was not saved; the file on disk is unchanged.\n\n%1").arg(message));
        emit saveFinished(false, message);
        return;
    }
    const QString absolute = QFileInfo(outcome.path).absoluteFilePath();
    // Edits made while the file was being written are not in it: stay modified then, and do
    // not carry on with whatever was waiting for the save (opening another file, closing).
    const bool complete = document_->revision() == savedRevision_;
    if (complete)
        document_->markSaved(absolute);
    else
        document_->setFilePath(absolute);
    addRecentFile(absolute);
    clearBusy(complete ? tr("Saved %1").arg(QFileInfo(absolute).fileName())
                       : tr("Saved %1; changes made while saving are not saved yet")
                             .arg(QFileInfo(absolute).fileName()));
    emit saveFinished(true, absolute);
    if (then && complete)
        then();
}

ImportMetricsDialog* MainWindow::importMetrics(const QString& file, const QString& componentId) {
    auto* dialog = new ImportMetricsDialog(document_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!componentId.isEmpty()) {
        // Guess the role from the kind: a queue's series is its depth, others their load.
        const auto* c = document_->project().findComponent(ss(componentId));
        const bool queue = c && c->kind == ComponentKind::Queue;
        dialog->setBinding(componentId,
                           queue ? QStringLiteral("queue_depth") : QStringLiteral("arrival_rate"));
    }
    if (!file.isEmpty())
        dialog->setFile(file);
    connect(dialog, &ImportMetricsDialog::imported, this, [this](int count) {
        statusBar()->showMessage(tr("Imported %n metric series", nullptr, count), 5000);
        if (auto* dock = findChild<QDockWidget*>(QStringLiteral("metricsDock")))
            dock->raise();
    });
    dialog->open();
    return dialog;
}

void MainWindow::exportCanvas() {
    QString start = document_->filePath();
    start = start.isEmpty() ? QDir::home().filePath(document_->displayName())
                            : start.left(start.indexOf(QStringLiteral(".headroom")));
    QString selectedFilter;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export Canvas"), start + QStringLiteral(".svg"),
        tr("SVG picture (*.svg);;PNG image (*.png);;PDF document (*.pdf)"), &selectedFilter);
    if (path.isEmpty())
        return;
    if (!exportFormatFromPath(path))
        path += selectedFilter.contains(QLatin1String("png"))   ? QStringLiteral(".png")
                : selectedFilter.contains(QLatin1String("pdf")) ? QStringLiteral(".pdf")
                                                                : QStringLiteral(".svg");
    const auto result = exportScene(*scene_, path, 0, qs(document_->project().name));
    if (!result.ok) {
        showError(tr("Cannot export"), tr("The picture was not written.\n\n%1: %2")
                                           .arg(QFileInfo(path).fileName(), result.error));
        return;
    }
    statusBar()->showMessage(tr("Exported %1 (%2 \u00d7 %3)")
                                 .arg(QFileInfo(path).fileName())
                                 .arg(result.width)
                                 .arg(result.height),
                             5000);
}

void MainWindow::closeProject() {
    whenSafeToDiscard([this] {
        document_->reset(untitledProject(), {});
        statusBar()->showMessage(tr("Project closed"), 3000);
    });
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (saveWatcher_.isRunning()) {
        statusBar()->showMessage(tr("Wait for the save to finish"), 3000);
        event->ignore();
        return;
    }
    switch (askAboutUnsavedChanges()) {
    case UnsavedAnswer::Cancel:
        event->ignore();
        return;
    case UnsavedAnswer::Save:
        // Close again once the save has landed (a close cannot wait inside this event).
        event->ignore();
        afterSave_ = [this] { QTimer::singleShot(0, this, &QWidget::close); };
        if (!save())
            afterSave_ = nullptr;
        return;
    case UnsavedAnswer::Discard:
        document_->undoStack()->setClean(); // discarding: the recovery file goes too
        break;
    }
    autosaver_->discard();
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState(kDockLayoutVersion));
    event->accept();
}

void MainWindow::showAbout() {
    QMessageBox::about(
        this, tr("About Headroom"),
        tr("<h3>Headroom %1</h3><p>Capacity planning for horizontally scaled systems: draw the "
           "topology, attach real metrics, find the bottleneck and the configuration that "
           "keeps latency under the SLO.</p>")
            .arg(QString::fromLatin1(kVersion)));
}

void MainWindow::showError(const QString& title, const QString& text) {
    // Window-modal but not blocking: the event loop (and any test driving it) keeps running.
    auto* box = new QMessageBox(QMessageBox::Critical, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName("errorDialog");
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->open();
}

// ---- recent files and examples -------------------------------------------------------------

void MainWindow::setBusy(const QString& message) {
    for (auto* action : std::as_const(fileActions_))
        action->setEnabled(false);
    busyBar_->setVisible(true);
    statusBar()->showMessage(message);
}

void MainWindow::clearBusy(const QString& message) {
    for (auto* action : std::as_const(fileActions_))
        action->setEnabled(true);
    busyBar_->setVisible(false);
    statusBar()->showMessage(message, 5000);
}

void MainWindow::showAnalysisDock() {
    if (auto* dock = findChild<QDockWidget*>(QStringLiteral("analysisDock"))) {
        dock->show();
        dock->raise();
        if (dock->height() < 300)
            resizeDocks({dock}, {std::min(340, height() / 2)}, Qt::Vertical);
    }
}

} // namespace headroom::ui
