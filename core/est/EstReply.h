// One EST operation in flight, and its outcome. EstClient creates it; it starts on the next event-loop
// turn (connect to finished() first), follows 202 Accepted + Retry-After within the configured limits,
// decodes the answer leniently and verifies what it got before it reports success. An enrollment POST is
// sent at most once per attempt(): when the connection fails after it went out, the outcome is unknown
// and the reply says so (ErrorCode::OutcomeUnknown) instead of sending it again.
//
// Ownership: the caller owns every reply. Delete it when done (deleteLater() from a slot connected to
// finished() is the usual way), or call setAutoDelete(true) and it deletes itself after finished().
// Deleting an unfinished reply aborts it without emitting finished(). A reply may outlive its client:
// destroying the EstClient cancels the reply (finished() with Cancelled on the next event-loop turn) and
// it never touches the client again. Connect to finished() with a context object, so a caller that is
// destroyed first is never called back.
#pragma once

#include "Error.h"
#include "EstErrorClassifier.h"
#include "EstOperation.h"

#include "crypto/Certificate.h"
#include "crypto/CsrAttributes.h"
#include "crypto/SecretBytes.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslError>
#include <QTimer>

class QNetworkAccessManager;

namespace station::est {

class EstClient;
class OnceOnlyBody;

class EstReply : public QObject
{
    Q_OBJECT
public:
    ~EstReply() override;

    /// When set, the reply calls deleteLater() on itself right after emitting finished().
    void setAutoDelete(bool autoDelete) { m_autoDelete = autoDelete; }
    [[nodiscard]] bool autoDelete() const { return m_autoDelete; }

    [[nodiscard]] EstOperation operation() const { return m_op; }
    [[nodiscard]] bool isFinished() const { return m_finished; }
    [[nodiscard]] bool isSuccess() const { return m_finished && !m_failed; }
    /// The failure; meaningful when finished and not successful.
    [[nodiscard]] const Error &error() const { return m_error; }

    /// cacerts: the CA certificates, as sent (sorted leaf first); after a bootstrap fetch they are NOT
    /// trusted yet (see TrustBootstrap).
    [[nodiscard]] const QList<crypto::Certificate> &caCertificates() const { return m_caCertificates; }
    /// simpleenroll / simplereenroll / serverkeygen: the verified issued certificate and its chain (leaf
    /// first, anchor last).
    [[nodiscard]] const crypto::Certificate &certificate() const { return m_certificate; }
    [[nodiscard]] const QList<crypto::Certificate> &chain() const { return m_chain; }
    /// csrattrs: the attributes; empty when the server has none (200 empty, 204 or 404).
    [[nodiscard]] const crypto::CsrAttributes &csrAttributes() const { return m_csrAttributes; }
    /// serverkeygen: the generated private key as unencrypted PKCS#8 DER. Moves it out (call once).
    [[nodiscard]] crypto::SecretBytes takePrivateKey() { return std::move(m_privateKey); }

    /// The TLS server certificate chain of the last exchange (for showing what a bootstrap talked to).
    [[nodiscard]] const QList<QSslCertificate> &serverCertificateChain() const { return m_peerChain; }
    /// Status of the last HTTP answer (0 when none arrived).
    [[nodiscard]] int httpStatus() const { return m_status; }
    /// HTTP requests sent for this operation (1 + the retries after 202).
    [[nodiscard]] int attempts() const { return m_attempts; }

public slots:
    /// Aborts the operation; finished() follows with a Cancelled error (unless it already finished).
    void cancel();

signals:
    void finished();
    /// The server answered 202 (or another 2xx with Retry-After, as some services do for a pending request);
    /// the request is sent again after `delayMs` (at least one second).
    void retryScheduled(int attempt, qint64 delayMs);

private:
    friend class EstClient;
    EstReply(EstClient *client, EstOperation op, QByteArray csrDer, QByteArray csrPublicKeyDer, QString csrCommonName,
             bool bootstrap);

    void start();
    void send();
    /// The client is being destroyed: drop everything that belongs to it and finish as Cancelled later.
    void detachFromClient();
    [[nodiscard]] bool isPost() const { return estOperationSendsCsr(m_op); }
    void onReplyFinished();
    void handleAnswer(int status, QByteArray body, const QByteArray &contentType, const QByteArray &retryAfter);
    void scheduleRetry(const QByteArray &retryAfter);
    void verifyIssued(const QList<crypto::Certificate> &returned, const QByteArray &expectedKey);
    void succeed();
    void failWith(Error error);
    void emitFinished();
    [[nodiscard]] EstFailureContext failureContext() const;
    void traceRequest(const QByteArray &body);
    void traceResponse(QNetworkReply *reply, int status, const QByteArray &body, const QByteArray &contentType);

    QPointer<EstClient> m_client;
    QNetworkAccessManager *m_nam = nullptr; ///< the client's, or a private one for a bootstrap
    EstOperation m_op;
    QByteArray m_csrDer;
    QByteArray m_csrPublicKeyDer;
    QString m_csrCommonName;
    bool m_bootstrap = false;

    QPointer<QNetworkReply> m_reply;
    QPointer<OnceOnlyBody> m_upload; ///< the body of the POST in flight
    QList<QSslError> m_sslErrors;
    QTimer m_retryTimer;
    QTimer m_exchangeTimer;
    QDateTime m_deadline;
    bool m_started = false;
    bool m_finished = false;
    bool m_failed = false;
    bool m_cancelled = false;
    bool m_timedOut = false;
    bool m_tooLarge = false;
    bool m_autoDelete = false;
    int m_attempts = 0;
    int m_status = 0;
    Error m_error;

    QList<crypto::Certificate> m_caCertificates;
    crypto::Certificate m_certificate;
    QList<crypto::Certificate> m_chain;
    crypto::CsrAttributes m_csrAttributes;
    crypto::SecretBytes m_privateKey;
    QList<QSslCertificate> m_peerChain;
};

} // namespace station::est
