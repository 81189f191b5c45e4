#pragma once
// The what-if dock's Scenario tab: the chosen load scenario drawn (built on a worker thread, a
// minute a point), its rolling deploys dashed, and what it is made of in words. It is built
// again only when the scenario, or the series a recorded one replays, changed.

#include "model/project.h"
#include "whatif/load.h"

#include <QFutureWatcher>
#include <QWidget>
#include <memory>
#include <optional>
#include <string>
#include <utility>

class QCustomPlot;
class QLabel;

namespace headroom::ui {

class ScenarioPreview : public QWidget {
    Q_OBJECT
  public:
    explicit ScenarioPreview(QWidget* parent = nullptr);
    ~ScenarioPreview() override;

    /// Shows the scenario `name` of `project` (nothing when there is none).
    void show(const Project& project, const std::string& name);

    [[nodiscard]] QCustomPlot* plot() const { return plot_; }
    [[nodiscard]] QLabel* text() const { return text_; }

  signals:
    void shown();

  private:
    /// A scenario's load, or why it cannot be built.
    struct Built {
        Scenario scenario;
        whatif::LoadSeries load;
        QString error;
    };
    void finished();

    QCustomPlot* plot_;
    QLabel* text_;
    QFutureWatcher<std::shared_ptr<Built>> watcher_;
    std::optional<std::pair<Project, std::string>> again_; ///< asked for while building
    std::optional<Scenario> previewed_;                    ///< the scenario shown (or being built)
    std::size_t previewedSeries_ = 0;
};

} // namespace headroom::ui
