// Detached CMS (RFC 5652) signatures over files: what signs a manifest export (`FILE.p7s`, DER) and
// checks it again. The file is streamed through the digest, never loaded whole. The signature carries the
// signer's certificate and chain and a signing-time attribute; `openssl cms -verify -binary -inform DER
// -in FILE.p7s -content FILE -CAfile CA.pem` accepts it as well.
#pragma once

#include "Certificate.h"
#include "PrivateKey.h"

#include "Error.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace station::crypto {

struct SignatureCheck {
    Certificate signer;
    QList<Certificate> certificates; ///< every certificate the signature carries
    QDateTime signingTime;           ///< the signed signing-time attribute (UTC); invalid when absent
    bool signerTrusted = false;      ///< the signer chained to the given trust anchors
};

class CmsSignature
{
public:
    /// A signature with its chain is a few KiB; anything larger is refused before parsing.
    static constexpr qint64 kMaxSignatureBytes = 1024 * 1024;

    /// Signs `dataPath` with `key` (SHA-256) and writes the DER signature to `signaturePath` atomically.
    [[nodiscard]] static Result<void> signFile(const QString &dataPath, const QString &signaturePath,
                                               const Certificate &signer, const PrivateKey &key,
                                               const QList<Certificate> &chain = {});

    /// Checks that `signaturePath` (DER or PEM) signs `dataPath` unchanged. With `trustAnchors` the signer
    /// must also chain to one of them (S/MIME signing purpose, as `openssl cms -verify`); without, only the
    /// content is checked and signerTrusted is false. A changed file and an untrusted signer are
    /// Verification errors that say which.
    [[nodiscard]] static Result<SignatureCheck> verifyFile(const QString &dataPath, const QString &signaturePath,
                                                           const QList<Certificate> &trustAnchors = {});
    /// verifyFile over bytes in memory (a received signature, the fuzz target).
    [[nodiscard]] static Result<SignatureCheck> verifyBytes(const QByteArray &data, const QByteArray &signature,
                                                            const QList<Certificate> &trustAnchors = {});
};

} // namespace station::crypto
