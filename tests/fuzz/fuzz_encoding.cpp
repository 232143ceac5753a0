// Fuzz target: lenient body decoding (DER / base64 / PEM) and strict base64 and PEM parsing.
#include "FuzzCheck.h"
#include "crypto/Encoding.h"

#include <cstddef>
#include <cstdint>

namespace {

/// A DER answer comes back as sent, without the whitespace or NUL bytes a server may put after it.
bool derPrefixWithPadding(const QByteArray &der, QByteArrayView body)
{
    if (!body.startsWith(der))
        return false;
    for (const char c : body.sliced(der.size())) {
        if (c != '\0' && c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return false;
    }
    return true;
}

} // namespace

int fuzzEncoding(const uint8_t *data, size_t size)
{
    using namespace station;
    using namespace station::crypto;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));

    QString label;
    BodyForm form = BodyForm::Base64;
    auto decoded = Encoding::decodeLenient(bytes, &label, &form);
    if (!decoded) {
        fuzz::checkError(decoded.error(), "decodeLenient: empty error message");
        if (decoded.error().code != ErrorCode::Parse)
            fuzz::fuzzFailure("decodeLenient: failure is not a Parse error");
    } else if (form == BodyForm::Der && !derPrefixWithPadding(*decoded, bytes)) {
        fuzz::fuzzFailure("decodeLenient: DER body not returned unchanged (up to trailing CRLF/NUL padding)");
    } else if (form == BodyForm::Pem && label.isEmpty()) {
        fuzz::fuzzFailure("decodeLenient: PEM without label");
    }

    auto base64 = Encoding::decodeBase64(bytes);
    if (base64) {
        // What decodes must encode back to the same symbols (modulo whitespace and padding).
        auto again = Encoding::decodeBase64(Encoding::encodeBase64(*base64, 64, true));
        if (!again || *again != *base64)
            fuzz::fuzzFailure("base64 round trip differs");
    } else {
        fuzz::checkError(base64.error(), "decodeBase64: empty error message");
    }

    auto pem = Encoding::parsePem(bytes);
    if (pem) {
        for (const PemBlock &block : *pem) {
            if (block.der.isEmpty())
                fuzz::fuzzFailure("parsePem: empty block accepted");
        }
    } else {
        fuzz::checkError(pem.error(), "parsePem: empty error message");
    }
    (void)Encoding::isSingleDerObject(bytes);
    (void)Encoding::decodeBase64Url(bytes);
    return 0;
}
