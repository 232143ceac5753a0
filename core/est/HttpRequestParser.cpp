#include "HttpRequestParser.h"

#include <limits>

namespace station::est {

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
    }
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

enum class NumberResult { Ok, Invalid, TooLarge };

/// Parses a non-negative decimal (Content-Length) or hex (chunk size) number no larger than `max`. The bound
/// is checked before every multiplication and addition, so no digit string can overflow; leading zeros are
/// fine (the caller bounds the line length).
NumberResult parseNumber(QByteArrayView text, int base, qsizetype max, qsizetype &out)
{
    if (text.isEmpty())
        return NumberResult::Invalid;
    qsizetype value = 0;
    bool tooLarge = false;
    for (char c : text) {
        int digit = -1;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (base == 16 && c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (base == 16 && c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        if (digit < 0)
            return NumberResult::Invalid;
        if (tooLarge || value > (max - digit) / base)
            tooLarge = true; // keep scanning: a bad character still makes the field invalid
        else
            value = value * base + digit;
    }
    if (tooLarge)
        return NumberResult::TooLarge;
    out = value;
    return NumberResult::Ok;
}

} // namespace

HttpRequestParser::State HttpRequestParser::failWith(int status, QByteArray message)
{
    m_errorStatus = status;
    m_errorMessage = std::move(message);
    m_state = State::Error;
    return m_state;
}

HttpRequestParser::State HttpRequestParser::feed(QByteArrayView bytes)
{
    if (m_state == State::Error)
        return m_state;
    m_buffer.append(bytes.data(), bytes.size());
    return parse();
}

qsizetype HttpRequestParser::maxHeldBytes() const
{
    return m_limits.maxHeaderBytes + m_limits.maxBodyBytes + kSlackBytes;
}

HttpRequestParser::State HttpRequestParser::parse()
{
    // Each phase function returns Complete when it finished its phase (and set the next one), NeedMore
    // when it waits for bytes, or Error.
    if (m_state != State::NeedMore)
        return m_state;
    for (;;) {
        if (m_phase == Phase::Done)
            return m_state = State::Complete;
        State s = State::NeedMore;
        switch (m_phase) {
        case Phase::Head: s = parseHead(); break;
        case Phase::Body: s = parseBody(); break;
        default: s = parseChunked(); break;
        }
        if (s != State::Complete)
            return m_state = s;
    }
}

bool HttpRequestParser::takeLine(QByteArray &line, qsizetype limit, bool &tooLong)
{
    tooLong = false;
    const qsizetype nl = m_buffer.indexOf('\n', m_pos);
    if (nl < 0) {
        tooLong = (m_buffer.size() - m_pos) > limit;
        return false;
    }
    qsizetype end = nl;
    if (end > m_pos && m_buffer.at(end - 1) == '\r')
        --end;
    if (end - m_pos > limit) {
        tooLong = true;
        return false;
    }
    line = m_buffer.mid(m_pos, end - m_pos);
    m_pos = nl + 1;
    return true;
}

HttpRequestParser::State HttpRequestParser::parseHead()
{
    // Tolerate empty lines before a request (RFC 9112 §2.2), then wait for the whole header block.
    while (m_pos < m_buffer.size() && (m_buffer.at(m_pos) == '\r' || m_buffer.at(m_pos) == '\n'))
        ++m_pos;
    const qsizetype blockEnd = m_buffer.indexOf("\n\r\n", m_pos);
    const qsizetype blockEndLf = m_buffer.indexOf("\n\n", m_pos);
    qsizetype end = -1;
    if (blockEnd >= 0 && (blockEndLf < 0 || blockEnd < blockEndLf))
        end = blockEnd + 3;
    else if (blockEndLf >= 0)
        end = blockEndLf + 2;
    if (end < 0) {
        if (m_buffer.size() - m_pos > m_limits.maxHeaderBytes)
            return failWith(431, "request header block too large");
        compact(true);
        return State::NeedMore;
    }
    if (end - m_pos > m_limits.maxHeaderBytes)
        return failWith(431, "request header block too large");

    bool tooLong = false;
    QByteArray requestLine;
    if (!takeLine(requestLine, m_limits.maxHeaderBytes, tooLong))
        return failWith(400, "malformed request line");
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() != 3 || !isToken(parts.at(0)) || parts.at(1).isEmpty())
        return failWith(400, "malformed request line");
    const QByteArray &version = parts.at(2);
    if (version == "HTTP/1.1")
        m_current.versionMinor = 1;
    else if (version == "HTTP/1.0")
        m_current.versionMinor = 0;
    else if (version.startsWith("HTTP/"))
        return failWith(505, "only HTTP/1.0 and HTTP/1.1 are supported");
    else
        return failWith(400, "malformed request line");
    m_current.method = parts.at(0);
    m_current.target = parts.at(1);
    if (!m_current.target.startsWith('/') && m_current.target != "*")
        return failWith(400, "request target must be an absolute path");
    for (char c : m_current.target) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
            return failWith(400, "request target contains control characters");
    }
    const qsizetype q = m_current.target.indexOf('?');
    m_current.path = q < 0 ? m_current.target : m_current.target.left(q);

    for (;;) {
        QByteArray line;
        if (!takeLine(line, m_limits.maxHeaderBytes, tooLong))
            return failWith(400, "malformed header block");
        if (line.isEmpty())
            break;
        if (line.at(0) == ' ' || line.at(0) == '\t')
            return failWith(400, "obsolete header line folding is not accepted");
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(QByteArrayView(line).first(colon)))
            return failWith(400, "malformed header field");
        if (m_current.headers.size() >= m_limits.maxHeaders)
            return failWith(431, "too many header fields");
        QByteArray value = line.mid(colon + 1).trimmed();
        for (char c : value) {
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
                return failWith(400, "header value contains control characters");
        }
        m_current.headers.append({line.left(colon), value});
    }

    // Body framing (RFC 9112 §6).
    int lengthHeaders = 0;
    QByteArray lengthValue;
    bool chunked = false;
    for (const auto &[name, value] : std::as_const(m_current.headers)) {
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            if (lengthHeaders > 0 && value != lengthValue)
                return failWith(400, "conflicting Content-Length headers");
            lengthValue = value;
            ++lengthHeaders;
        } else if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0) {
            const QByteArray codings = value.toLower();
            if (codings.trimmed() != "chunked")
                return failWith(501, "unsupported transfer coding: " + value.left(40));
            chunked = true;
        }
    }
    if (chunked && lengthHeaders > 0)
        return failWith(400, "both Content-Length and Transfer-Encoding present");
    m_expectContinue = m_current.header("Expect").toLower() == "100-continue";
    m_continueSent = false;

    if (chunked) {
        m_phase = Phase::ChunkSize;
        return State::Complete; // phase done
    }
    m_contentLength = 0;
    if (lengthHeaders > 0) {
        switch (parseNumber(lengthValue, 10, m_limits.maxBodyBytes, m_contentLength)) {
        case NumberResult::Ok: break;
        case NumberResult::Invalid: return failWith(400, "invalid Content-Length");
        case NumberResult::TooLarge: return failWith(413, "request body too large");
        }
    }
    m_phase = Phase::Body;
    return State::Complete;
}

HttpRequestParser::State HttpRequestParser::parseBody()
{
    if (m_buffer.size() - m_pos < m_contentLength) {
        compact(true);
        return State::NeedMore;
    }
    m_current.body = m_buffer.mid(m_pos, m_contentLength);
    m_pos += m_contentLength;
    m_phase = Phase::Done;
    return State::Complete;
}

HttpRequestParser::State HttpRequestParser::parseChunked()
{
    bool tooLong = false;
    for (;;) {
        switch (m_phase) {
        case Phase::ChunkSize: {
            QByteArray line;
            if (!takeLine(line, 1024, tooLong)) {
                if (tooLong)
                    return failWith(400, "chunk size line too long");
                compact(true);
                return State::NeedMore;
            }
            const qsizetype semicolon = line.indexOf(';'); // chunk extensions are ignored
            // Bounded by what the body may still take, checked before any arithmetic on the size.
            qsizetype size = 0;
            const qsizetype room = m_limits.maxBodyBytes - m_current.body.size();
            switch (parseNumber(line.left(semicolon < 0 ? line.size() : semicolon).trimmed(), 16, room, size)) {
            case NumberResult::Ok: break;
            case NumberResult::Invalid: return failWith(400, "invalid chunk size");
            case NumberResult::TooLarge: return failWith(413, "request body too large");
            }
            m_chunkRemaining = size;
            m_phase = size == 0 ? Phase::Trailers : Phase::ChunkData;
            break;
        }
        case Phase::ChunkData: {
            const qsizetype available = qMin(m_chunkRemaining, m_buffer.size() - m_pos);
            m_current.body.append(m_buffer.constData() + m_pos, available);
            m_pos += available;
            m_chunkRemaining -= available;
            if (m_chunkRemaining > 0) {
                compact(true);
                return State::NeedMore;
            }
            m_phase = Phase::ChunkDataEnd;
            break;
        }
        case Phase::ChunkDataEnd: {
            // Exactly CRLF (or a bare LF) must follow the chunk data.
            const qsizetype available = m_buffer.size() - m_pos;
            if (available < 1 || (m_buffer.at(m_pos) == '\r' && available < 2)) {
                compact(true);
                return State::NeedMore;
            }
            if (m_buffer.at(m_pos) == '\n')
                m_pos += 1;
            else if (m_buffer.at(m_pos) == '\r' && m_buffer.at(m_pos + 1) == '\n')
                m_pos += 2;
            else
                return failWith(400, "chunk data not followed by CRLF");
            m_phase = Phase::ChunkSize;
            break;
        }
        case Phase::Trailers: {
            QByteArray line;
            if (!takeLine(line, m_limits.maxHeaderBytes - m_trailerBytes, tooLong)) {
                if (tooLong)
                    return failWith(431, "trailer too large");
                compact(true);
                return State::NeedMore;
            }
            m_trailerBytes += line.size() + 1; // the trailer block as a whole is bounded like the header block
            if (m_trailerBytes > m_limits.maxHeaderBytes)
                return failWith(431, "trailer too large");
            if (line.isEmpty()) {
                m_phase = Phase::Done;
                return State::Complete;
            }
            break; // trailer fields are read and dropped
        }
        default: return State::Complete;
        }
    }
}

void HttpRequestParser::compact(bool always)
{
    // While a request is incomplete everything before m_pos is consumed and can go, which keeps heldBytes()
    // within maxHeldBytes(). Between pipelined requests only drop it once it is half the buffer, so taking
    // many small requests out of one big buffer stays linear.
    if (m_pos > 0 && (always || m_pos >= m_buffer.size() / 2)) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest request = std::move(m_current);
    m_current = HttpRequest{};
    m_phase = Phase::Head;
    m_state = State::NeedMore;
    m_contentLength = 0;
    m_chunkRemaining = 0;
    m_trailerBytes = 0;
    m_expectContinue = false;
    m_continueSent = false;
    compact(false);
    return request;
}

} // namespace station::est
