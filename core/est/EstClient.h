// The asynchronous EST client (RFC 7030) on Qt Network. One client talks to one server (base URL with
// any label / DMS segment) and keeps its connections alive, so a batch of enrollments shares TLS
// sessions. Every operation returns an EstReply that finishes on the event loop; nothing blocks the
// calling thread. Issued certificates are verified (key match + chain to the CA set) before success.
// Credentials (HTTP basic, the TLS client certificate) are part of a request only when the server's
// certificate is verified; the RFC 7030 bootstrap request never carries them. Replies belong to the
// caller (see EstReply).
#pragma once

#include "EstClientConfig.h"
#include "EstOperation.h"
#include "EstReply.h"

#include "crypto/Certificate.h"
#include "crypto/CertificateRequest.h"
#include "crypto/ChainVerifier.h"

#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>

#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace station::est {

class EstClient : public QObject
{
    Q_OBJECT
public:
    explicit EstClient(EstClientConfig config, QObject *parent = nullptr);
    ~EstClient() override;

    /// Checks a configuration before use: https URL, credentials complete for the auth mode.
    [[nodiscard]] static Result<void> validate(const EstClientConfig &config);

    [[nodiscard]] const EstClientConfig &config() const { return m_config; }
    /// base URL + "/" + operation.
    [[nodiscard]] QUrl operationUrl(EstOperation op) const;

    // Each operation returns a new reply that the caller owns (delete it, or EstReply::setAutoDelete).

    /// GET /cacerts over an authenticated TLS connection. On success the client keeps the set for
    /// verifying issued certificates (unless the configuration fixed caCertificates).
    [[nodiscard]] EstReply *fetchCaCerts();
    /// RFC 7030 §4.1.1: GET /cacerts without authenticating the server's certificate chain (the host
    /// name must still match). The result is NOT trusted: show it, let a person confirm a fingerprint
    /// (TrustBootstrap), then setTrustAnchors(). Uses its own connection, never reused afterwards.
    [[nodiscard]] EstReply *fetchCaCertsForBootstrap();
    /// GET /csrattrs; 404 and 204 finish successfully with no attributes.
    [[nodiscard]] EstReply *fetchCsrAttrs();
    [[nodiscard]] EstReply *simpleEnroll(const crypto::CertificateRequest &csr);
    /// POST /simplereenroll; the configuration's client identity should be the certificate being renewed.
    [[nodiscard]] EstReply *simpleReenroll(const crypto::CertificateRequest &csr);
    /// POST /serverkeygen; the key comes back in EstReply::takePrivateKey().
    [[nodiscard]] EstReply *serverKeygen(const crypto::CertificateRequest &csr);

    /// Replaces the TLS trust anchors (e.g. after a confirmed bootstrap); open connections are dropped.
    void setTrustAnchors(const QList<crypto::Certificate> &anchors);
    /// Cancels every reply of this client that has not finished (each emits finished() with Cancelled).
    void cancelAll();
    /// Sets the CA set issued certificates are verified against.
    void setCaCertificates(const QList<crypto::Certificate> &certificates);
    [[nodiscard]] const QList<crypto::Certificate> &caCertificates() const { return m_caCertificates; }
    /// A chain verifier for the CA set, built once when the set changes (issued certificates are verified
    /// with it).
    [[nodiscard]] const crypto::ChainVerifier &caVerifier() const { return m_caVerifier; }

    /// TLS handshakes this client has completed (a batch over one kept-alive connection shows 1, a batch
    /// of K operations in flight at once K when maxConnections allows K connections).
    [[nodiscard]] int tlsHandshakeCount() const { return m_tlsHandshakes; }

signals:
    /// The HTTP exchange, one message per request or answer, when config.traceExchanges is set.
    void trace(const QString &text);

private:
    friend class EstReply;
    /// How a request judges the server's TLS certificate; what the request may carry follows from it.
    enum class ServerCheck {
        Verified,   ///< chain to the anchors + host name: the credentials go along (RFC 7030 §3.2.3)
        Unverified, ///< the §4.1.1 bootstrap: chain errors are skipped, so no credential is ever attached
    };
    EstReply *create(EstOperation op, const crypto::CertificateRequest *csr, bool bootstrap = false);
    [[nodiscard]] QNetworkAccessManager *createNetworkAccessManager(QObject *parent) const;
    /// The access manager with the fewest unfinished operations (each has its own connection pool).
    [[nodiscard]] QNetworkAccessManager *leastBusyNetworkAccessManager() const;
    /// The TLS configuration for `check`, built once (anchors and client identity converted to Qt's
    /// types) and shared by every request until the anchors change.
    [[nodiscard]] const QSslConfiguration &sslConfiguration(ServerCheck check) const;
    [[nodiscard]] QSslConfiguration buildSslConfiguration(ServerCheck check) const;
    [[nodiscard]] QNetworkRequest buildRequest(EstOperation op, ServerCheck check) const;
    /// True when `request` carries an Authorization header or a TLS client certificate.
    [[nodiscard]] static bool carriesCredentials(const QNetworkRequest &request);
    [[nodiscard]] QDateTime now() const;
    /// Calls `done` with the CA set, fetching /cacerts first if needed (one fetch for all waiters).
    void withCaCertificates(QObject *context, std::function<void(const Result<QList<crypto::Certificate>> &)> done);
    void noteHandshake() { ++m_tlsHandshakes; }

    EstClientConfig m_config;
    QList<QNetworkAccessManager *> m_nams;                    ///< ceil(maxConnections / 6) pools of connections
    mutable std::optional<QSslConfiguration> m_sslVerified;   ///< cache of sslConfiguration(Verified)
    mutable std::optional<QSslConfiguration> m_sslUnverified; ///< cache of sslConfiguration(Unverified)
    QList<crypto::Certificate> m_caCertificates;
    crypto::ChainVerifier m_caVerifier{{}};
    QList<QPointer<EstReply>> m_replies; ///< every reply handed out (the caller owns them)
    QPointer<EstReply> m_caFetch;        ///< the client's own cacerts prefetch
    struct CaWaiter {
        QPointer<QObject> context;
        std::function<void(const Result<QList<crypto::Certificate>> &)> done;
    };
    QList<CaWaiter> m_caWaiters;
    int m_tlsHandshakes = 0;
};

} // namespace station::est
