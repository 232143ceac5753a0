// A small HTTP/1.1-over-TLS server on QSslServer for the lab EST server and the tests' fake servers.
// Event-driven on the owning thread: many concurrent connections, keep-alive, pipelined requests answered
// in order, idle timeouts, and responses that may be produced later (a handler can hand work to a thread
// pool and answer when it is done). Client certificates are requested but never required at the TLS
// level: the handler sees the presented chain and decides (an EST server answers 401, not a TLS alert).
#pragma once

#include "Error.h"
#include "HttpMessage.h"
#include "HttpRequestParser.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>

#include <functional>

QT_BEGIN_NAMESPACE
class QSslServer;
class QSslSocket;
QT_END_NAMESPACE

namespace station::est {

class HttpsConnection;

class HttpsServer : public QObject
{
    Q_OBJECT
public:
    struct Options {
        QSslConfiguration tls; ///< local certificate, key, CA list for client certificates
        HttpRequestParser::Limits limits;
        int idleTimeoutMs = 30000; ///< close a keep-alive connection idle this long
        int handshakeTimeoutMs = 10000;
        int maxConnections = 1024;
    };

    /// What the handler knows about the client.
    struct Peer {
        quint64 connectionId = 0;
        QHostAddress address;
        quint16 port = 0;
        QList<QByteArray> certificateChainDer; ///< as presented, leaf first; empty when none
        QString tlsProtocol;                   ///< "TLSv1.3", "TLSv1.2"
    };

    /// Sends the one response to a request. Cheap to copy; sending after the client went away is a no-op.
    class Responder
    {
    public:
        Responder() = default;
        void send(const HttpResponse &response) const;
        [[nodiscard]] bool isConnected() const;

    private:
        friend class HttpsServer;
        Responder(HttpsConnection *connection, quint64 requestNumber);
        QPointer<HttpsConnection> m_connection;
        quint64 m_requestNumber = 0;
    };

    using Handler = std::function<void(const HttpRequest &, const Peer &, const Responder &)>;

    struct Stats {
        quint64 connectionsAccepted = 0;
        quint64 handshakesCompleted = 0;
        quint64 handshakesFailed = 0;
        quint64 requests = 0;
        quint64 badRequests = 0;
        int openConnections = 0;
    };

    HttpsServer(Options options, Handler handler, QObject *parent = nullptr);
    ~HttpsServer() override;

    [[nodiscard]] Result<void> listen(const QHostAddress &address, quint16 port);
    [[nodiscard]] quint16 serverPort() const;
    [[nodiscard]] QHostAddress serverAddress() const;
    /// Stops accepting and closes every connection.
    void close();
    [[nodiscard]] Stats stats() const { return m_stats; }

Q_SIGNALS:
    void handshakeCompleted(quint64 connectionId);
    void handshakeFailed(const QString &reason);
    void requestServed(int status, const QByteArray &method, const QByteArray &path);

private:
    friend class HttpsConnection;
    void onPendingConnection();
    void dispatch(HttpsConnection *connection, const HttpRequest &request, quint64 requestNumber);
    void noteServed(int status, const HttpRequest &request);

    Options m_options;
    Handler m_handler;
    QSslServer *m_server = nullptr;
    Stats m_stats;
    quint64 m_nextConnectionId = 1;
};

} // namespace station::est
