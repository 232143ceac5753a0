// DeviceDriver for Nordic nRF91-series cellular modules over AT commands: AT+CFUN=4 before credential
// work, AT+CMEE=1 for numeric errors, identity from AT+CGSN / AT+CGMR / AT+CGMM / AT%DEVICEUUID, on-device
// key generation with AT%KEYGEN (CSR + COSE attestation), and AT%CMNG to write, list, read and delete CA
// certificates (type 0), client certificates (1) and private keys (2) in one sec_tag. Every write is
// verified by the SHA-256 that AT%CMNG=1 lists.
#pragma once

#include "AtChannel.h"
#include "DevicePort.h"
#include "PendingOperation.h"

#include <QElapsedTimer>

#include <memory>

namespace station::drivers {

class Transport;

class Nrf91Driver : public DeviceDriver
{
    Q_OBJECT
public:
    /// %CMNG credential types.
    enum CredentialType { CaCertificate = 0, ClientCertificate = 1, ClientPrivateKey = 2 };

    Nrf91Driver(std::unique_ptr<Transport> transport, DriverConfig config, QObject *parent = nullptr);
    ~Nrf91Driver() override;

    [[nodiscard]] Protocol protocol() const override { return Protocol::Nrf91; }
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
    void setSlot(qint64 slot) override { m_config.slot = slot; }
    [[nodiscard]] qint64 slot() const override { return m_config.slot; }
    [[nodiscard]] QByteArray storedDigest(CredentialKind kind,
                                          const QList<crypto::Certificate> &certificates) const override;
    [[nodiscard]] QByteArray storedKeyDigest(const crypto::SecretBytes &pkcs8Der) const override;
    /// Stops waiting for the modem's answer; the AT command already sent runs to its end on the modem.
    /// %CMNG writes go straight to NVM, so a cancelled write may have stored (or replaced) the credential, a
    /// cancelled %KEYGEN may have replaced the sec_tag's private key, and a cancelled factory reset may have
    /// deleted some types. Read back (AT%CMNG=1 lists digests) before assuming it did not happen.
    void cancel() override;

private:
    struct Listed {
        int type = -1;
        QByteArray sha256;
    };

    template <typename T> bool admit(Done<T> &done, bool needsSession = true);
    /// Sends `command`; a non-OK final result becomes an Error. `timeout` 0 = the exchange timeout.
    void run(const QByteArray &command, std::function<void(Result<AtResponse>)> next,
             std::chrono::milliseconds timeout = std::chrono::milliseconds(0), Secrecy secrecy = Secrecy::Plain);
    void handshake(int attempt, Done<void> done);
    void setup(Done<void> done);
    void cmeeAndOffline(Done<void> done);
    void deviceUuid(Done<QString> done);
    void list(Done<QList<Listed>> done);
    /// `content` is moved in and wiped once the command is sent (a private key's PEM is secret).
    void writeCredential(CredentialType type, QByteArray content, const QString &step, Done<void> done);
    void readContents(StoredCredentials stored, int index, Done<StoredCredentials> done);
    void deleteTypes(QList<int> types, Done<void> done);
    [[nodiscard]] QByteArray secTag() const { return QByteArray::number(m_config.slot); }

    std::unique_ptr<Transport> m_transport;
    DriverConfig m_config;
    AtChannel *m_channel;
    PendingOperation m_pending{this};
    QElapsedTimer m_openClock;
    QString m_uuid;
};

} // namespace station::drivers
