#pragma once
// The properties dock: edits what is selected in the document. For components every property
// of their kind, with unit, range and help, straight from the descriptor table (several
// components of shared properties at once); for a link its kind and fan-out; for a zone its
// name; with nothing selected, the project's name and description. Every change is an undoable
// edit; problems validation finds are shown under the property they concern.

#include "model/project.h"

#include <QWidget>
#include <functional>

class QLabel;
class QGridLayout;
class QScrollArea;

namespace headroom::ui {

class ProjectDocument;

class PropertyPanel : public QWidget {
    Q_OBJECT
  public:
    explicit PropertyPanel(ProjectDocument* document, QWidget* parent = nullptr);

    /// The rows shown, as "label\tvalue" lines (what a user reads; used by tests).
    [[nodiscard]] QStringList rows() const;
    [[nodiscard]] QString title() const;
    /// The editor widget of a row (by property key, or "name", "zone", "kind", ...).
    [[nodiscard]] QWidget* editor(const QString& key) const;
    /// The inline problem text under a row, empty when there is none.
    [[nodiscard]] QString problem(const QString& key) const;

  private:
    struct Row {
        QString key;
        QString label;
        QWidget* editor = nullptr;
        QLabel* problem = nullptr;
        std::function<QString()> text; ///< current value as people read it
        std::function<void()> refresh; ///< show the model's value in the editor
        QString subjectKind;           ///< for matching validation findings
        QStringList subjects;
        QString property;
    };

    void rebuild();
    void refreshValues();
    void clearRows();
    void addSection(const QString& title);
    Row& addRow(const QString& key, const QString& label, QWidget* editor,
                const QString& tooltip = {});
    void buildProject();
    void buildComponents(const QStringList& ids);
    void buildLink(const Link& link);
    void buildZone(const Zone& zone);
    void setHeader(const QIcon& icon, const QString& title, const QString& subtitle);

    ProjectDocument* document_;
    QLabel* icon_;
    QLabel* title_;
    QLabel* subtitle_;
    QScrollArea* scroll_;
    QWidget* body_ = nullptr;
    QGridLayout* grid_ = nullptr;
    std::vector<Row> rows_;
    int nextRow_ = 0;
};

} // namespace headroom::ui
