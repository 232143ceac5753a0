// A small HTTP/1.1-over-TLS server on QSslServer for the lab EST server and the tests' fake servers.
// Event-driven on the owning thread: many concurrent connections, keep-alive, pipelined requests answered
// in order, idle timeouts, and responses that may be produced later (a handler can hand work to a thread
// pool and answer when it is done). Client certificates are requested but never required at the TLS
// level: the handler sees the presented chain and decides (an EST server answers 401, not a TLS alert).
// Clients are untrusted: each request must arrive whole within a deadline (a client trickling bytes does
// not keep its slot), a connection buffers a bounded amount of input (it stops reading, so TCP pushes back)
// and of unsent output (it stops taking requests, and closes when the client does not read in time).
#pragma once

#include "Error.h"
#include "HttpMessage.h"
#include "HttpRequestParser.h"
#include "crypto/Certificate.h"
#include "crypto/PrivateKey.h"

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
        int idleTimeoutMs = 30000; ///< close a keep-alive connection idle (no request begun) this long
        int handshakeTimeoutMs = 10000;
        int maxConnections = 1024;
        /// A request's header block and body must be complete this long after its first byte (else 408 and
        /// close); also how long unsent output may stay over maxQueuedOutputBytes before the connection is
        /// closed. 0 = no deadline.
        int requestDeadlineMs = 15000;
        /// Decrypted + encrypted input a socket may buffer beyond what the request parser holds
        /// (HttpRequestParser::maxHeldBytes()); reading stops there until the parser has room.
        qint64 socketReadBufferBytes = 64 * 1024;
        /// Above this much unsent output a connection answers nothing more until the client reads.
        qint64 maxQueuedOutputBytes = 1024 * 1024;
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
        /// Closes the connection (TCP reset) without answering: what a crashed peer or a dropped network
        /// looks like to the client. A no-op when the request was answered already or the client went away.
        void abort() const;
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
        quint64 requestDeadlinesExpired = 0; ///< 408: a request did not arrive whole in time
        quint64 stalledReadersClosed = 0;    ///< closed: the client did not read its answers in time
        quint64 outputPauses = 0;            ///< times a connection stopped answering for unread output
        qint64 peakInputBytes = 0;           ///< most input one connection held (parser + socket buffers)
        qint64 peakQueuedOutputBytes = 0;    ///< most unsent output one connection held
    };

    /// The TLS side of a server: presents `certificate` (then `chain`) with `key`, and asks for - never
    /// requires - a client certificate, naming `clientCas` as acceptable issuers (the handler decides, so
    /// an EST server can answer with a reason instead of a TLS alert).
    [[nodiscard]] static Result<QSslConfiguration> tlsConfiguration(const crypto::Certificate &certificate,
                                                                    const crypto::PrivateKey &key,
                                                                    const QList<crypto::Certificate> &clientCas,
                                                                    const QList<crypto::Certificate> &chain = {},
                                                                    QSsl::SslProtocol protocol = QSsl::TlsV1_2OrLater);

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
    void noteBuffered(qint64 inputBytes, qint64 outputBytes);

    Options m_options;
    Handler m_handler;
    QSslServer *m_server = nullptr;
    Stats m_stats;
    quint64 m_nextConnectionId = 1;
};

} // namespace station::est
