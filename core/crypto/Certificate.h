// An X.509 certificate (shared, immutable): parsing from PEM/DER, the fields the station shows and logs,
// and SHA-256 fingerprints. Chain verification lives in ChainVerifier.
#pragma once

#include "DistinguishedName.h"
#include "Error.h"
#include "SubjectAltName.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

typedef struct x509_st X509;

namespace station::crypto {

class PrivateKey;

class Certificate
{
public:
    Certificate();
    ~Certificate();
    Certificate(const Certificate &other); ///< shares the X509 (up-ref)
    Certificate &operator=(const Certificate &other);
    Certificate(Certificate &&other) noexcept;
    Certificate &operator=(Certificate &&other) noexcept;

    [[nodiscard]] static Result<Certificate> fromDer(const QByteArray &der);
    /// The first CERTIFICATE block of a PEM text.
    [[nodiscard]] static Result<Certificate> fromPem(const QByteArray &pem);
    /// Every CERTIFICATE block of a PEM text, in order (a bundle, a chain file). Empty input is an error.
    [[nodiscard]] static Result<QList<Certificate>> listFromPem(const QByteArray &pem);
    /// PEM bundle, a single DER certificate, or base64 of one (liberal import of user files).
    [[nodiscard]] static Result<QList<Certificate>> listFromAny(const QByteArray &data);
    [[nodiscard]] static QByteArray listToPem(const QList<Certificate> &certificates);

    [[nodiscard]] bool isNull() const;
    [[nodiscard]] QByteArray toDer() const;
    [[nodiscard]] QByteArray toPem() const;

    [[nodiscard]] DistinguishedName subject() const;
    [[nodiscard]] DistinguishedName issuer() const;
    /// Upper-case hex without separators ("01AF...").
    [[nodiscard]] QString serialHex() const;
    [[nodiscard]] QDateTime notBefore() const; ///< UTC
    [[nodiscard]] QDateTime notAfter() const;  ///< UTC
    [[nodiscard]] bool isValidAt(const QDateTime &when) const;
    [[nodiscard]] QList<SubjectAltName> subjectAltNames() const;
    [[nodiscard]] bool isCa() const;         ///< basicConstraints cA=TRUE
    [[nodiscard]] bool isSelfSigned() const; ///< subject == issuer and the signature verifies with its own key
    [[nodiscard]] QStringList extendedKeyUsages() const; ///< dotted OIDs
    /// keyUsage as a KeyUsageBit mask; nullopt when the certificate has no keyUsage extension.
    [[nodiscard]] std::optional<unsigned> keyUsage() const;
    /// The policy identifiers of the certificatePolicies extension, dotted; empty when there is none.
    [[nodiscard]] QStringList certificatePolicies() const;
    /// SHA-256 over the DER, lower-case hex without separators (64 characters).
    [[nodiscard]] QString fingerprintSha256() const;
    /// SHA-256 as "AB:CD:..." (what operators compare on screen and `openssl x509 -fingerprint` prints).
    [[nodiscard]] QString fingerprintSha256Colon() const;

    /// The subject public key (public-only PrivateKey) and its SubjectPublicKeyInfo DER.
    [[nodiscard]] PrivateKey publicKey() const;
    [[nodiscard]] QByteArray publicKeyDer() const;
    /// True when `key`'s public half is this certificate's subject key.
    [[nodiscard]] bool matchesKey(const PrivateKey &key) const;
    /// True when this certificate's signature verifies with `issuer`'s public key.
    [[nodiscard]] bool isSignedBy(const Certificate &issuer) const;

    [[nodiscard]] X509 *native() const { return m_cert; }
    [[nodiscard]] static Certificate adopt(X509 *cert); ///< takes ownership

    bool operator==(const Certificate &other) const; ///< same DER

private:
    X509 *m_cert = nullptr;
};

} // namespace station::crypto
