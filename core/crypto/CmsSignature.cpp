#include "CmsSignature.h"

#include "OpenSslPtr.h"

#include <QFile>
#include <QSaveFile>

#include <openssl/cms.h>
#include <openssl/pem.h>

namespace station::crypto {

namespace {

using CmsPtr = std::unique_ptr<CMS_ContentInfo, OpenSslDeleter<CMS_ContentInfo_free>>;

void freeX509StackShallow(STACK_OF(X509) * stack) noexcept
{
    sk_X509_free(stack);
}
/// A stack that does not own its certificates (they belong to Certificate values or to the CMS).
using X509StackViewPtr = std::unique_ptr<STACK_OF(X509), OpenSslDeleter<freeX509StackShallow>>;

Result<BioPtr> openFileBio(const QString &path)
{
    BioPtr bio(BIO_new_file(QFile::encodeName(path).constData(), "rb"));
    if (!bio) {
        clearOpenSslErrors();
        return fail(ErrorCode::Io, QStringLiteral("Cannot read %1").arg(path), {},
                    QStringLiteral("Check the path and that the file is readable."));
    }
    return bio;
}

QDateTime signingTimeOf(CMS_ContentInfo *cms)
{
    STACK_OF(CMS_SignerInfo) *infos = CMS_get0_SignerInfos(cms);
    if (!infos || sk_CMS_SignerInfo_num(infos) < 1)
        return {};
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(infos, 0);
    const int at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
    if (at < 0)
        return {};
    X509_ATTRIBUTE *attr = CMS_signed_get_attr(si, at);
    ASN1_TYPE *value = X509_ATTRIBUTE_get0_type(attr, 0);
    if (!value || (value->type != V_ASN1_UTCTIME && value->type != V_ASN1_GENERALIZEDTIME))
        return {};
    struct tm tm {
    };
    if (ASN1_TIME_to_tm(reinterpret_cast<const ASN1_TIME *>(value->value.asn1_string), &tm) != 1)
        return {};
    return QDateTime(QDate(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday), QTime(tm.tm_hour, tm.tm_min, tm.tm_sec),
                     Qt::UTC);
}

Result<CmsPtr> parseSignature(QByteArray bytes, const QString &name)
{
    if (bytes.trimmed().startsWith("-----BEGIN")) {
        // PEM ("CMS" or "PKCS7" label): the DER inside.
        BioPtr pem = memoryBio(bytes);
        char *label = nullptr;
        char *header = nullptr;
        unsigned char *data = nullptr;
        long len = 0;
        if (PEM_read_bio(pem.get(), &label, &header, &data, &len) != 1)
            return fail(takeOpenSslError(QStringLiteral("%1 is not a CMS signature").arg(name), ErrorCode::Parse));
        bytes = QByteArray(reinterpret_cast<const char *>(data), int(len));
        OPENSSL_free(label);
        OPENSSL_free(header);
        OPENSSL_free(data);
    }
    BioPtr in = memoryBio(bytes);
    CmsPtr cms(d2i_CMS_bio(in.get(), nullptr));
    if (!cms)
        return fail(takeOpenSslError(QStringLiteral("%1 is not a CMS signature").arg(name), ErrorCode::Parse));
    if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed)
        return fail(ErrorCode::Parse, QStringLiteral("%1 is a CMS object but not a signature").arg(name));
    return cms;
}

Result<CmsPtr> readSignature(const QString &signaturePath)
{
    QFile f(signaturePath);
    if (!f.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io,
                    QStringLiteral("Cannot read the signature %1: %2").arg(signaturePath, f.errorString()), {},
                    QStringLiteral("Give the .p7s file written with the export."));
    if (f.size() > CmsSignature::kMaxSignatureBytes)
        return fail(ErrorCode::Parse, QStringLiteral("%1 is too large to be a signature").arg(signaturePath));
    return parseSignature(f.readAll(), signaturePath);
}

/// Checks `cms` over the bytes of `data`; `what` names the signed content in messages.
Result<SignatureCheck> verifyOver(CMS_ContentInfo *cms, BIO *data, const QString &what,
                                  const QList<Certificate> &trustAnchors);

} // namespace

Result<void> CmsSignature::signFile(const QString &dataPath, const QString &signaturePath, const Certificate &signer,
                                    const PrivateKey &key, const QList<Certificate> &chain)
{
    if (signer.isNull() || key.isNull())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("Signing needs a certificate and its private key"));
    if (!signer.matchesKey(key))
        return fail(
            ErrorCode::InvalidArgument,
            QStringLiteral("The signing key does not belong to the certificate %1").arg(signer.subject().toString()));
    // What `openssl cms -verify` (and verifyFile) will demand of the signer: refuse now rather than write a
    // signature nobody can check.
    if (X509_check_purpose(signer.native(), X509_PURPOSE_SMIME_SIGN, 0) != 1)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The certificate %1 may not sign documents (its key usage or extended key usage "
                                   "does not allow S/MIME signing)")
                        .arg(signer.subject().toString()),
                    {},
                    QStringLiteral("Use a signing certificate with key usage digitalSignature and extended key usage "
                                   "emailProtection (or none), not a TLS client or server certificate."));
    auto in = openFileBio(dataPath);
    if (!in)
        return fail(in.error());
    X509StackViewPtr extra(sk_X509_new_null());
    for (const Certificate &c : chain)
        sk_X509_push(extra.get(), c.native());
    // Detached, binary (no MIME canonicalisation: the bytes are signed as they are), signing time included.
    CmsPtr cms(CMS_sign(signer.native(), key.native(), extra.get(), in->get(), CMS_DETACHED | CMS_BINARY));
    if (!cms)
        return fail(takeOpenSslError(QStringLiteral("Signing %1").arg(dataPath)));
    BioPtr out(BIO_new(BIO_s_mem()));
    if (i2d_CMS_bio(out.get(), cms.get()) != 1)
        return fail(takeOpenSslError(QStringLiteral("Encoding the signature")));
    const QByteArray der = bioContents(out.get());
    QSaveFile file(signaturePath);
    if (!file.open(QIODevice::WriteOnly) || file.write(der) != der.size() || !file.commit())
        return fail(ErrorCode::Io, QStringLiteral("Cannot write %1: %2").arg(signaturePath, file.errorString()), {},
                    QStringLiteral("Check that the folder is writable and has free space."));
    return {};
}

Result<SignatureCheck> CmsSignature::verifyFile(const QString &dataPath, const QString &signaturePath,
                                                const QList<Certificate> &trustAnchors)
{
    auto cms = readSignature(signaturePath);
    if (!cms)
        return fail(cms.error());
    auto data = openFileBio(dataPath);
    if (!data)
        return fail(data.error());
    return verifyOver(cms->get(), data->get(), dataPath, trustAnchors);
}

Result<SignatureCheck> CmsSignature::verifyBytes(const QByteArray &data, const QByteArray &signature,
                                                 const QList<Certificate> &trustAnchors)
{
    if (signature.size() > kMaxSignatureBytes)
        return fail(ErrorCode::Parse, QStringLiteral("The signature is too large to be one"));
    auto cms = parseSignature(signature, QStringLiteral("The signature"));
    if (!cms)
        return fail(cms.error());
    BioPtr in = memoryBio(data);
    return verifyOver(cms->get(), in.get(), QStringLiteral("The data"), trustAnchors);
}

namespace {

Result<SignatureCheck> verifyOver(CMS_ContentInfo *cms, BIO *data, const QString &dataPath,
                                  const QList<Certificate> &trustAnchors)
{
    X509StorePtr store(X509_STORE_new());
    for (const Certificate &c : trustAnchors)
        X509_STORE_add_cert(store.get(), c.native());
    const bool checkSigner = !trustAnchors.isEmpty();
    clearOpenSslErrors();
    const int ok = CMS_verify(cms, nullptr, store.get(), data, nullptr,
                              CMS_BINARY | (checkSigner ? 0 : CMS_NO_SIGNER_CERT_VERIFY));
    if (ok != 1) {
        const unsigned long e = ERR_peek_last_error();
        const int reason = ERR_GET_REASON(e);
        const Error detail = takeOpenSslError(QStringLiteral("Checking the signature"), ErrorCode::Verification);
        if (reason == CMS_R_CERTIFICATE_VERIFY_ERROR)
            return fail(
                ErrorCode::Verification,
                QStringLiteral("%1 was signed by someone the given trust anchors do not vouch for").arg(dataPath),
                detail.detail,
                QStringLiteral("Check --trust: it must be the CA that issued the station's signing "
                               "certificate. Do not import a manifest whose signer you cannot trust."));
        if (reason == CMS_R_CONTENT_VERIFY_ERROR || reason == CMS_R_VERIFICATION_FAILURE)
            return fail(
                ErrorCode::Verification,
                QStringLiteral("%1 does not match its signature: it was changed after it was signed").arg(dataPath),
                detail.detail, QStringLiteral("Do not import it; export the manifest again at the station."));
        return fail(detail);
    }
    SignatureCheck check;
    check.signerTrusted = checkSigner;
    X509StackViewPtr signers(CMS_get0_signers(cms));
    if (signers && sk_X509_num(signers.get()) > 0) {
        X509 *s = sk_X509_value(signers.get(), 0);
        X509_up_ref(s);
        check.signer = Certificate::adopt(s);
    }
    if (STACK_OF(X509) *all = CMS_get1_certs(cms)) {
        for (int i = 0; i < sk_X509_num(all); ++i) {
            X509 *c = sk_X509_value(all, i);
            X509_up_ref(c);
            check.certificates.append(Certificate::adopt(c));
        }
        sk_X509_pop_free(all, X509_free);
    }
    check.signingTime = signingTimeOf(cms);
    return check;
}

} // namespace

} // namespace station::crypto
