#include "LinePacer.h"

#include <QSocketNotifier>

#include <chrono>
#include <cmath>

#ifdef Q_OS_LINUX
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#endif

namespace station::drivers {

namespace {
constexpr qint64 kBatchNs = 2'000'000; ///< longest wait between two batches of one long push
}

LinePacer::LinePacer(std::function<void(const QByteArray &)> deliver, QObject *parent)
    : QObject(parent), m_deliver(std::move(deliver))
{
#ifdef Q_OS_LINUX
    m_timerFd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (m_timerFd >= 0) {
        m_notifier = new QSocketNotifier(m_timerFd, QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, [this] {
            quint64 expirations = 0;
            while (::read(m_timerFd, &expirations, sizeof expirations) > 0) {
            }
            release();
        });
    }
#endif
    m_fallback.setSingleShot(true);
    m_fallback.setTimerType(Qt::PreciseTimer);
    connect(&m_fallback, &QTimer::timeout, this, &LinePacer::release);
}

LinePacer::~LinePacer()
{
#ifdef Q_OS_LINUX
    delete m_notifier;
    if (m_timerFd >= 0)
        ::close(m_timerFd);
#endif
}

qint64 LinePacer::nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void LinePacer::setBaudRate(int baud)
{
    m_byteNs = baud > 0 ? qint64(std::llround(10.0 * 1e9 / double(baud))) : 0;
}

void LinePacer::push(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    if (m_byteNs == 0 && m_queue.isEmpty()) {
        m_deliver(bytes);
        return;
    }
    if (m_queue.isEmpty())
        m_headStartNs = nowNs(); // an idle line starts sending at once
    m_queue.append(bytes);
    m_ends.push_back(m_queue.size());
    release();
}

void LinePacer::clear()
{
    m_queue.clear();
    m_ends.clear();
    m_fallback.stop();
#ifdef Q_OS_LINUX
    if (m_timerFd >= 0) {
        itimerspec off{};
        ::timerfd_settime(m_timerFd, 0, &off, nullptr);
    }
#endif
}

void LinePacer::release()
{
    if (m_queue.isEmpty())
        return;
    const qint64 now = nowNs();
    qsizetype n = m_queue.size();
    if (m_byteNs > 0) // byte i has arrived when its stop bit is done: headStart + (i + 1) * byteNs
        n = std::min<qsizetype>(n, qsizetype((now - m_headStartNs) / m_byteNs));
    if (n > 0) {
        const QByteArray out = m_queue.left(n);
        m_queue.remove(0, n);
        m_headStartNs += n * m_byteNs;
        for (auto &end : m_ends)
            end -= n;
        while (!m_ends.empty() && m_ends.front() <= 0)
            m_ends.pop_front();
        m_deliver(out); // may push more (an answer) or clear (an unplug)
    }
    if (m_queue.isEmpty() || m_byteNs == 0)
        return;
    // Wake when the current push has fully arrived, or after a batch, whichever comes first.
    const qsizetype end = m_ends.empty() ? m_queue.size() : m_ends.front();
    const qint64 endAt = m_headStartNs + end * m_byteNs;
    wakeAt(std::min(endAt, std::max(now, m_headStartNs) + kBatchNs));
}

void LinePacer::wakeAt(qint64 ns)
{
#ifdef Q_OS_LINUX
    if (m_timerFd >= 0) {
        // steady_clock is CLOCK_MONOTONIC on Linux.
        itimerspec at{};
        at.it_value.tv_sec = time_t(ns / 1'000'000'000);
        at.it_value.tv_nsec = long(ns % 1'000'000'000);
        if (at.it_value.tv_sec == 0 && at.it_value.tv_nsec == 0)
            at.it_value.tv_nsec = 1; // zero would disarm it
        ::timerfd_settime(m_timerFd, TFD_TIMER_ABSTIME, &at, nullptr);
        return;
    }
#endif
    const qint64 waitNs = std::max<qint64>(0, ns - nowNs());
    m_fallback.start(int((waitNs + 999'999) / 1'000'000));
}

} // namespace station::drivers
