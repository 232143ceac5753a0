// The one interface the station uses for every kind of unit: open a session, identify, generate a key and
// CSR on the device, write trust anchors / certificate chain / private key, commit, read back with
// digests, and reset the provisioning slot.
//
// All operations are asynchronous on the driver's thread's event loop: each takes a completion callback
// that is called exactly once, later, from the event loop (never from inside the call, cancel() or a
// transport signal), with the result. An owner may destroy the driver inside a callback. A driver
// destroyed with an operation pending drops its callback without calling it — the callback captures its
// owner, who is usually being destroyed too; an owner that outlives its driver hears nothing more.
// One operation at a time; cancel() ends the pending one with a Cancelled error. Every exchange has a
// timeout (DriverConfig). Long transfers report progress().
//
// Failures carry one of these kinds, which the provisioning engine decides by:
// - DeviceGone: the unit was unplugged or its port vanished (also: an operation on a closed session).
//   The pending operation ends with it and connectionLost() is emitted once per session.
// - DeviceTimeout: the unit stopped answering (after the protocol's retransmissions, or past a deadline).
// - Device: the unit answered and refused the command; `detail` keeps the device's own code (station
//   protocol status name, "+CME ERROR: <n>").
// - Io: the transport failed without the unit going away (a write error, a port that cannot be opened).
// - Cancelled: cancel() or close() ended the operation.
// Other kinds come from checking what the unit sent (Parse, Verification), from bad arguments
// (InvalidArgument, also "busy") and from features a driver lacks (Unsupported).
#pragma once

#include "DriverConfig.h"
#include "DriverTypes.h"
#include "Error.h"
#include "KeyGenRequest.h"
#include "crypto/Certificate.h"
#include "crypto/SecretBytes.h"

#include <QList>
#include <QObject>

#include <functional>

namespace station::device {

class DeviceDriver : public QObject
{
    Q_OBJECT
public:
    template <typename T> using Done = std::function<void(Result<T>)>;

    using QObject::QObject;
    ~DeviceDriver() override = default;

    [[nodiscard]] virtual Protocol protocol() const = 0;
    [[nodiscard]] virtual bool isBusy() const = 0;
    [[nodiscard]] virtual QString location() const = 0;

    /// Opens the transport and establishes the session (station protocol: version negotiation;
    /// nRF91: AT handshake, extended errors, CFUN=4). Waits through boot chatter up to openTimeout.
    virtual void open(Done<void> done) = 0;
    /// Chooses the provisioning slot (station protocol) or sec_tag (nRF91) that the following writes,
    /// commit and read-back address (DriverConfig::slot at start); e.g. a second slot for a bootstrap
    /// credential. Only between operations.
    virtual void setSlot(qint64 slot) = 0;
    [[nodiscard]] virtual qint64 slot() const = 0;
    virtual void close() = 0;

    virtual void identify(Done<DeviceIdentity> done) = 0;
    virtual void generateKey(const KeyGenRequest &request, Done<GeneratedKey> done) = 0;
    virtual void writeTrustAnchors(const QList<crypto::Certificate> &anchors, Done<void> done) = 0;
    /// Leaf first, then intermediates.
    virtual void writeCertificateChain(const QList<crypto::Certificate> &chain, Done<void> done) = 0;
    /// Unencrypted PKCS#8 DER (server-side key generation). The driver wipes its copies when done.
    virtual void writePrivateKey(const crypto::SecretBytes &pkcs8Der, Done<void> done) = 0;
    /// Makes what was written persistent (devices that write straight to flash just confirm).
    virtual void commit(Done<void> done) = 0;
    virtual void readBack(ReadBackDepth depth, Done<StoredCredentials> done) = 0;
    /// SHA-256 of the bytes the device stores when `certificates` are written as `kind` (trust anchors or
    /// certificate chain): what readBack() reports for them, so a caller can check the write.
    [[nodiscard]] virtual QByteArray storedDigest(CredentialKind kind,
                                                  const QList<crypto::Certificate> &certificates) const = 0;
    /// SHA-256 of the bytes the device stores for a private key written with writePrivateKey().
    [[nodiscard]] virtual QByteArray storedKeyDigest(const crypto::SecretBytes &pkcs8Der) const = 0;
    /// Deletes everything in the provisioning slot (not the device's identity).
    virtual void factoryReset(Done<void> done) = 0;

    /// Ends the pending operation at once (isBusy() is false on return); its callback gets Cancelled from the
    /// event loop. The session stays usable where the protocol allows (the next operation resynchronises). Cancelling
    /// does not undo what already reached the unit: a command that was sent may still be carried out, so a write may
    /// have reached the device — read back before assuming it did not. Each driver documents what that means for its
    /// protocol.
    virtual void cancel() = 0;

signals:
    /// `done` of `total` bytes (or steps) of the current operation; `step` names it for the operator.
    void progress(qint64 done, qint64 total, const QString &step);
    void connectionLost(const station::Error &error);

protected:
    /// Emits connectionLost() once per session: an unplug is a state change, not a stream of errors.
    void reportConnectionLost(const station::Error &error)
    {
        if (m_lostReported)
            return;
        m_lostReported = true;
        emit connectionLost(error);
    }
    /// A newly opened session may report its loss again.
    void resetConnectionLost() { m_lostReported = false; }

private:
    bool m_lostReported = false;
};

} // namespace station::device
