#pragma once
// The "Load scenarios" page of the Scenarios and Policies dialog: the project's scenarios in a
// list (add, duplicate, remove), the chosen one as a form (its shape or the recorded series it
// replays, its transforms and rolling deploys), and the load it makes drawn below as it is
// edited, with what a run would refuse in it. Works on a copy; the dialog commits it.

#include "model/project.h"

#include <QTimer>
#include <QWidget>
#include <map>
#include <optional>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableWidget;

namespace headroom::ui {

class ScenarioPreview;

class ScenarioEditor : public QWidget {
    Q_OBJECT
  public:
    /// Edits a copy of `project`'s scenarios (the project gives the components and series).
    explicit ScenarioEditor(const Project& project, QWidget* parent = nullptr);

    [[nodiscard]] const std::vector<Scenario>& scenarios() const { return scenarios_; }
    /// Selects the scenario of that name (the first when there is none).
    void select(const QString& name);
    /// What keeps the scenarios from being saved (an empty or repeated name), or nothing;
    /// the scenario in question is chosen.
    [[nodiscard]] QString blockingProblem();

    void addScenario();
    void duplicateScenario();
    void removeScenario();
    void addTransform();
    void addDeploy();

    [[nodiscard]] QListWidget* list() const { return list_; }
    [[nodiscard]] QLineEdit* nameEdit() const { return name_; }
    [[nodiscard]] QDoubleSpinBox* meanEdit() const { return mean_; }
    [[nodiscard]] QDoubleSpinBox* daysEdit() const { return days_; }
    [[nodiscard]] QComboBox* sourceBox() const { return source_; }
    [[nodiscard]] QTableWidget* transforms() const { return transforms_; }
    [[nodiscard]] QTableWidget* deploys() const { return deploys_; }
    [[nodiscard]] QLabel* problem() const { return problem_; }
    [[nodiscard]] ScenarioPreview* preview() const { return preview_; }

  signals:
    void changed();

  private:
    void showCurrent();   ///< the chosen scenario into the form
    void choose(int row); ///< selects a row and shows it
    void takeForm();      ///< the form into the chosen scenario
    [[nodiscard]] Scenario fromForm() const;
    void fillComponents(bool recorded);
    void setTransformRow(int row, const ScenarioTransform& t);
    void setDeployRow(int row, const RollingDeploy& d);
    void enableTransformCells(int row);
    void refreshList();
    void check(); ///< the chosen scenario's problem and preview (after a pause in typing)
    [[nodiscard]] QString freeName(const QString& base) const;
    /// What a run would refuse in the scenario (remembered: the project does not change while
    /// the dialog is open, and a recorded scenario's check reads its whole series).
    std::optional<Error> problemOf(const Scenario& scenario);

    Project project_; ///< the drawing and series; scenarios replaced by the edited ones to preview
    std::vector<Scenario> scenarios_;
    /// The chosen scenario as the form shows it (rounded to the widgets' steps): only fields
    /// that differ from it are written back, so an edit never rounds the ones left alone.
    Scenario shown_;
    int current_ = -1;
    bool loading_ = false;
    QTimer checkTimer_;
    std::map<std::string, std::optional<Error>> checked_; ///< by the scenario as JSON

    QListWidget* list_;
    QPushButton* duplicateButton_;
    QPushButton* removeButton_;
    QWidget* form_;
    QLineEdit* name_;
    QLineEdit* description_;
    QComboBox* source_;
    QComboBox* component_;
    QGroupBox* shape_;
    QDoubleSpinBox* mean_;
    QDoubleSpinBox* days_;
    QDoubleSpinBox* amplitude_;
    QDoubleSpinBox* peakHour_;
    QDoubleSpinBox* weekend_;
    QCheckBox* noise_;
    QDoubleSpinBox* seed_;
    QTableWidget* transforms_;
    QTableWidget* deploys_;
    QLabel* problem_;
    ScenarioPreview* preview_;
};

} // namespace headroom::ui
