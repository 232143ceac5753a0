#include "SimulatedDevice.h"

#include "PseudoTerminal.h"

#include <QDateTime>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSim, "station.drivers.sim")

namespace station::drivers {

SimulatedDevice::SimulatedDevice(SimulatorOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_storage(m_options.stateDir), m_pty(new PseudoTerminal(this))
{
    m_paceTimer.setSingleShot(true);
    m_paceTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_paceTimer, &QTimer::timeout, this, &SimulatedDevice::pump);
    connect(m_pty, &PseudoTerminal::writable, this, &SimulatedDevice::pump);
    connect(m_pty, &PseudoTerminal::received, this, [this](const QByteArray &bytes) {
        m_bytesReceived += bytes.size();
        onReceived(bytes);
    });
    m_clock.start();
}

SimulatedDevice::~SimulatedDevice() = default;

Result<void> SimulatedDevice::start()
{
    if (auto loaded = m_storage.load(); !loaded)
        return loaded;
    if (auto id = loadIdentity(); !id)
        return id;
    if (auto opened = m_pty->open(m_options.linkPath); !opened)
        return opened;
    plugIn();
    return {};
}

void SimulatedDevice::stop()
{
    m_paceTimer.stop();
    m_queue.clear();
    m_pty->close();
}

QString SimulatedDevice::slavePath() const
{
    return m_pty->slavePath();
}

bool SimulatedDevice::isPlugged() const
{
    return m_pty->isOpen();
}

void SimulatedDevice::plugIn()
{
    ++m_powerCycle;
    m_queue.clear();
    onPowerOn();
    qCInfo(lcSim) << protocolName() << "unit" << m_serial << "on" << m_options.linkPath << "->" << m_pty->slavePath();
    if (m_options.bootChatter) {
        for (const QByteArray &line : bootLog())
            send(line + "\r\n");
    }
}

void SimulatedDevice::send(const QByteArray &bytes)
{
    if (!m_pty->isOpen())
        return;
    m_queue.append(bytes);
    pump();
}

void SimulatedDevice::pump()
{
    if (!m_pty->isOpen()) {
        m_queue.clear();
        return;
    }
    const qint64 now = m_clock.elapsed();
    qint64 allowance = m_queue.size();
    if (m_options.baudRate > 0) {
        // Ten bit times per byte (start, 8 data, stop). Credit for at most 20 ms of idle line.
        const double perMs = m_options.baudRate / 10.0 / 1000.0;
        m_credit = qMin(m_credit + (now - m_lastPumpMs) * perMs, qMax(1.0, 20 * perMs));
        allowance = qMin<qint64>(allowance, static_cast<qint64>(m_credit));
    }
    m_lastPumpMs = now;
    if (allowance > 0) {
        QByteArray chunk = m_queue.left(allowance);
        const FaultPlan &f = m_options.faults;
        bool unplugNow = false;
        for (qsizetype i = 0; i < chunk.size(); ++i) {
            ++m_bytesSent;
            if (f.corruptEvery > 0 && m_bytesSent % f.corruptEvery == 0)
                chunk[i] = static_cast<char>(chunk[i] ^ 0x10);
            if (f.disconnectAfterBytes > 0 && !m_disconnectAfterBytesFired && m_bytesSent >= f.disconnectAfterBytes) {
                chunk.truncate(i + 1);
                unplugNow = true;
                break;
            }
        }
        const qint64 written = m_pty->write(chunk);
        if (written < chunk.size() && !unplugNow)
            m_bytesSent -= chunk.size() - written; // not sent yet: counted again when it goes out
        m_queue.remove(0, unplugNow ? m_queue.size() : written);
        if (m_options.baudRate > 0)
            m_credit -= static_cast<double>(written);
        if (unplugNow) {
            m_disconnectAfterBytesFired = true;
            unplug(QStringLiteral("disconnect-after-bytes=%1").arg(f.disconnectAfterBytes));
            return;
        }
        if (written < chunk.size())
            return; // the pty is full; writable() calls us again
    }
    if (!m_queue.isEmpty())
        m_paceTimer.start(2);
}

void SimulatedDevice::answer(std::function<void()> answer)
{
    if (m_options.faults.stallMs <= 0) {
        answer();
        return;
    }
    // An unplug during the stall cancels the answer: it belongs to the previous power cycle.
    const quint64 cycle = m_powerCycle;
    QTimer::singleShot(m_options.faults.stallMs, this, [this, cycle, answer = std::move(answer)] {
        if (cycle == m_powerCycle && m_pty->isOpen())
            answer();
    });
}

bool SimulatedDevice::disconnectsAt(const QString &step)
{
    if (m_disconnectAtFired || m_options.faults.disconnectAt.isEmpty() ||
        m_options.faults.disconnectAt.compare(step, Qt::CaseInsensitive) != 0)
        return false;
    m_disconnectAtFired = true;
    unplug(QStringLiteral("disconnect-at=%1").arg(step));
    return true;
}

void SimulatedDevice::chatter(const QString &line)
{
    if (!m_options.bootChatter)
        return;
    const double seconds = m_clock.elapsed() / 1000.0;
    send(QStringLiteral("[%1] <inf> prov: %2\r\n").arg(seconds, 10, 'f', 3, QLatin1Char('0')).arg(line).toUtf8());
}

void SimulatedDevice::unplug(const QString &why)
{
    qCInfo(lcSim) << protocolName() << "unit" << m_serial << "unplugged:" << why;
    ++m_unplugs;
    ++m_powerCycle;
    m_paceTimer.stop();
    m_queue.clear();
    m_pty->close();
    emit unplugged();
    if (m_options.replugDelayMs < 0)
        return;
    QTimer::singleShot(m_options.replugDelayMs, this, [this] {
        if (auto opened = m_pty->open(m_options.linkPath); !opened) {
            qCWarning(lcSim) << "replug failed:" << opened.error().toString();
            return;
        }
        plugIn();
        emit replugged();
    });
}

} // namespace station::drivers
