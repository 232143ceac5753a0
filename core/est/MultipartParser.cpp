#include "MultipartParser.h"

#include "crypto/SecretBytes.h"

namespace station::est {

namespace {

constexpr qsizetype kMaxBoundary = 200; // RFC 2046 allows 70; be liberal but bounded
// A serverkeygen answer has two parts with a few short header lines each. These bounds keep the parsed
// result proportional to the input: without them a body of empty parts or one-character header lines
// would cost far more memory as MimePart/header objects than the bytes it was sent in.
constexpr int kMaxParts = 32;
constexpr int kMaxHeaderLines = 64;
constexpr qsizetype kMaxHeaderBlock = 16 * 1024;

bool isLineBreakAt(QByteArrayView data, qsizetype pos, qsizetype &length)
{
    if (pos < data.size() && data[pos] == '\n') {
        length = 1;
        return true;
    }
    if (pos + 1 < data.size() && data[pos] == '\r' && data[pos + 1] == '\n') {
        length = 2;
        return true;
    }
    return false;
}

/// Position of the next delimiter line ("--boundary" at the start of the body or right after a line
/// break), and where the content before it ends (before that line break).
qsizetype findDelimiter(QByteArrayView data, QByteArrayView delimiter, qsizetype from, qsizetype &contentEnd)
{
    qsizetype pos = from;
    while (true) {
        const qsizetype hit = data.indexOf(delimiter, pos);
        if (hit < 0)
            return -1;
        if (hit == 0) {
            contentEnd = 0;
            return hit;
        }
        if (data[hit - 1] == '\n') {
            contentEnd = (hit >= 2 && data[hit - 2] == '\r') ? hit - 2 : hit - 1;
            if (contentEnd < from)
                contentEnd = from;
            return hit;
        }
        pos = hit + 1;
    }
}

Result<QList<QPair<QByteArray, QByteArray>>> parseHeaders(QByteArrayView block)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    const QList<QByteArray> lines = block.toByteArray().replace("\r\n", "\n").split('\n');
    int count = 0;
    for (const QByteArray &line : lines) {
        if (line.isEmpty())
            continue;
        if (++count > kMaxHeaderLines)
            return fail(ErrorCode::Parse,
                        QStringLiteral("A multipart part has more than %1 header lines").arg(kMaxHeaderLines));
        if ((line.startsWith(' ') || line.startsWith('\t')) && !headers.isEmpty()) {
            headers.last().second += ' ' + line.trimmed();
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return fail(ErrorCode::Parse, QStringLiteral("A multipart part has a malformed header line"),
                        QString::fromLatin1(line.left(80)));
        headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return headers;
}

/// A parse error after wiping what was already split off (a key part must not linger).
std::unexpected<Error> failParts(QList<MimePart> &parts, const QString &message)
{
    for (MimePart &p : parts)
        p.wipe();
    return fail(ErrorCode::Parse, message);
}

} // namespace

QByteArray MimePart::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray MimePart::mediaType() const
{
    const QByteArray value = header("Content-Type");
    const qsizetype semi = value.indexOf(';');
    return (semi < 0 ? value : value.left(semi)).trimmed().toLower();
}

void MimePart::wipe()
{
    crypto::wipe(body);
}

QByteArray MultipartParser::headerParameter(QByteArrayView headerValue, QByteArrayView name)
{
    const QByteArray value = headerValue.toByteArray();
    qsizetype pos = value.indexOf(';');
    while (pos >= 0 && pos < value.size()) {
        ++pos;
        while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t'))
            ++pos;
        const qsizetype eq = value.indexOf('=', pos);
        if (eq < 0)
            return {};
        const QByteArray key = value.mid(pos, eq - pos).trimmed();
        qsizetype end;
        QByteArray param;
        if (eq + 1 < value.size() && value[eq + 1] == '"') {
            // quoted-string with backslash escapes
            qsizetype i = eq + 2;
            for (; i < value.size() && value[i] != '"'; ++i) {
                if (value[i] == '\\' && i + 1 < value.size())
                    ++i;
                param += value[i];
            }
            end = value.indexOf(';', i);
        } else {
            end = value.indexOf(';', eq + 1);
            param = value.mid(eq + 1, end < 0 ? -1 : end - eq - 1).trimmed();
        }
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return param;
        pos = end;
    }
    return {};
}

Result<QByteArray> MultipartParser::boundaryFromContentType(QByteArrayView contentType)
{
    const QByteArray value = contentType.toByteArray().trimmed();
    if (!value.toLower().startsWith("multipart/"))
        return fail(ErrorCode::Parse, QStringLiteral("The answer is not multipart"),
                    QStringLiteral("Content-Type: %1").arg(QString::fromLatin1(value.left(120))));
    const QByteArray boundary = headerParameter(value, "boundary");
    if (boundary.isEmpty())
        return fail(ErrorCode::Parse, QStringLiteral("The multipart answer has no boundary parameter"),
                    QStringLiteral("Content-Type: %1").arg(QString::fromLatin1(value.left(120))));
    if (boundary.size() > kMaxBoundary)
        return fail(ErrorCode::Parse, QStringLiteral("The multipart boundary is implausibly long"));
    return boundary;
}

Result<QByteArray> MultipartParser::guessBoundary(QByteArrayView body)
{
    qsizetype start = 0;
    while (start < body.size() && (body[start] == '\r' || body[start] == '\n'))
        ++start;
    if (body.size() - start < 3 || body[start] != '-' || body[start + 1] != '-')
        return fail(ErrorCode::Parse, QStringLiteral("The body does not start with a multipart delimiter"));
    qsizetype end = start + 2;
    while (end < body.size() && body[end] != '\r' && body[end] != '\n')
        ++end;
    QByteArray boundary = body.sliced(start + 2, end - start - 2).toByteArray().trimmed();
    if (boundary.isEmpty() || boundary.size() > kMaxBoundary)
        return fail(ErrorCode::Parse, QStringLiteral("The body does not start with a usable multipart delimiter"));
    return boundary;
}

Result<QList<MimePart>> MultipartParser::parse(QByteArrayView body, QByteArrayView boundary)
{
    if (boundary.isEmpty() || boundary.size() > kMaxBoundary)
        return fail(ErrorCode::Parse, QStringLiteral("Invalid multipart boundary"));
    const QByteArray delimiter = "--" + boundary.toByteArray();
    qsizetype contentEnd = 0;
    qsizetype pos = findDelimiter(body, delimiter, 0, contentEnd);
    if (pos < 0)
        return fail(ErrorCode::Parse, QStringLiteral("The multipart body does not contain its boundary"),
                    QStringLiteral("boundary \"%1\"").arg(QString::fromLatin1(boundary.toByteArray())));

    QList<MimePart> parts;
    while (true) {
        pos += delimiter.size();
        if (body.sliced(pos).startsWith("--")) {
            if (parts.isEmpty())
                return fail(ErrorCode::Parse, QStringLiteral("The multipart body has no parts"));
            return parts; // close delimiter; the epilogue is ignored
        }
        // transport padding, then the line break that ends the delimiter line
        while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t'))
            ++pos;
        qsizetype lineBreak = 0;
        if (!isLineBreakAt(body, pos, lineBreak)) {
            if (pos >= body.size())
                break; // truncated right after a delimiter
            return fail(ErrorCode::Parse, QStringLiteral("A multipart delimiter line has trailing garbage"));
        }
        pos += lineBreak;

        // headers end at the first empty line; a part may have no headers at all
        MimePart part;
        qsizetype headerEnd = pos;
        qsizetype bodyStart = -1;
        qsizetype lb = 0;
        if (isLineBreakAt(body, pos, lb)) {
            bodyStart = pos + lb;
        } else {
            // Look for the end of the headers only as far as a header block may reach.
            const QByteArrayView window = body.sliced(pos, qMin(body.size() - pos, kMaxHeaderBlock + 4));
            const qsizetype crlf = window.indexOf("\r\n\r\n");
            const qsizetype lf = window.indexOf("\n\n");
            const qsizetype mixed = window.indexOf("\n\r\n");
            qsizetype best = -1, skip = 0;
            for (auto [at, len] :
                 {std::pair{crlf, qsizetype(4)}, std::pair{lf, qsizetype(2)}, std::pair{mixed, qsizetype(3)}}) {
                if (at >= 0 && (best < 0 || at < best)) {
                    best = at;
                    skip = len;
                }
            }
            if (best < 0 && window.size() < body.size() - pos)
                return failParts(
                    parts,
                    QStringLiteral("A multipart part's header block is larger than %1 bytes").arg(kMaxHeaderBlock));
            if (best < 0)
                break; // truncated inside the headers
            headerEnd = pos + best;
            bodyStart = pos + best + skip;
        }
        auto headers = parseHeaders(body.sliced(pos, headerEnd - pos));
        if (!headers) {
            for (MimePart &p : parts)
                p.wipe();
            return fail(headers.error());
        }
        part.headers = std::move(*headers);

        const qsizetype next = findDelimiter(body, delimiter, bodyStart, contentEnd);
        if (next < 0)
            break; // no delimiter after this part's content: truncated
        if (parts.size() >= kMaxParts)
            return failParts(parts, QStringLiteral("The multipart body has more than %1 parts").arg(kMaxParts));
        part.body = body.sliced(bodyStart, contentEnd - bodyStart).toByteArray();
        parts.append(std::move(part));
        pos = next;
    }
    for (MimePart &p : parts)
        p.wipe();
    return fail(ErrorCode::Parse, QStringLiteral("The multipart answer is truncated (no closing boundary)"), {},
                QStringLiteral("The connection was probably cut; retry the request"));
}

} // namespace station::est
