#include "dialogs/whatif_setup_dialog.h"

#include "dialogs/policy_editor.h"
#include "dialogs/scenario_editor.h"
#include "document/project_document.h"
#include "model/project_delta.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace headroom::ui {

WhatIfSetupDialog::WhatIfSetupDialog(ProjectDocument* document, Page page, QWidget* parent)
    : QDialog(parent), document_(document), revision_(document->revision()), tabs_(new QTabWidget),
      scenarios_(new ScenarioEditor(document->project())),
      policies_(new PolicyEditor(document->project())), problem_(new QLabel),
      buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel)) {
    setWindowTitle(tr("Scenarios and Policies"));
    tabs_->addTab(scenarios_, tr("Load Scenarios"));
    tabs_->addTab(policies_, tr("Autoscaling Policies"));
    tabs_->setCurrentIndex(page == Page::Scenarios ? 0 : 1);
    problem_->setWordWrap(true);
    problem_->setStyleSheet(QStringLiteral("color: #b3261e"));
    problem_->hide();
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tabs_, 1);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(problem_, 1);
    bottom->addWidget(buttons_);
    layout->addLayout(bottom);
    connect(buttons_, &QDialogButtonBox::accepted, this, &WhatIfSetupDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &WhatIfSetupDialog::reject);
    const auto clear = [this] { problem_->hide(); };
    connect(scenarios_, &ScenarioEditor::changed, this, clear);
    connect(policies_, &PolicyEditor::changed, this, clear);
    resize(1040, 800);
}

void WhatIfSetupDialog::selectScenario(const QString& name) {
    scenarios_->select(name);
}

void WhatIfSetupDialog::selectPolicy(const QString& tier, const QString& name) {
    policies_->select(tier, name);
}

QString WhatIfSetupDialog::problem() const {
    return problem_->isVisible() || !problem_->text().isEmpty() ? problem_->text() : QString();
}

bool WhatIfSetupDialog::commit() {
    problem_->clear();
    // A value typed into a field still being edited counts.
    if (auto* focused = QApplication::focusWidget(); focused && isAncestorOf(focused))
        focused->clearFocus();
    if (document_->revision() != revision_) {
        // The editors hold a copy of the project as it was: committing now would undo
        // whatever changed it (an undo, or another project opened).
        problem_->setText(tr("The project changed while this dialog was open; Cancel and "
                             "open Scenarios and Policies again."));
        problem_->show();
        return false;
    }
    if (const auto blocking = scenarios_->blockingProblem(); !blocking.isEmpty()) {
        tabs_->setCurrentWidget(scenarios_);
        problem_->setText(blocking);
        problem_->show();
        return false;
    }
    const auto policies = policies_->policies();
    if (!policies) {
        tabs_->setCurrentWidget(policies_);
        problem_->setText(policies_->lastProblem());
        problem_->show();
        return false;
    }
    DeltaBuilder builder(document_->project());
    builder.setWhatIf({scenarios_->scenarios(), *policies});
    document_->edit(builder.build(), tr("Edit scenarios and policies"));
    revision_ = document_->revision(); // committed: the editors now match the document
    return true;
}

void WhatIfSetupDialog::accept() {
    if (commit())
        QDialog::accept();
}

} // namespace headroom::ui
