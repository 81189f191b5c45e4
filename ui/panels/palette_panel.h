#pragma once
// The palette dock: every component kind with its icon and name. Drag one onto the canvas, or
// click it to place it in the middle of the view.

#include "model/component_kind.h"

#include <QListWidget>

namespace headroom::ui {

class PalettePanel : public QListWidget {
    Q_OBJECT
  public:
    explicit PalettePanel(QWidget* parent = nullptr);

  signals:
    /// The user clicked a kind (rather than dragging it).
    void placeRequested(ComponentKind kind);

  protected:
    QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override;
    QStringList mimeTypes() const override;
};

} // namespace headroom::ui
