#include "StationSession.h"

#include "crypto/SecretBytes.h"
#include "transport/Transport.h"

#include <QCryptographicHash>

namespace station::drivers {

namespace {

QString remedyFor(proto::Status status)
{
    switch (status) {
    case proto::Status::UnsupportedVersion:
        return QStringLiteral("Update the station or the unit's provisioning firmware so both speak a common version.");
    case proto::Status::StorageFull:
        return QStringLiteral("Reset the unit's provisioning slot, or use a shorter certificate chain.");
    case proto::Status::DigestMismatch: return QStringLiteral("The line is unreliable: check the cable and try again.");
    case proto::Status::KeyGenFailed:
    case proto::Status::StorageFailure:
        return QStringLiteral("Retry once; if it fails again set the unit aside as faulty.");
    case proto::Status::Refused:
        return QStringLiteral("The unit is locked or its firmware forbids this step; check the product profile.");
    case proto::Status::Busy: return QStringLiteral("Wait a moment and try again.");
    default: return QStringLiteral("Check that the unit runs the provisioning firmware the product profile expects.");
    }
}

} // namespace

StationSession::StationSession(Transport *transport, const DriverConfig &config, QObject *parent)
    : QObject(parent), m_config(config), m_link(transport, this), m_location(transport->location())
{}

int StationSession::chunkSize() const
{
    // The frame size is the device's limit, or smaller once the line proved noisy (both directions).
    const int limit = qMin(m_config.maxChunk, m_link.frameSize());
    // command byte, OFFSET TLV (3+4), DATA TLV header (3); responses: status byte, DATA TLV header.
    return qMax(16, limit - proto::kFragmentOverhead);
}

Error StationSession::deviceError(proto::Command command, proto::Status status, const QString &message) const
{
    QString detail = QStringLiteral("%1 answered %2").arg(proto::commandName(command), proto::statusName(status));
    if (!message.isEmpty())
        detail += QStringLiteral(": ") + message;
    // Every refusal is a Device error, whatever the status: the engine decides by the kind, engineers read
    // the device's own status name in the detail.
    return Error(ErrorCode::Device,
                 QStringLiteral("The unit on %1 reports: %2").arg(m_location, proto::statusDescription(status)), detail,
                 remedyFor(status));
}

void StationSession::call(proto::Command command, const Tlv &args, Done<Tlv> done, bool longRunning, Secrecy secrecy)
{
    QByteArray payload;
    payload.reserve(1 + args.encodedSize()); // one buffer: nothing secret is left in a reallocated one
    payload.append(static_cast<char>(command));
    args.encodeTo(payload);
    StationLink::Timing timing;
    timing.attempt = m_config.exchangeTimeout;
    timing.maxRetransmissions = m_config.maxRetransmissions;
    timing.deadline =
        longRunning ? m_config.keyGenTimeout : m_config.exchangeTimeout * (m_config.maxRetransmissions + 1) * 2;
    m_link.request(
        payload, timing,
        [this, command, done = std::move(done)](Result<QByteArray> response) {
            if (!response) {
                done(std::unexpected(response.error().withContext(proto::commandName(command))));
                return;
            }
            const auto status = static_cast<proto::Status>(static_cast<quint8>(response->at(0)));
            auto tlv = Tlv::parse(QByteArrayView(*response).sliced(1));
            if (!tlv) {
                done(std::unexpected(tlv.error()));
                return;
            }
            if (status != proto::Status::Ok) {
                done(std::unexpected(deviceError(command, status, tlv->text(proto::Tag::Message))));
                return;
            }
            done(std::move(*tlv));
        },
        secrecy);
    if (secrecy == Secrecy::Secret)
        crypto::wipe(payload); // the link holds the frame; this was the last other copy
}

void StationSession::hello(std::chrono::milliseconds within, Done<void> done)
{
    Tlv args;
    args.addU8(proto::Tag::VersionMin, proto::kVersionMin)
        .addU8(proto::Tag::VersionMax, proto::kVersionMax)
        .addU16(proto::Tag::MaxPayload, static_cast<std::uint16_t>(qMin(m_config.maxChunk, proto::kMaxPayload)))
        .addU8(proto::Tag::MinorVersion, proto::kMinorVersion);
    QByteArray payload(1, static_cast<char>(proto::Command::Hello));
    payload.append(args.encode());
    // While the unit boots it may not listen yet: short attempts, many of them, until `within`.
    StationLink::Timing timing;
    timing.attempt = std::min(m_config.exchangeTimeout, std::chrono::milliseconds(400));
    timing.deadline = within;
    timing.maxRetransmissions = static_cast<int>(within / timing.attempt) + 1;
    m_link.resetPeer();
    m_link.request(payload, timing, [this, done = std::move(done)](Result<QByteArray> response) {
        if (!response) {
            Error e = response.error();
            if (e.code == ErrorCode::DeviceTimeout)
                e.message = QStringLiteral("The unit on %1 does not speak the station protocol (no answer to HELLO)")
                                .arg(m_location);
            done(std::unexpected(e));
            return;
        }
        const auto status = static_cast<proto::Status>(static_cast<quint8>(response->at(0)));
        auto tlv = Tlv::parse(QByteArrayView(*response).sliced(1));
        if (!tlv) {
            done(std::unexpected(tlv.error()));
            return;
        }
        if (status != proto::Status::Ok) {
            Error e = deviceError(proto::Command::Hello, status, tlv->text(proto::Tag::Message));
            if (status == proto::Status::UnsupportedVersion)
                e.detail += QStringLiteral(" (station speaks %1..%2, unit %3..%4)")
                                .arg(proto::kVersionMin)
                                .arg(proto::kVersionMax)
                                .arg(tlv->number(proto::Tag::VersionMin).value_or(0))
                                .arg(tlv->number(proto::Tag::VersionMax).value_or(0));
            done(std::unexpected(e));
            return;
        }
        const auto version = tlv->number(proto::Tag::Version);
        const auto maxPayload = tlv->number(proto::Tag::MaxPayload);
        if (!version || *version < proto::kVersionMin || *version > proto::kVersionMax || !maxPayload ||
            *maxPayload < static_cast<quint32>(proto::kMinDevicePayload) || *maxPayload > proto::kMaxPayload) {
            done(fail(
                ErrorCode::Parse, QStringLiteral("The unit's HELLO answer is malformed"),
                QStringLiteral("version %1, max payload %2").arg(version.value_or(0)).arg(maxPayload.value_or(0))));
            return;
        }
        m_version = static_cast<int>(*version);
        m_devicePayload = static_cast<int>(*maxPayload);
        // A 1.0 device does not announce a minor version (and never hears of frame-size negotiation).
        m_minorVersion =
            static_cast<int>(qMin<quint32>(tlv->number(proto::Tag::MinorVersion).value_or(0), proto::kMinorVersion));
        m_link.setPeer(m_devicePayload, m_minorVersion);
        done({});
    });
}

void StationSession::writeObject(proto::ObjectId object, const QByteArray &data, Progress progress, Done<void> done,
                                 Secrecy secrecy)
{
    Tlv args;
    args.addU8(proto::Tag::Slot, static_cast<std::uint8_t>(m_config.slot))
        .addU8(proto::Tag::Object, static_cast<std::uint8_t>(object))
        .addU32(proto::Tag::Length, static_cast<std::uint32_t>(data.size()))
        .add(proto::Tag::Sha256, QCryptographicHash::hash(data, QCryptographicHash::Sha256));
    call(proto::Command::WriteBegin, args,
         [this, object, data, progress = std::move(progress), done = std::move(done), secrecy](Result<Tlv> r) mutable {
             if (!r) {
                 done(std::unexpected(r.error()));
                 return;
             }
             writeNext(object, std::move(data), 0, std::move(progress), std::move(done), secrecy);
         });
}

void StationSession::writeNext(proto::ObjectId object, QByteArray data, qint64 offset, Progress progress,
                               Done<void> done, Secrecy secrecy)
{
    if (progress)
        progress(offset, data.size());
    if (offset >= data.size()) {
        call(proto::Command::WriteEnd, Tlv().addU8(proto::Tag::Object, static_cast<std::uint8_t>(object)),
             [done = std::move(done)](Result<Tlv> r) {
                 if (!r)
                     done(std::unexpected(r.error()));
                 else
                     done({});
             });
        return;
    }
    const qint64 n = qMin<qint64>(chunkSize(), data.size() - offset);
    Tlv args;
    args.addU32(proto::Tag::Offset, static_cast<std::uint32_t>(offset))
        .add(proto::Tag::Data, QByteArrayView(data).sliced(offset, n));
    call(
        proto::Command::WriteChunk, args,
        [this, object, data = std::move(data), offset, n, progress = std::move(progress), done = std::move(done),
         secrecy](Result<Tlv> r) mutable {
            if (!r) {
                done(std::unexpected(r.error()));
                return;
            }
            writeNext(object, std::move(data), offset + n, std::move(progress), std::move(done), secrecy);
        },
        false, secrecy);
    if (secrecy == Secrecy::Secret)
        args.wipe(); // the chunk's copy in the DATA item
}

void StationSession::readObject(proto::ObjectId object, qint64 length, const QByteArray &sha256, Done<QByteArray> done)
{
    readNext(object, length, sha256, {}, std::move(done));
}

void StationSession::readNext(proto::ObjectId object, qint64 length, QByteArray sha256, QByteArray sofar,
                              Done<QByteArray> done)
{
    if (sofar.size() >= length) {
        if (!sha256.isEmpty() && QCryptographicHash::hash(sofar, QCryptographicHash::Sha256) != sha256) {
            done(fail(
                ErrorCode::Verification,
                QStringLiteral("The %1 read from the unit does not match its SHA-256").arg(proto::objectName(object)),
                {}, QStringLiteral("The line is unreliable: check the cable and try again.")));
            return;
        }
        done(std::move(sofar));
        return;
    }
    Tlv args;
    args.addU8(proto::Tag::Slot, static_cast<std::uint8_t>(m_config.slot))
        .addU8(proto::Tag::Object, static_cast<std::uint8_t>(object))
        .addU32(proto::Tag::Offset, static_cast<std::uint32_t>(sofar.size()))
        .addU16(proto::Tag::MaxLength, static_cast<std::uint16_t>(qMin<qint64>(chunkSize(), length - sofar.size())));
    call(proto::Command::Read, args,
         [this, object, length, sha256 = std::move(sha256), sofar = std::move(sofar),
          done = std::move(done)](Result<Tlv> r) mutable {
             if (!r) {
                 done(std::unexpected(r.error()));
                 return;
             }
             const QByteArray chunk = r->bytes(proto::Tag::Data);
             if (chunk.isEmpty()) {
                 done(fail(ErrorCode::Parse,
                           QStringLiteral("The unit ended the %1 early").arg(proto::objectName(object)),
                           QStringLiteral("%1 of %2 bytes").arg(sofar.size()).arg(length)));
                 return;
             }
             sofar.append(chunk);
             readNext(object, length, std::move(sha256), std::move(sofar), std::move(done));
         });
}

} // namespace station::drivers
