#include "LabEstServer.h"

#include "crypto/ThreadState.h"

#include "MultipartWriter.h"
#include "crypto/Encoding.h"
#include "crypto/Pkcs7.h"
#include "crypto/SecretBytes.h"

#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QtConcurrent/QtConcurrentRun>

#include <openssl/crypto.h>

#include <algorithm>

Q_LOGGING_CATEGORY(lcLabEst, "station.est.labserver")

namespace station::est {

using namespace station::crypto;

namespace {

const QByteArray kWellKnown = "/.well-known/est/";
const QByteArray kPkcs7Type = "application/pkcs7-mime; smime-type=certs-only";
const QByteArray kBoundary = "estLabServerBoundary";

bool isEnrollment(const QString &op)
{
    return op == QLatin1String("simpleenroll") || op == QLatin1String("simplereenroll") ||
           op == QLatin1String("serverkeygen");
}

bool isKnownOperation(const QString &op)
{
    return isEnrollment(op) || op == QLatin1String("cacerts") || op == QLatin1String("csrattrs");
}

HttpResponse base64Response(const QByteArray &contentType, const QByteArray &der)
{
    // 64-column LF lines: what `base64 -d`, libest and every RFC 8951 client accept.
    HttpResponse response(200, contentType, Encoding::encodeBase64(der, 64, false));
    response.setHeader("Content-Transfer-Encoding", "base64");
    return response;
}

HttpResponse unauthorized(const QByteArray &message, bool basic)
{
    HttpResponse response = HttpResponse::text(401, message);
    if (basic)
        response.setHeader("WWW-Authenticate", "Basic realm=\"EST lab\", charset=\"UTF-8\"");
    return response;
}

/// Same set of names, whatever the order.
bool sameNames(QList<SubjectAltName> a, QList<SubjectAltName> b)
{
    auto key = [](const SubjectAltName &n) { return n.toString(); };
    auto less = [&](const SubjectAltName &x, const SubjectAltName &y) { return key(x) < key(y); };
    std::sort(a.begin(), a.end(), less);
    std::sort(b.begin(), b.end(), less);
    return a == b;
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    return a.size() == b.size() && CRYPTO_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

} // namespace

Result<LabEstServer::AuthMode> LabEstServer::parseAuthMode(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("mtls"))
        return AuthMode::MutualTls;
    if (t == QLatin1String("basic"))
        return AuthMode::Basic;
    if (t == QLatin1String("none"))
        return AuthMode::None;
    return fail(ErrorCode::InvalidArgument, QStringLiteral("unknown authentication mode '%1'").arg(text), {},
                QStringLiteral("use one of mtls, basic, none"));
}

CsrAttributes LabEstServer::defaultCsrAttributes()
{
    CsrAttributes attrs;
    attrs.addOid(QStringLiteral("1.2.840.10045.4.3.2"));               // ecdsa-with-SHA256
    attrs.addAttribute(QStringLiteral("1.2.840.10045.2.1"),            // id-ecPublicKey
                       {QByteArray::fromHex("06082a8648ce3d030107")}); //   { prime256v1 }
    return attrs;
}

LabEstServer::LabEstServer(LabCa ca, Options options, QObject *parent)
    : QObject(parent), m_ca(std::move(ca)), m_options(std::move(options)),
      m_deferred(qMax(1, m_options.maxDeferredCsrs))
{
    m_options.maxConcurrentKeyGenerations = qMax(1, m_options.maxConcurrentKeyGenerations);
    m_keygenPool.setMaxThreadCount(m_options.maxConcurrentKeyGenerations);
    if (!m_options.keyGenerator)
        m_options.keyGenerator = [](KeyType type) { return PrivateKey::generate(type); };
}

LabEstServer::~LabEstServer() = default;

Result<void> LabEstServer::listen(const QHostAddress &address, quint16 port)
{
    auto tls = HttpsServer::tlsConfiguration(m_ca.serverCertificate(), m_ca.serverKey(), {m_ca.caCertificate()});
    if (!tls)
        return fail(tls.error());
    HttpsServer::Options opts;
    // Asks for a client certificate, never requires it at TLS level: the EST layer answers 401 with a reason.
    opts.tls = *tls;
    opts.idleTimeoutMs = m_options.idleTimeoutMs;
    opts.requestDeadlineMs = m_options.requestDeadlineMs;
    opts.limits = m_options.requestLimits;
    opts.socketReadBufferBytes = m_options.socketReadBufferBytes;
    opts.maxQueuedOutputBytes = m_options.maxQueuedOutputBytes;

    delete m_server;
    m_server = new HttpsServer(
        opts,
        [this](const HttpRequest &request, const HttpsServer::Peer &peer, const HttpsServer::Responder &responder) {
            handle(request, peer, responder);
        },
        this);
    connect(m_server, &HttpsServer::handshakeFailed, this, [this](const QString &reason) {
        Q_EMIT requestLogged(QStringLiteral("TLS handshake failed: %1").arg(reason));
    });
    return m_server->listen(address, port);
}

QUrl LabEstServer::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    QHostAddress address = m_server ? m_server->serverAddress() : QHostAddress(QHostAddress::LocalHost);
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv4)
        address = QHostAddress::LocalHost;
    else if (address == QHostAddress::AnyIPv6)
        address = QHostAddress::LocalHostIPv6;
    url.setHost(address.toString());
    url.setPort(m_server ? m_server->serverPort() : 0);
    url.setPath(QStringLiteral("/.well-known/est"));
    return url;
}

HttpsServer::Stats LabEstServer::stats() const
{
    return m_server ? m_server->stats() : HttpsServer::Stats{};
}

LabEstServer::EstStats LabEstServer::estStats() const
{
    EstStats stats = m_estStats;
    stats.deferredCsrs = m_deferred.size();
    return stats;
}

void LabEstServer::close()
{
    if (m_server)
        m_server->close();
}

void LabEstServer::handle(const HttpRequest &request, const HttpsServer::Peer &peer,
                          const HttpsServer::Responder &responder)
{
    // Answer through a wrapper that writes one access-log line per request.
    const QString who = QStringLiteral("%1:%2").arg(peer.address.toString()).arg(peer.port);
    const QString line =
        QStringLiteral("%1 %2 %3")
            .arg(who, QString::fromLatin1(request.method), QString::fromLatin1(request.path.left(200)));
    auto answer = [this, responder, line](const HttpResponse &response) {
        Q_EMIT requestLogged(QStringLiteral("%1 -> %2").arg(line).arg(response.status));
        responder.send(response);
    };

    if (!request.path.startsWith(kWellKnown)) {
        answer(HttpResponse::text(404, "not an EST path: expected /.well-known/est/[<label>/]<operation>"));
        return;
    }
    QList<QByteArray> segments = request.path.mid(kWellKnown.size()).split('/');
    while (!segments.isEmpty() && segments.last().isEmpty())
        segments.removeLast();
    if (segments.isEmpty()) {
        answer(HttpResponse::text(404, "no EST operation in the path"));
        return;
    }
    const QString operation = QString::fromLatin1(segments.takeLast());
    const QString label = QString::fromUtf8(QByteArray::fromPercentEncoding(segments.join('/')));
    if (!isKnownOperation(operation)) {
        answer(HttpResponse::text(404, "unknown EST operation '" + operation.left(64).toUtf8() + "'"));
        return;
    }
    if (!m_options.labels.isEmpty() && !m_options.labels.contains(label)) {
        answer(HttpResponse::text(404, "unknown EST label '" + label.left(64).toUtf8() + "'"));
        return;
    }

    const bool isGet = operation == QLatin1String("cacerts") || operation == QLatin1String("csrattrs");
    const QByteArray expectedMethod = isGet ? "GET" : "POST";
    if (request.method != expectedMethod && !(isGet && request.method == "HEAD")) {
        HttpResponse response = HttpResponse::text(405, operation.toLatin1() + " needs " + expectedMethod);
        response.setHeader("Allow", expectedMethod);
        answer(response);
        return;
    }

    if (operation == QLatin1String("cacerts")) {
        auto der = Pkcs7::buildCertsOnly({m_ca.caCertificate()});
        answer(der ? base64Response(kPkcs7Type, *der) : HttpResponse::text(500, "cannot build the CA answer"));
        return;
    }
    if (operation == QLatin1String("csrattrs")) {
        if (!m_options.csrAttributes || m_options.csrAttributes->isEmpty()) {
            answer(HttpResponse(204, {}, {}));
            return;
        }
        answer(base64Response("application/csrattrs", m_options.csrAttributes->toDer()));
        return;
    }
    enroll(operation, request, peer, answer);
}

Result<Certificate> LabEstServer::verifiedClient(const HttpsServer::Peer &peer) const
{
    if (peer.certificateChainDer.isEmpty())
        return fail(ErrorCode::Authentication, QStringLiteral("no client certificate"));
    // A connection presents its chain once, in its handshake: parse and verify it once per connection (for
    // a minute at most, so a certificate that expires meanwhile is noticed), not on every request.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (const auto it = m_verifiedClients.constFind(peer.connectionId);
        it != m_verifiedClients.cend() && it->chainDer == peer.certificateChainDer && it->at.secsTo(now) < 60)
        return it->verdict;
    QList<Certificate> chain;
    for (const QByteArray &der : peer.certificateChainDer) {
        if (auto cert = Certificate::fromDer(der))
            chain.append(*cert);
    }
    Result<Certificate> verdict = chain.isEmpty()
                                      ? fail(ErrorCode::Authentication, QStringLiteral("no client certificate"))
                                      : m_ca.verifyClient(chain);
    if (m_verifiedClients.size() >= kVerifiedClientsKept)
        m_verifiedClients.clear(); // bounded; a cleared connection just verifies again
    m_verifiedClients.insert(peer.connectionId, VerifiedClient{peer.certificateChainDer, now, verdict});
    return verdict;
}

std::optional<HttpResponse> LabEstServer::checkAuth(const QString &operation, const HttpRequest &request,
                                                    const HttpsServer::Peer &peer, Certificate *clientCert,
                                                    bool *ownIdentityOnly) const
{
    const Result<Certificate> verified = verifiedClient(peer);
    if (verified && clientCert)
        *clientCert = *verified;

    // Authorization: a unit's own certificate (what issue() hands out) only renews its own identity -
    // simplereenroll, or serverkeygen (the seed guide renews that way), with the subject and subjectAltName
    // that enroll() then checks against the certificate. Enrolling any other subject under mTLS takes the
    // enrollment credential (the bootstrap certificate, marked with LabCa::kEnrollmentPolicyOid).
    if (operation == QLatin1String("simplereenroll")) {
        if (!verified)
            return unauthorized("simplereenroll requires the current certificate as the TLS client certificate: " +
                                    verified.error().message.toUtf8(),
                                false);
        if (auto usable = LabCa::checkClientUsage(*verified); !usable)
            return HttpResponse::text(403, usable.error().message.toUtf8());
        return std::nullopt;
    }
    switch (m_options.auth) {
    case AuthMode::None: return std::nullopt;
    case AuthMode::MutualTls:
        if (!verified)
            return unauthorized("client certificate required: " + verified.error().message.toUtf8(), false);
        if (auto usable = LabCa::checkClientUsage(*verified); !usable)
            return HttpResponse::text(403, usable.error().message.toUtf8());
        if (LabCa::isEnrollmentCredential(*verified))
            return std::nullopt;
        if (operation == QLatin1String("serverkeygen") && ownIdentityOnly) {
            *ownIdentityOnly = true;
            return std::nullopt;
        }
        return HttpResponse::text(403, operation.toLatin1() +
                                           " needs the bootstrap credential; the client certificate (" +
                                           verified->subject().toString().toUtf8() +
                                           ") is a unit certificate, which may only renew its own identity");
    case AuthMode::Basic: {
        const QByteArray authorization = request.header("Authorization");
        if (!authorization.startsWith("Basic "))
            return unauthorized("HTTP basic authentication required", true);
        const QByteArray decoded = QByteArray::fromBase64(authorization.mid(6).trimmed());
        const QByteArray expected = m_options.user.toUtf8() + ':' + m_options.password.toUtf8();
        if (!constantTimeEquals(decoded, expected))
            return unauthorized("wrong user name or password", true);
        return std::nullopt;
    }
    }
    return std::nullopt;
}

bool LabEstServer::shouldDefer(const CertificateRequest &csr)
{
    if (m_options.retryAfterSeconds <= 0)
        return false;
    const QByteArray id = Encoding::sha256(csr.toDer());
    if (m_deferred.remove(id))
        return false;
    m_deferred.insert(id); // bounded: a client inventing CSRs only pushes out the oldest ones
    return true;
}

void LabEstServer::enroll(const QString &operation, const HttpRequest &request, const HttpsServer::Peer &peer,
                          const Answer &answer)
{
    Certificate clientCert;
    bool ownIdentityOnly = false;
    if (auto denied = checkAuth(operation, request, peer, &clientCert, &ownIdentityOnly)) {
        answer(*denied);
        return;
    }
    const QByteArray type = mediaType(request.header("Content-Type"));
    if (type != "application/pkcs10") {
        answer(HttpResponse::text(400, "Content-Type must be application/pkcs10 (got '" + type.left(64) + "')"));
        return;
    }
    const QByteArray body = request.body.trimmed();
    if (body.isEmpty()) {
        answer(HttpResponse::text(400, "empty body: send the DER CSR as base64"));
        return;
    }
    if (body.startsWith("-----BEGIN")) {
        answer(HttpResponse::text(400, "body payload must be base64 encoded DER, not PEM "
                                       "(send: openssl req -outform DER | base64)"));
        return;
    }
    if (static_cast<unsigned char>(body.at(0)) == 0x30 && Encoding::isSingleDerObject(body)) {
        answer(HttpResponse::text(400, "body payload must be base64 encoded, not raw DER"));
        return;
    }
    auto der = Encoding::decodeBase64(body);
    if (!der) {
        answer(HttpResponse::text(400, "body payload must be base64 encoded: " + der.error().message.toUtf8()));
        return;
    }
    auto csr = CertificateRequest::fromDer(*der);
    if (!csr) {
        answer(HttpResponse::text(400, "unparsable CSR: " + csr.error().message.toUtf8()));
        return;
    }
    if (auto verified = csr->verifySignature(); !verified) {
        answer(HttpResponse::text(400, "invalid CSR signature"));
        return;
    }
    if (operation == QLatin1String("simplereenroll")) {
        // RFC 7030 §4.2.2: subject and subjectAltName must be those of the certificate being renewed.
        if (!(csr->subject() == clientCert.subject())) {
            answer(HttpResponse::text(400, "simplereenroll: the CSR subject (" + csr->subject().toString().toUtf8() +
                                               ") must equal the current certificate's subject (" +
                                               clientCert.subject().toString().toUtf8() + ")"));
            return;
        }
        if (!sameNames(csr->subjectAltNames(), clientCert.subjectAltNames())) {
            answer(HttpResponse::text(400, "simplereenroll: the CSR subjectAltName must equal the current "
                                           "certificate's subjectAltName"));
            return;
        }
    }
    if (ownIdentityOnly && (!(csr->subject() == clientCert.subject()) ||
                            !sameNames(csr->subjectAltNames(), clientCert.subjectAltNames()))) {
        answer(HttpResponse::text(403, operation.toUtf8() +
                                           " for another identity needs the bootstrap credential; "
                                           "the unit certificate (" +
                                           clientCert.subject().toString().toUtf8() +
                                           ") may only renew its own subject and subjectAltName"));
        return;
    }
    if (shouldDefer(*csr)) {
        HttpResponse response = HttpResponse::text(202, "request accepted, pending approval");
        response.setHeader("Retry-After", QByteArray::number(m_options.retryAfterSeconds));
        answer(response);
        return;
    }
    if (operation == QLatin1String("serverkeygen")) {
        serverKeygen(*csr, answer);
        return;
    }
    auto cert = m_ca.issue(*csr);
    if (!cert) {
        answer(HttpResponse::text(400, "cannot issue: " + cert.error().message.toUtf8()));
        return;
    }
    Q_EMIT certificateIssued(operation, cert->subject().toString(), cert->serialHex());
    auto p7 = Pkcs7::buildCertsOnly({*cert});
    answer(p7 ? base64Response(kPkcs7Type, *p7) : HttpResponse::text(500, "cannot build the PKCS#7 answer"));
}

void LabEstServer::serverKeygen(const CertificateRequest &csr, const Answer &answer)
{
    // The key type follows the CSR's key (RFC 7030 §4.4.1); key generation (RSA takes a while) runs on the
    // thread pool so the server keeps serving other connections meanwhile.
    // At most maxConcurrentKeyGenerations run at once; beyond that the client is told to come back rather
    // than queued, so a flood of requests cannot pile up work (and connections) without bound.
    if (m_estStats.keyGenerationsRunning >= m_options.maxConcurrentKeyGenerations) {
        m_estStats.keyGenerationsRefused++;
        HttpResponse response = HttpResponse::text(
            503, "server key generation busy (" + QByteArray::number(m_estStats.keyGenerationsRunning) +
                     " running): retry after " + QByteArray::number(m_options.busyRetryAfterSeconds) + " s");
        response.setHeader("Retry-After", QByteArray::number(m_options.busyRetryAfterSeconds));
        answer(response);
        return;
    }
    const KeyType type = csr.publicKey().keyType().value_or(KeyType::EcP256);
    m_estStats.keyGenerationsRunning++;
    m_estStats.peakKeyGenerationsRunning = qMax(m_estStats.peakKeyGenerationsRunning, m_estStats.keyGenerationsRunning);
    auto *watcher = new QFutureWatcher<Result<PrivateKey>>(this);
    connect(watcher, &QFutureWatcher<Result<PrivateKey>>::finished, this, [this, watcher, csr, answer] {
        watcher->deleteLater();
        m_estStats.keyGenerationsRunning--;
        Result<PrivateKey> key = watcher->result();
        if (!key) {
            answer(HttpResponse::text(500, "server key generation failed"));
            return;
        }
        auto cert = m_ca.issue(csr, &*key);
        auto p7 = cert ? Pkcs7::buildCertsOnly({*cert}) : Result<QByteArray>(fail(cert.error()));
        auto pkcs8 = key->toPkcs8Der();
        if (!cert || !p7 || !pkcs8) {
            answer(HttpResponse::text(500, "cannot build the serverkeygen answer"));
            return;
        }
        Q_EMIT certificateIssued(QStringLiteral("serverkeygen"), cert->subject().toString(), cert->serialHex());
        MultipartWriter writer(kBoundary);
        QByteArray keyBase64 = Encoding::encodeBase64(pkcs8->view(), 64, true);
        writer.addPart({{"Content-Type", "application/pkcs8"}, {"Content-Transfer-Encoding", "base64"}}, keyBase64);
        wipe(keyBase64);
        writer.addPart({{"Content-Type", kPkcs7Type}, {"Content-Transfer-Encoding", "base64"}},
                       Encoding::encodeBase64(*p7, 64, true));
        HttpResponse response(200, writer.contentType(), writer.finish());
        answer(response);
        wipe(response.body);
    });
    watcher->setFuture(QtConcurrent::run(&m_keygenPool, [generate = m_options.keyGenerator, type] {
        const crypto::ThreadStateRelease release;
        return generate(type);
    }));
}

} // namespace station::est
