// The two checksums of the station protocol's frames (PROTOCOL.md §3): CRC-16/CCITT-FALSE over the frame
// header and CRC-32/ISO-HDLC (the zlib/Ethernet CRC) over the whole frame. Table-free, so the firmware side
// can copy the same few lines.
#pragma once

#include <QByteArrayView>

#include <cstdint>

namespace station::drivers {

class Checksum
{
public:
    /// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final XOR. "123456789" -> 0x29B1.
    [[nodiscard]] static std::uint16_t crc16(QByteArrayView data);
    /// CRC-32/ISO-HDLC: poly 0x04C11DB7 reflected, init and final XOR 0xFFFFFFFF. "123456789" -> 0xCBF43926.
    [[nodiscard]] static std::uint32_t crc32(QByteArrayView data);
};

} // namespace station::drivers
