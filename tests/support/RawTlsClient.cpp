#include "RawTlsClient.h"

#include <QDeadlineTimer>
#include <QSslCertificate>
#include <QSslKey>
#include <QTest>

namespace station::test {

QByteArray RawResponse::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

RawTlsClient::RawTlsClient(const crypto::Certificate &trustAnchor, QObject *parent) : QObject(parent)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates({QSslCertificate(trustAnchor.toDer(), QSsl::Der)});
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    m_socket.setSslConfiguration(tls);
}

void RawTlsClient::setClientCertificate(const crypto::Certificate &cert, const crypto::PrivateKey &key)
{
    QSslConfiguration tls = m_socket.sslConfiguration();
    tls.setLocalCertificate(QSslCertificate(cert.toDer(), QSsl::Der));
    auto der = key.toPkcs8Der();
    const QSsl::KeyAlgorithm algorithm = key.algorithmName().startsWith(QStringLiteral("RSA")) ? QSsl::Rsa : QSsl::Ec;
    if (der)
        tls.setPrivateKey(QSslKey(der->borrow(), algorithm, QSsl::Der, QSsl::PrivateKey));
    m_socket.setSslConfiguration(tls);
}

bool RawTlsClient::connectTo(quint16 port, int timeoutMs)
{
    // Waits with the event loop running (never waitForEncrypted): the server may live in this thread.
    m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    QDeadlineTimer deadline(timeoutMs);
    while (!m_socket.isEncrypted() && !deadline.hasExpired() && m_socket.state() != QAbstractSocket::UnconnectedState)
        QTest::qWait(5);
    return m_socket.isEncrypted();
}

void RawTlsClient::send(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.flush();
}

std::optional<RawResponse> RawTlsClient::readResponse(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        m_received += m_socket.readAll();
        const qsizetype headEnd = m_received.indexOf("\r\n\r\n");
        if (headEnd >= 0) {
            RawResponse response;
            const QList<QByteArray> lines = m_received.left(headEnd).split('\n');
            const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
            response.status = statusLine.value(1).toInt();
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    response.headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
            }
            const qsizetype length = response.header("Content-Length").toLongLong();
            if (m_received.size() - headEnd - 4 >= length) {
                response.body = m_received.mid(headEnd + 4, length);
                m_received.remove(0, headEnd + 4 + length);
                return response;
            }
        }
        if (deadline.hasExpired() ||
            (m_socket.state() != QAbstractSocket::ConnectedState && !m_socket.bytesAvailable()))
            return std::nullopt;
        QTest::qWait(5);
    }
}

bool RawTlsClient::waitDisconnected(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket.state() != QAbstractSocket::UnconnectedState && !deadline.hasExpired())
        QTest::qWait(10);
    return m_socket.state() == QAbstractSocket::UnconnectedState;
}

QByteArray RawTlsClient::post(const QByteArray &path, const QByteArray &body, const QByteArray &extraHeaders)
{
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/pkcs10\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n" + extraHeaders + "\r\n" + body;
}

QByteArray RawTlsClient::get(const QByteArray &path)
{
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

} // namespace station::test
