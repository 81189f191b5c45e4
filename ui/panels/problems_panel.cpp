#include "panels/problems_panel.h"

#include "document/project_document.h"
#include "model/validation.h"

#include <QApplication>
#include <QHeaderView>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace headroom::ui {
namespace {
enum Role { SubjectKindRole = Qt::UserRole, SubjectRole };
}

ProblemsPanel::ProblemsPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), tree_(new QTreeWidget) {
    tree_->setColumnCount(3);
    tree_->setHeaderLabels({tr("Problem"), tr("Where"), tr("Property")});
    tree_->setRootIsDecorated(false);
    tree_->setUniformRowHeights(true);
    tree_->setAlternatingRowColors(true);
    tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    tree_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    tree_->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    tree_->header()->setStretchLastSection(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(tree_);
    connect(tree_, &QTreeWidget::itemActivated, this, &ProblemsPanel::activate);
    connect(document_, &ProjectDocument::projectReset, this, &ProblemsPanel::refresh);
    connect(document_, &ProjectDocument::edited, this, &ProblemsPanel::refresh);
    refresh();
}

void ProblemsPanel::refresh() {
    tree_->clear();
    const auto diagnostics = validate(document_->project());
    const auto counts = count(diagnostics);
    errors_ = counts.errors;
    warnings_ = counts.warnings;
    auto* style = QApplication::style();
    const QIcon errorIcon = style->standardIcon(QStyle::SP_MessageBoxCritical);
    const QIcon warningIcon = style->standardIcon(QStyle::SP_MessageBoxWarning);
    for (const auto& d : diagnostics) {
        const QString where = d.subject.empty()
                                  ? qs(d.subjectKind)
                                  : qs(d.subjectKind) + QStringLiteral(" ") + qs(d.subject);
        auto* item = new QTreeWidgetItem(tree_, {qs(d.message), where, qs(d.property)});
        item->setIcon(0, d.severity == Severity::Error ? errorIcon : warningIcon);
        item->setToolTip(0, qs(d.describe()));
        item->setData(0, SubjectKindRole, qs(d.subjectKind));
        item->setData(0, SubjectRole, qs(d.subject));
    }
    if (diagnostics.empty()) {
        auto* item = new QTreeWidgetItem(tree_, {tr("No problems found")});
        item->setIcon(0, style->standardIcon(QStyle::SP_DialogApplyButton));
        item->setFlags(Qt::ItemIsEnabled);
    }
    emit countsChanged(errors_, warnings_);
}

void ProblemsPanel::activate(QTreeWidgetItem* item) {
    const QString kind = item->data(0, SubjectKindRole).toString();
    const QString id = item->data(0, SubjectRole).toString();
    if (kind == QLatin1String("component"))
        document_->setSelection({id}, {});
    else if (kind == QLatin1String("link"))
        document_->setSelection({}, {id});
}

} // namespace headroom::ui
