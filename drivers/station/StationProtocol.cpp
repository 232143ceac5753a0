#include "StationProtocol.h"

namespace station::drivers::proto {

QString commandName(Command command)
{
    switch (command) {
    case Command::Hello: return QStringLiteral("HELLO");
    case Command::Identify: return QStringLiteral("IDENTIFY");
    case Command::KeyGen: return QStringLiteral("KEYGEN");
    case Command::WriteBegin: return QStringLiteral("WRITE_BEGIN");
    case Command::WriteChunk: return QStringLiteral("WRITE_CHUNK");
    case Command::WriteEnd: return QStringLiteral("WRITE_END");
    case Command::Read: return QStringLiteral("READ");
    case Command::Status: return QStringLiteral("STATUS");
    case Command::Commit: return QStringLiteral("COMMIT");
    case Command::ResetSlot: return QStringLiteral("RESET_SLOT");
    case Command::SetFrameSize: return QStringLiteral("SET_FRAME_SIZE");
    case Command::Continue: return QStringLiteral("CONTINUE");
    }
    return QStringLiteral("0x%1").arg(static_cast<int>(command), 2, 16, QLatin1Char('0'));
}

QString statusName(Status status)
{
    switch (status) {
    case Status::Ok: return QStringLiteral("OK");
    case Status::InProgress: return QStringLiteral("IN_PROGRESS");
    case Status::Fragment: return QStringLiteral("FRAGMENT");
    case Status::UnknownCommand: return QStringLiteral("UNKNOWN_COMMAND");
    case Status::BadArgument: return QStringLiteral("BAD_ARGUMENT");
    case Status::BadState: return QStringLiteral("BAD_STATE");
    case Status::UnsupportedVersion: return QStringLiteral("UNSUPPORTED_VERSION");
    case Status::NotFound: return QStringLiteral("NOT_FOUND");
    case Status::AccessDenied: return QStringLiteral("ACCESS_DENIED");
    case Status::StorageFull: return QStringLiteral("STORAGE_FULL");
    case Status::DigestMismatch: return QStringLiteral("DIGEST_MISMATCH");
    case Status::KeyGenFailed: return QStringLiteral("KEYGEN_FAILED");
    case Status::StorageFailure: return QStringLiteral("STORAGE_FAILURE");
    case Status::Refused: return QStringLiteral("REFUSED");
    case Status::OffsetMismatch: return QStringLiteral("OFFSET_MISMATCH");
    case Status::TooLarge: return QStringLiteral("TOO_LARGE");
    case Status::Busy: return QStringLiteral("BUSY");
    }
    return QStringLiteral("0x%1").arg(static_cast<int>(status), 2, 16, QLatin1Char('0'));
}

QString statusDescription(Status status)
{
    switch (status) {
    case Status::Ok: return QStringLiteral("success");
    case Status::InProgress: return QStringLiteral("the device is still working");
    case Status::Fragment: return QStringLiteral("the device sent part of its answer");
    case Status::UnknownCommand: return QStringLiteral("the device does not know this command");
    case Status::BadArgument: return QStringLiteral("the device rejected an argument");
    case Status::BadState: return QStringLiteral("the command is not allowed in the device's current state");
    case Status::UnsupportedVersion: return QStringLiteral("no common protocol version");
    case Status::NotFound: return QStringLiteral("the requested object does not exist on the device");
    case Status::AccessDenied: return QStringLiteral("the object cannot be read or written");
    case Status::StorageFull: return QStringLiteral("the device's credential storage is full");
    case Status::DigestMismatch: return QStringLiteral("the transferred data did not match its SHA-256");
    case Status::KeyGenFailed: return QStringLiteral("the device failed to generate a key");
    case Status::StorageFailure: return QStringLiteral("the device failed to write its non-volatile storage");
    case Status::Refused: return QStringLiteral("the device refused the command (locked or policy)");
    case Status::OffsetMismatch: return QStringLiteral("a chunk arrived out of order");
    case Status::TooLarge: return QStringLiteral("the object is larger than the device can store");
    case Status::Busy: return QStringLiteral("the device is busy with another operation");
    }
    return QStringLiteral("unknown device status");
}

QString objectName(ObjectId object)
{
    switch (object) {
    case ObjectId::TrustAnchors: return QStringLiteral("trust anchors");
    case ObjectId::CertificateChain: return QStringLiteral("certificate chain");
    case ObjectId::PrivateKey: return QStringLiteral("private key");
    case ObjectId::Csr: return QStringLiteral("CSR");
    case ObjectId::DevicePublicKey: return QStringLiteral("device public key");
    }
    return QStringLiteral("object 0x%1").arg(static_cast<int>(object), 2, 16, QLatin1Char('0'));
}

} // namespace station::drivers::proto
