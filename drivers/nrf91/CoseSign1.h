// COSE_Sign1 (RFC 9052 §4.2) as the nRF91 uses it to sign %KEYGEN and %ATTESTTOKEN answers: a CBOR
// array [protected header bstr, unprotected map, payload bstr, signature bstr], optionally with CBOR tag
// 18, signed with ES256 (ECDSA P-256 / SHA-256, signature as the 64-byte r||s).
#pragma once

#include "Error.h"

#include <QByteArray>

#include <optional>

class QCborValue;

namespace station::drivers {

/// The value of an integer-typed CBOR item from untrusted bytes that must fit `int`; nothing for any other
/// type or range. (QCborValue::toInteger() also converts a double, and a double beyond the range of qint64
/// makes that conversion undefined behaviour: found by fuzz_atresponse.)
[[nodiscard]] std::optional<int> cborInt(const QCborValue &value);

class CoseSign1
{
public:
    QByteArray protectedHeader; ///< the serialized protected header map (e.g. {1: -7})
    int algorithm = 0;          ///< from the protected header: -7 = ES256
    QByteArray keyId;           ///< unprotected header 4 (kid), when present
    QByteArray payload;
    QByteArray signature; ///< r||s, 64 bytes for ES256

    [[nodiscard]] static Result<CoseSign1> decode(const QByteArray &cbor);
    /// Tag 18 + array.
    [[nodiscard]] QByteArray encode() const;
    /// Sig_structure ["Signature1", protected, external_aad = h'', payload] — what the signature covers.
    [[nodiscard]] QByteArray toBeSigned() const;

    /// ECDSA signature conversions between the DER that OpenSSL uses and COSE's fixed-size r||s; `half`
    /// is the size of r and of s (32 for P-256, 48 for P-384, 66 for P-521). Both go through OpenSSL's
    /// ECDSA_SIG, so any curve size encodes correctly.
    [[nodiscard]] static Result<QByteArray> derToRaw(const QByteArray &der, int half = 32);
    /// Empty for an input of odd or too small size.
    [[nodiscard]] static QByteArray rawToDer(const QByteArray &raw);
};

} // namespace station::drivers
