// PKCS#10 certificate signing requests: build one from a spec and a key, parse one from PEM/DER/base64,
// verify its signature, and read the fields (subject, SANs, extensions, challengePassword).
#pragma once

#include "DistinguishedName.h"
#include "Error.h"
#include "PrivateKey.h"
#include "SubjectAltName.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

typedef struct X509_req_st X509_REQ;

namespace station::crypto {

/// Key usage bits (RFC 5280 §4.2.1.3), combinable.
enum KeyUsageBit : unsigned {
    DigitalSignature = 0x80,
    NonRepudiation = 0x40,
    KeyEncipherment = 0x20,
    DataEncipherment = 0x10,
    KeyAgreement = 0x08,
    KeyCertSign = 0x04,
    CrlSign = 0x02,
};

/// An attribute put in the CSR as-is: an OID and the DER of each value.
struct CsrAttribute {
    QString oid;
    QList<QByteArray> valuesDer;
};

/// An extension to request in the extensionRequest attribute, as OID + DER of the extnValue content.
struct RequestedExtension {
    QString oid;
    bool critical = false;
    QByteArray valueDer;
};

/// What the CSR should say. Everything but the subject is optional.
struct CsrSpec {
    DistinguishedName subject;
    QList<SubjectAltName> subjectAltNames;
    unsigned keyUsage = 0;         ///< KeyUsageBit mask; 0 = no keyUsage extension
    QStringList extendedKeyUsages; ///< dotted OIDs or short names ("clientAuth", "serverAuth")
    QString challengePassword;     ///< RFC 2985 challengePassword attribute (e.g. an EST passcode)
    QList<RequestedExtension> extraExtensions;
    QList<CsrAttribute> extraAttributes;
};

class CertificateRequest
{
public:
    CertificateRequest();
    ~CertificateRequest();
    CertificateRequest(const CertificateRequest &other);
    CertificateRequest &operator=(const CertificateRequest &other);
    CertificateRequest(CertificateRequest &&other) noexcept;
    CertificateRequest &operator=(CertificateRequest &&other) noexcept;

    /// Builds and signs a CSR with `key` (SHA-256/384/512 by key size; none for Ed25519).
    [[nodiscard]] static Result<CertificateRequest> create(const CsrSpec &spec, const PrivateKey &key);

    [[nodiscard]] static Result<CertificateRequest> fromDer(const QByteArray &der);
    [[nodiscard]] static Result<CertificateRequest> fromPem(const QByteArray &pem);
    /// PEM ("CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST"), raw DER, or base64 DER with or without
    /// line breaks — what a device or a file may hold.
    [[nodiscard]] static Result<CertificateRequest> fromAny(const QByteArray &data);

    [[nodiscard]] bool isNull() const;
    [[nodiscard]] QByteArray toDer() const;
    [[nodiscard]] QByteArray toPem() const;
    /// SHA-256 of the DER, lower-case hex (what the manifest records).
    [[nodiscard]] QString sha256Hex() const;

    /// Checks the self-signature (proof of possession). Verification error when it does not verify.
    [[nodiscard]] Result<void> verifySignature() const;

    [[nodiscard]] DistinguishedName subject() const;
    [[nodiscard]] PrivateKey publicKey() const;
    [[nodiscard]] QByteArray publicKeyDer() const;
    [[nodiscard]] QList<SubjectAltName> subjectAltNames() const;
    [[nodiscard]] unsigned keyUsage() const;
    [[nodiscard]] QStringList extendedKeyUsages() const;
    [[nodiscard]] QString challengePassword() const;
    /// All requested extensions (from the extensionRequest attribute).
    [[nodiscard]] QList<RequestedExtension> requestedExtensions() const;
    /// OIDs of all attributes present.
    [[nodiscard]] QStringList attributeOids() const;

    /// The OpenSSL object, for reading only: copies of a CertificateRequest share it.
    [[nodiscard]] X509_REQ *native() const { return req(); }

private:
    /// Immutable once built, so copies share it (a copy of a CSR costs a reference count, not a
    /// re-encode and re-parse); the DER is kept for the digests and the wire.
    struct Data {
        X509_REQ *req = nullptr;
        QByteArray der;
        bool parsed = false; ///< from bytes (public key only), not built by create()
        ~Data();
    };
    [[nodiscard]] static CertificateRequest adopt(X509_REQ *req, QByteArray der, bool parsed);
    [[nodiscard]] X509_REQ *req() const { return m_d ? m_d->req : nullptr; }

    std::shared_ptr<const Data> m_d;
};

} // namespace station::crypto
