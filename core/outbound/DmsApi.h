// The station's client of a DMS's REST API (Lamassu's device manager and DMS manager): JSON over HTTPS
// with a bearer token, on Qt Network, asynchronous. The server's certificate is always verified (against
// the given anchors, or the system store when none are given); a 401 makes the token source fetch a new
// token and the request is sent once more. Every exchange has a timeout. Answers are classified so that
// callers can tell "retry later" (connection loss, timeouts, 502/503/504) from a real refusal.
#pragma once

#include "TokenSource.h"

#include "Error.h"
#include "crypto/Certificate.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace station::outbound {

struct DmsEndpoint {
    QUrl baseUrl;                            ///< https://host[:port] (the gateway; API paths are appended)
    QList<crypto::Certificate> trustAnchors; ///< empty: the operating system's CA store
    int timeoutMs = 15000;                   ///< one exchange, connect to last byte
};

struct DmsAnswer {
    int status = 0;       ///< HTTP status; 0 when no answer arrived
    QByteArray body;      ///< at most kMaxBody bytes
    QString networkError; ///< why no answer arrived (connection, TLS, timeout)
    bool timedOut = false;

    static constexpr qint64 kMaxBody = 1024 * 1024;

    /// Worth retrying later: no answer (connection lost, timeout) or 502/503/504 (or 429).
    [[nodiscard]] bool transient() const;
    /// The body as a JSON object; nullopt when it is not one.
    [[nodiscard]] std::optional<QJsonObject> json() const;
    /// Lamassu's {"err": "..."} text, else a short form of the body.
    [[nodiscard]] QString errorText() const;
    /// One line for the operator: "HTTP 500: DMS not found", "no answer: connection refused".
    [[nodiscard]] QString describe() const;
};

class DmsApi : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const DmsAnswer &)>;

    DmsApi(DmsEndpoint endpoint, TokenSource *tokens, QObject *parent = nullptr);
    ~DmsApi() override;

    [[nodiscard]] const DmsEndpoint &endpoint() const { return m_endpoint; }

    /// GET /api/dmsmanager/v1/dms/{id}
    void getDms(const QString &dmsId, QObject *context, Callback done);
    /// POST /api/devmanager/v1/devices
    void createDevice(const QJsonObject &body, QObject *context, Callback done);
    /// GET /api/devmanager/v1/devices/{id}
    void getDevice(const QString &deviceId, QObject *context, Callback done);
    /// Aborts every exchange in flight (their callbacks see "cancelled").
    void abortAll();

private:
    void send(const QByteArray &method, const QString &path, const QByteArray &body, QObject *context, Callback done,
              bool mayRefreshToken);
    [[nodiscard]] QUrl urlFor(const QString &path) const;

    DmsEndpoint m_endpoint;
    QSslConfiguration m_tls; ///< built once from the anchors, shared by every request
    TokenSource *m_tokens;
    QNetworkAccessManager *m_nam;
    QList<QPointer<QNetworkReply>> m_inFlight;
};

/// The TLS configuration every DMS and token request uses: peer verified, TLS 1.2 or later, CA list
/// = `anchors` or the system store.
[[nodiscard]] QSslConfiguration dmsTlsConfiguration(const QList<crypto::Certificate> &anchors);

/// A percent-encoded path segment (device ids may hold any character).
[[nodiscard]] QString pathSegment(const QString &value);

} // namespace station::outbound
