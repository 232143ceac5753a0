#include "ScannerPort.h"

namespace station::drivers {

namespace {
constexpr int kRetryMs = 3000;
}

ScannerPort::ScannerPort(QString portName, int baudRate, QObject *parent)
    : QObject(parent), m_portName(std::move(portName)), m_baudRate(baudRate)
{
    m_retry.setSingleShot(true);
    m_retry.setInterval(kRetryMs);
    connect(&m_retry, &QTimer::timeout, this, &ScannerPort::tryOpen);
}

ScannerPort::~ScannerPort() = default;

void ScannerPort::start()
{
    tryOpen();
}

bool ScannerPort::isOpen() const
{
    return m_transport && m_transport->isOpen();
}

void ScannerPort::tryOpen()
{
    SerialConfig config;
    config.portName = m_portName;
    config.baudRate = m_baudRate;
    m_transport = std::make_unique<SerialTransport>(config);
    connect(m_transport.get(), &Transport::received, this, [this](const QByteArray &bytes) {
        const provisioning::ScanLines::Result r = m_lines.feed(bytes);
        if (r.discarded > 0)
            emit notice(tr("The scanner on %1 sent a line too long to be a label; it was ignored. Check the "
                           "scanner's settings (one label per line, CR or LF at the end).")
                            .arg(m_portName),
                        true);
        for (const QString &label : r.labels)
            emit scanned(label);
    });
    connect(m_transport.get(), &Transport::closed, this, &ScannerPort::onClosed);
    if (auto opened = m_transport->open(); !opened) {
        const QString problem =
            tr("The barcode scanner on %1 is not available (%2); retrying.").arg(m_portName, opened.error().message);
        if (problem != m_lastProblem)
            emit notice(problem, true);
        m_lastProblem = problem;
        m_transport.reset();
        m_retry.start();
        return;
    }
    m_lastProblem.clear();
    m_lines = {};
    emit notice(tr("Barcode scanner ready on %1.").arg(m_portName), false);
}

void ScannerPort::onClosed(const station::Error &error)
{
    const QString problem = tr("The barcode scanner on %1 went away (%2); retrying.").arg(m_portName, error.message);
    emit notice(problem, true);
    m_lastProblem = problem;
    if (m_transport)
        m_transport.release()->deleteLater(); // not from inside its own signal
    m_retry.start();
}

} // namespace station::drivers
