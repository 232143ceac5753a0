#include "SerialTransport.h"

#include <QFileInfo>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSerial, "station.drivers.serial")

namespace station::drivers {

SerialTransport::SerialTransport(SerialConfig config, QObject *parent) : Transport(parent), m_config(std::move(config))
{
    connect(&m_port, &QSerialPort::readyRead, this, &SerialTransport::onReadyRead);
    connect(&m_port, &QSerialPort::errorOccurred, this, &SerialTransport::onError);
}

SerialTransport::~SerialTransport()
{
    m_port.blockSignals(true);
    m_port.close();
}

Result<void> SerialTransport::open()
{
    if (m_port.isOpen())
        return {};
    const QFileInfo info(m_config.portName);
    if (!info.exists())
        return fail(ErrorCode::DeviceGone, QStringLiteral("The port %1 does not exist").arg(m_config.portName), {},
                    QStringLiteral("Check that the unit is plugged in and the port name is right."));
    // QSerialPort wants the device node itself; a symlink (udev alias, simulator link) is resolved here.
    const QString node = info.isSymLink() ? info.canonicalFilePath() : info.absoluteFilePath();
    m_port.setPortName(node);
    m_port.setBaudRate(m_config.baudRate);
    m_port.setDataBits(m_config.dataBits);
    m_port.setParity(m_config.parity);
    m_port.setStopBits(m_config.stopBits);
    m_port.setFlowControl(m_config.flowControl);
    if (!m_port.open(QIODevice::ReadWrite)) {
        const bool denied = m_port.error() == QSerialPort::PermissionError;
        const QString why = m_port.errorString();
        return fail(denied ? ErrorCode::Authentication : ErrorCode::Io,
                    QStringLiteral("Cannot open %1").arg(m_config.portName), why,
                    denied ? QStringLiteral("Add the operator's account to the 'dialout' group (or install the "
                                            "station's udev rules) and log in again.")
                           : QStringLiteral("Check that no other program uses the port, then replug the unit."));
    }
    if (m_config.assertDtr)
        m_port.setDataTerminalReady(true);
    qCDebug(lcSerial) << "opened" << m_config.portName << "->" << node << "at" << m_config.baudRate;
    return {};
}

void SerialTransport::close()
{
    if (m_port.isOpen()) {
        qCDebug(lcSerial) << "closing" << m_config.portName;
        m_port.close();
    }
}

bool SerialTransport::isOpen() const
{
    return m_port.isOpen();
}

Result<void> SerialTransport::write(const QByteArray &bytes)
{
    if (!m_port.isOpen())
        return fail(ErrorCode::DeviceGone, QStringLiteral("The port %1 is not open").arg(m_config.portName), {},
                    QStringLiteral("Plug the unit in and open it again."));
    // The pointer overload copies into the port's write buffer instead of sharing `bytes` (the QByteArray
    // overload may keep a reference), so a caller holding a secret can still wipe its own buffer. The
    // port's copy is freed by Qt Serial Port without wiping: beyond the station's reach.
    if (m_port.write(bytes.constData(), bytes.size()) != bytes.size())
        return fail(ErrorCode::Io, QStringLiteral("Writing to %1 failed").arg(m_config.portName), m_port.errorString());
    return {};
}

void SerialTransport::discardInput()
{
    if (!m_port.isOpen())
        return;
    m_port.clear(QSerialPort::Input);
    m_port.readAll();
}

qint64 SerialTransport::bytesPerSecond() const
{
    // Start, 8 data bits and stop: ten bit times per byte.
    return m_config.baudRate > 0 ? m_config.baudRate / 10 : 0;
}

void SerialTransport::onReadyRead()
{
    const QByteArray bytes = m_port.readAll();
    if (!bytes.isEmpty())
        emit received(bytes);
}

void SerialTransport::onError(QSerialPort::SerialPortError error)
{
    if (error == QSerialPort::NoError || error == QSerialPort::TimeoutError)
        return;
    if (error != QSerialPort::ResourceError && error != QSerialPort::ReadError && error != QSerialPort::WriteError)
        return; // open errors are reported by open()
    if (!m_port.isOpen())
        return;
    const QString why = m_port.errorString();
    qCInfo(lcSerial) << "port" << m_config.portName << "lost:" << why;
    m_port.clearError();
    m_port.close();
    emit closed(Error(ErrorCode::DeviceGone, QStringLiteral("The unit on %1 was disconnected").arg(m_config.portName),
                      why, QStringLiteral("Check the cable, plug the unit in again and restart its job.")));
}

} // namespace station::drivers
