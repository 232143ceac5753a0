#include "FrameParser.h"

#include "Checksum.h"

namespace station::drivers {

namespace {

std::uint16_t u16At(const QByteArray &b, qsizetype i)
{
    return static_cast<std::uint16_t>((static_cast<std::uint8_t>(b[i]) << 8) | static_cast<std::uint8_t>(b[i + 1]));
}

bool knownType(std::uint8_t t)
{
    return t == static_cast<std::uint8_t>(proto::FrameType::Request) ||
           t == static_cast<std::uint8_t>(proto::FrameType::Response) ||
           t == static_cast<std::uint8_t>(proto::FrameType::Nak);
}

} // namespace

FrameParser::Output FrameParser::feed(QByteArrayView bytes)
{
    Output out;
    m_buffer.append(bytes.data(), bytes.size());
    qsizetype pos = 0;
    while (true) {
        // Find the next SYNC pair; everything before it is chatter.
        qsizetype sync = -1;
        for (qsizetype i = pos; i + 1 < m_buffer.size(); ++i) {
            if (static_cast<std::uint8_t>(m_buffer[i]) == proto::kSync0 &&
                static_cast<std::uint8_t>(m_buffer[i + 1]) == proto::kSync1) {
                sync = i;
                break;
            }
        }
        if (sync < 0) {
            // Keep a trailing first sync byte: its partner may be in the next read.
            qsizetype keep =
                (!m_buffer.isEmpty() && static_cast<std::uint8_t>(m_buffer.back()) == proto::kSync0) ? 1 : 0;
            qsizetype drop = qMax<qsizetype>(0, m_buffer.size() - keep);
            if (drop > pos) {
                m_discarded += drop - pos;
            }
            m_buffer.remove(0, qMax(drop, pos));
            return out;
        }
        m_discarded += sync - pos;
        pos = sync;
        if (m_buffer.size() - pos < proto::kHeaderSize)
            break;
        const QByteArrayView header = QByteArrayView(m_buffer).sliced(pos, 6);
        const std::uint8_t type = static_cast<std::uint8_t>(m_buffer[pos + 2]);
        const int length = u16At(m_buffer, pos + 4);
        if (Checksum::crc16(header) != u16At(m_buffer, pos + 6) || !knownType(type) || length > m_maxPayload) {
            // Not a frame start (chatter that happens to contain the sync pair, or a damaged header).
            pos += 1;
            m_discarded += 1;
            continue;
        }
        const qsizetype total = proto::kHeaderSize + length + proto::kTrailerSize;
        if (m_buffer.size() - pos < total)
            break;
        const QByteArrayView body = QByteArrayView(m_buffer).sliced(pos, proto::kHeaderSize + length);
        const std::uint32_t crc =
            (static_cast<std::uint32_t>(u16At(m_buffer, pos + proto::kHeaderSize + length)) << 16) |
            u16At(m_buffer, pos + proto::kHeaderSize + length + 2);
        if (Checksum::crc32(body) != crc) {
            ++out.damaged;
            out.damagedPayload = qMax(out.damagedPayload, length);
            // Resynchronise just after this sync: a frame may start inside the damaged span.
            pos += 1;
            m_discarded += 1;
            continue;
        }
        Frame f;
        f.type = static_cast<proto::FrameType>(type);
        f.seq = static_cast<std::uint8_t>(m_buffer[pos + 3]);
        f.payload = m_buffer.mid(pos + proto::kHeaderSize, length);
        out.frames.append(std::move(f));
        pos += total;
    }
    m_buffer.remove(0, pos);
    return out;
}

} // namespace station::drivers
