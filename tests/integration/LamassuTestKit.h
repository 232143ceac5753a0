// Helpers for the tests that drive the Lamassu stand-in: REST calls through QNetworkAccessManager, raw
// HTTP/1.1 exchanges over TLS (exact bytes, optional client certificate), CSRs and the stand-in's
// credentials as crypto objects. Everything waits with the event loop running: the stand-in lives in the
// test's thread.
#pragma once

#include "LamassuStandIn.h"
#include "RawTlsClient.h"

#include "crypto/Certificate.h"
#include "crypto/CertificateRequest.h"
#include "crypto/Encoding.h"
#include "crypto/Pkcs7.h"
#include "crypto/PrivateKey.h"
#include "est/EstClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QTest>

#include <QDeadlineTimer>

#include <memory>
#include <optional>

namespace station::test::lamassu {

using testing::LamassuStandIn;

struct Identity {
    crypto::Certificate certificate;
    crypto::PrivateKey key;
};

inline crypto::Certificate pemCert(const QString &pem)
{
    auto cert = crypto::Certificate::fromPem(pem.toLatin1());
    return cert ? *cert : crypto::Certificate();
}

inline Identity pemIdentity(const QString &certPem, const QString &keyPem)
{
    auto key = crypto::PrivateKey::fromPem(keyPem.toLatin1());
    return {pemCert(certPem), key ? *key : crypto::PrivateKey()};
}

inline Identity bootstrapOf(const LamassuStandIn &standIn)
{
    return pemIdentity(standIn.bootstrapCertPem(), standIn.bootstrapKeyPem());
}

/// A CSR for a fresh P-256 key with subject `subject` ("/CN=unit-1/O=Acme").
inline crypto::CertificateRequest makeCsr(const QString &subject, crypto::PrivateKey *keyOut = nullptr)
{
    auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
    crypto::CsrSpec spec;
    spec.subject = *crypto::DistinguishedName::parse(subject);
    auto csr = crypto::CertificateRequest::create(spec, *key);
    if (keyOut)
        *keyOut = *key;
    return *csr;
}

/// What Lamassu's Go code prints for a serial, computed here from the DER bytes (not with the stand-in's
/// own function): big-endian bytes without leading zero bytes, lower-case hex pairs joined by '-'.
inline QString expectedSerial(const crypto::Certificate &cert)
{
    QByteArray bytes = QByteArray::fromHex(cert.serialHex().toLatin1());
    while (bytes.size() > 1 && bytes.at(0) == '\0')
        bytes.remove(0, 1);
    QStringList pairs;
    for (char b : bytes)
        pairs.append(QStringLiteral("%1").arg(quint8(b), 2, 16, QLatin1Char('0')));
    return pairs.join(QLatin1Char('-'));
}

/// One request on a new TLS connection, answered or not.
inline std::optional<RawResponse> rawExchange(const LamassuStandIn &standIn, const QByteArray &bytes,
                                              const Identity *client = nullptr, int timeoutMs = 15000)
{
    RawTlsClient connection(pemCert(standIn.serverCaPem()));
    if (client)
        connection.setClientCertificate(client->certificate, client->key);
    if (!connection.connectTo(standIn.port()))
        return std::nullopt;
    connection.send(bytes);
    return connection.readResponse(timeoutMs);
}

inline QByteArray rawRequest(const QByteArray &method, const QByteArray &path, const QByteArray &headers = {},
                             const QByteArray &body = {})
{
    QByteArray out = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers;
    if (!body.isEmpty() || method == "POST" || method == "PATCH")
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    return out + "\r\n" + body;
}

/// POST of a base64 DER CSR as the station sends it.
inline QByteArray estPost(const QByteArray &path, const QByteArray &body, const QByteArray &extraHeaders = {})
{
    return rawRequest("POST", path, "Content-Type: application/pkcs10\r\n" + extraHeaders, body);
}

inline QJsonObject jsonObject(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

struct Answer {
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    [[nodiscard]] QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    [[nodiscard]] QJsonObject json() const { return jsonObject(body); }
};

/// A REST client for the stand-in's gateway: TLS with the stand-in's server CA, no proxy.
class RestClient
{
public:
    explicit RestClient(const LamassuStandIn &standIn) : m_standIn(standIn) { m_nam.setProxy(QNetworkProxy::NoProxy); }

    void setToken(const QString &token) { m_token = token.toLatin1(); }

    Answer send(const QByteArray &method, const QString &pathOrUrl, const QByteArray &body = {},
                const QList<QPair<QByteArray, QByteArray>> &headers = {}, int timeoutMs = 15000)
    {
        QUrl url = pathOrUrl.startsWith(QLatin1String("https://")) ? QUrl(pathOrUrl) : m_standIn.baseUrl();
        if (!pathOrUrl.startsWith(QLatin1String("https://")))
            url.setPath(pathOrUrl, QUrl::TolerantMode);
        QNetworkRequest request(url);
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates({QSslCertificate(pemCert(m_standIn.serverCaPem()).toDer(), QSsl::Der)});
        request.setSslConfiguration(tls);
        request.setTransferTimeout(timeoutMs);
        if (!m_token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + m_token);
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(timeoutMs + 5000);
        Answer answer;
        answer.error = reply->error();
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->isOpen())
            answer.body = reply->readAll();
        answer.headers = reply->rawHeaderPairs();
        reply->deleteLater();
        return answer;
    }

    Answer get(const QString &path) { return send("GET", path); }
    Answer post(const QString &path, const QJsonObject &json)
    {
        return send("POST", path, QJsonDocument(json).toJson(QJsonDocument::Compact));
    }

private:
    const LamassuStandIn &m_standIn;
    QNetworkAccessManager m_nam;
    QByteArray m_token;
};

/// The create-device body the station's upload sends.
inline QJsonObject deviceBody(const QString &id, const QString &dmsId = QStringLiteral("factory-dms"))
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("dms_id"), dmsId},
                       {QStringLiteral("alias"), QStringLiteral("Unit ") + id},
                       {QStringLiteral("tags"), QJsonArray{QStringLiteral("line-1"), QStringLiteral("fw-1.2")}},
                       {QStringLiteral("metadata"),
                        QJsonObject{{QStringLiteral("serial"), id}, {QStringLiteral("model"), QStringLiteral("X1")}}},
                       {QStringLiteral("icon"), QStringLiteral("CgSmartphoneChip")},
                       {QStringLiteral("icon_color"), QStringLiteral("#25ee32-#222222")}};
}

inline QByteArray b64(const crypto::CertificateRequest &csr)
{
    return csr.toDer().toBase64();
}

/// The "err" of a Lamassu JSON error answer.
inline QString errOf(const std::optional<RawResponse> &r)
{
    return r ? jsonObject(r->body).value(QStringLiteral("err")).toString() : QStringLiteral("<no answer>");
}

/// The certificates of a base64 certs-only answer.
inline QList<crypto::Certificate> certsOf(const QByteArray &body)
{
    auto der = crypto::Encoding::decodeBase64(body);
    if (!der)
        return {};
    auto certs = crypto::Pkcs7::parseCertsOnly(*der);
    return certs ? *certs : QList<crypto::Certificate>{};
}

inline bool waitFinished(est::EstReply *reply, int timeoutMs = 30000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!reply->isFinished() && !deadline.hasExpired())
        QTest::qWait(5);
    return reply->isFinished();
}

/// A started stand-in with its bootstrap credential, and EST requests against its DMS.
class EstHarness
{
protected:
    inline static const QByteArray kEst = QByteArrayLiteral("/api/dmsmanager/.well-known/est/factory-dms/");

    std::unique_ptr<LamassuStandIn> m_lamassu;
    Identity m_bootstrap;

    [[nodiscard]] bool startStandIn()
    {
        m_lamassu = std::make_unique<LamassuStandIn>();
        if (!m_lamassu->start())
            return false;
        m_bootstrap = bootstrapOf(*m_lamassu);
        return !m_bootstrap.key.isNull();
    }

    std::optional<RawResponse> post(const QByteArray &operation, const QByteArray &body, const Identity *client,
                                    const QByteArray &extraHeaders = {})
    {
        return rawExchange(*m_lamassu, estPost(kEst + operation, body, extraHeaders), client);
    }

    std::optional<RawResponse> enroll(const QString &subject, const Identity *client,
                                      crypto::PrivateKey *keyOut = nullptr, const QByteArray &extraHeaders = {})
    {
        return post("simpleenroll", b64(makeCsr(subject, keyOut)), client, extraHeaders);
    }

    [[nodiscard]] bool preRegister(const QString &id) { return m_lamassu->addDevice(deviceBody(id)); }

    [[nodiscard]] est::EstClientConfig clientConfig(const Identity &identity) const
    {
        est::EstClientConfig c;
        c.baseUrl = m_lamassu->estUrl();
        c.trustAnchors = {pemCert(m_lamassu->serverCaPem())};
        c.proxyMode = est::EstProxyMode::None;
        c.requestTimeout = std::chrono::seconds(20);
        c.auth = est::EstAuthMode::ClientCertificate;
        c.clientIdentity = *est::ClientIdentity::fromMemory(identity.certificate, identity.key);
        return c;
    }
};

} // namespace station::test::lamassu
