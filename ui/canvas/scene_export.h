#pragma once
// Draws the canvas into a PNG, SVG or PDF file exactly as the GUI draws it (same scene code),
// for docs, wikis and review decks. Text stays text in SVG and PDF. Used by File > Export and
// by `headroom-cli render`.

#include <QString>
#include <optional>

namespace headroom::ui {

class TopologyScene;

enum class ExportFormat { Png, Svg, Pdf };

/// The format a file name asks for (by extension), or nothing.
std::optional<ExportFormat> exportFormatFromPath(const QString& path);

struct ExportResult {
    bool ok = false;
    QString error;
    int width = 0; ///< size of the picture written (pixels for PNG, points for PDF and SVG)
    int height = 0;
};

/// Writes the whole content of the scene (no selection marks, white background). `width` is
/// the picture's width in pixels (PNG) or user units (SVG, PDF); 0 means 100% scale. The file
/// is replaced atomically.
ExportResult exportScene(TopologyScene& scene, const QString& path, int width = 0,
                         const QString& title = {});

} // namespace headroom::ui
