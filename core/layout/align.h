#pragma once
// Align and distribute selected cards. All cards have the same size, so aligning edges is
// aligning centres.

#include "model/geometry.h"

#include <vector>

namespace headroom::layout {

enum class Alignment { Left, HorizontalCentre, Right, Top, VerticalCentre, Bottom };
enum class Axis { Horizontal, Vertical };

/// Lines the centres up on one edge or centre line of the selection's bounding box.
std::vector<Point> align(std::vector<Point> centres, Alignment alignment);

/// Spaces the centres evenly along the axis between the two outermost, which stay in place;
/// the order along the axis is kept.
std::vector<Point> distribute(std::vector<Point> centres, Axis axis);

} // namespace headroom::layout
