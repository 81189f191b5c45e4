#pragma once
// The canvas contents: one item per zone, component and link of the document, created, updated
// and removed from the document's signals. The scene never owns model data: dragging moves the
// items for feedback and, on release, turns the move into one undoable edit of the document.

#include "document/project_document.h"

#include <QGraphicsScene>
#include <QHash>
#include <QPointer>
#include <optional>

namespace headroom {
namespace analysis {
struct Analysis;
}
struct Component;
struct Link;
struct Zone;
} // namespace headroom

namespace headroom::ui {

class ComponentItem;
class LinkItem;
class ZoneItem;

class TopologyScene : public QGraphicsScene {
    Q_OBJECT
  public:
    static constexpr qreal kGrid = 20;

    explicit TopologyScene(ProjectDocument* document, QObject* parent = nullptr);
    ~TopologyScene() override;

    [[nodiscard]] ProjectDocument* document() const { return document_; }
    [[nodiscard]] ComponentItem* componentItem(const QString& id) const {
        return components_.value(id);
    }
    [[nodiscard]] LinkItem* linkItem(const QString& id) const { return links_.value(id); }
    [[nodiscard]] ZoneItem* zoneItem(const QString& id) const { return zones_.value(id); }
    [[nodiscard]] int componentCount() const { return static_cast<int>(components_.size()); }
    [[nodiscard]] int linkCount() const { return static_cast<int>(links_.size()); }
    [[nodiscard]] int zoneCount() const { return static_cast<int>(zones_.size()); }
    /// The component card at a scene point, if any.
    [[nodiscard]] ComponentItem* componentAt(QPointF scenePos) const;

    /// The rectangle holding every item, with a margin: what "zoom to fit" shows.
    [[nodiscard]] QRectF contentRect() const;

    /// Moves the selected cards by `delta` as a drag would (feedback only), then commits.
    /// Exposed for tests and benchmarks that drive a drag without a mouse.
    void beginDrag(const QString& anchorId);
    void dragTo(QPointF delta, bool snap = true);
    void endDrag();

    /// Snapping position for a card centre.
    static QPointF snapped(QPointF p);

    /// Colours each card by its utilisation, marks the bottleneck and labels the links with
    /// their request rates; null takes it all off.
    void showAnalysis(const analysis::Analysis* analysis);

    /// The next drag on the canvas draws a zone frame of this kind (zoneDrawn on release).
    void beginZoneDrawing(ZoneKind kind);
    void cancelZoneDrawing();
    [[nodiscard]] bool isDrawingZone() const { return zoneToDraw_.has_value(); }

  signals:
    /// Connecting two components by dragging from one's port to the other.
    void connectRequested(const QString& from, const QString& to, QPoint screenPos);
    /// A user-visible note (e.g. why a drop was refused), for the status bar.
    void message(const QString& text);
    /// The user drew a zone frame (scene coordinates).
    void zoneDrawn(ZoneKind kind, QRectF frame);

  protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;

  private:
    void rebuild();
    void addComponentItem(const Component& component);
    void addLinkItem(const Link& link);
    void addZoneItem(const Zone& zone);
    void removeLinkItem(const QString& id);
    void onComponentAdded(const QString& id);
    void onComponentRemoved(const QString& id);
    void onComponentChanged(const QString& id);
    void onLinkAdded(const QString& id);
    void onLinkRemoved(const QString& id);
    void onLinkChanged(const QString& id);
    void onZoneAdded(const QString& id);
    void onZoneRemoved(const QString& id);
    void onZoneChanged(const QString& id);
    void spreadParallelLinks();
    void updateSceneRect();
    void pushSelectionToDocument();
    void pullSelectionFromDocument();
    void commitZoneResize(ZoneItem* zone);

    QPointer<ProjectDocument> document_;
    QHash<QString, ComponentItem*> components_;
    QHash<QString, LinkItem*> links_;
    QHash<QString, ZoneItem*> zones_;
    bool syncingSelection_ = false;

    // Drag state.
    enum class Gesture { None, Move, Connect, ResizeZone, DrawZone };
    Gesture gesture_ = Gesture::None;
    QPointF pressScenePos_;
    QString anchorId_;
    QString clickedSelected_;
    QHash<QString, QPointF> dragStart_;
    QGraphicsLineItem* connectLine_ = nullptr;
    QString connectFrom_;
    ZoneItem* resizing_ = nullptr;
    std::optional<ZoneKind> zoneToDraw_;
    QGraphicsRectItem* zoneSketch_ = nullptr;
};

} // namespace headroom::ui
