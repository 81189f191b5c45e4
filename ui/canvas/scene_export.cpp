#include "canvas/scene_export.h"

#include "canvas/topology_scene.h"

#include <QFileInfo>
#include <QGraphicsItem>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

namespace headroom::ui {

std::optional<ExportFormat> exportFormatFromPath(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return ExportFormat::Png;
    if (suffix == QLatin1String("svg"))
        return ExportFormat::Svg;
    if (suffix == QLatin1String("pdf"))
        return ExportFormat::Pdf;
    return std::nullopt;
}

ExportResult exportScene(TopologyScene& scene, const QString& path, int width,
                         const QString& title) {
    ExportResult result;
    const auto format = exportFormatFromPath(path);
    if (!format) {
        result.error = QObject::tr("unknown picture type: use .png, .svg or .pdf");
        return result;
    }
    const QRectF source = scene.contentRect();
    if (source.isEmpty()) {
        result.error = QObject::tr("the canvas is empty");
        return result;
    }
    const qreal scale = width > 0 ? width / source.width() : 1.0;
    const QSize size(qRound(source.width() * scale), qRound(source.height() * scale));
    if (size.width() > 20000 || size.height() > 20000) {
        result.error = QObject::tr("the picture would be %1 x %2 pixels; ask for a smaller --width")
                           .arg(size.width())
                           .arg(size.height());
        return result;
    }
    result.width = size.width();
    result.height = size.height();

    // Selection marks are for the screen, not for the document.
    const auto selected = scene.selectedItems();
    const QSignalBlocker block(&scene);
    for (auto* item : selected)
        item->setSelected(false);
    // Cached pixmaps would turn text into pictures in SVG and PDF: draw every item afresh.
    QList<QPair<QGraphicsItem*, QGraphicsItem::CacheMode>> cached;
    for (auto* item : scene.items())
        if (item->cacheMode() != QGraphicsItem::NoCache) {
            cached.append({item, item->cacheMode()});
            item->setCacheMode(QGraphicsItem::NoCache);
        }
    auto restoreSelection = [&] {
        for (auto* item : selected)
            item->setSelected(true);
        for (const auto& [item, mode] : cached)
            item->setCacheMode(mode);
    };

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        result.error = file.errorString();
        restoreSelection();
        return result;
    }
    const QRectF target(QPointF(0, 0), QSizeF(size));
    auto draw = [&](QPainter& painter) {
        painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing |
                               QPainter::SmoothPixmapTransform);
        painter.fillRect(target, Qt::white);
        scene.render(&painter, target, source, Qt::KeepAspectRatio);
    };
    bool drawn = true;
    switch (*format) {
    case ExportFormat::Png: {
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        QPainter painter(&image);
        draw(painter);
        painter.end();
        drawn = image.save(&file, "PNG");
        break;
    }
    case ExportFormat::Svg: {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(size);
        svg.setViewBox(target);
        svg.setTitle(title);
        svg.setDescription(QObject::tr("Drawn by Headroom"));
        QPainter painter;
        drawn = painter.begin(&svg);
        if (drawn)
            draw(painter);
        break;
    }
    case ExportFormat::Pdf: {
        QPdfWriter pdf(&file);
        pdf.setTitle(title);
        pdf.setCreator(QStringLiteral("Headroom"));
        pdf.setResolution(72); // one PDF point per scene unit at 100%
        pdf.setPageSize(QPageSize(QSizeF(size), QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        QPainter painter;
        drawn = painter.begin(&pdf);
        if (drawn)
            draw(painter);
        break;
    }
    }
    restoreSelection();
    if (!drawn) {
        file.cancelWriting();
        result.error = QObject::tr("could not draw the picture");
        return result;
    }
    if (!file.commit()) {
        result.error = file.errorString();
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace headroom::ui
