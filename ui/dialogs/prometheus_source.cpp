#include "dialogs/prometheus_source.h"

#include "document/project_document.h"
#include "metrics/roles.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QToolButton>

namespace headroom::ui {
namespace {

struct Preset {
    const char* label;
    const char* start;
    const char* step;
};
// Steps keep a preset within a few requests of 11,000 points and the chart readable.
constexpr Preset kPresets[] = {
    {QT_TRANSLATE_NOOP("PrometheusSourceWidget", "Last hour"), "now-1h", "15s"},
    {QT_TRANSLATE_NOOP("PrometheusSourceWidget", "Last 6 hours"), "now-6h", "15s"},
    {QT_TRANSLATE_NOOP("PrometheusSourceWidget", "Last 24 hours"), "now-24h", "15s"},
    {QT_TRANSLATE_NOOP("PrometheusSourceWidget", "Last 7 days"), "now-7d", "15s"},
    {QT_TRANSLATE_NOOP("PrometheusSourceWidget", "Last 30 days"), "now-30d", "1m"},
};

} // namespace

PrometheusSourceWidget::PrometheusSourceWidget(QWidget* parent)
    : QWidget(parent), server_(new QLineEdit), query_(new QLineEdit), templates_(new QToolButton),
      preset_(new QComboBox), start_(new QLineEdit), end_(new QLineEdit), step_(new QLineEdit),
      auth_(new QComboBox), user_(new QLineEdit), secret_(new QLineEdit),
      secretLabel_(new QLabel(tr("Password"))), userLabel_(new QLabel(tr("User"))),
      timeout_(new QDoubleSpinBox) {
    server_->setPlaceholderText(QStringLiteral("http://prometheus:9090"));
    server_->setToolTip(tr("Prometheus, or any server with its HTTP API (Thanos, Mimir, "
                           "VictoriaMetrics); include a path prefix if it has one."));
    query_->setPlaceholderText(tr("PromQL, e.g. sum(rate(http_requests_total[5m]))"));
    query_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    templates_->setText(tr("Templates"));
    templates_->setPopupMode(QToolButton::InstantPopup);
    templates_->setToolTip(tr("Starting queries for common exporters, by role"));
    auto* menu = new QMenu(templates_);
    connect(menu, &QMenu::aboutToShow, this, [this, menu] {
        menu->clear();
        auto add = [&](const metrics::Role& role) {
            menu->addAction(qs(role.label), this, [this, promql = qs(role.promql)] {
                query_->setText(promql);
                query_->setFocus();
                // Select the first placeholder ($job, $pod, ...) so typing replaces it.
                const auto at = promql.indexOf('$');
                if (at >= 0) {
                    qsizetype end = at + 1;
                    while (end < promql.size() &&
                           (promql[end].isLetterOrNumber() || promql[end] == '_'))
                        ++end;
                    query_->setSelection(static_cast<int>(at), static_cast<int>(end - at));
                }
            });
        };
        for (const auto& role : metrics::allRoles())
            if (qs(role.key) == preferredRole_)
                add(role);
        if (!menu->isEmpty())
            menu->addSeparator();
        for (const auto& role : metrics::allRoles())
            if (qs(role.key) != preferredRole_)
                add(role);
    });
    templates_->setMenu(menu);
    auto* queryRow = new QHBoxLayout;
    queryRow->addWidget(query_, 1);
    queryRow->addWidget(templates_);

    for (const auto& preset : kPresets)
        preset_->addItem(tr(preset.label));
    preset_->addItem(tr("Custom"));
    connect(preset_, &QComboBox::activated, this, &PrometheusSourceWidget::presetChosen);
    start_->setToolTip(tr("now, now-7d, 2026-11-01T00:00:00Z or Unix seconds"));
    end_->setToolTip(start_->toolTip());
    step_->setToolTip(tr("Resolution: 15s, 1m, 5m, ... Long ranges are fetched in several "
                         "requests of at most 11,000 points each."));
    for (auto* edit : {start_, end_})
        connect(edit, &QLineEdit::textEdited, this,
                [this] { preset_->setCurrentIndex(preset_->count() - 1); });
    auto* rangeRow = new QHBoxLayout;
    rangeRow->addWidget(preset_);
    rangeRow->addWidget(new QLabel(tr("from")));
    rangeRow->addWidget(start_, 1);
    rangeRow->addWidget(new QLabel(tr("to")));
    rangeRow->addWidget(end_, 1);
    rangeRow->addWidget(new QLabel(tr("step")));
    rangeRow->addWidget(step_);
    step_->setMaximumWidth(80);

    auth_->addItem(tr("None"), static_cast<int>(net::PrometheusAuth::Kind::None));
    auth_->addItem(tr("Basic (user and password)"),
                   static_cast<int>(net::PrometheusAuth::Kind::Basic));
    auth_->addItem(tr("Bearer token"), static_cast<int>(net::PrometheusAuth::Kind::Bearer));
    connect(auth_, &QComboBox::currentIndexChanged, this, &PrometheusSourceWidget::authChanged);
    secret_->setEchoMode(QLineEdit::Password);
    auto* authRow = new QHBoxLayout;
    authRow->addWidget(auth_);
    authRow->addWidget(userLabel_);
    authRow->addWidget(user_, 1);
    authRow->addWidget(secretLabel_);
    authRow->addWidget(secret_, 1);
    authRow->addStretch(0);
    auto* never = new QLabel(tr("Credentials are used for this import only and never saved."));
    never->setEnabled(false);

    timeout_->setRange(1, 3600);
    timeout_->setDecimals(0);
    timeout_->setSuffix(tr(" s"));
    timeout_->setValue(30);
    timeout_->setMaximumWidth(100);
    timeout_->setToolTip(tr("A request fails when the server sends nothing for this long."));

    auto* form = new QFormLayout(this);
    form->addRow(tr("Server"), server_);
    form->addRow(tr("Query"), queryRow);
    form->addRow(tr("Range"), rangeRow);
    form->addRow(tr("Authentication"), authRow);
    form->addRow(QString(), never);
    form->addRow(tr("Timeout"), timeout_);

    QSettings settings;
    settings.beginGroup(QStringLiteral("prometheus"));
    server_->setText(settings.value(QStringLiteral("server")).toString());
    query_->setText(settings.value(QStringLiteral("query")).toString());
    const int preset = settings.value(QStringLiteral("preset"), 3).toInt();
    preset_->setCurrentIndex(std::clamp(preset, 0, preset_->count() - 1));
    start_->setText(settings.value(QStringLiteral("start"), QStringLiteral("now-7d")).toString());
    end_->setText(settings.value(QStringLiteral("end"), QStringLiteral("now")).toString());
    step_->setText(settings.value(QStringLiteral("step"), QStringLiteral("15s")).toString());
    timeout_->setValue(settings.value(QStringLiteral("timeout"), 30).toDouble());
    authChanged();
    for (auto* edit : {server_, query_, start_, end_, step_})
        connect(edit, &QLineEdit::textChanged, this, &PrometheusSourceWidget::changed);
}

void PrometheusSourceWidget::presetChosen(int index) {
    if (index < 0 || index >= static_cast<int>(std::size(kPresets)))
        return;
    start_->setText(QString::fromLatin1(kPresets[index].start));
    end_->setText(QStringLiteral("now"));
    step_->setText(QString::fromLatin1(kPresets[index].step));
}

void PrometheusSourceWidget::authChanged() {
    const auto kind = static_cast<net::PrometheusAuth::Kind>(auth_->currentData().toInt());
    const bool basic = kind == net::PrometheusAuth::Kind::Basic;
    const bool any = kind != net::PrometheusAuth::Kind::None;
    userLabel_->setVisible(basic);
    user_->setVisible(basic);
    secretLabel_->setText(basic ? tr("Password") : tr("Token"));
    secretLabel_->setVisible(any);
    secret_->setVisible(any);
}

void PrometheusSourceWidget::setServer(const QString& url) {
    server_->setText(url);
}

void PrometheusSourceWidget::setQuery(const QString& promql) {
    query_->setText(promql);
}

void PrometheusSourceWidget::setRange(const QString& start, const QString& end,
                                      const QString& step) {
    preset_->setCurrentIndex(preset_->count() - 1);
    start_->setText(start);
    end_->setText(end);
    step_->setText(step);
}

void PrometheusSourceWidget::setCredentials(net::PrometheusAuth::Kind kind, const QString& user,
                                            const QString& secret) {
    auth_->setCurrentIndex(std::max(0, auth_->findData(static_cast<int>(kind))));
    user_->setText(user);
    secret_->setText(secret);
}

void PrometheusSourceWidget::setPreferredRole(const QString& roleKey) {
    preferredRole_ = roleKey;
}

Result<net::PrometheusRequest> PrometheusSourceWidget::request(std::int64_t nowMs) const {
    net::PrometheusRequest request;
    request.server = ss(server_->text().trimmed());
    if (request.server.empty())
        return Error{"enter the server's address, e.g. http://prometheus:9090", "", "Server"};
    auto start = metrics::parseTimeSpec(ss(start_->text()), nowMs);
    if (!start)
        return Error{start.error().message, "", "From"};
    auto end = metrics::parseTimeSpec(ss(end_->text()), nowMs);
    if (!end)
        return Error{end.error().message, "", "To"};
    auto step = metrics::parsePrometheusDuration(ss(step_->text()));
    if (!step)
        return Error{step.error().message, "", "Step"};
    request.query = {ss(query_->text().trimmed()), *start, *end, *step};
    if (const auto problem = metrics::checkRangeQuery(request.query))
        return Error{*problem, "", ""};
    request.auth.kind = static_cast<net::PrometheusAuth::Kind>(auth_->currentData().toInt());
    request.auth.user = ss(user_->text());
    request.auth.secret = ss(secret_->text());
    request.timeout = std::chrono::milliseconds(std::llround(timeout_->value() * 1000));
    return request;
}

void PrometheusSourceWidget::remember() const {
    QSettings settings;
    settings.beginGroup(QStringLiteral("prometheus"));
    settings.setValue(QStringLiteral("server"),
                      qs(metrics::redactServerUrl(ss(server_->text().trimmed()))));
    settings.setValue(QStringLiteral("query"), query_->text());
    settings.setValue(QStringLiteral("preset"), preset_->currentIndex());
    settings.setValue(QStringLiteral("start"), start_->text());
    settings.setValue(QStringLiteral("end"), end_->text());
    settings.setValue(QStringLiteral("step"), step_->text());
    settings.setValue(QStringLiteral("timeout"), timeout_->value());
}

} // namespace headroom::ui
