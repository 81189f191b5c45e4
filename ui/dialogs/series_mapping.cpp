#include "dialogs/series_mapping.h"

#include "document/project_document.h"
#include "metrics/roles.h"
#include "metrics/units.h"

#include <QComboBox>
#include <QDateTime>
#include <QHeaderView>
#include <map>

namespace headroom::ui {
namespace {

QString number(double value) {
    return QString::number(value, 'g', 6);
}

QString when(std::int64_t ms) {
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace

QString seriesTitle(const metrics::SeriesInfo& info) {
    QString labels;
    for (const auto& [k, v] : info.labels)
        labels += (labels.isEmpty() ? "" : ",") + qs(k) + "=\"" + qs(v) + "\"";
    return qs(info.name) + (labels.isEmpty() ? QString() : "{" + labels + "}");
}

SeriesMappingTable::SeriesMappingTable(QWidget* parent) : QTableWidget(parent) {
    setColumnCount(Count);
    setHorizontalHeaderLabels({tr("Import"), tr("Series"), tr("Samples"), tr("From (UTC)"),
                               tr("To (UTC)"), tr("Min"), tr("Max"), tr("Component"),
                               tr("Measures"), tr("Unit")});
    verticalHeader()->hide();
    setSelectionMode(QAbstractItemView::NoSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(Name, QHeaderView::Stretch);
    // The choices get fixed widths, so the series' name keeps the rest.
    for (auto [column, width] : {std::pair{Component, 170}, {Role, 150}, {Unit, 80}}) {
        horizontalHeader()->setSectionResizeMode(column, QHeaderView::Fixed);
        setColumnWidth(column, width);
    }
    connect(this, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
        if (item->column() == Import)
            emit selectionChanged();
    });
}

void SeriesMappingTable::setSeries(const Project& project,
                                   std::vector<std::shared_ptr<const metrics::Series>> series,
                                   const std::vector<metrics::SeriesStats>& stats,
                                   const QString& component, const QString& role) {
    project_ = &project;
    series_ = std::move(series);
    const QSignalBlocker block(this);
    setRowCount(static_cast<int>(series_.size()));
    for (int row = 0; row < rowCount(); ++row) {
        const auto& s = *series_[static_cast<std::size_t>(row)];
        auto* check = new QTableWidgetItem;
        check->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        check->setCheckState(Qt::Checked);
        setItem(row, Import, check);
        auto* name = new QTableWidgetItem(seriesTitle(s.info()));
        name->setToolTip(name->text() + "\n" + qs(s.info().source.location));
        setItem(row, Name, name);
        setItem(row, Samples, new QTableWidgetItem(QString::number(s.size())));
        if (const auto* figures = static_cast<std::size_t>(row) < stats.size()
                                      ? &stats[static_cast<std::size_t>(row)]
                                      : nullptr;
            figures && figures->count) {
            setItem(row, From, new QTableWidgetItem(when(figures->firstMs)));
            setItem(row, To, new QTableWidgetItem(when(figures->lastMs)));
            setItem(row, Min, new QTableWidgetItem(number(figures->min)));
            setItem(row, Max, new QTableWidgetItem(number(figures->max)));
        }
        for (int c : {Samples, Min, Max})
            if (auto* it = item(row, c))
                it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);

        auto* components = new QComboBox;
        components->addItem(tr("(not bound)"), QString());
        for (const auto& c : project.components)
            components->addItem(qs(c.name.empty() ? c.id : c.name), qs(c.id));
        auto* roles = new QComboBox;
        for (const auto& r : metrics::allRoles())
            roles->addItem(qs(r.label), qs(r.key));
        QString bindTo, bindAs;
        if (series_.size() == 1) {
            bindTo = component;
            bindAs = role;
        }
        // The series' own name says more than the component's kind.
        if (const auto guessed = metrics::guessRole(s.info().name)) {
            if (series_.size() > 1 && !component.isEmpty())
                bindTo = component;
            bindAs = qs(*guessed);
        }
        components->setCurrentIndex(std::max(0, components->findData(bindTo)));
        roles->setCurrentIndex(std::max(0, roles->findData(bindAs)));
        setCellWidget(row, Component, components);
        setCellWidget(row, Role, roles);
        setCellWidget(row, Unit, new QComboBox);
        fillUnits(row);
        connect(roles, &QComboBox::currentIndexChanged, this, [this, roles] {
            for (int r = 0; r < rowCount(); ++r)
                if (cellWidget(r, Role) == roles)
                    fillUnits(r);
        });
        connect(components, &QComboBox::currentIndexChanged, this, [this, components] {
            for (int r = 0; r < rowCount(); ++r)
                if (cellWidget(r, Component) == components) {
                    const bool bound = !components->currentData().toString().isEmpty();
                    cellWidget(r, Role)->setEnabled(bound);
                    cellWidget(r, Unit)->setEnabled(bound);
                }
        });
        const bool bound = !components->currentData().toString().isEmpty();
        roles->setEnabled(bound);
        cellWidget(row, Unit)->setEnabled(bound);
    }
    resizeRowsToContents();
}

void SeriesMappingTable::fillUnits(int row) {
    auto* roles = qobject_cast<QComboBox*>(cellWidget(row, Role));
    auto* units = qobject_cast<QComboBox*>(cellWidget(row, Unit));
    if (!roles || !units)
        return;
    const auto role = ss(roles->currentData().toString());
    const auto& info = series_[static_cast<std::size_t>(row)]->info();
    units->clear();
    for (const auto& option : metrics::unitsFor(role))
        units->addItem(qs(option.key), qs(option.key));
    for (int i = 0; i < units->count(); ++i)
        units->setItemData(i, qs(metrics::unitsFor(role)[static_cast<std::size_t>(i)].label),
                           Qt::ToolTipRole);
    const auto unit = info.unit.empty() ? metrics::guessUnit(info.name, role) : info.unit;
    units->setCurrentIndex(std::max(0, units->findData(qs(unit))));
}

int SeriesMappingTable::checkedCount() const {
    int count = 0;
    for (int row = 0; row < rowCount(); ++row)
        count += item(row, Import)->checkState() == Qt::Checked;
    return count;
}

Result<std::vector<ProjectSeries>> SeriesMappingTable::chosen() const {
    std::vector<ProjectSeries> out;
    for (int row = 0; row < rowCount(); ++row) {
        if (item(row, Import)->checkState() != Qt::Checked)
            continue;
        const auto& series = series_[static_cast<std::size_t>(row)];
        const auto component =
            ss(qobject_cast<QComboBox*>(cellWidget(row, Component))->currentData().toString());
        if (component.empty()) {
            out.push_back({series, {}, {}});
            continue;
        }
        const auto role =
            ss(qobject_cast<QComboBox*>(cellWidget(row, Role))->currentData().toString());
        auto info = series->info();
        info.unit = ss(qobject_cast<QComboBox*>(cellWidget(row, Unit))->currentData().toString());
        ProjectSeries entry{metrics::Series::withInfo(*series, info), component, role};
        if (project_)
            if (auto factor = roleUnitFactor(*project_, entry); !factor)
                return Error{factor.error().message, "", ss(item(row, Name)->text())};
        out.push_back(std::move(entry));
    }
    return out;
}

void SeriesMappingTable::fillParsedRows(
    QTableWidget* table, const std::vector<std::shared_ptr<const metrics::Series>>& series,
    int rows) {
    // The first `rows` timestamps over all series, each series' value in its column.
    std::map<std::int64_t, std::vector<QString>> byTime;
    for (std::size_t c = 0; c < series.size(); ++c) {
        const auto& chunks = series[c]->chunks();
        if (chunks.empty())
            continue;
        const auto samples = series[c]->samples(chunks.front().firstMs, chunks.front().lastMs + 1);
        if (!samples)
            continue;
        int taken = 0;
        for (const auto& s : *samples) {
            auto& cells = byTime[s.timestampMs];
            cells.resize(series.size());
            cells[c] = number(s.value);
            if (++taken == rows)
                break;
        }
    }
    table->clear();
    table->setColumnCount(static_cast<int>(series.size()) + 1);
    QStringList headers{QObject::tr("Time (UTC)")};
    for (const auto& s : series)
        headers << seriesTitle(s->info());
    table->setHorizontalHeaderLabels(headers);
    table->setRowCount(std::min<int>(rows, static_cast<int>(byTime.size())));
    int row = 0;
    for (const auto& [ms, cells] : byTime) {
        if (row == table->rowCount())
            break;
        table->setItem(
            row, 0,
            new QTableWidgetItem(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
                                     .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))));
        for (std::size_t c = 0; c < cells.size(); ++c) {
            auto* cell =
                new QTableWidgetItem(cells[c].isEmpty() ? QStringLiteral("\u2014") : cells[c]);
            cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table->setItem(row, static_cast<int>(c) + 1, cell);
        }
        ++row;
    }
    table->resizeColumnsToContents();
}

} // namespace headroom::ui
