// The common part of every device simulator: a pseudo-terminal behind a stable symlink, UART pacing at
// the configured baud rate, the state directory, boot chatter, and the injected faults (unplug after N
// bytes or at a named step, corrupted bytes, stalls, refused commands). Subclasses implement the
// protocol: they get the bytes the station sent and answer with send().
//
// Runs on the event loop of the thread it lives in: in `provctl simulate-device`, or inside a test.
#pragma once

#include "DeviceStorage.h"
#include "SimulatorOptions.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>

namespace station::drivers {

class LinePacer;
class PseudoTerminal;

class SimulatedDevice : public QObject
{
    Q_OBJECT
public:
    explicit SimulatedDevice(SimulatorOptions options, QObject *parent = nullptr);
    ~SimulatedDevice() override;

    /// Loads the state directory, creates the pty and the link, prints the boot log.
    [[nodiscard]] Result<void> start();
    void stop();

    [[nodiscard]] const SimulatorOptions &options() const { return m_options; }
    [[nodiscard]] QString linkPath() const { return m_options.linkPath; }
    [[nodiscard]] QString slavePath() const;
    [[nodiscard]] bool isPlugged() const;
    [[nodiscard]] QString serialNumber() const { return m_serial; }
    [[nodiscard]] DeviceStorage &storage() { return m_storage; }
    [[nodiscard]] const DeviceStorage &storage() const { return m_storage; }
    [[nodiscard]] qint64 bytesSent() const { return m_bytesSent; }
    /// Bytes the station sent to the unit.
    [[nodiscard]] qint64 bytesReceived() const { return m_bytesReceived; }
    [[nodiscard]] int unplugCount() const { return m_unplugs; }
    [[nodiscard]] virtual QString protocolName() const = 0;

signals:
    void unplugged();
    void replugged();
    /// A protocol step was carried out (for tests and the simulator's log).
    void stepDone(const QString &step);

protected:
    /// Bytes from the station.
    virtual void onReceived(const QByteArray &bytes) = 0;
    /// Called at start and at every replug: a power cycle (forget session state, keep storage).
    virtual void onPowerOn() = 0;
    /// Lines the device prints while booting.
    [[nodiscard]] virtual QList<QByteArray> bootLog() const = 0;
    /// Loads or creates the device's identity (serial, keys) from storage; called once by start().
    [[nodiscard]] virtual Result<void> loadIdentity() = 0;

    /// Queues bytes for the station, paced and subject to the byte faults.
    void send(const QByteArray &bytes);
    /// Runs `answer` after the configured stall (at once without one).
    void answer(std::function<void()> answer);
    /// True when the plan says to unplug at `step`; the unplug then happens (once per process).
    [[nodiscard]] bool disconnectsAt(const QString &step);
    [[nodiscard]] bool refuses(const QString &command) const { return m_options.faults.refuses(command); }
    [[nodiscard]] bool keyGenFails() const { return m_options.faults.keyGenFail; }
    /// A log line between answers, when boot chatter is on.
    void chatter(const QString &line);
    void unplug(const QString &why);
    void setSerialNumber(const QString &serial) { m_serial = serial; }

private:
    void transmit(QByteArray chunk);
    void flushBacklog();
    void dropLine();
    void plugIn();

    SimulatorOptions m_options;
    DeviceStorage m_storage;
    PseudoTerminal *m_pty;
    LinePacer *m_tx;      ///< device -> station
    LinePacer *m_rx;      ///< station -> device
    QByteArray m_backlog; ///< arrived at the station's end, not yet taken by the pty
    QElapsedTimer m_clock;
    qint64 m_bytesSent = 0;
    qint64 m_bytesReceived = 0;
    int m_unplugs = 0;
    bool m_disconnectAfterBytesFired = false;
    bool m_disconnectAtFired = false;
    quint64 m_powerCycle = 0;
    QString m_serial;
};

} // namespace station::drivers
