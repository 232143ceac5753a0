#include "CertificateIssuer.h"

#include "OpenSslPtr.h"
#include "X509Helpers.h"

#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

namespace station::crypto {

namespace {

Result<void> addExtension(X509 *cert, int nid, void *value, bool critical, const QString &what)
{
    if (X509_add1_ext_i2d(cert, nid, value, critical ? 1 : 0, X509V3_ADD_REPLACE) != 1)
        return fail(takeOpenSslError(QStringLiteral("Adding the %1 extension").arg(what)));
    return {};
}

/// Subject key identifier as RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING.
Result<Asn1OctetStringPtr> keyIdentifier(const X509 *cert)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (X509_pubkey_digest(cert, EVP_sha1(), md, &len) != 1)
        return fail(takeOpenSslError(QStringLiteral("Computing the subject key identifier")));
    Asn1OctetStringPtr id(ASN1_OCTET_STRING_new());
    if (!id || ASN1_OCTET_STRING_set(id.get(), md, static_cast<int>(len)) != 1)
        return fail(takeOpenSslError(QStringLiteral("Encoding the subject key identifier")));
    return id;
}

Result<BignumPtr> serialNumber(const QByteArray &requested)
{
    QByteArray bytes = requested;
    if (bytes.isEmpty()) {
        bytes.resize(16);
        if (RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), 16) != 1)
            return fail(takeOpenSslError(QStringLiteral("Generating a serial number")));
        // Positive (top bit clear) and exactly 16 octets (second-highest bit set).
        bytes[0] = static_cast<char>((static_cast<unsigned char>(bytes[0]) & 0x7f) | 0x40);
    }
    BignumPtr bn(
        BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes.constData()), static_cast<int>(bytes.size()), nullptr));
    if (!bn)
        return fail(takeOpenSslError(QStringLiteral("Encoding the serial number")));
    if (BN_is_zero(bn.get()))
        return fail(ErrorCode::InvalidArgument, QStringLiteral("A certificate serial number must not be zero"));
    return bn;
}

/// Copies `from` (algorithm, parameters, key bits) into the certificate's SubjectPublicKeyInfo without
/// going through an EVP_PKEY. False for parameters of a kind it does not copy (the caller then encodes).
bool copySpki(X509 *cert, const X509_PUBKEY *from)
{
    const unsigned char *bits = nullptr;
    int length = 0;
    X509_ALGOR *algorithm = nullptr;
    if (!from || X509_PUBKEY_get0_param(nullptr, &bits, &length, &algorithm, from) != 1 || !algorithm || !bits ||
        length <= 0)
        return false;
    const ASN1_OBJECT *oid = nullptr;
    int parameterType = V_ASN1_UNDEF;
    const void *parameter = nullptr;
    X509_ALGOR_get0(&oid, &parameterType, &parameter, algorithm);
    void *parameterCopy = nullptr;
    switch (parameterType) {
    case V_ASN1_UNDEF: // Ed25519, Ed448: absent
    case V_ASN1_NULL:  // RSA
        break;
    case V_ASN1_OBJECT: // EC: the named curve
        parameterCopy = OBJ_dup(static_cast<const ASN1_OBJECT *>(parameter));
        if (!parameterCopy)
            return false;
        break;
    case V_ASN1_SEQUENCE: // explicit parameters, RSA-PSS
        parameterCopy = ASN1_STRING_dup(static_cast<const ASN1_STRING *>(parameter));
        if (!parameterCopy)
            return false;
        break;
    default: return false;
    }
    ASN1_OBJECT *oidCopy = OBJ_dup(oid);
    auto *bitsCopy = static_cast<unsigned char *>(OPENSSL_memdup(bits, size_t(length)));
    if (!oidCopy || !bitsCopy ||
        X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(cert), oidCopy, parameterType, parameterCopy, bitsCopy, length) !=
            1) {
        ASN1_OBJECT_free(oidCopy);
        OPENSSL_free(bitsCopy);
        if (parameterType == V_ASN1_OBJECT)
            ASN1_OBJECT_free(static_cast<ASN1_OBJECT *>(parameterCopy));
        else if (parameterType == V_ASN1_SEQUENCE)
            ASN1_STRING_free(static_cast<ASN1_STRING *>(parameterCopy));
        return false;
    }
    return true;
}

/// An issuer certificate that is there and belongs to the signing key.
Result<void> checkIssuer(const Certificate &issuerCert, const PrivateKey &issuerKey)
{
    if (issuerCert.isNull())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("No issuer certificate"));
    if (!issuerCert.matchesKey(issuerKey))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The issuer key does not belong to the issuer certificate"),
                    issuerCert.subject().toString());
    return {};
}

/// Builds and signs a certificate. `issuerCert` null means self-signed. `subjectSpki`, when given, is the
/// subject key's SubjectPublicKeyInfo as received, copied instead of encoding `subjectKey` again.
Result<Certificate> build(const CertificateProfile &profile, const PrivateKey &subjectKey, X509 *issuerCert,
                          const PrivateKey &signingKey, const X509_PUBKEY *subjectSpki = nullptr)
{
    if (subjectKey.isNull())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("No subject key for the certificate"));
    if (!signingKey.isPrivate())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The signing key must be a private key"));
    if (profile.subject.isEmpty() && profile.subjectAltNames.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("A certificate needs a subject or a subjectAltName"));
    if (profile.validityDays <= 0 && !profile.notAfter.isValid())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The validity period must be positive"));

    X509Ptr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1)
        return fail(takeOpenSslError(QStringLiteral("Creating the certificate")));

    auto serial = serialNumber(profile.serial);
    if (!serial)
        return fail(serial.error());
    Asn1IntegerPtr serialInt(BN_to_ASN1_INTEGER(serial->get(), nullptr));
    if (!serialInt || X509_set_serialNumber(cert.get(), serialInt.get()) != 1)
        return fail(takeOpenSslError(QStringLiteral("Setting the serial number")));

    const QDateTime notBefore =
        profile.notBefore.isValid() ? profile.notBefore.toUTC() : QDateTime::currentDateTimeUtc().addSecs(-5 * 60);
    const QDateTime notAfter =
        profile.notAfter.isValid() ? profile.notAfter.toUTC() : notBefore.addDays(profile.validityDays);
    if (notAfter <= notBefore)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("notAfter must be later than notBefore"));
    if (!ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(notBefore.toSecsSinceEpoch())) ||
        !ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(notAfter.toSecsSinceEpoch())))
        return fail(takeOpenSslError(QStringLiteral("Setting the validity period")));

    auto subjectName = profile.subject.toX509Name();
    if (!subjectName)
        return fail(subjectName.error());
    X509NamePtr subject(*subjectName);
    if (X509_set_subject_name(cert.get(), subject.get()) != 1 ||
        X509_set_issuer_name(cert.get(), issuerCert ? X509_get_subject_name(issuerCert) : subject.get()) != 1 ||
        (!copySpki(cert.get(), subjectSpki) && X509_set_pubkey(cert.get(), subjectKey.native()) != 1))
        return fail(takeOpenSslError(QStringLiteral("Filling in the certificate")));

    BasicConstraintsPtr bc(BASIC_CONSTRAINTS_new());
    if (!bc)
        return fail(takeOpenSslError(QStringLiteral("Allocating basicConstraints")));
    bc->ca = profile.isCa ? 0xff : 0;
    if (profile.isCa && profile.pathLength >= 0) {
        bc->pathlen = ASN1_INTEGER_new();
        if (!bc->pathlen || ASN1_INTEGER_set(bc->pathlen, profile.pathLength) != 1)
            return fail(takeOpenSslError(QStringLiteral("Encoding the path length")));
    }
    if (auto r = addExtension(cert.get(), NID_basic_constraints, bc.get(), true, QStringLiteral("basicConstraints"));
        !r)
        return fail(r.error());

    unsigned usage = profile.keyUsage;
    if (usage == 0) {
        if (profile.isCa)
            usage = KeyCertSign | CrlSign | DigitalSignature;
        else if (EVP_PKEY_get_base_id(subjectKey.native()) == EVP_PKEY_RSA)
            usage = DigitalSignature | KeyEncipherment;
        else
            usage = DigitalSignature;
    }
    Asn1BitStringPtr bits = x509::keyUsageBits(usage);
    if (auto r = addExtension(cert.get(), NID_key_usage, bits.get(), true, QStringLiteral("keyUsage")); !r)
        return fail(r.error());

    if (!profile.extendedKeyUsages.isEmpty()) {
        auto eku = x509::toExtendedKeyUsage(profile.extendedKeyUsages);
        if (!eku)
            return fail(eku.error());
        if (auto r = addExtension(cert.get(), NID_ext_key_usage, eku->get(), false, QStringLiteral("extendedKeyUsage"));
            !r)
            return fail(r.error());
    }
    if (!profile.certificatePolicies.isEmpty()) {
        // certificatePolicies ::= SEQUENCE OF PolicyInformation { policyIdentifier } (RFC 5280 §4.2.1.4).
        // OpenSSL's OID parser, because policy OIDs under 2.25 have 128-bit arcs.
        std::unique_ptr<CERTIFICATEPOLICIES, decltype([](CERTIFICATEPOLICIES *p) { CERTIFICATEPOLICIES_free(p); })>
            policies(CERTIFICATEPOLICIES_new());
        if (!policies)
            return fail(takeOpenSslError(QStringLiteral("Allocating certificatePolicies")));
        for (const QString &policy : profile.certificatePolicies) {
            ASN1_OBJECT *oid = OBJ_txt2obj(policy.toLatin1().constData(), 1);
            POLICYINFO *info = oid ? POLICYINFO_new() : nullptr;
            if (!info) {
                ASN1_OBJECT_free(oid);
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("\"%1\" is not a dotted OBJECT IDENTIFIER").arg(policy),
                            takeOpenSslError(QStringLiteral("certificatePolicies")).detail);
            }
            info->policyid = oid;
            if (!sk_POLICYINFO_push(policies.get(), info)) {
                POLICYINFO_free(info);
                return fail(takeOpenSslError(QStringLiteral("Building certificatePolicies")));
            }
        }
        if (X509_add1_ext_i2d(cert.get(), NID_certificate_policies, policies.get(), 0, X509V3_ADD_DEFAULT) != 1)
            return fail(takeOpenSslError(QStringLiteral("Adding certificatePolicies")));
    }
    if (!profile.subjectAltNames.isEmpty()) {
        auto names = x509::toGeneralNames(profile.subjectAltNames);
        if (!names)
            return fail(names.error());
        // RFC 5280 §4.2.1.6: critical when the subject is empty.
        if (auto r = addExtension(cert.get(), NID_subject_alt_name, names->get(), profile.subject.isEmpty(),
                                  QStringLiteral("subjectAltName"));
            !r)
            return fail(r.error());
    }

    auto ski = keyIdentifier(cert.get());
    if (!ski)
        return fail(ski.error());
    if (auto r = addExtension(cert.get(), NID_subject_key_identifier, ski->get(), false,
                              QStringLiteral("subjectKeyIdentifier"));
        !r)
        return fail(r.error());

    AuthorityKeyIdPtr aki(AUTHORITY_KEYID_new());
    if (!aki)
        return fail(takeOpenSslError(QStringLiteral("Allocating authorityKeyIdentifier")));
    if (issuerCert) {
        const ASN1_OCTET_STRING *issuerSki = X509_get0_subject_key_id(issuerCert);
        if (issuerSki) {
            aki->keyid = ASN1_OCTET_STRING_dup(issuerSki);
        } else {
            auto computed = keyIdentifier(issuerCert);
            if (!computed)
                return fail(computed.error());
            aki->keyid = computed->release();
        }
    } else {
        aki->keyid = ASN1_OCTET_STRING_dup(ski->get());
    }
    if (!aki->keyid)
        return fail(takeOpenSslError(QStringLiteral("Encoding authorityKeyIdentifier")));
    if (auto r = addExtension(cert.get(), NID_authority_key_identifier, aki.get(), false,
                              QStringLiteral("authorityKeyIdentifier"));
        !r)
        return fail(r.error());

    if (X509_sign(cert.get(), signingKey.native(), x509::signingDigest(signingKey.native())) <= 0)
        return fail(takeOpenSslError(QStringLiteral("Signing the certificate")));
    clearOpenSslErrors();
    if (subjectSpki) {
        // Copied key bytes leave the object without a decoded key (a verifier looks for one): hand back the
        // certificate as any reader of it gets it, parsed from its DER.
        unsigned char *der = nullptr;
        const int length = i2d_X509(cert.get(), &der);
        if (length <= 0)
            return fail(takeOpenSslError(QStringLiteral("Encoding the certificate")));
        auto parsed = Certificate::fromDer(QByteArray(reinterpret_cast<const char *>(der), length));
        OPENSSL_free(der);
        return parsed;
    }
    return Certificate::adopt(cert.release());
}

} // namespace

Result<Certificate> CertificateIssuer::selfSigned(const CertificateProfile &profile, const PrivateKey &key)
{
    return build(profile, key, nullptr, key);
}

Result<Certificate> CertificateIssuer::issue(const CertificateProfile &profile, const PrivateKey &subjectKey,
                                             const Certificate &issuerCert, const PrivateKey &issuerKey)
{
    if (auto usable = checkIssuer(issuerCert, issuerKey); !usable)
        return fail(usable.error());
    return build(profile, subjectKey, issuerCert.native(), issuerKey);
}

Result<Certificate> CertificateIssuer::issue(const CertificateProfile &profile, const CertificateRequest &csr,
                                             const Certificate &issuerCert, const PrivateKey &issuerKey)
{
    if (csr.isNull())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("No certificate request"));
    if (auto usable = checkIssuer(issuerCert, issuerKey); !usable)
        return fail(usable.error());
    return build(profile, csr.publicKey(), issuerCert.native(), issuerKey, X509_REQ_get_X509_PUBKEY(csr.native()));
}

} // namespace station::crypto
