// A barcode scanner on a serial port (a second serial device that sends one label per line): opens the
// port, cuts what arrives into labels (core's ScanLines: CR/LF, bounded), and emits each label. A
// scanner that is unplugged or not there yet is retried every few seconds; each state change is reported
// once (notice), so a missing scanner never floods the message bar. The keyboard-wedge scanner typing
// into the scan field keeps working meanwhile.
#pragma once

#include "provisioning/ScanLines.h"
#include "transport/SerialTransport.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace station::drivers {

class ScannerPort : public QObject
{
    Q_OBJECT
public:
    ScannerPort(QString portName, int baudRate, QObject *parent = nullptr);
    ~ScannerPort() override;

    void start();
    [[nodiscard]] bool isOpen() const;
    [[nodiscard]] const QString &portName() const { return m_portName; }

Q_SIGNALS:
    void scanned(const QString &label);
    /// One line for the operator or supervisor: the scanner came up, went away, or sent garbage.
    void notice(const QString &text, bool problem);

private:
    void tryOpen();
    void onClosed(const station::Error &error);

    QString m_portName;
    int m_baudRate;
    std::unique_ptr<SerialTransport> m_transport;
    provisioning::ScanLines m_lines;
    QTimer m_retry;
    QString m_lastProblem;
};

} // namespace station::drivers
