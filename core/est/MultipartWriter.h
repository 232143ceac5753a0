// Writes a multipart/mixed body (RFC 2046) with CRLF line ends, as the EST /serverkeygen answer needs
// (RFC 7030 §4.4.2: an application/pkcs8 part and an application/pkcs7-mime part).
#pragma once

#include "HttpMessage.h"

#include <QByteArray>
#include <QByteArrayView>

namespace station::est {

class MultipartWriter
{
public:
    explicit MultipartWriter(QByteArray boundary) : m_boundary(std::move(boundary)) {}

    void addPart(const HttpHeaders &headers, QByteArrayView body);
    /// "multipart/mixed; boundary=<boundary>"
    [[nodiscard]] QByteArray contentType() const;
    /// The body with the closing delimiter. The writer is left empty (its buffer is wiped: parts may hold
    /// key material).
    [[nodiscard]] QByteArray finish();
    ~MultipartWriter();

    MultipartWriter(const MultipartWriter &) = delete;
    MultipartWriter &operator=(const MultipartWriter &) = delete;

private:
    QByteArray m_boundary;
    QByteArray m_body;
};

} // namespace station::est
