// Fuzz target: certs-only PKCS#7 parsing (what EST servers answer), with a rebuild round trip.
#include "FuzzCheck.h"
#include "crypto/Pkcs7.h"

#include <cstddef>
#include <cstdint>

int fuzzPkcs7(const uint8_t *data, size_t size)
{
    using namespace station;
    using namespace station::crypto;
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    auto certs = Pkcs7::parseCertsOnly(bytes);
    if (!certs) {
        fuzz::checkError(certs.error(), "parseCertsOnly: empty error message");
        return 0;
    }
    if (certs->isEmpty())
        fuzz::fuzzFailure("parseCertsOnly: success without certificates");
    for (const Certificate &cert : *certs) {
        if (cert.isNull())
            fuzz::fuzzFailure("parseCertsOnly: null certificate");
        (void)cert.subject().toString();
        (void)cert.serialHex();
        (void)cert.fingerprintSha256();
    }
    (void)Pkcs7::sortLeafFirst(*certs);
    auto rebuilt = Pkcs7::buildCertsOnly(*certs);
    if (rebuilt) {
        auto again = Pkcs7::parseCertsOnly(*rebuilt);
        if (!again || again->size() != certs->size())
            fuzz::fuzzFailure("PKCS#7 rebuild does not parse back");
    }
    return 0;
}
