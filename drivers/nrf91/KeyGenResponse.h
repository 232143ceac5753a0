// The answer of AT%KEYGEN=<sec_tag>,2,0: `%KEYGEN: "<base64url CSR DER>.<base64url COSE_Sign1>"`. The
// COSE payload is a CBOR array [payload id (9 = CSR message v1), device UUID (16 bytes), sec_tag (bstr
// holding a CBOR integer), SHA-256 of the CSR DER, nonce]. check() ties the two halves together: the
// digest must be the CSR's and the UUID the device's.
#pragma once

#include "CoseSign1.h"
#include "Error.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace station::drivers {

struct KeyGenResponse {
    QByteArray csrDer;
    QByteArray coseBytes; ///< empty when the modem sent no COSE part
    std::optional<CoseSign1> cose;
    int payloadId = 0;
    QByteArray deviceUuid; ///< 16 bytes
    qint64 secTag = -1;
    QByteArray csrDigest; ///< 32 bytes
    QByteArray nonce;

    static constexpr int kCsrMessageV1 = 9;

    /// Parses the value of a %KEYGEN line (with or without the surrounding quotes).
    [[nodiscard]] static Result<KeyGenResponse> parse(const QByteArray &value);
    /// Verifies that the COSE payload carries `deviceUuid` (RFC 4122 text) and the CSR's SHA-256.
    [[nodiscard]] Result<void> check(const QString &expectedUuid) const;
    /// "2fc3...": the UUID of the payload as RFC 4122 text.
    [[nodiscard]] QString uuidText() const;

    /// The CBOR payload the modem signs (used by the simulator and the tests).
    [[nodiscard]] static QByteArray encodePayload(const QByteArray &uuid16, qint64 secTag, const QByteArray &digest,
                                                  const QByteArray &nonce);
    [[nodiscard]] static QByteArray uuidBytes(const QString &uuidText);
};

} // namespace station::drivers
