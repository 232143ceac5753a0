// Everything an EstClient needs to talk to one EST server: the base URL (with any label / DMS path),
// whom to trust, how to authenticate, and the limits for timeouts and 202 polling. There is no
// "accept any server" switch on purpose: without anchors only the explicit RFC 7030 bootstrap exists.
#pragma once

#include "ClientIdentity.h"

#include "crypto/Certificate.h"
#include "crypto/SecretBytes.h"

#include <QDateTime>
#include <QList>
#include <QNetworkProxy>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>
#include <optional>

namespace station::est {

enum class EstAuthMode { None, ClientCertificate, Basic };
enum class EstProxyMode { System, None, Explicit };
enum class EstTlsFloor { Tls12, Tls13 };

struct EstClientConfig {
    /// https://host[:port]/.well-known/est[/<label>] or any prefix a gateway adds
    /// (https://host/api/dmsmanager/.well-known/est/<dms-id>). The operation is appended to it.
    QUrl baseUrl;

    /// Anchors for the server's TLS certificate (a PEM file's content, or the CA set from cacerts).
    QList<crypto::Certificate> trustAnchors;
    /// Also trust the operating system's CA store (for servers with publicly issued certificates).
    bool useSystemTrustStore = false;

    /// The CA certificates issued certificates must chain to. Empty: fetched once from /cacerts over the
    /// authenticated connection and cached by the client.
    QList<crypto::Certificate> caCertificates;

    EstAuthMode auth = EstAuthMode::None;
    ClientIdentity clientIdentity; ///< for ClientCertificate (may also be set with Basic)
    QString user;                  ///< for Basic
    crypto::SecretBytes password;  ///< for Basic (never logged)

    /// Longest a single HTTP exchange may take (connect, TLS, request, answer).
    std::chrono::milliseconds requestTimeout{60'000};
    /// 202 Accepted polling: at most this many retries, and never past this total time.
    int maxRetries = 10;
    std::chrono::seconds retryDeadline{600};
    /// Used when a 202 carries no usable Retry-After.
    std::chrono::seconds defaultRetryDelay{10};

    EstTlsFloor tlsFloor = EstTlsFloor::Tls12;
    EstProxyMode proxyMode = EstProxyMode::System;
    QNetworkProxy explicitProxy; ///< for EstProxyMode::Explicit

    /// Connections to the server the client may keep open at once (kept alive, shared by its requests).
    /// One Qt access manager opens at most kQtConnectionsPerManager to a host; above that the client uses
    /// ceil(maxConnections / 6) of them and sends each operation through the least busy one. Set it to
    /// the number of operations kept in flight (a batch's --jobs).
    int maxConnections = kQtConnectionsPerManager;
    static constexpr int kQtConnectionsPerManager = 6;

    /// Answers larger than this are refused (a runaway server must not fill memory).
    qint64 maxResponseBytes = 4 * 1024 * 1024;
    /// Emit EstClient::trace with the HTTP exchange (headers and bodies; never keys or passwords).
    bool traceExchanges = false;

    /// The time source (UTC); tests inject one. Default: the system clock.
    std::function<QDateTime()> clock;

    EstClientConfig() = default;
    EstClientConfig(EstClientConfig &&) noexcept = default;
    EstClientConfig &operator=(EstClientConfig &&) noexcept = default;
    /// An explicit copy (the password is cloned).
    [[nodiscard]] EstClientConfig clone() const
    {
        EstClientConfig c;
        c.baseUrl = baseUrl;
        c.trustAnchors = trustAnchors;
        c.useSystemTrustStore = useSystemTrustStore;
        c.caCertificates = caCertificates;
        c.auth = auth;
        c.clientIdentity = clientIdentity;
        c.user = user;
        c.password = password.clone();
        c.requestTimeout = requestTimeout;
        c.maxRetries = maxRetries;
        c.retryDeadline = retryDeadline;
        c.defaultRetryDelay = defaultRetryDelay;
        c.tlsFloor = tlsFloor;
        c.proxyMode = proxyMode;
        c.explicitProxy = explicitProxy;
        c.maxConnections = maxConnections;
        c.maxResponseBytes = maxResponseBytes;
        c.traceExchanges = traceExchanges;
        c.clock = clock;
        return c;
    }
};

} // namespace station::est
