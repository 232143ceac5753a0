// Fuzz target: the AT response parser and the %KEYGEN / %CMNG value parsers behind it.
#include "nrf91/AtResponse.h"
#include "nrf91/AtResponseParser.h"
#include "nrf91/KeyGenResponse.h"

#include <cstddef>
#include <cstdint>

int fuzzAtResponse(const uint8_t *data, size_t size)
{
    using namespace station::drivers;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));

    AtResponseParser parser;
    parser.setCollecting(true);
    parser.setEcho("AT%KEYGEN=16842753,2,0");
    size_t pos = 0;
    size_t step = 3;
    while (pos < size) {
        const size_t n = std::min(step, size - pos);
        const auto out = parser.feed(bytes.sliced(qsizetype(pos), qsizetype(n)));
        for (const AtResponse &r : out.responses) {
            if (r.ok() && r.errorCode != -1)
                __builtin_trap();
            (void)r.finalText();
            for (const QByteArray &v : r.valuesOf("%KEYGEN:")) {
                auto k = KeyGenResponse::parse(v);
                if (k && k->cose)
                    (void)k->check(QStringLiteral("00000000-0000-0000-0000-000000000000"));
            }
            for (const QByteArray &v : r.valuesOf("%CMNG:"))
                (void)AtResponse::splitParameters(v);
            for (const QByteArray &line : r.lines)
                if (line.size() > AtResponseParser::kMaxLine + 1)
                    __builtin_trap();
        }
        parser.setCollecting(true);
        pos += n;
        step = step % 11 + 1;
    }
    return 0;
}
