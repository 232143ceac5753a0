// A private (or public-only) key on EVP_PKEY: generation, import from PEM/DER/PKCS#8 (encrypted too)
// and PKCS#12, export as PKCS#8. Export goes to SecretBytes so the key material is wiped after use.
#pragma once

#include "Error.h"
#include "KeyType.h"
#include "SecretBytes.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

typedef struct evp_pkey_st EVP_PKEY;

namespace station::crypto {

class Certificate;

class PrivateKey
{
public:
    PrivateKey();
    ~PrivateKey();
    PrivateKey(const PrivateKey &other);            ///< shares the EVP_PKEY (up-ref)
    PrivateKey &operator=(const PrivateKey &other);
    PrivateKey(PrivateKey &&other) noexcept;
    PrivateKey &operator=(PrivateKey &&other) noexcept;

    /// Generates a fresh key. RSA 4096 takes seconds: keep it off the GUI thread.
    [[nodiscard]] static Result<PrivateKey> generate(KeyType type);

    /// PEM: "PRIVATE KEY" (PKCS#8), "ENCRYPTED PRIVATE KEY" (needs passphrase), "RSA PRIVATE KEY",
    /// "EC PRIVATE KEY". A wrong passphrase is an Authentication error, not a Parse error.
    [[nodiscard]] static Result<PrivateKey> fromPem(const QByteArray &pem, const QByteArray &passphrase = {});
    /// DER: unencrypted PKCS#8, or encrypted PKCS#8 when a passphrase is given, or traditional RSA/EC.
    [[nodiscard]] static Result<PrivateKey> fromDer(const QByteArray &der, const QByteArray &passphrase = {});
    /// PEM or DER, whichever `data` is.
    [[nodiscard]] static Result<PrivateKey> fromAny(const QByteArray &data, const QByteArray &passphrase = {});
    /// A public key only (SubjectPublicKeyInfo DER); isPrivate() is false.
    [[nodiscard]] static Result<PrivateKey> publicFromSpkiDer(const QByteArray &spkiDer);

    [[nodiscard]] bool isNull() const;
    [[nodiscard]] bool isPrivate() const;
    /// "RSA-2048", "EC-P256", "Ed25519", ...
    [[nodiscard]] QString algorithmName() const;
    /// The KeyType if it is one the station generates.
    [[nodiscard]] std::optional<KeyType> keyType() const;
    [[nodiscard]] int bits() const;

    /// SubjectPublicKeyInfo DER: compare two of these to check that a certificate matches a key.
    [[nodiscard]] QByteArray publicKeyDer() const;
    [[nodiscard]] bool publicKeyEquals(const PrivateKey &other) const;

    /// Unencrypted PKCS#8 DER / PEM ("PRIVATE KEY").
    [[nodiscard]] Result<SecretBytes> toPkcs8Der() const;
    [[nodiscard]] Result<SecretBytes> toPkcs8Pem() const;
    /// Encrypted PKCS#8 PEM (AES-256-CBC, PBKDF2) for the rare case a user asks for a key on disk.
    [[nodiscard]] Result<QByteArray> toEncryptedPkcs8Pem(const QByteArray &passphrase) const;
    /// "PUBLIC KEY" PEM.
    [[nodiscard]] QByteArray publicKeyPem() const;

    /// Signs `data` with the key's natural digest (SHA-256 for RSA/P-256, SHA-384 for P-384, SHA-512
    /// for P-521, none for Ed25519). ECDSA signatures are DER-encoded.
    [[nodiscard]] Result<QByteArray> sign(const QByteArray &data) const;
    /// Verifies a signature made by sign() (works on a public-only key).
    [[nodiscard]] bool verify(const QByteArray &data, const QByteArray &signature) const;

    /// Borrowed pointer for other core/crypto code; never null unless isNull().
    [[nodiscard]] EVP_PKEY *native() const { return m_key; }
    /// Takes ownership of `key`.
    [[nodiscard]] static PrivateKey adopt(EVP_PKEY *key);

private:
    EVP_PKEY *m_key = nullptr;
};

/// The content of a PKCS#12 file: a key, its certificate and any CA certificates.
struct Pkcs12Bundle {
    PrivateKey key;
    QList<Certificate> certificates; ///< leaf first (the one matching the key), then the others
};

/// Imports a PKCS#12 (.p12/.pfx) blob. A wrong password is an Authentication error.
[[nodiscard]] Result<Pkcs12Bundle> importPkcs12(const QByteArray &der, const QByteArray &password);

} // namespace station::crypto
