#include "MisbehavingEstServer.h"

#include "est/HttpRequestParser.h"

#include "crypto/CertificateIssuer.h"
#include "crypto/Encoding.h"

#include <openssl/evp.h>

#include <QSslKey>
#include <QSslSocket>
#include <QTimer>

namespace station::test {

using namespace station::crypto;

struct MisbehavingEstServer::Connection {
    QPointer<QSslSocket> socket;
    est::HttpRequestParser parser;
    quint64 id = 0;
};

ScriptedAnswer ScriptedAnswer::respond(int status, QByteArray contentType, QByteArray body, est::HttpHeaders extra)
{
    ScriptedAnswer a;
    a.status = status;
    if (!contentType.isEmpty())
        a.headers.append({"Content-Type", contentType});
    a.headers += extra;
    a.body = std::move(body);
    return a;
}

ScriptedAnswer ScriptedAnswer::of(Action action)
{
    ScriptedAnswer a;
    a.action = action;
    return a;
}

MisbehavingEstServer::MisbehavingEstServer(QObject *parent) : QObject(parent)
{
    connect(&m_server, &QSslServer::pendingConnectionAvailable, this, &MisbehavingEstServer::onNewConnection);
    // Client certificates are requested, never required, and not judged at the TLS level.
    connect(&m_server, &QSslServer::sslErrors, this,
            [](QSslSocket *socket, const QList<QSslError> &) { socket->ignoreSslErrors(); });
}

MisbehavingEstServer::~MisbehavingEstServer() = default;

Result<void> MisbehavingEstServer::start(quint16 port)
{
    auto pki = TestPki::create(QStringLiteral("Misbehaving Test CA"));
    if (!pki)
        return fail(pki.error());
    m_pki = std::make_unique<TestPki>(*pki);
    auto identity = m_pki->serverIdentity();
    if (!identity)
        return fail(identity.error());
    m_identity = *identity;
    reconfigure();
    if (!m_server.listen(QHostAddress::LocalHost, port))
        return fail(ErrorCode::Network, QStringLiteral("test server cannot listen"), m_server.errorString());
    return {};
}

void MisbehavingEstServer::setServerIdentity(const TestPki::Identity &identity)
{
    m_identity = identity;
    reconfigure();
}

void MisbehavingEstServer::reconfigure()
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(QSslCertificate(m_identity.certificate.toDer(), QSsl::Der));
    EVP_PKEY *pkey = m_identity.key.native();
    EVP_PKEY_up_ref(pkey);
    tls.setPrivateKey(QSslKey(reinterpret_cast<Qt::HANDLE>(pkey), QSsl::PrivateKey));
    tls.setPeerVerifyMode(QSslSocket::QueryPeer);
    tls.setCaCertificates({QSslCertificate(m_pki->caCertificate().toDer(), QSsl::Der)});
    tls.setProtocol(m_protocol);
    m_server.setSslConfiguration(tls);
}

void MisbehavingEstServer::setTlsProtocol(QSsl::SslProtocol protocol)
{
    m_protocol = protocol;
    reconfigure();
}

quint16 MisbehavingEstServer::port() const
{
    return m_server.serverPort();
}

QUrl MisbehavingEstServer::baseUrl(const QString &label) const
{
    QString url = QStringLiteral("https://127.0.0.1:%1/.well-known/est").arg(port());
    if (!label.isEmpty())
        url += QLatin1Char('/') + label;
    return QUrl(url);
}

void MisbehavingEstServer::enqueue(const QString &operation, const ScriptedAnswer &answer)
{
    m_scripts[operation].enqueue(answer);
}

int MisbehavingEstServer::count(const QByteArray &method, const QString &operation) const
{
    const QByteArray suffix = '/' + operation.toLatin1();
    int n = 0;
    for (const Received &r : m_received)
        n += r.request.method == method && r.request.path.endsWith(suffix) ? 1 : 0;
    return n;
}

int MisbehavingEstServer::requestLinesSeen(const QByteArray &method, const QString &operation) const
{
    const QByteArray needle = '/' + operation.toLatin1() + " HTTP/1.";
    int n = 0;
    for (qsizetype at = m_wire.indexOf(needle); at >= 0; at = m_wire.indexOf(needle, at + 1)) {
        const qsizetype lineStart = m_wire.lastIndexOf('\n', at) + 1;
        n += m_wire.mid(lineStart, at - lineStart).startsWith(method + ' ') ? 1 : 0;
    }
    return n;
}

void MisbehavingEstServer::onNewConnection()
{
    while (QTcpSocket *tcp = m_server.nextPendingConnection()) {
        auto *socket = qobject_cast<QSslSocket *>(tcp);
        if (!socket) {
            tcp->deleteLater();
            continue;
        }
        ++m_connections;
        auto conn = std::make_shared<Connection>();
        conn->socket = socket;
        conn->id = m_nextConnection++;
        // QSslServer may hand the socket over only after the handshake.
        if (socket->isEncrypted())
            ++m_handshakes;
        else
            connect(socket, &QSslSocket::encrypted, this, [this] { ++m_handshakes; });
        connect(socket, &QSslSocket::readyRead, this, [this, conn] { onReadyRead(conn.get()); });
        connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
        if (socket->bytesAvailable() > 0)
            onReadyRead(conn.get());
    }
}

void MisbehavingEstServer::onReadyRead(Connection *c)
{
    if (!c->socket)
        return;
    const QByteArray data = c->socket->readAll();
    m_wire += data;
    auto state = c->parser.feed(data);
    while (state == est::HttpRequestParser::State::Complete) {
        est::HttpRequest request = c->parser.takeRequest();
        const QString op = QString::fromLatin1(request.path.mid(request.path.lastIndexOf('/') + 1));
        m_received.append({request, c->socket->peerCertificateChain(), c->id});
        emit requestReceived(op);
        ScriptedAnswer answer;
        if (m_scripts.contains(op) && !m_scripts[op].isEmpty())
            answer = m_scripts[op].dequeue();
        else if (m_handler)
            answer = m_handler(request);
        else
            answer = defaultAnswer(request);
        act(c, answer, request.keepAlive());
        if (!c->socket || answer.action != ScriptedAnswer::Action::Respond)
            return;
        state = c->parser.parse();
    }
    if (state == est::HttpRequestParser::State::Error && c->socket) {
        est::HttpResponse r = est::HttpResponse::text(c->parser.errorStatus(), c->parser.errorMessage());
        c->socket->write(r.serialize());
        c->socket->disconnectFromHost();
    }
}

void MisbehavingEstServer::act(Connection *c, const ScriptedAnswer &answer, bool keepAlive)
{
    QSslSocket *socket = c->socket;
    est::HttpResponse response;
    response.status = answer.status;
    response.headers = answer.headers;
    response.body = answer.body;
    if (!keepAlive)
        response.setHeader("Connection", "close");
    const QByteArray wire = response.serialize();
    switch (answer.action) {
    case ScriptedAnswer::Action::Respond:
        socket->write(wire);
        if (!keepAlive)
            socket->disconnectFromHost();
        return;
    case ScriptedAnswer::Action::Drop: socket->abort(); return;
    case ScriptedAnswer::Action::Close: socket->disconnectFromHost(); return;
    case ScriptedAnswer::Action::Stall: return;
    case ScriptedAnswer::Action::Truncate: {
        const qsizetype headerLength = wire.size() - answer.body.size();
        socket->write(wire.left(headerLength + answer.truncateAt));
        socket->disconnectFromHost();
        return;
    }
    case ScriptedAnswer::Action::Slow: {
        auto *timer = new QTimer(socket);
        auto offset = std::make_shared<qsizetype>(0);
        connect(timer, &QTimer::timeout, socket, [socket, timer, wire, offset, chunk = answer.slowChunk] {
            socket->write(wire.mid(*offset, chunk));
            *offset += chunk;
            if (*offset >= wire.size())
                timer->stop();
        });
        timer->start(answer.slowIntervalMs);
        return;
    }
    }
}

ScriptedAnswer MisbehavingEstServer::defaultAnswer(const est::HttpRequest &request) const
{
    const QByteArray op = request.path.mid(request.path.lastIndexOf('/') + 1);
    const QByteArray pkcs7 = "application/pkcs7-mime; smime-type=certs-only";
    const est::HttpHeaders b64{{"Content-Transfer-Encoding", "base64"}};
    if (op == "cacerts")
        return ScriptedAnswer::respond(200, pkcs7, TestPki::certsOnlyBase64({m_pki->caCertificate()}), b64);
    if (op == "csrattrs")
        return ScriptedAnswer::respond(404, "text/plain", "404 page not found\n");
    if (op == "simpleenroll" || op == "simplereenroll" || op == "serverkeygen") {
        auto der = Encoding::decodeBase64(request.body);
        if (!der)
            return ScriptedAnswer::respond(400, "application/json",
                                           "{\"err\":\"body payload must be base64 encoded\"}");
        auto csr = CertificateRequest::fromDer(*der);
        if (!csr)
            return ScriptedAnswer::respond(400, "application/json", "{\"err\":\"invalid CSR\"}");
        if (op != "serverkeygen") {
            auto cert = m_pki->issueForCsr(*csr);
            if (!cert)
                return ScriptedAnswer::respond(500, "application/json", "{\"err\":\"issue failed\"}");
            return ScriptedAnswer::respond(200, pkcs7, TestPki::certsOnlyBase64({*cert}), b64);
        }
        auto key = PrivateKey::generate(KeyType::EcP256);
        if (!key)
            return ScriptedAnswer::respond(500, "application/json", "{\"err\":\"keygen failed\"}");
        auto cert = m_pki->issue(*key, csr->subject().commonName());
        auto pkcs8 = key->toPkcs8Der();
        if (!cert || !pkcs8)
            return ScriptedAnswer::respond(500, "application/json", "{\"err\":\"issue failed\"}");
        const QByteArray body = "--estServerLamassuBoundary\r\nContent-Type: application/pkcs8\r\n"
                                "Content-Transfer-Encoding: base64\r\n\r\n" +
                                pkcs8->view().toByteArray().toBase64() +
                                "\r\n--estServerLamassuBoundary\r\nContent-Type: application/pkcs7-mime; "
                                "smime-type=certs-only\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                                TestPki::certsOnlyBase64({*cert}, false) + "\r\n--estServerLamassuBoundary--\r\n";
        return ScriptedAnswer::respond(200, "multipart/mixed; boundary=estServerLamassuBoundary", body, b64);
    }
    return ScriptedAnswer::respond(404, "text/plain", "404 page not found\n");
}

} // namespace station::test
