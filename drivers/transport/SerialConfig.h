// How to open a serial port: what the product profile or the command line says, never a UI index.
#pragma once

#include <QSerialPort>
#include <QString>

namespace station::drivers {

struct SerialConfig {
    QString portName; ///< "/dev/ttyACM0", "COM3", or a path to a pty / a symlink to one
    qint32 baudRate = 115200;
    QSerialPort::DataBits dataBits = QSerialPort::Data8;
    QSerialPort::Parity parity = QSerialPort::NoParity;
    QSerialPort::StopBits stopBits = QSerialPort::OneStop;
    QSerialPort::FlowControl flowControl = QSerialPort::NoFlowControl;
    bool assertDtr = true; ///< many USB CDC-ACM firmwares only talk once DTR is set
};

} // namespace station::drivers
