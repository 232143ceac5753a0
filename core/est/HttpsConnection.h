// One accepted TLS connection of HttpsServer: feeds the request parser, hands complete requests to the
// server one at a time (answers go out in request order), writes responses, and keeps the client within
// its bounds: an idle timeout between requests, a deadline per request (header block and body), bounded
// input (it reads only what the parser has room for; the socket's read buffer is capped, so TCP pushes
// back on a client that pipelines without end) and bounded output (over the cap it takes no further
// request until the client reads, and closes when that does not happen within the deadline).
#pragma once

#include "HttpRequestParser.h"
#include "HttpsServer.h"

#include <QObject>
#include <QTimer>

QT_BEGIN_NAMESPACE
class QSslSocket;
QT_END_NAMESPACE

namespace station::est {

class HttpsConnection : public QObject
{
    Q_OBJECT
public:
    HttpsConnection(HttpsServer *server, QSslSocket *socket, HttpsServer::Peer peer,
                    const HttpsServer::Options &options);
    ~HttpsConnection() override;

    [[nodiscard]] const HttpsServer::Peer &peer() const { return m_peer; }
    void respond(quint64 requestNumber, const HttpResponse &response);
    /// Closes the connection without answering, when `requestNumber` is the one awaiting its answer.
    void abortRequest(quint64 requestNumber);
    void closeNow();

Q_SIGNALS:
    void finished();

private:
    /// What the deadline timer currently guards.
    enum class Deadline { None, Request, Output, Linger };

    void readInput();
    void processNext();
    void finishAfterWrite();
    void onOutputDrained();
    void onDeadline();
    void startDeadline(Deadline kind, int ms);
    void stopDeadline();
    void answerError(int status, const QByteArray &message);
    [[nodiscard]] qint64 queuedOutput() const;
    void noteBuffered();

    HttpsServer *m_server;
    QSslSocket *m_socket;
    HttpsServer::Peer m_peer;
    HttpRequestParser m_parser;
    QTimer m_idle;
    QTimer m_deadline;
    Deadline m_deadlineKind = Deadline::None;
    int m_requestDeadlineMs = 0;
    qint64 m_maxQueuedOutput = 0;
    quint64 m_requestCounter = 0;
    quint64 m_awaiting = 0; ///< request number whose answer is pending, 0 = none
    HttpRequest m_pendingRequest;
    bool m_keepAlive = true;
    bool m_closing = false;
    bool m_outputBlocked = false; ///< unsent output over the cap: take no request until it drains
    bool m_processQueued = false;
};

} // namespace station::est
