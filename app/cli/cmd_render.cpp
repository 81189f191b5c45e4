// headroom-cli render PROJECT --out FILE.svg|png|pdf [--width PX]: the canvas as the GUI draws
// it, through the same scene code on Qt's offscreen platform.

#include "canvas/scene_export.h"
#include "canvas/topology_scene.h"
#include "cli/command.h"
#include "cli/output.h"
#include "document/project_document.h"
#include "storage/project_io.h"

#include <QApplication>
#include <iostream>

namespace headroom::cli {
namespace {

/// Keeps Qt's chatter (e.g. about XDG_RUNTIME_DIR) off the CLI's stderr; real failures still
/// show.
void quietQtMessages(QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type == QtCriticalMsg || type == QtFatalMsg)
        std::cerr << "headroom-cli: " << message.toStdString() << '\n';
}

struct RenderOptions {
    std::string project;
    std::string output;
    int width = 0;
    Format format = Format::Text;
};

} // namespace

void setupRender(CLI::App& command, int& exitCode) {
    auto options = std::make_shared<RenderOptions>();
    command
        .add_option("PROJECT", options->project, "Project to draw (.headroom or .headroom.json)")
        ->required();
    command.add_option("--out,-o", options->output, "Picture to write: .svg, .png or .pdf")
        ->required();
    command.add_option("--width", options->width, "Width in pixels (default: 100% scale)")
        ->check(CLI::Range(16, 20000));
    addFormatOption(command, options->format);
    command.callback([options, &exitCode] {
        exitCode = kBadInput;
        const QString out = QString::fromStdString(options->output);
        if (!ui::exportFormatFromPath(out)) {
            printError({"unknown picture type: use .svg, .png or .pdf", options->output, ""});
            return;
        }
        auto project = loadOrReport(options->project);
        if (!project) {
            return;
        }
        // The scene is widget code: it needs a QApplication, here on the offscreen platform.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        qInstallMessageHandler(quietQtMessages);
        static int argc = 1;
        static char name[] = "headroom-cli";
        static char* argv[] = {name, nullptr};
        QApplication app(argc, argv);
        ui::ProjectDocument document;
        const QString title = QString::fromStdString(project->name);
        document.reset(std::move(*project), QString::fromStdString(options->project));
        ui::TopologyScene scene(&document);
        const auto result = ui::exportScene(scene, out, options->width, title);
        if (!result.ok) {
            printError({result.error.toStdString(), options->output, ""});
            return;
        }
        if (options->format == Format::Json)
            printJson(
                {{"output", options->output}, {"width", result.width}, {"height", result.height}});
        else
            std::cout << "Wrote " << printable(options->output) << " (" << result.width << " x "
                      << result.height << ")\n";
        exitCode = kSuccess;
    });
}

} // namespace headroom::cli
