#include "net/live_prometheus.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <chrono>
#include <csignal>
#include <sys/prctl.h>

namespace headroom::test {
namespace {

// bcrypt (cost 4) of LivePrometheus::kPassword, made with Python's crypt.crypt.
constexpr const char* kPasswordHash =
    "$2b$04$Hdv3GhDT9tYM08Ym9qvg6Ozpmn5YPhYft2M7VXQw3JIh.6dnpHEpS";

std::unique_ptr<QProcess> launch(const QString& program, const QStringList& arguments,
                                 const QString& log) {
    auto process = std::make_unique<QProcess>();
    process->setProgram(program);
    process->setArguments(arguments);
    process->setStandardOutputFile(log);
    process->setStandardErrorFile(log);
    // If the test binary dies, the kernel stops the server too: no stray processes.
    process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    process->start();
    if (!process->waitForStarted(10'000))
        return nullptr;
    return process;
}

bool writeFile(const QString& path, const QByteArray& text) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

} // namespace

int freePort() {
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

QString LivePrometheus::url() const {
    return QStringLiteral("http://127.0.0.1:%1").arg(port_);
}

nlohmann::json LivePrometheus::get(const QString& pathAndQuery) const {
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(url() + pathAndQuery));
    request.setRawHeader(
        "Authorization",
        "Basic " + QByteArray(std::string(kUser).append(":").append(kPassword).c_str()).toBase64());
    QNetworkReply* reply = network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20'000, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return nlohmann::json::parse(body.toStdString(), nullptr, false);
}

std::string LivePrometheus::start(int samples) {
    dir_ = std::make_unique<QTemporaryDir>();
    if (!dir_->isValid())
        return "no temporary folder";
    const int exporterPort = freePort();
    port_ = freePort();
    if (!exporterPort || !port_ || exporterPort == port_)
        return "no free ports";
    const QString config = QStringLiteral("global:\n"
                                          "  scrape_interval: 1s\n"
                                          "  evaluation_interval: 1s\n"
                                          "scrape_configs:\n"
                                          "  - job_name: node\n"
                                          "    static_configs:\n"
                                          "      - targets: ['127.0.0.1:%1']\n")
                               .arg(exporterPort);
    const QString web = QStringLiteral("basic_auth_users:\n  %1: %2\n").arg(kUser, kPasswordHash);
    if (!writeFile(dir_->filePath("prometheus.yml"), config.toUtf8()) ||
        !writeFile(dir_->filePath("web.yml"), web.toUtf8()))
        return "cannot write the configuration";

    exporter_ = launch(QStringLiteral("prometheus-node-exporter"),
                       {QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(exporterPort)},
                       dir_->filePath("node-exporter.log"));
    if (!exporter_)
        return "cannot start prometheus-node-exporter (is it installed? ./dev deps)";
    prometheus_ = launch(QStringLiteral("prometheus"),
                         {"--config.file=" + dir_->filePath("prometheus.yml"),
                          "--web.config.file=" + dir_->filePath("web.yml"),
                          "--storage.tsdb.path=" + dir_->filePath("data"),
                          QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port_)},
                         dir_->filePath("prometheus.log"));
    if (!prometheus_)
        return "cannot start prometheus (is it installed? ./dev deps)";

    // Waits (generously: CI machines are slow) until enough scrapes are stored.
    const QString probe =
        QStringLiteral("/api/v1/query?query=") +
        QUrl::toPercentEncoding(
            QStringLiteral("count_over_time(node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}[5m])"));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
        if (prometheus_->state() != QProcess::Running)
            return "prometheus stopped; its log is " +
                   dir_->filePath("prometheus.log").toStdString();
        const auto answer = get(probe);
        if (answer.is_object() && answer.value("status", "") == "success" &&
            !answer["data"]["result"].empty()) {
            const auto count =
                std::stoi(answer["data"]["result"][0]["value"][1].get<std::string>());
            if (count >= samples)
                return {};
        }
        QThread::msleep(500);
    }
    return "no samples within 120 s; the log is " + dir_->filePath("prometheus.log").toStdString();
}

void LivePrometheus::stop() {
    for (auto* process : {prometheus_.get(), exporter_.get()}) {
        if (!process || process->state() == QProcess::NotRunning)
            continue;
        process->terminate();
        if (!process->waitForFinished(10'000)) {
            process->kill();
            process->waitForFinished(5'000);
        }
    }
    prometheus_.reset();
    exporter_.reset();
}

} // namespace headroom::test
