#pragma once
// The analysis panel's table: one row per component with its rate, utilisation, latency,
// headroom and saturation load, as `headroom-cli analyze` prints them. Sorting uses the raw
// numbers (SortRole), not the text.

#include "analysis/analysis_runner.h"

#include <QAbstractTableModel>
#include <memory>

namespace headroom::ui {

class AnalysisTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column {
        Name,
        Kind,
        Rate,
        Utilisation,
        Binding,
        Mean,
        Percentile,
        ToTarget,
        ToSaturation,
        SaturatesAt,
        ReplicasNeeded,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int IdRole = Qt::UserRole + 2;

    explicit AnalysisTableModel(QObject* parent = nullptr);

    /// Shows a result; kinds come from the project it was computed for.
    void setSnapshot(std::shared_ptr<const AnalysisSnapshot> snapshot,
                     std::vector<ComponentKind> kinds);
    [[nodiscard]] int rowOf(const QString& id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  private:
    std::shared_ptr<const AnalysisSnapshot> snapshot_;
    std::vector<ComponentKind> kinds_;
};

} // namespace headroom::ui
