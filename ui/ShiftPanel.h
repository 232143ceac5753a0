// The shift at a glance, always visible at the side: units passed and failed, units per hour, first-pass
// yield, and the recent results (newest first) with time, serial and a ✓ / ✕ shape.
#pragma once

#include "ShiftTally.h"
#include "Theme.h"

#include <QTimer>
#include <QWidget>

#include <functional>

class QLabel;
class QListWidget;

namespace station::ui {

class ShiftPanel : public QWidget
{
    Q_OBJECT
public:
    /// `clock` gives the current time (tests inject one).
    explicit ShiftPanel(std::function<QDateTime()> clock = {}, QWidget *parent = nullptr);

    /// A unit finished: its slot (0-based), serial, and whether it passed; `what` is the short reason.
    void addResult(int slot, const QString &serial, bool passed, const QString &what);
    /// A station-wide event for the list ("EST server ready").
    void addEvent(const QString &text);
    void setSizes(const ThemeSizes &sizes);

    [[nodiscard]] const ShiftTally &tally() const { return m_tally; }
    [[nodiscard]] QStringList recentEvents() const;

private:
    void refresh();

    std::function<QDateTime()> m_clock;
    ShiftTally m_tally;
    QLabel *m_title;
    QLabel *m_counters;
    QLabel *m_recentTitle;
    QListWidget *m_recent;
    QTimer m_refresh;
};

} // namespace station::ui
