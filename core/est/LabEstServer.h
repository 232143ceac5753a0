// The lab EST server (RFC 7030 + RFC 8951) on the lab CA: /.well-known/est/[<label>/]<operation> for
// cacerts, simpleenroll, simplereenroll, serverkeygen and csrattrs over TLS, with mTLS, HTTP basic or no
// authentication, optional "202 Accepted + Retry-After" once per CSR, and the wire format of real DMS
// peers (base64 PKCS#7 certs-only, multipart/mixed for server-side key generation). Its resources are
// bounded: requests have a deadline (HttpsServer), at most a few server-side key generations run at once
// (more get 503 + Retry-After), and the set of CSRs answered 202 forgets the oldest beyond a cap.
#pragma once

#include "HttpsServer.h"
#include "LabCa.h"
#include "LruSet.h"
#include "crypto/CsrAttributes.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QThreadPool>
#include <QUrl>

#include <functional>

namespace station::est {

class LabEstServer : public QObject
{
    Q_OBJECT
public:
    enum class AuthMode { MutualTls, Basic, None };

    struct Options {
        AuthMode auth = AuthMode::MutualTls;
        QString user;
        QString password;
        int retryAfterSeconds = 0; ///< >0: first request per CSR answers 202 with this Retry-After
        QStringList labels;        ///< accepted labels; empty = any label (and none)
        std::optional<crypto::CsrAttributes> csrAttributes; ///< nullopt = answer 204 (no attributes)
        int idleTimeoutMs = 30000;
        int requestDeadlineMs = 15000; ///< headers + body of a request must arrive within this (else 408)
        HttpRequestParser::Limits requestLimits;
        qint64 socketReadBufferBytes = 64 * 1024;
        qint64 maxQueuedOutputBytes = 1024 * 1024; ///< per connection; see HttpsServer::Options
        int maxConcurrentKeyGenerations = 4;       ///< serverkeygen beyond this answers 503
        int busyRetryAfterSeconds = 5;             ///< Retry-After of that 503
        int maxDeferredCsrs = 4096;                ///< CSRs remembered as answered 202 (least recent forgotten)
        /// Generates serverkeygen keys (on the thread pool); empty = crypto::PrivateKey::generate.
        std::function<Result<crypto::PrivateKey>(crypto::KeyType)> keyGenerator;
    };

    /// What the EST layer counts (the transport's counters are in stats()).
    struct EstStats {
        int keyGenerationsRunning = 0;
        int peakKeyGenerationsRunning = 0;
        quint64 keyGenerationsRefused = 0; ///< answered 503: too many running
        qsizetype deferredCsrs = 0;        ///< CSRs remembered as answered 202
    };

    /// Parses "mtls", "basic", "none".
    [[nodiscard]] static Result<AuthMode> parseAuthMode(const QString &text);
    /// The attributes the lab asks for by default: an EC P-256 key signed with ecdsa-with-SHA256.
    [[nodiscard]] static crypto::CsrAttributes defaultCsrAttributes();

    LabEstServer(LabCa ca, Options options, QObject *parent = nullptr);
    ~LabEstServer() override;

    [[nodiscard]] Result<void> listen(const QHostAddress &address, quint16 port);
    /// "https://127.0.0.1:<port>/.well-known/est"
    [[nodiscard]] QUrl baseUrl() const;
    [[nodiscard]] HttpsServer::Stats stats() const;
    [[nodiscard]] EstStats estStats() const;
    [[nodiscard]] const LabCa &ca() const { return m_ca; }
    void close();

Q_SIGNALS:
    void certificateIssued(const QString &operation, const QString &subject, const QString &serialHex);
    void requestLogged(const QString &line);

private:
    struct Route {
        QString label;
        QString operation;
    };
    void handle(const HttpRequest &request, const HttpsServer::Peer &peer, const HttpsServer::Responder &responder);
    using Answer = std::function<void(const HttpResponse &)>;
    void enroll(const QString &operation, const HttpRequest &request, const HttpsServer::Peer &peer,
                const Answer &answer);
    void serverKeygen(const crypto::CertificateRequest &csr, const Answer &answer);
    [[nodiscard]] std::optional<HttpResponse> checkAuth(const QString &operation, const HttpRequest &request,
                                                        const HttpsServer::Peer &peer, crypto::Certificate *clientCert,
                                                        bool *ownIdentityOnly) const;
    [[nodiscard]] HttpResponse certsOnlyResponse(const QList<crypto::Certificate> &certs) const;
    [[nodiscard]] bool shouldDefer(const crypto::CertificateRequest &csr);

    [[nodiscard]] Result<crypto::Certificate> verifiedClient(const HttpsServer::Peer &peer) const;

    struct VerifiedClient {
        QList<QByteArray> chainDer;
        QDateTime at;
        Result<crypto::Certificate> verdict;
    };
    static constexpr qsizetype kVerifiedClientsKept = 4096;

    LabCa m_ca;
    Options m_options;
    mutable QHash<quint64, VerifiedClient> m_verifiedClients; ///< by connection
    HttpsServer *m_server = nullptr;
    LruSet m_deferred; ///< SHA-256 of CSRs already answered with 202
    QThreadPool m_keygenPool;
    EstStats m_estStats;
};

} // namespace station::est
