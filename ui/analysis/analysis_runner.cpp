#include "analysis/analysis_runner.h"

#include "document/project_document.h"

#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <cmath>

namespace headroom::ui {
namespace {

/// What a worker computes: everything the panels and the canvas show.
std::shared_ptr<AnalysisSnapshot>
analyse(const Project& project, std::uint64_t revision, double multiplier,
        const std::string& curveId,
        std::shared_ptr<const analysis::CalibrationResult> calibration) {
    auto out = std::make_shared<AnalysisSnapshot>();
    out->revision = revision;
    // The metrics are read once per revision of the project, not on every slider step.
    if (!calibration)
        calibration = std::make_shared<const analysis::CalibrationResult>(
            analysis::calibrateFromMetrics(project));
    out->calibration = calibration;
    analysis::AnalysisOptions options;
    options.loadMultiplier = multiplier;
    out->result = analysis::analyze(project, options, calibration.get());
    options.loadMultiplier = 1;
    std::optional<analysis::Analysis> drawn; // at the drawn load, when the slider is elsewhere
    if (multiplier != 1)
        drawn = analysis::analyze(project, options, calibration.get());
    const auto& atOne = drawn ? *drawn : out->result;
    out->findings = analysis::checkDesign(project, atOne);
    // The closed view from the load shown; past a saturation there it has no demands to take,
    // so it falls back to the drawn load and says so.
    analysis::ClosedOptions closed;
    closed.maxWork = 4'000'000; // a few milliseconds of MVA, however large the drawing
    auto users = analysis::closedWorkload(project, out->result, closed, calibration.get());
    if (!users && drawn) {
        users = analysis::closedWorkload(project, *drawn, closed, calibration.get());
        if (users)
            users->notes.insert(users->notes.begin(),
                                "Demands taken at the drawn load (x1): at the load shown a "
                                "component on the users' path is saturated");
    }
    if (users)
        out->users = std::move(*users);
    else
        out->usersError = QString::fromStdString(users.error().message);
    out->curveComponent = QString::fromStdString(curveId);
    for (std::size_t v = 0; v < project.components.size(); ++v) {
        if (project.components[v].id != curveId)
            continue;
        // From a twentieth of the drawn load to ten times it, or a little past saturation.
        const auto& a = out->result.components[v];
        const double top = std::clamp(a.saturationMultiplier.value_or(10) * 1.02, 0.5, 10.0);
        std::vector<double> ks;
        for (int i = 0; i <= 120; ++i)
            ks.push_back(0.05 + (top - 0.05) * i / 120.0);
        out->curve = analysis::loadCurve(project, v, ks, options, calibration.get());
    }
    return out;
}

/// The analysis, or a snapshot that says why there is none: an exception must not cross
/// into the GUI thread (QFutureWatcher::result would rethrow it in a slot).
std::shared_ptr<AnalysisSnapshot>
run(const Project& project, std::uint64_t revision, double multiplier, const std::string& curveId,
    std::shared_ptr<const analysis::CalibrationResult> calibration) {
    try {
        return analyse(project, revision, multiplier, curveId, std::move(calibration));
    } catch (const std::exception& e) {
        auto failed = std::make_shared<AnalysisSnapshot>();
        failed->revision = revision;
        failed->result.options.loadMultiplier = multiplier;
        failed->error = QString::fromUtf8(e.what());
        return failed;
    }
}

} // namespace

AnalysisRunner::AnalysisRunner(ProjectDocument* document, QObject* parent)
    : QObject(parent), document_(document) {
    debounce_.setSingleShot(true);
    connect(&debounce_, &QTimer::timeout, this, &AnalysisRunner::start);
    connect(&watcher_, &QFutureWatcher<std::shared_ptr<AnalysisSnapshot>>::finished, this,
            &AnalysisRunner::finished);
    // Typing in a property editor edits on every keystroke: wait for a pause.
    connect(document, &ProjectDocument::edited, this, [this] { schedule(150); });
    connect(document, &ProjectDocument::projectReset, this, [this] { schedule(0); });
    schedule(0);
}

AnalysisRunner::~AnalysisRunner() {
    watcher_.waitForFinished();
}

void AnalysisRunner::setLoadMultiplier(double multiplier) {
    if (multiplier == multiplier_ || !(multiplier > 0))
        return;
    multiplier_ = multiplier;
    schedule(0); // a slider drag: every step, as fast as runs finish
}

void AnalysisRunner::setCurveComponent(const QString& id) {
    if (id == curveComponent_)
        return;
    curveComponent_ = id;
    schedule(0);
}

bool AnalysisRunner::isBusy() const {
    return debounce_.isActive() || inFlight_ || rerun_;
}

void AnalysisRunner::schedule(int delayMs) {
    debounce_.start(delayMs);
}

void AnalysisRunner::start() {
    if (!document_)
        return;
    // In flight until finished() has taken the result: the worker may be done long before the
    // GUI thread hears of it, and a second run must not replace a result not yet taken.
    if (inFlight_) {
        rerun_ = true; // one more run once this one ends, with what is current then
        return;
    }
    rerun_ = false;
    inFlight_ = true;
    const auto calibration =
        calibration_ && calibrationRevision_ == document_->revision() ? calibration_ : nullptr;
    watcher_.setFuture(QtConcurrent::run(run, document_->project(), document_->revision(),
                                         multiplier_, curveComponent_.toStdString(), calibration));
}

void AnalysisRunner::finished() {
    inFlight_ = false;
    auto result = watcher_.result();
    // While the slider moves, show each run as it lands (the project is the same, only the
    // multiplier moved on); a run of an edited project is dropped unseen.
    const bool current = document_ && result->revision == document_->revision();
    if (current) {
        if (result->calibration) {
            calibration_ = result->calibration;
            calibrationRevision_ = result->revision;
        }
        latest_ = std::move(result);
        emit updated();
    }
    if (rerun_ || !current)
        start();
}

} // namespace headroom::ui
