// A deliberately low-level HTTP/1.1-over-TLS client for server tests: it writes exactly the bytes a test
// gives it (trickled, pipelined, malformed), reads answers only when told to (or never), can present a
// client certificate, and parses answers just enough to check status, headers and body. It waits by
// spinning the event loop, so the server under test may run in the same thread.
#pragma once

#include "crypto/Certificate.h"
#include "crypto/PrivateKey.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QSslSocket>

#include <optional>

namespace station::test {

struct RawResponse {
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    [[nodiscard]] QByteArray header(QByteArrayView name) const;
};

class RawTlsClient : public QObject
{
    Q_OBJECT
public:
    explicit RawTlsClient(const crypto::Certificate &trustAnchor, QObject *parent = nullptr);

    /// Presents this certificate and key in the TLS handshake.
    void setClientCertificate(const crypto::Certificate &cert, const crypto::PrivateKey &key);
    /// Caps what the socket buffers from the network, so a client that does not read lets TCP push back.
    void setReadBufferSize(qint64 bytes) { m_socket.setReadBufferSize(bytes); }

    [[nodiscard]] bool connectTo(quint16 port, int timeoutMs = 10000);
    void send(const QByteArray &bytes);
    /// Waits for one whole answer (Content-Length framed); nullopt on timeout or disconnect.
    [[nodiscard]] std::optional<RawResponse> readResponse(int timeoutMs = 10000);
    /// Waits until the server closed the connection.
    [[nodiscard]] bool waitDisconnected(int timeoutMs);
    [[nodiscard]] bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    [[nodiscard]] QSslSocket &socket() { return m_socket; }

    /// "POST <path>" with `body` and Content-Type application/pkcs10.
    static QByteArray post(const QByteArray &path, const QByteArray &body, const QByteArray &extraHeaders = {});
    static QByteArray get(const QByteArray &path);

private:
    QSslSocket m_socket;
    QByteArray m_received;
};

} // namespace station::test
