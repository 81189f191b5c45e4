#include "panels/palette_panel.h"

#include "canvas/topology_view.h"
#include "document/project_document.h"
#include "style/kind_style.h"

#include <QMimeData>

namespace headroom::ui {

PalettePanel::PalettePanel(QWidget* parent) : QListWidget(parent) {
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setIconSize(QSize(28, 28));
    setSpacing(1);
    setUniformItemSizes(true);
    for (const auto& kind : allKinds()) {
        auto* item = new QListWidgetItem(kindIcon(kind.kind), qs(kind.label), this);
        item->setData(Qt::UserRole, static_cast<int>(kind.kind));
        item->setToolTip(QStringLiteral("<b>%1</b><br>%2<br><i>%3</i>")
                             .arg(qs(kind.label).toHtmlEscaped(),
                                  qs(kind.description).toHtmlEscaped(),
                                  tr("Drag onto the canvas, or click to place")));
        item->setSizeHint(QSize(0, 34));
    }
    connect(this, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        emit placeRequested(static_cast<ComponentKind>(item->data(Qt::UserRole).toInt()));
        clearSelection();
    });
}

QStringList PalettePanel::mimeTypes() const {
    return {TopologyView::kKindMime};
}

QMimeData* PalettePanel::mimeData(const QList<QListWidgetItem*>& items) const {
    if (items.isEmpty())
        return nullptr;
    auto* data = new QMimeData;
    const auto kind = static_cast<ComponentKind>(items.front()->data(Qt::UserRole).toInt());
    data->setData(TopologyView::kKindMime, QByteArray::fromStdString(describe(kind).key));
    return data;
}

} // namespace headroom::ui
