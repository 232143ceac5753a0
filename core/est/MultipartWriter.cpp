#include "MultipartWriter.h"

#include "crypto/SecretBytes.h"

namespace station::est {

void MultipartWriter::addPart(const HttpHeaders &headers, QByteArrayView body)
{
    m_body += "--" + m_boundary + "\r\n";
    for (const auto &[name, value] : headers)
        m_body += name + ": " + value + "\r\n";
    m_body += "\r\n";
    m_body.append(body.data(), body.size());
    m_body += "\r\n";
}

QByteArray MultipartWriter::contentType() const
{
    return "multipart/mixed; boundary=" + m_boundary;
}

QByteArray MultipartWriter::finish()
{
    QByteArray out = m_body + "--" + m_boundary + "--\r\n";
    crypto::wipe(m_body);
    return out;
}

MultipartWriter::~MultipartWriter()
{
    crypto::wipe(m_body);
}

} // namespace station::est
