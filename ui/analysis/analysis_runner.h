#pragma once
// Keeps a bottleneck analysis of the open project up to date: after every edit (debounced),
// and when the load multiplier changes, it analyses a copy of the project on a worker thread
// and announces the result. The GUI thread never waits for it; a result that an edit made
// stale while it ran is replaced by a fresh run before anyone sees it.

#include "analysis/analysis.h"
#include "analysis/closed.h"
#include "analysis/design_checks.h"

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <memory>

namespace headroom::ui {

class ProjectDocument;

/// One finished analysis: the figures at the chosen multiplier, the design findings (at the
/// drawn load) and, for the component asked about, its figures as the load grows.
struct AnalysisSnapshot {
    std::uint64_t revision = 0; ///< of the document analysed
    analysis::Analysis result;
    std::vector<analysis::Finding> findings;
    QString curveComponent;
    std::vector<analysis::CurvePoint> curve; ///< multipliers 0.05 .. 10 (or past saturation)
    QString error; ///< why the analysis could not be done (the figures are then empty)
    /// The system as N users thinking between requests (closed.h), or why there is none.
    std::optional<analysis::ClosedWorkload> users;
    QString usersError;
    /// What the bound metrics said, for the next runs of the same revision.
    std::shared_ptr<const analysis::CalibrationResult> calibration;
};

class AnalysisRunner : public QObject {
    Q_OBJECT
  public:
    explicit AnalysisRunner(ProjectDocument* document, QObject* parent = nullptr);
    ~AnalysisRunner() override;

    void setLoadMultiplier(double multiplier);
    [[nodiscard]] double loadMultiplier() const { return multiplier_; }
    /// The component whose load curve to compute with each run.
    void setCurveComponent(const QString& id);

    /// The latest result, or null before the first one.
    [[nodiscard]] std::shared_ptr<const AnalysisSnapshot> latest() const { return latest_; }
    /// True while a run is queued or in flight.
    [[nodiscard]] bool isBusy() const;

  signals:
    void updated();

  private:
    void schedule(int delayMs);
    void start();
    void finished();

    QPointer<ProjectDocument> document_;
    double multiplier_ = 1;
    QString curveComponent_;
    QTimer debounce_;
    QFutureWatcher<std::shared_ptr<AnalysisSnapshot>> watcher_;
    bool inFlight_ = false; ///< a run started whose result finished() has not taken yet
    bool rerun_ = false;    ///< something changed while a run was in flight
    std::shared_ptr<const AnalysisSnapshot> latest_;
    std::shared_ptr<const analysis::CalibrationResult> calibration_;
    std::uint64_t calibrationRevision_ = 0;
};

} // namespace headroom::ui
