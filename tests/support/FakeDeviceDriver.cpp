#include "FakeDeviceDriver.h"

#include "crypto/CertificateRequest.h"

#include <QCryptographicHash>
#include <QPointer>
#include <QTimer>

namespace station::test {

namespace {

QByteArray sha256(QByteArrayView data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

QByteArray concatDer(const QList<crypto::Certificate> &certificates)
{
    QByteArray out;
    for (const crypto::Certificate &c : certificates)
        out += c.toDer();
    return out;
}

} // namespace

FakeDeviceDriver::FakeDeviceDriver(Script script, QObject *parent) : DeviceDriver(parent), m_script(std::move(script))
{}

template <typename T> void FakeDeviceDriver::finish(const QString &op, Done<T> done, std::function<Result<T>()> result)
{
    m_calls << op;
    m_busy = true;
    const quint64 generation = ++m_generation;
    auto shared = std::make_shared<Done<T>>(std::move(done));
    m_abort = [shared](const Error &e) {
        if (*shared) {
            auto d = std::exchange(*shared, nullptr);
            d(std::unexpected(e));
        }
    };
    if (m_script.hangs.contains(op))
        return;
    QPointer<FakeDeviceDriver> self(this);
    QTimer::singleShot(m_script.delayMs, this, [this, self, generation, shared, op, result] {
        if (!self || generation != m_generation || !*shared)
            return;
        m_busy = false;
        m_abort = nullptr;
        auto d = std::exchange(*shared, nullptr);
        if (m_script.failures.contains(op))
            d(std::unexpected(m_script.failures.value(op)));
        else
            d(result());
    });
}

void FakeDeviceDriver::open(Done<void> done)
{
    finish<void>(QStringLiteral("open"), std::move(done), [] { return Result<void>(); });
}

void FakeDeviceDriver::identify(Done<device::DeviceIdentity> done)
{
    finish<device::DeviceIdentity>(QStringLiteral("identify"), std::move(done), [this] {
        device::DeviceIdentity id;
        id.serialNumber = m_script.serial;
        id.hardwareId = QStringLiteral("hw-") + m_script.serial;
        id.model = QStringLiteral("Fake unit");
        id.firmwareVersion = QStringLiteral("1.0");
        id.protocolVersion = QStringLiteral("fake/1");
        id.provisioned = m_script.provisioned;
        return Result<device::DeviceIdentity>(id);
    });
}

void FakeDeviceDriver::generateKey(const device::KeyGenRequest &request, Done<device::GeneratedKey> done)
{
    const QString subject = request.subject;
    finish<device::GeneratedKey>(QStringLiteral("keygen"), std::move(done),
                                 [subject]() -> Result<device::GeneratedKey> {
                                     auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
                                     if (!key)
                                         return fail(key.error());
                                     crypto::CsrSpec spec;
                                     auto dn = crypto::DistinguishedName::parse(subject);
                                     if (!dn)
                                         return fail(dn.error());
                                     spec.subject = *dn;
                                     auto csr = crypto::CertificateRequest::create(spec, *key);
                                     if (!csr)
                                         return fail(csr.error());
                                     device::GeneratedKey g;
                                     g.csrDer = csr->toDer();
                                     g.publicKeyDer = csr->publicKeyDer();
                                     return g;
                                 });
}

void FakeDeviceDriver::writeTrustAnchors(const QList<crypto::Certificate> &anchors, Done<void> done)
{
    const QByteArray digest = storedDigest(device::CredentialKind::TrustAnchors, anchors);
    finish<void>(QStringLiteral("write-trust"), std::move(done), [this, digest] {
        m_stored[{m_slot, device::CredentialKind::TrustAnchors}] = digest;
        return Result<void>();
    });
}

void FakeDeviceDriver::writeCertificateChain(const QList<crypto::Certificate> &chain, Done<void> done)
{
    const QByteArray digest = storedDigest(device::CredentialKind::CertificateChain, chain);
    finish<void>(QStringLiteral("write-chain"), std::move(done), [this, digest] {
        m_stored[{m_slot, device::CredentialKind::CertificateChain}] = digest;
        return Result<void>();
    });
}

void FakeDeviceDriver::writePrivateKey(const crypto::SecretBytes &pkcs8Der, Done<void> done)
{
    const QByteArray digest = storedKeyDigest(pkcs8Der);
    finish<void>(QStringLiteral("write-key"), std::move(done), [this, digest] {
        m_stored[{m_slot, device::CredentialKind::PrivateKey}] = digest;
        return Result<void>();
    });
}

void FakeDeviceDriver::commit(Done<void> done)
{
    finish<void>(QStringLiteral("commit"), std::move(done), [] { return Result<void>(); });
}

void FakeDeviceDriver::readBack(device::ReadBackDepth, Done<device::StoredCredentials> done)
{
    finish<device::StoredCredentials>(QStringLiteral("readback"), std::move(done), [this] {
        device::StoredCredentials s;
        for (auto it = m_stored.cbegin(); it != m_stored.cend(); ++it) {
            if (it.key().first != m_slot)
                continue;
            device::StoredItem item;
            item.kind = it.key().second;
            item.location = m_slot;
            item.sha256 = it.value();
            if (m_script.corruptReadback && item.kind == device::CredentialKind::CertificateChain)
                item.sha256[0] = char(item.sha256[0] ^ 1);
            item.committed = !m_script.leaveUncommitted;
            s.items.append(item);
        }
        return Result<device::StoredCredentials>(s);
    });
}

void FakeDeviceDriver::factoryReset(Done<void> done)
{
    finish<void>(QStringLiteral("reset"), std::move(done), [this] {
        m_stored.clear();
        return Result<void>();
    });
}

QByteArray FakeDeviceDriver::storedDigest(device::CredentialKind, const QList<crypto::Certificate> &certificates) const
{
    return sha256(concatDer(certificates));
}

QByteArray FakeDeviceDriver::storedKeyDigest(const crypto::SecretBytes &pkcs8Der) const
{
    return sha256(pkcs8Der.view());
}

void FakeDeviceDriver::cancel()
{
    m_calls << QStringLiteral("cancel");
    ++m_generation;
    m_busy = false;
    if (auto abort = std::exchange(m_abort, nullptr))
        QTimer::singleShot(0, this, [abort] { abort(Error(ErrorCode::Cancelled, QStringLiteral("Cancelled"))); });
}

void FakeDeviceDriver::unplug()
{
    ++m_generation;
    m_busy = false;
    const Error gone(ErrorCode::DeviceGone, QStringLiteral("The fake unit was unplugged"));
    if (auto abort = std::exchange(m_abort, nullptr))
        abort(gone);
    reportConnectionLost(gone);
}

device::DiscoveredDevice FakeDeviceSource::plug(const QString &path, const QString &usbBusPath)
{
    device::DiscoveredDevice d;
    d.id = QStringLiteral("explicit:") + path;
    d.kind = device::DiscoveredKind::ExplicitPort;
    d.path = path;
    d.busPath = usbBusPath;
    m_devices.append(d);
    emit deviceArrived(d);
    return d;
}

void FakeDeviceSource::unplug(const QString &path)
{
    for (qsizetype i = 0; i < m_devices.size(); ++i) {
        if (m_devices[i].path == path) {
            const device::DiscoveredDevice d = m_devices.takeAt(i);
            emit deviceLeft(d);
            return;
        }
    }
}

} // namespace station::test
