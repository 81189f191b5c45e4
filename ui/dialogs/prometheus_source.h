#pragma once
// The "Prometheus server" page of the import dialog: server address, PromQL (with each role's
// template), time range (presets or typed: now-7d, RFC 3339), step, credentials and timeout.
// The address, query and range are remembered between imports; credentials never are.

#include "common/result.h"
#include "net/prometheus_client.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace headroom::ui {

class PrometheusSourceWidget : public QWidget {
    Q_OBJECT
  public:
    explicit PrometheusSourceWidget(QWidget* parent = nullptr);

    /// The request the form describes, with times resolved against `nowMs`; or what is wrong.
    [[nodiscard]] Result<net::PrometheusRequest> request(std::int64_t nowMs) const;
    /// Stores address, query and range (never credentials) for the next import.
    void remember() const;

    void setServer(const QString& url);
    void setQuery(const QString& promql);
    void setRange(const QString& start, const QString& end, const QString& step);
    void setCredentials(net::PrometheusAuth::Kind kind, const QString& user, const QString& secret);
    /// Offers the templates of this role first (the role the series will be bound to).
    void setPreferredRole(const QString& roleKey);

  signals:
    void changed();

  private:
    void presetChosen(int index);
    void authChanged();

    QLineEdit* server_;
    QLineEdit* query_;
    QToolButton* templates_;
    QComboBox* preset_;
    QLineEdit* start_;
    QLineEdit* end_;
    QLineEdit* step_;
    QComboBox* auth_;
    QLineEdit* user_;
    QLineEdit* secret_;
    QLabel* secretLabel_;
    QLabel* userLabel_;
    QDoubleSpinBox* timeout_;
    QString preferredRole_;
};

} // namespace headroom::ui
