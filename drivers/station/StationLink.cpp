#include "StationLink.h"

#include "Frame.h"
#include "Tlv.h"
#include "crypto/SecretBytes.h"
#include "transport/Transport.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

Q_LOGGING_CATEGORY(lcLink, "station.drivers.station")

namespace station::drivers {

namespace {

QByteArray linkCommand(proto::Command command, const Tlv &args)
{
    QByteArray payload(1, static_cast<char>(command));
    args.encodeTo(payload);
    return payload;
}

} // namespace

StationLink::StationLink(Transport *transport, QObject *parent) : QObject(parent), m_transport(transport)
{
    // A random first sequence number: a device that still remembers the last session's request cannot
    // take the first request of this one for a retransmission.
    m_seq = static_cast<quint8>(QRandomGenerator::global()->bounded(256));
    m_attemptTimer.setSingleShot(true);
    connect(&m_attemptTimer, &QTimer::timeout, this, &StationLink::onAttemptTimeout);
    connect(m_transport, &Transport::received, this, &StationLink::onReceived);
    connect(m_transport, &Transport::closed, this, [this](const Error &error) {
        if (m_done)
            finish(std::unexpected(error));
    });
}

void StationLink::setPeer(int maxPayload, int minorVersion)
{
    m_frameSize = maxPayload;
    m_peerMinor = minorVersion;
    m_canResize = minorVersion >= 1;
    m_damagedInRow = 0;
    m_damagedLargest = 0;
}

void StationLink::resetPeer()
{
    // HELLO returns a 1.1 device to its own payload limit; until its answer nothing is negotiated.
    m_peerMinor = 0;
    m_canResize = false;
    m_damagedInRow = 0;
    m_damagedLargest = 0;
}

StationLink::Exchange StationLink::makeExchange(Exchange::Kind kind, const QByteArray &payload)
{
    Frame frame;
    frame.type = proto::FrameType::Request;
    frame.seq = ++m_seq;
    frame.payload = payload;
    Exchange e;
    e.kind = kind;
    e.seq = frame.seq;
    e.frame = frame.encode(); // one exactly reserved buffer; `frame` shares the caller's payload only
    e.started.start();
    return e;
}

void StationLink::request(const QByteArray &payload, const Timing &timing, Done done, Secrecy secrecy)
{
    if (m_done) {
        QTimer::singleShot(0, this, [done = std::move(done)] {
            done(fail(ErrorCode::Internal, QStringLiteral("A request is already pending on this link")));
        });
        return;
    }
    if (payload.size() > proto::kMaxPayload) {
        QTimer::singleShot(0, this, [done = std::move(done)] {
            done(fail(ErrorCode::InvalidArgument, QStringLiteral("Request larger than the frame format allows")));
        });
        return;
    }
    if (m_secrecy == Secrecy::Secret)
        crypto::wipe(m_exchange.frame);
    m_exchange = makeExchange(Exchange::Kind::Request, payload);
    m_resize.reset();
    m_assembly.clear();
    m_assemblyTotal = 0;
    m_secrecy = secrecy;
    m_timing = timing;
    m_done = std::move(done);
    send();
}

void StationLink::cancel()
{
    if (m_done)
        finish(fail(ErrorCode::Cancelled, QStringLiteral("Cancelled")));
}

std::chrono::milliseconds StationLink::attemptWindow()
{
    // The configured wait plus twice the time the request and a full response take on the wire.
    const qint64 bps = m_transport->bytesPerSecond();
    const qint64 wire =
        bps > 0 ? (2 * (current().frame.size() + m_frameSize + proto::kHeaderSize + proto::kTrailerSize) * 1000) / bps
                : 0;
    return m_timing.attempt + std::chrono::milliseconds(wire);
}

void StationLink::send()
{
    if (auto written = m_transport->write(current().frame); !written) {
        finish(std::unexpected(written.error()));
        return;
    }
    m_attemptTimer.start(attemptWindow());
}

void StationLink::retransmit(const char *why)
{
    Exchange &ex = current();
    if (ex.started.elapsed() >= m_timing.deadline.count() || ex.retries >= m_timing.maxRetransmissions) {
        finish(fail(ErrorCode::DeviceTimeout,
                    QStringLiteral("The unit on %1 does not answer").arg(m_transport->location()),
                    QStringLiteral("%1 retransmission(s) in %2 ms, last because of %3")
                        .arg(ex.retries)
                        .arg(ex.started.elapsed())
                        .arg(QLatin1String(why)),
                    QStringLiteral("Check that the unit runs provisioning firmware and that the baud rate is right; "
                                   "replug it and try again.")));
        return;
    }
    ++ex.retries;
    ++m_retransmissionsTotal;
    qCDebug(lcLink) << "retransmitting seq" << ex.seq << "attempt" << ex.retries << "because of" << why;
    emit retransmitted(ex.retries);
    send();
}

void StationLink::onAttemptTimeout()
{
    if (m_done)
        retransmit("a timeout");
}

void StationLink::onReceived(const QByteArray &bytes)
{
    const FrameParser::Output out = m_parser.feed(bytes);
    if (!m_done)
        return;
    for (const Frame &frame : out.frames) {
        if (frame.type == proto::FrameType::Nak) {
            retransmit("a NAK from the device");
            return;
        }
        if (frame.type != proto::FrameType::Response || frame.seq != current().seq)
            continue; // a stale response to an abandoned request
        m_damagedInRow = 0;
        m_damagedLargest = 0;
        if (frame.payload.isEmpty()) {
            finish(fail(ErrorCode::Parse, QStringLiteral("The unit sent an empty response")));
            return;
        }
        if (static_cast<proto::Status>(static_cast<quint8>(frame.payload[0])) == proto::Status::InProgress) {
            if (current().started.elapsed() >= m_timing.deadline.count()) {
                finish(fail(ErrorCode::DeviceTimeout,
                            QStringLiteral("The unit on %1 is still busy after %2 s")
                                .arg(m_transport->location())
                                .arg(m_timing.deadline.count() / 1000.0),
                            {},
                            QStringLiteral("Replug the unit and try again; if it persists the unit may be faulty.")));
                return;
            }
            m_attemptTimer.start(attemptWindow()); // keep-alive: the device is working on it
            continue;
        }
        onAnswer(frame.payload);
        return;
    }
    if (out.damaged > 0)
        onDamaged(out.damaged, out.damagedPayload);
}

void StationLink::onDamaged(int frames, int largestPayload)
{
    m_damagedInRow += frames;
    m_damagedLargest = qMax(m_damagedLargest, largestPayload);
    // Half of what was damaged: a device with a large limit whose answers are shorter gets a useful step at
    // once, not halvings that change nothing.
    const int next = qMax(proto::kMinDevicePayload, qMin(m_frameSize, m_damagedLargest) / 2);
    if (!m_canResize || m_resize || m_damagedInRow < kDamagedBeforeResize || next >= m_frameSize) {
        retransmit("a damaged response");
        return;
    }
    qCDebug(lcLink) << m_damagedInRow << "damaged answers in a row: asking for frames of" << next << "bytes";
    m_damagedInRow = 0;
    m_damagedLargest = 0;
    m_requestedFrameSize = next;
    m_resize = makeExchange(Exchange::Kind::SetFrameSize,
                            linkCommand(proto::Command::SetFrameSize,
                                        Tlv().addU16(proto::Tag::MaxPayload, static_cast<std::uint16_t>(next))));
    send();
}

void StationLink::onAnswer(const QByteArray &payload)
{
    const auto status = static_cast<proto::Status>(static_cast<quint8>(payload[0]));
    switch (current().kind) {
    case Exchange::Kind::SetFrameSize: onFrameSizeAnswer(payload); return;
    case Exchange::Kind::Continue:
        if (status != proto::Status::Fragment) {
            finish(fail(ErrorCode::Device,
                        QStringLiteral("The unit on %1 lost the rest of its answer").arg(m_transport->location()),
                        QStringLiteral("CONTINUE at offset %1 of %2 answered %3")
                            .arg(m_assembly.size())
                            .arg(m_assemblyTotal)
                            .arg(proto::statusName(status)),
                        QStringLiteral("Try again; if it persists replug the unit.")));
            return;
        }
        onFragment(payload);
        return;
    case Exchange::Kind::Request:
        if (status == proto::Status::Fragment)
            onFragment(payload);
        else
            finish(payload);
        return;
    }
}

void StationLink::onFragment(const QByteArray &payload)
{
    const auto tlv = Tlv::parse(QByteArrayView(payload).sliced(1));
    const auto total = tlv ? tlv->number(proto::Tag::Length) : std::nullopt;
    const QByteArray data = tlv ? tlv->bytes(proto::Tag::Data) : QByteArray();
    if (!total || *total < 1 || *total > static_cast<quint32>(proto::kMaxPayload) || data.isEmpty() ||
        (m_assemblyTotal > 0 && *total != m_assemblyTotal) || m_assembly.size() + data.size() > *total) {
        finish(fail(ErrorCode::Parse, QStringLiteral("The unit sent a malformed fragment of its answer"),
                    QStringLiteral("LENGTH %1, %2 byte(s) of DATA at offset %3")
                        .arg(total.value_or(0))
                        .arg(data.size())
                        .arg(m_assembly.size())));
        return;
    }
    m_assemblyTotal = *total;
    m_assembly.append(data);
    if (m_assembly.size() == m_assemblyTotal) {
        const auto status = static_cast<proto::Status>(static_cast<quint8>(m_assembly[0]));
        if (status == proto::Status::Fragment || status == proto::Status::InProgress) {
            finish(fail(ErrorCode::Parse,
                        QStringLiteral("The unit's reassembled answer has status %1").arg(proto::statusName(status))));
            return;
        }
        finish(std::move(m_assembly));
        return;
    }
    // The device has executed the request: it is never sent again, so a secret one can go now.
    if (m_secrecy == Secrecy::Secret && m_exchange.kind == Exchange::Kind::Request)
        crypto::wipe(m_exchange.frame);
    m_exchange =
        makeExchange(Exchange::Kind::Continue,
                     linkCommand(proto::Command::Continue,
                                 Tlv().addU32(proto::Tag::Offset, static_cast<std::uint32_t>(m_assembly.size()))));
    send();
}

void StationLink::onFrameSizeAnswer(const QByteArray &payload)
{
    const auto status = static_cast<proto::Status>(static_cast<quint8>(payload[0]));
    const auto tlv = Tlv::parse(QByteArrayView(payload).sliced(1));
    const int granted = tlv ? static_cast<int>(tlv->number(proto::Tag::MaxPayload).value_or(0)) : 0;
    m_resize.reset();
    if (status == proto::Status::Ok && granted >= proto::kMinDevicePayload && granted <= m_requestedFrameSize) {
        qCInfo(lcLink) << "noisy line on" << m_transport->location() << ": frame size" << m_frameSize << "->" << granted
                       << "bytes";
        m_frameSize = granted;
        ++m_frameSizeChanges;
        emit frameSizeChanged(m_frameSize);
    } else {
        // Not fatal: go on at the old size, with retransmissions only.
        qCWarning(lcLink) << "the unit on" << m_transport->location() << "refused SET_FRAME_SIZE"
                          << m_requestedFrameSize << ":" << proto::statusName(status) << granted;
        m_canResize = false;
    }
    // The interrupted exchange again, with the same SEQ and payload: the device takes it for a
    // retransmission and resends its remembered answer at the new size. The line changed: a fresh budget.
    m_exchange.retries = 0;
    m_exchange.started.start();
    send();
}

void StationLink::finish(Result<QByteArray> result)
{
    m_attemptTimer.stop();
    if (m_secrecy == Secrecy::Secret) {
        crypto::wipe(m_exchange.frame); // no retransmission can follow
        m_secrecy = Secrecy::Plain;
    }
    m_resize.reset();
    m_assembly.clear();
    m_assemblyTotal = 0;
    Done done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(std::move(result));
}

} // namespace station::drivers
