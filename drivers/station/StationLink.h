// The station side of the station protocol's link layer (PROTOCOL.md §5): one outstanding request at a
// time (stop-and-wait), sequence numbers, retransmission on timeout, on a NAK and on a damaged response,
// IN_PROGRESS keep-alives for slow devices, and an overall deadline. On a noisy line to a 1.1 device it
// also negotiates smaller frames (SET_FRAME_SIZE after damaged answers in a row) and reassembles answers
// the device then sends in FRAGMENTs (fetched with CONTINUE), so callers still get one whole response.
// Knows nothing about the other commands.
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
#include <optional>

namespace station::drivers {

class Transport;

class StationLink : public QObject
{
    Q_OBJECT
public:
    struct Timing {
        /// Wait for any answer before retransmitting.
        std::chrono::milliseconds attempt{1500};
        /// One exchange (the request, a CONTINUE for one fragment, a SET_FRAME_SIZE), keep-alives included.
        std::chrono::milliseconds deadline{10000};
        int maxRetransmissions = 6; ///< per exchange
    };
    /// The response payload (status byte first), or the link-level failure.
    using Done = std::function<void(Result<QByteArray>)>;

    /// Damaged answers in a row after which the link asks a 1.1 device for smaller frames.
    static constexpr int kDamagedBeforeResize = 2;

    explicit StationLink(Transport *transport, QObject *parent = nullptr);

    /// Sends `payload` as a REQUEST with the next sequence number. Only one request at a time. A Secret
    /// payload's frame is wiped when the request ends (the link keeps no other copy).
    void request(const QByteArray &payload, const Timing &timing, Done done, Secrecy secrecy = Secrecy::Plain);
    /// Abandons the pending request (its callback gets Cancelled); a late response is ignored.
    void cancel();
    [[nodiscard]] bool isBusy() const { return static_cast<bool>(m_done); }
    /// What HELLO negotiated: the device's payload limit (the frame size until the line proves noisy) and
    /// its minor version (1.1 and later can be asked for smaller frames).
    void setPeer(int maxPayload, int minorVersion);
    /// Forgets the peer (before a HELLO): no frame-size negotiation until setPeer().
    void resetPeer();

    /// The largest payload in either direction now: the device's limit, smaller after SET_FRAME_SIZE.
    [[nodiscard]] int frameSize() const { return m_frameSize; }

    /// Counters for diagnostics and tests.
    [[nodiscard]] int retransmissions() const { return m_retransmissionsTotal; }
    [[nodiscard]] int frameSizeChanges() const { return m_frameSizeChanges; }
    [[nodiscard]] qint64 discardedBytes() const { return m_parser.discardedBytes(); }

signals:
    void retransmitted(int attempt);
    void frameSizeChanged(int bytes);

private:
    /// One stop-and-wait exchange: the caller's request, a CONTINUE for the next fragment of its answer, or a
    /// SET_FRAME_SIZE that interrupts either of them.
    struct Exchange {
        enum class Kind { Request, Continue, SetFrameSize } kind = Kind::Request;
        quint8 seq = 0;
        QByteArray frame;
        int retries = 0;
        QElapsedTimer started;
    };

    void onReceived(const QByteArray &bytes);
    void onAttemptTimeout();
    void onAnswer(const QByteArray &payload);
    void onFragment(const QByteArray &payload);
    void onFrameSizeAnswer(const QByteArray &payload);
    void onDamaged(int frames, int largestPayload);
    void retransmit(const char *why);
    void send();
    void finish(Result<QByteArray> result);
    [[nodiscard]] Exchange makeExchange(Exchange::Kind kind, const QByteArray &payload);
    [[nodiscard]] Exchange &current() { return m_resize ? *m_resize : m_exchange; }
    [[nodiscard]] std::chrono::milliseconds attemptWindow();

    Transport *m_transport;
    FrameParser m_parser;
    QTimer m_attemptTimer;
    Exchange m_exchange;              ///< the request, or the CONTINUE that fetches its answer
    std::optional<Exchange> m_resize; ///< a SET_FRAME_SIZE in progress; m_exchange resumes after it
    int m_requestedFrameSize = 0;     ///< what m_resize asks for
    QByteArray m_assembly;            ///< the answer's fragments so far
    qint64 m_assemblyTotal = 0;       ///< its announced length (0: not fragmented)
    Timing m_timing;
    Done m_done;
    Secrecy m_secrecy = Secrecy::Plain;
    quint8 m_seq = 0;
    int m_retransmissionsTotal = 0;
    int m_frameSize = 512; ///< before HELLO: a guess for the wait on slow lines
    int m_peerMinor = 0;
    bool m_canResize = false; ///< cleared when the device refuses SET_FRAME_SIZE
    int m_damagedInRow = 0;
    int m_damagedLargest = 0;
    int m_frameSizeChanges = 0;
};

} // namespace station::drivers
