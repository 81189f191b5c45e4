#pragma once
// Every editing command of the topology editor, as QActions with standard shortcuts and as
// plain functions (for tests and the canvas' context menus). Each one builds a ProjectDelta
// and pushes it onto the document's undo stack; none touches the model directly.

#include "layout/align.h"
#include "model/component_kind.h"
#include "model/geometry.h"
#include "model/link.h"
#include "model/project.h"
#include "model/zone.h"

#include <QObject>
#include <QPoint>
#include <optional>

class QAction;
class QMenu;
class QWidget;

namespace headroom::ui {

class ProjectDocument;
class TopologyView;

class EditActions : public QObject {
    Q_OBJECT
  public:
    EditActions(ProjectDocument* document, TopologyView* view, QWidget* parent);

    // Menus the main window (and context menus) show.
    void fillEditMenu(QMenu* menu) const;
    void fillArrangeMenu(QMenu* menu) const;
    void fillInsertMenu(QMenu* menu) const;

    QAction* undoAction() const { return undo_; }
    QAction* redoAction() const { return redo_; }
    QAction* deleteAction() const { return delete_; }
    QAction* autoLayoutAction() const { return autoLayout_; }

    /// Adds a component of the kind centred at `at` (snapped to the grid) and selects it.
    QString addComponent(ComponentKind kind, Point at);
    /// Links two components with the given kind; returns the new link's id, or an empty string
    /// (and emits message with the reason) when the rules refuse it.
    QString connectComponents(const QString& from, const QString& to, LinkKind kind);
    /// Asks which kind of link (a menu at screenPos) when several are allowed, then connects.
    void connectInteractively(const QString& from, const QString& to, QPoint screenPos);
    /// Adds a zone with the given frame; components whose centre lies inside join it.
    QString addZone(ZoneKind kind, Rect frame);

    void deleteSelection();
    void duplicateSelection();
    void copySelection() const;
    void cutSelection();
    /// Pastes the clipboard; `at` is where the pasted group's centre goes, else it lands
    /// beside the original.
    void paste(std::optional<Point> at = std::nullopt);
    void selectAll();
    void alignSelection(layout::Alignment alignment);
    void distributeSelection(layout::Axis axis);
    void autoLayout();
    /// Moves the selection by (dx, dy); consecutive moves of the same selection merge.
    void nudgeSelection(double dx, double dy);

  signals:
    void message(const QString& text);

  private:
    void updateEnabled();
    /// Adds components and links made ready by prepareForPaste as one edit, and selects them.
    void addFragment(const Project& ready, const QString& text);
    QAction* make(const QString& text, const QKeySequence& shortcut, void (EditActions::*slot)());

    ProjectDocument* document_;
    TopologyView* view_;
    QWidget* parentWidget_;
    QAction* undo_;
    QAction* redo_;
    QAction* cut_;
    QAction* copy_;
    QAction* paste_;
    QAction* duplicate_;
    QAction* delete_;
    QAction* selectAll_;
    QAction* autoLayout_;
    QList<QAction*> alignActions_;
    QList<QAction*> distributeActions_;
    QAction* addRegion_;
    QAction* addAvailabilityZone_;
};

} // namespace headroom::ui
