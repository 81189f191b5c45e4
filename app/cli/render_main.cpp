// headroom-cli-render PROJECT OUT WIDTH FORMAT: the drawing behind `headroom-cli render`, in a
// helper of its own beside headroom-cli. The scene is the GUI's widget code, and linking Qt's
// GUI libraries into headroom-cli cost every subcommand about 25 ms of start-up (an import of
// 10 million samples takes 350 ms); now only render pays for them. headroom-cli has checked
// the arguments; WIDTH is 0 for 100% scale, FORMAT is "text" or "json".

#include "canvas/scene_export.h"
#include "canvas/topology_scene.h"
#include "cli/command.h"
#include "cli/output.h"
#include "document/project_document.h"

#include <QApplication>
#include <cstdlib>
#include <iostream>
#include <string>

namespace {

/// Keeps Qt's chatter (e.g. about XDG_RUNTIME_DIR) off the CLI's stderr; real failures still
/// show.
void quietQtMessages(QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type == QtCriticalMsg || type == QtFatalMsg)
        std::cerr << "headroom-cli: " << message.toStdString() << '\n';
}

} // namespace

int main(int argc, char** argv) {
    using namespace headroom;
    using namespace headroom::cli;
    if (argc != 5) {
        std::cerr << "headroom-cli-render: run by headroom-cli render; see headroom-cli render "
                     "--help\n";
        return kBadInput;
    }
    const std::string projectPath = argv[1], output = argv[2];
    const int width = std::atoi(argv[3]);
    const bool json = std::string(argv[4]) == "json";
    const QString out = QString::fromStdString(output);
    if (!ui::exportFormatFromPath(out)) {
        printError({"unknown picture type: use .svg, .png or .pdf", output, ""});
        return kBadInput;
    }
    auto project = loadOrReport(projectPath);
    if (!project)
        return kBadInput;
    // The scene is widget code: it needs a QApplication, here on the offscreen platform.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(quietQtMessages);
    int qtArgc = 1;
    QApplication app(qtArgc, argv);
    ui::ProjectDocument document;
    const QString title = QString::fromStdString(project->name);
    document.reset(std::move(*project), QString::fromStdString(projectPath));
    ui::TopologyScene scene(&document);
    const auto result = ui::exportScene(scene, out, width, title);
    if (!result.ok) {
        printError({result.error.toStdString(), output, ""});
        return kBadInput;
    }
    if (json)
        printJson({{"output", output}, {"width", result.width}, {"height", result.height}});
    else
        std::cout << "Wrote " << printable(output) << " (" << result.width << " x " << result.height
                  << ")\n";
    return kSuccess;
}
