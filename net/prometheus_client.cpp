#include "net/prometheus_client.h"

#include "metrics/prometheus_json.h"
#include "model/property.h"
#include "version.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>

namespace headroom::net {
namespace {

QByteArray formBody(const std::vector<std::pair<std::string, std::string>>& fields) {
    // Every byte but the unreserved ones is escaped, so '+' in PromQL stays a plus.
    QByteArray body;
    for (const auto& [key, value] : fields) {
        if (!body.isEmpty())
            body += '&';
        body += QUrl::toPercentEncoding(QString::fromStdString(key)) + '=' +
                QUrl::toPercentEncoding(QString::fromStdString(value));
    }
    return body;
}

/// The query_range endpoint under the server's base URL (which may carry a path prefix).
QUrl endpoint(const QUrl& base) {
    QUrl url = base;
    QString path = url.path();
    while (path.endsWith('/'))
        path.chop(1);
    url.setPath(path + QStringLiteral("/api/v1/query_range"));
    url.setQuery(QString());
    url.setFragment(QString());
    url.setUserInfo(QString());
    return url;
}

std::string httpReason(int status) {
    switch (status) {
    case 401:
        return "the server wants credentials, or refused the ones given (HTTP 401)";
    case 403:
        return "the server refused access with these credentials (HTTP 403)";
    case 404:
        return "no Prometheus API at this address (HTTP 404); check the URL and any path prefix";
    case 429:
        return "the server is rate limiting requests (HTTP 429); try a larger step or later";
    default:
        return "the server answered HTTP " + std::to_string(status);
    }
}

struct Transfer {
    QByteArray body;
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorText;
    bool timedOut = false;
    bool cancelled = false;
};

} // namespace

Result<metrics::ImportReport> fetchRange(const PrometheusRequest& request,
                                         const ProgressCallback& progress) {
    const std::string shown = metrics::redactServerUrl(request.server);
    const auto fail = [&](std::string message, std::string where = {}) {
        return Error{std::move(message), shown, std::move(where)};
    };
    if (!QCoreApplication::instance())
        return fail("internal: the Prometheus importer needs a QCoreApplication");
    if (const auto problem = metrics::checkRangeQuery(request.query))
        return fail(*problem);
    const QUrl base(QString::fromStdString(request.server), QUrl::StrictMode);
    if (!base.isValid() || base.host().isEmpty() ||
        (base.scheme() != QLatin1String("http") && base.scheme() != QLatin1String("https")))
        return fail("not a server address: write it like http://prometheus:9090 or "
                    "https://host/prometheus");

    PrometheusAuth auth = request.auth;
    if (auth.kind == PrometheusAuth::Kind::None && !base.userName().isEmpty())
        auth = {PrometheusAuth::Kind::Basic, base.userName().toStdString(),
                base.password().toStdString()};

    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (!request.caFile.empty()) {
        const auto certificates = QSslCertificate::fromPath(QString::fromStdString(request.caFile));
        if (certificates.isEmpty())
            return Error{"no PEM certificate could be read from this file", request.caFile, ""};
        tls.addCaCertificates(certificates);
    }
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);

    const auto windows = metrics::splitRange(request.query, request.maxPointsPerRequest);
    QNetworkAccessManager network;
    network.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    std::vector<metrics::ImportReport> parts;
    parts.reserve(windows.size());

    for (std::size_t w = 0; w < windows.size(); ++w) {
        const auto& window = windows[w];
        const double before = static_cast<double>(w) / static_cast<double>(windows.size());
        const std::string where = windows.size() > 1
                                      ? "request " + std::to_string(w + 1) + " of " +
                                            std::to_string(windows.size()) + " (" +
                                            metrics::formatIsoTimestamp(window.startMs) + " to " +
                                            metrics::formatIsoTimestamp(window.endMs) + ")"
                                      : std::string();
        QNetworkRequest http(endpoint(base));
        http.setHeader(QNetworkRequest::ContentTypeHeader,
                       QStringLiteral("application/x-www-form-urlencoded"));
        http.setRawHeader("Accept", "application/json");
        http.setRawHeader("User-Agent", QByteArray("Headroom/") + kVersion);
        if (auth.kind == PrometheusAuth::Kind::Basic)
            http.setRawHeader(
                "Authorization",
                "Basic " + QByteArray::fromStdString(auth.user + ":" + auth.secret).toBase64());
        else if (auth.kind == PrometheusAuth::Kind::Bearer)
            http.setRawHeader("Authorization", "Bearer " + QByteArray::fromStdString(auth.secret));
        http.setSslConfiguration(tls);

        Transfer transfer;
        QEventLoop loop;
        QPointer<QNetworkReply> reply =
            network.post(http, formBody(metrics::rangeQueryFields(request.query, window)));
        QTimer idle; // no byte from the server for `timeout`
        idle.setSingleShot(true);
        idle.setInterval(static_cast<int>(request.timeout.count()));
        QObject::connect(&idle, &QTimer::timeout, &loop, [&] {
            transfer.timedOut = true;
            if (reply)
                reply->abort();
        });
        double received = 0;
        QObject::connect(reply, &QNetworkReply::downloadProgress, &loop,
                         [&](qint64 done, qint64 total) {
                             idle.start();
                             received = total > 0 ? static_cast<double>(done) / total : 0;
                         });
        QObject::connect(reply, &QNetworkReply::uploadProgress, &loop, [&] { idle.start(); });
        QTimer poll; // cancel is polled, so it works while the server is silent
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            const double fraction = before + received / static_cast<double>(windows.size());
            if (!keepGoing(progress, fraction) && reply) {
                transfer.cancelled = true;
                reply->abort();
            }
        });
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        idle.start();
        poll.start(50);
        if (reply && !reply->isFinished())
            loop.exec();
        poll.stop();
        idle.stop();
        transfer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        transfer.error = reply->error();
        transfer.errorText = reply->errorString();
        if (!transfer.cancelled && !transfer.timedOut)
            transfer.body = reply->readAll();
        reply->deleteLater();

        if (transfer.cancelled)
            return fail("import cancelled; nothing was imported");
        if (transfer.timedOut)
            return fail("the server sent nothing for " +
                            formatNumber(static_cast<double>(request.timeout.count()) / 1000) +
                            " s; it may be overloaded, or the query too heavy (try a larger "
                            "step or a shorter range)",
                        where);

        metrics::PrometheusJsonOptions options;
        options.query = request.query.query;
        options.location = shown;
        options.sourceKind = "prometheus";
        options.stepMs = request.query.stepMs;
        options.allowEmpty = true;
        const bool looksJson = transfer.body.trimmed().startsWith('{');
        if (transfer.status == 0 && transfer.error != QNetworkReply::NoError)
            return fail("could not reach the server: " + transfer.errorText.toStdString(), where);
        if (looksJson) {
            // A Prometheus error (bad PromQL, too many points, timeout) comes as JSON with a
            // 4xx/5xx status; its own words are what the user needs.
            auto part = metrics::importPrometheusJson(
                std::string_view(transfer.body.constData(),
                                 static_cast<std::size_t>(transfer.body.size())),
                options);
            if (!part) {
                auto error = part.error();
                error.file = shown;
                error.location = where.empty() ? error.location : where;
                return error;
            }
            if (transfer.status >= 400)
                return fail(httpReason(transfer.status), where);
            parts.push_back(std::move(*part));
        } else if (transfer.status >= 300) {
            return fail(httpReason(transfer.status), where);
        } else {
            return fail("the answer is not JSON; is this a Prometheus server?", where);
        }
        if (!keepGoing(progress, static_cast<double>(w + 1) / static_cast<double>(windows.size())))
            return fail("import cancelled; nothing was imported");
    }
    auto joined = metrics::joinWindowReports(std::move(parts));
    if (joined && joined->series.empty())
        return fail("the query returned no series between " +
                    metrics::formatIsoTimestamp(request.query.startMs) + " and " +
                    metrics::formatIsoTimestamp(request.query.endMs) +
                    "; check the metric name, its labels and the range");
    return joined;
}

} // namespace headroom::net
