#pragma once
// The problems dock: every validation finding of the open project, refreshed on each change.
// Activating a finding selects the component or link it names.

#include <QWidget>

class QTreeWidget;
class QTreeWidgetItem;

namespace headroom::ui {

class ProjectDocument;

class ProblemsPanel : public QWidget {
    Q_OBJECT
  public:
    explicit ProblemsPanel(ProjectDocument* document, QWidget* parent = nullptr);
    [[nodiscard]] int errorCount() const { return errors_; }
    [[nodiscard]] int warningCount() const { return warnings_; }

  signals:
    void countsChanged(int errors, int warnings);

  private:
    void refresh();
    void activate(QTreeWidgetItem* item);

    ProjectDocument* document_;
    QTreeWidget* tree_;
    int errors_ = 0;
    int warnings_ = 0;
};

} // namespace headroom::ui
