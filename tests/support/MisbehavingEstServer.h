// A scriptable HTTP/1.1-over-TLS server for the EST client tests: by default a correct, minimal EST
// server (cacerts, simpleenroll, simplereenroll, serverkeygen as Lamassu answers; csrattrs 404), and for
// each operation a queue of scripted answers that misbehave at the HTTP or transport level: any status,
// headers and body; drop the connection; stall; dribble bytes slowly; cut the body short. It records every
// request and counts TLS handshakes, so tests can assert what the client sent and that it kept alive.
#pragma once

#include "TestPki.h"

#include "est/HttpMessage.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QSslServer>
#include <QUrl>

#include <functional>

class QSslSocket;

namespace station::test {

struct ScriptedAnswer {
    enum class Action {
        Respond, ///< send status/headers/body (Content-Length added)
        Drop,    ///< abort the connection (reset) without answering
        Close,   ///< close the connection in an orderly way (TLS close_notify, FIN) without answering
        Stall,   ///< never answer
        Slow,    ///< send the answer `slowChunk` bytes every `slowIntervalMs`
        Truncate ///< send headers claiming the full length, then `truncateAt` body bytes, then close
    };
    Action action = Action::Respond;
    int status = 200;
    est::HttpHeaders headers;
    QByteArray body;
    int slowChunk = 8;
    int slowIntervalMs = 100;
    qsizetype truncateAt = 0;

    static ScriptedAnswer respond(int status, QByteArray contentType, QByteArray body, est::HttpHeaders extra = {});
    static ScriptedAnswer of(Action action);
};

class MisbehavingEstServer : public QObject
{
    Q_OBJECT
public:
    explicit MisbehavingEstServer(QObject *parent = nullptr);
    ~MisbehavingEstServer() override;

    /// Creates the PKI and listens on 127.0.0.1 (port 0 = any free one).
    [[nodiscard]] Result<void> start(quint16 port = 0);
    [[nodiscard]] quint16 port() const;
    /// https://127.0.0.1:<port>/.well-known/est[/<label>]
    [[nodiscard]] QUrl baseUrl(const QString &label = {}) const;

    /// The CA that signs the TLS server certificate and every issued certificate.
    [[nodiscard]] const TestPki &pki() const { return *m_pki; }
    /// Replaces the server's TLS certificate (e.g. an expired one, or one for another host name).
    void setServerIdentity(const TestPki::Identity &identity);
    /// Restricts the TLS versions the server accepts (default: TLS 1.2 or later).
    void setTlsProtocol(QSsl::SslProtocol protocol);

    /// The next request for `operation` ("simpleenroll", ...) gets `answer` instead of the default.
    void enqueue(const QString &operation, const ScriptedAnswer &answer);
    /// When set, answers every unscripted request instead of the built-in EST behaviour.
    void setHandler(std::function<ScriptedAnswer(const est::HttpRequest &)> handler) { m_handler = std::move(handler); }
    /// The built-in correct EST answer for a request.
    [[nodiscard]] ScriptedAnswer defaultAnswer(const est::HttpRequest &request) const;

    struct Received {
        est::HttpRequest request;
        QList<QSslCertificate> clientChain;
        quint64 connection = 0;
    };
    [[nodiscard]] const QList<Received> &received() const { return m_received; }
    /// Complete requests received with this method whose path ends in "/<operation>".
    [[nodiscard]] int count(const QByteArray &method, const QString &operation) const;
    /// Request lines ("POST /.../simpleenroll HTTP/1.1") seen on the wire, complete requests or not: a
    /// resend cut short after its headers still counts.
    [[nodiscard]] int requestLinesSeen(const QByteArray &method, const QString &operation) const;
    [[nodiscard]] int handshakes() const { return m_handshakes; }
    [[nodiscard]] int connections() const { return m_connections; }

signals:
    void requestReceived(const QString &operation);

private:
    struct Connection;
    void onNewConnection();
    void onReadyRead(Connection *c);
    void act(Connection *c, const ScriptedAnswer &answer, bool keepAlive);
    void reconfigure();

    QSslServer m_server;
    std::unique_ptr<TestPki> m_pki;
    TestPki::Identity m_identity;
    QSsl::SslProtocol m_protocol = QSsl::TlsV1_2OrLater;
    QMap<QString, QQueue<ScriptedAnswer>> m_scripts;
    std::function<ScriptedAnswer(const est::HttpRequest &)> m_handler;
    QList<Received> m_received;
    QByteArray m_wire; ///< everything clients sent, for requestLinesSeen()
    int m_handshakes = 0;
    int m_connections = 0;
    quint64 m_nextConnection = 1;
};

} // namespace station::test
