// A Transport over Qt Serial Port: real UARTs, USB CDC-ACM ports and pseudo-terminals alike. Symlinks
// (a simulator's --link) are resolved before opening, because QSerialPort wants the device node.
#pragma once

#include "SerialConfig.h"
#include "Transport.h"

#include <QSerialPort>

namespace station::drivers {

class SerialTransport : public Transport
{
    Q_OBJECT
public:
    explicit SerialTransport(SerialConfig config, QObject *parent = nullptr);
    ~SerialTransport() override;

    [[nodiscard]] Result<void> open() override;
    void close() override;
    [[nodiscard]] bool isOpen() const override;
    [[nodiscard]] Result<void> write(const QByteArray &bytes) override;
    void discardInput() override;
    [[nodiscard]] QString location() const override { return m_config.portName; }
    [[nodiscard]] qint64 bytesPerSecond() const override;

    [[nodiscard]] const SerialConfig &config() const { return m_config; }

private:
    void onReadyRead();
    void onError(QSerialPort::SerialPortError error);

    SerialConfig m_config;
    QSerialPort m_port;
};

} // namespace station::drivers
