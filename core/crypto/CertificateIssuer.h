// Issues X.509 certificates: self-signed CA certificates and certificates signed by a CA key. The lab CA
// and the tests' fixtures use it; the station itself never signs anything in production.
#pragma once

#include "Certificate.h"
#include "CertificateRequest.h"
#include "DistinguishedName.h"
#include "Error.h"
#include "PrivateKey.h"
#include "SubjectAltName.h"

#include <QDateTime>
#include <QList>
#include <QStringList>

namespace station::crypto {

struct CertificateProfile {
    DistinguishedName subject;
    QList<SubjectAltName> subjectAltNames;
    QDateTime notBefore; ///< default (invalid): now - 5 minutes
    QDateTime notAfter;  ///< default (invalid): notBefore + validityDays
    int validityDays = 365;
    bool isCa = false;
    int pathLength = -1;             ///< for CAs; -1 = unlimited
    unsigned keyUsage = 0;           ///< KeyUsageBit mask; 0 = a sensible default for isCa
    QStringList extendedKeyUsages;   ///< dotted OIDs or short names
    QStringList certificatePolicies; ///< dotted policy OIDs (certificatePolicies, no qualifiers)
    QByteArray serial;               ///< big-endian bytes; empty = 16 random bytes (positive)
};

class CertificateIssuer
{
public:
    /// A self-signed certificate for `key` (a root CA when profile.isCa).
    [[nodiscard]] static Result<Certificate> selfSigned(const CertificateProfile &profile, const PrivateKey &key);

    /// A certificate for `subjectKey` (public half suffices) signed by the issuer's key, with subject key
    /// identifier and authority key identifier extensions.
    [[nodiscard]] static Result<Certificate> issue(const CertificateProfile &profile, const PrivateKey &subjectKey,
                                                   const Certificate &issuerCert, const PrivateKey &issuerKey);
    /// A certificate for the key of `csr` (an EST enrollment): its SubjectPublicKeyInfo is copied as the
    /// request carries it, not encoded again from the key (that costs OpenSSL 3.0's encoder lookup).
    /// The CSR's signature is the caller's to check.
    [[nodiscard]] static Result<Certificate> issue(const CertificateProfile &profile, const CertificateRequest &csr,
                                                   const Certificate &issuerCert, const PrivateKey &issuerKey);
};

} // namespace station::crypto
