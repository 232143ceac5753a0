// Commands of the station protocol on top of StationLink (PROTOCOL.md §6): one call() per command with
// device status codes turned into station::Error, and the chunked object transfers (write with
// WRITE_BEGIN / WRITE_CHUNK / WRITE_END, read with READ at increasing offsets), each checked by SHA-256.
#pragma once

#include "DevicePort.h"
#include "Error.h"
#include "StationLink.h"
#include "StationProtocol.h"
#include "Tlv.h"

#include <QObject>

#include <functional>

namespace station::drivers {

class StationSession : public QObject
{
    Q_OBJECT
public:
    template <typename T> using Done = std::function<void(Result<T>)>;
    /// bytes done, bytes total
    using Progress = std::function<void(qint64, qint64)>;

    StationSession(Transport *transport, const DriverConfig &config, QObject *parent = nullptr);

    /// Sends `command` with `args`, returns the response's TLVs when the status is OK. `longRunning`
    /// allows the key generation deadline instead of the exchange deadline.
    void call(proto::Command command, const Tlv &args, Done<Tlv> done, bool longRunning = false,
              Secrecy secrecy = Secrecy::Plain);
    /// HELLO: negotiates the version and the device's payload limit.
    void hello(std::chrono::milliseconds within, Done<void> done);
    /// Writes `data` in chunks. A Secret object's chunks, TLVs and frames are wiped as soon as each is sent
    /// (`data` itself is the caller's to wipe, after `done`; it is only read, never copied).
    /// The provisioning slot that object transfers address from now on (DriverConfig::slot at start).
    void setSlot(qint64 slot) { m_config.slot = slot; }
    void writeObject(proto::ObjectId object, const QByteArray &data, Progress progress, Done<void> done,
                     Secrecy secrecy = Secrecy::Plain);
    /// Reads `length` bytes of `object` and checks them against `sha256` (when not empty).
    void readObject(proto::ObjectId object, qint64 length, const QByteArray &sha256, Done<QByteArray> done);
    void cancel() { m_link.cancel(); }

    [[nodiscard]] int version() const { return m_version; }
    /// The common minor version: 0 for a 1.0 device, 1 when both can negotiate smaller frames.
    [[nodiscard]] int minorVersion() const { return m_minorVersion; }
    [[nodiscard]] int devicePayloadLimit() const { return m_devicePayload; }
    [[nodiscard]] const StationLink &link() const { return m_link; }
    /// Payload bytes per WRITE_CHUNK / READ after the command byte and the TLV headers, within the link's
    /// current frame size.
    [[nodiscard]] int chunkSize() const;

private:
    void writeNext(proto::ObjectId object, QByteArray data, qint64 offset, Progress progress, Done<void> done,
                   Secrecy secrecy);
    void readNext(proto::ObjectId object, qint64 length, QByteArray sha256, QByteArray sofar, Done<QByteArray> done);
    [[nodiscard]] Error deviceError(proto::Command command, proto::Status status, const QString &message) const;

    DriverConfig m_config;
    StationLink m_link;
    QString m_location;
    int m_version = 0;
    int m_minorVersion = 0;
    int m_devicePayload = proto::kMinDevicePayload;
};

} // namespace station::drivers
