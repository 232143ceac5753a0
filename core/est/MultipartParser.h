// A strict-where-it-matters, liberal-elsewhere parser for the multipart/mixed bodies of EST serverkeygen
// answers (RFC 7030 §4.4.2, RFC 2046 §5.1): CRLF or bare LF line ends, preamble and epilogue, folded
// headers, quoted or bare boundary parameters. A body without its closing delimiter is rejected as
// truncated, because a cut-off key or certificate part must never be taken for a whole one. The number of
// parts, header lines per part and the size of a part's header block are bounded, so what parsing builds
// stays proportional to the (already size-limited) body.
#pragma once

#include "Error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

namespace station::est {

struct MimePart {
    QList<QPair<QByteArray, QByteArray>> headers; ///< names as sent, values trimmed and unfolded
    QByteArray body;                              ///< the part's content, transfer encoding not undone

    /// First value of header `name` (case-insensitive), or empty.
    [[nodiscard]] QByteArray header(QByteArrayView name) const;
    /// The media type of Content-Type, lower case, without parameters ("application/pkcs8"); empty when
    /// the part has no Content-Type.
    [[nodiscard]] QByteArray mediaType() const;
    /// Wipes the body (a serverkeygen key part holds key material).
    void wipe();
};

class MultipartParser
{
public:
    /// The boundary parameter of a Content-Type value ("multipart/mixed; boundary=abc" or
    /// boundary="a b c"). Parse error when the type is not multipart or the parameter is missing.
    [[nodiscard]] static Result<QByteArray> boundaryFromContentType(QByteArrayView contentType);
    /// A boundary guessed from the body's first delimiter line ("--xyz"), for servers that omit the
    /// parameter. Parse error when the body does not start with one.
    [[nodiscard]] static Result<QByteArray> guessBoundary(QByteArrayView body);
    /// Splits `body` into its parts. At least one part and the closing delimiter are required.
    [[nodiscard]] static Result<QList<MimePart>> parse(QByteArrayView body, QByteArrayView boundary);

    /// The value of parameter `name` in a header value ("text/plain; charset=utf-8"), unquoted;
    /// empty when absent. Names compare case-insensitively.
    [[nodiscard]] static QByteArray headerParameter(QByteArrayView headerValue, QByteArrayView name);
};

} // namespace station::est
