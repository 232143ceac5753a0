// One provisioning attempt as the manifest keeps it: who the unit is, what the station did for it, what
// came back, and how it ended. Plain value; the manifest fills and stores it, the CLI and GUI show it.
// Never holds a private key.
#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace station::manifest {

enum class Outcome { Incomplete, Pass, Fail };

[[nodiscard]] QString outcomeName(Outcome outcome); ///< "PASS", "FAIL", "INCOMPLETE"
[[nodiscard]] std::optional<Outcome> parseOutcome(const QString &text);

struct ManifestRecord {
    qint64 id = 0;             ///< rowid, assigned by the manifest
    std::optional<qint64> seq; ///< position in the hash chain; set when the attempt is finished
    QString attemptId;         ///< a UUID per attempt

    // The unit
    QString serial;
    QString barcode;
    QString hardwareId;
    QString deviceUuid;
    QString imei;
    QString model;
    QString firmware;
    QString portPath;

    // What the station did
    QString profileName;
    QString profileSha256;
    QString estUrl;
    QString keyOrigin; ///< "device" or "server"
    QString keyType;
    QString csrSha256;
    QString csrSubject;      ///< the CSR's subject (RFC 4514): the unit's planned identity, also without a cert
    QString publicKeySha256; ///< SHA-256 of the unit's SubjectPublicKeyInfo DER
    QString evidence;        ///< JSON: attestation / identity proof and whether it verified

    // What came back
    QString certSerial;
    QString certFingerprint; ///< SHA-256 of the DER, lower-case hex
    QString certSubject;
    QString certIssuer;
    QDateTime certNotBefore;
    QDateTime certNotAfter;
    QString certPem;
    /// Serial of a certificate the CA issued that the unit never confirmed storing (to revoke).
    QString orphanCertSerial;

    // How it ended
    Outcome outcome = Outcome::Incomplete;
    QString step;         ///< the last step the job reached
    QString errorCode;    ///< stable failure name ("device-unplugged", ...), empty on PASS
    QString errorMessage; ///< the operator's text: cause and remedy
    QString errorDetail;  ///< technical detail for engineers

    QString operatorName;
    QString stationId;
    QDateTime startedAt;
    QDateTime finishedAt;
    qint64 durationMs = 0;

    QString prevHash;
    QString rowHash;

    [[nodiscard]] bool isFinished() const { return seq.has_value(); }
};

} // namespace station::manifest
