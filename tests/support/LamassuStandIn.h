// A stand-in for a Lamassu IoT deployment (v3, monolithic behind its API gateway) for tests, since Lamassu
// itself cannot run here: one HTTPS server on 127.0.0.1 that answers as shared/reference/LAMASSU.md says
// Lamassu does —
//   - the OAuth2 client-credentials token endpoint (Keycloak's path) and the gateway's bearer check
//     (401 without a valid token, 403 without the pki-admin role) in front of the REST APIs;
//   - the device manager: POST /api/devmanager/v1/devices (one device per call), GET .../devices/{id},
//     PATCH .../devices/{id}/metadata, with Lamassu's 201 / 500 / 400 answers;
//   - the DMS manager: GET /api/dmsmanager/v1/dms/{id} with the DMS settings;
//   - EST under /.well-known/est/{dmsId}/... and /api/dmsmanager/.well-known/est/{dmsId}/...: base64 DER
//     CSRs only, PKCS#7 with only the leaf (base64, CRLF every 76), PEM on "Accept: application/x-pem-file",
//     the serverkeygen multipart with its fixed boundary, no csrattrs route, 500 {"err": ...} for every
//     refusal, the device id taken from the CSR's CN, JITP / PRE_REGISTRATION and replaceable enrollment.
// Enrollment binds the issued certificate to the device, so a later GET shows it. Three CAs: one for the
// TLS server (serverCaPem), the DMS validation CA that issued the bootstrap credential, and the
// enrollment CA that issues device certificates (what cacerts returns). Faults can be injected into the
// device-manager calls (status, hang, garbage, dropped connection). Everything runs on the owning thread.
#pragma once

#include "Error.h"
#include "LamassuDevices.h"
#include "LamassuHttp.h"
#include "LamassuTokens.h"

#include "crypto/Certificate.h"
#include "crypto/CertificateRequest.h"
#include "crypto/PrivateKey.h"
#include "est/HttpsServer.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QString>
#include <QUrl>

#include <expected>
#include <memory>

namespace station::testing {

class LamassuStandIn : public QObject
{
    Q_OBJECT
public:
    enum class RegistrationMode { Jitp, PreRegistration };
    /// Whether a request whose answer a fault takes away is carried out first (the device is created, the
    /// answer is lost) or never reaches Lamassu.
    enum class Delivery { Unprocessed, Processed };

    struct Options {
        QString dmsId = QStringLiteral("factory-dms");
        QString dmsName = QStringLiteral("Factory DMS");
        RegistrationMode mode = RegistrationMode::PreRegistration;
        bool replaceableEnrollment = true;
        /// enrollment_settings.est_rfc7030_settings.auth_mode: CLIENT_CERTIFICATE, NO_AUTH,
        /// EXTERNAL_WEBHOOK; anything else is "unset" (every enrollment: "DMS auth mode not supported").
        QString authMode = QStringLiteral("CLIENT_CERTIFICATE");
        bool serverKeygenEnabled = true;
        QString serverKeyType = QStringLiteral("ECDSA"); ///< RSA (any size) or ECDSA (224, 256, 384, 521)
        int serverKeyBits = 256;
        QString clientId = QStringLiteral("station"); ///< OAuth2 client-credentials client
        QString clientSecret = QStringLiteral("s3cret");
        int tokenLifetimeSeconds = 300;
        // Beyond the first interface:
        QStringList clientRoles = {QStringLiteral("pki-admin")}; ///< the gateway wants pki-admin (else 403)
        bool webhookApproves = true;                             ///< EXTERNAL_WEBHOOK's verdict
        bool includeSystemCa = false;                            ///< cacerts adds the TLS server certificate
        bool includeEnrollmentCa = true;                         ///< cacerts adds the enrollment CA
        bool revokeOnReenrollment = false; ///< simplereenroll revokes the certificate it supersedes
        bool enableExpiredRenewal = false; ///< simplereenroll accepts an expired current certificate
        int certificateValidityDays = 365; ///< of device certificates
        bool tls12Only = false;            ///< cap TLS at 1.2, as some gateways in front of Lamassu do
        QString deviceIcon = QStringLiteral("CgSmartphoneChip"); ///< JITP devices' provisioning profile
        QString deviceIconColor = QStringLiteral("#25ee32-#222222");
    };

    /// With the default Options (g++ does not take `Options options = {}` for a nested struct with member
    /// initializers, hence two constructors).
    explicit LamassuStandIn(QObject *parent = nullptr);
    explicit LamassuStandIn(Options options, QObject *parent = nullptr);
    ~LamassuStandIn() override;

    /// Creates the three CAs and the credentials, and listens on 127.0.0.1 on a free port.
    [[nodiscard]] Result<void> start();
    [[nodiscard]] quint16 port() const;
    /// https://127.0.0.1:PORT — the gateway: /api/devmanager/v1/..., /api/dmsmanager/v1/...
    [[nodiscard]] QUrl baseUrl() const;
    /// https://127.0.0.1:PORT/api/dmsmanager/.well-known/est/<dmsId> (/.well-known/est/<dmsId> works too).
    [[nodiscard]] QUrl estUrl() const;
    /// https://127.0.0.1:PORT/auth/realms/lamassu/protocol/openid-connect/token
    [[nodiscard]] QUrl tokenUrl() const;

    // PEM texts, valid after start().
    [[nodiscard]] QString serverCaPem() const;      ///< trust anchor of the TLS server (127.0.0.1, localhost)
    [[nodiscard]] QString bootstrapCertPem() const; ///< client certificate issued by the DMS validation CA
    [[nodiscard]] QString bootstrapKeyPem() const;  ///< its key, unencrypted PKCS#8
    [[nodiscard]] QString enrollmentCaPem() const;  ///< issues device certificates; what cacerts returns
    [[nodiscard]] QString validationCaPem() const;  ///< the DMS's validation CA (issuer of the bootstrap)

    struct Credential {
        QString certPem;
        QString keyPem;
    };
    /// Another client certificate from the validation CA (e.g. an expired one: notBefore in the past).
    [[nodiscard]] Result<Credential>
    issueBootstrapCredential(const QString &commonName, const QDateTime &notBefore = {}, int validityDays = 30) const;

    /// A valid bearer token now (for --token-env tests).
    [[nodiscard]] QString issueToken();
    /// Every token issued so far becomes invalid: the gateway answers 401 "Jwt is expired".
    void expireAllTokens();

    void setRegistrationMode(RegistrationMode mode);
    void setReplaceableEnrollment(bool replaceable);
    void setAuthMode(const QString &authMode);
    void setServerKeygen(bool enabled, const QString &keyType = QStringLiteral("ECDSA"), int bits = 256);
    void setWebhookApproves(bool approves) { m_options.webhookApproves = approves; }

    /// Marks a certificate revoked (Lamassu serial form, see lamassuSerial()): a client certificate with it
    /// is refused with "certificate is revoked".
    void revokeCertificate(const QString &serial);
    [[nodiscard]] bool isRevoked(const QString &serial) const { return m_revoked.contains(serial); }
    /// How Lamassu writes a certificate serial: lower-case hex byte pairs joined by '-' ("1a-2b-03").
    [[nodiscard]] static QString lamassuSerial(const crypto::Certificate &certificate);

    // Fault injection into the device-manager calls (/api/devmanager/...), consumed in the order set:
    /// The next `count` requests answer `httpStatus` with `body` and are not carried out.
    void failNextRequests(int count, int httpStatus, QByteArray body = {});
    /// The next `count` requests are never answered (the client must time out).
    void hangNextRequests(int count, Delivery delivery = Delivery::Unprocessed);
    /// The next `count` requests are carried out and answered with their status (201/200) but a body that
    /// is not JSON.
    void garbageNextRequests(int count);
    /// The next `count` requests get their connection reset without an answer.
    void dropNextConnections(int count, Delivery delivery = Delivery::Unprocessed);

    struct DeviceRecord {
        QJsonObject json;           ///< as GET returns it
        QList<QString> certSerials; ///< identity versions in order (Lamassu serial form)
    };
    [[nodiscard]] QMap<QString, DeviceRecord> devices() const;
    /// A device that exists already (as if uploaded earlier): the body of a create call. Returns false
    /// when Lamassu would refuse it (a required field empty, or the id exists).
    bool addDevice(const QJsonObject &createBody);
    /// GET /api/dmsmanager/v1/dms/{id} as it answers now.
    [[nodiscard]] QJsonObject dmsJson() const;

    struct Counters {
        int createPosts = 0;     ///< POST .../devices that arrived (faulted ones too)
        int created = 0;         ///< ... that created a device
        int duplicates = 0;      ///< ... refused because the id existed
        int gets = 0;            ///< GET .../devices/{id} that arrived
        int dmsGets = 0;         ///< GET .../dms/{id} that arrived
        int tokenGrants = 0;     ///< tokens handed out by the token endpoint
        int unauthorized = 0;    ///< 401 and 403 answers of the gateway
        int enrollments = 0;     ///< certificates issued over EST
        int metadataPatches = 0; ///< PATCH .../metadata that arrived
        int faultsInjected = 0;  ///< requests a fault answered
    };
    [[nodiscard]] Counters counters() const { return m_counters; }

Q_SIGNALS:
    void requestSeen(QByteArray method, QByteArray path);

private:
    struct Ca {
        crypto::Certificate cert;
        crypto::PrivateKey key;
        QString id; ///< Lamassu CA id, as the DMS settings name it
    };
    struct Fault {
        enum class Kind { Fail, Hang, Garbage, Drop } kind = Kind::Fail;
        int remaining = 0;
        int status = 0;
        QByteArray body;
        Delivery delivery = Delivery::Unprocessed;
    };
    /// An EST operation's result: the issued certificate, or the message of Lamassu's 500 {"err": ...}.
    using Issued = std::expected<crypto::Certificate, QString>;

    void handle(const est::HttpRequest &request, const est::HttpsServer::Peer &peer,
                const est::HttpsServer::Responder &responder);
    [[nodiscard]] est::HttpResponse route(const est::HttpRequest &request, const est::HttpsServer::Peer &peer);
    [[nodiscard]] est::HttpResponse deviceManager(const est::HttpRequest &request);
    [[nodiscard]] est::HttpResponse dmsManager(const est::HttpRequest &request);
    [[nodiscard]] std::optional<est::HttpResponse> gatewayRefusal(const est::HttpRequest &request);
    [[nodiscard]] std::optional<Fault> takeFault();

    // EST (LamassuStandInEst.cpp)
    [[nodiscard]] est::HttpResponse est(const est::HttpRequest &request, const est::HttpsServer::Peer &peer,
                                        const QByteArray &estPath);
    [[nodiscard]] est::HttpResponse caCerts(const est::HttpRequest &request, const QString &dmsId) const;
    [[nodiscard]] Issued enroll(const crypto::CertificateRequest &csr, const QString &dmsId,
                                const est::HttpRequest &request, const est::HttpsServer::Peer &peer);
    [[nodiscard]] Issued reenroll(const crypto::CertificateRequest &csr, const QString &dmsId,
                                  const est::HttpRequest &request, const est::HttpsServer::Peer &peer);
    [[nodiscard]] est::HttpResponse serverKeygen(const crypto::CertificateRequest &csr, const QString &dmsId,
                                                 const est::HttpRequest &request, const est::HttpsServer::Peer &peer);
    /// The client certificate: an x-forwarded-client-cert header's (as a gateway forwards it), else the
    /// TLS peer's.
    [[nodiscard]] std::optional<crypto::Certificate> clientCertificate(const est::HttpRequest &request,
                                                                       const est::HttpsServer::Peer &peer) const;
    [[nodiscard]] Issued issue(const crypto::CertificateRequest &csr);

    Options m_options;
    lamassu::EventClock m_clock;
    lamassu::DeviceStore m_devices{&m_clock};
    lamassu::TokenIssuer m_tokens;
    est::HttpsServer *m_server = nullptr;
    qint64 m_dmsCreated = 0;
    Ca m_serverCa;
    Ca m_validationCa;
    Ca m_enrollmentCa;
    crypto::Certificate m_serverCert;
    crypto::PrivateKey m_serverKey;
    crypto::Certificate m_bootstrapCert;
    crypto::PrivateKey m_bootstrapKey;
    QSet<QString> m_revoked;
    QHash<QString, crypto::Certificate> m_issuedCerts; ///< by Lamassu serial: what the CA service knows
    QList<Fault> m_faults;
    Counters m_counters;
};

} // namespace station::testing
