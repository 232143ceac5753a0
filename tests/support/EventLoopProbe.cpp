#include "EventLoopProbe.h"

#include <algorithm>

namespace station::test {

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
    m_clock.start();
    m_lastNs = 0;
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
    const qint64 gap = now - m_lastNs;
    m_lastNs = now;
    m_gapsNs.append(gap);
    m_longestNs = std::max(m_longestNs, gap);
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
