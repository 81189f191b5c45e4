#pragma once
// The canvas contents: one item per zone, component and link of the document, rebuilt or
// refreshed from the document's signals. The scene never owns model data.

#include <QGraphicsScene>
#include <QHash>
#include <QPointer>

namespace headroom::ui {

class ProjectDocument;
class ComponentItem;
class LinkItem;
class ZoneItem;

class TopologyScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit TopologyScene(ProjectDocument* document, QObject* parent = nullptr);
    ~TopologyScene() override;

    [[nodiscard]] ComponentItem* componentItem(const QString& id) const {
        return components_.value(id);
    }
    [[nodiscard]] LinkItem* linkItem(const QString& id) const { return links_.value(id); }
    [[nodiscard]] ZoneItem* zoneItem(const QString& id) const { return zones_.value(id); }
    [[nodiscard]] int componentCount() const { return static_cast<int>(components_.size()); }
    [[nodiscard]] int linkCount() const { return static_cast<int>(links_.size()); }
    [[nodiscard]] int zoneCount() const { return static_cast<int>(zones_.size()); }

    /// The rectangle holding every item, with a margin: what "zoom to fit" shows.
    [[nodiscard]] QRectF contentRect() const;

private:
    void rebuild();
    void refreshComponent(const QString& id);
    void spreadParallelLinks();
    void pushSelectionToDocument();
    void pullSelectionFromDocument();

    QPointer<ProjectDocument> document_;
    QHash<QString, ComponentItem*> components_;
    QHash<QString, LinkItem*> links_;
    QHash<QString, ZoneItem*> zones_;
    bool syncingSelection_ = false;
};

} // namespace headroom::ui
