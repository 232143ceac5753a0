// Fuzz target: the serverkeygen multipart/mixed parser and decoder. The first input line is taken as the
// Content-Type (so boundaries are fuzzed too), the rest as the body.
#include "FuzzCheck.h"
#include "est/EstResponseDecoder.h"
#include "est/MultipartParser.h"

#include <cstddef>
#include <cstdint>

int fuzzMultipart(const uint8_t *data, size_t size)
{
    using namespace station;
    using namespace station::est;
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = bytes.indexOf('\n');
    const QByteArray contentType = newline < 0 ? QByteArray() : bytes.left(newline);
    const QByteArray body = newline < 0 ? bytes : bytes.mid(newline + 1);

    auto boundary = MultipartParser::boundaryFromContentType(contentType);
    if (!boundary)
        fuzz::checkError(boundary.error(), "boundaryFromContentType: empty error");
    else if (boundary->isEmpty())
        fuzz::fuzzFailure("boundaryFromContentType: empty boundary accepted");
    auto guessed = MultipartParser::guessBoundary(body);
    if (!guessed)
        fuzz::checkError(guessed.error(), "guessBoundary: empty error");

    for (const QByteArray &b : {boundary.value_or(QByteArray("b")), guessed.value_or(QByteArray("x"))}) {
        auto parts = MultipartParser::parse(body, b);
        if (!parts) {
            fuzz::checkError(parts.error(), "parse: empty error");
            continue;
        }
        if (parts->isEmpty())
            fuzz::fuzzFailure("parse: success without parts");
        if (parts->size() > 32)
            fuzz::fuzzFailure("parse: more parts than the bound");
        qsizetype total = 0;
        for (const MimePart &p : *parts) {
            if (p.headers.size() > 64)
                fuzz::fuzzFailure("parse: more header lines than the bound");
            total += p.body.size();
            (void)p.mediaType();
            (void)MultipartParser::headerParameter(p.header("Content-Type"), "smime-type");
        }
        if (total > body.size())
            fuzz::fuzzFailure("parse: parts larger than the body");
    }

    auto decoded = EstResponseDecoder::decodeServerKeygen(body, contentType);
    if (!decoded) {
        fuzz::checkError(decoded.error(), "decodeServerKeygen: empty error");
    } else if (decoded->privateKeyPkcs8.isEmpty() || decoded->certificates.isEmpty()) {
        fuzz::fuzzFailure("decodeServerKeygen: success without key or certificate");
    }
    return 0;
}
