// MainWindow's menus and toolbar: its actions, the recent-files and examples menus.

#include "canvas/scene_export.h"
#include "canvas/topology_scene.h"
#include "canvas/topology_view.h"
#include "dialogs/import_metrics_dialog.h"
#include "dialogs/prometheus_source.h"
#include "document/autosaver.h"
#include "document/project_document.h"
#include "editor/edit_actions.h"
#include "main_window.h"
#include "panels/metrics_panel.h"
#include "panels/palette_panel.h"
#include "panels/problems_panel.h"
#include "panels/property_panel.h"
#include "panels/whatif_panel.h"
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
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QUndoView>
#include <QtConcurrent/QtConcurrentRun>
namespace headroom::ui {
namespace {
constexpr int kMaxRecentFiles = 10;
const char* const kRecentKey = "recentFiles";
} // namespace

void MainWindow::createActions() {
    auto* style = QApplication::style();
    auto* fileMenu = menuBar()->addMenu(tr("&File"));

    auto* newAction = fileMenu->addAction(style->standardIcon(QStyle::SP_FileIcon), tr("&New"),
                                          this, &MainWindow::newProject);
    newAction->setShortcut(QKeySequence::New);
    newAction->setStatusTip(tr("Start an empty project"));

    auto* openAction = fileMenu->addAction(style->standardIcon(QStyle::SP_DialogOpenButton),
                                           tr("&Open\u2026"), this, &MainWindow::openDialog);
    openAction->setShortcut(QKeySequence::Open);
    openAction->setStatusTip(tr("Open a .headroom project or .headroom.json file"));

    auto* newWindow = fileMenu->addAction(tr("New &Window"), this, [] {
        auto* window = new MainWindow;
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->show();
    });
    newWindow->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    newWindow->setStatusTip(tr("Open another window, e.g. to copy components between projects"));
    recentMenu_ = fileMenu->addMenu(tr("Open &Recent"));
    examplesMenu_ = fileMenu->addMenu(tr("Open &Example"));
    rebuildRecentMenu();
    rebuildExamplesMenu();
    fileMenu->addSeparator();

    auto* saveAction = fileMenu->addAction(style->standardIcon(QStyle::SP_DialogSaveButton),
                                           tr("&Save"), this, [this] { save(); });
    saveAction->setShortcut(QKeySequence::Save);
    auto* saveAsAction = fileMenu->addAction(tr("Save &As\u2026"), this, [this] { saveAs(); });
    saveAsAction->setShortcut(QKeySequence::SaveAs);
    fileMenu->addSeparator();
    auto* importAction =
        fileMenu->addAction(tr("&Import Metrics\u2026"), this, [this] { importMetrics(); });
    importAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    importAction->setStatusTip(tr("Import metric series from CSV, Grafana, Prometheus, "
                                  "OpenMetrics or CloudWatch files"));
    auto* prometheusAction = fileMenu->addAction(tr("Import from &Prometheus\u2026"), this, [this] {
        QString selected;
        if (document_->selectedComponents().size() == 1)
            selected = document_->selectedComponents().first();
        importMetrics({}, selected)->showPrometheus();
    });
    prometheusAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    prometheusAction->setStatusTip(tr("Fetch series from a Prometheus-compatible server "
                                      "(Prometheus, Thanos, Mimir, VictoriaMetrics)"));
    auto* exportAction =
        fileMenu->addAction(tr("&Export Canvas\u2026"), this, &MainWindow::exportCanvas);
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    exportAction->setStatusTip(tr("Save the canvas as a PNG, SVG or PDF picture"));
    fileMenu->addSeparator();
    auto* closeAction = fileMenu->addAction(tr("&Close"), this, &MainWindow::closeProject);
    closeAction->setShortcut(QKeySequence::Close);
    fileMenu->addSeparator();
    // Quit closes every window; each asks about its own unsaved changes.
    auto* quitAction = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quitAction->setShortcut(QKeySequence::Quit);
    quitAction->setMenuRole(QAction::QuitRole);
    fileActions_ = {newAction, openAction, saveAction, saveAsAction, closeAction};

    auto* editMenu = menuBar()->addMenu(tr("&Edit"));
    editActions_->fillEditMenu(editMenu);
    editMenu->addSeparator();
    auto* setupAction = editMenu->addAction(tr("Scenarios and &Policies\u2026"), this,
                                            [this] { whatIfPanel_->editSetup(); });
    setupAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    setupAction->setStatusTip(tr("The load scenarios and autoscaling policies the what-if "
                                 "engine replays"));
    auto* insertMenu = menuBar()->addMenu(tr("&Insert"));
    editActions_->fillInsertMenu(insertMenu);
    auto* arrangeMenu = menuBar()->addMenu(tr("&Arrange"));
    editActions_->fillArrangeMenu(arrangeMenu);

    auto* viewMenu = menuBar()->addMenu(tr("&View"));
    auto* zoomIn = viewMenu->addAction(tr("Zoom &In"), view_, &TopologyView::zoomIn);
    zoomIn->setShortcut(QKeySequence::ZoomIn);
    auto* zoomOut = viewMenu->addAction(tr("Zoom &Out"), view_, &TopologyView::zoomOut);
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    auto* fit = viewMenu->addAction(tr("Zoom to &Fit"), view_, &TopologyView::zoomToFit);
    fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    auto* actual = viewMenu->addAction(tr("&Actual Size (100%)"), view_, &TopologyView::resetZoom);
    actual->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_0));
    viewMenu->addSeparator();
    viewMenu->setObjectName("viewMenu");

    auto* helpMenu = menuBar()->addMenu(tr("&Help"));
    auto* about = helpMenu->addAction(tr("&About Headroom"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);

    auto* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName("mainToolbar");
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setIconSize(QSize(18, 18));
    toolbar->addAction(newAction);
    toolbar->addAction(openAction);
    toolbar->addAction(saveAction);
    toolbar->addSeparator();
    toolbar->addAction(editActions_->undoAction());
    toolbar->addAction(editActions_->redoAction());
    toolbar->addSeparator();
    toolbar->addAction(editActions_->autoLayoutAction());
    toolbar->addAction(fit);
    toolbar->addAction(actual);
}

void MainWindow::addRecentFile(const QString& path) {
    QSettings settings;
    auto files = settings.value(kRecentKey).toStringList();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    settings.setValue(kRecentKey, files);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const auto files = QSettings().value(kRecentKey).toStringList();
    for (const auto& file : files) {
        auto* action = recentMenu_->addAction(QFileInfo(file).fileName(), this, [this, file] {
            whenSafeToDiscard([this, file] { openFile(file); });
        });
        action->setToolTip(file);
        action->setStatusTip(file);
    }
    if (files.isEmpty()) {
        recentMenu_->addAction(tr("No recent files"))->setEnabled(false);
        return;
    }
    recentMenu_->addSeparator();
    recentMenu_->addAction(tr("Clear Menu"), this, [this] {
        QSettings().remove(kRecentKey);
        rebuildRecentMenu();
    });
}

void MainWindow::rebuildExamplesMenu() {
    examplesMenu_->clear();
    const QDir dir(examplesDirectory());
    const auto files =
        dir.entryInfoList({QStringLiteral("*.headroom.json")}, QDir::Files, QDir::Name);
    for (const auto& file : files) {
        const QString path = file.absoluteFilePath();
        examplesMenu_->addAction(
            file.fileName().chopped(int(strlen(".headroom.json"))), this,
            [this, path] { whenSafeToDiscard([this, path] { openFile(path); }); });
    }
    if (files.isEmpty())
        examplesMenu_->addAction(tr("No examples found"))->setEnabled(false);
}

} // namespace headroom::ui
