// Turns what went wrong on the wire into operator-readable errors: HTTP status codes, the server's own
// text (Lamassu's {"err":"..."} 500 bodies, plain text, HTML), known DMS messages, TLS certificate
// failures, timeouts and refused connections. Each Error carries the status, the server's words in
// `detail`, and a cause + remedy the operator can act on.
#pragma once

#include "Error.h"
#include "EstOperation.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QNetworkReply>
#include <QSslError>
#include <QString>
#include <QUrl>

namespace station::est {

/// What the classifier needs to know about the request to write a useful message.
struct EstFailureContext {
    EstOperation operation = EstOperation::SimpleEnroll;
    QUrl url;
    enum class Auth { None, ClientCertificate, Basic } auth = Auth::None;
    QString clientCertificateSubject; ///< the certificate presented in TLS, when any
    QDateTime clientCertificateNotAfter;
    QString basicUser;
    QString csrCommonName; ///< the device id for Lamassu-style messages
    QDateTime now;         ///< for "expired" judgements; invalid = current time
};

class EstErrorClassifier
{
public:
    /// The server's own explanation from an error body: the "err"/"error"/"message" member of a JSON
    /// object, plain text, or HTML with the tags stripped; collapsed to one line and at most 300
    /// characters. Empty for an empty or binary body.
    [[nodiscard]] static QString serverText(const QByteArray &body, const QByteArray &contentType = {});

    /// An error for an HTTP answer the client cannot use (any status but 200/202, and 204/404 for csrattrs).
    [[nodiscard]] static Error classifyHttp(int status, const QByteArray &body, const QByteArray &contentType,
                                            const EstFailureContext &context);

    /// An error for a transport failure: refused, unreachable, timed out, reset, TLS handshake or
    /// certificate errors (`sslErrors` as reported during the handshake).
    [[nodiscard]] static Error classifyNetwork(QNetworkReply::NetworkError error, const QString &qtMessage,
                                               const QList<QSslError> &sslErrors, const EstFailureContext &context);

    /// An enrollment POST went out and no complete answer came back (connection closed or reset, timed
    /// out, Qt refused to send it again): the server may have issued a certificate. `why` is what failed.
    [[nodiscard]] static Error outcomeUnknown(const QString &why, int httpStatus, const EstFailureContext &context);

    /// The server answered an enrollment POST with a redirect; a POST is never sent again on its own.
    [[nodiscard]] static Error postRedirected(int status, const QByteArray &location, const EstFailureContext &context);

private:
    [[nodiscard]] static QString describeClientIdentity(const EstFailureContext &context);
};

} // namespace station::est
