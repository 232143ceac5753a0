// Minimal strict DER reading and writing for the structures the station parses by hand (CsrAttrs, the
// "is this one DER object" check of lenient decoding). Internal to core/crypto. Strict means: definite
// lengths only, minimal length encoding, and nothing read past the end of the input.
#pragma once

#include "Error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace station::crypto::der {

enum Tag : quint8 {
    Boolean = 0x01,
    Integer = 0x02,
    BitString = 0x03,
    OctetString = 0x04,
    Null = 0x05,
    ObjectIdentifier = 0x06,
    Utf8String = 0x0c,
    Sequence = 0x30,
    Set = 0x31,
};

/// One tag-length-value read from a buffer.
struct Tlv {
    quint32 tag = 0; ///< the identifier octet for low tag numbers; for high tag numbers the class bits
                     ///< and number combined as (first octet << 24) | number
    bool constructed = false;
    QByteArrayView content; ///< the value octets
    QByteArrayView whole;   ///< header + value
};

/// Reads one TLV at the start of `data`. Fails (Parse) on truncation, indefinite or non-minimal lengths.
[[nodiscard]] Result<Tlv> readTlv(QByteArrayView data);
/// Like readTlv, and also walks into constructed values to check they are well-formed, up to `maxDepth`.
[[nodiscard]] Result<Tlv> readTlvDeep(QByteArrayView data, int maxDepth = 32);

/// The largest OID arc decodeOid() accepts and encodeOidContent() encodes (one bound, so a decoded OID
/// always re-encodes to the same octets).
inline constexpr quint64 kMaxOidArc = Q_UINT64_C(1) << 56;
/// Dotted text of OID content octets; Parse error when malformed (also: an arc above kMaxOidArc).
[[nodiscard]] Result<QString> decodeOid(QByteArrayView content);
/// Content octets of a dotted OID; InvalidArgument when malformed.
[[nodiscard]] Result<QByteArray> encodeOidContent(const QString &dotted);

[[nodiscard]] QByteArray encodeLength(qsizetype length);
[[nodiscard]] QByteArray encodeTlv(quint8 tag, QByteArrayView content);

} // namespace station::crypto::der
