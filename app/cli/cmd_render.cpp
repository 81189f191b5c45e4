// headroom-cli render PROJECT --out FILE.svg|png|pdf [--width PX]: the canvas as the GUI draws
// it, through the same scene code on Qt's offscreen platform. The drawing runs in the helper
// headroom-cli-render beside this binary (render_main.cpp), so that the other subcommands do
// not load Qt's GUI libraries.

#include "cli/command.h"
#include "cli/output.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <iostream>

namespace headroom::cli {
namespace {

struct RenderOptions {
    std::string project;
    std::string output;
    int width = 0;
    Format format = Format::Text;
};

/// The helper's path: beside this executable.
QString helperPath() {
    static int argc = 1;
    static char name[] = "headroom-cli";
    static char* argv[] = {name, nullptr};
    const QCoreApplication app(argc, argv);
    return QDir(QCoreApplication::applicationDirPath()).filePath("headroom-cli-render");
}

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
        const QString helper = helperPath();
        if (!QFileInfo(helper).isExecutable()) {
            printError({"render needs headroom-cli-render beside headroom-cli (the drawing "
                        "runs there); it is missing from this installation",
                        helper.toStdString(), ""});
            return;
        }
        // The helper writes its own output and messages to this process's console.
        const int code = QProcess::execute(
            helper,
            {QString::fromStdString(options->project), QString::fromStdString(options->output),
             QString::number(options->width), options->format == Format::Json ? "json" : "text"});
        if (code < 0) {
            printError({code == -2 ? "could not start headroom-cli-render"
                                   : "headroom-cli-render stopped unexpectedly",
                        options->output, ""});
            return;
        }
        exitCode = code;
    });
}

} // namespace headroom::cli
