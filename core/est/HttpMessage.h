// Plain HTTP/1.1 message values shared by the lab EST server and the test servers: a parsed request, a
// response to serialise, and case-insensitive header access.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace station::est {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

/// Value of the first header called `name` (case-insensitive), or a null QByteArray.
QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name);
/// The media type of a Content-Type value without parameters, lower-cased ("application/pkcs10").
QByteArray mediaType(const QByteArray &contentType);
/// Standard reason phrase for a status code ("Accepted").
QByteArray reasonPhrase(int status);

struct HttpRequest {
    QByteArray method;    ///< "GET", "POST", ...
    QByteArray target;    ///< as sent: "/.well-known/est/cacerts?x=1"
    QByteArray path;      ///< target without query, percent-decoding NOT applied
    int versionMinor = 1; ///< HTTP/1.<minor>
    HttpHeaders headers;
    QByteArray body;

    [[nodiscard]] QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
    /// HTTP/1.1 keeps the connection unless "Connection: close"; HTTP/1.0 only with "keep-alive".
    [[nodiscard]] bool keepAlive() const;
};

struct HttpResponse {
    int status = 200;
    HttpHeaders headers;
    QByteArray body;
    bool closeConnection = false;

    HttpResponse() = default;
    HttpResponse(int s, QByteArray contentType, QByteArray b);
    /// A short text/plain answer (errors): "<reason>\n".
    static HttpResponse text(int status, const QByteArray &message);

    void setHeader(const QByteArray &name, const QByteArray &value);
    [[nodiscard]] QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
    /// Status line, headers (Content-Length added), blank line, body. For a HEAD request the body is
    /// left out but Content-Length still gives its size (RFC 9110 §9.3.2).
    [[nodiscard]] QByteArray serialize(bool headOnly = false) const;
};

} // namespace station::est
