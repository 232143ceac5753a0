// A throw-away PKI for tests: a CA (P-256, fast), certificates for TLS servers and clients, certificates
// issued for CSRs, and the EST wire encodings of them (certs-only PKCS#7 base64 with CRLF every 76
// columns as Lamassu sends, PEM, DER). Fails loudly: tests QVERIFY the Result.
#pragma once

#include "Error.h"

#include "crypto/Certificate.h"
#include "crypto/CertificateRequest.h"
#include "crypto/PrivateKey.h"
#include "crypto/SubjectAltName.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace station::test {

class TestPki
{
public:
    /// A self-signed CA with common name `caName`.
    [[nodiscard]] static Result<TestPki> create(const QString &caName = QStringLiteral("Test EST CA"));

    [[nodiscard]] const crypto::Certificate &caCertificate() const { return m_caCert; }
    [[nodiscard]] const crypto::PrivateKey &caKey() const { return m_caKey; }

    /// A certificate for `key` with common name `cn`, signed by this CA.
    [[nodiscard]] Result<crypto::Certificate> issue(const crypto::PrivateKey &key, const QString &cn,
                                                    const QList<crypto::SubjectAltName> &sans = {},
                                                    const QStringList &extendedKeyUsages = {}, int validityDays = 30,
                                                    const QDateTime &notBefore = {}) const;
    /// A TLS server certificate for 127.0.0.1 and localhost (key generated).
    struct Identity {
        crypto::Certificate certificate;
        crypto::PrivateKey key;
    };
    [[nodiscard]] Result<Identity> serverIdentity(const QString &cn = QStringLiteral("127.0.0.1"),
                                                  int validityDays = 30, const QDateTime &notBefore = {}) const;
    [[nodiscard]] Result<Identity> clientIdentity(const QString &cn) const;
    /// A certificate for the CSR's key and subject.
    [[nodiscard]] Result<crypto::Certificate> issueForCsr(const crypto::CertificateRequest &csr) const;

    /// Encodings of certificates as EST servers send them.
    [[nodiscard]] static QByteArray certsOnlyBase64(const QList<crypto::Certificate> &certs, bool crlf76 = true);
    [[nodiscard]] static QByteArray certsOnlyDer(const QList<crypto::Certificate> &certs);
    /// `count` self-issued certificates that all carry the same subject and issuer name, each with its own
    /// key and no key identifiers: every pair matches by name and none by signature (the answer that made
    /// a pairwise leaf-first sort take half a minute).
    [[nodiscard]] static Result<QList<crypto::Certificate>> sameNameCertificates(int count);
    /// A CSR for a fresh P-256 key.
    [[nodiscard]] static Result<crypto::CertificateRequest> makeCsr(const QString &cn,
                                                                    crypto::PrivateKey *keyOut = nullptr);

private:
    crypto::Certificate m_caCert;
    crypto::PrivateKey m_caKey;
};

} // namespace station::test
