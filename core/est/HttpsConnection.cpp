#include "HttpsConnection.h"

#include <QLoggingCategory>
#include <QSslSocket>

Q_DECLARE_LOGGING_CATEGORY(lcHttpServer)

namespace station::est {

HttpsConnection::HttpsConnection(HttpsServer *server, QSslSocket *socket, HttpsServer::Peer peer,
                                 HttpRequestParser::Limits limits, int idleTimeoutMs)
    : QObject(server), m_server(server), m_socket(socket), m_peer(std::move(peer)), m_parser(limits)
{
    m_socket->setParent(this);
    m_idle.setSingleShot(true);
    m_idle.setInterval(idleTimeoutMs);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        qCDebug(lcHttpServer) << "connection" << m_peer.connectionId << "idle, closing";
        closeNow();
    });
    connect(m_socket, &QSslSocket::readyRead, this, &HttpsConnection::onReadyRead);
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        m_closing = true;
        m_idle.stop();
        Q_EMIT finished();
    });
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            qCDebug(lcHttpServer) << "connection" << m_peer.connectionId << "error" << m_socket->errorString();
    });
    m_idle.start();
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpsConnection::onReadyRead, Qt::QueuedConnection);
}

HttpsConnection::~HttpsConnection() = default;

void HttpsConnection::onReadyRead()
{
    if (m_closing)
        return;
    m_idle.start();
    const QByteArray bytes = m_socket->readAll();
    if (m_awaiting != 0) {
        // A request is being answered; buffer the next ones (pipelining) and parse them afterwards.
        m_parser.feed(bytes);
        if (m_parser.state() == HttpRequestParser::State::Error)
            processNext();
        return;
    }
    m_parser.feed(bytes);
    processNext();
}

void HttpsConnection::processNext()
{
    if (m_closing || m_awaiting != 0)
        return;
    const HttpRequestParser::State state = m_parser.parse();
    if (state == HttpRequestParser::State::Error) {
        HttpResponse response = HttpResponse::text(m_parser.errorStatus(), m_parser.errorMessage());
        response.closeConnection = true;
        m_keepAlive = false;
        m_server->m_stats.badRequests++;
        m_awaiting = ++m_requestCounter;
        respond(m_awaiting, response);
        return;
    }
    if (state == HttpRequestParser::State::NeedMore) {
        if (m_parser.wantsContinue()) {
            m_parser.acknowledgeContinue();
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        }
        return;
    }
    m_pendingRequest = m_parser.takeRequest();
    m_keepAlive = m_pendingRequest.keepAlive();
    m_awaiting = ++m_requestCounter;
    m_idle.stop();
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
    if (out.closeConnection) {
        finishAfterWrite();
        return;
    }
    m_idle.start();
    if (m_parser.bufferedBytes() > 0)
        QMetaObject::invokeMethod(this, &HttpsConnection::processNext, Qt::QueuedConnection);
}

void HttpsConnection::finishAfterWrite()
{
    m_closing = true;
    m_idle.stop();
    m_socket->disconnectFromHost(); // flushes pending bytes first
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        Q_EMIT finished();
}

void HttpsConnection::closeNow()
{
    m_closing = true;
    m_idle.stop();
    m_socket->abort();
    Q_EMIT finished();
}

} // namespace station::est
