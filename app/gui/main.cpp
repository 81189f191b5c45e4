// headroom: the desktop application.

#include "canvas/topology_view.h"
#include "common/allocator.h"
#include "document/project_document.h"
#include "main_window.h"
#include "panels/analysis_panel.h"
#include "version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdio>

int main(int argc, char** argv) {
    headroom::keepFreedMemory();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Headroom"));
    QApplication::setApplicationName(QStringLiteral("Headroom"));
    QApplication::setApplicationVersion(QString::fromLatin1(headroom::kVersion));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Capacity planning for horizontally scaled systems"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QStringLiteral("Project to open (.headroom or .headroom.json)"));
    QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Open the project, save a picture of the window to FILE and quit"),
        QStringLiteral("FILE"));
    parser.addOption(screenshot);
    QCommandLineOption select(QStringLiteral("select"),
                              QStringLiteral("Select the component with this id once open"),
                              QStringLiteral("ID"));
    parser.addOption(select);
    QCommandLineOption load(QStringLiteral("load"),
                            QStringLiteral("Show the analysis at this load multiplier once open"),
                            QStringLiteral("K"));
    parser.addOption(load);
    parser.process(app);

    headroom::ui::MainWindow window;
    window.show();

    const QStringList files = parser.positionalArguments();
    if (parser.isSet(select))
        QObject::connect(&window, &headroom::ui::MainWindow::loadFinished, &app,
                         [&window, id = parser.value(select)](bool ok) {
                             if (ok)
                                 window.document()->setSelection({id});
                         });
    if (parser.isSet(load))
        QObject::connect(&window, &headroom::ui::MainWindow::loadFinished, &app,
                         [&window, k = parser.value(load).toDouble()](bool ok) {
                             if (!ok)
                                 return;
                             window.analysisPanel()->setLoadMultiplier(k);
                             window.showAnalysisDock();
                         });
    const QString shotPath = parser.value(screenshot);
    if (!shotPath.isEmpty()) {
        window.resize(1280, 800);
        QObject::connect(&window, &headroom::ui::MainWindow::loadFinished, &app,
                         [&](bool ok, const QString& message) {
                             if (!ok)
                                 std::fprintf(stderr, "headroom: %s\n", qPrintable(message));
                             // Let the layout settle, then fit and grab.
                             QTimer::singleShot(300, &app, [&, ok] {
                                 window.view()->zoomToFit();
                                 QTimer::singleShot(100, &app, [&, ok] {
                                     const bool saved = window.grab().save(shotPath);
                                     app.exit(saved && ok ? 0 : 1);
                                 });
                             });
                         });
    }
    if (!files.isEmpty())
        window.openFile(files.front());
    else if (!shotPath.isEmpty())
        return 2;
    else // a crash may have left an untitled project behind
        QTimer::singleShot(0, &window, &headroom::ui::MainWindow::offerUntitledRecovery);
    return app.exec();
}
