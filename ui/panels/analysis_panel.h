#pragma once
// The analysis dock: a load multiplier (x0.5 to x10) that re-analyses and recolours the canvas
// as it moves, the bottleneck in a sentence, a sortable table of every component's figures,
// the design findings (clicking one selects its components), and the selected component's
// latency and utilisation against load up to its saturation point; and the system as N users
// thinking between requests (throughput and response against N, by MVA).

#include "analysis/analysis_runner.h"

#include <QWidget>

class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QSlider;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QTextBrowser;

namespace headroom::ui {

class AnalysisTableModel;
class ProjectDocument;

class AnalysisPanel : public QWidget {
    Q_OBJECT
  public:
    AnalysisPanel(ProjectDocument* document, AnalysisRunner* runner, QWidget* parent = nullptr);

    /// Moves the load slider (and re-analyses at that multiplier).
    void setLoadMultiplier(double multiplier);
    [[nodiscard]] double loadMultiplier() const;

    // For tests and screenshots.
    [[nodiscard]] QTableView* table() const { return table_; }
    [[nodiscard]] QTextBrowser* findings() const { return findings_; }
    /// Selects the components the i-th finding names, as clicking it does.
    void activateFinding(int index);
    [[nodiscard]] QCustomPlot* chart() const { return chart_; }
    [[nodiscard]] QCustomPlot* usersChart() const { return usersChart_; }
    [[nodiscard]] QLabel* usersSummary() const { return usersSummary_; }
    void showUsers();
    [[nodiscard]] QLabel* summary() const { return summary_; }
    [[nodiscard]] QSlider* slider() const { return slider_; }
    void showChart();

  protected:
    void resizeEvent(QResizeEvent* event) override;

  private:
    void refresh();
    void fitUsersSummary();
    void refreshFindings(const AnalysisSnapshot& snapshot);
    void refreshChart(const AnalysisSnapshot& snapshot);
    void refreshUsers(const AnalysisSnapshot& snapshot);
    void followDocumentSelection();

    ProjectDocument* document_;
    AnalysisRunner* runner_;
    QSlider* slider_;
    QDoubleSpinBox* spin_;
    QLabel* summary_;
    QLabel* legend_;
    AnalysisTableModel* model_;
    QSortFilterProxyModel* proxy_;
    QTableView* table_;
    QTabWidget* tabs_;
    QTextBrowser* findings_;
    std::shared_ptr<const AnalysisSnapshot> shown_;
    QCustomPlot* chart_;
    QWidget* users_;
    QLabel* usersSummary_;
    QCustomPlot* usersChart_;
    bool syncing_ = false;
};

} // namespace headroom::ui
