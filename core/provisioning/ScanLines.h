// Cuts the byte stream of a serial-port barcode scanner into labels: a label ends at CR, LF or CR LF
// (scanners send either); the GS1 group separator (0x1D) is kept, other control bytes are dropped; a line
// longer than kMaxLabel is thrown away whole (a scanner with a stuck trigger, or line noise) and reported
// once. Bytes are untrusted: the buffer never grows past kMaxLabel.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace station::provisioning {

class ScanLines
{
public:
    static constexpr qsizetype kMaxLabel = 512;

    struct Result {
        QStringList labels;
        int discarded = 0; ///< over-long lines dropped in this feed
    };

    /// Feeds received bytes; returns the labels they completed.
    [[nodiscard]] Result feed(QByteArrayView bytes);

private:
    QByteArray m_line;
    bool m_overlong = false;
    bool m_lastWasCr = false;
};

} // namespace station::provisioning
