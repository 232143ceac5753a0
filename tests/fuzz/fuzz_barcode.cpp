// Fuzz target: the barcode rules (GS1 element strings in all forms, a regular expression with a `serial`
// group, plain serials) over scanner input read as UTF-8, with the invariants of an accepted code checked.
#include "provisioning/BarcodeRule.h"
#include "provisioning/ScanLines.h"

#include <cstddef>
#include <cstdint>

namespace {

void checkAccepted(const station::Result<station::provisioning::ScannedCode> &code)
{
    using station::provisioning::BarcodeRule;
    if (!code) {
        if (code.error().message.trimmed().isEmpty())
            __builtin_trap();
        return;
    }
    if (code->serial.isEmpty() || code->raw.size() > BarcodeRule::kMaxLength || code->serial.size() > code->raw.size())
        __builtin_trap();
    for (QChar c : code->serial)
        if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            __builtin_trap();
}

} // namespace

int fuzzBarcode(const uint8_t *data, size_t size)
{
    using station::provisioning::BarcodeRule;
    const QString scanned = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));

    static const BarcodeRule gs1 = BarcodeRule::gs1();
    static const BarcodeRule plain = BarcodeRule::plain();
    static const BarcodeRule regex =
        *BarcodeRule::regex(QStringLiteral("(?:ACME:)?(?<serial>SN-[0-9A-F]{4,16})(?:/[a-z]+)?"));

    const auto g = gs1.parse(scanned);
    checkAccepted(g);
    if (g) {
        // An accepted GS1 code has its serial in AI (21), and a GTIN only with a valid check digit.
        if (g->ais.value(QStringLiteral("21")) != g->serial)
            __builtin_trap();
        if (!g->gtin.isEmpty() && !BarcodeRule::gtinCheckDigitValid(g->gtin))
            __builtin_trap();
    }
    const auto p = plain.parse(scanned);
    checkAccepted(p);
    if (p && p->serial != p->raw)
        __builtin_trap();
    const auto r = regex.parse(scanned);
    checkAccepted(r);
    if (r && !r->serial.startsWith(QLatin1String("SN-")))
        __builtin_trap();

    // The same bytes as a serial-port scanner's stream, in two feeds: bounded labels without line breaks
    // or control bytes (GS excepted), each one a scan.
    station::provisioning::ScanLines lines;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype cut = bytes.size() / 2;
    for (const QByteArrayView part : {bytes.first(cut), bytes.sliced(cut)}) {
        for (const QString &label : lines.feed(part).labels) {
            if (label.isEmpty() || label.size() > station::provisioning::ScanLines::kMaxLabel)
                __builtin_trap();
            for (QChar c : label)
                if ((c.unicode() < 0x20 && c.unicode() != 0x1d) || c.unicode() == 0x7f)
                    __builtin_trap();
            checkAccepted(gs1.parse(label));
        }
    }
    return 0;
}
