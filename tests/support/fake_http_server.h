#pragma once
// A scripted HTTP server on loopback for tests of the network transport: it answers each
// complete request with what a callback returns, or stays silent. Lives on the thread that
// creates it; any event loop there (QSignalSpy::wait, a blocking fetch's own loop) serves it.

#include <QTcpServer>
#include <QTcpSocket>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace headroom::test {

struct Reply {
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
};

/// Answers each complete HTTP request with what `respond` returns; an empty optional means
/// "never answer".
class FakeServer {
  public:
    explicit FakeServer(std::function<std::optional<Reply>(const QByteArray&)> respond)
        : respond_(std::move(respond)) {
        server_.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&server_, &QTcpServer::newConnection, [this] {
            while (auto* socket = server_.nextPendingConnection())
                QObject::connect(socket, &QTcpSocket::readyRead, socket,
                                 [this, socket] { read(socket); });
        });
    }
    [[nodiscard]] std::string url() const {
        return "http://127.0.0.1:" + std::to_string(server_.serverPort());
    }
    QByteArray lastRequest;

  private:
    void read(QTcpSocket* socket) {
        QByteArray& buffer = buffers_[socket];
        buffer += socket->readAll();
        const auto headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        qsizetype length = 0;
        for (const auto& line : buffer.left(headerEnd).split('\n'))
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        if (buffer.size() < headerEnd + 4 + length)
            return;
        lastRequest = buffer;
        const auto reply = respond_(buffer);
        if (!reply)
            return; // silent
        socket->write("HTTP/1.1 " + QByteArray::number(reply->status) +
                      " X\r\nContent-Type: " + reply->contentType +
                      "\r\nContent-Length: " + QByteArray::number(reply->body.size()) +
                      "\r\nConnection: close\r\n\r\n" + reply->body);
        socket->disconnectFromHost();
    }
    QTcpServer server_;
    std::function<std::optional<Reply>(const QByteArray&)> respond_;
    std::map<QTcpSocket*, QByteArray> buffers_;
};

} // namespace headroom::test
