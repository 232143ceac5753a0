#include "ScanLines.h"

namespace station::provisioning {

ScanLines::Result ScanLines::feed(QByteArrayView bytes)
{
    Result out;
    for (const char c : bytes) {
        if (c == '\n' && m_lastWasCr) {
            m_lastWasCr = false; // the LF of a CR LF
            continue;
        }
        m_lastWasCr = c == '\r';
        if (c == '\r' || c == '\n') {
            if (m_overlong)
                ++out.discarded;
            else if (!m_line.trimmed().isEmpty())
                out.labels << QString::fromUtf8(m_line.trimmed());
            m_line.clear();
            m_overlong = false;
            continue;
        }
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && u != 0x1d)
            continue; // control bytes other than GS1's group separator carry nothing
        if (u == 0x7f)
            continue;
        if (m_overlong)
            continue;
        if (m_line.size() >= kMaxLabel) {
            m_overlong = true;
            m_line.clear();
            continue;
        }
        m_line.append(c);
    }
    return out;
}

} // namespace station::provisioning
