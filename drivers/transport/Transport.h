// The byte pipe a device driver talks through. Serial ports today (SerialTransport); USB bulk endpoints
// can implement the same interface later. Asynchronous: bytes arrive through received(), the loss of
// the device through closed(). Tests can substitute a scripted fake.
#pragma once

#include "Error.h"

#include <QByteArray>
#include <QObject>
#include <QString>

namespace station::drivers {

class Transport : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~Transport() override = default;

    /// Opens the device. Synchronous but short (opening a port, not talking to the device). A port that
    /// does not exist is DeviceGone; a port that exists but cannot be opened is Io (or Authentication).
    [[nodiscard]] virtual Result<void> open() = 0;
    virtual void close() = 0;
    [[nodiscard]] virtual bool isOpen() const = 0;
    /// Queues bytes for sending: DeviceGone when the port is closed or gone, Io when the write fails.
    [[nodiscard]] virtual Result<void> write(const QByteArray &bytes) = 0;
    /// Drops bytes received but not yet delivered, and what the OS holds in its buffers.
    virtual void discardInput() = 0;
    /// Where the device is ("/dev/ttyACM0", "/tmp/sim-1"), for messages.
    [[nodiscard]] virtual QString location() const = 0;
    /// Bytes per second the line can carry, to size timeouts (0 = unknown / fast).
    [[nodiscard]] virtual qint64 bytesPerSecond() const = 0;

signals:
    void received(const QByteArray &bytes);
    /// The device went away or the port failed (a DeviceGone error); the transport is closed when this is
    /// emitted.
    void closed(const station::Error &error);
};

} // namespace station::drivers
