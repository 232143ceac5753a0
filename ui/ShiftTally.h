// The shift's counters from the station's finished jobs: passed, failed, units per hour since the shift
// began, and first-pass yield (units whose first attempt this shift passed, of all units attempted).
#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

namespace station::ui {

class ShiftTally
{
public:
    explicit ShiftTally(QDateTime shiftStart = QDateTime::currentDateTime()) : m_start(std::move(shiftStart)) {}

    void record(const QString &serial, bool passed);

    [[nodiscard]] int passed() const { return m_passed; }
    [[nodiscard]] int failed() const { return m_failed; }
    /// Finished attempts per hour since the shift began (0 before the first minute: too noisy).
    [[nodiscard]] double unitsPerHour(const QDateTime &now) const;
    /// 0..1; -1 when no unit was attempted.
    [[nodiscard]] double firstPassYield() const;

private:
    QDateTime m_start;
    int m_passed = 0;
    int m_failed = 0;
    QHash<QString, bool> m_firstAttemptPassed;
};

} // namespace station::ui
