#pragma once
// The "Autoscaling policies" page of the Scenarios and Policies dialog: the project's policies
// in a list (add one of each kind from a template, duplicate, remove), the chosen one's name,
// tier and kind, and its definition as text: JSON or YAML, pasted as kubectl or the AWS CLI
// prints it. What a run would refuse in it is shown as it is typed. Works on a copy; the
// dialog commits it.

#include "model/project.h"

#include <QTimer>
#include <QWidget>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace headroom::ui {

class PolicyEditor : public QWidget {
    Q_OBJECT
  public:
    explicit PolicyEditor(const Project& project, QWidget* parent = nullptr);

    /// The policies with their definitions as stored; nothing (and the first culprit chosen,
    /// its problem shown) when a name is empty or repeated on a tier, or a definition is not
    /// JSON or YAML.
    [[nodiscard]] std::optional<std::vector<AutoscalingPolicy>> policies();
    /// The problem policies() stopped at, in words.
    [[nodiscard]] QString lastProblem() const { return lastProblem_; }
    /// Selects the policy of that name on that tier.
    void select(const QString& tier, const QString& name);

    void addPolicy(PolicyKind kind);
    void duplicatePolicy();
    void removePolicy();
    void useTemplate(); ///< replaces the definition with the kind's template for the tier
    void format();      ///< lays the definition out as indented JSON

    [[nodiscard]] QListWidget* list() const { return list_; }
    [[nodiscard]] QLineEdit* nameEdit() const { return name_; }
    [[nodiscard]] QComboBox* tierBox() const { return tier_; }
    [[nodiscard]] QComboBox* kindBox() const { return kind_; }
    [[nodiscard]] QPlainTextEdit* definition() const { return definition_; }
    [[nodiscard]] QLabel* problem() const { return problem_; }

  signals:
    void changed();

  private:
    /// A policy as edited: the definition is the text typed, stored only once it reads.
    struct Entry {
        AutoscalingPolicy policy;
        QString text;
    };
    void showCurrent();
    void takeForm();
    void check();
    void refreshItem(int row);
    [[nodiscard]] std::optional<QString> problemOf(const Entry& e) const;
    [[nodiscard]] QString freeName(const QString& base, const std::string& tier) const;

    Project project_;
    std::vector<Entry> entries_;
    int current_ = -1;
    bool loading_ = false;
    QString lastProblem_;
    QTimer checkTimer_;

    QListWidget* list_;
    QToolButton* addButton_;
    QPushButton* duplicateButton_;
    QPushButton* removeButton_;
    QWidget* form_;
    QLineEdit* name_;
    QComboBox* tier_;
    QComboBox* kind_;
    QPlainTextEdit* definition_;
    QLabel* problem_;
};

/// The kind's name as users know it: "Kubernetes HPA", "EC2 Auto Scaling group", ...
QString policyKindName(PolicyKind kind);

} // namespace headroom::ui
