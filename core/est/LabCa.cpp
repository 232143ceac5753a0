#include "LabCa.h"

#include "FileUtil.h"
#include "crypto/CertificateIssuer.h"
#include "crypto/ChainVerifier.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcLabCa, "station.est.labca")

namespace station::est {

using namespace station::crypto;

namespace {

QStringList defaultServerNames()
{
    return {QStringLiteral("127.0.0.1"), QStringLiteral("::1"), QStringLiteral("localhost")};
}

QList<SubjectAltName> sansFor(const QStringList &names)
{
    QList<SubjectAltName> sans;
    for (const QString &name : names) {
        SubjectAltName san;
        san.type = QHostAddress(name).isNull() ? SubjectAltName::Type::Dns : SubjectAltName::Type::Ip;
        san.value = name;
        sans.append(san);
    }
    return sans;
}

bool coversAll(const Certificate &cert, const QStringList &names)
{
    const QList<SubjectAltName> present = cert.subjectAltNames();
    for (const QString &name : names) {
        bool found = false;
        for (const SubjectAltName &san : present)
            found = found || san.value.compare(name, Qt::CaseInsensitive) == 0 ||
                    (san.type == SubjectAltName::Type::Ip && QHostAddress(san.value) == QHostAddress(name));
        if (!found)
            return false;
    }
    return true;
}

Result<QPair<Certificate, PrivateKey>> loadPair(const QString &certPath, const QString &keyPath)
{
    auto certPem = readFileBounded(certPath);
    if (!certPem)
        return fail(certPem.error());
    auto cert = Certificate::fromPem(*certPem);
    if (!cert)
        return fail(cert.error().withContext(certPath));
    auto keyPem = readFileBounded(keyPath);
    if (!keyPem)
        return fail(keyPem.error());
    SecretBytes keyBytes(std::move(*keyPem));
    auto key = PrivateKey::fromPem(keyBytes.borrow());
    if (!key)
        return fail(key.error().withContext(keyPath));
    if (!cert->matchesKey(*key))
        return fail(ErrorCode::Verification, QStringLiteral("%1 does not belong to %2").arg(keyPath, certPath), {},
                    QStringLiteral("remove both files to have them created anew"));
    return qMakePair(*cert, *key);
}

Result<void> savePair(const QString &certPath, const Certificate &cert, const QString &keyPath, const PrivateKey &key)
{
    auto pem = key.toPkcs8Pem();
    if (!pem)
        return fail(pem.error());
    if (auto r = writeFileAtomically(keyPath, pem->view(), FileSecrecy::Secret); !r)
        return r;
    return writeFileAtomically(certPath, cert.toPem(), FileSecrecy::Public);
}

} // namespace

QString LabCa::path(const char *fileName) const
{
    return QDir(m_options.directory).filePath(QString::fromLatin1(fileName));
}

Result<LabCa> LabCa::openOrCreate(const Options &options)
{
    if (options.directory.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("no lab CA folder given"), {},
                    QStringLiteral("pass --dir FOLDER"));
    if (!QDir().mkpath(options.directory))
        return fail(ErrorCode::Io, QStringLiteral("cannot create the lab CA folder %1").arg(options.directory));
    QFile::setPermissions(options.directory, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                                 QFileDevice::ReadGroup | QFileDevice::ExeGroup |
                                                 QFileDevice::ReadOther | QFileDevice::ExeOther);
    LabCa ca;
    ca.m_options = options;
    const QDateTime now = QDateTime::currentDateTimeUtc();

    // The CA: created once, then reused — certificates issued earlier stay valid across restarts.
    if (QFile::exists(ca.path(kCaCert)) || QFile::exists(ca.path(kCaKey))) {
        auto pair = loadPair(ca.path(kCaCert), ca.path(kCaKey));
        if (!pair)
            return fail(pair.error());
        ca.m_caCert = pair->first;
        ca.m_caKey = pair->second;
    } else {
        qCInfo(lcLabCa) << "creating a new lab CA in" << options.directory;
        auto key = PrivateKey::generate(options.caKeyType);
        if (!key)
            return fail(key.error());
        CertificateProfile profile;
        profile.subject.append(QStringLiteral("CN"), options.caCommonName);
        profile.subject.append(QStringLiteral("O"), QStringLiteral("Provisioning Station Lab"));
        profile.isCa = true;
        profile.validityDays = 3650;
        auto cert = CertificateIssuer::selfSigned(profile, *key);
        if (!cert)
            return fail(cert.error());
        if (auto r = savePair(ca.path(kCaCert), *cert, ca.path(kCaKey), *key); !r)
            return fail(r.error());
        ca.m_caCert = *cert;
        ca.m_caKey = *key;
    }

    // The TLS server certificate: re-issued when a name is missing, it expires soon, or the CA changed.
    QStringList names = defaultServerNames();
    for (const QString &n : options.serverNames) {
        if (!names.contains(n, Qt::CaseInsensitive))
            names.append(n);
    }
    bool needServer = true;
    if (QFile::exists(ca.path(kServerCert)) && QFile::exists(ca.path(kServerKey))) {
        auto pair = loadPair(ca.path(kServerCert), ca.path(kServerKey));
        if (pair && coversAll(pair->first, names) && pair->first.isValidAt(now.addDays(1)) &&
            pair->first.isSignedBy(ca.m_caCert)) {
            ca.m_serverCert = pair->first;
            ca.m_serverKey = pair->second;
            needServer = false;
        }
    }
    if (needServer) {
        auto key = PrivateKey::generate(KeyType::EcP256);
        if (!key)
            return fail(key.error());
        CertificateProfile profile;
        profile.subject.append(QStringLiteral("CN"), QStringLiteral("Lab EST server"));
        profile.subject.append(QStringLiteral("O"), QStringLiteral("Provisioning Station Lab"));
        profile.subjectAltNames = sansFor(names);
        profile.validityDays = 397;
        profile.keyUsage = DigitalSignature | KeyEncipherment;
        profile.extendedKeyUsages = {QStringLiteral("serverAuth")};
        auto cert = CertificateIssuer::issue(profile, *key, ca.m_caCert, ca.m_caKey);
        if (!cert)
            return fail(cert.error());
        if (auto r = savePair(ca.path(kServerCert), *cert, ca.path(kServerKey), *key); !r)
            return fail(r.error());
        ca.m_serverCert = *cert;
        ca.m_serverKey = *key;
    }

    // The bootstrap client credential that `--auth mtls` accepts for enrollment (what a factory's bootstrap
    // PKI issues), marked with the enrollment policy. One from before the policy existed gets a new
    // certificate for its key, so whoever holds bootstrap-key.pem keeps working.
    bool needBootstrap = true;
    std::optional<PrivateKey> bootstrapKey;
    if (QFile::exists(ca.path(kBootstrapCert)) && QFile::exists(ca.path(kBootstrapKey))) {
        auto pair = loadPair(ca.path(kBootstrapCert), ca.path(kBootstrapKey));
        if (pair && pair->first.isValidAt(now.addDays(1)) && pair->first.isSignedBy(ca.m_caCert)) {
            if (isEnrollmentCredential(pair->first)) {
                ca.m_bootstrapCert = pair->first;
                needBootstrap = false;
            } else {
                qCInfo(lcLabCa) << "re-issuing the bootstrap certificate with the enrollment policy";
                bootstrapKey = pair->second;
            }
        }
    }
    if (needBootstrap) {
        auto key = bootstrapKey ? Result<PrivateKey>(*bootstrapKey) : PrivateKey::generate(KeyType::EcP256);
        if (!key)
            return fail(key.error());
        CertificateProfile profile;
        profile.subject.append(QStringLiteral("CN"), QStringLiteral("station-bootstrap"));
        profile.subject.append(QStringLiteral("O"), QStringLiteral("Provisioning Station Lab"));
        profile.validityDays = 825;
        profile.keyUsage = DigitalSignature;
        profile.extendedKeyUsages = {QStringLiteral("clientAuth")};
        profile.certificatePolicies = {QString::fromLatin1(kEnrollmentPolicyOid)};
        auto cert = CertificateIssuer::issue(profile, *key, ca.m_caCert, ca.m_caKey);
        if (!cert)
            return fail(cert.error());
        if (auto r = savePair(ca.path(kBootstrapCert), *cert, ca.path(kBootstrapKey), *key); !r)
            return fail(r.error());
        ca.m_bootstrapCert = *cert;
    }
    return ca;
}

Result<Certificate> LabCa::issue(const CertificateRequest &csr, const PrivateKey *subjectKey) const
{
    return issueUnitCertificate(csr, subjectKey, m_caCert, m_caKey, m_options.issuedValidityDays);
}

Result<Certificate> LabCa::issueUnitCertificate(const CertificateRequest &csr, const PrivateKey *subjectKey,
                                                const Certificate &caCert, const PrivateKey &caKey, int validityDays)
{
    CertificateProfile profile;
    profile.subject = csr.subject();
    if (profile.subject.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("the CSR has an empty subject"), {},
                    QStringLiteral("put the unit's identity in the CSR subject, e.g. CN=<serial number>"));
    profile.subjectAltNames = csr.subjectAltNames();
    profile.validityDays = validityDays;
    const PrivateKey key = subjectKey ? *subjectKey : csr.publicKey();
    profile.keyUsage = DigitalSignature;
    if (key.algorithmName().startsWith(QStringLiteral("RSA")))
        profile.keyUsage |= KeyEncipherment;
    profile.extendedKeyUsages = {QStringLiteral("clientAuth")}; // to authenticate its own simplereenroll
    // Never the enrollment policy: a unit's certificate must not let it enroll other identities.
    if (!subjectKey)
        return CertificateIssuer::issue(profile, csr, caCert, caKey);
    return CertificateIssuer::issue(profile, key, caCert, caKey);
}

Result<Certificate> LabCa::verifyClient(const QList<Certificate> &chain) const
{
    if (chain.isEmpty())
        return fail(ErrorCode::Authentication, QStringLiteral("no client certificate presented"));
    if (!m_clientVerifier)
        m_clientVerifier.emplace(QList<Certificate>{m_caCert});
    auto verified = m_clientVerifier->verify(chain.first(), chain.mid(1));
    if (!verified)
        return fail(Error(ErrorCode::Authentication, verified.error().message, verified.error().detail));
    return chain.first();
}

Result<void> LabCa::checkClientUsage(const Certificate &cert)
{
    auto refuse = [](const QString &why) {
        return fail(ErrorCode::Authentication,
                    QStringLiteral("the client certificate is not for TLS client authentication: %1").arg(why));
    };
    const std::optional<unsigned> usage = cert.keyUsage();
    if (!usage)
        return refuse(QStringLiteral("it has no keyUsage"));
    if (!(*usage & DigitalSignature))
        return refuse(QStringLiteral("its keyUsage lacks digitalSignature"));
    const QStringList eku = cert.extendedKeyUsages();
    if (eku.isEmpty())
        return refuse(QStringLiteral("it has no extendedKeyUsage"));
    if (!eku.contains(QStringLiteral("1.3.6.1.5.5.7.3.2")))
        return refuse(QStringLiteral("its extendedKeyUsage lacks clientAuth"));
    return {};
}

bool LabCa::isEnrollmentCredential(const Certificate &cert)
{
    return cert.certificatePolicies().contains(QString::fromLatin1(kEnrollmentPolicyOid));
}

} // namespace station::est
