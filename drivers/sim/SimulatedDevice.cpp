#include "SimulatedDevice.h"

#include "LinePacer.h"
#include "PseudoTerminal.h"

#include <QDateTime>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSim, "station.drivers.sim")

namespace station::drivers {

SimulatedDevice::SimulatedDevice(SimulatorOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_storage(m_options.stateDir), m_pty(new PseudoTerminal(this)),
      m_tx(new LinePacer([this](const QByteArray &bytes) { transmit(bytes); }, this)),
      m_rx(new LinePacer(
          [this](const QByteArray &bytes) {
              m_bytesReceived += bytes.size();
              onReceived(bytes);
          },
          this))
{
    // Both directions run at the line's rate: what the station sends reaches the device no faster.
    m_tx->setBaudRate(m_options.baudRate);
    m_rx->setBaudRate(m_options.baudRate);
    connect(m_pty, &PseudoTerminal::writable, this, &SimulatedDevice::flushBacklog);
    connect(m_pty, &PseudoTerminal::received, m_rx, &LinePacer::push);
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
    dropLine();
    m_pty->close();
}

void SimulatedDevice::dropLine()
{
    m_tx->clear();
    m_rx->clear();
    m_backlog.clear();
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
    dropLine();
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
    m_tx->push(bytes);
}

void SimulatedDevice::transmit(QByteArray chunk)
{
    if (!m_pty->isOpen())
        return;
    // The bytes are on the wire now: this is where a bad line damages them or the cable comes out.
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
    m_backlog.append(chunk);
    flushBacklog();
    if (unplugNow) {
        m_disconnectAfterBytesFired = true;
        unplug(QStringLiteral("disconnect-after-bytes=%1").arg(f.disconnectAfterBytes));
    }
}

void SimulatedDevice::flushBacklog()
{
    if (m_backlog.isEmpty() || !m_pty->isOpen())
        return;
    const qint64 written = m_pty->write(m_backlog);
    if (written > 0)
        m_backlog.remove(0, written); // the rest when the pty has room again (writable)
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
    dropLine();
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
