// The unattended demo (SSH, CI, run-demo.sh with STATION_DEMO_SECONDS): types each demo unit's label into
// the focused widget as a keyboard-wedge scanner would (key events, then Enter), and when every unit has a
// result — or the deadline passes — prints one line per unit, saves a screenshot of the window and ends
// the event loop: 0 when every unit ended as the demo means it to (the faulty one FAIL, the others PASS).
#pragma once

#include "DemoBench.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

class QWidget;

namespace station::provisioning {
class Station;
struct JobResult;
} // namespace station::provisioning

namespace station::app {

class DemoAutopilot : public QObject
{
    Q_OBJECT
public:
    struct Options {
        bool typeLabels = true;
        int deadlineSeconds = 0; ///< 0: no deadline (quit when every unit has a result, if typing)
        QString screenshotPath;  ///< empty: no screenshot
    };

    DemoAutopilot(Options options, QWidget *window, QObject *parent = nullptr);

    /// Follows `station` for the units of `world`.
    void attach(provisioning::Station *station, const DemoWorld &world);
    /// Ends the run now (the deadline, or a failed setup).
    void finish(const QString &why = {});

private:
    void onSlotChanged(int slot);
    void typeLabel(const QString &label);
    void onJobFinished(int slot, const provisioning::JobResult &result);

    Options m_options;
    QPointer<QWidget> m_window;
    QPointer<provisioning::Station> m_station;
    DemoWorld m_world;
    QHash<QString, QString> m_outcomes; ///< serial -> "PASS" / "FAIL ..."
    QHash<QString, bool> m_passed;
    QSet<QString> m_typed;
    QTimer m_deadline;
    bool m_finishing = false;
};

} // namespace station::app
