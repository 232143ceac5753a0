#include "Certificate.h"

#include "Encoding.h"
#include "OpenSslPtr.h"
#include "Pkcs7.h"
#include "PrivateKey.h"
#include "X509Helpers.h"

#include <openssl/x509v3.h>

#include <utility>

namespace station::crypto {

Certificate::Certificate() = default;

Certificate::~Certificate()
{
    X509_free(m_cert);
}

Certificate::Certificate(const Certificate &other) : m_cert(other.m_cert)
{
    if (m_cert)
        X509_up_ref(m_cert);
}

Certificate &Certificate::operator=(const Certificate &other)
{
    if (this != &other) {
        if (other.m_cert)
            X509_up_ref(other.m_cert);
        X509_free(m_cert);
        m_cert = other.m_cert;
    }
    return *this;
}

Certificate::Certificate(Certificate &&other) noexcept : m_cert(std::exchange(other.m_cert, nullptr)) {}

Certificate &Certificate::operator=(Certificate &&other) noexcept
{
    if (this != &other) {
        X509_free(m_cert);
        m_cert = std::exchange(other.m_cert, nullptr);
    }
    return *this;
}

Certificate Certificate::adopt(X509 *cert)
{
    Certificate result;
    result.m_cert = cert;
    return result;
}

Result<Certificate> Certificate::fromDer(const QByteArray &der)
{
    if (der.isEmpty())
        return fail(ErrorCode::Parse, QStringLiteral("The certificate data is empty"));
    const auto *begin = reinterpret_cast<const unsigned char *>(der.constData());
    const unsigned char *p = begin;
    X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!cert) {
        Error error = takeOpenSslError(QStringLiteral("Decoding the certificate"), ErrorCode::Parse);
        error.message = QStringLiteral("The data is not a valid DER X.509 certificate");
        return fail(std::move(error));
    }
    if (p != begin + der.size())
        return fail(ErrorCode::Parse,
                    QStringLiteral("The certificate has %1 bytes of trailing data").arg(begin + der.size() - p));
    return adopt(cert.release());
}

Result<QList<Certificate>> Certificate::listFromPem(const QByteArray &pem)
{
    auto blocks = Encoding::parsePem(pem);
    if (!blocks)
        return fail(blocks.error().withContext(QStringLiteral("Reading certificates")));
    QList<Certificate> result;
    for (const PemBlock &block : *blocks) {
        if (block.label != "CERTIFICATE" && block.label != "X509 CERTIFICATE" && block.label != "TRUSTED CERTIFICATE")
            continue;
        auto cert = fromDer(block.der);
        if (!cert)
            return fail(
                cert.error().withContext(QStringLiteral("Certificate %1 of the PEM text").arg(result.size() + 1)));
        result.append(std::move(*cert));
    }
    if (result.isEmpty())
        return fail(ErrorCode::Parse, QStringLiteral("The PEM text holds no CERTIFICATE block"));
    return result;
}

Result<Certificate> Certificate::fromPem(const QByteArray &pem)
{
    auto list = listFromPem(pem);
    if (!list)
        return fail(list.error());
    return list->first();
}

Result<QList<Certificate>> Certificate::listFromAny(const QByteArray &data)
{
    if (Encoding::looksLikePem(data)) {
        auto blocks = Encoding::parsePem(data);
        if (!blocks)
            return fail(blocks.error().withContext(QStringLiteral("Reading certificates")));
        // A PKCS#7 bundle in PEM (.p7b as text).
        if (blocks->size() == 1 && (blocks->first().label == "PKCS7" || blocks->first().label == "CMS"))
            return Pkcs7::parseCertsOnly(blocks->first().der);
        return listFromPem(data);
    }
    auto der = Encoding::decodeLenient(data);
    if (!der)
        return fail(der.error().withContext(QStringLiteral("Reading certificates")));
    auto cert = fromDer(*der);
    if (cert)
        return QList<Certificate>{std::move(*cert)};
    auto pkcs7 = Pkcs7::parseCertsOnly(*der);
    if (pkcs7)
        return pkcs7;
    return fail(ErrorCode::Parse,
                QStringLiteral("The data is neither an X.509 certificate nor a PKCS#7 certificate bundle"),
                cert.error().toString(), QStringLiteral("Provide PEM, DER or base64 of a certificate"));
}

QByteArray Certificate::listToPem(const QList<Certificate> &certificates)
{
    QByteArray out;
    for (const Certificate &cert : certificates)
        out += cert.toPem();
    return out;
}

bool Certificate::isNull() const
{
    return m_cert == nullptr;
}

QByteArray Certificate::toDer() const
{
    return m_cert ? toDerBytes(m_cert, i2d_X509) : QByteArray();
}

QByteArray Certificate::toPem() const
{
    return m_cert ? Encoding::toPem(toDer(), "CERTIFICATE") : QByteArray();
}

DistinguishedName Certificate::subject() const
{
    return m_cert ? DistinguishedName::fromX509Name(X509_get_subject_name(m_cert)) : DistinguishedName();
}

DistinguishedName Certificate::issuer() const
{
    return m_cert ? DistinguishedName::fromX509Name(X509_get_issuer_name(m_cert)) : DistinguishedName();
}

QString Certificate::serialHex() const
{
    if (!m_cert)
        return {};
    BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(m_cert), nullptr));
    if (!bn) {
        clearOpenSslErrors();
        return {};
    }
    OpenSslMemoryPtr hex(BN_bn2hex(bn.get()));
    return hex ? QString::fromLatin1(static_cast<const char *>(hex.get())).toUpper() : QString();
}

QDateTime Certificate::notBefore() const
{
    return m_cert ? x509::toDateTime(X509_get0_notBefore(m_cert)) : QDateTime();
}

QDateTime Certificate::notAfter() const
{
    return m_cert ? x509::toDateTime(X509_get0_notAfter(m_cert)) : QDateTime();
}

bool Certificate::isValidAt(const QDateTime &when) const
{
    if (!m_cert)
        return false;
    return when >= notBefore() && when <= notAfter();
}

QList<SubjectAltName> Certificate::subjectAltNames() const
{
    if (!m_cert)
        return {};
    GeneralNamesPtr names(
        static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(m_cert, NID_subject_alt_name, nullptr, nullptr)));
    clearOpenSslErrors();
    return x509::fromGeneralNames(names.get());
}

bool Certificate::isCa() const
{
    if (!m_cert)
        return false;
    const bool ca = (X509_get_extension_flags(m_cert) & EXFLAG_CA) != 0;
    clearOpenSslErrors();
    return ca;
}

bool Certificate::isSelfSigned() const
{
    if (!m_cert)
        return false;
    const bool result =
        X509_NAME_cmp(X509_get_subject_name(m_cert), X509_get_issuer_name(m_cert)) == 0 && isSignedBy(*this);
    clearOpenSslErrors();
    return result;
}

QStringList Certificate::extendedKeyUsages() const
{
    if (!m_cert)
        return {};
    ExtendedKeyUsagePtr eku(
        static_cast<EXTENDED_KEY_USAGE *>(X509_get_ext_d2i(m_cert, NID_ext_key_usage, nullptr, nullptr)));
    clearOpenSslErrors();
    return x509::fromExtendedKeyUsage(eku.get());
}

std::optional<unsigned> Certificate::keyUsage() const
{
    if (!m_cert)
        return std::nullopt;
    Asn1BitStringPtr bits(static_cast<ASN1_BIT_STRING *>(X509_get_ext_d2i(m_cert, NID_key_usage, nullptr, nullptr)));
    clearOpenSslErrors();
    if (!bits)
        return std::nullopt;
    return x509::keyUsageMask(bits.get());
}

QStringList Certificate::certificatePolicies() const
{
    if (!m_cert)
        return {};
    auto *policies =
        static_cast<CERTIFICATEPOLICIES *>(X509_get_ext_d2i(m_cert, NID_certificate_policies, nullptr, nullptr));
    clearOpenSslErrors();
    QStringList result;
    for (int i = 0; i < sk_POLICYINFO_num(policies); ++i) {
        const POLICYINFO *info = sk_POLICYINFO_value(policies, i);
        char text[128];
        const int length = OBJ_obj2txt(text, sizeof(text), info->policyid, 1);
        if (length > 0 && length < int(sizeof(text)))
            result.append(QString::fromLatin1(text, length));
    }
    CERTIFICATEPOLICIES_free(policies);
    return result;
}

QString Certificate::fingerprintSha256() const
{
    return m_cert ? Encoding::sha256Hex(toDer()) : QString();
}

QString Certificate::fingerprintSha256Colon() const
{
    if (!m_cert)
        return {};
    return QString::fromLatin1(Encoding::sha256(toDer()).toHex(':')).toUpper();
}

PrivateKey Certificate::publicKey() const
{
    if (!m_cert)
        return {};
    // Decoded afresh from the SubjectPublicKeyInfo: X509_get_pubkey() may hand back the very EVP_PKEY
    // (private half included) that the certificate was built with.
    auto key = PrivateKey::publicFromSpkiDer(publicKeyDer());
    clearOpenSslErrors();
    return key ? *key : PrivateKey();
}

QByteArray Certificate::publicKeyDer() const
{
    if (!m_cert)
        return {};
    return toDerBytes(X509_get_X509_PUBKEY(m_cert), i2d_X509_PUBKEY);
}

bool Certificate::matchesKey(const PrivateKey &key) const
{
    if (!m_cert || key.isNull())
        return false;
    const EVP_PKEY *own = X509_get0_pubkey(m_cert);
    const bool result = own && EVP_PKEY_eq(own, key.native()) == 1;
    clearOpenSslErrors();
    return result;
}

bool Certificate::isSignedBy(const Certificate &issuer) const
{
    if (!m_cert || !issuer.m_cert)
        return false;
    EVP_PKEY *key = X509_get0_pubkey(issuer.m_cert);
    const bool result = key && X509_verify(m_cert, key) == 1;
    clearOpenSslErrors();
    return result;
}

bool Certificate::operator==(const Certificate &other) const
{
    if (m_cert == other.m_cert)
        return true;
    if (!m_cert || !other.m_cert)
        return false;
    return toDer() == other.toDer();
}

} // namespace station::crypto
