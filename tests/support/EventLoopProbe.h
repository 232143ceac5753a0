// Measures how responsive the thread it lives on stays: a precise timer ticks every `intervalMs` and the
// probe records the gaps between ticks; a gap much longer than the interval is the event loop stalled
// (a slot that ran long, a blocking call). Used by the GUI benchmarks on the GUI thread.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace station::test {

class EventLoopProbe : public QObject
{
    Q_OBJECT
public:
    explicit EventLoopProbe(int intervalMs = 5, QObject *parent = nullptr);

    void start();
    void stop();

    /// The longest time between two ticks, in ms (includes the interval itself).
    [[nodiscard]] double longestGapMs() const { return m_longestNs / 1e6; }
    /// Ticks whose gap exceeded `ms`.
    [[nodiscard]] int gapsOver(double ms) const;
    [[nodiscard]] int ticks() const { return int(m_gapsNs.size()); }
    /// The gap at quantile q (0..1) in ms.
    [[nodiscard]] double quantileMs(double q) const;
    /// CPU time the probed thread used during its longest gap, in ms (Linux; -1 elsewhere). Much less than
    /// the gap: the thread was not busy, it waited (the OS ran other work, or a blocking call slept).
    [[nodiscard]] double longestGapCpuMs() const { return m_longestCpuNs < 0 ? -1 : m_longestCpuNs / 1e6; }

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    qint64 m_longestNs = 0;
    qint64 m_lastCpuNs = 0;
    qint64 m_longestCpuNs = -1;
    QList<qint64> m_gapsNs;
};

} // namespace station::test
