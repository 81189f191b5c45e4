#include "analysis/analysis_table_model.h"

#include "document/project_document.h"
#include "style/heat_scale.h"

#include <QFont>
#include <cmath>

namespace headroom::ui {
namespace {

QString milliseconds(const std::optional<double>& seconds) {
    if (!seconds)
        return AnalysisTableModel::tr("saturated");
    if (*seconds >= 10) // a transcoder's 92 s, not 92341.2 ms
        return QString::number(*seconds, 'f', *seconds < 100 ? 1 : 0) + QStringLiteral(" s");
    const double ms = *seconds * 1000;
    return QString::number(ms, 'f', ms < 10 ? 2 : 1) + QStringLiteral(" ms");
}

QString headroomText(const std::optional<double>& h) {
    if (!h)
        return QStringLiteral("\u2013");
    if (*h > 9.99)
        return QStringLiteral(">+999%");
    return (*h >= 0 ? QStringLiteral("+") : QString()) + QString::number(qRound(*h * 100)) + "%";
}

/// For sorting: a missing value sorts after every number.
QVariant orLast(const std::optional<double>& v) {
    return v ? QVariant(*v) : QVariant(1e300);
}

} // namespace

AnalysisTableModel::AnalysisTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void AnalysisTableModel::setSnapshot(std::shared_ptr<const AnalysisSnapshot> snapshot,
                                     std::vector<ComponentKind> kinds) {
    const bool sameRows =
        snapshot_ && snapshot &&
        snapshot_->result.components.size() == snapshot->result.components.size() &&
        kinds_ == kinds;
    if (!sameRows)
        beginResetModel();
    snapshot_ = std::move(snapshot);
    kinds_ = std::move(kinds);
    if (!sameRows)
        endResetModel();
    else if (rowCount() > 0) // the slider moves: same rows, new figures; keep the selection
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int AnalysisTableModel::rowOf(const QString& id) const {
    if (!snapshot_)
        return -1;
    for (std::size_t i = 0; i < snapshot_->result.components.size(); ++i)
        if (qs(snapshot_->result.components[i].id) == id)
            return static_cast<int>(i);
    return -1;
}

int AnalysisTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !snapshot_ ? 0
                                          : static_cast<int>(snapshot_->result.components.size());
}

int AnalysisTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AnalysisTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    const double target = snapshot_ ? snapshot_->result.options.utilisationTarget : 0.8;
    const QString p = snapshot_
                          ? QStringLiteral("p%1").arg(snapshot_->result.options.percentile * 100)
                          : QStringLiteral("p95");
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Name:
            return tr("Component");
        case Kind:
            return tr("Kind");
        case Rate:
            return tr("Rate/s");
        case Utilisation:
            return tr("Util.");
        case Binding:
            return tr("Busiest resource");
        case Mean:
            return tr("Mean");
        case Percentile:
            return p;
        case ToTarget:
            return tr("To %1%").arg(qRound(target * 100));
        case ToSaturation:
            return tr("To saturation");
        case SaturatesAt:
            return tr("Saturates at");
        case ReplicasNeeded:
            return tr("Replicas needed");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Rate:
            return tr("Requests (or operations, messages) per second at the load shown");
        case Utilisation:
            return tr("Utilisation of the busiest resource");
        case Mean:
            return tr("Mean response time, synchronous calls included");
        case Percentile:
            return tr("Percentile of the response time");
        case ToTarget:
            return tr("More load the component takes before its utilisation reaches %1%")
                .arg(qRound(target * 100));
        case ToSaturation:
            return tr("More load the component takes before it saturates");
        case SaturatesAt:
            return tr("Load multiplier (of the clients' rates as drawn) at which it saturates");
        case ReplicasNeeded:
            return tr("Fewest replicas keeping utilisation under %1% at the load shown")
                .arg(qRound(target * 100));
        default:
            return {};
        }
    }
    return {};
}

QVariant AnalysisTableModel::data(const QModelIndex& index, int role) const {
    if (!snapshot_ || !index.isValid())
        return {};
    const auto& a = snapshot_->result.components[static_cast<std::size_t>(index.row())];
    const double k = snapshot_->result.options.loadMultiplier;
    const auto* binding = a.station.binding();
    const bool hasLimit = binding != nullptr;
    if (role == IdRole)
        return qs(a.id);
    if (role == Qt::DisplayRole || role == SortRole) {
        const bool sort = role == SortRole;
        switch (index.column()) {
        case Name:
            return qs(a.id);
        case Kind:
            return index.row() < static_cast<int>(kinds_.size())
                       ? qs(describe(kinds_[static_cast<std::size_t>(index.row())]).label)
                       : QString();
        case Rate:
            return sort ? QVariant(a.traffic.total())
                        : QVariant(QString::number(a.traffic.total(), 'f', 1));
        case Utilisation:
            if (!hasLimit)
                return sort ? QVariant(-1.0) : QVariant(QStringLiteral("\u2013"));
            if (sort)
                return binding->utilisation;
            return std::isfinite(binding->utilisation)
                       ? QString::number(qRound(binding->utilisation * 100)) + "%"
                       : tr("saturated");
        case Binding:
            return hasLimit ? qs(binding->name) : QStringLiteral("\u2013");
        case Mean:
            if (sort)
                return orLast(a.station.meanResponse);
            return !hasLimit && !a.station.meanResponse ? QStringLiteral("\u2013")
                                                        : milliseconds(a.station.meanResponse);
        case Percentile:
            if (sort)
                return orLast(a.station.percentileResponse);
            return a.station.percentileResponse ? milliseconds(a.station.percentileResponse)
                   : a.station.meanResponse     ? QStringLiteral("\u2013")
                                                : tr("saturated");
        case ToTarget:
            return sort ? orLast(a.headroomToTarget(k))
                        : QVariant(headroomText(a.headroomToTarget(k)));
        case ToSaturation:
            return sort ? orLast(a.headroomToSaturation(k))
                        : QVariant(headroomText(a.headroomToSaturation(k)));
        case SaturatesAt:
            if (sort)
                return orLast(a.saturationMultiplier);
            return a.saturationMultiplier
                       ? QStringLiteral("\u00d7") + QString::number(*a.saturationMultiplier, 'f', 2)
                       : QStringLiteral("\u2013");
        case ReplicasNeeded:
            if (sort)
                return a.replicasNeeded ? QVariant(*a.replicasNeeded) : QVariant(1e300);
            return a.replicasNeeded ? QString::number(*a.replicasNeeded) : QStringLiteral("\u2013");
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Rate && index.column() != Binding)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (index.column() == Utilisation && hasLimit) {
        const QColor color = utilisationColor(binding->utilisation);
        if (role == Qt::BackgroundRole)
            return color;
        if (role == Qt::ForegroundRole)
            return textColorOn(color);
    }
    if (role == Qt::ToolTipRole) {
        QString tip = qs(a.station.model);
        for (const auto& note : a.station.notes)
            tip += "\n" + qs(note);
        if (a.pushedBy)
            tip += "\n" + tr("Its pool runs out because %1 slows down as it saturates")
                              .arg(qs(snapshot_->result.components[*a.pushedBy].id));
        return tip;
    }
    if (role == Qt::FontRole &&
        snapshot_->result.bottleneck == static_cast<std::size_t>(index.row())) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    return {};
}

} // namespace headroom::ui
