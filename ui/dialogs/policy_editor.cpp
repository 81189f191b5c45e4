#include "dialogs/policy_editor.h"

#include "document/project_document.h"
#include "whatif/setup.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTextCursor>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <set>

namespace headroom::ui {
namespace {

constexpr PolicyKind kKinds[] = {PolicyKind::KubernetesHpa, PolicyKind::AwsAutoScaling,
                                 PolicyKind::Keda, PolicyKind::Fixed};

bool scalable(const Component& c) {
    return c.kind == ComponentKind::Service || c.kind == ComponentKind::WorkerGroup;
}

} // namespace

QString policyKindName(PolicyKind kind) {
    switch (kind) {
    case PolicyKind::KubernetesHpa:
        return QObject::tr("Kubernetes HPA");
    case PolicyKind::AwsAutoScaling:
        return QObject::tr("EC2 Auto Scaling group");
    case PolicyKind::Keda:
        return QObject::tr("KEDA ScaledObject");
    case PolicyKind::Fixed:
        return QObject::tr("Fixed count");
    }
    return {};
}

PolicyEditor::PolicyEditor(const Project& project, QWidget* parent)
    : QWidget(parent), project_(project), list_(new QListWidget), addButton_(new QToolButton),
      duplicateButton_(new QPushButton(tr("Duplicate"))),
      removeButton_(new QPushButton(tr("Remove"))), form_(new QWidget), name_(new QLineEdit),
      tier_(new QComboBox), kind_(new QComboBox), definition_(new QPlainTextEdit),
      problem_(new QLabel) {
    for (const auto& p : project.policies)
        entries_.push_back({p, qs(whatif::definitionForEditing(p.definition))});

    addButton_->setText(tr("Add"));
    addButton_->setPopupMode(QToolButton::InstantPopup);
    addButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto* addMenu = new QMenu(addButton_);
    for (const auto kind : kKinds)
        addMenu->addAction(policyKindName(kind), this, [this, kind] { addPolicy(kind); });
    addButton_->setMenu(addMenu);
    addButton_->setToolTip(tr("A new policy from a template that runs as it is"));

    list_->setTextElideMode(Qt::ElideRight);
    list_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    list_->setSpacing(2);
    auto* listSide = new QWidget;
    listSide->setMinimumWidth(280);
    auto* listLayout = new QVBoxLayout(listSide);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(list_);
    auto* listButtons = new QHBoxLayout;
    listButtons->addWidget(addButton_);
    listButtons->addWidget(duplicateButton_);
    listButtons->addWidget(removeButton_);
    listLayout->addLayout(listButtons);

    for (const auto& c : project.components)
        if (scalable(c))
            tier_->addItem(qs(c.id), qs(c.id));
    for (const auto kind : kKinds)
        kind_->addItem(policyKindName(kind), static_cast<int>(kind));
    name_->setPlaceholderText(tr("e.g. web HPA, CPU 60%"));
    tier_->setToolTip(tr("The service or worker group the policy scales"));
    kind_->setToolTip(tr("Which autoscaler reads the definition"));
    definition_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    definition_->setLineWrapMode(QPlainTextEdit::NoWrap);
    definition_->setTabChangesFocus(true);
    definition_->setPlaceholderText(
        tr("Paste the autoscaler's own configuration, JSON or YAML:\n"
           "  kubectl get hpa NAME -o yaml\n"
           "  aws autoscaling describe-auto-scaling-groups (one group), with its policies\n"
           "  kubectl get scaledobject NAME -o yaml"));
    definition_->setToolTip(tr("The rules Headroom follows for each kind, with their sources, "
                               "are in docs/autoscalers.md"));
    auto* templateButton = new QPushButton(tr("Replace with Template"));
    templateButton->setToolTip(tr("Start again from the kind's template for this tier"));
    auto* formatButton = new QPushButton(tr("Format"));
    formatButton->setToolTip(tr("Lay the definition out as indented JSON"));
    problem_->setWordWrap(true);
    problem_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* form = new QFormLayout(form_);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("Name"), name_);
    auto* tierRow = new QHBoxLayout;
    tierRow->addWidget(tier_, 1);
    tierRow->addWidget(new QLabel(tr("with")));
    tierRow->addWidget(kind_, 1);
    form->addRow(tr("Scales"), tierRow);
    form->addRow(tr("Definition"), definition_);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(templateButton);
    buttons->addWidget(formatButton);
    buttons->addStretch();
    form->addRow(QString(), buttons);
    form->addRow(problem_);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(listSide);
    split->addWidget(form_);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);

    checkTimer_.setSingleShot(true);
    checkTimer_.setInterval(300);
    connect(&checkTimer_, &QTimer::timeout, this, &PolicyEditor::check);
    connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
        current_ = row;
        showCurrent();
    });
    connect(duplicateButton_, &QPushButton::clicked, this, &PolicyEditor::duplicatePolicy);
    connect(removeButton_, &QPushButton::clicked, this, &PolicyEditor::removePolicy);
    connect(templateButton, &QPushButton::clicked, this, &PolicyEditor::useTemplate);
    connect(formatButton, &QPushButton::clicked, this, &PolicyEditor::format);
    connect(name_, &QLineEdit::textEdited, this, &PolicyEditor::takeForm);
    connect(tier_, &QComboBox::currentIndexChanged, this, &PolicyEditor::takeForm);
    connect(kind_, &QComboBox::currentIndexChanged, this, &PolicyEditor::takeForm);
    connect(definition_, &QPlainTextEdit::textChanged, this, &PolicyEditor::takeForm);

    for (int i = 0; i < static_cast<int>(entries_.size()); ++i) {
        list_->addItem(QString());
        refreshItem(i);
    }
    list_->setCurrentRow(entries_.empty() ? -1 : 0);
    showCurrent();
}

std::optional<QString> PolicyEditor::problemOf(const Entry& e) const {
    auto stored = whatif::definitionFromText(e.text.toStdString());
    if (!stored)
        return qs(stored.error().describe());
    auto policy = e.policy;
    policy.definition = *stored;
    if (const auto problem = whatif::checkPolicy(project_, policy))
        return qs(problem->describe());
    return std::nullopt;
}

void PolicyEditor::refreshItem(int row) {
    auto* item = list_->item(row);
    if (!item)
        return;
    const auto& e = entries_[static_cast<std::size_t>(row)];
    item->setText(
        tr("%1\n    %2, %3")
            .arg(qs(e.policy.name), qs(e.policy.component), policyKindName(e.policy.kind)));
    const auto problem = problemOf(e);
    item->setIcon(problem ? style()->standardIcon(QStyle::SP_MessageBoxWarning) : QIcon());
    item->setToolTip(problem.value_or(QString()));
}

void PolicyEditor::select(const QString& tier, const QString& name) {
    for (int i = 0; i < static_cast<int>(entries_.size()); ++i)
        if (qs(entries_[i].policy.component) == tier &&
            (name.isEmpty() || qs(entries_[i].policy.name) == name)) {
            list_->setCurrentRow(i);
            return;
        }
}

QString PolicyEditor::freeName(const QString& base, const std::string& tier) const {
    QString name = base;
    for (int i = 2;; ++i) {
        const bool taken = std::any_of(entries_.begin(), entries_.end(), [&](const auto& e) {
            return e.policy.component == tier && qs(e.policy.name) == name;
        });
        if (!taken)
            return name;
        name = QStringLiteral("%1 (%2)").arg(base).arg(i);
    }
}

void PolicyEditor::addPolicy(PolicyKind kind) {
    // On the tier of the policy chosen now, else the first that scales.
    std::string tier = current_ >= 0 ? entries_[static_cast<std::size_t>(current_)].policy.component
                                     : std::string();
    const auto* c = project_.findComponent(tier);
    if (!c || !scalable(*c)) {
        c = nullptr;
        for (const auto& candidate : project_.components)
            if (scalable(candidate)) {
                c = &candidate;
                break;
            }
    }
    if (!c) {
        problem_->setText(tr("<span style='color:#b3261e'>Draw a service or worker group "
                             "first: only those scale by replicas.</span>"));
        return;
    }
    Entry e;
    e.policy.component = c->id;
    e.policy.kind = kind;
    e.policy.name = freeName(tr("%1 %2").arg(qs(c->id), policyKindName(kind)), c->id).toStdString();
    e.text = qs(whatif::policyTemplate(kind, *c));
    entries_.push_back(e);
    list_->addItem(QString());
    refreshItem(static_cast<int>(entries_.size()) - 1);
    list_->setCurrentRow(static_cast<int>(entries_.size()) - 1);
    name_->setFocus();
    name_->selectAll();
    emit changed();
}

void PolicyEditor::duplicatePolicy() {
    if (current_ < 0)
        return;
    auto copy = entries_[static_cast<std::size_t>(current_)];
    copy.policy.name = freeName(qs(copy.policy.name), copy.policy.component).toStdString();
    entries_.insert(entries_.begin() + current_ + 1, copy);
    const int row = current_ + 1;
    list_->insertItem(row, QString());
    refreshItem(row);
    list_->setCurrentRow(row);
    emit changed();
}

void PolicyEditor::removePolicy() {
    if (current_ < 0)
        return;
    const int row = current_;
    entries_.erase(entries_.begin() + row);
    // Taking the item moves the list's current row by itself; the editor follows explicitly.
    current_ = std::min(row, static_cast<int>(entries_.size()) - 1);
    {
        QSignalBlocker block(list_);
        delete list_->takeItem(row);
        list_->setCurrentRow(current_);
    }
    showCurrent();
    emit changed();
}

namespace {
/// Replaces the whole text as one step the editor's Undo takes back (setPlainText would clear
/// its history, and with it what the user pasted).
void replaceText(QPlainTextEdit* edit, const QString& text) {
    QTextCursor cursor(edit->document());
    cursor.beginEditBlock();
    cursor.select(QTextCursor::Document);
    cursor.insertText(text);
    cursor.endEditBlock();
}
} // namespace

void PolicyEditor::useTemplate() {
    if (current_ < 0)
        return;
    const auto& p = entries_[static_cast<std::size_t>(current_)].policy;
    if (const auto* c = project_.findComponent(p.component))
        replaceText(definition_, qs(whatif::policyTemplate(p.kind, *c)));
}

void PolicyEditor::format() {
    const auto stored = whatif::definitionFromText(definition_->toPlainText().toStdString());
    if (stored)
        replaceText(definition_, qs(whatif::definitionForEditing(*stored)));
    else
        check(); // says why it cannot
}

void PolicyEditor::showCurrent() {
    loading_ = true;
    const bool any = current_ >= 0 && current_ < static_cast<int>(entries_.size());
    form_->setEnabled(any);
    duplicateButton_->setEnabled(any);
    removeButton_->setEnabled(any);
    const Entry e = any ? entries_[static_cast<std::size_t>(current_)] : Entry{};
    name_->setText(qs(e.policy.name));
    if (any && tier_->findData(qs(e.policy.component)) < 0) // kept, and reported by the check
        tier_->addItem(qs(e.policy.component), qs(e.policy.component));
    tier_->setCurrentIndex(std::max(0, tier_->findData(qs(e.policy.component))));
    kind_->setCurrentIndex(std::max(0, kind_->findData(static_cast<int>(e.policy.kind))));
    definition_->setPlainText(e.text);
    loading_ = false;
    check();
}

void PolicyEditor::takeForm() {
    if (loading_ || current_ < 0 || current_ >= static_cast<int>(entries_.size()))
        return;
    auto& e = entries_[static_cast<std::size_t>(current_)];
    e.policy.name = name_->text().trimmed().toStdString();
    e.policy.component = tier_->currentData().toString().toStdString();
    e.policy.kind = static_cast<PolicyKind>(kind_->currentData().toInt());
    e.text = definition_->toPlainText();
    checkTimer_.start();
    emit changed();
}

void PolicyEditor::check() {
    if (current_ < 0 || current_ >= static_cast<int>(entries_.size())) {
        problem_->clear();
        return;
    }
    refreshItem(current_);
    const auto problem = problemOf(entries_[static_cast<std::size_t>(current_)]);
    problem_->setText(
        problem ? tr("<span style='color:#b3261e'>%1</span>").arg(problem->toHtmlEscaped())
                : tr("Runs as it is."));
}

std::optional<std::vector<AutoscalingPolicy>> PolicyEditor::policies() {
    checkTimer_.stop();
    std::vector<AutoscalingPolicy> out;
    std::set<std::pair<std::string, std::string>> seen;
    const auto stop = [&](int row, const QString& why) {
        lastProblem_ = why;
        list_->setCurrentRow(row);
        problem_->setText(tr("<span style='color:#b3261e'>%1</span>").arg(why.toHtmlEscaped()));
        return std::nullopt;
    };
    for (int i = 0; i < static_cast<int>(entries_.size()); ++i) {
        const auto& e = entries_[static_cast<std::size_t>(i)];
        if (e.policy.name.empty())
            return stop(i, tr("A policy of %1 has no name.").arg(qs(e.policy.component)));
        if (!seen.insert({e.policy.component, e.policy.name}).second)
            return stop(i, tr("%1 has two policies called \"%2\"; runs choose a policy by its "
                              "name.")
                               .arg(qs(e.policy.component), qs(e.policy.name)));
        auto stored = whatif::definitionFromText(e.text.toStdString());
        if (!stored)
            return stop(
                i, tr("Policy \"%1\": %2").arg(qs(e.policy.name), qs(stored.error().describe())));
        auto p = e.policy;
        p.definition = *stored;
        out.push_back(std::move(p));
    }
    lastProblem_.clear();
    return out;
}

} // namespace headroom::ui
