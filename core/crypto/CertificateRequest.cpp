#include "CertificateRequest.h"

#include "Der.h"
#include "Encoding.h"
#include "OpenSslPtr.h"
#include "X509Helpers.h"

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <utility>

namespace station::crypto {

namespace {

Result<void> addExtension(STACK_OF(X509_EXTENSION) * stack, int nid, bool critical, void *value, const QString &what)
{
    X509ExtensionPtr extension(X509V3_EXT_i2d(nid, critical ? 1 : 0, value));
    if (!extension || sk_X509_EXTENSION_push(stack, extension.get()) <= 0)
        return fail(takeOpenSslError(QStringLiteral("Encoding the %1 extension").arg(what)));
    (void)extension.release();
    return {};
}

/// An Attribute { type, SET OF values } built from DER values, for OIDs OpenSSL may not know.
Result<X509AttributePtr> makeAttribute(const CsrAttribute &attribute)
{
    auto oid = der::encodeOidContent(attribute.oid);
    if (!oid)
        return fail(oid.error());
    if (attribute.valuesDer.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("CSR attribute %1 has no values").arg(attribute.oid));
    QByteArray values;
    for (const QByteArray &value : attribute.valuesDer) {
        auto tlv = der::readTlvDeep(value);
        if (!tlv || tlv->whole.size() != value.size())
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("A value of CSR attribute %1 is not one DER object").arg(attribute.oid));
        values += value;
    }
    const QByteArray encoded =
        der::encodeTlv(der::Sequence, der::encodeTlv(der::ObjectIdentifier, *oid) + der::encodeTlv(der::Set, values));
    const auto *p = reinterpret_cast<const unsigned char *>(encoded.constData());
    X509AttributePtr result(d2i_X509_ATTRIBUTE(nullptr, &p, static_cast<long>(encoded.size())));
    if (!result)
        return fail(takeOpenSslError(QStringLiteral("Encoding CSR attribute %1").arg(attribute.oid),
                                     ErrorCode::InvalidArgument));
    return result;
}

} // namespace

CertificateRequest::Data::~Data()
{
    X509_REQ_free(req);
}

CertificateRequest::CertificateRequest() = default;
CertificateRequest::~CertificateRequest() = default;
CertificateRequest::CertificateRequest(const CertificateRequest &other) = default;
CertificateRequest &CertificateRequest::operator=(const CertificateRequest &other) = default;
CertificateRequest::CertificateRequest(CertificateRequest &&other) noexcept = default;
CertificateRequest &CertificateRequest::operator=(CertificateRequest &&other) noexcept = default;

CertificateRequest CertificateRequest::adopt(X509_REQ *req, QByteArray der, bool parsed)
{
    auto d = std::make_shared<Data>();
    d->req = req;
    d->parsed = parsed;
    d->der = der.isEmpty() ? toDerBytes(req, i2d_X509_REQ) : std::move(der);
    CertificateRequest result;
    result.m_d = std::move(d);
    return result;
}

Result<CertificateRequest> CertificateRequest::create(const CsrSpec &spec, const PrivateKey &key)
{
    if (!key.isPrivate())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("A CSR must be signed with a private key"));
    if (spec.subject.isEmpty() && spec.subjectAltNames.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("A CSR needs a subject or a subjectAltName"));
    X509ReqPtr req(X509_REQ_new());
    if (!req || X509_REQ_set_version(req.get(), X509_REQ_VERSION_1) != 1)
        return fail(takeOpenSslError(QStringLiteral("Creating the CSR")));
    auto name = spec.subject.toX509Name();
    if (!name)
        return fail(name.error());
    X509NamePtr subject(*name);
    if (X509_REQ_set_subject_name(req.get(), subject.get()) != 1 || X509_REQ_set_pubkey(req.get(), key.native()) != 1)
        return fail(takeOpenSslError(QStringLiteral("Filling in the CSR")));

    X509ExtensionStackPtr extensions(sk_X509_EXTENSION_new_null());
    if (!extensions)
        return fail(takeOpenSslError(QStringLiteral("Allocating CSR extensions")));
    if (!spec.subjectAltNames.isEmpty()) {
        auto names = x509::toGeneralNames(spec.subjectAltNames);
        if (!names)
            return fail(names.error());
        if (auto added = addExtension(extensions.get(), NID_subject_alt_name, spec.subject.isEmpty(), names->get(),
                                      QStringLiteral("subjectAltName"));
            !added)
            return fail(added.error());
    }
    if (spec.keyUsage != 0) {
        Asn1BitStringPtr bits = x509::keyUsageBits(spec.keyUsage);
        if (auto added = addExtension(extensions.get(), NID_key_usage, true, bits.get(), QStringLiteral("keyUsage"));
            !added)
            return fail(added.error());
    }
    if (!spec.extendedKeyUsages.isEmpty()) {
        auto eku = x509::toExtendedKeyUsage(spec.extendedKeyUsages);
        if (!eku)
            return fail(eku.error());
        if (auto added = addExtension(extensions.get(), NID_ext_key_usage, false, eku->get(),
                                      QStringLiteral("extendedKeyUsage"));
            !added)
            return fail(added.error());
    }
    for (const RequestedExtension &extra : spec.extraExtensions) {
        auto extension = x509::makeExtension(extra.oid, extra.critical, extra.valueDer);
        if (!extension)
            return fail(extension.error());
        if (sk_X509_EXTENSION_push(extensions.get(), extension->get()) <= 0)
            return fail(takeOpenSslError(QStringLiteral("Adding the extension %1").arg(extra.oid)));
        (void)extension->release();
    }
    if (sk_X509_EXTENSION_num(extensions.get()) > 0 && X509_REQ_add_extensions(req.get(), extensions.get()) != 1)
        return fail(takeOpenSslError(QStringLiteral("Adding the extensionRequest attribute")));

    if (!spec.challengePassword.isEmpty()) {
        const QByteArray password = spec.challengePassword.toUtf8();
        if (X509_REQ_add1_attr_by_NID(req.get(), NID_pkcs9_challengePassword, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char *>(password.constData()),
                                      static_cast<int>(password.size())) != 1)
            return fail(
                takeOpenSslError(QStringLiteral("Adding the challengePassword attribute"), ErrorCode::InvalidArgument));
    }
    for (const CsrAttribute &extra : spec.extraAttributes) {
        auto attribute = makeAttribute(extra);
        if (!attribute)
            return fail(attribute.error());
        if (X509_REQ_add1_attr(req.get(), attribute->get()) != 1)
            return fail(takeOpenSslError(QStringLiteral("Adding CSR attribute %1").arg(extra.oid)));
    }

    if (X509_REQ_sign(req.get(), key.native(), x509::signingDigest(key.native())) <= 0)
        return fail(takeOpenSslError(QStringLiteral("Signing the CSR")));
    return adopt(req.release(), {}, false);
}

Result<CertificateRequest> CertificateRequest::fromDer(const QByteArray &der)
{
    if (der.isEmpty())
        return fail(ErrorCode::Parse, QStringLiteral("The CSR data is empty"));
    const auto *begin = reinterpret_cast<const unsigned char *>(der.constData());
    const unsigned char *p = begin;
    X509ReqPtr req(d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())));
    if (!req) {
        Error error = takeOpenSslError(QStringLiteral("Decoding the CSR"), ErrorCode::Parse);
        error.message = QStringLiteral("The data is not a valid DER PKCS#10 certificate request");
        return fail(std::move(error));
    }
    if (p != begin + der.size())
        return fail(ErrorCode::Parse,
                    QStringLiteral("The CSR has %1 bytes of trailing data").arg(begin + der.size() - p));
    return adopt(req.release(), der, true); // the input is exactly the DER (no trailing bytes)
}

Result<CertificateRequest> CertificateRequest::fromPem(const QByteArray &pem)
{
    auto blocks = Encoding::parsePem(pem);
    if (!blocks)
        return fail(blocks.error().withContext(QStringLiteral("Reading the CSR")));
    for (const PemBlock &block : *blocks) {
        if (block.label == "CERTIFICATE REQUEST" || block.label == "NEW CERTIFICATE REQUEST")
            return fromDer(block.der);
    }
    return fail(ErrorCode::Parse, QStringLiteral("The PEM text holds no CERTIFICATE REQUEST block"));
}

Result<CertificateRequest> CertificateRequest::fromAny(const QByteArray &data)
{
    if (Encoding::looksLikePem(data))
        return fromPem(data);
    auto der = Encoding::decodeLenient(data);
    if (!der)
        return fail(der.error().withContext(QStringLiteral("Reading the CSR")));
    return fromDer(*der);
}

bool CertificateRequest::isNull() const
{
    return m_d == nullptr;
}

QByteArray CertificateRequest::toDer() const
{
    return m_d ? m_d->der : QByteArray();
}

QByteArray CertificateRequest::toPem() const
{
    return req() ? Encoding::toPem(toDer(), "CERTIFICATE REQUEST") : QByteArray();
}

QString CertificateRequest::sha256Hex() const
{
    return req() ? Encoding::sha256Hex(toDer()) : QString();
}

Result<void> CertificateRequest::verifySignature() const
{
    if (!req())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("No CSR to verify"));
    EVP_PKEY *key = X509_REQ_get0_pubkey(req());
    if (!key)
        return fail(takeOpenSslError(QStringLiteral("Reading the CSR's public key"), ErrorCode::Verification));
    if (X509_REQ_verify(req(), key) != 1) {
        Error error = takeOpenSslError(QStringLiteral("Verifying the CSR signature"), ErrorCode::Verification);
        error.message = QStringLiteral("The CSR signature does not verify with its own public key");
        error.remedy = QStringLiteral("The CSR was altered or built incorrectly; have the device generate it again");
        return fail(std::move(error));
    }
    return {};
}

DistinguishedName CertificateRequest::subject() const
{
    return req() ? DistinguishedName::fromX509Name(X509_REQ_get_subject_name(req())) : DistinguishedName();
}

PrivateKey CertificateRequest::publicKey() const
{
    if (!req())
        return {};
    // A parsed request holds only the public key, decoded when it was parsed: share it (decoding it again
    // costs OpenSSL 3.0's decoder lookup). A request built here by create() holds the very EVP_PKEY it was
    // signed with, private half included: decode the SubjectPublicKeyInfo afresh then.
    if (m_d->parsed) {
        if (EVP_PKEY *own = X509_REQ_get0_pubkey(req()); own && EVP_PKEY_up_ref(own) == 1)
            return PrivateKey::adopt(own);
    }
    auto key = PrivateKey::publicFromSpkiDer(publicKeyDer());
    clearOpenSslErrors();
    return key ? *key : PrivateKey();
}

QByteArray CertificateRequest::publicKeyDer() const
{
    if (!req())
        return {};
    // The SubjectPublicKeyInfo as the request carries it, as Certificate::publicKeyDer() does: encoding
    // the EVP_PKEY afresh goes through OpenSSL 3's encoder lookup, the costliest step of a batch relay.
    const X509_PUBKEY *spki = X509_REQ_get_X509_PUBKEY(req());
    clearOpenSslErrors();
    return spki ? toDerBytes(spki, i2d_X509_PUBKEY) : QByteArray();
}

QList<RequestedExtension> CertificateRequest::requestedExtensions() const
{
    QList<RequestedExtension> result;
    if (!req())
        return result;
    X509ExtensionStackPtr extensions(X509_REQ_get_extensions(req()));
    clearOpenSslErrors();
    for (int i = 0; extensions && i < sk_X509_EXTENSION_num(extensions.get()); ++i) {
        X509_EXTENSION *extension = sk_X509_EXTENSION_value(extensions.get(), i);
        const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(extension);
        RequestedExtension requested;
        requested.oid = oidToText(X509_EXTENSION_get_object(extension));
        requested.critical = X509_EXTENSION_get_critical(extension) == 1;
        requested.valueDer =
            QByteArray(reinterpret_cast<const char *>(ASN1_STRING_get0_data(data)), ASN1_STRING_length(data));
        result.append(requested);
    }
    return result;
}

QList<SubjectAltName> CertificateRequest::subjectAltNames() const
{
    if (!req())
        return {};
    X509ExtensionStackPtr extensions(X509_REQ_get_extensions(req()));
    GeneralNamesPtr names(
        static_cast<GENERAL_NAMES *>(X509V3_get_d2i(extensions.get(), NID_subject_alt_name, nullptr, nullptr)));
    clearOpenSslErrors();
    return x509::fromGeneralNames(names.get());
}

unsigned CertificateRequest::keyUsage() const
{
    if (!req())
        return 0;
    X509ExtensionStackPtr extensions(X509_REQ_get_extensions(req()));
    Asn1BitStringPtr bits(
        static_cast<ASN1_BIT_STRING *>(X509V3_get_d2i(extensions.get(), NID_key_usage, nullptr, nullptr)));
    clearOpenSslErrors();
    return bits ? x509::keyUsageMask(bits.get()) : 0;
}

QStringList CertificateRequest::extendedKeyUsages() const
{
    if (!req())
        return {};
    X509ExtensionStackPtr extensions(X509_REQ_get_extensions(req()));
    ExtendedKeyUsagePtr eku(
        static_cast<EXTENDED_KEY_USAGE *>(X509V3_get_d2i(extensions.get(), NID_ext_key_usage, nullptr, nullptr)));
    clearOpenSslErrors();
    return x509::fromExtendedKeyUsage(eku.get());
}

QString CertificateRequest::challengePassword() const
{
    if (!req())
        return {};
    const int index = X509_REQ_get_attr_by_NID(req(), NID_pkcs9_challengePassword, -1);
    if (index < 0)
        return {};
    X509_ATTRIBUTE *attribute = X509_REQ_get_attr(req(), index);
    const ASN1_TYPE *value = attribute ? X509_ATTRIBUTE_get0_type(attribute, 0) : nullptr;
    if (!value ||
        (value->type != V_ASN1_PRINTABLESTRING && value->type != V_ASN1_UTF8STRING && value->type != V_ASN1_T61STRING &&
         value->type != V_ASN1_BMPSTRING && value->type != V_ASN1_UNIVERSALSTRING && value->type != V_ASN1_IA5STRING))
        return {};
    unsigned char *utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, value->value.asn1_string);
    if (len < 0 || !utf8) {
        clearOpenSslErrors();
        return {};
    }
    QString result = QString::fromUtf8(reinterpret_cast<const char *>(utf8), len);
    OPENSSL_clear_free(utf8, static_cast<size_t>(len));
    return result;
}

QStringList CertificateRequest::attributeOids() const
{
    QStringList result;
    for (int i = 0; req() && i < X509_REQ_get_attr_count(req()); ++i)
        result << oidToText(X509_ATTRIBUTE_get0_object(X509_REQ_get_attr(req(), i)));
    return result;
}

} // namespace station::crypto
