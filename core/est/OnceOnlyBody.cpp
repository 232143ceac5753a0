#include "OnceOnlyBody.h"

#include <algorithm>
#include <cstring>

namespace station::est {

OnceOnlyBody::OnceOnlyBody(QByteArray body, QObject *parent) : QIODevice(parent), m_body(std::move(body))
{
    QIODevice::open(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

qint64 OnceOnlyBody::bytesAvailable() const
{
    return (m_body.size() - m_position) + QIODevice::bytesAvailable();
}

bool OnceOnlyBody::reset()
{
    if (wasRead()) {
        m_resendRefused = true;
        return false;
    }
    return true;
}

qint64 OnceOnlyBody::readData(char *data, qint64 maxSize)
{
    const qint64 left = m_body.size() - m_position;
    if (left <= 0)
        return -1; // end of the body
    const qint64 n = std::min(left, maxSize);
    std::memcpy(data, m_body.constData() + m_position, size_t(n));
    m_position += n;
    return n;
}

qint64 OnceOnlyBody::writeData(const char *, qint64)
{
    return -1;
}

} // namespace station::est
