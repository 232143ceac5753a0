#include "Frame.h"

#include "Checksum.h"

namespace station::drivers {

namespace {

void appendU16(QByteArray &out, std::uint16_t v)
{
    out.append(static_cast<char>(v >> 8));
    out.append(static_cast<char>(v & 0xFF));
}

} // namespace

QByteArray Frame::encode() const
{
    QByteArray out;
    out.reserve(proto::kHeaderSize + payload.size() + proto::kTrailerSize);
    out.append(static_cast<char>(proto::kSync0));
    out.append(static_cast<char>(proto::kSync1));
    out.append(static_cast<char>(type));
    out.append(static_cast<char>(seq));
    appendU16(out, static_cast<std::uint16_t>(payload.size()));
    appendU16(out, Checksum::crc16(QByteArrayView(out).first(6)));
    out.append(payload);
    const std::uint32_t crc = Checksum::crc32(out);
    appendU16(out, static_cast<std::uint16_t>(crc >> 16));
    appendU16(out, static_cast<std::uint16_t>(crc & 0xFFFF));
    return out;
}

} // namespace station::drivers
