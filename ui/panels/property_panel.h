#pragma once
// The properties dock: shows what is selected in the document. For a component every property
// of its kind, with unit, range and help, straight from the descriptor table; for a link its
// fields; with nothing selected, the project itself. Read-only until the editor arrives.

#include <QWidget>

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace headroom {
struct Component;
struct Link;
} // namespace headroom

namespace headroom::ui {

class ProjectDocument;

class PropertyPanel : public QWidget {
    Q_OBJECT
public:
    explicit PropertyPanel(ProjectDocument* document, QWidget* parent = nullptr);

    /// The rows shown, as "label\tvalue" lines (what a user reads; used by tests).
    [[nodiscard]] QStringList rows() const;
    [[nodiscard]] QString title() const;

private:
    void refresh();
    void showProject();
    void showComponent(const Component& component);
    void showLink(const Link& link);
    void showMany(int components, int links);
    QTreeWidgetItem* addGroup(const QString& title);
    QTreeWidgetItem* addRow(QTreeWidgetItem* group, const QString& label, const QString& value,
                            const QString& tooltip = {});

    ProjectDocument* document_;
    QLabel* icon_;
    QLabel* title_;
    QLabel* subtitle_;
    QLabel* description_;
    QTreeWidget* tree_;
};

} // namespace headroom::ui
