#include "EstResponseDecoder.h"

#include "MultipartParser.h"

#include "crypto/Encoding.h"
#include "crypto/Pkcs7.h"
#include "crypto/PrivateKey.h"

namespace station::est {

using crypto::Certificate;
using crypto::Encoding;

namespace {

Result<QList<Certificate>> certificatesFromDer(const QByteArray &der)
{
    auto certs = crypto::Pkcs7::parseCertsOnly(der);
    if (certs)
        return certs;
    // Some servers answer a single certificate (application/pkix-cert) instead of PKCS#7.
    auto single = Certificate::fromDer(der);
    if (single)
        return QList<Certificate>{*single};
    return fail(certs.error());
}

} // namespace

Result<QList<Certificate>> EstResponseDecoder::decodeCertificates(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return fail(ErrorCode::Parse, QStringLiteral("The EST server sent an empty answer where certificates were "
                                                     "expected"));
    QList<Certificate> out;
    if (body.contains("-----BEGIN")) {
        // PEM: any mix of CERTIFICATE and PKCS7/CMS blocks.
        for (const QByteArray &der : Encoding::pemBlocks(body, "CERTIFICATE")) {
            auto cert = Certificate::fromDer(der);
            if (!cert)
                return fail(cert.error().withContext(QStringLiteral("A PEM certificate in the answer is damaged")));
            out.append(*cert);
        }
        for (const QByteArray &label : {QByteArray("PKCS7"), QByteArray("CMS")}) {
            for (const QByteArray &der : Encoding::pemBlocks(body, label)) {
                auto certs = crypto::Pkcs7::parseCertsOnly(der);
                if (!certs)
                    return fail(certs.error().withContext(QStringLiteral("The PEM PKCS#7 in the answer is damaged")));
                out.append(*certs);
            }
        }
        if (out.isEmpty())
            return fail(ErrorCode::Parse, QStringLiteral("The PEM answer holds no certificate"));
    } else {
        crypto::BodyForm form = crypto::BodyForm::Der;
        auto der = Encoding::decodeLenient(body, nullptr, &form);
        if (!der)
            return fail(der.error().withContext(QStringLiteral("The certificate answer could not be decoded")));
        auto certs = certificatesFromDer(*der);
        if (!certs)
            return fail(certs.error().withContext(
                QStringLiteral("The answer is not a PKCS#7 certs-only message or a certificate")));
        out = *certs;
    }
    if (out.size() > kMaxCertificates)
        return fail(ErrorCode::Parse,
                    QStringLiteral("The answer holds %1 certificates; the station accepts at most %2")
                        .arg(out.size())
                        .arg(kMaxCertificates),
                    {},
                    QStringLiteral("An EST answer holds a certificate and its chain, or the CA certificates: a few. "
                                   "Check that the URL points at the right EST server"));
    return crypto::Pkcs7::sortLeafFirst(out);
}

Result<crypto::CsrAttributes> EstResponseDecoder::decodeCsrAttributes(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return crypto::CsrAttributes{};
    auto der = Encoding::decodeLenient(body);
    if (!der)
        return fail(der.error().withContext(QStringLiteral("The csrattrs answer could not be decoded")));
    auto attrs = crypto::CsrAttributes::fromDer(*der);
    if (!attrs)
        return fail(attrs.error().withContext(QStringLiteral("The csrattrs answer is not a CsrAttrs structure")));
    return attrs;
}

Result<ServerKeygenParts> EstResponseDecoder::decodePrivateKey(const QByteArray &data)
{
    QByteArray raw;
    Result<crypto::PrivateKey> key = fail(ErrorCode::Parse, QStringLiteral("no key"));
    if (data.contains("-----BEGIN")) {
        if (data.contains("-----BEGIN ENCRYPTED PRIVATE KEY"))
            return fail(ErrorCode::Unsupported, QStringLiteral("The server sent an encrypted private key"), {},
                        QStringLiteral("Configure the server to return an unencrypted PKCS#8 key over TLS"));
        key = crypto::PrivateKey::fromPem(data);
    } else {
        auto der = Encoding::decodeLenient(data);
        if (!der)
            return fail(der.error().withContext(QStringLiteral("The private key part could not be decoded")));
        raw = std::move(*der);
        key = crypto::PrivateKey::fromDer(raw);
        crypto::wipe(raw);
    }
    if (!key)
        return fail(key.error().withContext(QStringLiteral("The private key part is not a usable key")));
    if (!key->isPrivate())
        return fail(ErrorCode::Parse, QStringLiteral("The key part holds a public key, not a private key"));
    auto pkcs8 = key->toPkcs8Der();
    if (!pkcs8)
        return fail(pkcs8.error());
    ServerKeygenParts parts;
    parts.privateKeyPkcs8 = std::move(*pkcs8);
    parts.publicKeyDer = key->publicKeyDer();
    return parts;
}

Result<ServerKeygenParts> EstResponseDecoder::decodeServerKeygen(const QByteArray &body, const QByteArray &contentType)
{
    auto boundary = MultipartParser::boundaryFromContentType(contentType);
    if (!boundary) {
        auto guessed = MultipartParser::guessBoundary(body);
        if (!guessed)
            return fail(boundary.error().withContext(QStringLiteral("The serverkeygen answer is not multipart")));
        boundary = guessed;
    }
    auto parsed = MultipartParser::parse(body, *boundary);
    if (!parsed)
        return fail(parsed.error().withContext(QStringLiteral("The serverkeygen answer is damaged")));
    QList<MimePart> parts = std::move(*parsed);
    auto wipeAll = [&parts] {
        for (MimePart &p : parts)
            p.wipe();
    };

    // Identify the parts by type; fall back to content (a part holding a private key vs certificates).
    int keyIndex = -1, certIndex = -1;
    for (int i = 0; i < parts.size(); ++i) {
        const QByteArray type = parts[i].mediaType();
        const QByteArray smime =
            MultipartParser::headerParameter(parts[i].header("Content-Type"), "smime-type").toLower();
        if (type == "application/pkcs8" || type == "application/pkcs8-key" || type == "application/x-pkcs8")
            keyIndex = keyIndex < 0 ? i : keyIndex;
        else if (type.contains("pkcs7") && smime == "server-generated-key") {
            wipeAll();
            return fail(ErrorCode::Unsupported,
                        QStringLiteral("The server sent the key encrypted in CMS (RFC 7030 §4.4.2), which the station "
                                       "does not support"),
                        {}, QStringLiteral("Configure the server to return the key as unencrypted PKCS#8 over TLS"));
        } else if (type.contains("pkcs7") || type == "application/pkix-cert" || type == "application/x-pem-file")
            certIndex = certIndex < 0 ? i : certIndex;
    }
    for (int i = 0; i < parts.size() && (keyIndex < 0 || certIndex < 0); ++i) {
        if (i == keyIndex || i == certIndex)
            continue;
        if (keyIndex < 0 && parts[i].body.contains("PRIVATE KEY"))
            keyIndex = i;
        else if (keyIndex < 0 && parts[i].mediaType().isEmpty() && certIndex < 0 && i == 0)
            keyIndex = i; // RFC 7030 order: key first, then certificate
        else if (certIndex < 0)
            certIndex = i;
    }
    if (keyIndex < 0 || certIndex < 0) {
        wipeAll();
        return fail(ErrorCode::Parse,
                    QStringLiteral("The serverkeygen answer lacks a %1 part")
                        .arg(keyIndex < 0 ? QStringLiteral("private key") : QStringLiteral("certificate")),
                    QStringLiteral("%1 part(s)").arg(parts.size()));
    }
    auto key = decodePrivateKey(parts[keyIndex].body);
    parts[keyIndex].wipe();
    if (!key) {
        wipeAll();
        return fail(key.error());
    }
    auto certs = decodeCertificates(parts[certIndex].body);
    wipeAll();
    if (!certs)
        return fail(certs.error().withContext(QStringLiteral("The serverkeygen certificate part")));
    key->certificates = std::move(*certs);
    return key;
}

} // namespace station::est
