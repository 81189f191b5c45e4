#pragma once
// A real Prometheus and node exporter for the live-import tests: Debian's binaries (installed
// by ./dev), started on 127.0.0.1 on free ports with a 1 s scrape interval in a temporary
// folder, Prometheus behind basic auth; stopped again, by the PIDs started here, at the end.

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace headroom::test {

class LivePrometheus {
  public:
    static constexpr const char* kUser = "headroom";
    static constexpr const char* kPassword = "correct horse battery";

    /// Starts both servers and waits until Prometheus holds `samples` scrapes of the node
    /// exporter. Empty on success, else what went wrong.
    std::string start(int samples);
    void stop();
    ~LivePrometheus() { stop(); }

    [[nodiscard]] QString url() const;
    /// Asks Prometheus directly (GET, with the credentials) and returns its JSON answer.
    [[nodiscard]] nlohmann::json get(const QString& pathAndQuery) const;

  private:
    std::unique_ptr<QTemporaryDir> dir_;
    std::unique_ptr<QProcess> exporter_;
    std::unique_ptr<QProcess> prometheus_;
    int port_ = 0;
};

/// A free TCP port on 127.0.0.1 (asked of the kernel).
int freePort();

} // namespace headroom::test
