// Verifies that a certificate chains to one of a set of trust anchors, through given intermediates, at
// a given time (RFC 5280 path validation by OpenSSL's X509_verify_cert). The anchors' X509_STORE is built
// once, in the constructor, and shared by copies: keep one verifier per CA set and verify many
// certificates with it (an EST batch does). A verifier is immutable apart from its settings, so copies
// may verify on different threads.
#pragma once

#include "Certificate.h"
#include "Error.h"

#include <QDateTime>
#include <QList>

#include <memory>

typedef struct x509_store_st X509_STORE;

namespace station::crypto {

class ChainVerifier
{
public:
    explicit ChainVerifier(QList<Certificate> trustAnchors, QList<Certificate> intermediates = {});

    void setVerificationTime(const QDateTime &when) { m_when = when; } ///< default: now
    /// Require the leaf to carry this extended key usage (dotted OID or "clientAuth"/"serverAuth").
    void setRequiredPurpose(const QString &purpose) { m_purpose = purpose; }

    /// Returns the verified chain (leaf first, anchor last) or a Verification error whose message names
    /// the failure ("certificate has expired", "unable to get local issuer certificate", ...).
    [[nodiscard]] Result<QList<Certificate>> verify(const Certificate &leaf,
                                                    const QList<Certificate> &extraIntermediates = {}) const;

    [[nodiscard]] const QList<Certificate> &trustAnchors() const { return m_anchors; }

private:
    QList<Certificate> m_anchors;
    std::shared_ptr<X509_STORE> m_store; ///< the anchors; null when none or when allocation failed
    QList<Certificate> m_intermediates;
    QDateTime m_when;
    QString m_purpose;
};

} // namespace station::crypto
