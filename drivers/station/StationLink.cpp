#include "StationLink.h"

#include "Frame.h"
#include "crypto/SecretBytes.h"
#include "transport/Transport.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

Q_LOGGING_CATEGORY(lcLink, "station.drivers.station")

namespace station::drivers {

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
    Frame frame;
    frame.type = proto::FrameType::Request;
    frame.seq = ++m_seq;
    frame.payload = payload;
    if (m_secrecy == Secrecy::Secret)
        crypto::wipe(m_frameBytes);
    m_frameBytes = frame.encode(); // one exactly reserved buffer; `frame` shares the caller's payload only
    m_secrecy = secrecy;
    m_timing = timing;
    m_done = std::move(done);
    m_retries = 0;
    m_started.start();
    send();
}

void StationLink::cancel()
{
    if (m_done)
        finish(fail(ErrorCode::Cancelled, QStringLiteral("Cancelled")));
}

std::chrono::milliseconds StationLink::attemptWindow() const
{
    // The configured wait plus twice the time the request and a full response take on the wire.
    const qint64 bps = m_transport->bytesPerSecond();
    const qint64 wire =
        bps > 0 ? (2 * (m_frameBytes.size() + m_maxResponse + proto::kHeaderSize + proto::kTrailerSize) * 1000) / bps
                : 0;
    return m_timing.attempt + std::chrono::milliseconds(wire);
}

void StationLink::send()
{
    if (auto written = m_transport->write(m_frameBytes); !written) {
        finish(std::unexpected(written.error()));
        return;
    }
    m_attemptTimer.start(attemptWindow());
}

void StationLink::retransmit(const char *why)
{
    if (m_started.elapsed() >= m_timing.deadline.count() || m_retries >= m_timing.maxRetransmissions) {
        finish(fail(ErrorCode::DeviceTimeout,
                    QStringLiteral("The unit on %1 does not answer").arg(m_transport->location()),
                    QStringLiteral("%1 retransmission(s) in %2 ms, last because of %3")
                        .arg(m_retries)
                        .arg(m_started.elapsed())
                        .arg(QLatin1String(why)),
                    QStringLiteral("Check that the unit runs provisioning firmware and that the baud rate is right; "
                                   "replug it and try again.")));
        return;
    }
    ++m_retries;
    ++m_retransmissionsTotal;
    qCDebug(lcLink) << "retransmitting seq" << m_seq << "attempt" << m_retries << "because of" << why;
    emit retransmitted(m_retries);
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
        if (frame.type != proto::FrameType::Response || frame.seq != m_seq)
            continue; // a stale response to an abandoned request
        if (frame.payload.isEmpty()) {
            finish(fail(ErrorCode::Parse, QStringLiteral("The unit sent an empty response")));
            return;
        }
        if (static_cast<proto::Status>(static_cast<quint8>(frame.payload[0])) == proto::Status::InProgress) {
            if (m_started.elapsed() >= m_timing.deadline.count()) {
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
        finish(frame.payload);
        return;
    }
    if (out.damaged > 0)
        retransmit("a damaged response");
}

void StationLink::finish(Result<QByteArray> result)
{
    m_attemptTimer.stop();
    if (m_secrecy == Secrecy::Secret) {
        crypto::wipe(m_frameBytes); // no retransmission can follow
        m_secrecy = Secrecy::Plain;
    }
    Done done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(std::move(result));
}

} // namespace station::drivers
