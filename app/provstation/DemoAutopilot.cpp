#include "DemoAutopilot.h"

#include "provisioning/Station.h"

#include <QApplication>
#include <QKeyEvent>
#include <QTextStream>
#include <QWidget>

namespace station::app {

using namespace station::provisioning;

DemoAutopilot::DemoAutopilot(Options options, QWidget *window, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_window(window)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] { finish(tr("the deadline passed")); });
    if (m_options.deadlineSeconds > 0)
        m_deadline.start(std::chrono::seconds(m_options.deadlineSeconds));
}

void DemoAutopilot::attach(Station *station, const DemoWorld &world)
{
    m_station = station;
    m_world = world;
    connect(station, &Station::slotChanged, this, &DemoAutopilot::onSlotChanged);
    connect(station, &Station::jobFinished, this, &DemoAutopilot::onJobFinished);
}

void DemoAutopilot::onSlotChanged(int slot)
{
    if (!m_options.typeLabels || !m_station)
        return;
    const SlotInfo s = m_station->slotInfo(slot);
    if (s.state != JobState::AwaitingScan || s.serial.isEmpty() || m_typed.contains(s.serial))
        return;
    m_typed.insert(s.serial);
    // One label at a time, as a person scanning one unit after the other.
    QTimer::singleShot(std::chrono::milliseconds(600 * int(m_typed.size())), this,
                       [this, serial = s.serial] { typeLabel(serial); });
}

void DemoAutopilot::typeLabel(const QString &label)
{
    QWidget *target = QApplication::focusWidget();
    if (!target) {
        QTextStream(stderr) << "provstation: no widget has the keyboard focus; the label " << label
                            << " goes nowhere\n";
        return;
    }
    for (const QChar c : label) {
        QCoreApplication::postEvent(target, new QKeyEvent(QEvent::KeyPress, 0, Qt::NoModifier, QString(c)));
        QCoreApplication::postEvent(target, new QKeyEvent(QEvent::KeyRelease, 0, Qt::NoModifier, QString(c)));
    }
    QCoreApplication::postEvent(target, new QKeyEvent(QEvent::KeyPress, Qt::Key_Return, Qt::NoModifier));
    QCoreApplication::postEvent(target, new QKeyEvent(QEvent::KeyRelease, Qt::Key_Return, Qt::NoModifier));
}

void DemoAutopilot::onJobFinished(int, const JobResult &result)
{
    const QString serial = result.serial;
    m_passed.insert(serial, result.passed());
    m_outcomes.insert(serial,
                      result.passed()
                          ? QStringLiteral("PASS  cert %1").arg(result.certSerial)
                          : QStringLiteral("FAIL  [%1] %2").arg(jobFailureName(result.failure), result.message.text()));
    if (m_options.typeLabels && m_outcomes.size() >= m_world.units.size() && !m_finishing)
        QTimer::singleShot(1500, this, [this] { finish(); }); // let the last tile settle for the screenshot
}

void DemoAutopilot::finish(const QString &why)
{
    if (m_finishing)
        return;
    m_finishing = true;
    QTextStream out(stdout);
    if (!why.isEmpty())
        out << "provstation: stopping: " << why << '\n';
    bool asMeant = !m_world.units.isEmpty();
    for (const DemoUnit &u : std::as_const(m_world.units)) {
        const QString outcome = m_outcomes.value(u.serial, QStringLiteral("no result"));
        const bool ok = m_passed.contains(u.serial) && m_passed.value(u.serial) == u.expectPass;
        asMeant = asMeant && ok;
        out << "demo result " << u.serial << ": " << outcome
            << (u.expectPass ? QString() : QStringLiteral("  (fault '%1' injected on purpose)").arg(u.fault)) << '\n';
    }
    if (m_window && !m_options.screenshotPath.isEmpty()) {
        if (m_window->grab().save(m_options.screenshotPath))
            out << "screenshot " << m_options.screenshotPath << '\n';
        else
            out << "provstation: cannot save the screenshot " << m_options.screenshotPath << '\n';
    }
    out.flush();
    // Without typed labels nobody was expected to finish the units: the run is a timed look at the window.
    QCoreApplication::exit(asMeant || !m_options.typeLabels ? 0 : 1);
}

} // namespace station::app
