#include "StationDriver.h"

#include "crypto/CertificateRequest.h"
#include "crypto/PrivateKey.h"
#include "transport/Transport.h"

#include <QCryptographicHash>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTimer>

Q_DECLARE_LOGGING_CATEGORY(lcLink)

namespace station::drivers {

namespace {

CredentialKind kindOf(proto::ObjectId object)
{
    switch (object) {
    case proto::ObjectId::TrustAnchors: return CredentialKind::TrustAnchors;
    case proto::ObjectId::CertificateChain: return CredentialKind::CertificateChain;
    case proto::ObjectId::PrivateKey: return CredentialKind::PrivateKey;
    case proto::ObjectId::Csr: return CredentialKind::Csr;
    case proto::ObjectId::DevicePublicKey: return CredentialKind::DevicePublicKey;
    }
    return CredentialKind::TrustAnchors;
}

proto::ObjectId objectOf(CredentialKind kind)
{
    switch (kind) {
    case CredentialKind::TrustAnchors: return proto::ObjectId::TrustAnchors;
    case CredentialKind::CertificateChain: return proto::ObjectId::CertificateChain;
    case CredentialKind::PrivateKey: return proto::ObjectId::PrivateKey;
    case CredentialKind::Csr: return proto::ObjectId::Csr;
    case CredentialKind::DevicePublicKey: return proto::ObjectId::DevicePublicKey;
    }
    return proto::ObjectId::TrustAnchors;
}

QByteArray concatDer(const QList<crypto::Certificate> &certificates)
{
    QByteArray out;
    for (const crypto::Certificate &c : certificates)
        out.append(c.toDer());
    return out;
}

} // namespace

StationDriver::StationDriver(std::unique_ptr<Transport> transport, DriverConfig config, QObject *parent)
    : DeviceDriver(parent), m_transport(std::move(transport)), m_config(std::move(config))
{
    m_transport->setParent(nullptr);
    m_session = new StationSession(m_transport.get(), m_config, this);
    connect(m_transport.get(), &Transport::closed, this, [this](const Error &error) {
        m_pending.abort(error);
        reportConnectionLost(error);
    });
}

StationDriver::~StationDriver()
{
    delete m_session; // before the transport it listens to
    m_session = nullptr;
}

QString StationDriver::location() const
{
    return m_transport->location();
}

template <typename T> bool StationDriver::admit(Done<T> &done, bool needsSession)
{
    if (m_pending.busy()) {
        QTimer::singleShot(0, this, [done = std::move(done)] {
            done(fail(ErrorCode::InvalidArgument, QStringLiteral("The driver is busy with another operation")));
        });
        return false;
    }
    if (needsSession && !m_transport->isOpen()) {
        QTimer::singleShot(0, this, [this, done = std::move(done)] {
            done(fail(ErrorCode::DeviceGone, QStringLiteral("The unit on %1 is not connected").arg(location()), {},
                      QStringLiteral("Plug the unit in and open it again.")));
        });
        return false;
    }
    done = m_pending.start<T>(std::move(done));
    return true;
}

void StationDriver::open(Done<void> done)
{
    if (!admit(done, false))
        return;
    if (auto opened = m_transport->open(); !opened) {
        QTimer::singleShot(0, this, [done, e = opened.error()] { done(std::unexpected(e)); });
        return;
    }
    resetConnectionLost();
    emit progress(0, 1, QStringLiteral("negotiating the protocol version"));
    m_session->hello(m_config.openTimeout, [this, done](Result<void> r) {
        if (r) {
            qCDebug(lcLink) << "session on" << location() << "version" << m_session->version() << "device payload"
                            << m_session->devicePayloadLimit();
            emit progress(1, 1, QStringLiteral("negotiating the protocol version"));
        }
        done(std::move(r));
    });
}

void StationDriver::close()
{
    m_pending.abort(Error(ErrorCode::Cancelled, QStringLiteral("The connection was closed")));
    m_session->cancel();
    m_transport->close();
}

void StationDriver::identify(Done<DeviceIdentity> done)
{
    if (!admit(done))
        return;
    QByteArray nonce(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(nonce.data()),
                                         reinterpret_cast<quint32 *>(nonce.data() + nonce.size()));
    m_session->call(proto::Command::Identify, Tlv().add(proto::Tag::Nonce, nonce), [this, nonce, done](Result<Tlv> r) {
        if (!r) {
            done(std::unexpected(r.error()));
            return;
        }
        DeviceIdentity id;
        id.serialNumber = r->text(proto::Tag::SerialNumber);
        id.hardwareId = r->text(proto::Tag::HardwareId);
        id.model = r->text(proto::Tag::Model);
        id.firmwareVersion = r->text(proto::Tag::Firmware);
        id.deviceUuid = r->text(proto::Tag::DeviceUuid);
        id.protocolVersion = QStringLiteral("station/%1").arg(m_session->version());
        id.provisioned = r->number(proto::Tag::Provisioned).value_or(0) != 0;
        id.identityPublicKeyDer = r->bytes(proto::Tag::IdentityKey);
        id.nonceSignature = r->bytes(proto::Tag::IdentitySig);
        id.nonce = nonce;
        if (id.serialNumber.isEmpty()) {
            done(fail(ErrorCode::Parse, QStringLiteral("The unit on %1 did not report a serial number").arg(location()),
                      {}, QStringLiteral("The unit's provisioning firmware is incomplete; check its build.")));
            return;
        }
        if (!id.identityPublicKeyDer.isEmpty()) {
            auto key = crypto::PrivateKey::publicFromSpkiDer(id.identityPublicKeyDer);
            if (!key || !key->verify(nonce, id.nonceSignature)) {
                done(fail(
                    ErrorCode::Verification,
                    QStringLiteral("The unit on %1 could not prove possession of its identity key").arg(location()),
                    key ? QStringLiteral("the signature over the station's nonce does not verify")
                        : key.error().toString(),
                    QStringLiteral("Set the unit aside: it may be counterfeit or its identity store corrupt.")));
                return;
            }
            id.evidenceVerified = true;
        }
        done(std::move(id));
    });
}

void StationDriver::generateKey(const KeyGenRequest &request, Done<GeneratedKey> done)
{
    if (!admit(done))
        return;
    Tlv args;
    args.addU8(proto::Tag::Slot, static_cast<std::uint8_t>(m_config.slot))
        .addText(proto::Tag::KeyType, request.keyType);
    if (!request.subject.isEmpty())
        args.addText(proto::Tag::Subject, request.subject);
    emit progress(0, 2, QStringLiteral("generating a key on the unit"));
    m_session->call(
        proto::Command::KeyGen, args,
        [this, done](Result<Tlv> r) {
            if (!r) {
                done(std::unexpected(r.error()));
                return;
            }
            const auto length = r->number(proto::Tag::Length);
            const QByteArray sha = r->bytes(proto::Tag::Sha256);
            if (!length || *length == 0 || sha.size() != 32) {
                done(fail(ErrorCode::Parse,
                          QStringLiteral("The unit's KEYGEN answer lacks the CSR's length or digest")));
                return;
            }
            emit progress(1, 2, QStringLiteral("reading the CSR"));
            m_session->readObject(proto::ObjectId::Csr, *length, sha, [this, done](Result<QByteArray> csr) {
                if (!csr) {
                    done(std::unexpected(csr.error()));
                    return;
                }
                auto parsed = crypto::CertificateRequest::fromDer(*csr);
                if (!parsed) {
                    done(std::unexpected(parsed.error().withContext(QStringLiteral("The unit's CSR"))));
                    return;
                }
                if (auto sig = parsed->verifySignature(); !sig) {
                    done(std::unexpected(sig.error().withContext(QStringLiteral("The unit's CSR"))));
                    return;
                }
                GeneratedKey key;
                key.csrDer = *csr;
                key.publicKeyDer = parsed->publicKeyDer();
                emit progress(2, 2, QStringLiteral("reading the CSR"));
                done(std::move(key));
            });
        },
        true);
}

void StationDriver::writeObject(proto::ObjectId object, const QByteArray &data, const QString &step, Done<void> done,
                                Secrecy secrecy)
{
    m_session->writeObject(
        object, data, [this, step](qint64 sent, qint64 total) { emit progress(sent, total, step); },
        [done](Result<void> r) { done(std::move(r)); }, secrecy);
}

void StationDriver::writeTrustAnchors(const QList<crypto::Certificate> &anchors, Done<void> done)
{
    if (!admit(done))
        return;
    writeObject(proto::ObjectId::TrustAnchors, concatDer(anchors), QStringLiteral("writing trust anchors"), done);
}

void StationDriver::writeCertificateChain(const QList<crypto::Certificate> &chain, Done<void> done)
{
    if (!admit(done))
        return;
    writeObject(proto::ObjectId::CertificateChain, concatDer(chain), QStringLiteral("writing the certificate chain"),
                done);
}

void StationDriver::writePrivateKey(const crypto::SecretBytes &pkcs8Der, Done<void> done)
{
    if (!admit(done))
        return;
    // The session reads the key through a non-owning QByteArray over this clone (no heap copy of it
    // exists), wipes each chunk's TLV, payload and frame once sent, and the clone is wiped when it ends.
    auto secret = std::make_shared<crypto::SecretBytes>(pkcs8Der.clone());
    writeObject(
        proto::ObjectId::PrivateKey, secret->borrow(), QStringLiteral("writing the private key"),
        [secret, done](Result<void> r) {
            secret->clear();
            done(std::move(r));
        },
        Secrecy::Secret);
}

void StationDriver::commit(Done<void> done)
{
    if (!admit(done))
        return;
    m_session->call(proto::Command::Commit, Tlv().addU8(proto::Tag::Slot, static_cast<std::uint8_t>(m_config.slot)),
                    [done](Result<Tlv> r) {
                        if (!r)
                            done(std::unexpected(r.error()));
                        else
                            done({});
                    });
}

void StationDriver::readBack(ReadBackDepth depth, Done<StoredCredentials> done)
{
    if (!admit(done))
        return;
    m_session->call(proto::Command::Status, Tlv().addU8(proto::Tag::Slot, static_cast<std::uint8_t>(m_config.slot)),
                    [this, depth, done](Result<Tlv> r) {
                        if (!r) {
                            done(std::unexpected(r.error()));
                            return;
                        }
                        // Groups: OBJECT, OBJECT_STATE, LENGTH, SHA256 — a new OBJECT starts a new item.
                        QList<StoredItem> items;
                        bool present = false;
                        for (const Tlv::Item &t : r->items()) {
                            if (t.tag == proto::Tag::Object && t.value.size() == 1) {
                                StoredItem item;
                                item.kind = kindOf(static_cast<proto::ObjectId>(static_cast<quint8>(t.value[0])));
                                item.location = m_config.slot;
                                items.append(item);
                                present = true;
                            } else if (present && t.tag == proto::Tag::ObjectState && t.value.size() == 1) {
                                items.last().committed = static_cast<quint8>(t.value[0]) ==
                                                         static_cast<quint8>(proto::ObjectState::Committed);
                            } else if (present && t.tag == proto::Tag::Length && t.value.size() == 4) {
                                Tlv one;
                                one.add(proto::Tag::Length, t.value);
                                items.last().size = one.number(proto::Tag::Length).value_or(0);
                            } else if (present && t.tag == proto::Tag::Sha256) {
                                items.last().sha256 = t.value;
                            }
                        }
                        if (depth == ReadBackDepth::Digests) {
                            StoredCredentials stored;
                            stored.items = std::move(items);
                            done(std::move(stored));
                            return;
                        }
                        readContents(std::move(items), 0, done);
                    });
}

void StationDriver::readContents(QList<StoredItem> items, int index, Done<StoredCredentials> done)
{
    while (index < items.size() && (items[index].kind == CredentialKind::PrivateKey || items[index].size <= 0))
        ++index;
    if (index >= items.size()) {
        StoredCredentials stored;
        stored.items = std::move(items);
        done(std::move(stored));
        return;
    }
    const StoredItem &item = items[index];
    emit progress(index, items.size(), QStringLiteral("reading back %1").arg(credentialKindName(item.kind)));
    m_session->readObject(objectOf(item.kind), item.size, item.sha256,
                          [this, items, index, done](Result<QByteArray> content) mutable {
                              if (!content) {
                                  done(std::unexpected(content.error()));
                                  return;
                              }
                              items[index].content = std::move(*content);
                              readContents(std::move(items), index + 1, done);
                          });
}

void StationDriver::factoryReset(Done<void> done)
{
    if (!admit(done))
        return;
    Tlv args;
    args.addU8(proto::Tag::Slot, static_cast<std::uint8_t>(m_config.slot))
        .addU32(proto::Tag::Confirm, proto::kResetConfirm);
    m_session->call(proto::Command::ResetSlot, args, [done](Result<Tlv> r) {
        if (!r)
            done(std::unexpected(r.error()));
        else
            done({});
    });
}

void StationDriver::cancel()
{
    m_pending.abort(Error(ErrorCode::Cancelled, QStringLiteral("Cancelled by the operator")));
    m_session->cancel();
}

void StationDriver::setSlot(qint64 slot)
{
    m_config.slot = slot;
    if (m_session)
        m_session->setSlot(slot); // the session addresses object transfers itself
}

QByteArray StationDriver::storedDigest(CredentialKind, const QList<crypto::Certificate> &certificates) const
{
    return QCryptographicHash::hash(concatDer(certificates), QCryptographicHash::Sha256);
}

QByteArray StationDriver::storedKeyDigest(const crypto::SecretBytes &pkcs8Der) const
{
    return QCryptographicHash::hash(pkcs8Der.view(), QCryptographicHash::Sha256);
}

} // namespace station::drivers
