// The lab CA behind `provctl lab-server`, demo mode and the tests: a CA with its key, a TLS server
// certificate for the loopback names, and a bootstrap client certificate, kept as PEM files in a folder
// that is created on first start and reused afterwards. Keys are written with mode 0600: the lab folder
// is where the user asked for them to live.
//
// Two kinds of client certificate come from this CA. The bootstrap credential carries the lab's enrollment
// policy (certificatePolicies kEnrollmentPolicyOid): it may enroll any subject (simpleenroll, serverkeygen).
// Unit certificates (issue()) never carry it - whatever the CSR asks for, only subject and subjectAltName
// are copied - so a unit's certificate authorizes nothing but renewing itself (simplereenroll).
#pragma once

#include "Error.h"
#include "crypto/Certificate.h"
#include "crypto/CertificateRequest.h"
#include "crypto/ChainVerifier.h"
#include "crypto/KeyType.h"
#include "crypto/PrivateKey.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace station::est {

class LabCa
{
public:
    struct Options {
        QString directory;
        crypto::KeyType caKeyType = crypto::KeyType::EcP256;
        int issuedValidityDays = 365; ///< for certificates issued to units
        QStringList serverNames;      ///< added to 127.0.0.1, ::1, localhost
        QString caCommonName = QStringLiteral("Provisioning Station Lab CA");
    };

    /// File names inside the directory.
    static constexpr const char *kCaCert = "ca.pem";
    static constexpr const char *kCaKey = "ca-key.pem";
    static constexpr const char *kServerCert = "server-cert.pem";
    static constexpr const char *kServerKey = "server-key.pem";
    static constexpr const char *kBootstrapCert = "bootstrap-cert.pem";
    static constexpr const char *kBootstrapKey = "bootstrap-key.pem";
    /// Policy OID marking a certificate as an enrollment (bootstrap) credential of this lab CA. Under the
    /// UUID arc 2.25 (ITU-T X.667), so it needs no registration and collides with nobody's.
    static constexpr const char *kEnrollmentPolicyOid = "2.25.88455938883775093017360780113110085666";

    /// Loads the CA from `options.directory`, creating what is missing (a new CA only when there is no
    /// CA at all; the server certificate is re-issued when it lacks a requested name or has expired).
    [[nodiscard]] static Result<LabCa> openOrCreate(const Options &options);

    [[nodiscard]] const crypto::Certificate &caCertificate() const { return m_caCert; }
    [[nodiscard]] const crypto::Certificate &serverCertificate() const { return m_serverCert; }
    [[nodiscard]] const crypto::PrivateKey &serverKey() const { return m_serverKey; }
    [[nodiscard]] const crypto::Certificate &bootstrapCertificate() const { return m_bootstrapCert; }
    [[nodiscard]] QString directory() const { return m_options.directory; }
    [[nodiscard]] QString path(const char *fileName) const;

    /// Issues a unit certificate for `csr` (subject and subjectAltNames copied from it) with the unit
    /// profile: digitalSignature (+ keyEncipherment for RSA), clientAuth. `subjectKey` overrides the
    /// CSR's key (server-side key generation).
    [[nodiscard]] Result<crypto::Certificate> issue(const crypto::CertificateRequest &csr,
                                                    const crypto::PrivateKey *subjectKey = nullptr) const;

    /// The unit profile of issue() for any CA: subject and subjectAltNames copied from `csr` (nothing else
    /// it asks for), digitalSignature (+ keyEncipherment for RSA), clientAuth, `validityDays`.
    /// `subjectKey` overrides the CSR's key (server-side key generation).
    [[nodiscard]] static Result<crypto::Certificate>
    issueUnitCertificate(const crypto::CertificateRequest &csr, const crypto::PrivateKey *subjectKey,
                         const crypto::Certificate &caCert, const crypto::PrivateKey &caKey, int validityDays);

    /// Verifies a client certificate chain (leaf first) against the lab CA.
    [[nodiscard]] Result<crypto::Certificate> verifyClient(const QList<crypto::Certificate> &chain) const;
    /// A leaf fit for TLS client authentication: keyUsage with digitalSignature and extendedKeyUsage with
    /// clientAuth, both present (the lab CA always sets them). Authorization error with the reason otherwise.
    [[nodiscard]] static Result<void> checkClientUsage(const crypto::Certificate &cert);
    /// Whether `cert` is an enrollment credential (carries kEnrollmentPolicyOid). Only meaningful for a
    /// certificate verifyClient() accepted.
    [[nodiscard]] static bool isEnrollmentCredential(const crypto::Certificate &cert);

private:
    Options m_options;
    crypto::Certificate m_caCert;
    crypto::PrivateKey m_caKey;
    crypto::Certificate m_serverCert;
    crypto::PrivateKey m_serverKey;
    crypto::Certificate m_bootstrapCert;
    /// Built on first use from m_caCert (which never changes): one trust store for every request.
    mutable std::optional<crypto::ChainVerifier> m_clientVerifier;
};

} // namespace station::est
