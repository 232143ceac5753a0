#include "Tlv.h"

#include "crypto/SecretBytes.h"

namespace station::drivers {

Result<Tlv> Tlv::parse(QByteArrayView data)
{
    Tlv tlv;
    qsizetype pos = 0;
    while (pos < data.size()) {
        if (data.size() - pos < 3)
            return fail(ErrorCode::Parse, QStringLiteral("Truncated TLV header in a device message"),
                        QStringLiteral("%1 byte(s) left at offset %2").arg(data.size() - pos).arg(pos));
        const auto tag = static_cast<proto::Tag>(static_cast<std::uint8_t>(data[pos]));
        const int len = (static_cast<std::uint8_t>(data[pos + 1]) << 8) | static_cast<std::uint8_t>(data[pos + 2]);
        pos += 3;
        if (data.size() - pos < len)
            return fail(ErrorCode::Parse, QStringLiteral("Truncated TLV value in a device message"),
                        QStringLiteral("tag 0x%1 says %2 bytes, %3 left")
                            .arg(static_cast<int>(tag), 2, 16, QLatin1Char('0'))
                            .arg(len)
                            .arg(data.size() - pos));
        tlv.m_items.append({tag, data.sliced(pos, len).toByteArray()});
        pos += len;
    }
    return tlv;
}

Tlv &Tlv::add(proto::Tag tag, QByteArrayView value)
{
    m_items.append({tag, value.toByteArray()});
    return *this;
}

Tlv &Tlv::addU8(proto::Tag tag, std::uint8_t v)
{
    return add(tag, QByteArray(1, static_cast<char>(v)));
}

Tlv &Tlv::addU16(proto::Tag tag, std::uint16_t v)
{
    const char b[2] = {static_cast<char>(v >> 8), static_cast<char>(v & 0xFF)};
    return add(tag, QByteArrayView(b, 2));
}

Tlv &Tlv::addU32(proto::Tag tag, std::uint32_t v)
{
    const char b[4] = {static_cast<char>(v >> 24), static_cast<char>((v >> 16) & 0xFF),
                       static_cast<char>((v >> 8) & 0xFF), static_cast<char>(v & 0xFF)};
    return add(tag, QByteArrayView(b, 4));
}

Tlv &Tlv::addText(proto::Tag tag, const QString &text)
{
    return add(tag, text.toUtf8());
}

QByteArray Tlv::encode() const
{
    QByteArray out;
    out.reserve(encodedSize());
    encodeTo(out);
    return out;
}

void Tlv::encodeTo(QByteArray &out) const
{
    for (const Item &item : m_items) {
        const auto len = static_cast<std::uint16_t>(qMin<qsizetype>(item.value.size(), 0xFFFF));
        out.append(static_cast<char>(item.tag));
        out.append(static_cast<char>(len >> 8));
        out.append(static_cast<char>(len & 0xFF));
        out.append(QByteArrayView(item.value).first(len));
    }
}

qsizetype Tlv::encodedSize() const
{
    qsizetype n = 0;
    for (const Item &item : m_items)
        n += 3 + qMin<qsizetype>(item.value.size(), 0xFFFF);
    return n;
}

void Tlv::wipe()
{
    for (Item &item : m_items)
        crypto::wipe(item.value);
    m_items.clear();
}

bool Tlv::has(proto::Tag tag) const
{
    for (const Item &item : m_items)
        if (item.tag == tag)
            return true;
    return false;
}

QByteArray Tlv::bytes(proto::Tag tag) const
{
    for (const Item &item : m_items)
        if (item.tag == tag)
            return item.value;
    return {};
}

QString Tlv::text(proto::Tag tag) const
{
    return QString::fromUtf8(bytes(tag));
}

std::optional<std::uint32_t> Tlv::number(proto::Tag tag) const
{
    for (const Item &item : m_items) {
        if (item.tag != tag)
            continue;
        const QByteArray &v = item.value;
        if (v.size() != 1 && v.size() != 2 && v.size() != 4)
            return std::nullopt;
        std::uint32_t n = 0;
        for (char c : v)
            n = (n << 8) | static_cast<std::uint8_t>(c);
        return n;
    }
    return std::nullopt;
}

} // namespace station::drivers
