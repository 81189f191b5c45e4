// The canvas with a 500-component, 800-link project on Qt's offscreen platform:
//   Canvas_OpenAndDraw      read the .headroom file, build the scene, paint the first frame
//                           of a 1280x800 view (target: under 300 ms)
//   Canvas_DragFrame50      one frame of dragging 50 selected cards: move them, re-route
//                           their links, repaint the view (target: under 16 ms)
// Run: QT_QPA_PLATFORM=offscreen build/bench/headroom_canvas_bench
#include "canvas/component_item.h"
#include "canvas/topology_scene.h"
#include "canvas/topology_view.h"
#include "document/project_document.h"
#include "storage/project_file.h"
#include "synthetic_topology.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <benchmark/benchmark.h>
#include <filesystem>

namespace headroom::bench {
namespace {

std::filesystem::path bigFile() {
    static const auto path = [] {
        auto p = std::filesystem::temp_directory_path() / "headroom-canvas-bench.headroom";
        (void)saveProjectFile(syntheticTopology(500, 800), p);
        return p;
    }();
    return path;
}

/// Paints the view's visible area into an image, as the window system would for a frame.
void paintFrame(ui::TopologyView& view) {
    QImage frame(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    QPainter painter(&frame);
    view.render(&painter);
}

void Canvas_OpenAndDraw(benchmark::State& state) {
    for (auto _ : state) {
        auto project = loadProjectFile(bigFile());
        ui::ProjectDocument document;
        document.reset(std::move(*project), {});
        ui::TopologyScene scene(&document);
        ui::TopologyView view(&scene);
        view.resize(1280, 800);
        view.zoomToFit();
        paintFrame(view);
    }
}
BENCHMARK(Canvas_OpenAndDraw)->Unit(benchmark::kMillisecond);

void Canvas_DragFrame50(benchmark::State& state) {
    auto project = loadProjectFile(bigFile());
    ui::ProjectDocument document;
    document.reset(std::move(*project), {});
    ui::TopologyScene scene(&document);
    ui::TopologyView view(&scene);
    view.resize(1280, 800);
    view.zoomToFit();
    QStringList selected;
    for (int i = 0; i < 50; ++i)
        selected.append(QString::fromStdString(
            document.project().components[static_cast<std::size_t>(i * 7)].id));
    document.setSelection(selected);
    scene.beginDrag(selected.front());
    double step = 0;
    for (auto _ : state) {
        step += 3;
        scene.dragTo(QPointF(step, step / 2), false);
        paintFrame(view);
    }
    scene.endDrag();
}
BENCHMARK(Canvas_DragFrame50)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace headroom::bench

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
