// Scenarios and Policies (Edit menu, What-if dock): the load scenarios and autoscaling policies
// edited in the GUI land in the project as one undo step, run from the dock, and a definition
// that does not read is refused with where it is wrong, the project untouched. Set
// HEADROOM_SCREENSHOTS to a folder to also save pictures of the dialog.

#include "dialogs/policy_editor.h"
#include "dialogs/scenario_editor.h"
#include "dialogs/whatif_setup_dialog.h"
#include "document/project_document.h"
#include "main_window.h"
#include "model/project_delta.h"
#include "panels/scenario_preview.h"
#include "panels/whatif_panel.h"
#include "support/temp_dir.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QUndoStack>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <qcustomplot.h>

namespace headroom::ui {
namespace {

void screenshot(QWidget& widget, const char* name) {
    const QByteArray folder = qgetenv("HEADROOM_SCREENSHOTS");
    QCoreApplication::sendPostedEvents();
    if (!folder.isEmpty())
        widget.grab().save(QDir(QString::fromLocal8Bit(folder)).filePath(name));
}

WhatIfPanel* webshop(MainWindow& window) {
    window.resize(1280, 800);
    window.show();
    QSignalSpy loaded(&window, &MainWindow::loadFinished);
    window.openFile(
        QString::fromStdString((test::sourceDir() / "models/webshop.headroom.json").string()));
    EXPECT_TRUE(loaded.wait(10000));
    window.findChild<QDockWidget*>("whatIfDock")->raise();
    return window.whatIfPanel();
}

/// Types into a line edit as a user does (textEdited, not only textChanged).
void typeInto(QLineEdit* edit, const QString& text) {
    edit->selectAll();
    QTest::keyClicks(edit, text);
}

TEST(WhatIfSetup, AScenarioAddedInTheDialogRunsFromTheDockAndUndoes) {
    MainWindow window;
    auto* panel = webshop(window);
    auto* document = window.document();
    const auto before = document->project().scenarios;
    auto* dialog = panel->editSetup();
    auto* editor = dialog->scenarios();
    ASSERT_EQ(editor->list()->count(), static_cast<int>(before.size()));

    editor->addScenario();
    typeInto(editor->nameEdit(), "Launch day");
    editor->daysEdit()->setValue(2);
    editor->meanEdit()->setValue(250);
    editor->addTransform(); // a spike: x3 at hour 12
    ASSERT_EQ(editor->transforms()->rowCount(), 1);
    QSignalSpy previewed(editor->preview(), &ScenarioPreview::shown);
    ASSERT_TRUE(previewed.wait(10000));
    EXPECT_EQ(editor->problem()->text(), "Runs as it is.");
    // Two days at a minute a point.
    while (editor->preview()->plot()->graphCount() == 0 ||
           editor->preview()->plot()->graph(0)->dataCount() != 2 * 24 * 60)
        ASSERT_TRUE(previewed.wait(10000));
    screenshot(*dialog, "setup-scenario.png");

    ASSERT_TRUE(dialog->commit()) << dialog->problem().toStdString();
    const auto& scenarios = document->project().scenarios;
    ASSERT_EQ(scenarios.size(), before.size() + 1);
    const auto& added = scenarios.back();
    EXPECT_EQ(added.name, "Launch day");
    EXPECT_EQ(added.synthetic.days, 2);
    EXPECT_EQ(added.synthetic.meanRps, 250);
    ASSERT_EQ(added.transforms.size(), 1U);
    EXPECT_EQ(added.transforms[0].kind, TransformKind::Spike);
    EXPECT_EQ(added.transforms[0].factor, 3);
    EXPECT_GE(panel->scenarioBox()->findText("Launch day"), 0) << "the dock offers it at once";
    dialog->close();

    panel->scenarioBox()->setCurrentText("Launch day");
    panel->tierBox()->setCurrentText("web");
    panel->policyBox()->setCurrentText("web HPA, CPU 60%");
    QSignalSpy shown(panel, &WhatIfPanel::runShown);
    panel->run();
    ASSERT_TRUE(shown.wait(20000)) << panel->status()->text().toStdString();
    EXPECT_EQ(panel->shownRun()->tier.ticks.size(), 2U * 24 * 60 * 4) << "two days at 15 s";

    document->undoStack()->undo();
    EXPECT_EQ(document->project().scenarios, before);
    EXPECT_LT(panel->scenarioBox()->findText("Launch day"), 0);
}

TEST(WhatIfSetup, APolicyPastedAsYamlIsStoredAsJsonAndABrokenOneIsRefused) {
    MainWindow window;
    auto* panel = webshop(window);
    auto* document = window.document();
    panel->tierBox()->setCurrentText("web");
    auto* dialog = panel->editSetup(true);
    EXPECT_EQ(dialog->tabs()->currentWidget(), dialog->policies());
    auto* editor = dialog->policies();
    const int count = editor->list()->count();
    ASSERT_EQ(count, static_cast<int>(document->project().policies.size()));

    editor->addPolicy(PolicyKind::KubernetesHpa);
    typeInto(editor->nameEdit(), "web HPA, CPU 75%");
    editor->definition()->setPlainText(R"(apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  minReplicas: 3
  maxReplicas: 30
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 75
)");
    QTest::qWait(400); // the check runs after a pause in typing
    EXPECT_EQ(editor->problem()->text(), "Runs as it is.");
    screenshot(*dialog, "setup-policy.png");

    // A broken definition: refused, with where, and nothing changes.
    const auto saved = document->project();
    editor->definition()->setPlainText("spec:\n  minReplicas: 3\n  metrics: [\n");
    EXPECT_FALSE(dialog->commit());
    EXPECT_TRUE(dialog->problem().contains("YAML")) << dialog->problem().toStdString();
    EXPECT_TRUE(dialog->problem().contains("line ")) << dialog->problem().toStdString();
    EXPECT_EQ(document->project(), saved);

    editor->definition()->setPlainText(R"({"spec": {"minReplicas": 3, "maxReplicas": 30,
        "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target":
        {"type": "Utilization", "averageUtilization": 75}}}]}})");
    ASSERT_TRUE(dialog->commit()) << dialog->problem().toStdString();
    const auto& policies = document->project().policies;
    ASSERT_EQ(policies.size(), static_cast<std::size_t>(count + 1));
    const auto& added = policies.back();
    EXPECT_EQ(added.name, "web HPA, CPU 75%");
    EXPECT_EQ(added.component, "web");
    EXPECT_EQ(added.kind, PolicyKind::KubernetesHpa);
    const auto j = nlohmann::json::parse(added.definition);
    EXPECT_EQ(j["spec"]["maxReplicas"], 30);
    EXPECT_EQ(added.definition.find('\n'), std::string::npos);
    EXPECT_GE(panel->policyBox()->findText("web HPA, CPU 75%"), 0);
    dialog->close();
}

TEST(WhatIfSetup, RepeatedNamesAreRefusedAndAnUnchangedDialogAddsNoUndoStep) {
    MainWindow window;
    auto* panel = webshop(window);
    auto* document = window.document();
    const int steps = document->undoStack()->count();
    auto* dialog = panel->editSetup();
    ASSERT_TRUE(dialog->commit());
    EXPECT_EQ(document->undoStack()->count(), steps) << "every definition read back the same";

    auto* scenarios = dialog->scenarios();
    scenarios->list()->setCurrentRow(0);
    const auto first = scenarios->list()->item(0)->text();
    scenarios->duplicateScenario();
    typeInto(scenarios->nameEdit(), first);
    EXPECT_FALSE(dialog->commit());
    EXPECT_TRUE(dialog->problem().contains("Two scenarios")) << dialog->problem().toStdString();
    EXPECT_EQ(document->undoStack()->count(), steps);
    dialog->close();
}

TEST(WhatIfSetup, AnEditWritesOnlyWhatChangedAndRemovingKeepsTheFormOnTheRightEntry) {
    MainWindow window;
    auto* panel = webshop(window);
    auto* document = window.document();
    // Values finer than the form's steps, and a seed past an int.
    {
        auto scenarios = document->project().scenarios;
        scenarios[0].synthetic.dailyAmplitude = 0.33333;
        scenarios[0].synthetic.seed = 5'000'000'000'000ULL;
        DeltaBuilder builder(document->project());
        builder.setWhatIf({scenarios, document->project().policies});
        document->edit(builder.build(), "fine values");
    }
    auto* dialog = panel->editSetup();
    auto* scenarios = dialog->scenarios();
    scenarios->list()->setCurrentRow(0);
    typeInto(scenarios->nameEdit(), "Renamed");
    ASSERT_TRUE(dialog->commit()) << dialog->problem().toStdString();
    const auto& first = document->project().scenarios[0];
    EXPECT_EQ(first.name, "Renamed");
    EXPECT_EQ(first.synthetic.dailyAmplitude, 0.33333) << "not rounded to the form's 33.3%";
    EXPECT_EQ(first.synthetic.seed, 5'000'000'000'000ULL);

    // Removing the first policy: the form shows the next one, and edits go to it.
    auto* policies = dialog->policies();
    policies->list()->setCurrentRow(0);
    const auto second = document->project().policies[1];
    policies->removePolicy();
    EXPECT_EQ(policies->list()->currentRow(), 0);
    EXPECT_EQ(policies->nameEdit()->text().toStdString(), second.name);
    typeInto(policies->nameEdit(), "second, renamed");
    // The last one too.
    policies->list()->setCurrentRow(policies->list()->count() - 1);
    policies->removePolicy();
    EXPECT_EQ(policies->list()->currentRow(), policies->list()->count() - 1);
    ASSERT_TRUE(dialog->commit()) << dialog->problem().toStdString();
    const auto& kept = document->project().policies;
    ASSERT_FALSE(kept.empty());
    EXPECT_EQ(kept[0].name, "second, renamed");
    EXPECT_EQ(kept[0].definition, second.definition);

    // Replace with Template is one step the definition's own Undo takes back.
    policies->list()->setCurrentRow(0);
    policies->definition()->setPlainText("{\"replicas\": 9}"); // as if pasted
    const auto before = policies->definition()->toPlainText();
    policies->useTemplate();
    EXPECT_NE(policies->definition()->toPlainText(), before);
    policies->definition()->undo();
    EXPECT_EQ(policies->definition()->toPlainText(), before);

    // The project changing under the dialog: refused, not silently reverted.
    document->undoStack()->undo();
    EXPECT_FALSE(dialog->commit());
    EXPECT_TRUE(dialog->problem().contains("changed while")) << dialog->problem().toStdString();
    dialog->close();
}

TEST(WhatIfSetup, AnEmptyProjectGetsAScenarioAndSaysWhyNoPolicy) {
    ProjectDocument document;
    WhatIfSetupDialog dialog(&document, WhatIfSetupDialog::Page::Policies);
    dialog.policies()->addPolicy(PolicyKind::KubernetesHpa);
    EXPECT_EQ(dialog.policies()->list()->count(), 0);
    EXPECT_TRUE(dialog.policies()->problem()->text().contains("service or worker group"))
        << dialog.policies()->problem()->text().toStdString();
    dialog.scenarios()->addScenario();
    ASSERT_TRUE(dialog.commit()) << dialog.problem().toStdString();
    ASSERT_EQ(document.project().scenarios.size(), 1U);
    EXPECT_EQ(document.project().scenarios[0].name, "New scenario");
    EXPECT_EQ(document.project().scenarios[0].synthetic.meanRps, 100) << "no clients: the default";
    // Removing the only scenario leaves an empty, disabled form, and commits cleanly.
    dialog.scenarios()->removeScenario();
    EXPECT_EQ(dialog.scenarios()->list()->count(), 0);
    EXPECT_FALSE(dialog.scenarios()->nameEdit()->isEnabled());
    ASSERT_TRUE(dialog.commit());
    EXPECT_TRUE(document.project().scenarios.empty());
}

TEST(WhatIfSetup, TheSweepsRecommendationIsKeptAsAPolicy) {
    MainWindow window;
    auto* panel = webshop(window);
    auto* document = window.document();
    panel->scenarioBox()->setCurrentText("Black Friday week");
    panel->tierBox()->setCurrentText("web");
    EXPECT_FALSE(panel->keepButton()->isEnabled());
    QSignalSpy swept(panel, &WhatIfPanel::sweepShown);
    panel->startSweep();
    ASSERT_TRUE(swept.wait(60000)) << panel->status()->text().toStdString();
    ASSERT_TRUE(panel->shownSweep()->sweep.recommended);
    EXPECT_TRUE(panel->keepButton()->isEnabled());
    const auto count = document->project().policies.size();
    ASSERT_TRUE(panel->keepRecommendation());
    const auto& policies = document->project().policies;
    ASSERT_EQ(policies.size(), count + 1);
    const auto& sweep = panel->shownSweep()->sweep;
    const auto& point = sweep.points[*sweep.recommended];
    EXPECT_EQ(policies.back().name, "recommended: " + point.name);
    EXPECT_EQ(panel->policyBox()->currentText().toStdString(), policies.back().name);
    const auto j = nlohmann::json::parse(policies.back().definition);
    EXPECT_EQ(j["spec"]["maxReplicas"], point.spec.maxReplicas);
    // The request it was sized with is the one the tier has (the dock's grid keeps it).
    EXPECT_EQ(document->project().findComponent("web")->number("cpu_request_millicores"),
              point.cpuRequestMillicores);
    // And runs as the sweep ran it: the same cost.
    QSignalSpy shown(panel, &WhatIfPanel::runShown);
    panel->run();
    ASSERT_TRUE(shown.wait(20000)) << panel->status()->text().toStdString();
    EXPECT_NEAR(panel->shownRun()->tier.summary.cost, point.summary.cost, 1e-9);
    document->undoStack()->undo();
    EXPECT_EQ(document->project().policies.size(), count);
}

} // namespace
} // namespace headroom::ui
