#include "ShiftTally.h"

#include <algorithm>

namespace station::ui {

void ShiftTally::record(const QString &serial, bool passed)
{
    (passed ? m_passed : m_failed) += 1;
    // An unidentified unit cannot be told apart from the next: each counts as its own unit.
    const QString key = serial.isEmpty() ? QStringLiteral("#%1").arg(m_passed + m_failed) : serial;
    if (!m_firstAttemptPassed.contains(key))
        m_firstAttemptPassed.insert(key, passed);
}

double ShiftTally::unitsPerHour(const QDateTime &now) const
{
    const qint64 ms = m_start.msecsTo(now);
    if (ms < 60'000)
        return 0;
    return double(m_passed + m_failed) * 3'600'000.0 / double(ms);
}

double ShiftTally::firstPassYield() const
{
    if (m_firstAttemptPassed.isEmpty())
        return -1;
    const auto good = std::count(m_firstAttemptPassed.cbegin(), m_firstAttemptPassed.cend(), true);
    return double(good) / double(m_firstAttemptPassed.size());
}

} // namespace station::ui
