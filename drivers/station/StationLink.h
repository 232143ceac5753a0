// The station side of the station protocol's link layer (PROTOCOL.md §5): one outstanding request at a
// time (stop-and-wait), sequence numbers, retransmission on timeout, on a NAK and on a damaged response,
// IN_PROGRESS keep-alives for slow devices, and an overall deadline. Knows nothing about commands.
#pragma once

#include "Error.h"
#include "FrameParser.h"
#include "Secrecy.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <functional>

namespace station::drivers {

class Transport;

class StationLink : public QObject
{
    Q_OBJECT
public:
    struct Timing {
        std::chrono::milliseconds attempt{1500};   ///< wait for any answer before retransmitting
        std::chrono::milliseconds deadline{10000}; ///< the whole request, keep-alives included
        int maxRetransmissions = 6;
    };
    /// The response payload (status byte first), or the link-level failure.
    using Done = std::function<void(Result<QByteArray>)>;

    explicit StationLink(Transport *transport, QObject *parent = nullptr);

    /// Sends `payload` as a REQUEST with the next sequence number. Only one request at a time. A Secret
    /// payload's frame is wiped when the request ends (the link keeps no other copy).
    void request(const QByteArray &payload, const Timing &timing, Done done, Secrecy secrecy = Secrecy::Plain);
    /// Abandons the pending request (its callback gets Cancelled); a late response is ignored.
    void cancel();
    [[nodiscard]] bool isBusy() const { return static_cast<bool>(m_done); }
    /// The device's announced payload limit, to size the wait for a response on slow lines.
    void setMaxResponsePayload(int bytes) { m_maxResponse = bytes; }

    /// Counters for diagnostics and tests.
    [[nodiscard]] int retransmissions() const { return m_retransmissionsTotal; }
    [[nodiscard]] qint64 discardedBytes() const { return m_parser.discardedBytes(); }

signals:
    void retransmitted(int attempt);

private:
    void onReceived(const QByteArray &bytes);
    void onAttemptTimeout();
    void retransmit(const char *why);
    void send();
    void finish(Result<QByteArray> result);
    [[nodiscard]] std::chrono::milliseconds attemptWindow() const;

    Transport *m_transport;
    FrameParser m_parser;
    QTimer m_attemptTimer;
    QElapsedTimer m_started;
    QByteArray m_frameBytes;
    Timing m_timing;
    Done m_done;
    Secrecy m_secrecy = Secrecy::Plain;
    quint8 m_seq = 0;
    int m_retries = 0;
    int m_retransmissionsTotal = 0;
    int m_maxResponse = 512;
};

} // namespace station::drivers
