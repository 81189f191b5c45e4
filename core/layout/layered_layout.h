#pragma once
// Automatic layout of a topology: layers from left to right starting at the entry points,
// crossing reduction inside each layer, and every zone kept together in a band of its own with
// its frame fitted around its components. Used by the GUI's "Auto-layout" command and by
// `headroom-cli layout`, so both produce the same positions.

#include "model/project.h"

#include <map>
#include <string>

namespace headroom::layout {

/// Size of a component card on the canvas; the GUI draws cards of exactly this size.
inline constexpr double kCardWidth = 200;
inline constexpr double kCardHeight = 76;

struct LayoutOptions {
    double layerSpacing = 270; ///< distance between the centres of two layers (x)
    double rowSpacing = 112;   ///< distance between the centres of two rows in a layer (y)
    double zonePadding = 22;   ///< space between a zone frame and the cards inside it
    double zoneTitle = 30;     ///< extra space at a zone frame's top for its title
    double bandGap = 48;       ///< vertical gap between two zone bands
    Point origin{140, 80};     ///< centre of the first card
    int sweeps = 12;           ///< crossing-reduction passes (down and up count as two)
};

struct LayoutResult {
    std::map<std::string, Point> positions; ///< component id -> centre
    std::map<std::string, Rect> zoneFrames; ///< zone id -> frame (zones with members only)
    std::map<std::string, int> layers;      ///< component id -> layer index (0 = entry)
    /// link id -> the points a link that skips layers runs through (its lane); links between
    /// adjacent layers are straight and have none.
    std::map<std::string, std::vector<Point>> bends;
    int crossings = 0; ///< link crossings between adjacent layers
};

LayoutResult layeredLayout(const Project& project, const LayoutOptions& options = {});

/// The project with the layout's positions, zone frames and link bends applied (links without
/// bends in the layout become straight).
Project applyLayout(Project project, const LayoutResult& layout);

} // namespace headroom::layout
