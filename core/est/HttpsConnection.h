// One accepted TLS connection of HttpsServer: feeds the request parser, hands complete requests to the
// server one at a time (answers go out in request order), writes responses, enforces the idle timeout.
#pragma once

#include "HttpRequestParser.h"
#include "HttpsServer.h"

#include <QObject>
#include <QTimer>

QT_BEGIN_NAMESPACE
class QSslSocket;
QT_END_NAMESPACE

namespace station::est {

class HttpsConnection : public QObject
{
    Q_OBJECT
public:
    HttpsConnection(HttpsServer *server, QSslSocket *socket, HttpsServer::Peer peer, HttpRequestParser::Limits limits,
                    int idleTimeoutMs);
    ~HttpsConnection() override;

    [[nodiscard]] const HttpsServer::Peer &peer() const { return m_peer; }
    void respond(quint64 requestNumber, const HttpResponse &response);
    void closeNow();

Q_SIGNALS:
    void finished();

private:
    void onReadyRead();
    void processNext();
    void finishAfterWrite();

    HttpsServer *m_server;
    QSslSocket *m_socket;
    HttpsServer::Peer m_peer;
    HttpRequestParser m_parser;
    QTimer m_idle;
    quint64 m_requestCounter = 0;
    quint64 m_awaiting = 0; ///< request number whose answer is pending, 0 = none
    HttpRequest m_pendingRequest;
    bool m_keepAlive = true;
    bool m_closing = false;
};

} // namespace station::est
