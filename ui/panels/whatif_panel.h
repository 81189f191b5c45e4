#pragma once
// The what-if dock (issue 7): choose a load scenario, a tier and its autoscaling policy, run,
// and see load, replicas (desired and ready), latency against the objective and cost over time
// in stacked charts sharing one time axis, scaling events marked (click one for the
// controller's reason), a predictive policy's forecast beside the load, and the run's summary;
// or compare every policy of the tier, overlaid, one summary row each. The Scenario tab
// previews the chosen scenario's load, its deploys marked, and says what it is made of. "Sweep"
// tries the tier's HPA over a grid on all cores with progress and cancel, plots cost against
// minutes over the objective, names the recommendation, and clicking a point shows that policy's
// run. Everything runs on worker threads on a copy of the project; core/whatif computes it all.

#include "whatif/simulation.h"
#include "whatif/sweep.h"

#include <QFutureWatcher>
#include <QWidget>
#include <atomic>
#include <memory>
#include <optional>

class QComboBox;
class QCustomPlot;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableWidget;

namespace headroom::ui {

class ProjectDocument;
class ScenarioPreview;

/// A finished run of one tier, or why there is none; when policies are compared, each one's
/// run (the first is also `tier`).
struct WhatIfRun {
    whatif::TierRun tier;
    std::vector<whatif::TierRun> compared;
    std::shared_ptr<const whatif::LoadSeries> load;
    double objectiveSeconds = 0.5;
    QString error;
};

/// A finished sweep (or a cancelled one), or why there is none.
struct WhatIfSweep {
    whatif::Sweep sweep;
    QString error;
};

class WhatIfSetupDialog;

class WhatIfPanel : public QWidget {
    Q_OBJECT
  public:
    explicit WhatIfPanel(ProjectDocument* document, QWidget* parent = nullptr);
    ~WhatIfPanel() override;

    /// Runs the chosen scenario, tier and policy (as the Run button does); the last policy
    /// entry, "Compare all", runs every policy of the tier side by side.
    void run();
    /// Sweeps the chosen tier's HPA over the default grid (as the Sweep button does).
    void startSweep();
    /// Shows the run of the i-th sweep point (as clicking it does).
    void showSweepPoint(std::size_t index);
    /// Opens Scenarios and Policies on the chosen scenario, or the chosen tier's policy (the
    /// "Scenarios & Policies" button; Edit menu). The dialog deletes itself when closed.
    WhatIfSetupDialog* editSetup(bool policies = false);
    /// Adds the last sweep's recommendation to the tier's policies as a Kubernetes HPA (one
    /// undo step) and chooses it; false when there is none (the "Keep" button).
    bool keepRecommendation();

    // For tests and screenshots.
    [[nodiscard]] bool isBusy() const;
    [[nodiscard]] QComboBox* scenarioBox() const { return scenario_; }
    [[nodiscard]] QComboBox* tierBox() const { return tier_; }
    [[nodiscard]] QComboBox* policyBox() const { return policy_; }
    [[nodiscard]] QTableWidget* summaryTable() const { return summary_; }
    [[nodiscard]] QCustomPlot* timeline() const { return timeline_; }
    [[nodiscard]] QCustomPlot* scatter() const { return scatter_; }
    [[nodiscard]] ScenarioPreview* preview() const { return preview_; }
    [[nodiscard]] QLabel* status() const { return status_; }
    [[nodiscard]] QPushButton* keepButton() const { return keepButton_; }
    [[nodiscard]] QTabWidget* tabs() const { return tabs_; }
    [[nodiscard]] const WhatIfRun* shownRun() const { return shown_.get(); }
    [[nodiscard]] const WhatIfSweep* shownSweep() const { return sweep_.get(); }

  signals:
    void runShown();
    void sweepShown();
    void previewShown();

  private:
    void refillChoices();
    void refillPolicies();
    void setBusy(bool busy, const QString& what);
    void runFinished();
    void sweepFinished();
    void drawRun();
    void drawSweep();
    void explainEventNear(double seconds);
    void showScenario();

    ProjectDocument* document_;
    QComboBox* scenario_;
    QComboBox* tier_;
    QComboBox* policy_;
    QPushButton* runButton_;
    QPushButton* sweepButton_;
    QPushButton* cancelButton_;
    QPushButton* setupButton_;
    QPushButton* keepButton_;
    QProgressBar* progress_;
    QLabel* status_;
    QTabWidget* tabs_;
    QCustomPlot* timeline_;
    QTableWidget* summary_;
    QCustomPlot* scatter_;
    QLabel* sweepReason_;
    ScenarioPreview* preview_;
    QFutureWatcher<std::shared_ptr<WhatIfRun>> runWatcher_;
    QFutureWatcher<std::shared_ptr<WhatIfSweep>> sweepWatcher_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::shared_ptr<const WhatIfRun> shown_;
    std::shared_ptr<const WhatIfSweep> sweep_;
};

} // namespace headroom::ui
