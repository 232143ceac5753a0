// One direction of a UART line (8N1: ten bit times per byte). Bytes pushed in come out when the line
// would have finished carrying them: back to back at the baud rate, never in a burst after an idle
// line. The end of each push (a frame, a line of text) is delivered at its exact arrival time (a
// monotonic-clock timer, not the event loop's millisecond timers); the bytes of a long push in between
// come out in batches of at most two milliseconds. Baud rate 0 passes bytes through at once.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>

class QSocketNotifier;

namespace station::drivers {

class LinePacer : public QObject
{
    Q_OBJECT
public:
    /// `deliver` receives the bytes in order as they arrive.
    explicit LinePacer(std::function<void(const QByteArray &)> deliver, QObject *parent = nullptr);
    ~LinePacer() override;

    void setBaudRate(int baud);
    void push(const QByteArray &bytes);
    /// Drops what is still on the line (an unplug).
    void clear();
    [[nodiscard]] bool isIdle() const { return m_queue.isEmpty(); }

private:
    void release();
    void wakeAt(qint64 ns);
    [[nodiscard]] static qint64 nowNs();

    std::function<void(const QByteArray &)> m_deliver;
    qint64 m_byteNs = 0;          ///< time on the line per byte; 0: unpaced
    QByteArray m_queue;           ///< pushed, not arrived yet
    qint64 m_headStartNs = 0;     ///< when the first queued byte started on the line
    std::deque<qsizetype> m_ends; ///< queue offsets where a push ends
    int m_timerFd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QTimer m_fallback; ///< where there is no timerfd
};

} // namespace station::drivers
