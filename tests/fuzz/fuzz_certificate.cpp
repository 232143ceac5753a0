// Fuzz target: liberal certificate import (PEM bundle, DER, base64, PKCS#7) and every accessor; also the
// private key importer, which sees the same kinds of user files.
#include "FuzzCheck.h"
#include "crypto/Certificate.h"
#include "crypto/PrivateKey.h"

#include <cstddef>
#include <cstdint>

int fuzzCertificate(const uint8_t *data, size_t size)
{
    using namespace station;
    using namespace station::crypto;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    auto certs = Certificate::listFromAny(bytes);
    if (!certs) {
        fuzz::checkError(certs.error(), "Certificate::listFromAny: empty error message");
    } else {
        if (certs->isEmpty())
            fuzz::fuzzFailure("Certificate::listFromAny: success without certificates");
        for (const Certificate &cert : *certs) {
            (void)cert.subject().toString();
            (void)cert.issuer().toSlashString();
            (void)cert.serialHex();
            (void)cert.notBefore();
            (void)cert.notAfter();
            (void)cert.subjectAltNames();
            (void)cert.isCa();
            (void)cert.isSelfSigned();
            (void)cert.extendedKeyUsages();
            (void)cert.fingerprintSha256Colon();
            (void)cert.publicKeyDer();
            if (!Certificate::fromDer(cert.toDer()))
                fuzz::fuzzFailure("Certificate: re-encoded DER does not parse");
        }
    }
    auto key = PrivateKey::fromAny(bytes, "fuzz");
    if (!key)
        fuzz::checkError(key.error(), "PrivateKey::fromAny: empty error message");
    else if (!key->isPrivate())
        fuzz::fuzzFailure("PrivateKey::fromAny: public key accepted as private");
    return 0;
}
