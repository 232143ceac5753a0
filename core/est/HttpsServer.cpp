#include "HttpsServer.h"

#include "HttpsConnection.h"

#include <QLoggingCategory>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>

Q_LOGGING_CATEGORY(lcHttpServer, "station.est.httpserver")

namespace station::est {

namespace {

QString protocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_2: return QStringLiteral("TLSv1.2");
    case QSsl::TlsV1_3: return QStringLiteral("TLSv1.3");
    default: return QStringLiteral("TLS");
    }
}

} // namespace

HttpsServer::Responder::Responder(HttpsConnection *connection, quint64 requestNumber)
    : m_connection(connection), m_requestNumber(requestNumber)
{}

void HttpsServer::Responder::send(const HttpResponse &response) const
{
    if (m_connection)
        m_connection->respond(m_requestNumber, response);
}

void HttpsServer::Responder::abort() const
{
    if (m_connection)
        m_connection->abortRequest(m_requestNumber);
}

bool HttpsServer::Responder::isConnected() const
{
    return !m_connection.isNull();
}

Result<QSslConfiguration> HttpsServer::tlsConfiguration(const crypto::Certificate &certificate,
                                                        const crypto::PrivateKey &key,
                                                        const QList<crypto::Certificate> &clientCas,
                                                        const QList<crypto::Certificate> &chain,
                                                        QSsl::SslProtocol protocol)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(QSslCertificate(certificate.toDer(), QSsl::Der));
    if (!chain.isEmpty()) {
        QList<QSslCertificate> local{QSslCertificate(certificate.toDer(), QSsl::Der)};
        for (const crypto::Certificate &c : chain)
            local.append(QSslCertificate(c.toDer(), QSsl::Der));
        tls.setLocalCertificateChain(local);
    }
    auto keyDer = key.toPkcs8Der();
    if (!keyDer)
        return fail(keyDer.error());
    const QSsl::KeyAlgorithm algorithm = key.algorithmName().startsWith(QStringLiteral("RSA")) ? QSsl::Rsa : QSsl::Ec;
    QSslKey sslKey(keyDer->view().toByteArray(), algorithm, QSsl::Der, QSsl::PrivateKey);
    if (sslKey.isNull())
        return fail(ErrorCode::Tls,
                    QStringLiteral("the TLS stack cannot use the server key (%1)").arg(key.algorithmName()), {},
                    QStringLiteral("use an RSA or EC key for the TLS server"));
    tls.setPrivateKey(sslKey);
    QList<QSslCertificate> cas;
    for (const crypto::Certificate &c : clientCas)
        cas.append(QSslCertificate(c.toDer(), QSsl::Der));
    tls.setCaCertificates(cas);
    tls.setPeerVerifyMode(QSslSocket::QueryPeer);
    tls.setProtocol(protocol);
    return tls;
}

HttpsServer::HttpsServer(Options options, Handler handler, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_handler(std::move(handler))
{}

HttpsServer::~HttpsServer()
{
    close();
}

Result<void> HttpsServer::listen(const QHostAddress &address, quint16 port)
{
    if (!QSslSocket::supportsSsl())
        return fail(ErrorCode::Tls, QStringLiteral("TLS is not available"), QSslSocket::sslLibraryVersionString(),
                    QStringLiteral("install OpenSSL 3 (libssl3)"));
    close();
    m_server = new QSslServer(this);
    m_server->setSslConfiguration(m_options.tls);
    m_server->setHandshakeTimeout(m_options.handshakeTimeoutMs);
    m_server->setMaxPendingConnections(m_options.maxConnections);
    connect(m_server, &QSslServer::pendingConnectionAvailable, this, &HttpsServer::onPendingConnection);
    connect(m_server, &QSslServer::startedEncryptionHandshake, this, [this] { m_stats.connectionsAccepted++; });
    connect(m_server, &QSslServer::errorOccurred, this, [this](QSslSocket *socket, QAbstractSocket::SocketError) {
        if (socket && !socket->isEncrypted()) {
            m_stats.handshakesFailed++;
            Q_EMIT handshakeFailed(socket->errorString());
        }
    });
    connect(m_server, &QSslServer::handshakeInterruptedOnError, this, [this](QSslSocket *, const QSslError &e) {
        qCDebug(lcHttpServer) << "handshake interrupted:" << e.errorString();
    });
    if (!m_server->listen(address, port)) {
        const QString reason = m_server->errorString();
        delete m_server;
        m_server = nullptr;
        return fail(ErrorCode::Network, QStringLiteral("cannot listen on %1:%2").arg(address.toString()).arg(port),
                    reason, QStringLiteral("choose a free port or stop the process that uses it"));
    }
    return {};
}

quint16 HttpsServer::serverPort() const
{
    return m_server ? m_server->serverPort() : 0;
}

QHostAddress HttpsServer::serverAddress() const
{
    return m_server ? m_server->serverAddress() : QHostAddress();
}

void HttpsServer::close()
{
    if (m_server) {
        m_server->close();
        m_server->deleteLater();
        m_server = nullptr;
    }
    const auto connections = findChildren<HttpsConnection *>(Qt::FindDirectChildrenOnly);
    for (HttpsConnection *c : connections) {
        c->disconnect(this);
        c->closeNow();
        c->deleteLater();
    }
    m_stats.openConnections = 0;
}

void HttpsServer::onPendingConnection()
{
    while (m_server && m_server->hasPendingConnections()) {
        auto *socket = qobject_cast<QSslSocket *>(m_server->nextPendingConnection());
        if (!socket)
            continue;
        m_stats.handshakesCompleted++;
        if (m_stats.openConnections >= m_options.maxConnections) {
            socket->write(HttpResponse::text(503, "too many connections").serialize());
            socket->disconnectFromHost();
            connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
            continue;
        }
        Peer peer;
        peer.connectionId = m_nextConnectionId++;
        peer.address = socket->peerAddress();
        peer.port = socket->peerPort();
        for (const QSslCertificate &c : socket->peerCertificateChain())
            peer.certificateChainDer.append(c.toDer());
        if (peer.certificateChainDer.isEmpty() && !socket->peerCertificate().isNull())
            peer.certificateChainDer.append(socket->peerCertificate().toDer());
        peer.tlsProtocol = protocolName(socket->sessionProtocol());
        auto *connection = new HttpsConnection(this, socket, peer, m_options);
        m_stats.openConnections++;
        connect(
            connection, &HttpsConnection::finished, this,
            [this, connection] {
                m_stats.openConnections = qMax(0, m_stats.openConnections - 1);
                connection->deleteLater();
            },
            Qt::SingleShotConnection);
        Q_EMIT handshakeCompleted(peer.connectionId);
    }
}

void HttpsServer::dispatch(HttpsConnection *connection, const HttpRequest &request, quint64 requestNumber)
{
    m_stats.requests++;
    m_handler(request, connection->peer(), Responder(connection, requestNumber));
}

void HttpsServer::noteServed(int status, const HttpRequest &request)
{
    Q_EMIT requestServed(status, request.method, request.path);
}

void HttpsServer::noteBuffered(qint64 inputBytes, qint64 outputBytes)
{
    m_stats.peakInputBytes = qMax(m_stats.peakInputBytes, inputBytes);
    m_stats.peakQueuedOutputBytes = qMax(m_stats.peakQueuedOutputBytes, outputBytes);
}

} // namespace station::est
