// A scriptable DeviceDriver for core's tests (no serial port, no simulator): every operation completes on
// the event loop after a delay, succeeds the way a well-behaved unit does (a real P-256 key and CSR, read
// back digests of what was written), or — as scripted per operation — fails with a given error, or never
// answers. It records the operations it was asked for. A FakeDeviceSource announces units by hand.
#pragma once

#include "device/DeviceDriver.h"
#include "device/DeviceSource.h"

#include "crypto/PrivateKey.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QStringList>

namespace station::test {

class FakeDeviceDriver : public device::DeviceDriver
{
    Q_OBJECT
public:
    struct Script {
        QHash<QString, Error> failures; ///< operation name ("open", "identify", "keygen", "write-trust",
                                        ///< "write-chain", "write-key", "commit", "readback") -> error
        QStringList hangs;              ///< operations that never complete
        int delayMs = 1;
        QString serial = QStringLiteral("FAKE-0001");
        bool provisioned = false;
        bool corruptReadback = false; ///< report a wrong digest for the chain
        bool leaveUncommitted = false;
    };

    explicit FakeDeviceDriver(Script script, QObject *parent = nullptr);

    [[nodiscard]] device::Protocol protocol() const override { return device::Protocol::Station; }
    [[nodiscard]] bool isBusy() const override { return m_busy; }
    [[nodiscard]] QString location() const override { return QStringLiteral("fake:") + m_script.serial; }

    void open(Done<void> done) override;
    void close() override { m_calls << QStringLiteral("close"); }
    void identify(Done<device::DeviceIdentity> done) override;
    void generateKey(const device::KeyGenRequest &request, Done<device::GeneratedKey> done) override;
    void writeTrustAnchors(const QList<crypto::Certificate> &anchors, Done<void> done) override;
    void writeCertificateChain(const QList<crypto::Certificate> &chain, Done<void> done) override;
    void writePrivateKey(const crypto::SecretBytes &pkcs8Der, Done<void> done) override;
    void commit(Done<void> done) override;
    void readBack(device::ReadBackDepth depth, Done<device::StoredCredentials> done) override;
    void factoryReset(Done<void> done) override;
    [[nodiscard]] QByteArray storedDigest(device::CredentialKind kind,
                                          const QList<crypto::Certificate> &certificates) const override;
    [[nodiscard]] QByteArray storedKeyDigest(const crypto::SecretBytes &pkcs8Der) const override;
    void cancel() override;
    void setSlot(qint64 slot) override { m_slot = slot; }
    [[nodiscard]] qint64 slot() const override { return m_slot; }

    [[nodiscard]] const QStringList &calls() const { return m_calls; }
    /// Simulates the cable being pulled: the pending operation fails with DeviceGone, connectionLost.
    void unplug();

private:
    template <typename T> void finish(const QString &op, Done<T> done, std::function<Result<T>()> result);

    Script m_script;
    QStringList m_calls;
    bool m_busy = false;
    quint64 m_generation = 0;
    std::function<void(const Error &)> m_abort;
    QMap<QPair<qint64, device::CredentialKind>, QByteArray> m_stored;
    qint64 m_slot = 0;
};

class FakeDeviceSource : public device::DeviceSource
{
    Q_OBJECT
public:
    using DeviceSource::DeviceSource;
    [[nodiscard]] QList<device::DiscoveredDevice> devices() const override { return m_devices; }
    /// Announces an explicit port named `path` (a unit plugged in).
    device::DiscoveredDevice plug(const QString &path, const QString &usbBusPath = {});
    void unplug(const QString &path);

private:
    QList<device::DiscoveredDevice> m_devices;
};

} // namespace station::test
