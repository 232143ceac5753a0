// The TLV encoding inside station-protocol payloads (PROTOCOL.md §4.2): tag (1 byte), length (2 bytes,
// big-endian), value. Readers skip tags they do not know, which is how later versions add fields.
#pragma once

#include "Error.h"
#include "StationProtocol.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace station::drivers {

class Tlv
{
public:
    struct Item {
        proto::Tag tag;
        QByteArray value;
    };

    Tlv() = default;

    /// Parses a TLV sequence; a truncated item is a Parse error.
    [[nodiscard]] static Result<Tlv> parse(QByteArrayView data);

    Tlv &add(proto::Tag tag, QByteArrayView value);
    Tlv &addU8(proto::Tag tag, std::uint8_t v);
    Tlv &addU16(proto::Tag tag, std::uint16_t v);
    Tlv &addU32(proto::Tag tag, std::uint32_t v);
    Tlv &addText(proto::Tag tag, const QString &text);

    [[nodiscard]] QByteArray encode() const;
    /// Appends the encoding to `out` without an intermediate buffer (reserve encodedSize() first, and a
    /// secret is never left behind in a reallocated one).
    void encodeTo(QByteArray &out) const;
    [[nodiscard]] qsizetype encodedSize() const;
    /// Overwrites every value (OPENSSL_cleanse) and empties the sequence: for TLVs that carried a secret.
    void wipe();
    [[nodiscard]] const QList<Item> &items() const { return m_items; }

    [[nodiscard]] bool has(proto::Tag tag) const;
    [[nodiscard]] QByteArray bytes(proto::Tag tag) const; ///< first value, or empty
    [[nodiscard]] QString text(proto::Tag tag) const;
    /// Unsigned integer of 1, 2 or 4 bytes; nullopt when absent or of another size.
    [[nodiscard]] std::optional<std::uint32_t> number(proto::Tag tag) const;

private:
    QList<Item> m_items;
};

} // namespace station::drivers
