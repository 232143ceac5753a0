// A product profile: everything the station needs to provision one kind of unit — which devices are
// units and how to talk to them, the EST server and how to trust and authenticate to it, where the key
// comes from, what the certificate must say, how barcodes read, and what to do with a unit that is
// already provisioned. One JSON file per product, validated on load: every problem is listed with the
// field it is in and what is allowed there. Secrets are never in the file (only the names of the
// environment variables that hold them).
#pragma once

#include "BarcodeRule.h"

#include "Error.h"
#include "device/DeviceFilter.h"
#include "device/DriverConfig.h"
#include "device/DriverTypes.h"

#include "crypto/KeyType.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>

namespace station::provisioning {

enum class KeyOrigin { Device, Server };
enum class AlreadyProvisionedPolicy { Refuse, Reprovision, Renew };
enum class TrustSource { File, Bootstrap, System };
enum class AuthMode { None, ClientCertificate, Basic };
enum class StartMode { Scan, Auto };

[[nodiscard]] QString keyOriginName(KeyOrigin origin);             ///< "device", "server"
[[nodiscard]] QString policyName(AlreadyProvisionedPolicy policy); ///< "refuse", "reprovision", "renew"

struct EstSettings {
    QUrl url;         ///< base URL with any label / DMS segment
    QUrl certAuthUrl; ///< optional: a different base URL for certificate-authenticated calls
    TrustSource trust = TrustSource::File;
    QString trustFile;            ///< PEM bundle (TrustSource::File), resolved against the profile's folder
    QString bootstrapFingerprint; ///< SHA-256 of the CA to accept on the RFC 7030 §4.1.1 bootstrap
    AuthMode auth = AuthMode::ClientCertificate;
    QString clientCert;         ///< PEM certificate (chain) file
    QString clientKey;          ///< PEM/DER key file
    QString clientP12;          ///< or a PKCS#12 file
    QString passphraseEnv;      ///< environment variable with the key / PKCS#12 passphrase
    bool askPassphrase = false; ///< ask once per station start instead (GUI / terminal)
    QString user;               ///< basic auth user
    QString passwordEnv;        ///< environment variable with the basic-auth password (passcode)
    bool fetchCsrAttrs = true;
    int retryAttempts = 3;                        ///< attempts per EST operation when the server is unreachable / 503
    std::chrono::milliseconds retryBackoff{2000}; ///< first back-off, doubled per attempt
    std::chrono::seconds pendingDeadline{300};    ///< longest wait for 202 / 503 + Retry-After
    std::chrono::milliseconds requestTimeout{30000};
};

struct DeviceSettings {
    device::Protocol protocol = device::Protocol::Station;
    device::DeviceFilter filter;
    device::DriverConfig driver; ///< slot / sec_tag and the exchange timeouts
    qint32 baudRate = 115200;
    QString attestationKeyFile; ///< nRF91: public key that signs %KEYGEN attestations (PEM)
};

struct EnrollmentSettings {
    KeyOrigin keyOrigin = KeyOrigin::Device;
    crypto::KeyType keyType = crypto::KeyType::EcP256;
    QString subjectTemplate = QStringLiteral("CN={serial}"); ///< RFC 4514 form with {field} placeholders
    QStringList sanTemplates;                                ///< "DNS:{serial}.example", "URI:urn:dev:{uuid}"
};

/// A bootstrap credential for field enrollment: a certificate enrolled for the unit (a key the station
/// makes in memory) and written with its key to a second slot / sec_tag; the unit later enrolls in the
/// field with it (Lamassu's JITP flow).
struct BootstrapCredentialSettings {
    bool enabled = false;
    qint64 slot = 1; ///< slot or sec_tag, not the main one
    QUrl estUrl;     ///< the bootstrap EST endpoint; empty = est.url
    QString subjectTemplate = QStringLiteral("CN={serial}-bootstrap");
    crypto::KeyType keyType = crypto::KeyType::EcP256;
};

struct InjectSettings {
    bool trustAnchors = true; ///< write the CA set to the unit
    QString trustAnchorsFile; ///< a PEM file instead of the /cacerts answer
    BootstrapCredentialSettings bootstrap;
};

/// How the units appear in the DMS when the manifest is exported or uploaded for pre-registration
/// (Lamassu's create-device body: icon and icon_color are required there).
struct DmsSettings {
    QString dmsId;                                     ///< the DMS the units enroll through (may be given at upload)
    QString icon = QStringLiteral("CgSmartphoneChip"); ///< a Lamassu UI icon name
    QString iconColor = QStringLiteral("#0068D1-#FFFFFF");
    QStringList tags;
};

struct StationTimeouts {
    std::chrono::milliseconds step{30000};   ///< any device step
    std::chrono::milliseconds keyGen{90000}; ///< on-device key generation
    std::chrono::milliseconds est{120000};   ///< one EST operation including its retries
    std::chrono::milliseconds scan{0};       ///< waiting for a scan; 0 = wait until unplugged
};

struct ProductProfile {
    QString name;
    QString sourcePath; ///< the file it was loaded from
    QString sha256;     ///< SHA-256 of the file's bytes (recorded with every unit)
    DeviceSettings device;
    EstSettings est;
    EnrollmentSettings enrollment;
    InjectSettings inject;
    BarcodeRule barcode;
    StartMode start = StartMode::Scan;
    bool scanStartsOnlyWaitingUnit = false; ///< a scan that names no attached unit goes to the only waiting one
    AlreadyProvisionedPolicy alreadyProvisioned = AlreadyProvisionedPolicy::Refuse;
    StationTimeouts timeouts;
    DmsSettings dms;

    /// Loads and validates a profile file; the error lists every problem, one per line.
    [[nodiscard]] static Result<ProductProfile> load(const QString &path);
    /// Validates JSON text; relative paths are resolved against `baseDir`.
    [[nodiscard]] static Result<ProductProfile> fromJson(const QByteArray &json, const QString &baseDir);
    /// Every problem of a JSON text ("est.url: ... (allowed: ...)"); empty when it is valid.
    [[nodiscard]] static QStringList problems(const QByteArray &json, const QString &baseDir);

    /// The profile as JSON (what `profile new` writes and `profile show` prints; never a secret).
    [[nodiscard]] QJsonObject toJson() const;
};

} // namespace station::provisioning
