#include "DmsApi.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>

namespace station::outbound {

Q_LOGGING_CATEGORY(lcDms, "station.dms")

bool DmsAnswer::transient() const
{
    return status == 0 || status == 429 || status == 502 || status == 503 || status == 504;
}

std::optional<QJsonObject> DmsAnswer::json() const
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

QString DmsAnswer::errorText() const
{
    if (auto o = json()) {
        for (const char *key : {"err", "error_description", "error", "message"}) {
            const QJsonValue v = o->value(QLatin1String(key));
            if (v.isString() && !v.toString().isEmpty())
                return v.toString();
        }
    }
    QString text = QString::fromUtf8(body.left(200)).simplified();
    if (body.size() > 200)
        text += QStringLiteral("…");
    return text;
}

QString DmsAnswer::describe() const
{
    if (status == 0)
        return QStringLiteral("no answer: %1")
            .arg(networkError.isEmpty() ? QStringLiteral("connection lost") : networkError);
    const QString text = errorText();
    return text.isEmpty() ? QStringLiteral("HTTP %1").arg(status) : QStringLiteral("HTTP %1: %2").arg(status).arg(text);
}

QSslConfiguration dmsTlsConfiguration(const QList<crypto::Certificate> &anchors)
{
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setProtocol(QSsl::TlsV1_2OrLater);
    ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!anchors.isEmpty()) {
        QList<QSslCertificate> qt;
        for (const crypto::Certificate &c : anchors)
            qt.append(QSslCertificate(c.toDer(), QSsl::Der));
        ssl.setCaCertificates(qt); // only these: as curl --cacert
    }
    return ssl;
}

QString pathSegment(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

DmsApi::DmsApi(DmsEndpoint endpoint, TokenSource *tokens, QObject *parent)
    : QObject(parent), m_endpoint(std::move(endpoint)), m_tls(dmsTlsConfiguration(m_endpoint.trustAnchors)),
      m_tokens(tokens), m_nam(new QNetworkAccessManager(this))
{
    m_nam->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
}

DmsApi::~DmsApi()
{
    abortAll();
}

QUrl DmsApi::urlFor(const QString &path) const
{
    QString base = m_endpoint.baseUrl.toString(QUrl::StripTrailingSlash | QUrl::FullyEncoded);
    return QUrl(base + path, QUrl::StrictMode);
}

void DmsApi::getDms(const QString &dmsId, QObject *context, Callback done)
{
    send("GET", QStringLiteral("/api/dmsmanager/v1/dms/") + pathSegment(dmsId), {}, context, std::move(done), true);
}

void DmsApi::createDevice(const QJsonObject &body, QObject *context, Callback done)
{
    send("POST", QStringLiteral("/api/devmanager/v1/devices"), QJsonDocument(body).toJson(QJsonDocument::Compact),
         context, std::move(done), true);
}

void DmsApi::getDevice(const QString &deviceId, QObject *context, Callback done)
{
    send("GET", QStringLiteral("/api/devmanager/v1/devices/") + pathSegment(deviceId), {}, context, std::move(done),
         true);
}

void DmsApi::abortAll()
{
    const auto replies = m_inFlight;
    for (const QPointer<QNetworkReply> &r : replies)
        if (r)
            r->abort();
}

void DmsApi::send(const QByteArray &method, const QString &path, const QByteArray &body, QObject *context,
                  Callback done, bool mayRefreshToken)
{
    QPointer<QObject> ctx(context);
    m_tokens->token(this, [this, method, path, body, ctx, done = std::move(done),
                           mayRefreshToken](const Result<crypto::SecretBytes> &token) mutable {
        if (!ctx)
            return;
        if (!token) {
            DmsAnswer a;
            a.networkError = token.error().toString();
            a.status = 401; // no token: as good as refused; not worth retrying
            a.body = QJsonDocument(QJsonObject{{QStringLiteral("err"), token.error().message}}).toJson();
            done(a);
            return;
        }
        QNetworkRequest request(urlFor(path));
        request.setSslConfiguration(m_tls);
        request.setTransferTimeout(m_endpoint.timeoutMs);
        request.setRawHeader("Accept", "application/json");
        QByteArray auth;
        auth.reserve(7 + token->size());
        auth.append("Bearer ");
        auth.append(token->view());
        request.setRawHeader("Authorization", auth);
        crypto::wipe(auth);
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *reply = m_nam->sendCustomRequest(request, method, body);
        m_inFlight.append(reply);
        auto sentToken = std::make_shared<crypto::SecretBytes>(token->clone());
        connect(reply, &QNetworkReply::readyRead, reply, [reply] {
            if (reply->bytesAvailable() + reply->pos() > DmsAnswer::kMaxBody)
                reply->abort(); // a body this large is not a DMS answer
        });
        connect(reply, &QNetworkReply::finished, this,
                [this, reply, method, path, body, ctx, done = std::move(done), mayRefreshToken, sentToken]() mutable {
                    m_inFlight.removeAll(reply);
                    reply->deleteLater();
                    DmsAnswer a;
                    a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                    a.body = reply->isOpen() ? reply->read(DmsAnswer::kMaxBody) : QByteArray();
                    if (a.status == 0) {
                        a.networkError = reply->errorString();
                        a.timedOut = reply->error() == QNetworkReply::OperationCanceledError;
                        if (a.timedOut)
                            a.networkError = QStringLiteral("no answer within %1 s").arg(m_endpoint.timeoutMs / 1000.0);
                    }
                    qCDebug(lcDms) << method << path << "->" << a.status << a.networkError;
                    if (a.status == 401 && mayRefreshToken && m_tokens->invalidate(*sentToken)) {
                        // The token expired or was revoked: one more try with a fresh one.
                        send(method, path, body, ctx, std::move(done), false);
                        return;
                    }
                    if (ctx)
                        done(a);
                });
    });
}

} // namespace station::outbound
