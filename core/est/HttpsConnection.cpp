#include "HttpsConnection.h"

#include <QLoggingCategory>
#include <QSslSocket>

Q_DECLARE_LOGGING_CATEGORY(lcHttpServer)

namespace station::est {

namespace {

constexpr qint64 kReadChunk = 16 * 1024;
constexpr int kDefaultLingerMs = 15000;

} // namespace

HttpsConnection::HttpsConnection(HttpsServer *server, QSslSocket *socket, HttpsServer::Peer peer,
                                 const HttpsServer::Options &options)
    : QObject(server), m_server(server), m_socket(socket), m_peer(std::move(peer)), m_parser(options.limits),
      m_requestDeadlineMs(options.requestDeadlineMs), m_maxQueuedOutput(options.maxQueuedOutputBytes)
{
    m_socket->setParent(this);
    // Capped, so that what the parser has no room for stays in the kernel and TCP flow control holds the
    // client back, instead of piling up in the socket's buffer.
    if (options.socketReadBufferBytes > 0)
        m_socket->setReadBufferSize(options.socketReadBufferBytes);
    m_idle.setSingleShot(true);
    m_idle.setInterval(options.idleTimeoutMs);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        qCDebug(lcHttpServer) << "connection" << m_peer.connectionId << "idle, closing";
        closeNow();
    });
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &HttpsConnection::onDeadline);
    connect(m_socket, &QSslSocket::readyRead, this, &HttpsConnection::readInput);
    connect(m_socket, &QSslSocket::bytesWritten, this, &HttpsConnection::onOutputDrained);
    connect(m_socket, &QSslSocket::encryptedBytesWritten, this, &HttpsConnection::onOutputDrained);
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        m_closing = true;
        m_idle.stop();
        stopDeadline();
        Q_EMIT finished();
    });
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            qCDebug(lcHttpServer) << "connection" << m_peer.connectionId << "error" << m_socket->errorString();
    });
    // The idle timer runs only while no request has begun; bytes do not restart it (a request's bytes start
    // its deadline instead), so trickling cannot keep a connection open.
    m_idle.start();
    if (m_socket->bytesAvailable() > 0) {
        m_processQueued = true;
        QMetaObject::invokeMethod(this, &HttpsConnection::readInput, Qt::QueuedConnection);
    }
}

HttpsConnection::~HttpsConnection() = default;

void HttpsConnection::readInput()
{
    m_processQueued = false;
    if (m_closing)
        return;
    // Take from the socket only what the parser has room for; the rest waits in the (capped) socket buffer
    // and then in the kernel, which stops the client's sending once its window is full.
    while (m_parser.state() != HttpRequestParser::State::Error) {
        const qint64 room = m_parser.room();
        if (room <= 0 || m_socket->bytesAvailable() <= 0)
            break;
        const QByteArray bytes = m_socket->read(qMin(room, kReadChunk));
        if (bytes.isEmpty())
            break;
        m_parser.feed(bytes);
        noteBuffered();
    }
    processNext();
}

void HttpsConnection::processNext()
{
    if (m_closing || m_awaiting != 0 || m_outputBlocked)
        return;
    const HttpRequestParser::State state = m_parser.parse();
    if (state == HttpRequestParser::State::Error) {
        m_server->m_stats.badRequests++;
        answerError(m_parser.errorStatus(), m_parser.errorMessage());
        return;
    }
    if (state == HttpRequestParser::State::NeedMore) {
        if (m_parser.heldBytes() > 0 && m_deadlineKind == Deadline::None && m_requestDeadlineMs > 0) {
            // The first bytes of a request: from now on it has the deadline to arrive whole.
            m_idle.stop();
            startDeadline(Deadline::Request, m_requestDeadlineMs);
        }
        if (m_parser.wantsContinue()) {
            m_parser.acknowledgeContinue();
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        }
        return;
    }
    stopDeadline();
    m_idle.stop();
    m_pendingRequest = m_parser.takeRequest();
    m_keepAlive = m_pendingRequest.keepAlive();
    m_awaiting = ++m_requestCounter;
    m_server->dispatch(this, m_pendingRequest, m_awaiting);
}

void HttpsConnection::respond(quint64 requestNumber, const HttpResponse &response)
{
    if (m_closing || requestNumber != m_awaiting)
        return; // answered twice, or the connection is going away
    HttpResponse out = response;
    if (!m_keepAlive)
        out.closeConnection = true;
    m_server->noteServed(out.status, m_pendingRequest);
    m_socket->write(out.serialize(m_pendingRequest.method == "HEAD"));
    m_awaiting = 0;
    m_pendingRequest = HttpRequest{};
    noteBuffered();
    if (out.closeConnection) {
        finishAfterWrite();
        return;
    }
    if (m_maxQueuedOutput > 0 && queuedOutput() > m_maxQueuedOutput) {
        // The client is not reading its answers: answer nothing more until it does, and close the
        // connection if it does not within the deadline.
        qCDebug(lcHttpServer) << "connection" << m_peer.connectionId << "has" << queuedOutput()
                              << "bytes unsent, pausing";
        m_outputBlocked = true;
        m_server->m_stats.outputPauses++;
        startDeadline(Deadline::Output, m_requestDeadlineMs > 0 ? m_requestDeadlineMs : kDefaultLingerMs);
        return;
    }
    if (m_parser.heldBytes() > 0 || m_socket->bytesAvailable() > 0) {
        if (!m_processQueued) {
            m_processQueued = true;
            QMetaObject::invokeMethod(this, &HttpsConnection::readInput, Qt::QueuedConnection);
        }
        return;
    }
    m_idle.start();
}

void HttpsConnection::abortRequest(quint64 requestNumber)
{
    if (m_closing || requestNumber != m_awaiting)
        return;
    m_awaiting = 0;
    m_pendingRequest = HttpRequest{};
    closeNow();
}

void HttpsConnection::onOutputDrained()
{
    if (!m_outputBlocked || m_closing || queuedOutput() > m_maxQueuedOutput / 2)
        return;
    m_outputBlocked = false;
    stopDeadline();
    if (!m_processQueued) {
        m_processQueued = true;
        QMetaObject::invokeMethod(this, &HttpsConnection::readInput, Qt::QueuedConnection);
    }
    if (m_parser.heldBytes() == 0 && m_socket->bytesAvailable() == 0)
        m_idle.start();
}

void HttpsConnection::onDeadline()
{
    const Deadline kind = m_deadlineKind;
    m_deadlineKind = Deadline::None;
    switch (kind) {
    case Deadline::Request:
        qCDebug(lcHttpServer) << "connection" << m_peer.connectionId << "request not complete in time";
        m_server->m_stats.requestDeadlinesExpired++;
        answerError(408,
                    "request not complete within " + QByteArray::number((m_requestDeadlineMs + 999) / 1000) + " s");
        break;
    case Deadline::Output:
        qCDebug(lcHttpServer) << "connection" << m_peer.connectionId << "does not read its answers, closing";
        m_server->m_stats.stalledReadersClosed++;
        closeNow();
        break;
    case Deadline::Linger: closeNow(); break;
    case Deadline::None: break;
    }
}

void HttpsConnection::startDeadline(Deadline kind, int ms)
{
    m_deadlineKind = kind;
    m_deadline.start(ms);
}

void HttpsConnection::stopDeadline()
{
    m_deadlineKind = Deadline::None;
    m_deadline.stop();
}

void HttpsConnection::answerError(int status, const QByteArray &message)
{
    HttpResponse response = HttpResponse::text(status, message);
    response.closeConnection = true;
    m_keepAlive = false;
    m_awaiting = ++m_requestCounter;
    respond(m_awaiting, response);
}

qint64 HttpsConnection::queuedOutput() const
{
    return m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite();
}

void HttpsConnection::noteBuffered()
{
    m_server->noteBuffered(m_parser.heldBytes() + m_socket->bytesAvailable() + m_socket->encryptedBytesAvailable(),
                           queuedOutput());
}

void HttpsConnection::finishAfterWrite()
{
    m_closing = true;
    m_idle.stop();
    stopDeadline();
    m_socket->disconnectFromHost(); // flushes pending bytes first
    if (m_socket->state() == QAbstractSocket::UnconnectedState) {
        Q_EMIT finished();
        return;
    }
    // A client that never reads would keep the flush (and the connection) going forever.
    startDeadline(Deadline::Linger, m_requestDeadlineMs > 0 ? m_requestDeadlineMs : kDefaultLingerMs);
}

void HttpsConnection::closeNow()
{
    m_closing = true;
    m_idle.stop();
    stopDeadline();
    m_socket->abort();
    Q_EMIT finished();
}

} // namespace station::est
