// Finds station-protocol frames in a byte stream that also carries boot logs and other chatter, and that
// may have damaged or lost bytes (PROTOCOL.md §3.3). Feed it whatever the port delivered; it returns the
// good frames and counts what it threw away. A frame whose header checks out but whose CRC-32 fails is
// reported as damaged so the receiver can ask for it again at once instead of waiting for a timeout.
#pragma once

#include "Frame.h"

#include <QByteArray>
#include <QList>

namespace station::drivers {

class FrameParser
{
public:
    struct Output {
        QList<Frame> frames;
        int damaged = 0;        ///< frames with a valid header and a bad CRC-32
        int damagedPayload = 0; ///< the largest payload length (from the header) among the damaged frames
    };

    explicit FrameParser(int maxPayload = proto::kMaxPayload) : m_maxPayload(maxPayload) {}

    /// Consumes `bytes`, returns the complete frames found so far. Never throws, never grows unbounded.
    [[nodiscard]] Output feed(QByteArrayView bytes);
    void reset() { m_buffer.clear(); }

    [[nodiscard]] qint64 discardedBytes() const { return m_discarded; } ///< chatter and damage skipped
    [[nodiscard]] qsizetype buffered() const { return m_buffer.size(); }

private:
    QByteArray m_buffer;
    int m_maxPayload;
    qint64 m_discarded = 0;
};

} // namespace station::drivers
