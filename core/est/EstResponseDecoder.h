// Lenient decoding of EST answers (RFC 7030 §4, RFC 8951): certs-only PKCS#7 as base64 (with or without
// line breaks, CRLF or LF), PEM or raw DER, a bare certificate, certificates in any order; serverkeygen
// multipart/mixed with the key as PKCS#8 (base64, DER or PEM); csrattrs as base64 or DER. Being liberal
// here is safe because everything decoded is verified afterwards (IssuedCertificateVerifier).
#pragma once

#include "Error.h"

#include "crypto/Certificate.h"
#include "crypto/CsrAttributes.h"
#include "crypto/SecretBytes.h"

#include <QByteArray>
#include <QList>

namespace station::est {

/// What a serverkeygen answer holds. The key exists only as PKCS#8 DER in SecretBytes.
struct ServerKeygenParts {
    crypto::SecretBytes privateKeyPkcs8;     ///< unencrypted PKCS#8 DER, normalised from whatever came
    QByteArray publicKeyDer;                 ///< SubjectPublicKeyInfo of that key (to match the certificate)
    QList<crypto::Certificate> certificates; ///< from the certificate part, leaf first
};

class EstResponseDecoder
{
public:
    /// More certificates than this in one answer are refused (a hostile answer must not cost time).
    static constexpr int kMaxCertificates = 64;

    /// Certificates of a cacerts/simpleenroll/simplereenroll answer, leaf first (Pkcs7::sortLeafFirst); at
    /// most kMaxCertificates.
    [[nodiscard]] static Result<QList<crypto::Certificate>> decodeCertificates(const QByteArray &body);
    /// The CSR attributes of a 200 csrattrs answer; an empty body means none.
    [[nodiscard]] static Result<crypto::CsrAttributes> decodeCsrAttributes(const QByteArray &body);
    /// Splits and decodes a serverkeygen answer. `contentType` supplies the boundary (guessed from the
    /// body when it is missing). Parts that hold key material are wiped before returning.
    [[nodiscard]] static Result<ServerKeygenParts> decodeServerKeygen(const QByteArray &body,
                                                                      const QByteArray &contentType);
    /// A private key from a part body: PEM (any private-key label), base64 DER or raw DER, PKCS#8 or
    /// traditional. Returned as PKCS#8 DER plus its public key.
    [[nodiscard]] static Result<ServerKeygenParts> decodePrivateKey(const QByteArray &data);
};

} // namespace station::est
