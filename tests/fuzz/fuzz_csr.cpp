// Fuzz target: PKCS#10 import from any form (PEM, DER, base64), then every accessor and the signature check.
#include "FuzzCheck.h"
#include "crypto/CertificateRequest.h"

#include <cstddef>
#include <cstdint>

int fuzzCsr(const uint8_t *data, size_t size)
{
    using namespace station;
    using namespace station::crypto;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    auto csr = CertificateRequest::fromAny(bytes);
    if (!csr) {
        fuzz::checkError(csr.error(), "CertificateRequest::fromAny: empty error message");
        return 0;
    }
    if (csr->isNull())
        fuzz::fuzzFailure("CertificateRequest::fromAny: null request on success");
    if (auto verified = csr->verifySignature(); !verified)
        fuzz::checkError(verified.error(), "verifySignature: empty error message");
    (void)csr->subject().toString();
    (void)csr->subjectAltNames();
    (void)csr->keyUsage();
    (void)csr->extendedKeyUsages();
    (void)csr->challengePassword();
    (void)csr->requestedExtensions();
    (void)csr->attributeOids();
    (void)csr->publicKey().algorithmName();
    (void)csr->sha256Hex();
    auto again = CertificateRequest::fromDer(csr->toDer());
    if (!again)
        fuzz::fuzzFailure("CertificateRequest: re-encoded DER does not parse");
    return 0;
}
