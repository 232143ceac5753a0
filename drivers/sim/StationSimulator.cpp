#include "StationSimulator.h"

#include "crypto/CertificateRequest.h"
#include "crypto/DistinguishedName.h"
#include "crypto/Encoding.h"
#include "crypto/KeyType.h"
#include "station/Frame.h"

#include <QCryptographicHash>

namespace station::drivers {

using proto::Command;
using proto::ObjectId;
using proto::Status;
using proto::Tag;

namespace {

constexpr qint64 kObjectCapacity = 16 * 1024; // per object, like a small flash partition
constexpr int kSlots = 8;

const ObjectId kObjects[] = {ObjectId::TrustAnchors, ObjectId::CertificateChain, ObjectId::PrivateKey, ObjectId::Csr,
                             ObjectId::DevicePublicKey};

/// Splits concatenated DER objects; nullopt when the bytes are not a clean sequence of SEQUENCEs.
std::optional<QList<QByteArray>> splitDer(const QByteArray &data)
{
    QList<QByteArray> out;
    qsizetype pos = 0;
    while (pos < data.size()) {
        if (data.size() - pos < 2 || static_cast<quint8>(data[pos]) != 0x30)
            return std::nullopt;
        qsizetype len = static_cast<quint8>(data[pos + 1]);
        qsizetype header = 2;
        if (len & 0x80) {
            const int n = len & 0x7F;
            if (n < 1 || n > 3 || data.size() - pos < 2 + n)
                return std::nullopt;
            len = 0;
            for (int i = 0; i < n; ++i)
                len = (len << 8) | static_cast<quint8>(data[pos + 2 + i]);
            header += n;
        }
        if (data.size() - pos < header + len)
            return std::nullopt;
        out.append(data.mid(pos, header + len));
        pos += header + len;
    }
    return out;
}

QByteArray pemLabel(ObjectId id)
{
    switch (id) {
    case ObjectId::TrustAnchors:
    case ObjectId::CertificateChain: return "CERTIFICATE";
    case ObjectId::PrivateKey: return "PRIVATE KEY";
    case ObjectId::Csr: return "CERTIFICATE REQUEST";
    case ObjectId::DevicePublicKey: return "PUBLIC KEY";
    }
    return "DATA";
}

QByteArray toPem(ObjectId id, const QByteArray &der)
{
    QByteArray out;
    if (id == ObjectId::TrustAnchors || id == ObjectId::CertificateChain) {
        for (const QByteArray &one : splitDer(der).value_or(QList<QByteArray>{der}))
            out.append(crypto::Encoding::toPem(one, pemLabel(id)));
        return out;
    }
    return crypto::Encoding::toPem(der, pemLabel(id));
}

QByteArray fromPem(const QByteArray &pem)
{
    QByteArray der;
    for (const QByteArray &block : crypto::Encoding::pemBlocks(pem))
        der.append(block);
    return der;
}

} // namespace

StationSimulator::StationSimulator(SimulatorOptions options, QObject *parent)
    : SimulatedDevice(std::move(options), parent),
      m_parser(qBound(proto::kMinDevicePayload, this->options().maxPayload, proto::kMaxPayload))
{}

int StationSimulator::deviceMaxPayload() const
{
    return qBound(proto::kMinDevicePayload, options().maxPayload, proto::kMaxPayload);
}

Result<void> StationSimulator::loadIdentity()
{
    auto id = SimulatedIdentity::loadOrCreate(storage(), options().serialNumber, QStringLiteral("ST-"));
    if (!id)
        return std::unexpected(id.error());
    m_identity = *id;
    setSerialNumber(m_identity.serialNumber);
    return {};
}

void StationSimulator::onPowerOn()
{
    m_parser.reset();
    m_helloDone = false;
    m_lastRequest.clear();
    m_lastAnswer.clear();
    m_frameSize = 0;
    m_inFlight = false;
    m_transfer = {};
    m_staged.clear(); // RAM does not survive a power cycle
}

QList<QByteArray> StationSimulator::bootLog() const
{
    return {"",
            "*** Booting Zephyr OS build v3.5.0 ***",
            "[00:00:00.004,000] <inf> flash: 1024 KiB, 4 KiB pages",
            "[00:00:00.010,000] <inf> prov: provisioning agent, station protocol v1." +
                QByteArray::number(options().stationMinorVersion) + ", serial " + m_identity.serialNumber.toUtf8(),
            "[00:00:00.011,000] <wrn> net: no network configured",
            "uart:~$ "};
}

void StationSimulator::onReceived(const QByteArray &bytes)
{
    const FrameParser::Output out = m_parser.feed(bytes);
    if (out.damaged > 0) {
        m_damaged += out.damaged;
        Frame nak;
        nak.type = proto::FrameType::Nak;
        send(nak.encode());
    }
    for (const Frame &frame : out.frames) {
        if (frame.type == proto::FrameType::Request)
            onRequest(frame.seq, frame.payload);
    }
}

void StationSimulator::onRequest(quint8 seq, const QByteArray &payload)
{
    if (payload.isEmpty())
        return;
    const auto command = static_cast<Command>(static_cast<quint8>(payload[0]));
    if (m_frameSize > 0)
        m_largestRequestInFrameSize = qMax(m_largestRequestInFrameSize, static_cast<int>(payload.size()));
    if (options().stationMinorVersion >= 1 && (command == Command::SetFrameSize || command == Command::Continue)) {
        onLinkCommand(seq, command, payload);
        return;
    }
    if (command != Command::Hello && seq == m_lastSeq && payload == m_lastRequest && !m_lastAnswer.isEmpty()) {
        ++m_duplicates;
        sendAnswer(seq, m_lastAnswer); // a retransmission: answer again (at today's frame size), do not execute
        return;
    }
    if (m_inFlight && seq == m_inFlightSeq && payload == m_inFlightRequest) {
        ++m_duplicates;
        sendStatus(seq, Status::InProgress);
        return;
    }
    auto args = Tlv::parse(QByteArrayView(payload).sliced(1));
    const QString step = args ? stepOf(command, *args) : QString();
    if (!step.isEmpty() && disconnectsAt(step))
        return;
    m_inFlight = true;
    m_inFlightSeq = seq;
    m_inFlightRequest = payload;
    if (command == Command::KeyGen)
        sendStatus(seq, Status::InProgress); // key generation takes a while on a real MCU
    answer([this, seq, payload, command, args, step] {
        Reply reply;
        if (!args)
            reply = error(Status::BadArgument, args.error().message);
        else if (!step.isEmpty() && refuses(step))
            reply = error(Status::Refused, QStringLiteral("%1 is disabled on this unit").arg(step));
        else if (!m_helloDone && command != Command::Hello)
            reply = error(Status::BadState, QStringLiteral("HELLO first"));
        else
            reply = execute(command, *args);
        m_inFlight = false;
        respond(seq, payload, reply);
        if (reply.status == Status::Ok && !step.isEmpty())
            emit stepDone(step);
        chatter(QStringLiteral("%1 -> %2").arg(proto::commandName(command), proto::statusName(reply.status)));
    });
}

void StationSimulator::onLinkCommand(quint8 seq, Command command, const QByteArray &payload)
{
    // The link layer of the unit: it answers at once, also while a command is in progress, and keeps the
    // last request and its answer so that the station can repeat the request or fetch the rest.
    auto args = Tlv::parse(QByteArrayView(payload).sliced(1));
    Reply reply;
    if (!args) {
        reply = error(Status::BadArgument, args.error().message);
    } else if (!m_helloDone) {
        reply = error(Status::BadState, QStringLiteral("HELLO first"));
    } else if (command == Command::SetFrameSize) {
        const auto size = args->number(Tag::MaxPayload);
        if (!size || *size < static_cast<quint32>(proto::kMinDevicePayload) || *size > proto::kMaxPayload) {
            reply = error(Status::BadArgument, QStringLiteral("MAX_PAYLOAD must be 64..4096"));
        } else {
            m_frameSize = qMin(static_cast<int>(*size), deviceMaxPayload());
            reply.tlv.addU16(Tag::MaxPayload, static_cast<std::uint16_t>(m_frameSize));
        }
    } else {
        const auto offset = args->number(Tag::Offset);
        if (m_lastAnswer.isEmpty() || m_frameSize == 0)
            reply = error(Status::BadState, QStringLiteral("no fragmented answer to continue"));
        else if (!offset || *offset == 0 || *offset >= static_cast<quint32>(m_lastAnswer.size()))
            reply = error(Status::BadArgument, QStringLiteral("OFFSET must be 1..%1").arg(m_lastAnswer.size() - 1));
        else {
            sendAnswer(seq, m_lastAnswer, *offset);
            return;
        }
    }
    sendAnswer(seq, QByteArray(1, static_cast<char>(reply.status)) + reply.tlv.encode());
}

void StationSimulator::respond(quint8 seq, const QByteArray &request, const Reply &reply)
{
    const QByteArray answer = QByteArray(1, static_cast<char>(reply.status)) + reply.tlv.encode();
    m_lastSeq = seq;
    m_lastRequest = request;
    m_lastAnswer = answer;
    sendAnswer(seq, answer);
}

void StationSimulator::sendAnswer(quint8 seq, const QByteArray &answer, qsizetype offset)
{
    Frame frame;
    frame.type = proto::FrameType::Response;
    frame.seq = seq;
    if (m_frameSize > 0 && (offset > 0 || answer.size() > m_frameSize)) {
        const qsizetype n = qMin<qsizetype>(m_frameSize - proto::kFragmentOverhead, answer.size() - offset);
        frame.payload = QByteArray(1, static_cast<char>(Status::Fragment)) +
                        Tlv()
                            .addU32(Tag::Length, static_cast<std::uint32_t>(answer.size()))
                            .add(Tag::Data, QByteArrayView(answer).sliced(offset, n))
                            .encode();
        ++m_fragments;
    } else {
        frame.payload = answer;
    }
    send(frame.encode());
}

void StationSimulator::sendStatus(quint8 seq, Status status)
{
    Frame frame;
    frame.type = proto::FrameType::Response;
    frame.seq = seq;
    frame.payload = QByteArray(1, static_cast<char>(status));
    send(frame.encode());
}

QString StationSimulator::stepOf(Command command, const Tlv &args)
{
    switch (command) {
    case Command::Hello: return QStringLiteral("hello");
    case Command::Identify: return QStringLiteral("identify");
    case Command::KeyGen: return QStringLiteral("keygen");
    case Command::WriteBegin:
        switch (static_cast<ObjectId>(args.number(Tag::Object).value_or(0))) {
        case ObjectId::TrustAnchors: return QStringLiteral("write-trust");
        case ObjectId::CertificateChain: return QStringLiteral("write-cert");
        case ObjectId::PrivateKey: return QStringLiteral("write-key");
        default: return QStringLiteral("write");
        }
    case Command::WriteChunk:
    case Command::WriteEnd: return {};
    case Command::Read: return QStringLiteral("read");
    case Command::Status: return QStringLiteral("readback");
    case Command::Commit: return QStringLiteral("commit");
    case Command::ResetSlot: return QStringLiteral("reset");
    case Command::SetFrameSize:
    case Command::Continue: return {};
    }
    return {};
}

StationSimulator::Reply StationSimulator::error(Status status, const QString &message)
{
    Reply r;
    r.status = status;
    if (!message.isEmpty())
        r.tlv.addText(Tag::Message, message);
    return r;
}

StationSimulator::Reply StationSimulator::execute(Command command, const Tlv &args)
{
    const auto slot = args.number(Tag::Slot);
    const bool needsSlot = command == Command::KeyGen || command == Command::WriteBegin || command == Command::Read ||
                           command == Command::Status || command == Command::Commit || command == Command::ResetSlot;
    if (needsSlot && (!slot || *slot >= kSlots))
        return error(Status::BadArgument, QStringLiteral("slot missing or not below %1").arg(kSlots));
    switch (command) {
    case Command::Hello: return hello(args);
    case Command::Identify: return identify(args);
    case Command::KeyGen: return keyGen(args);
    case Command::WriteBegin: return writeBegin(args);
    case Command::WriteChunk: return writeChunk(args);
    case Command::WriteEnd: return writeEnd(args);
    case Command::Read: return read(args);
    case Command::Status: return status(args);
    case Command::Commit: return commit(args);
    case Command::ResetSlot: return resetSlot(args);
    case Command::SetFrameSize:
    case Command::Continue: break; // link commands of 1.1; this unit speaks 1.0
    }
    ++m_unknownCommands;
    return error(Status::UnknownCommand, QStringLiteral("unknown command"));
}

StationSimulator::Reply StationSimulator::hello(const Tlv &args)
{
    const quint32 min = args.number(Tag::VersionMin).value_or(1);
    const quint32 max = args.number(Tag::VersionMax).value_or(min);
    if (max < proto::kVersionMin || min > proto::kVersionMax) {
        Reply r = error(Status::UnsupportedVersion, QStringLiteral("this unit speaks version 1 only"));
        r.tlv.addU8(Tag::VersionMin, proto::kVersionMin).addU8(Tag::VersionMax, proto::kVersionMax);
        return r;
    }
    m_helloDone = true;
    m_transfer = {};
    m_frameSize = 0; // a new session starts at the unit's own limit
    Reply r;
    r.tlv.addU8(Tag::Version, static_cast<std::uint8_t>(qMin<quint32>(max, proto::kVersionMax)))
        .addU16(Tag::MaxPayload, static_cast<std::uint16_t>(deviceMaxPayload()));
    if (options().stationMinorVersion >= 1)
        r.tlv.addU8(Tag::MinorVersion, static_cast<std::uint8_t>(options().stationMinorVersion));
    return r;
}

StationSimulator::Reply StationSimulator::identify(const Tlv &args) const
{
    Reply r;
    r.tlv.addText(Tag::SerialNumber, m_identity.serialNumber)
        .addText(Tag::HardwareId, QStringLiteral("HW-") + m_identity.uuid.left(8).toUpper())
        .addText(Tag::Model, QStringLiteral("SIM-STATION-1"))
        .addText(Tag::Firmware, QStringLiteral("1.4.2-sim"))
        .addText(Tag::DeviceUuid, m_identity.uuid)
        .addU8(Tag::Provisioned, object(0, ObjectId::CertificateChain).value_or(Object{}).committed ? 1 : 0);
    const QByteArray nonce = args.bytes(Tag::Nonce);
    if (!nonce.isEmpty()) {
        if (nonce.size() < 16 || nonce.size() > 64)
            return error(Status::BadArgument, QStringLiteral("nonce must be 16..64 bytes"));
        if (auto sig = m_identity.identityKey.sign(nonce); sig)
            r.tlv.add(Tag::IdentityKey, m_identity.identityKey.publicKeyDer()).add(Tag::IdentitySig, *sig);
    }
    return r;
}

StationSimulator::Reply StationSimulator::keyGen(const Tlv &args)
{
    const int slot = static_cast<int>(*args.number(Tag::Slot));
    if (keyGenFails())
        return error(Status::KeyGenFailed, QStringLiteral("entropy source not ready"));
    auto type =
        crypto::parseKeyType(args.text(Tag::KeyType).isEmpty() ? QStringLiteral("p256") : args.text(Tag::KeyType));
    if (!type)
        return error(Status::BadArgument, type.error().message);
    crypto::CsrSpec spec;
    const QString subject = args.text(Tag::Subject);
    if (subject.isEmpty()) {
        spec.subject.append(QStringLiteral("CN"), m_identity.serialNumber);
    } else {
        auto dn = crypto::DistinguishedName::parse(subject);
        if (!dn)
            return error(Status::BadArgument, dn.error().message);
        spec.subject = *dn;
    }
    auto key = crypto::PrivateKey::generate(*type);
    if (!key)
        return error(Status::KeyGenFailed, key.error().message);
    auto csr = crypto::CertificateRequest::create(spec, *key);
    auto pkcs8 = key->toPkcs8Der();
    if (!csr || !pkcs8)
        return error(Status::KeyGenFailed, QStringLiteral("CSR creation failed"));
    m_staged[{slot, ObjectId::PrivateKey}] = pkcs8->view().toByteArray(); // the device keeps it
    m_staged[{slot, ObjectId::Csr}] = csr->toDer();
    m_staged[{slot, ObjectId::DevicePublicKey}] = key->publicKeyDer();
    m_stagedGenerated[slot] = true;
    Reply r;
    r.tlv.addU32(Tag::Length, static_cast<std::uint32_t>(csr->toDer().size()))
        .add(Tag::Sha256, QCryptographicHash::hash(csr->toDer(), QCryptographicHash::Sha256));
    return r;
}

StationSimulator::Reply StationSimulator::writeBegin(const Tlv &args)
{
    const auto object = static_cast<ObjectId>(args.number(Tag::Object).value_or(0));
    if (object != ObjectId::TrustAnchors && object != ObjectId::CertificateChain && object != ObjectId::PrivateKey)
        return error(Status::AccessDenied, QStringLiteral("%1 cannot be written").arg(proto::objectName(object)));
    const auto length = args.number(Tag::Length);
    const QByteArray sha = args.bytes(Tag::Sha256);
    if (!length || sha.size() != 32)
        return error(Status::BadArgument, QStringLiteral("LENGTH and SHA256 are required"));
    if (*length > kObjectCapacity)
        return error(Status::TooLarge, QStringLiteral("at most %1 bytes per object").arg(kObjectCapacity));
    m_transfer = {};
    m_transfer.active = true;
    m_transfer.slot = static_cast<int>(*args.number(Tag::Slot));
    m_transfer.object = object;
    m_transfer.length = *length;
    m_transfer.sha256 = sha;
    return {};
}

StationSimulator::Reply StationSimulator::writeChunk(const Tlv &args)
{
    if (!m_transfer.active)
        return error(Status::BadState, QStringLiteral("no WRITE_BEGIN"));
    const auto offset = args.number(Tag::Offset);
    const QByteArray data = args.bytes(Tag::Data);
    if (!offset || *offset != static_cast<quint32>(m_transfer.data.size()))
        return error(Status::OffsetMismatch, QStringLiteral("expected offset %1").arg(m_transfer.data.size()));
    if (m_transfer.data.size() + data.size() > m_transfer.length)
        return error(Status::TooLarge, QStringLiteral("more data than announced"));
    m_transfer.data.append(data);
    return {};
}

StationSimulator::Reply StationSimulator::writeEnd(const Tlv &args)
{
    Q_UNUSED(args)
    if (!m_transfer.active)
        return error(Status::BadState, QStringLiteral("no WRITE_BEGIN"));
    Transfer t = std::move(m_transfer);
    m_transfer = {};
    if (t.data.size() != t.length || QCryptographicHash::hash(t.data, QCryptographicHash::Sha256) != t.sha256)
        return error(Status::DigestMismatch,
                     QStringLiteral("received %1 of %2 bytes, digest differs").arg(t.data.size()).arg(t.length));
    if (t.object != ObjectId::PrivateKey && !splitDer(t.data))
        return error(Status::BadArgument, QStringLiteral("not a sequence of DER certificates"));
    m_staged[{t.slot, t.object}] = t.data;
    if (t.object == ObjectId::PrivateKey) {
        m_stagedGenerated[t.slot] = false;
        m_staged.remove({t.slot, ObjectId::Csr});
        m_staged.remove({t.slot, ObjectId::DevicePublicKey});
    }
    return {};
}

StationSimulator::Reply StationSimulator::read(const Tlv &args) const
{
    const int slot = static_cast<int>(*args.number(Tag::Slot));
    const auto id = static_cast<ObjectId>(args.number(Tag::Object).value_or(0));
    if (id == ObjectId::PrivateKey)
        return error(Status::AccessDenied, QStringLiteral("private keys never leave the unit"));
    const auto obj = object(slot, id);
    if (!obj)
        return error(Status::NotFound, QStringLiteral("%1 is empty").arg(proto::objectName(id)));
    const qint64 offset = args.number(Tag::Offset).value_or(0);
    // Status byte and DATA header: the answer fits the frame size (or the unit's limit before SET_FRAME_SIZE).
    const qint64 max = qMin<qint64>(args.number(Tag::MaxLength).value_or(128),
                                    (m_frameSize > 0 ? m_frameSize : deviceMaxPayload()) - 4);
    if (offset > obj->der.size())
        return error(Status::BadArgument, QStringLiteral("offset beyond the end"));
    Reply r;
    r.tlv.add(Tag::Data, QByteArrayView(obj->der).sliced(offset, qMin(max, obj->der.size() - offset)));
    return r;
}

StationSimulator::Reply StationSimulator::status(const Tlv &args) const
{
    const int slot = static_cast<int>(*args.number(Tag::Slot));
    Reply r;
    for (ObjectId id : kObjects) {
        const auto obj = object(slot, id);
        if (!obj)
            continue;
        r.tlv.addU8(Tag::Object, static_cast<std::uint8_t>(id))
            .addU8(Tag::ObjectState, static_cast<std::uint8_t>(obj->committed ? proto::ObjectState::Committed
                                                                              : proto::ObjectState::Staged))
            .addU32(Tag::Length, static_cast<std::uint32_t>(obj->der.size()))
            .add(Tag::Sha256, QCryptographicHash::hash(obj->der, QCryptographicHash::Sha256));
    }
    return r;
}

StationSimulator::Reply StationSimulator::commit(const Tlv &args)
{
    const int slot = static_cast<int>(*args.number(Tag::Slot));
    for (ObjectId id : kObjects) {
        auto it = m_staged.find({slot, id});
        if (it == m_staged.end())
            continue;
        QString file = fileOf(slot, id);
        if (id == ObjectId::PrivateKey) {
            const bool generated = m_stagedGenerated.value(slot);
            file = QStringLiteral("slot-%1/%2")
                       .arg(slot)
                       .arg(generated ? QStringLiteral("device-key.pem") : QStringLiteral("private-key.pem"));
            const QString other =
                QStringLiteral("slot-%1/%2")
                    .arg(slot)
                    .arg(generated ? QStringLiteral("private-key.pem") : QStringLiteral("device-key.pem"));
            if (auto rm = storage().remove(other); !rm)
                return error(Status::StorageFailure, rm.error().message);
        }
        if (auto w = storage().write(file, toPem(id, it.value())); !w)
            return error(Status::StorageFailure, w.error().message);
    }
    for (ObjectId id : kObjects)
        m_staged.remove({slot, id});
    m_stagedGenerated.remove(slot);
    return {};
}

StationSimulator::Reply StationSimulator::resetSlot(const Tlv &args)
{
    const int slot = static_cast<int>(*args.number(Tag::Slot));
    if (args.number(Tag::Confirm).value_or(0) != proto::kResetConfirm)
        return error(Status::BadArgument, QStringLiteral("CONFIRM missing"));
    for (const QString &name : storage().names(QStringLiteral("slot-%1/").arg(slot)))
        if (auto rm = storage().remove(name); !rm)
            return error(Status::StorageFailure, rm.error().message);
    for (ObjectId id : kObjects)
        m_staged.remove({slot, id});
    m_stagedGenerated.remove(slot);
    return {};
}

QString StationSimulator::fileOf(int slot, ObjectId id) const
{
    switch (id) {
    case ObjectId::TrustAnchors: return QStringLiteral("slot-%1/trust-anchors.pem").arg(slot);
    case ObjectId::CertificateChain: return QStringLiteral("slot-%1/certificate-chain.pem").arg(slot);
    case ObjectId::PrivateKey: return QStringLiteral("slot-%1/private-key.pem").arg(slot);
    case ObjectId::Csr: return QStringLiteral("slot-%1/csr.pem").arg(slot);
    case ObjectId::DevicePublicKey: return QStringLiteral("slot-%1/device-public-key.pem").arg(slot);
    }
    return {};
}

std::optional<StationSimulator::Object> StationSimulator::object(int slot, ObjectId id) const
{
    if (auto it = m_staged.constFind({slot, id}); it != m_staged.cend())
        return Object{it.value(), false};
    QString file = fileOf(slot, id);
    if (id == ObjectId::PrivateKey && !storage().contains(file))
        file = QStringLiteral("slot-%1/device-key.pem").arg(slot);
    if (!storage().contains(file))
        return std::nullopt;
    return Object{fromPem(storage().read(file)), true};
}

} // namespace station::drivers
