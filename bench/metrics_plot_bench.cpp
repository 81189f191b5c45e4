// The metrics dock with one series of 10 million samples (115 days at 1 s), on Qt's offscreen
// platform, 1280x300:
//   Metrics_PanFrame10M    move the visible week by 1% and repaint (target: under 16 ms)
//   Metrics_ZoomFrame10M   zoom all the way out and in again, one step a frame: the whole
//                          range is the worst case, every sample on screen (target: 16 ms)
//   Metrics_FullRangeFrame10M  every frame shows all 10 million samples (the worst frame)
// Run: QT_QPA_PLATFORM=offscreen build/bench/headroom_canvas_bench --benchmark_filter=Metrics
#include "document/project_document.h"
#include "panels/metrics_panel.h"

#include <QApplication>
#include <QSignalSpy>
#include <benchmark/benchmark.h>
#include <cmath>
#include <qcustomplot.h>

namespace headroom::bench {
namespace {

constexpr std::int64_t kSamples = 10'000'000;
constexpr std::int64_t kStart = 1'700'000'000'000;

Project tenMillion() {
    std::vector<metrics::Sample> samples;
    samples.reserve(kSamples);
    for (std::int64_t i = 0; i < kSamples; ++i)
        samples.push_back(
            {kStart + i * 1000, 200 + 80 * std::sin(i * 2 * M_PI / 86400.0) + (i % 97) * 0.5});
    Project project;
    project.components.push_back(makeComponent(ComponentKind::Service, "web", "Web"));
    project.series.push_back(
        {metrics::Series::fromSamples({"rps", {}, "req/s", {}}, samples), "web", "arrival_rate"});
    return project;
}

struct Fixture {
    ui::ProjectDocument document;
    std::unique_ptr<ui::MetricsPanel> panel;
    Fixture() {
        document.reset(tenMillion(), {});
        panel = std::make_unique<ui::MetricsPanel>(&document);
        panel->resize(1280, 300);
        panel->show();
        QSignalSpy refreshed(panel.get(), &ui::MetricsPanel::refreshed);
        refreshed.wait(60'000);
    }
    QCPAxis* time() { return panel->plot()->graph(0)->keyAxis(); }
};

void Metrics_PanFrame10M(benchmark::State& state) {
    Fixture f;
    const double week = 7 * 86400;
    double at = kStart / 1000.0;
    f.time()->setRange(at, at + week);
    for (auto _ : state) {
        at += week / 100;
        f.time()->setRange(at, at + week);
        f.panel->plot()->replot(QCustomPlot::rpImmediateRefresh);
    }
    state.counters["points"] = f.panel->plottedPoints();
}
BENCHMARK(Metrics_PanFrame10M)->Unit(benchmark::kMillisecond);

void Metrics_ZoomFrame10M(benchmark::State& state) {
    Fixture f;
    const double all = kSamples;
    double width = all;
    bool out = false;
    for (auto _ : state) {
        width = out ? std::min(all, width * 1.25) : std::max(3600.0, width / 1.25);
        if (width == all || width == 3600.0)
            out = !out;
        f.time()->setRange(kStart / 1000.0, kStart / 1000.0 + width);
        f.panel->plot()->replot(QCustomPlot::rpImmediateRefresh);
    }
    state.counters["points"] = f.panel->plottedPoints();
}
BENCHMARK(Metrics_ZoomFrame10M)->Unit(benchmark::kMillisecond);

void Metrics_FullRangeFrame10M(benchmark::State& state) {
    Fixture f;
    const double start = kStart / 1000.0;
    bool shift = false;
    for (auto _ : state) {
        shift = !shift; // every frame is a new range, so nothing is cached
        f.time()->setRange(start - (shift ? 1 : 0), start + kSamples);
        f.panel->plot()->replot(QCustomPlot::rpImmediateRefresh);
    }
    state.counters["points"] = f.panel->plottedPoints();
}
BENCHMARK(Metrics_FullRangeFrame10M)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace headroom::bench
