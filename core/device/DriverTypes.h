// What drivers report and accept: the device's identity, a key generated on the device, and what the
// device says it stores. Plain values, shared by every driver and by the code above them.
#pragma once

#include "Error.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace station::device {

/// Which protocol a unit speaks.
enum class Protocol { Station, Nrf91 };

[[nodiscard]] QString protocolName(Protocol protocol); ///< "station", "nrf91"
/// Accepts "station" and "nrf91" (case-insensitive; also "nrf9160", "nrf9161", "at").
[[nodiscard]] Result<Protocol> parseProtocol(const QString &name);

/// What a device says about itself, and the evidence it can give that it is what it says.
struct DeviceIdentity {
    QString serialNumber; ///< the station protocol's serial; the nRF91's IMEI
    QString hardwareId;   ///< a stable hardware identifier (the nRF91's device UUID)
    QString model;
    QString firmwareVersion;
    QString protocolVersion;  ///< "station/1", "AT"
    QString deviceUuid;       ///< when the device has one (nRF91 %DEVICEUUID, station protocol DEVICE_UUID)
    QString imei;             ///< cellular modules
    bool provisioned = false; ///< the device reports committed credentials in the provisioning slot

    /// Proof of possession of a device identity key over a station-chosen nonce (station protocol), if any.
    QByteArray identityPublicKeyDer; ///< SubjectPublicKeyInfo DER
    QByteArray nonce;
    QByteArray nonceSignature;     ///< ECDSA DER signature over `nonce`
    bool evidenceVerified = false; ///< the signature verified against identityPublicKeyDer
};

/// A key pair generated on the device and the CSR for it.
struct GeneratedKey {
    QByteArray csrDer;
    QByteArray publicKeyDer; ///< the CSR's SubjectPublicKeyInfo
    /// nRF91: the COSE_Sign1 that came with %KEYGEN, already checked to carry the device UUID and the CSR's
    /// SHA-256 (attestationChecked); empty for devices that give none.
    QByteArray attestation;
    bool attestationChecked = false;
    bool attestationSignatureVerified = false; ///< only when DriverConfig::attestationKeySpkiDer was given
};

enum class CredentialKind { TrustAnchors, CertificateChain, PrivateKey, Csr, DevicePublicKey };

[[nodiscard]] QString credentialKindName(CredentialKind kind);

/// One stored item as the device reports it.
struct StoredItem {
    CredentialKind kind = CredentialKind::TrustAnchors;
    bool committed = false; ///< persisted (false: staged, lost on power loss)
    qint64 size = -1;       ///< bytes, when the device says
    QByteArray sha256;      ///< 32 bytes, as the device computed it
    QByteArray content;     ///< the content itself where the device lets it be read (never a private key)
    qint64 location = 0;    ///< slot (station protocol) or sec_tag (nRF91)
};

/// How much a read-back fetches: the device's own list of what it holds with its SHA-256 digests (what
/// the job compares with what it wrote), or also the content of every readable object (more bytes on a
/// slow line; for diagnostics and tests).
enum class ReadBackDepth { Digests, Contents };

/// Everything in the provisioning slot.
struct StoredCredentials {
    QList<StoredItem> items;

    [[nodiscard]] const StoredItem *find(CredentialKind kind) const;
    [[nodiscard]] bool has(CredentialKind kind) const { return find(kind) != nullptr; }
};

} // namespace station::device
