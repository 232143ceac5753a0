#include "EstReply.h"

#include "EstClient.h"
#include "EstClientLogging.h"
#include "EstResponseDecoder.h"
#include "IssuedCertificateVerifier.h"
#include "MultipartParser.h"
#include "OnceOnlyBody.h"
#include "RetryAfter.h"

#include "crypto/CertificateRequest.h"
#include "crypto/Encoding.h"

#include <QNetworkAccessManager>
#include <QSslCipher>
#include <QSslConfiguration>

#include <algorithm>

namespace station::est {

namespace {

/// Trust errors a bootstrap may skip: the chain cannot be checked because no anchor exists yet. The host
/// name and validity period are still enforced.
bool bootstrapMaySkip(QSslError::SslError e)
{
    switch (e) {
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::CertificateUntrusted: return true;
    default: return false;
    }
}

/// A 200 whose body is not what the operation returns: some servers (and proxies, captive portals) answer
/// errors with 200 and a text or HTML page; say what they said.
Error undecodable(const Error &decodeError, const QByteArray &body, const QByteArray &contentType)
{
    Error e = decodeError;
    e.message =
        QStringLiteral("The EST server answered 200 OK, but not with what was asked for: ") + decodeError.message;
    const QString said = EstErrorClassifier::serverText(body, contentType);
    QStringList detail;
    if (!contentType.isEmpty())
        detail << QStringLiteral("Content-Type: %1").arg(QString::fromLatin1(contentType));
    if (!said.isEmpty())
        detail << QStringLiteral("body: %1").arg(said);
    if (!decodeError.detail.isEmpty())
        detail << decodeError.detail;
    e.detail = detail.join(QStringLiteral("; "));
    e.remedy = QStringLiteral("Check that the URL points at the EST endpoint (not a proxy or login page); run with "
                              "--verbose to see the answer");
    e.httpStatus = 200;
    return e;
}

bool isTransportError(QNetworkReply::NetworkError e)
{
    // 1-99 connection, 101-199 proxy; ContentReSendError: Qt wanted to send the request again (the
    // connection failed) and the once-only body refused.
    return (e != QNetworkReply::NoError && int(e) < 200) || e == QNetworkReply::ContentReSendError;
}

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

QString printable(const QByteArray &body)
{
    constexpr int kMax = 4096;
    for (char c : body.left(kMax)) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\n' && c != '\r' && c != '\t')
            return QStringLiteral("[%1 bytes of binary data]").arg(body.size());
    }
    QString text = QString::fromUtf8(body.left(kMax));
    if (body.size() > kMax)
        text += QStringLiteral("\n[... %1 more bytes]").arg(body.size() - kMax);
    return text;
}

} // namespace

EstReply::EstReply(EstClient *client, EstOperation op, QByteArray csrDer, QByteArray csrPublicKeyDer,
                   QString csrCommonName, bool bootstrap)
    : QObject(nullptr), m_client(client), m_op(op), m_csrDer(std::move(csrDer)),
      m_csrPublicKeyDer(std::move(csrPublicKeyDer)), m_csrCommonName(std::move(csrCommonName)), m_bootstrap(bootstrap)
{
    m_retryTimer.setSingleShot(true);
    m_exchangeTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &EstReply::send);
    connect(&m_exchangeTimer, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        if (m_reply)
            m_reply->abort();
    });
}

EstReply::~EstReply()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void EstReply::detachFromClient()
{
    m_client = nullptr;
    m_retryTimer.stop();
    m_exchangeTimer.stop();
    if (QNetworkReply *reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_nam = nullptr;
    if (m_finished)
        return;
    // Finish later: the client is in its destructor, and the caller may be the one destroying it.
    QMetaObject::invokeMethod(
        this, [this] { failWith(Error(ErrorCode::Cancelled, QStringLiteral("The EST client was destroyed"))); },
        Qt::QueuedConnection);
}

void EstReply::start()
{
    if (m_started || m_finished)
        return;
    m_started = true;
    if (!m_client) {
        failWith(Error(ErrorCode::Cancelled, QStringLiteral("The EST client was destroyed")));
        return;
    }
    if (auto valid = EstClient::validate(m_client->config()); !valid) {
        failWith(valid.error());
        return;
    }
    if (m_bootstrap)
        m_nam = m_client->createNetworkAccessManager(this); // a connection nobody reuses after the bootstrap
    else
        m_nam = m_client->leastBusyNetworkAccessManager();
    m_deadline = m_client->now().addSecs(m_client->config().retryDeadline.count());

    const bool issues = m_op == EstOperation::SimpleEnroll || m_op == EstOperation::SimpleReenroll ||
                        m_op == EstOperation::ServerKeygen;
    if (!issues) {
        send();
        return;
    }
    // Fetch the CA set first: a certificate that cannot be verified is not worth asking for.
    m_client->withCaCertificates(this, [this](const Result<QList<crypto::Certificate>> &cas) {
        if (m_finished)
            return;
        if (!cas) {
            failWith(cas.error());
            return;
        }
        send();
    });
}

void EstReply::send()
{
    if (m_finished || !m_client || !m_nam)
        return;
    ++m_attempts;
    m_sslErrors.clear();
    m_timedOut = m_tooLarge = false;
    QNetworkRequest request = m_client->buildRequest(m_op, m_bootstrap ? EstClient::ServerCheck::Unverified
                                                                       : EstClient::ServerCheck::Verified);
    QByteArray body;
    if (isPost()) {
        // 64-column lines with LF: some servers (libest) reject one long line, none reject these.
        body = crypto::Encoding::encodeBase64(m_csrDer, 64, false);
        if (!body.endsWith('\n'))
            body += '\n';
        // Sent once: Qt would resend it after a closed connection, and follow a 307/308 with it.
        request.setHeader(QNetworkRequest::ContentLengthHeader, body.size());
        request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        auto *upload = new OnceOnlyBody(body);
        m_reply = m_nam->post(request, upload);
        upload->setParent(m_reply);
        m_upload = upload;
    } else {
        m_reply = m_nam->get(request);
    }
    traceRequest(body);
    qCDebug(lcEstClient) << "sending" << estOperationPath(m_op) << "attempt" << m_attempts << "to"
                         << request.url().toDisplayString();

    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::sslErrors, this, [this, reply](const QList<QSslError> &errors) {
        m_sslErrors = errors;
        // Only the bootstrap skips chain errors, and never for a request that carries credentials.
        if (!m_bootstrap || EstClient::carriesCredentials(reply->request()))
            return;
        QList<QSslError> skippable;
        for (const QSslError &e : errors) {
            if (bootstrapMaySkip(e.error()))
                skippable.append(e);
        }
        if (skippable.size() == errors.size())
            reply->ignoreSslErrors(skippable);
    });
    connect(reply, &QNetworkReply::encrypted, this, [this, reply] {
        if (m_client)
            m_client->noteHandshake();
        const QSslConfiguration s = reply->sslConfiguration();
        qCDebug(lcEstClient) << "TLS handshake done:" << s.sessionProtocol() << s.sessionCipher().name();
        if (m_client && m_client->config().traceExchanges)
            emit m_client->trace(QStringLiteral("* TLS handshake with %1: %2, peer '%3'")
                                     .arg(reply->url().authority(), s.sessionCipher().protocolString(),
                                          s.peerCertificate().subjectDisplayName()));
    });
    connect(reply, &QNetworkReply::downloadProgress, this, [this, reply](qint64 received, qint64 total) {
        if (!m_client)
            return;
        const qint64 limit = m_client->config().maxResponseBytes;
        if (received > limit || total > limit) {
            m_tooLarge = true;
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::finished, this, &EstReply::onReplyFinished);
    m_exchangeTimer.start(m_client->config().requestTimeout);
}

void EstReply::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_finished)
        return;
    m_exchangeTimer.stop();
    m_reply = nullptr;
    reply->deleteLater();
    reply->disconnect(this);
    // Whether the enrollment may have reached the server: Qt read (some of) its body.
    const bool postWentOut = m_upload && m_upload->wasRead();
    m_upload = nullptr;

    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    m_status = statusAttr.isValid() ? statusAttr.toInt() : 0;
    QByteArray body = reply->readAll();
    const QByteArray contentType = reply->rawHeader("Content-Type");
    const QList<QSslCertificate> peer = reply->sslConfiguration().peerCertificateChain();
    if (!peer.isEmpty())
        m_peerChain = peer;
    if (m_status != 0)
        traceResponse(reply, m_status, body, contentType);

    if (m_cancelled) {
        failWith(
            Error(ErrorCode::Cancelled, QStringLiteral("The %1 request was cancelled").arg(estOperationPath(m_op))));
        return;
    }
    if (m_timedOut && postWentOut) {
        failWith(EstErrorClassifier::outcomeUnknown(QStringLiteral("no complete answer within %1 ms")
                                                        .arg(m_client ? m_client->config().requestTimeout.count() : 0),
                                                    m_status, failureContext()));
        return;
    }
    if (m_timedOut) {
        failWith(EstErrorClassifier::classifyNetwork(QNetworkReply::TimeoutError,
                                                     QStringLiteral("no complete answer within %1 ms")
                                                         .arg(m_client ? m_client->config().requestTimeout.count() : 0),
                                                     {}, failureContext()));
        return;
    }
    if (m_tooLarge) {
        failWith(Error(ErrorCode::Parse, QStringLiteral("The EST server's answer is too large"),
                       QStringLiteral("more than %1 bytes").arg(m_client ? m_client->config().maxResponseBytes : 0),
                       QStringLiteral("Check that the URL points at an EST server")));
        return;
    }
    const QNetworkReply::NetworkError netError = reply->error();
    if (isPost() && isRedirect(m_status)) {
        failWith(EstErrorClassifier::postRedirected(m_status, reply->rawHeader("Location"), failureContext()));
        return;
    }
    if (postWentOut && (m_status == 0 || isTransportError(netError))) {
        const QString why = netError == QNetworkReply::ContentReSendError
                                ? QStringLiteral("the connection closed before the answer; the request was not sent "
                                                 "again")
                                : reply->errorString();
        failWith(EstErrorClassifier::outcomeUnknown(why, m_status, failureContext()));
        return;
    }
    if (m_status == 0 || isTransportError(netError)) {
        Error e = EstErrorClassifier::classifyNetwork(netError, reply->errorString(), m_sslErrors, failureContext());
        e.httpStatus = m_status;
        failWith(e);
        return;
    }
    handleAnswer(m_status, std::move(body), contentType, reply->rawHeader("Retry-After"));
}

void EstReply::handleAnswer(int status, QByteArray body, const QByteArray &contentType, const QByteArray &retryAfter)
{
    if (status == 202) {
        scheduleRetry(retryAfter);
        return;
    }
    if (m_op == EstOperation::CsrAttrs && (status == 204 || status == 404)) {
        // RFC 7030 §4.5.2: no attributes (Lamassu has no csrattrs route and answers 404).
        if (status == 404 && m_client && m_client->config().traceExchanges)
            emit m_client->trace(QStringLiteral("* csrattrs answered 404: taken as \"no CSR attributes\"; note that "
                                                "a wrong label / DMS id in the URL also answers 404"));
        m_csrAttributes = {};
        succeed();
        return;
    }
    if (status != 200 && status / 100 == 2 && !retryAfter.trimmed().isEmpty()) {
        // A pending request in other words (one PKI service documents 206 + Retry-After): like 202.
        scheduleRetry(retryAfter);
        return;
    }
    if (status != 200) {
        failWith(EstErrorClassifier::classifyHttp(status, body, contentType, failureContext()));
        return;
    }
    switch (m_op) {
    case EstOperation::CaCerts: {
        auto certs = EstResponseDecoder::decodeCertificates(body);
        if (!certs) {
            failWith(undecodable(certs.error(), body, contentType));
            return;
        }
        m_caCertificates = *certs;
        if (!m_bootstrap && m_client && m_client->config().caCertificates.isEmpty())
            m_client->setCaCertificates(m_caCertificates);
        succeed();
        return;
    }
    case EstOperation::CsrAttrs: {
        auto attrs = EstResponseDecoder::decodeCsrAttributes(body);
        if (!attrs) {
            failWith(undecodable(attrs.error(), body, contentType));
            return;
        }
        m_csrAttributes = *attrs;
        succeed();
        return;
    }
    case EstOperation::SimpleEnroll:
    case EstOperation::SimpleReenroll: {
        auto certs = EstResponseDecoder::decodeCertificates(body);
        if (!certs) {
            failWith(undecodable(certs.error(), body, contentType));
            return;
        }
        verifyIssued(*certs, m_csrPublicKeyDer);
        return;
    }
    case EstOperation::ServerKeygen: {
        auto parts = EstResponseDecoder::decodeServerKeygen(body, contentType);
        crypto::wipe(body);
        if (!parts) {
            failWith(parts.error());
            return;
        }
        m_privateKey = std::move(parts->privateKeyPkcs8);
        verifyIssued(parts->certificates, parts->publicKeyDer);
        if (m_failed)
            m_privateKey.clear();
        return;
    }
    }
}

void EstReply::verifyIssued(const QList<crypto::Certificate> &returned, const QByteArray &expectedKey)
{
    if (!m_client) {
        failWith(Error(ErrorCode::Cancelled, QStringLiteral("The EST client was destroyed")));
        return;
    }
    auto verified = IssuedCertificateVerifier::verify(returned, expectedKey, m_client->caVerifier(), m_client->now());
    if (!verified) {
        failWith(verified.error());
        return;
    }
    m_certificate = verified->certificate;
    m_chain = verified->chain;
    qCInfo(lcEstClient) << estOperationPath(m_op) << "issued" << m_certificate.subject().toString() << "serial"
                        << m_certificate.serialHex();
    succeed();
}

void EstReply::scheduleRetry(const QByteArray &retryAfter)
{
    if (!m_client) {
        failWith(Error(ErrorCode::Cancelled, QStringLiteral("The EST client was destroyed")));
        return;
    }
    const EstClientConfig &config = m_client->config();
    const QDateTime now = m_client->now();
    const std::optional<std::chrono::seconds> asked = RetryAfter::parse(retryAfter, now);
    // Never sooner than a second: "Retry-After: 0" (or a date in the past) must not become a busy loop.
    const std::chrono::seconds delay = std::max(asked.value_or(config.defaultRetryDelay), std::chrono::seconds(1));
    const QString said = QStringLiteral("HTTP %1, Retry-After: %2").arg(m_status).arg(QString::fromLatin1(retryAfter));
    if (m_attempts > config.maxRetries) {
        Error e(ErrorCode::Timeout,
                QStringLiteral("The EST server still had not issued the certificate after %1 attempts").arg(m_attempts),
                said,
                QStringLiteral("The request may be waiting for manual approval at the CA; try again later or raise "
                               "--max-retries"));
        e.httpStatus = m_status;
        failWith(e);
        return;
    }
    if (now.addSecs(delay.count()) > m_deadline) {
        Error e(ErrorCode::Timeout,
                QStringLiteral("The EST server asks to retry in %1 s, past the deadline for this request")
                    .arg(delay.count()),
                said, QStringLiteral("Try again later, or raise --retry-deadline"));
        e.httpStatus = m_status;
        failWith(e);
        return;
    }
    const qint64 delayMs = qint64(delay.count()) * 1000;
    qCInfo(lcEstClient) << estOperationPath(m_op) << "pending (HTTP" << m_status << "); retrying in" << delay.count()
                        << "s";
    if (config.traceExchanges)
        emit m_client->trace(
            QStringLiteral("* %1 (pending): retry %2 in %3 s").arg(m_status).arg(m_attempts).arg(delay.count()));
    emit retryScheduled(m_attempts, delayMs);
    m_retryTimer.start(std::chrono::milliseconds(delayMs));
}

void EstReply::cancel()
{
    if (m_finished)
        return;
    m_cancelled = true;
    m_retryTimer.stop();
    if (m_reply) {
        m_reply->abort(); // finishes through onReplyFinished
        if (m_finished)
            return;
    }
    failWith(Error(ErrorCode::Cancelled, QStringLiteral("The %1 request was cancelled").arg(estOperationPath(m_op))));
}

void EstReply::succeed()
{
    if (m_finished)
        return;
    m_finished = true;
    m_failed = false;
    emitFinished();
}

void EstReply::emitFinished()
{
    QPointer<EstReply> self(this);
    emit finished();
    if (self && m_autoDelete)
        deleteLater();
}

void EstReply::failWith(Error error)
{
    if (m_finished)
        return;
    m_exchangeTimer.stop();
    m_retryTimer.stop();
    if (QNetworkReply *reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_finished = true;
    m_failed = true;
    m_privateKey.clear();
    if (error.httpStatus == 0)
        error.httpStatus = m_status;
    m_error = std::move(error);
    qCWarning(lcEstClient).noquote() << estOperationPath(m_op) << "failed:" << m_error.toString();
    emitFinished();
}

EstFailureContext EstReply::failureContext() const
{
    EstFailureContext c;
    c.operation = m_op;
    c.csrCommonName = m_csrCommonName;
    if (!m_client)
        return c;
    const EstClientConfig &config = m_client->config();
    c.url = m_client->operationUrl(m_op);
    c.now = m_client->now();
    switch (config.auth) {
    case EstAuthMode::None: c.auth = EstFailureContext::Auth::None; break;
    case EstAuthMode::Basic: c.auth = EstFailureContext::Auth::Basic; break;
    case EstAuthMode::ClientCertificate: c.auth = EstFailureContext::Auth::ClientCertificate; break;
    }
    c.basicUser = config.user;
    if (!config.clientIdentity.certificate.isNull()) {
        c.clientCertificateSubject = config.clientIdentity.certificate.subject().toString();
        c.clientCertificateNotAfter = config.clientIdentity.certificate.notAfter();
    }
    return c;
}

void EstReply::traceRequest(const QByteArray &body)
{
    if (!m_client || !m_client->config().traceExchanges)
        return;
    const QNetworkRequest request = m_reply->request();
    QString text =
        QStringLiteral("> %1 %2 HTTP/1.1\n")
            .arg(body.isEmpty() ? QStringLiteral("GET") : QStringLiteral("POST"), request.url().toDisplayString());
    for (const QByteArray &name : request.rawHeaderList()) {
        const QByteArray value = name.compare("Authorization", Qt::CaseInsensitive) == 0 ? QByteArray("[redacted]")
                                                                                         : request.rawHeader(name);
        text += QStringLiteral("> %1: %2\n").arg(QString::fromLatin1(name), QString::fromLatin1(value));
    }
    if (!request.sslConfiguration().localCertificate().isNull())
        text += QStringLiteral("* TLS client certificate: %1\n")
                    .arg(m_client->config().clientIdentity.certificate.subject().toString());
    if (!body.isEmpty()) {
        // A challengePassword is a secret (an EST passcode): base64 would only hide it from the eye.
        auto csr = crypto::CertificateRequest::fromDer(m_csrDer);
        if (csr && !csr->challengePassword().isEmpty())
            text +=
                QStringLiteral(">\n[CSR, %1 bytes base64: holds a challengePassword, not shown]\n").arg(body.size());
        else
            text += QStringLiteral(">\n") + QString::fromLatin1(body);
    }
    emit m_client->trace(text);
}

void EstReply::traceResponse(QNetworkReply *reply, int status, const QByteArray &body, const QByteArray &contentType)
{
    if (!m_client || !m_client->config().traceExchanges)
        return;
    QString text = QStringLiteral("< HTTP %1 %2\n")
                       .arg(status)
                       .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    for (const auto &[name, value] : reply->rawHeaderPairs())
        text += QStringLiteral("< %1: %2\n").arg(QString::fromLatin1(name), QString::fromLatin1(value));
    text += QStringLiteral("<\n");
    if (m_op == EstOperation::ServerKeygen && status == 200) {
        // Show the structure, never the key part.
        auto boundary = MultipartParser::boundaryFromContentType(contentType);
        auto parts =
            boundary ? MultipartParser::parse(body, *boundary) : Result<QList<MimePart>>(fail(boundary.error()));
        if (!parts) {
            text += QStringLiteral("[%1 bytes not shown: the answer may hold a private key]").arg(body.size());
        } else {
            for (MimePart &p : *parts) {
                text += QStringLiteral("--- part\n");
                for (const auto &[name, value] : p.headers)
                    text += QStringLiteral("%1: %2\n").arg(QString::fromLatin1(name), QString::fromLatin1(value));
                const bool secret =
                    p.mediaType().contains("pkcs8") || p.body.contains("PRIVATE KEY") || p.mediaType().isEmpty();
                text += secret ? QStringLiteral("[private key, %1 bytes, not shown]\n").arg(p.body.size())
                               : printable(p.body) + QLatin1Char('\n');
                p.wipe();
            }
        }
    } else {
        text += printable(body);
    }
    emit m_client->trace(text);
}

} // namespace station::est
