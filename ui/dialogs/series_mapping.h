#pragma once
// The mapping step of the import: one row per series read from the source, with what it holds
// (samples, time span, min and max), whether to import it, and what it measures (component,
// role, and the unit its samples are in). Beside it, the first rows as parsed.

#include "model/project.h"

#include <QTableWidget>
#include <memory>
#include <vector>

namespace headroom::ui {

class SeriesMappingTable : public QTableWidget {
    Q_OBJECT
  public:
    explicit SeriesMappingTable(QWidget* parent = nullptr);

    /// Fills the table. `component` and `role` preselect the binding of a single series (a file
    /// dropped on a component); with several, each is bound by the role its name suggests.
    /// `stats` are the series' figures (count, span, min, max), computed off the GUI thread.
    void setSeries(const Project& project,
                   std::vector<std::shared_ptr<const metrics::Series>> series,
                   const std::vector<metrics::SeriesStats>& stats, const QString& component,
                   const QString& role);
    /// The checked series with their bindings and units, ready for the project; or the first
    /// problem (a unit the role cannot take).
    [[nodiscard]] Result<std::vector<ProjectSeries>> chosen() const;
    [[nodiscard]] int checkedCount() const;

    /// Fills `table` with the first `rows` timestamps of the series, one column each.
    static void fillParsedRows(QTableWidget* table,
                               const std::vector<std::shared_ptr<const metrics::Series>>& series,
                               int rows = 20);

  signals:
    void selectionChanged();

  private:
    enum Column { Import, Name, Samples, From, To, Min, Max, Component, Role, Unit, Count };
    void fillUnits(int row);

    const Project* project_ = nullptr;
    std::vector<std::shared_ptr<const metrics::Series>> series_;
};

/// "name{k="v",...}": how a series is shown in lists.
QString seriesTitle(const metrics::SeriesInfo& info);

} // namespace headroom::ui
