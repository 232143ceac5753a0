// Verifies that a certificate chains to one of a set of trust anchors, through given intermediates, at
// a given time (RFC 5280 path validation by OpenSSL's X509_verify_cert).
#pragma once

#include "Certificate.h"
#include "Error.h"

#include <QDateTime>
#include <QList>

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
    QList<Certificate> m_intermediates;
    QDateTime m_when;
    QString m_purpose;
};

} // namespace station::crypto
