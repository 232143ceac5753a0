// Fuzz target: the strict CsrAttrs DER decoder. Whatever it accepts must re-encode to the same bytes
// (it only accepts DER it can reproduce) and must be interpretable.
#include "FuzzCheck.h"
#include "crypto/CsrAttributes.h"

#include <cstddef>
#include <cstdint>

int fuzzCsrAttrs(const uint8_t *data, size_t size)
{
    using namespace station;
    using namespace station::crypto;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    auto attrs = CsrAttributes::fromDer(bytes);
    if (!attrs) {
        fuzz::checkError(attrs.error(), "CsrAttributes::fromDer: empty error message");
        if (attrs.error().code != ErrorCode::Parse)
            fuzz::fuzzFailure("CsrAttributes::fromDer: failure is not a Parse error");
        return 0;
    }
    if (attrs->toDer() != bytes)
        fuzz::fuzzFailure("CsrAttributes: accepted input does not re-encode identically");
    const CsrAttrRequirements req = attrs->requirements();
    (void)req;
    return 0;
}
