// The TLS client identity the station presents to an EST server (a bootstrap certificate, or a unit's
// current certificate for re-enroll): certificate, chain and private key, loaded from PEM files, a
// PKCS#12 bundle or handed over in memory. Loading checks that the key belongs to the certificate.
#pragma once

#include "Error.h"

#include "crypto/Certificate.h"
#include "crypto/PrivateKey.h"
#include "crypto/SecretBytes.h"

#include <QList>
#include <QString>

namespace station::est {

struct ClientIdentity {
    crypto::Certificate certificate;
    QList<crypto::Certificate> chain; ///< intermediates to send after the certificate (may be empty)
    crypto::PrivateKey key;

    [[nodiscard]] bool isNull() const { return certificate.isNull() || key.isNull(); }

    /// Certificate file (PEM bundle: the first certificate is the client's, the rest its chain; or DER)
    /// and key file (PEM or DER, optionally encrypted with `passphrase`).
    [[nodiscard]] static Result<ClientIdentity> fromFiles(const QString &certificatePath, const QString &keyPath,
                                                          const crypto::SecretBytes &passphrase = {});
    /// A PKCS#12 (.p12/.pfx) file.
    [[nodiscard]] static Result<ClientIdentity> fromPkcs12File(const QString &path,
                                                               const crypto::SecretBytes &password);
    /// Certificate and key already in memory (a key that never touched the disk).
    [[nodiscard]] static Result<ClientIdentity> fromMemory(const crypto::Certificate &certificate,
                                                           const crypto::PrivateKey &key,
                                                           const QList<crypto::Certificate> &chain = {});
};

} // namespace station::est
