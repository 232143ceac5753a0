// Writes a credential set — a private key and its certificate chain — to another provisioning slot /
// sec_tag of a unit, commits it and checks the read-back digests: the bootstrap credential's path. The
// driver addresses its main slot again afterwards, also when the writer is destroyed half-way (a job
// cancelled or timed out); completions that arrive after that are dropped.
#pragma once

#include "JobChecks.h"

#include "device/DeviceDriver.h"

#include "crypto/Certificate.h"
#include "crypto/SecretBytes.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace station::provisioning {

class SlotWriter : public QObject
{
    Q_OBJECT
public:
    /// nullopt: written, committed and read back as written.
    using Done = std::function<void(std::optional<ReadBackProblem>)>;

    SlotWriter(device::DeviceDriver *driver, qint64 slot, QObject *parent = nullptr);
    ~SlotWriter() override;

    /// Takes the key (PKCS#8 DER), which is wiped once it is on the unit or the write ends.
    void write(crypto::SecretBytes key, QList<crypto::Certificate> chain, Done done);

private:
    void writeChain();
    void commit();
    void readBack();
    void finish(std::optional<ReadBackProblem> problem);
    void failed(const Error &error);
    template <typename T> device::DeviceDriver::Done<T> next(std::function<void(Result<T>)> f);

    device::DeviceDriver *m_driver;
    qint64 m_slot;
    qint64 m_mainSlot;
    std::shared_ptr<crypto::SecretBytes> m_key;
    QList<crypto::Certificate> m_chain;
    QByteArray m_keyDigest;
    QByteArray m_chainDigest;
    Done m_done;
    bool m_active = false;
};

} // namespace station::provisioning
