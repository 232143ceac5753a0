#include "IssuedCertificateVerifier.h"

#include "crypto/ChainVerifier.h"
#include "crypto/OpenSslPtr.h"
#include "crypto/PrivateKey.h"

namespace station::est {

Result<VerifiedIssue> IssuedCertificateVerifier::verify(const QList<crypto::Certificate> &returned,
                                                        const QByteArray &expectedPublicKeyDer,
                                                        const QList<crypto::Certificate> &caCertificates,
                                                        const QDateTime &when)
{
    return verify(returned, expectedPublicKeyDer, crypto::ChainVerifier(caCertificates), when);
}

Result<VerifiedIssue> IssuedCertificateVerifier::verify(const QList<crypto::Certificate> &returned,
                                                        const QByteArray &expectedPublicKeyDer,
                                                        const crypto::ChainVerifier &caVerifier, const QDateTime &when)
{
    if (returned.isEmpty())
        return fail(ErrorCode::Verification, QStringLiteral("The EST server returned no certificate"));
    if (expectedPublicKeyDer.isEmpty())
        return fail(ErrorCode::Internal, QStringLiteral("No public key to compare the issued certificate with"));
    qsizetype leafIndex = -1;
    for (qsizetype i = 0; i < returned.size(); ++i) {
        if (returned[i].publicKeyDer() == expectedPublicKeyDer) {
            leafIndex = i;
            break;
        }
    }
    if (leafIndex < 0) {
        // The same key encoded differently (point compression, parameters spelled out): compare the keys.
        if (auto expected = crypto::PrivateKey::publicFromSpkiDer(expectedPublicKeyDer)) {
            for (qsizetype i = 0; i < returned.size() && leafIndex < 0; ++i) {
                if (returned[i].matchesKey(*expected))
                    leafIndex = i;
            }
        }
        crypto::clearOpenSslErrors();
    }
    if (leafIndex < 0) {
        const crypto::Certificate &first = returned.first();
        return fail(ErrorCode::Verification,
                    QStringLiteral("The issued certificate's public key is not the key that was sent"),
                    QStringLiteral("returned certificate '%1' (serial %2) carries another key")
                        .arg(first.subject().toString(), first.serialHex()),
                    QStringLiteral("Do not install this certificate. The server may have mixed up requests: retry, "
                                   "and report it to the PKI operator if it happens again"));
    }
    const crypto::Certificate leaf = returned[leafIndex];
    if (caVerifier.trustAnchors().isEmpty())
        return fail(ErrorCode::Verification, QStringLiteral("No CA certificates to verify the issued certificate with"),
                    {}, QStringLiteral("Fetch the CA certificates (cacerts) or give them with --ca-certs"));
    QList<crypto::Certificate> intermediates = returned;
    intermediates.removeAt(leafIndex);
    crypto::ChainVerifier verifier = caVerifier; // shares the trust store
    if (when.isValid())
        verifier.setVerificationTime(when);
    auto chain = verifier.verify(leaf, intermediates);
    if (!chain) {
        Error e(ErrorCode::Verification,
                QStringLiteral("The issued certificate does not chain to the EST server's CA certificates"),
                QStringLiteral("certificate '%1' issued by '%2': %3")
                    .arg(leaf.subject().toString(), leaf.issuer().toString(), chain.error().message),
                QStringLiteral("Do not install this certificate. Check that the URL's label / DMS id points at the "
                               "CA you expect, and that the CA certificates (cacerts or --ca-certs) are current"));
        return fail(e);
    }
    return VerifiedIssue{leaf, *chain};
}

} // namespace station::est
