// The checks every certificate an EST server issues must pass before the station hands it on: its
// public key is the one that was sent (the CSR's, or for serverkeygen the returned key's), and it chains
// to the CA certificates from /cacerts (or the configured anchors) at the current time.
#pragma once

#include "Error.h"

#include "crypto/Certificate.h"
#include "crypto/ChainVerifier.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>

namespace station::est {

struct VerifiedIssue {
    crypto::Certificate certificate;  ///< the issued leaf
    QList<crypto::Certificate> chain; ///< leaf first, up to and including the anchor
};

class IssuedCertificateVerifier
{
public:
    /// Picks the certificate among `returned` whose key is `expectedPublicKeyDer` and verifies its chain
    /// against `caCertificates` (all treated as trust anchors: the cacerts answer is the explicit trust
    /// anchor database of RFC 7030 §4.1.3), using the other returned certificates as intermediates.
    [[nodiscard]] static Result<VerifiedIssue> verify(const QList<crypto::Certificate> &returned,
                                                      const QByteArray &expectedPublicKeyDer,
                                                      const QList<crypto::Certificate> &caCertificates,
                                                      const QDateTime &when = {});
    /// The same with a verifier prepared once for the CA set (its anchors are the CA certificates), so a
    /// batch does not rebuild the trust store for every certificate.
    [[nodiscard]] static Result<VerifiedIssue> verify(const QList<crypto::Certificate> &returned,
                                                      const QByteArray &expectedPublicKeyDer,
                                                      const crypto::ChainVerifier &caVerifier,
                                                      const QDateTime &when = {});
};

} // namespace station::est
