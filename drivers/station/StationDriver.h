// DeviceDriver for units that speak the station protocol (drivers/station/PROTOCOL.md).
#pragma once

#include "DevicePort.h"
#include "PendingOperation.h"
#include "StationSession.h"

#include <memory>

namespace station::drivers {

class Transport;

class StationDriver : public DeviceDriver
{
    Q_OBJECT
public:
    StationDriver(std::unique_ptr<Transport> transport, DriverConfig config, QObject *parent = nullptr);
    ~StationDriver() override;

    [[nodiscard]] Protocol protocol() const override { return Protocol::Station; }
    [[nodiscard]] bool isBusy() const override { return m_pending.busy(); }
    [[nodiscard]] QString location() const override;

    void open(Done<void> done) override;
    void close() override;
    void identify(Done<DeviceIdentity> done) override;
    void generateKey(const KeyGenRequest &request, Done<GeneratedKey> done) override;
    void writeTrustAnchors(const QList<crypto::Certificate> &anchors, Done<void> done) override;
    void writeCertificateChain(const QList<crypto::Certificate> &chain, Done<void> done) override;
    void writePrivateKey(const crypto::SecretBytes &pkcs8Der, Done<void> done) override;
    void commit(Done<void> done) override;
    void readBack(ReadBackDepth depth, Done<StoredCredentials> done) override;
    void factoryReset(Done<void> done) override;
    void setSlot(qint64 slot) override;
    [[nodiscard]] qint64 slot() const override { return m_config.slot; }
    [[nodiscard]] QByteArray storedDigest(CredentialKind kind,
                                          const QList<crypto::Certificate> &certificates) const override;
    [[nodiscard]] QByteArray storedKeyDigest(const crypto::SecretBytes &pkcs8Der) const override;
    /// Abandons the outstanding request; its late response is ignored. The unit may still execute the last
    /// request it received: a cancelled KEYGEN may have staged a new key and CSR, a cancelled write may have
    /// staged part of an object (WRITE_END not reached: nothing is staged; WRITE_END sent: the object may
    /// be staged), a cancelled COMMIT may have made the staged objects persistent. Staged objects vanish on a
    /// power cycle; read back with readBack() (STATUS) before assuming a step did or did not happen.
    void cancel() override;

    [[nodiscard]] const StationSession &session() const { return *m_session; }

private:
    template <typename T> bool admit(Done<T> &done, bool needsSession = true);
    void writeObject(proto::ObjectId object, const QByteArray &data, const QString &step, Done<void> done,
                     Secrecy secrecy = Secrecy::Plain);
    void readContents(QList<StoredItem> items, int index, Done<StoredCredentials> done);

    std::unique_ptr<Transport> m_transport;
    DriverConfig m_config;
    StationSession *m_session;
    PendingOperation m_pending{this};
};

} // namespace station::drivers
