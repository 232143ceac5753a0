#include "TestPki.h"

#include "crypto/CertificateIssuer.h"
#include "crypto/Encoding.h"
#include "crypto/OpenSslPtr.h"
#include "crypto/Pkcs7.h"

#include <openssl/x509.h>

namespace station::test {

using namespace station::crypto;

Result<TestPki> TestPki::create(const QString &caName)
{
    auto key = PrivateKey::generate(KeyType::EcP256);
    if (!key)
        return fail(key.error());
    CertificateProfile profile;
    profile.subject.append(QStringLiteral("CN"), caName);
    profile.isCa = true;
    profile.validityDays = 365;
    auto cert = CertificateIssuer::selfSigned(profile, *key);
    if (!cert)
        return fail(cert.error());
    TestPki pki;
    pki.m_caCert = *cert;
    pki.m_caKey = *key;
    return pki;
}

Result<Certificate> TestPki::issue(const PrivateKey &key, const QString &cn, const QList<SubjectAltName> &sans,
                                   const QStringList &extendedKeyUsages, int validityDays,
                                   const QDateTime &notBefore) const
{
    CertificateProfile profile;
    profile.subject.append(QStringLiteral("CN"), cn);
    profile.subjectAltNames = sans;
    profile.extendedKeyUsages = extendedKeyUsages;
    profile.validityDays = validityDays;
    if (notBefore.isValid()) {
        profile.notBefore = notBefore;
        profile.notAfter = notBefore.addDays(validityDays);
    }
    return CertificateIssuer::issue(profile, key, m_caCert, m_caKey);
}

Result<TestPki::Identity> TestPki::serverIdentity(const QString &cn, int validityDays, const QDateTime &notBefore) const
{
    auto key = PrivateKey::generate(KeyType::EcP256);
    if (!key)
        return fail(key.error());
    QList<SubjectAltName> sans{{SubjectAltName::Type::Ip, QStringLiteral("127.0.0.1"), {}},
                               {SubjectAltName::Type::Dns, QStringLiteral("localhost"), {}}};
    auto cert = issue(*key, cn, sans, {QStringLiteral("serverAuth")}, validityDays, notBefore);
    if (!cert)
        return fail(cert.error());
    return Identity{*cert, *key};
}

Result<TestPki::Identity> TestPki::clientIdentity(const QString &cn) const
{
    auto key = PrivateKey::generate(KeyType::EcP256);
    if (!key)
        return fail(key.error());
    auto cert = issue(*key, cn, {}, {QStringLiteral("clientAuth")});
    if (!cert)
        return fail(cert.error());
    return Identity{*cert, *key};
}

Result<Certificate> TestPki::issueForCsr(const CertificateRequest &csr) const
{
    CertificateProfile profile;
    profile.subject = csr.subject();
    profile.subjectAltNames = csr.subjectAltNames();
    profile.validityDays = 30;
    return CertificateIssuer::issue(profile, csr.publicKey(), m_caCert, m_caKey);
}

QByteArray TestPki::certsOnlyDer(const QList<Certificate> &certs)
{
    auto der = Pkcs7::buildCertsOnly(certs);
    return der ? *der : QByteArray();
}

QByteArray TestPki::certsOnlyBase64(const QList<Certificate> &certs, bool crlf76)
{
    return Encoding::encodeBase64(certsOnlyDer(certs), crlf76 ? 76 : 0, crlf76);
}

Result<QList<Certificate>> TestPki::sameNameCertificates(int count)
{
    QList<Certificate> out;
    for (int i = 0; i < count; ++i) {
        auto key = PrivateKey::generate(KeyType::EcP256);
        if (!key)
            return fail(key.error());
        X509 *x = X509_new();
        X509_NAME *name = X509_NAME_new();
        bool ok = x && name &&
                  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                             reinterpret_cast<const unsigned char *>("Same Name"), -1, -1, 0) == 1 &&
                  X509_set_version(x, 2) == 1 && ASN1_INTEGER_set(X509_get_serialNumber(x), i + 1) == 1 &&
                  X509_set_subject_name(x, name) == 1 && X509_set_issuer_name(x, name) == 1 &&
                  X509_gmtime_adj(X509_getm_notBefore(x), -300) && X509_gmtime_adj(X509_getm_notAfter(x), 86400) &&
                  X509_set_pubkey(x, key->native()) == 1 && X509_sign(x, key->native(), EVP_sha256()) > 0;
        X509_NAME_free(name);
        if (!ok) {
            X509_free(x);
            return fail(takeOpenSslError(QStringLiteral("Making a same-name test certificate")));
        }
        out.append(Certificate::adopt(x));
    }
    return out;
}

Result<CertificateRequest> TestPki::makeCsr(const QString &cn, PrivateKey *keyOut)
{
    auto key = PrivateKey::generate(KeyType::EcP256);
    if (!key)
        return fail(key.error());
    CsrSpec spec;
    spec.subject.append(QStringLiteral("CN"), cn);
    auto csr = CertificateRequest::create(spec, *key);
    if (csr && keyOut)
        *keyOut = *key;
    return csr;
}

} // namespace station::test
