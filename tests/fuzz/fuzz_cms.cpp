// Fuzz target: detached CMS signatures (what `provctl manifest verify-export` reads from a .p7s a DMS
// administrator was handed): any bytes are refused cleanly or, when they happen to verify, name a signer.
#include "FuzzCheck.h"
#include "crypto/CmsSignature.h"

#include <cstddef>
#include <cstdint>

int fuzzCms(const uint8_t *data, size_t size)
{
    using namespace station;
    const QByteArray signature = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    static const QByteArray content("id,serial,status\r\n1,SN-1,PASS\r\n");
    auto check = crypto::CmsSignature::verifyBytes(content, signature);
    if (!check) {
        fuzz::checkError(check.error(), "verifyBytes: empty error message");
        return 0;
    }
    if (check->signerTrusted)
        fuzz::fuzzFailure("verifyBytes: trusted a signer without trust anchors");
    (void)check->signer.subject().toString();
    return 0;
}
