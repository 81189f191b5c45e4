#pragma once
// How each component kind and link kind looks: icon, accent colour, line style.

#include "model/component_kind.h"
#include "model/link.h"

#include <QColor>
#include <QIcon>
#include <QPen>

class QSvgRenderer;

namespace headroom::ui {

/// The kind's SVG icon (from resources/icons), for menus, lists and the palette.
QIcon kindIcon(ComponentKind kind);
/// A shared renderer of the kind's icon, for drawing crisp at any zoom on the canvas.
QSvgRenderer* kindRenderer(ComponentKind kind);
/// The kind's accent colour: card border and header strip.
QColor kindColor(ComponentKind kind);

/// The pen a link of this kind is drawn with (solid calls, dashed async, coloured data access).
QPen linkPen(LinkKind kind);

/// The application icon.
QIcon appIcon();

} // namespace headroom::ui
