// The EST side of the Lamassu stand-in (see LamassuStandIn.h and shared/reference/LAMASSU.md): the routes,
// the request checks that answer 400, and the DMS manager's enrollment rules that answer 500 {"err": ...}.
#include "LamassuStandIn.h"

#include "crypto/Encoding.h"
#include "crypto/Pkcs7.h"
#include "est/LabCa.h"
#include "est/MultipartWriter.h"

#include <openssl/evp.h>

namespace station::testing {

using namespace station::crypto;
using est::HttpRequest;
using est::HttpResponse;

namespace {

const QByteArray kPkcs7Type = "application/pkcs7-mime; smime-type=certs-only";
const QByteArray kPemType = "application/x-pem-file";
const QByteArray kBoundary = "estServerLamassuBoundary";

/// Go's base64.StdEncoding.DecodeString: CR and LF are skipped anywhere, everything else must be the
/// standard alphabet in whole quanta, '=' padding only at the end. Spaces are an error.
std::optional<QByteArray> goStdBase64(QByteArrayView text)
{
    QByteArray clean;
    clean.reserve(text.size());
    for (const char c : text) {
        if (c != '\r' && c != '\n')
            clean.append(c);
    }
    if (clean.size() % 4 != 0)
        return std::nullopt;
    const qsizetype n = clean.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char c = clean.at(i);
        const bool alphabet =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (alphabet)
            continue;
        const bool padding = c == '=' && (i == n - 1 || (i == n - 2 && clean.at(n - 1) == '='));
        if (!padding)
            return std::nullopt;
    }
    return QByteArray::fromBase64(clean);
}

/// Gin's Context.ContentType(): the header value up to the first ' ' or ';'.
QByteArray ginContentType(const QByteArray &header)
{
    qsizetype end = header.size();
    for (qsizetype i = 0; i < header.size(); ++i) {
        if (header.at(i) == ' ' || header.at(i) == ';') {
            end = i;
            break;
        }
    }
    return header.left(end);
}

/// "base64, a CRLF after every 76 characters and after the last line" (Lamassu's breakLines).
QByteArray lamassuBase64(const QByteArray &der)
{
    return Encoding::encodeBase64(der, 76, true) + "\r\n";
}

HttpResponse certsOnly(const QList<Certificate> &certs)
{
    auto der = Pkcs7::buildCertsOnly(certs);
    if (!der)
        return lamassu::ginError(500, der.error().message);
    HttpResponse response(200, kPkcs7Type, lamassuBase64(*der));
    response.setHeader("Content-Transfer-Encoding", "base64");
    return response;
}

/// The values of every attribute `type` of a name, joined with "," (Go's strings.Join of pkix.Name fields).
QString joinedValues(const DistinguishedName &name, const QString &type)
{
    QStringList values;
    for (const DistinguishedName::Attribute &a : name.attributes()) {
        if (a.type == type)
            values.append(a.value);
    }
    return values.join(QLatin1Char(','));
}

/// Lamassu's re-enroll subject check: byte-equal names, or equal CN, OU, O, L, ST and C.
bool sameSubject(const DistinguishedName &a, const DistinguishedName &b)
{
    if (a == b)
        return true;
    for (const char *type : {"CN", "OU", "O", "L", "ST", "C"}) {
        if (joinedValues(a, QString::fromLatin1(type)) != joinedValues(b, QString::fromLatin1(type)))
            return false;
    }
    return true;
}

/// A server-side key as the DMS settings ask for it: RSA of any size, ECDSA on P-224/256/384/521 (other
/// sizes fall back to P-256, as Lamassu does).
std::expected<PrivateKey, QString> generateServerKey(const QString &type, int bits)
{
    EVP_PKEY *key = nullptr;
    if (type == QLatin1String("RSA")) {
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(qMax(bits, 0)));
    } else if (type == QLatin1String("ECDSA")) {
        const char *curve = bits == 224 ? "P-224" : bits == 384 ? "P-384" : bits == 521 ? "P-521" : "P-256";
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve);
    } else {
        return std::unexpected(QStringLiteral("unsupported key type %1").arg(type));
    }
    if (!key)
        return std::unexpected(QStringLiteral("could not generate %1 key of %2 bits").arg(type).arg(bits));
    return PrivateKey::adopt(key);
}

} // namespace

HttpResponse LamassuStandIn::est(const HttpRequest &request, const est::HttpsServer::Peer &peer,
                                 const QByteArray &estPath)
{
    // Routes: GET [/:aps]/cacerts, POST [/:aps]/simpleenroll | simplereenroll | serverkeygen. Anything
    // else (csrattrs, another method) has no route: the router's plain 404.
    const QList<QByteArray> segments = estPath.mid(1).split('/');
    if (estPath.isEmpty() || segments.size() > 2 || segments.first().isEmpty())
        return lamassu::ginNotFound();
    const QByteArray operation = segments.last();
    const QString dmsId =
        segments.size() == 2 ? QString::fromUtf8(QByteArray::fromPercentEncoding(segments.first())) : QString();
    const bool known = (operation == "cacerts" && request.method == "GET") ||
                       ((operation == "simpleenroll" || operation == "simplereenroll" || operation == "serverkeygen") &&
                        request.method == "POST");
    if (!known)
        return lamassu::ginNotFound();
    if (dmsId.isEmpty())
        return lamassu::ginError(400, QStringLiteral("Key: 'aps.APS' Error:Field validation for 'APS' failed on "
                                                     "the 'required' tag"));
    if (operation == "cacerts")
        return caCerts(request, dmsId);

    // commonEnroll: content type, base64, CSR — each a 400.
    if (ginContentType(request.header("Content-Type")) != "application/pkcs10")
        return lamassu::ginError(400, QStringLiteral("content-type must be application/pkcs10"));
    const std::optional<QByteArray> der = goStdBase64(request.body);
    if (!der)
        return lamassu::ginError(400, QStringLiteral("body payload must be base64 encoded"));
    auto csr = CertificateRequest::fromDer(*der);
    if (!csr)
        return lamassu::ginError(400,
                                 QStringLiteral("could not parse the payload into a csr: %1").arg(csr.error().message));

    if (operation == "serverkeygen")
        return serverKeygen(*csr, dmsId, request, peer);
    const Issued issued =
        operation == "simplereenroll" ? reenroll(*csr, dmsId, request, peer) : enroll(*csr, dmsId, request, peer);
    if (!issued)
        return lamassu::ginError(500, issued.error());
    if (request.header("Accept") == kPemType)
        return HttpResponse(200, kPemType, issued->toPem());
    return certsOnly({*issued});
}

HttpResponse LamassuStandIn::caCerts(const HttpRequest &request, const QString &dmsId) const
{
    QList<Certificate> cas;
    if (dmsId == m_options.dmsId) {
        if (m_options.includeSystemCa)
            cas.append(m_serverCert);
        if (m_options.includeEnrollmentCa)
            cas.append(m_enrollmentCa.cert);
    }
    if (request.header("Accept") == kPemType) {
        QStringList pems;
        for (const Certificate &ca : std::as_const(cas))
            pems.append(QString::fromLatin1(ca.toPem()));
        HttpResponse response(200, kPemType, pems.join(QLatin1Char('\n')).toLatin1());
        if (dmsId != m_options.dmsId)
            response = lamassu::ginOpaqueError(500);
        return response;
    }
    if (dmsId != m_options.dmsId) {
        // Lamassu's GetCACerts writes ctx.JSON(500, err) for an unknown DMS and carries on: the status and
        // the JSON content type are sent with "{}", then the (empty) certs-only answer is appended.
        HttpResponse response = lamassu::ginOpaqueError(500);
        auto empty = Pkcs7::buildCertsOnly({});
        if (empty)
            response.body += lamassuBase64(*empty);
        return response;
    }
    return certsOnly(cas);
}

std::optional<Certificate> LamassuStandIn::clientCertificate(const HttpRequest &request,
                                                             const est::HttpsServer::Peer &peer) const
{
    // Envoy's x-forwarded-client-cert: `...;Cert="<URL-encoded PEM>";Chain=...`, read before the TLS peer.
    const QByteArray forwarded = request.header("x-forwarded-client-cert");
    for (const QByteArray &part : forwarded.split(';')) {
        const QList<QByteArray> keyValue = part.split('=');
        if (keyValue.size() != 2 || (keyValue.first() != "Cert" && keyValue.first() != "Chain"))
            continue;
        QByteArray value = keyValue.last();
        value.replace('"', QByteArray()).replace('+', ' ');
        if (auto cert = Certificate::fromPem(QByteArray::fromPercentEncoding(value)))
            return *cert;
    }
    if (!peer.certificateChainDer.isEmpty()) {
        if (auto cert = Certificate::fromDer(peer.certificateChainDer.first()))
            return *cert;
    }
    return std::nullopt;
}

LamassuStandIn::Issued LamassuStandIn::issue(const CertificateRequest &csr)
{
    auto cert = est::LabCa::issueUnitCertificate(csr, nullptr, m_enrollmentCa.cert, m_enrollmentCa.key,
                                                 m_options.certificateValidityDays);
    if (!cert)
        return std::unexpected(cert.error().message);
    m_issuedCerts.insert(lamassuSerial(*cert), *cert);
    m_counters.enrollments++;
    return *cert;
}

LamassuStandIn::Issued LamassuStandIn::enroll(const CertificateRequest &csr, const QString &dmsId,
                                              const HttpRequest &request, const est::HttpsServer::Peer &peer)
{
    if (dmsId != m_options.dmsId)
        return std::unexpected(QStringLiteral("DMS not found"));

    const QString &auth = m_options.authMode;
    if (auth == QLatin1String("CLIENT_CERTIFICATE")) {
        const std::optional<Certificate> client = clientCertificate(request, peer);
        if (!client)
            return std::unexpected(QStringLiteral("DMS auth mode not supported"));
        if (!client->isSignedBy(m_validationCa.cert))
            return std::unexpected(QStringLiteral("invalid certificate"));
        if (!client->isValidAt(QDateTime::currentDateTimeUtc()))
            return std::unexpected(QStringLiteral("expired certificate"));
        if (m_revoked.contains(lamassuSerial(*client)))
            return std::unexpected(QStringLiteral("certificate is revoked"));
    } else if (auth == QLatin1String("EXTERNAL_WEBHOOK")) {
        if (!m_options.webhookApproves)
            return std::unexpected(QStringLiteral("external webhook denied enrollment"));
    } else if (auth != QLatin1String("NO_AUTH")) {
        return std::unexpected(QStringLiteral("DMS auth mode not supported"));
    }
    if (!csr.verifySignature())
        return std::unexpected(QStringLiteral("invalid CSR signature"));

    // The device id is the CSR's CN.
    const QString id = csr.subject().commonName();
    if (id.isEmpty())
        return std::unexpected(QStringLiteral("struct validation error"));
    const lamassu::Device *device = m_devices.find(id);
    std::optional<QString> superseded;
    if (device) {
        if (device->dmsOwner != dmsId)
            return std::unexpected(QStringLiteral("device already registered to another DMS"));
        if (!m_options.replaceableEnrollment)
            return std::unexpected(QStringLiteral("forbiddenNewEnrollment")); // even one that never enrolled
        if (device->identity)
            superseded = device->identity->versions.value(device->identity->activeVersion);
    } else if (m_options.mode == RegistrationMode::Jitp) {
        m_devices.create(QJsonObject{{QStringLiteral("id"), id},
                                     {QStringLiteral("alias"), id},
                                     {QStringLiteral("dms_id"), dmsId},
                                     {QStringLiteral("icon"), m_options.deviceIcon},
                                     {QStringLiteral("icon_color"), m_options.deviceIconColor}});
    } else {
        return std::unexpected(QStringLiteral("device not preregistered"));
    }

    const bool hadIdentity = device && device->identity;
    Issued cert = issue(csr);
    if (!cert)
        return cert;
    m_devices.bindIdentity(id, lamassuSerial(*cert),
                           hadIdentity ? QStringLiteral("RE-PROVISIONED") : QStringLiteral("PROVISIONED"));
    if (superseded)
        m_revoked.insert(*superseded); // replaced: the previous certificate is revoked (superseded)
    return cert;
}

LamassuStandIn::Issued LamassuStandIn::reenroll(const CertificateRequest &csr, const QString &dmsId,
                                                const HttpRequest &request, const est::HttpsServer::Peer &peer)
{
    const QString id = csr.subject().commonName();
    if (id.isEmpty())
        return std::unexpected(QStringLiteral("no CommonName in CSR"));
    if (dmsId != m_options.dmsId)
        return std::unexpected(QStringLiteral("DMS not found"));

    if (m_options.authMode == QLatin1String("CLIENT_CERTIFICATE")) {
        // The client certificate must be one the enrollment CA issued, for the same CN.
        const std::optional<Certificate> client = clientCertificate(request, peer);
        if (!client)
            return std::unexpected(QStringLiteral("DMS auth mode not supported"));
        if (!client->isSignedBy(m_enrollmentCa.cert) || client->subject().commonName() != id)
            return std::unexpected(QStringLiteral("invalid certificate"));
        if (!client->isValidAt(QDateTime::currentDateTimeUtc()) && !m_options.enableExpiredRenewal)
            return std::unexpected(QStringLiteral("expired certificate"));
        if (m_revoked.contains(lamassuSerial(*client)))
            return std::unexpected(QStringLiteral("certificate is revoked"));
    }

    const lamassu::Device *device = m_devices.find(id);
    if (!device)
        return std::unexpected(QStringLiteral("device not found"));
    const QString currentSerial =
        device->identity ? device->identity->versions.value(device->identity->activeVersion) : QString();
    const auto current = m_issuedCerts.constFind(currentSerial);
    if (current == m_issuedCerts.constEnd())
        return std::unexpected(QStringLiteral("could not get device certificate"));
    if (!sameSubject(current->subject(), csr.subject()))
        return std::unexpected(QStringLiteral("invalid RawSubject bytes"));
    if (!csr.verifySignature())
        return std::unexpected(QStringLiteral("invalid CSR signature"));
    if (m_revoked.contains(currentSerial))
        return std::unexpected(QStringLiteral("revoked certificate"));

    Issued cert = issue(csr);
    if (!cert)
        return cert;
    if (m_options.revokeOnReenrollment)
        m_revoked.insert(currentSerial);
    m_devices.bindIdentity(id, lamassuSerial(*cert), QStringLiteral("RENEWED"));
    return cert;
}

HttpResponse LamassuStandIn::serverKeygen(const CertificateRequest &csr, const QString &dmsId,
                                          const HttpRequest &request, const est::HttpsServer::Peer &peer)
{
    if (dmsId != m_options.dmsId)
        return lamassu::ginError(500, QStringLiteral("DMS not found"));
    if (!m_options.serverKeygenEnabled)
        return lamassu::ginError(500, QStringLiteral("server key generation not enabled"));
    auto key = generateServerKey(m_options.serverKeyType, m_options.serverKeyBits);
    if (!key)
        return lamassu::ginError(500, key.error());
    // A new CSR from the request's subject and names, signed with the new key, enrolled as usual.
    CsrSpec spec;
    spec.subject = csr.subject();
    spec.subjectAltNames = csr.subjectAltNames();
    auto newCsr = CertificateRequest::create(spec, *key);
    if (!newCsr)
        return lamassu::ginError(500, newCsr.error().message);
    const Issued cert = enroll(*newCsr, dmsId, request, peer);
    if (!cert)
        return lamassu::ginError(500, cert.error());
    auto pkcs8 = key->toPkcs8Der();
    auto p7 = Pkcs7::buildCertsOnly({*cert});
    if (!pkcs8 || !p7)
        return lamassu::ginError(500, QStringLiteral("could not encode the answer"));

    // Go's multipart writer: part headers sorted by name, CRLF everywhere, single-line base64 bodies.
    est::MultipartWriter writer(kBoundary);
    writer.addPart({{"Content-Transfer-Encoding", "base64"}, {"Content-Type", "application/pkcs8"}},
                   Encoding::encodeBase64(pkcs8->view(), 0));
    writer.addPart({{"Content-Transfer-Encoding", "base64"}, {"Content-Type", kPkcs7Type}},
                   Encoding::encodeBase64(*p7, 0));
    HttpResponse response(200, writer.contentType(), writer.finish());
    response.setHeader("Content-Transfer-Encoding", "base64");
    return response;
}

} // namespace station::testing
