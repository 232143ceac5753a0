// Constants of the station protocol, version 1.1 (drivers/station/PROTOCOL.md is the normative text): frame
// types, commands, status codes, TLV tags and object identifiers, shared by the driver and the simulator.
#pragma once

#include <QString>

#include <cstdint>

namespace station::drivers::proto {

inline constexpr std::uint8_t kSync0 = 0xA5;
inline constexpr std::uint8_t kSync1 = 0x5A;
inline constexpr int kHeaderSize = 8;    ///< sync(2) type(1) seq(1) length(2) header-crc(2)
inline constexpr int kTrailerSize = 4;   ///< CRC-32
inline constexpr int kMaxPayload = 4096; ///< hard limit of the frame format; devices announce a smaller one
inline constexpr int kMinDevicePayload = 64;
inline constexpr std::uint8_t kVersionMin = 1;
inline constexpr std::uint8_t kVersionMax = 1;
/// Minor version of version 1 (compatible additions, announced by MINOR_VERSION in HELLO): 1 = frame-size
/// negotiation (SET_FRAME_SIZE, CONTINUE, FRAGMENT). A peer that does not announce one is 1.0.
inline constexpr std::uint8_t kMinorVersion = 1;
/// Bytes of a FRAGMENT answer around its data: status, LENGTH item (3 + 4), DATA item header (3). The same
/// 11 bytes surround the data of a WRITE_CHUNK request (command, OFFSET item, DATA item header).
inline constexpr int kFragmentOverhead = 11;

enum class FrameType : std::uint8_t {
    Request = 0x01,  ///< station -> device
    Response = 0x02, ///< device -> station, same SEQ as the request
    Nak = 0x03,      ///< either way: "I received a damaged frame, send again"
};

enum class Command : std::uint8_t {
    Hello = 0x01,
    Identify = 0x02,
    KeyGen = 0x03,
    WriteBegin = 0x04,
    WriteChunk = 0x05,
    WriteEnd = 0x06,
    Read = 0x07,
    Status = 0x08,
    Commit = 0x09,
    ResetSlot = 0x0A,
    SetFrameSize = 0x0B, ///< 1.1: smaller frames in both directions on a noisy line
    Continue = 0x0C,     ///< 1.1: the next FRAGMENT of the last answer
};

enum class Status : std::uint8_t {
    Ok = 0x00,
    InProgress = 0x01, ///< the device is working; the final response follows with the same SEQ
    Fragment = 0x02,   ///< 1.1: LENGTH of the whole answer and DATA from an offset; CONTINUE fetches the rest
    UnknownCommand = 0x10,
    BadArgument = 0x11,
    BadState = 0x12,
    UnsupportedVersion = 0x13,
    NotFound = 0x14,
    AccessDenied = 0x15,
    StorageFull = 0x16,
    DigestMismatch = 0x17,
    KeyGenFailed = 0x18,
    StorageFailure = 0x19,
    Refused = 0x1A,
    OffsetMismatch = 0x1B,
    TooLarge = 0x1C,
    Busy = 0x1D,
};

/// TLV tags (one byte tag, two byte big-endian length, value). Integers are big-endian unsigned.
enum class Tag : std::uint8_t {
    VersionMin = 0x01,   ///< u8
    VersionMax = 0x02,   ///< u8
    Version = 0x03,      ///< u8, chosen by the device
    MaxPayload = 0x04,   ///< u16
    Message = 0x05,      ///< UTF-8 text (error explanation)
    MinorVersion = 0x06, ///< u8, 1.1: in HELLO, the sender's minor version
    SerialNumber = 0x10, ///< UTF-8
    HardwareId = 0x11,
    Model = 0x12,
    Firmware = 0x13,
    DeviceUuid = 0x14,
    Nonce = 0x15,       ///< bytes, 16..64
    IdentityKey = 0x16, ///< SubjectPublicKeyInfo DER of the device identity key
    IdentitySig = 0x17, ///< signature over the nonce by the identity key (ECDSA DER)
    Provisioned = 0x18, ///< u8 0/1
    Slot = 0x20,        ///< u8
    KeyType = 0x21,     ///< UTF-8: "p256", "p384", "rsa2048", ...
    Subject = 0x22,     ///< UTF-8 distinguished name "CN=...,O=..."
    Object = 0x23,      ///< u8, ObjectId
    Length = 0x24,      ///< u32
    Sha256 = 0x25,      ///< 32 bytes
    Offset = 0x26,      ///< u32
    Data = 0x27,        ///< bytes
    MaxLength = 0x28,   ///< u16
    ObjectState = 0x29, ///< u8 ObjectState; in STATUS responses one OBJECT..STATE group per object
    Confirm = 0x2A,     ///< u32 0x52534554 ("RSET") for RESET_SLOT
};

enum class ObjectId : std::uint8_t {
    TrustAnchors = 0x01,     ///< concatenated DER certificates
    CertificateChain = 0x02, ///< concatenated DER certificates, leaf first
    PrivateKey = 0x03,       ///< PKCS#8 DER; write-only
    Csr = 0x04,              ///< PKCS#10 DER from KEYGEN; read-only
    DevicePublicKey = 0x05,  ///< SubjectPublicKeyInfo DER of the device-generated key; read-only
};

enum class ObjectState : std::uint8_t { Absent = 0, Staged = 1, Committed = 2 };

inline constexpr std::uint32_t kResetConfirm = 0x52534554;

[[nodiscard]] QString commandName(Command command);
[[nodiscard]] QString statusName(Status status);
[[nodiscard]] QString statusDescription(Status status);
[[nodiscard]] QString objectName(ObjectId object);

} // namespace station::drivers::proto
