#include "EventLoopProbe.h"

#include <algorithm>

#ifdef Q_OS_LINUX
#include <time.h>
#endif

namespace station::test {

namespace {

/// This thread's CPU time in ns (-1 where it cannot be read).
qint64 threadCpuNs()
{
#ifdef Q_OS_LINUX
    timespec t{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) == 0)
        return qint64(t.tv_sec) * 1000000000 + t.tv_nsec;
#endif
    return -1;
}

} // namespace

EventLoopProbe::EventLoopProbe(int intervalMs, QObject *parent) : QObject(parent)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &EventLoopProbe::tick);
}

void EventLoopProbe::start()
{
    m_gapsNs.clear();
    m_longestNs = 0;
    m_longestCpuNs = -1;
    m_clock.start();
    m_lastNs = 0;
    m_lastCpuNs = threadCpuNs();
    m_timer.start();
}

void EventLoopProbe::stop()
{
    m_timer.stop();
    tick(); // a stall that is still going on when the measurement ends counts too
}

void EventLoopProbe::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    const qint64 cpu = threadCpuNs();
    const qint64 gap = now - m_lastNs;
    m_lastNs = now;
    m_gapsNs.append(gap);
    if (gap > m_longestNs) {
        m_longestNs = gap;
        m_longestCpuNs = cpu >= 0 && m_lastCpuNs >= 0 ? cpu - m_lastCpuNs : -1;
    }
    m_lastCpuNs = cpu;
}

int EventLoopProbe::gapsOver(double ms) const
{
    return int(std::count_if(m_gapsNs.cbegin(), m_gapsNs.cend(), [ms](qint64 g) { return g / 1e6 > ms; }));
}

double EventLoopProbe::quantileMs(double q) const
{
    if (m_gapsNs.isEmpty())
        return 0;
    QList<qint64> sorted = m_gapsNs;
    std::sort(sorted.begin(), sorted.end());
    const auto i = qsizetype(std::clamp(q, 0.0, 1.0) * double(sorted.size() - 1));
    return sorted[i] / 1e6;
}

} // namespace station::test
