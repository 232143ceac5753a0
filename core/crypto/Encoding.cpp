#include "Encoding.h"

#include "Der.h"
#include "OpenSslPtr.h"

#include <openssl/evp.h>

#include <array>

namespace station::crypto {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<qint8, 256> makeDecodeTable()
{
    std::array<qint8, 256> table{};
    for (auto &v : table)
        v = -1;
    for (int i = 0; i < 64; ++i)
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<qint8>(i);
    return table;
}

constexpr auto kDecodeTable = makeDecodeTable();

bool isWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

QString describeByte(char c, qsizetype offset)
{
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x21 && u < 0x7f)
        return QStringLiteral("unexpected character '%1' at offset %2").arg(QLatin1Char(c)).arg(offset);
    return QStringLiteral("unexpected byte 0x%1 at offset %2").arg(u, 2, 16, QLatin1Char('0')).arg(offset);
}

std::unexpected<Error> base64Error(const QString &what)
{
    return fail(ErrorCode::Parse, QStringLiteral("Invalid base64: %1").arg(what), {},
                QStringLiteral("The data must be base64 (RFC 4648) of DER, with line breaks allowed"));
}

bool isTextual(QByteArrayView data)
{
    for (const char c : data) {
        const auto u = static_cast<unsigned char>(c);
        if (!(isWhitespace(c) || (u >= 0x20 && u < 0x7f)))
            return false;
    }
    return true;
}

/// Whitespace or NUL: what servers leave after a body (a C string's terminator, a final CRLF).
bool isTrailingPadding(char c)
{
    return c == '\0' || isWhitespace(c);
}

bool onlyPadding(QByteArrayView v)
{
    for (const char c : v) {
        if (!isTrailingPadding(c))
            return false;
    }
    return true;
}

QByteArrayView withoutTrailingPadding(QByteArrayView v)
{
    while (!v.isEmpty() && isTrailingPadding(v.back()))
        v.chop(1);
    return v;
}

QByteArrayView trimmed(QByteArrayView v)
{
    while (!v.isEmpty() && isWhitespace(v.front()))
        v = v.sliced(1);
    while (!v.isEmpty() && isWhitespace(v.back()))
        v.chop(1);
    return v;
}

} // namespace

Result<QByteArray> Encoding::decodeBase64(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size() * 3 / 4 + 3);
    quint32 accumulator = 0;
    int bits = 0;
    qsizetype symbols = 0;
    int padding = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (isWhitespace(c))
            continue;
        if (c == '=') {
            if (++padding > 2)
                return base64Error(QStringLiteral("too much '=' padding at offset %1").arg(i));
            continue;
        }
        if (padding > 0)
            return base64Error(QStringLiteral("data after '=' padding at offset %1").arg(i));
        const qint8 value = kDecodeTable[static_cast<unsigned char>(c)];
        if (value < 0)
            return base64Error(describeByte(c, i));
        ++symbols;
        accumulator = (accumulator << 6) | quint32(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.append(static_cast<char>((accumulator >> bits) & 0xff));
        }
    }
    if (symbols % 4 == 1)
        return base64Error(QStringLiteral("truncated (%1 symbols is not a valid length)").arg(symbols));
    if (padding > 0 && (symbols + padding) % 4 != 0)
        return base64Error(QStringLiteral("wrong '=' padding for %1 symbols").arg(symbols));
    return out;
}

QByteArray Encoding::encodeBase64(QByteArrayView data, int lineLength, bool crlf)
{
    const QByteArray flat = QByteArray(data.data(), data.size()).toBase64();
    if (lineLength <= 0)
        return flat;
    const QByteArray eol = crlf ? QByteArrayLiteral("\r\n") : QByteArrayLiteral("\n");
    QByteArray out;
    out.reserve(flat.size() + (flat.size() / lineLength + 1) * eol.size());
    for (qsizetype i = 0; i < flat.size(); i += lineLength) {
        if (i > 0)
            out += eol;
        out += flat.mid(i, lineLength);
    }
    return out;
}

QByteArray Encoding::toPem(QByteArrayView der, const QByteArray &label)
{
    QByteArray out = "-----BEGIN " + label + "-----\n";
    out += encodeBase64(der, 64, false);
    out += "\n-----END " + label + "-----\n";
    return out;
}

bool Encoding::looksLikePem(QByteArrayView text)
{
    return text.indexOf(QByteArrayView("-----BEGIN ")) >= 0;
}

Result<QList<PemBlock>> Encoding::parsePem(QByteArrayView text)
{
    static constexpr QByteArrayView kBegin("-----BEGIN ");
    static constexpr QByteArrayView kDashes("-----");
    QList<PemBlock> blocks;
    qsizetype pos = 0;
    while (true) {
        const qsizetype begin = text.indexOf(kBegin, pos);
        if (begin < 0)
            break;
        const int number = int(blocks.size()) + 1;
        const qsizetype labelStart = begin + kBegin.size();
        const qsizetype labelEnd = text.indexOf(kDashes, labelStart);
        const qsizetype lineEnd = text.indexOf('\n', labelStart);
        if (labelEnd < 0 || (lineEnd >= 0 && labelEnd > lineEnd))
            return fail(ErrorCode::Parse,
                        QStringLiteral("Malformed PEM: BEGIN line of block %1 is not terminated").arg(number));
        PemBlock block;
        block.label = text.sliced(labelStart, labelEnd - labelStart).toByteArray();
        const QByteArray endMarker = "-----END " + block.label + "-----";
        const qsizetype bodyStart = labelEnd + kDashes.size();
        const qsizetype end = text.indexOf(endMarker, bodyStart);
        const qsizetype nextBegin = text.indexOf(kBegin, bodyStart);
        if (end < 0 || (nextBegin >= 0 && nextBegin < end))
            return fail(ErrorCode::Parse, QStringLiteral("Malformed PEM: block %1 (%2) has no matching END line")
                                              .arg(number)
                                              .arg(QString::fromLatin1(block.label)));
        QByteArrayView body = text.sliced(bodyStart, end - bodyStart);
        // RFC 1421 headers (traditional encrypted keys): "Name: value" lines up to a blank line.
        if (body.indexOf(':') >= 0) {
            QByteArrayView rest = body;
            bool sawHeader = false;
            while (!rest.isEmpty()) {
                const qsizetype nl = rest.indexOf('\n');
                const QByteArrayView line = nl < 0 ? rest : rest.first(nl);
                rest = nl < 0 ? QByteArrayView() : rest.sliced(nl + 1);
                if (line.indexOf(':') >= 0) {
                    sawHeader = true;
                    if (line.indexOf(QByteArrayView("ENCRYPTED")) >= 0)
                        block.encrypted = true;
                    continue;
                }
                if (!sawHeader && trimmed(line).isEmpty())
                    continue; // the end of the BEGIN line
                if (!trimmed(line).isEmpty())
                    return fail(ErrorCode::Parse,
                                QStringLiteral("Malformed PEM: block %1 has headers without a blank line after them")
                                    .arg(number));
                break;
            }
            body = rest;
        }
        auto der = decodeBase64(body);
        if (!der)
            return fail(der.error().withContext(
                QStringLiteral("PEM block %1 (%2)").arg(number).arg(QString::fromLatin1(block.label))));
        if (der->isEmpty())
            return fail(ErrorCode::Parse, QStringLiteral("Malformed PEM: block %1 (%2) is empty")
                                              .arg(number)
                                              .arg(QString::fromLatin1(block.label)));
        block.der = std::move(*der);
        blocks.append(std::move(block));
        pos = end + endMarker.size();
    }
    if (blocks.isEmpty())
        return fail(ErrorCode::Parse, QStringLiteral("No PEM block found"), {},
                    QStringLiteral("Expected text with \"-----BEGIN ...-----\" and \"-----END ...-----\" lines"));
    return blocks;
}

QList<QByteArray> Encoding::pemBlocks(QByteArrayView text, const QByteArray &label)
{
    QList<QByteArray> result;
    auto blocks = parsePem(text);
    if (!blocks)
        return result;
    for (const PemBlock &block : *blocks) {
        if (label.isEmpty() || block.label == label)
            result.append(block.der);
    }
    return result;
}

bool Encoding::isSingleDerObject(QByteArrayView data)
{
    auto tlv = der::readTlv(data);
    return tlv && tlv->whole.size() == data.size();
}

Result<QByteArray> Encoding::decodeLenient(QByteArrayView body, QString *pemLabel, BodyForm *form)
{
    if (trimmed(body).isEmpty())
        return fail(ErrorCode::Parse, QStringLiteral("The body is empty"), {},
                    QStringLiteral("Expected DER, base64 of DER, or PEM"));
    if (static_cast<unsigned char>(body.front()) == 0x30) {
        // One complete DER object, possibly followed by a CRLF or NUL padding some servers add.
        auto tlv = der::readTlv(body);
        if (tlv && onlyPadding(body.sliced(tlv->whole.size()))) {
            if (form)
                *form = BodyForm::Der;
            if (pemLabel)
                pemLabel->clear();
            return body.first(tlv->whole.size()).toByteArray();
        }
    }
    // A text body may end in NUL bytes (a C string written with its terminator).
    const QByteArrayView text = withoutTrailingPadding(body);
    if (looksLikePem(text)) {
        auto blocks = parsePem(text);
        if (!blocks)
            return fail(blocks.error());
        if (form)
            *form = BodyForm::Pem;
        if (pemLabel)
            *pemLabel = QString::fromLatin1(blocks->first().label);
        return blocks->first().der;
    }
    if (!isTextual(text)) {
        QString why;
        auto tlv = der::readTlv(body);
        if (!tlv)
            why = tlv.error().message;
        else if (static_cast<unsigned char>(body.front()) != 0x30)
            why = QStringLiteral("it does not start with a SEQUENCE (0x%1)")
                      .arg(static_cast<unsigned char>(body.front()), 2, 16, QLatin1Char('0'));
        else
            why = QStringLiteral("%1 bytes of trailing data after the DER object").arg(body.size() - tlv->whole.size());
        return fail(ErrorCode::Parse,
                    QStringLiteral("The body looks like binary DER but is not one complete DER object"), why,
                    QStringLiteral("The data may be truncated or corrupted; fetch it again"));
    }
    auto decoded = decodeBase64(text);
    if (!decoded)
        return fail(decoded.error().withContext(QStringLiteral("The body is neither DER nor PEM")));
    if (decoded->isEmpty())
        return fail(ErrorCode::Parse, QStringLiteral("The base64 body decodes to nothing"));
    if (form)
        *form = BodyForm::Base64;
    if (pemLabel)
        pemLabel->clear();
    return std::move(*decoded);
}

Result<QByteArray> Encoding::decodeBase64Url(QByteArrayView text)
{
    QByteArray standard;
    standard.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+' || c == '/')
            return fail(ErrorCode::Parse, QStringLiteral("Invalid base64url: %1").arg(describeByte(c, i)));
        standard.append(c == '-' ? '+' : (c == '_' ? '/' : c));
    }
    auto decoded = decodeBase64(standard);
    if (!decoded)
        return fail(ErrorCode::Parse,
                    decoded.error().message.replace(QStringLiteral("base64"), QStringLiteral("base64url")));
    return decoded;
}

QByteArray Encoding::encodeBase64Url(QByteArrayView data)
{
    return QByteArray(data.data(), data.size())
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray Encoding::sha256(QByteArrayView data)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), static_cast<size_t>(data.size()), md, &len, EVP_sha256(), nullptr) != 1) {
        clearOpenSslErrors();
        return {};
    }
    return QByteArray(reinterpret_cast<const char *>(md), static_cast<qsizetype>(len));
}

QString Encoding::sha256Hex(QByteArrayView data)
{
    return QString::fromLatin1(sha256(data).toHex());
}

} // namespace station::crypto
