#pragma once
// Edit > Scenarios and Policies (also the What-if dock's "Scenarios & Policies..." button):
// the load scenarios and the autoscaling policies the what-if engine replays, on two pages,
// committed together as one undoable step when the dialog is accepted.

#include <QDialog>
#include <cstdint>

class QDialogButtonBox;
class QLabel;
class QTabWidget;

namespace headroom::ui {

class PolicyEditor;
class ProjectDocument;
class ScenarioEditor;

class WhatIfSetupDialog : public QDialog {
    Q_OBJECT
  public:
    enum class Page { Scenarios, Policies };
    WhatIfSetupDialog(ProjectDocument* document, Page page, QWidget* parent = nullptr);

    /// Chooses the scenario, or the tier's policy, to start on.
    void selectScenario(const QString& name);
    void selectPolicy(const QString& tier, const QString& name);

    /// Puts the edited scenarios and policies into the document (one undo step); false, with
    /// the reason shown, when a name is missing or repeated or a definition does not read.
    bool commit();

    [[nodiscard]] ScenarioEditor* scenarios() const { return scenarios_; }
    [[nodiscard]] PolicyEditor* policies() const { return policies_; }
    [[nodiscard]] QTabWidget* tabs() const { return tabs_; }
    [[nodiscard]] QString problem() const;

    void accept() override;

  private:
    ProjectDocument* document_;
    std::uint64_t revision_; ///< of the document when the editors copied it
    QTabWidget* tabs_;
    ScenarioEditor* scenarios_;
    PolicyEditor* policies_;
    QLabel* problem_;
    QDialogButtonBox* buttons_;
};

} // namespace headroom::ui
