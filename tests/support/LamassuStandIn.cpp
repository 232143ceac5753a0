#include "LamassuStandIn.h"

#include "crypto/CertificateIssuer.h"

#include <QJsonArray>
#include <QUuid>

namespace station::testing {

using namespace station::crypto;
using est::HttpRequest;
using est::HttpResponse;

namespace {

const QByteArray kDevicesPath = "/api/devmanager/v1/devices";
const QByteArray kDmsPath = "/api/dmsmanager/v1/dms/";
const QByteArray kRealmPath = "/auth/realms/lamassu";
const QByteArray kTokenPath = kRealmPath + "/protocol/openid-connect/token";
const QByteArray kDiscoveryPath = kRealmPath + "/.well-known/openid-configuration";
const QByteArray kGatewayEstPath = "/api/dmsmanager/.well-known/est";
const QByteArray kEstPath = "/.well-known/est";
const QString kRequiredRole = QStringLiteral("pki-admin");

Result<PrivateKey> newKey()
{
    return PrivateKey::generate(KeyType::EcP256);
}

/// One path segment as the router sees it (percent-decoded); empty when it is not one segment.
QString segment(const QByteArray &raw)
{
    const QString decoded = QString::fromUtf8(QByteArray::fromPercentEncoding(raw));
    return decoded.contains(QLatin1Char('/')) ? QString() : decoded;
}

QString toPemString(const Certificate &cert)
{
    return QString::fromLatin1(cert.toPem());
}

} // namespace

LamassuStandIn::LamassuStandIn(QObject *parent) : LamassuStandIn(Options{}, parent) {}

LamassuStandIn::LamassuStandIn(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options)),
      m_tokens({m_options.clientId, m_options.clientSecret, m_options.clientRoles}, m_options.tokenLifetimeSeconds)
{}

LamassuStandIn::~LamassuStandIn() = default;

Result<void> LamassuStandIn::start()
{
    auto makeCa = [](const QString &name, Ca *ca) -> Result<void> {
        auto key = newKey();
        if (!key)
            return fail(key.error());
        CertificateProfile profile;
        profile.subject.append(QStringLiteral("CN"), name);
        profile.subject.append(QStringLiteral("O"), QStringLiteral("Lamassu stand-in"));
        profile.isCa = true;
        profile.validityDays = 3650;
        auto cert = CertificateIssuer::selfSigned(profile, *key);
        if (!cert)
            return fail(cert.error());
        *ca = Ca{*cert, *key, QUuid::createUuid().toString(QUuid::WithoutBraces)};
        return {};
    };
    for (auto [name, ca] : {std::pair{QStringLiteral("Lamassu gateway CA"), &m_serverCa},
                            std::pair{QStringLiteral("Factory bootstrap CA"), &m_validationCa},
                            std::pair{QStringLiteral("Lamassu device enrollment CA"), &m_enrollmentCa}}) {
        if (auto made = makeCa(name, ca); !made)
            return made;
    }

    auto serverKey = newKey();
    if (!serverKey)
        return fail(serverKey.error());
    CertificateProfile server;
    server.subject.append(QStringLiteral("CN"), QStringLiteral("127.0.0.1"));
    server.subjectAltNames = {{SubjectAltName::Type::Ip, QStringLiteral("127.0.0.1"), {}},
                              {SubjectAltName::Type::Dns, QStringLiteral("localhost"), {}}};
    server.keyUsage = DigitalSignature | KeyEncipherment;
    server.extendedKeyUsages = {QStringLiteral("serverAuth")};
    server.validityDays = 397;
    auto serverCert = CertificateIssuer::issue(server, *serverKey, m_serverCa.cert, m_serverCa.key);
    if (!serverCert)
        return fail(serverCert.error());
    m_serverCert = *serverCert;
    m_serverKey = *serverKey;

    auto bootstrapKey = newKey();
    if (!bootstrapKey)
        return fail(bootstrapKey.error());
    CertificateProfile bootstrap;
    bootstrap.subject.append(QStringLiteral("CN"), QStringLiteral("station-bootstrap"));
    bootstrap.keyUsage = DigitalSignature;
    bootstrap.extendedKeyUsages = {QStringLiteral("clientAuth")};
    auto bootstrapCert = CertificateIssuer::issue(bootstrap, *bootstrapKey, m_validationCa.cert, m_validationCa.key);
    if (!bootstrapCert)
        return fail(bootstrapCert.error());
    m_bootstrapCert = *bootstrapCert;
    m_bootstrapKey = *bootstrapKey;
    m_dmsCreated = m_clock.next();

    // Client certificates are asked for, never required: Lamassu decides, and answers 500 with a reason.
    auto tls = est::HttpsServer::tlsConfiguration(m_serverCert, m_serverKey, {m_validationCa.cert, m_enrollmentCa.cert},
                                                  {}, m_options.tls12Only ? QSsl::TlsV1_2 : QSsl::TlsV1_2OrLater);
    if (!tls)
        return fail(tls.error());
    est::HttpsServer::Options serverOptions;
    serverOptions.tls = *tls;
    delete m_server;
    m_server = new est::HttpsServer(
        serverOptions,
        [this](const HttpRequest &request, const est::HttpsServer::Peer &peer,
               const est::HttpsServer::Responder &responder) { handle(request, peer, responder); },
        this);
    if (auto listening = m_server->listen(QHostAddress::LocalHost, 0); !listening)
        return listening;
    m_tokens.setIssuerUrl(baseUrl().toString() + QString::fromLatin1(kRealmPath));
    return {};
}

quint16 LamassuStandIn::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QUrl LamassuStandIn::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    return url;
}

QUrl LamassuStandIn::estUrl() const
{
    QUrl url = baseUrl();
    url.setPath(QString::fromLatin1(kGatewayEstPath) + QLatin1Char('/') + m_options.dmsId);
    return url;
}

QUrl LamassuStandIn::tokenUrl() const
{
    QUrl url = baseUrl();
    url.setPath(QString::fromLatin1(kTokenPath));
    return url;
}

QString LamassuStandIn::serverCaPem() const
{
    return toPemString(m_serverCa.cert);
}

QString LamassuStandIn::bootstrapCertPem() const
{
    return toPemString(m_bootstrapCert);
}

QString LamassuStandIn::bootstrapKeyPem() const
{
    auto pem = m_bootstrapKey.toPkcs8Pem();
    return pem ? QString::fromLatin1(pem->view().toByteArray()) : QString();
}

QString LamassuStandIn::enrollmentCaPem() const
{
    return toPemString(m_enrollmentCa.cert);
}

QString LamassuStandIn::validationCaPem() const
{
    return toPemString(m_validationCa.cert);
}

Result<LamassuStandIn::Credential>
LamassuStandIn::issueBootstrapCredential(const QString &commonName, const QDateTime &notBefore, int validityDays) const
{
    auto key = newKey();
    if (!key)
        return fail(key.error());
    CertificateProfile profile;
    profile.subject.append(QStringLiteral("CN"), commonName);
    profile.keyUsage = DigitalSignature;
    profile.extendedKeyUsages = {QStringLiteral("clientAuth")};
    profile.validityDays = validityDays;
    if (notBefore.isValid()) {
        profile.notBefore = notBefore;
        profile.notAfter = notBefore.addDays(validityDays);
    }
    auto cert = CertificateIssuer::issue(profile, *key, m_validationCa.cert, m_validationCa.key);
    if (!cert)
        return fail(cert.error());
    auto keyPem = key->toPkcs8Pem();
    if (!keyPem)
        return fail(keyPem.error());
    return Credential{toPemString(*cert), QString::fromLatin1(keyPem->view().toByteArray())};
}

QString LamassuStandIn::issueToken()
{
    return QString::fromLatin1(m_tokens.issue());
}

void LamassuStandIn::expireAllTokens()
{
    m_tokens.expireAll();
}

void LamassuStandIn::setRegistrationMode(RegistrationMode mode)
{
    m_options.mode = mode;
}

void LamassuStandIn::setReplaceableEnrollment(bool replaceable)
{
    m_options.replaceableEnrollment = replaceable;
}

void LamassuStandIn::setAuthMode(const QString &authMode)
{
    m_options.authMode = authMode;
}

void LamassuStandIn::setServerKeygen(bool enabled, const QString &keyType, int bits)
{
    m_options.serverKeygenEnabled = enabled;
    m_options.serverKeyType = keyType;
    m_options.serverKeyBits = bits;
}

void LamassuStandIn::revokeCertificate(const QString &serial)
{
    m_revoked.insert(serial);
}

QString LamassuStandIn::lamassuSerial(const Certificate &certificate)
{
    // Go: fmt.Sprintf("%x", serial) — no leading zeros — padded to whole bytes, then '-' every two digits.
    QString hex = certificate.serialHex().toLower();
    while (hex.size() > 1 && hex.startsWith(QLatin1Char('0')))
        hex.remove(0, 1);
    if (hex.size() % 2 != 0)
        hex.prepend(QLatin1Char('0'));
    QStringList pairs;
    for (qsizetype i = 0; i < hex.size(); i += 2)
        pairs.append(hex.mid(i, 2));
    return pairs.join(QLatin1Char('-'));
}

void LamassuStandIn::failNextRequests(int count, int httpStatus, QByteArray body)
{
    if (count > 0)
        m_faults.append({Fault::Kind::Fail, count, httpStatus, std::move(body), Delivery::Unprocessed});
}

void LamassuStandIn::hangNextRequests(int count, Delivery delivery)
{
    if (count > 0)
        m_faults.append({Fault::Kind::Hang, count, 0, {}, delivery});
}

void LamassuStandIn::garbageNextRequests(int count)
{
    if (count > 0)
        m_faults.append({Fault::Kind::Garbage, count, 0, {}, Delivery::Processed});
}

void LamassuStandIn::dropNextConnections(int count, Delivery delivery)
{
    if (count > 0)
        m_faults.append({Fault::Kind::Drop, count, 0, {}, delivery});
}

std::optional<LamassuStandIn::Fault> LamassuStandIn::takeFault()
{
    if (m_faults.isEmpty())
        return std::nullopt;
    Fault fault = m_faults.first();
    if (--m_faults.first().remaining <= 0)
        m_faults.removeFirst();
    return fault;
}

QMap<QString, LamassuStandIn::DeviceRecord> LamassuStandIn::devices() const
{
    QMap<QString, DeviceRecord> out;
    for (const lamassu::Device &device : m_devices.all()) {
        DeviceRecord record{device.toJson(), {}};
        if (device.identity)
            record.certSerials = device.identity->versions.values();
        out.insert(device.id, record);
    }
    return out;
}

bool LamassuStandIn::addDevice(const QJsonObject &createBody)
{
    return m_devices.create(createBody);
}

QJsonObject LamassuStandIn::dmsJson() const
{
    const bool jitp = m_options.mode == RegistrationMode::Jitp;
    const QJsonObject est{{QStringLiteral("auth_mode"), m_options.authMode},
                          {QStringLiteral("client_certificate_settings"),
                           QJsonObject{{QStringLiteral("validation_cas"), QJsonArray{m_validationCa.id}},
                                       {QStringLiteral("chain_level_validation"), -1},
                                       {QStringLiteral("allow_expired"), false}}},
                          {QStringLiteral("external_webhook"),
                           QJsonObject{{QStringLiteral("name"), QString()}, {QStringLiteral("url"), QString()}}}};
    const QJsonObject enrollment{
        {QStringLiteral("protocol"), QStringLiteral("EST_RFC7030")},
        {QStringLiteral("est_rfc7030_settings"), est},
        {QStringLiteral("device_provisioning_profile"),
         QJsonObject{{QStringLiteral("icon"), m_options.deviceIcon},
                     {QStringLiteral("icon_color"), m_options.deviceIconColor},
                     {QStringLiteral("metadata"), QJsonObject{}},
                     {QStringLiteral("tags"), QJsonArray{}}}},
        {QStringLiteral("enrollment_ca"), m_enrollmentCa.id},
        {QStringLiteral("enable_replaceable_enrollment"), m_options.replaceableEnrollment},
        {QStringLiteral("registration_mode"), jitp ? QStringLiteral("JITP") : QStringLiteral("PRE_REGISTRATION")}};
    const QJsonObject settings{
        {QStringLiteral("server_keygen_settings"),
         QJsonObject{{QStringLiteral("enabled"), m_options.serverKeygenEnabled},
                     {QStringLiteral("key"), QJsonObject{{QStringLiteral("type"), m_options.serverKeyType},
                                                         {QStringLiteral("bits"), m_options.serverKeyBits}}}}},
        {QStringLiteral("enrollment_settings"), enrollment},
        {QStringLiteral("reenrollment_settings"),
         QJsonObject{{QStringLiteral("additional_validation_cas"), QJsonArray{}},
                     {QStringLiteral("revoke_on_reenrollment"), m_options.revokeOnReenrollment},
                     {QStringLiteral("reenrollment_delta"), QStringLiteral("1w")},
                     {QStringLiteral("enable_expired_renewal"), m_options.enableExpiredRenewal},
                     {QStringLiteral("preventive_delta"), QStringLiteral("3d")},
                     {QStringLiteral("critical_delta"), QStringLiteral("1d")}}},
        {QStringLiteral("ca_distribution_settings"),
         QJsonObject{{QStringLiteral("include_system_ca"), m_options.includeSystemCa},
                     {QStringLiteral("include_enrollment_ca"), m_options.includeEnrollmentCa},
                     {QStringLiteral("managed_cas"), QJsonArray{}}}}};
    return QJsonObject{{QStringLiteral("id"), m_options.dmsId},
                       {QStringLiteral("name"), m_options.dmsName},
                       {QStringLiteral("metadata"), QJsonObject{}},
                       {QStringLiteral("creation_ts"), lamassu::goTime(m_dmsCreated)},
                       {QStringLiteral("settings"), settings}};
}

void LamassuStandIn::handle(const HttpRequest &request, const est::HttpsServer::Peer &peer,
                            const est::HttpsServer::Responder &responder)
{
    Q_EMIT requestSeen(request.method, request.path);
    const QByteArray &path = request.path;
    if (request.method == "POST" && path == kDevicesPath)
        m_counters.createPosts++;
    else if (request.method == "GET" && path.startsWith(kDevicesPath + '/'))
        m_counters.gets++;
    else if (request.method == "PATCH" && path.startsWith(kDevicesPath + '/'))
        m_counters.metadataPatches++;
    else if (request.method == "GET" && path.startsWith(kDmsPath))
        m_counters.dmsGets++;

    const std::optional<Fault> fault = path.startsWith("/api/devmanager/") ? takeFault() : std::nullopt;
    if (!fault) {
        responder.send(route(request, peer));
        return;
    }
    m_counters.faultsInjected++;
    switch (fault->kind) {
    case Fault::Kind::Fail: {
        const QByteArray type = fault->body.startsWith('{') || fault->body.startsWith('[')
                                    ? QByteArray("application/json; charset=utf-8")
                                    : QByteArray("text/plain; charset=utf-8");
        responder.send(HttpResponse(fault->status, type, fault->body));
        return;
    }
    case Fault::Kind::Hang:
        if (fault->delivery == Delivery::Processed)
            (void)route(request, peer);
        return; // never answered: the client's timeout has to end it
    case Fault::Kind::Drop:
        if (fault->delivery == Delivery::Processed)
            (void)route(request, peer);
        responder.abort();
        return;
    case Fault::Kind::Garbage: {
        HttpResponse response = route(request, peer);
        response.body = "<html><body><h1>Service temporarily unavailable</h1>\n\x01\x02 not JSON";
        responder.send(response);
        return;
    }
    }
}

HttpResponse LamassuStandIn::route(const HttpRequest &request, const est::HttpsServer::Peer &peer)
{
    const QByteArray &path = request.path;
    if (path == kTokenPath) {
        lamassu::TokenIssuer::Grant grant = m_tokens.grant(request);
        if (grant.granted)
            m_counters.tokenGrants++;
        return grant.response;
    }
    if (path == kDiscoveryPath && request.method == "GET") {
        const QString issuer = baseUrl().toString() + QString::fromLatin1(kRealmPath);
        return lamassu::ginJson(
            200,
            QJsonObject{{QStringLiteral("issuer"), issuer},
                        {QStringLiteral("token_endpoint"), tokenUrl().toString()},
                        {QStringLiteral("grant_types_supported"), QJsonArray{QStringLiteral("client_credentials")}},
                        {QStringLiteral("token_endpoint_auth_methods_supported"),
                         QJsonArray{QStringLiteral("client_secret_basic"), QStringLiteral("client_secret_post")}}});
    }
    for (const QByteArray &prefix : {kGatewayEstPath, kEstPath}) {
        if (path == prefix || path.startsWith(prefix + '/'))
            return est(request, peer, path.mid(prefix.size()));
    }
    const bool devManager = path.startsWith("/api/devmanager/");
    if (devManager || path.startsWith("/api/dmsmanager/")) {
        if (auto refused = gatewayRefusal(request))
            return *refused;
        return devManager ? deviceManager(request) : dmsManager(request);
    }
    return lamassu::ginNotFound();
}

std::optional<HttpResponse> LamassuStandIn::gatewayRefusal(const HttpRequest &request)
{
    const lamassu::TokenIssuer::Check check = m_tokens.check(request.header("Authorization"), kRequiredRole);
    if (check == lamassu::TokenIssuer::Check::Valid)
        return std::nullopt;
    m_counters.unauthorized++;
    return m_tokens.refusal(check);
}

HttpResponse LamassuStandIn::deviceManager(const HttpRequest &request)
{
    const QByteArray &path = request.path;
    if (path == kDevicesPath) {
        if (request.method != "POST")
            return lamassu::ginNotFound();
        lamassu::DeviceStore::CreateOutcome outcome = m_devices.create(request.body);
        m_counters.created += outcome.created ? 1 : 0;
        m_counters.duplicates += outcome.duplicate ? 1 : 0;
        return outcome.response;
    }
    if (!path.startsWith(kDevicesPath + '/'))
        return lamassu::ginNotFound();
    const QList<QByteArray> rest = path.mid(kDevicesPath.size() + 1).split('/');
    const QString id = segment(rest.first());
    if (id.isEmpty())
        return lamassu::ginNotFound();
    if (rest.size() == 1 && request.method == "GET")
        return m_devices.read(id);
    if (rest.size() == 2 && rest.at(1) == "metadata" && request.method == "PATCH")
        return m_devices.patchMetadata(id, request.body);
    return lamassu::ginNotFound();
}

HttpResponse LamassuStandIn::dmsManager(const HttpRequest &request)
{
    if (request.method != "GET" || !request.path.startsWith(kDmsPath))
        return lamassu::ginNotFound();
    const QString id = segment(request.path.mid(kDmsPath.size()));
    if (id.isEmpty())
        return lamassu::ginNotFound();
    // An unknown id is errs.ErrDMSNotFound through ctx.JSON(500, err): the message does not survive.
    return id == m_options.dmsId ? lamassu::ginJson(200, dmsJson()) : lamassu::ginOpaqueError(500);
}

} // namespace station::testing
