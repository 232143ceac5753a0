#include "EstErrorClassifier.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace station::est {

namespace {

constexpr int kMaxServerText = 300;

QString oneLine(QString text)
{
    text = text.simplified();
    if (text.size() > kMaxServerText)
        text = text.left(kMaxServerText - 3) + QStringLiteral("...");
    return text;
}

QString jsonText(const QJsonObject &object)
{
    for (const char *key : {"err", "error", "message", "detail", "error_description", "msg"}) {
        const QJsonValue v = object.value(QLatin1String(key));
        if (v.isString() && !v.toString().trimmed().isEmpty())
            return v.toString();
        if (v.isObject()) {
            const QString nested = jsonText(v.toObject());
            if (!nested.isEmpty())
                return nested;
        }
    }
    return {};
}

struct KnownDmsMessage {
    const char *text;
    ErrorCode code;
    const char *message;
    const char *remedy;
};

// Lamassu answers nearly everything with 500 {"err": "..."}; see shared/reference/LAMASSU.md.
const KnownDmsMessage kKnownMessages[] = {
    {"dms not found", ErrorCode::NotFound, "The DMS named in the EST URL does not exist",
     "Check the DMS id in the URL (…/.well-known/est/<dms-id>) and in the product profile"},
    {"dms auth mode not supported", ErrorCode::Authentication,
     "The DMS did not accept how the station authenticated: no client certificate was presented, or the DMS has "
     "no EST authentication mode set",
     "Give the bootstrap certificate (--client-cert/--client-key), or set the DMS's EST auth mode"},
    {"invalid certificate", ErrorCode::Authentication,
     "The DMS does not trust the client certificate (for re-enroll: or its subject does not match the CSR)",
     "Use a bootstrap certificate issued by one of the DMS's validation CAs; for re-enroll use the device's "
     "current certificate and keep the CSR subject unchanged"},
    {"certificate is revoked", ErrorCode::Authentication, "The DMS says the client certificate has been revoked",
     "Obtain a new bootstrap certificate from the PKI administrator"},
    {"expired certificate", ErrorCode::Authentication, "The DMS says the client certificate has expired",
     "Renew the bootstrap certificate; check the station's clock"},
    {"external webhook denied enrollment", ErrorCode::Authentication,
     "The DMS's external webhook refused to enroll this unit",
     "Check the webhook's rules and logs for this unit; the unit may not be approved yet"},
    {"invalid csr signature", ErrorCode::Verification, "The DMS says the CSR's signature does not verify",
     "The CSR was damaged or signed with the wrong key: generate it again on the device"},
    {"device not preregistered", ErrorCode::NotFound,
     "The unit is not pre-registered in the DMS (the DMS uses PRE_REGISTRATION)",
     "Upload the unit first (provctl manifest upload) or register its id in the DMS, then enroll again"},
    {"forbiddennewenrollment", ErrorCode::Authentication,
     "The unit already exists in the DMS and the DMS does not allow replacing its enrollment",
     "Re-enroll with the unit's current certificate, or enable replaceable enrollment on the DMS"},
    {"device already registered to another dms", ErrorCode::Authentication, "The unit is registered to a different DMS",
     "Use the DMS the unit belongs to, or move the unit in the DMS"},
    {"server key generation not enabled", ErrorCode::Unsupported, "The DMS has server-side key generation switched off",
     "Generate the key on the device or station (enroll), or enable server key generation on the DMS"},
};

QString opName(EstOperation op)
{
    return estOperationPath(op);
}

bool isUntrusted(QSslError::SslError e)
{
    switch (e) {
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::CertificateUntrusted:
    case QSslError::CertificateRejected:
    case QSslError::InvalidCaCertificate:
    case QSslError::PathLengthExceeded:
    case QSslError::InvalidPurpose:
    case QSslError::CertificateSignatureFailed:
    case QSslError::UnableToDecryptCertificateSignature:
    case QSslError::UnableToDecodeIssuerPublicKey:
    case QSslError::SubjectIssuerMismatch:
    case QSslError::AuthorityIssuerSerialNumberMismatch: return true;
    default: return false;
    }
}

QString certSummary(const QSslCertificate &cert)
{
    if (cert.isNull())
        return {};
    const QStringList cn = cert.subjectInfo(QSslCertificate::CommonName);
    const QStringList issuer = cert.issuerInfo(QSslCertificate::CommonName);
    return QStringLiteral("certificate CN=%1, issued by CN=%2, valid %3 to %4, SHA-256 %5")
        .arg(cn.value(0), issuer.value(0), cert.effectiveDate().toUTC().toString(Qt::ISODate),
             cert.expiryDate().toUTC().toString(Qt::ISODate),
             QString::fromLatin1(cert.digest(QCryptographicHash::Sha256).toHex(':').toUpper()));
}

Error make(ErrorCode code, const QString &message, const QString &detail, const QString &remedy, int status = 0)
{
    Error e(code, message, detail, remedy);
    e.httpStatus = status;
    return e;
}

} // namespace

QString EstErrorClassifier::serverText(const QByteArray &body, const QByteArray &contentType)
{
    const QByteArray trimmed = body.trimmed();
    if (trimmed.isEmpty())
        return {};
    if (trimmed.startsWith('{')) {
        const QJsonDocument doc = QJsonDocument::fromJson(trimmed);
        if (doc.isObject()) {
            const QString text = jsonText(doc.object());
            if (!text.isEmpty())
                return oneLine(text);
        }
    }
    // Binary (DER, random bytes) says nothing readable.
    int controls = 0;
    for (char c : trimmed.left(512)) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\n' && c != '\r' && c != '\t')
            ++controls;
    }
    if (controls > 0)
        return QStringLiteral("<%1 bytes of binary data>").arg(body.size());
    QString text = QString::fromUtf8(trimmed.left(16 * 1024));
    if (contentType.toLower().contains("html") || text.startsWith(QLatin1Char('<'))) {
        static const QRegularExpression kScript(QStringLiteral("<(script|style)[^>]*>.*?</\\1>"),
                                                QRegularExpression::CaseInsensitiveOption |
                                                    QRegularExpression::DotMatchesEverythingOption);
        static const QRegularExpression kTags(QStringLiteral("<[^>]*>"));
        text.remove(kScript);
        text.replace(kTags, QStringLiteral(" "));
        text.replace(QStringLiteral("&nbsp;"), QStringLiteral(" "));
        text.replace(QStringLiteral("&lt;"), QStringLiteral("<"));
        text.replace(QStringLiteral("&gt;"), QStringLiteral(">"));
        text.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
    }
    return oneLine(text);
}

QString EstErrorClassifier::describeClientIdentity(const EstFailureContext &context)
{
    switch (context.auth) {
    case EstFailureContext::Auth::None: return QStringLiteral("the station sent no credentials");
    case EstFailureContext::Auth::Basic:
        return QStringLiteral("the station sent HTTP basic credentials for user '%1'").arg(context.basicUser);
    case EstFailureContext::Auth::ClientCertificate: {
        QString text =
            QStringLiteral("the station presented client certificate '%1'").arg(context.clientCertificateSubject);
        if (context.clientCertificateNotAfter.isValid()) {
            const QDateTime now = context.now.isValid() ? context.now : QDateTime::currentDateTimeUtc();
            const QString when = context.clientCertificateNotAfter.toUTC().toString(Qt::ISODate);
            text += context.clientCertificateNotAfter < now ? QStringLiteral(", which EXPIRED on %1").arg(when)
                                                            : QStringLiteral(", valid until %1").arg(when);
        }
        return text;
    }
    }
    return {};
}

Error EstErrorClassifier::classifyHttp(int status, const QByteArray &body, const QByteArray &contentType,
                                       const EstFailureContext &context)
{
    const QString text = serverText(body, contentType);
    const QString op = opName(context.operation);
    const QString said = text.isEmpty() ? QString() : QStringLiteral("server said: %1").arg(text);
    const QString statusText = QStringLiteral("HTTP %1").arg(status);
    const QString detail = said.isEmpty() ? statusText : statusText + QStringLiteral("; ") + said;

    // Known DMS messages win over the status: Lamassu sends them with 500, a gateway may use others.
    const QString lower = text.toLower();
    for (const KnownDmsMessage &known : kKnownMessages) {
        if (lower.contains(QLatin1String(known.text))) {
            QString message = QString::fromUtf8(known.message);
            if (known.code == ErrorCode::Authentication && context.auth != EstFailureContext::Auth::None)
                message += QStringLiteral(" (") + describeClientIdentity(context) + QLatin1Char(')');
            if (QByteArrayView(known.text) == "device not preregistered" && !context.csrCommonName.isEmpty())
                message += QStringLiteral(" (device id = CSR common name '%1')").arg(context.csrCommonName);
            Error e = make(known.code, message, detail, QString::fromUtf8(known.remedy), status);
            e.reason = QString::fromLatin1(known.text); // a decision of the DMS, not a server fault
            return e;
        }
    }

    switch (status) {
    case 400: {
        QString remedy = QStringLiteral("Check that the CSR is a valid PKCS#10 request; if the server needs a "
                                        "label or DMS id, put it in the URL (…/.well-known/est/<label>)");
        if (lower.contains(QLatin1String("dms")) || lower.contains(QLatin1String("label")))
            remedy = QStringLiteral("Put the DMS id / label in the URL: https://host/.well-known/est/<dms-id>");
        return make(ErrorCode::Http, QStringLiteral("The EST server rejected the %1 request as malformed").arg(op),
                    detail, remedy, status);
    }
    case 401:
    case 403: {
        QString remedy;
        switch (context.auth) {
        case EstFailureContext::Auth::None:
            remedy = QStringLiteral("The server requires authentication: give a client certificate "
                                    "(--client-cert/--client-key) or a user and password (--user/--password-env)");
            break;
        case EstFailureContext::Auth::Basic:
            remedy = QStringLiteral("Check the user name and password (passcode) for this EST server");
            break;
        case EstFailureContext::Auth::ClientCertificate:
            remedy = QStringLiteral("Use a client certificate issued by a CA the server trusts, not expired or "
                                    "revoked; for re-enroll, the unit's current certificate");
            break;
        }
        const QString what = status == 401 ? QStringLiteral("did not accept the station's credentials")
                                           : QStringLiteral("refused the %1 request (forbidden)").arg(op);
        return make(ErrorCode::Authentication,
                    QStringLiteral("The EST server %1: %2").arg(what, describeClientIdentity(context)), detail, remedy,
                    status);
    }
    case 404:
        return make(ErrorCode::NotFound,
                    QStringLiteral("The EST server has no %1 at %2").arg(op, context.url.toDisplayString()), detail,
                    QStringLiteral("Check the base URL and its label / DMS id segment "
                                   "(https://host/.well-known/est/<dms-id>)"),
                    status);
    case 405:
    case 501:
        return make(ErrorCode::Unsupported, QStringLiteral("The EST server does not support %1").arg(op), detail,
                    QStringLiteral("Use an operation the server offers, or check the base URL"), status);
    case 408:
    case 504:
        return make(ErrorCode::Timeout, QStringLiteral("The EST server (or a gateway) timed out on %1").arg(op), detail,
                    QStringLiteral("Retry; if it persists, the server or its CA backend is overloaded"), status);
    case 413:
        return make(ErrorCode::Http, QStringLiteral("The EST server says the request is too large"), detail,
                    QStringLiteral("Check the CSR: it should be a few kilobytes at most"), status);
    case 415:
        return make(ErrorCode::Http, QStringLiteral("The EST server does not accept the request's content type"),
                    detail, QStringLiteral("The server may not be an RFC 7030 EST endpoint; check the URL"), status);
    default: break;
    }
    if (status >= 500)
        return make(ErrorCode::Http, QStringLiteral("The EST server failed to process %1").arg(op), detail,
                    QStringLiteral("Retry later; if it persists, read the server text above and the server's logs"),
                    status);
    if (status >= 300 && status < 400)
        return make(ErrorCode::Http, QStringLiteral("The EST server redirected the %1 request").arg(op), detail,
                    QStringLiteral("Use the final URL directly (redirects to other hosts are not followed)"), status);
    return make(ErrorCode::Http, QStringLiteral("The EST server answered %1 with an unexpected status").arg(op), detail,
                QStringLiteral("Check the URL points at an RFC 7030 EST server"), status);
}

Error EstErrorClassifier::outcomeUnknown(const QString &why, int httpStatus, const EstFailureContext &context)
{
    const QString op = opName(context.operation);
    const QString unit = context.csrCommonName.isEmpty() ? QStringLiteral("this CSR")
                                                         : QStringLiteral("'%1'").arg(context.csrCommonName);
    QString remedy = QStringLiteral("Do not simply send it again: check at the CA / DMS whether a certificate was "
                                    "issued for %1; if one was, use or revoke it (re-enroll with it), if none was, "
                                    "enroll again")
                         .arg(unit);
    if (context.operation == EstOperation::ServerKeygen)
        remedy += QStringLiteral(". A certificate issued by serverkeygen is useless without its key, which is lost: "
                                 "revoke it");
    QString detail = why;
    if (httpStatus > 0)
        detail = QStringLiteral("HTTP %1, answer incomplete; %2").arg(httpStatus).arg(why);
    return make(ErrorCode::OutcomeUnknown,
                QStringLiteral("The connection to %1 failed after the %2 request was sent: the server may have "
                               "issued a certificate")
                    .arg(context.url.authority(), op),
                detail, remedy, httpStatus);
}

Error EstErrorClassifier::postRedirected(int status, const QByteArray &location, const EstFailureContext &context)
{
    const QString target = location.isEmpty() ? QStringLiteral("(no Location header)") : QString::fromLatin1(location);
    return make(ErrorCode::Http,
                QStringLiteral("The EST server redirected the %1 request to %2; the station does not send an "
                               "enrollment again on its own")
                    .arg(opName(context.operation), target),
                QStringLiteral("HTTP %1, Location: %2").arg(status).arg(target),
                QStringLiteral("If the new address is right, use it as --url (the EST base URL); otherwise ask the "
                               "server's operator why it redirects"),
                status);
}

Error EstErrorClassifier::classifyNetwork(QNetworkReply::NetworkError error, const QString &qtMessage,
                                          const QList<QSslError> &sslErrors, const EstFailureContext &context)
{
    const QString host = context.url.host();
    const QString hostPort = QStringLiteral("%1:%2").arg(host).arg(context.url.port(443));

    // Certificate problems first: they explain a handshake failure better than Qt's generic text.
    const QSslError *hostMismatch = nullptr, *expired = nullptr, *notYetValid = nullptr, *untrusted = nullptr;
    for (const QSslError &e : sslErrors) {
        if (e.error() == QSslError::HostNameMismatch)
            hostMismatch = hostMismatch ? hostMismatch : &e;
        else if (e.error() == QSslError::CertificateExpired)
            expired = expired ? expired : &e;
        else if (e.error() == QSslError::CertificateNotYetValid)
            notYetValid = notYetValid ? notYetValid : &e;
        else if (isUntrusted(e.error()))
            untrusted = untrusted ? untrusted : &e;
    }
    auto sslDetail = [&](const QSslError *e) {
        QStringList parts;
        for (const QSslError &each : sslErrors)
            parts << each.errorString();
        parts.removeDuplicates();
        const QString summary = certSummary(e->certificate());
        return parts.join(QStringLiteral("; ")) + (summary.isEmpty() ? QString() : QStringLiteral("; ") + summary);
    };
    if (untrusted)
        return make(
            ErrorCode::Tls,
            QStringLiteral("The EST server's TLS certificate is not trusted (%1)").arg(untrusted->errorString()),
            sslDetail(untrusted),
            QStringLiteral("Give the CA that signed the server certificate with --trust FILE, or fetch it "
                           "with 'provctl est cacerts --bootstrap-fingerprint SHA256' after checking the "
                           "fingerprint with the server's operator"));
    if (hostMismatch)
        return make(ErrorCode::Tls,
                    QStringLiteral("The EST server's TLS certificate is not valid for host '%1'").arg(host),
                    sslDetail(hostMismatch),
                    QStringLiteral("Use a host name the certificate names (see its subjectAltName) in the URL, or "
                                   "have the server certificate reissued for '%1'")
                        .arg(host));
    if (expired)
        return make(ErrorCode::Tls, QStringLiteral("The EST server's TLS certificate has expired"), sslDetail(expired),
                    QStringLiteral("Have the server certificate renewed; check the station's clock and time zone"));
    if (notYetValid)
        return make(ErrorCode::Tls, QStringLiteral("The EST server's TLS certificate is not valid yet"),
                    sslDetail(notYetValid), QStringLiteral("Check the station's clock; it may be set in the past"));
    if (!sslErrors.isEmpty())
        return make(ErrorCode::Tls, QStringLiteral("The EST server's TLS certificate was rejected"),
                    sslDetail(&sslErrors.first()),
                    QStringLiteral("Check the server certificate and the trust anchors"));

    // Qt reports some proxy failures (HTTPS CONNECT refused) as generic network errors.
    const bool viaProxy =
        (error >= QNetworkReply::ProxyConnectionRefusedError && error <= QNetworkReply::UnknownProxyError) ||
        qtMessage.contains(QLatin1String("proxy"), Qt::CaseInsensitive);
    if (viaProxy)
        return make(ErrorCode::Network, QStringLiteral("The HTTP proxy failed for %1").arg(hostPort), qtMessage,
                    QStringLiteral("Check the proxy settings (https_proxy / no_proxy, or --proxy URL), or bypass the "
                                   "proxy with --no-proxy"));
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return make(ErrorCode::Network, QStringLiteral("Connection to %1 refused").arg(hostPort), qtMessage,
                    QStringLiteral("Check that the EST server is running and that the URL's host and port are right"));
    case QNetworkReply::HostNotFoundError:
        return make(ErrorCode::Network, QStringLiteral("Host '%1' not found").arg(host), qtMessage,
                    QStringLiteral("Check the host name in the URL and the station's DNS settings"));
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        return make(
            ErrorCode::Timeout,
            QStringLiteral("The EST server at %1 did not answer %2 in time").arg(hostPort, opName(context.operation)),
            qtMessage, QStringLiteral("Check the network path to the server; retry, or raise --timeout"));
    case QNetworkReply::RemoteHostClosedError:
        return make(
            ErrorCode::Network,
            QStringLiteral("The EST server at %1 closed the connection before answering completely").arg(hostPort),
            qtMessage,
            context.auth == EstFailureContext::Auth::ClientCertificate
                ? QStringLiteral("Retry; if it persists the server may reject %1")
                      .arg(describeClientIdentity(context).remove(QStringLiteral("the station presented ")))
                : QStringLiteral("Retry; if it persists the server may require a client certificate or be overloaded"));
    case QNetworkReply::SslHandshakeFailedError:
        return make(ErrorCode::Tls, QStringLiteral("The TLS handshake with %1 failed").arg(hostPort), qtMessage,
                    context.auth == EstFailureContext::Auth::ClientCertificate
                        ? QStringLiteral("The server may not accept the client certificate, or needs a TLS version "
                                         "or cipher the station does not offer (it offers TLS 1.2 and 1.3)")
                        : QStringLiteral("The server may require a client certificate, or a TLS version the station "
                                         "does not offer (it offers TLS 1.2 and 1.3)"));
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::UnknownNetworkError:
        return make(ErrorCode::Network, QStringLiteral("The network is unavailable"), qtMessage,
                    QStringLiteral("Check the station's network connection"));
    default: break;
    }
    return make(ErrorCode::Network,
                QStringLiteral("The %1 request to %2 failed").arg(opName(context.operation), hostPort), qtMessage,
                QStringLiteral("Check the URL and the network path to the server; retry"));
}

} // namespace station::est
