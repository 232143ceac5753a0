// The RFC 7030 §4.1.1 bootstrap: CA certificates fetched from a server the station could not yet
// authenticate are shown with their SHA-256 fingerprints and become trust anchors only when a person
// confirms one of them (a fingerprint given on the command line or typed answer to a prompt). Only the
// confirmed certificate and certificates that chain to it are accepted.
#pragma once

#include "Error.h"

#include "crypto/Certificate.h"

#include <QList>
#include <QString>

namespace station::est {

struct BootstrapDecision {
    QList<crypto::Certificate> accepted; ///< the confirmed certificate first, then those chaining to it
    QList<crypto::Certificate> rejected; ///< returned but neither confirmed nor chaining to the confirmed one
};

class TrustBootstrap
{
public:
    /// Normalises a fingerprint as people paste it: "AB:CD:..", "abcd..", "sha256:AB CD .." or
    /// "SHA256 Fingerprint=AB:CD:.." (openssl's output). Empty when it is not 32 bytes of hex.
    [[nodiscard]] static QString normalizeFingerprint(const QString &text);
    /// One block per certificate: subject, issuer, validity, CA flag and the SHA-256 fingerprint, for an
    /// operator to compare with a fingerprint obtained out of band.
    [[nodiscard]] static QString describe(const QList<crypto::Certificate> &certificates);
    /// Accepts the certificates if one of them has `confirmedFingerprint`; Verification error otherwise
    /// (naming the fingerprints that did come back).
    [[nodiscard]] static Result<BootstrapDecision> accept(const QList<crypto::Certificate> &fetched,
                                                          const QString &confirmedFingerprint);
};

} // namespace station::est
