#pragma once
// The metrics dock: the series bound to the selected components (all series when nothing is
// selected) over time, in a QCustomPlot chart. Samples are decoded off the GUI thread once per
// series, and only what fits the screen is plotted (min/max per pixel column), so even millions
// of samples pan and zoom smoothly. Mouse: drag to pan, wheel to zoom the time axis. Above the
// chart, a legend whose entries switch strips on and off; below it, the range selector: the
// whole time span in miniature, where dragging picks the range shown and a click centres it.

#include "metrics/sample_codec.h"
#include "metrics/series_ops.h"

#include <QFutureWatcher>
#include <QSet>
#include <QWidget>
#include <map>
#include <memory>

class QCustomPlot;
class QCPItemRect;
class QCPRange;
class QHBoxLayout;
class QLabel;
class QMouseEvent;
class QToolButton;

namespace headroom::metrics {
class Series;
}

namespace headroom::ui {

class ProjectDocument;

class MetricsPanel : public QWidget {
    Q_OBJECT
  public:
    explicit MetricsPanel(ProjectDocument* document, QWidget* parent = nullptr);
    ~MetricsPanel() override;

    /// Number of series currently plotted (tests).
    [[nodiscard]] int plottedSeries() const;
    /// Points handed to the chart for the visible range (tests, benchmarks).
    [[nodiscard]] int plottedPoints() const;
    [[nodiscard]] QCustomPlot* plot() const { return plot_; }
    /// The label of the i-th plotted series, e.g. "web · Arrival rate (req/s)".
    [[nodiscard]] QString seriesLabel(int index) const;
    /// What the crosshair's tooltip says now (time and each series' value).
    [[nodiscard]] QString hoverText() const { return hoverText_; }
    /// The range selector under the chart.
    [[nodiscard]] QCustomPlot* overview() const { return overview_; }
    /// The legend's switch for the i-th series of the selection.
    [[nodiscard]] QToolButton* legendButton(int index) const;
    /// The time range shown, in seconds since the epoch.
    [[nodiscard]] std::pair<double, double> visibleRange() const;
    void setVisibleRange(double fromS, double toS);
    /// Shows the whole time span of the plotted series.
    void showAll();
    /// The legend's context menu: unbind the i-th series shown from its component, or remove it
    /// from the project. Both are one undoable step.
    void unbindSeries(int index);
    void removeSeries(int index);

  signals:
    /// The chart shows the current selection's series (after background decoding).
    void refreshed();

  private:
    /// A series' samples and the block extremes that make whole-range frames cheap.
    struct DecodedSeries {
        std::vector<metrics::Sample> samples;
        metrics::MinMaxIndex index;
        explicit DecodedSeries(std::vector<metrics::Sample> s)
            : samples(std::move(s)), index(samples) {}
    };
    using Decoded = std::shared_ptr<const DecodedSeries>;
    struct Shown {
        std::shared_ptr<const metrics::Series> series;
        QString label;
        std::size_t index = 0; ///< place in Project::series
        bool bound = false;
    };

    void selectionChanged();
    void decoded();
    void replot();
    void fillVisible();
    /// Crosshair: a vertical line through every strip and the values under the mouse.
    void hover(QMouseEvent* event);
    void rebuildLegend();
    void updateOverview();
    void overviewMouse(QMouseEvent* event, bool press, bool release);

    ProjectDocument* document_;
    QCustomPlot* plot_;
    QCustomPlot* overview_;
    QCPItemRect* window_ = nullptr; ///< the shown range, on the overview
    QWidget* legend_;
    QHBoxLayout* legendLayout_;
    QLabel* hint_;
    QSet<QString> hidden_;                 ///< labels of series switched off in the legend
    std::pair<double, double> span_{0, 0}; ///< all the plotted series cover
    double pressedAt_ = 0;
    bool dragging_ = false;
    std::vector<Shown> shown_;         ///< the selection's series, in legend order
    std::vector<std::size_t> plotted_; ///< the ones switched on: graph i shows shown_[plotted_[i]]
    std::map<const metrics::Series*, Decoded> cache_;
    QFutureWatcher<std::vector<std::pair<const metrics::Series*, Decoded>>> watcher_;
    bool pending_ = false;
    QString hoverText_;
};

} // namespace headroom::ui
