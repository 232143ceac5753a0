// One frame of the station protocol (PROTOCOL.md §3) and its wire encoding. Decoding a byte stream, with
// chatter and damage in it, is FrameParser's job.
#pragma once

#include "StationProtocol.h"

#include <QByteArray>

#include <cstdint>

namespace station::drivers {

struct Frame {
    proto::FrameType type = proto::FrameType::Request;
    std::uint8_t seq = 0;
    QByteArray payload;

    /// SYNC, header, header CRC-16, payload, CRC-32. The payload must not exceed proto::kMaxPayload.
    [[nodiscard]] QByteArray encode() const;
    bool operator==(const Frame &) const = default;
};

} // namespace station::drivers
