#include "TokenSource.h"

#include "DmsApi.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrlQuery>

namespace station::outbound {

FixedTokenSource::FixedTokenSource(crypto::SecretBytes token, QObject *parent)
    : TokenSource(parent), m_token(std::move(token))
{}

void FixedTokenSource::token(QObject *context, Callback done)
{
    QPointer<QObject> ctx(context);
    // Always asynchronous, like a fetched token: callers never re-enter themselves.
    QTimer::singleShot(0, this, [this, ctx, done = std::move(done)] {
        if (!ctx)
            return;
        if (m_token.isEmpty())
            return done(fail(ErrorCode::Authentication, QStringLiteral("The bearer token is empty"), {},
                             QStringLiteral("Put the DMS token in the variable named by --token-env.")));
        if (m_rejected)
            return done(fail(ErrorCode::Authentication,
                             QStringLiteral("The DMS rejected the bearer token (expired or not allowed)"), {},
                             QStringLiteral("Get a new token, or let provctl fetch them itself with --oidc-token-url, "
                                            "--client-id and --client-secret-env.")));
        done(m_token.clone());
    });
}

bool FixedTokenSource::invalidate(const crypto::SecretBytes &)
{
    m_rejected = true;
    return false;
}

OidcTokenSource::OidcTokenSource(OidcClientCredentials settings, QObject *parent)
    : TokenSource(parent), m_settings(std::move(settings)), m_nam(new QNetworkAccessManager(this))
{}

void OidcTokenSource::token(QObject *context, Callback done)
{
    const bool fresh =
        !m_token.isEmpty() && QDateTime::currentDateTimeUtc().secsTo(m_expires) > m_settings.refreshMarginSeconds;
    if (fresh) {
        QPointer<QObject> ctx(context);
        QTimer::singleShot(0, this, [this, ctx, done = std::move(done)] {
            if (ctx && !m_token.isEmpty())
                done(m_token.clone());
            else if (ctx)
                token(ctx, done);
        });
        return;
    }
    m_waiters.append({context, std::move(done)});
    if (!m_fetching)
        fetch();
}

bool OidcTokenSource::invalidate(const crypto::SecretBytes &rejected)
{
    // Only the token that was rejected: a request that used an older one must not drop a newer one.
    if (!m_token.isEmpty() && m_token.view() == rejected.view())
        m_token = crypto::SecretBytes();
    return true;
}

void OidcTokenSource::fetch()
{
    m_fetching = true;
    QNetworkRequest request(m_settings.tokenUrl);
    request.setSslConfiguration(dmsTlsConfiguration(m_settings.trustAnchors));
    request.setTransferTimeout(m_settings.timeoutMs);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    QByteArray form = "grant_type=client_credentials&client_id=" + QUrl::toPercentEncoding(m_settings.clientId) +
                      "&client_secret=" + QUrl::toPercentEncoding(QString::fromUtf8(m_settings.clientSecret.view()));
    if (!m_settings.scope.isEmpty())
        form += "&scope=" + QUrl::toPercentEncoding(m_settings.scope);
    QNetworkReply *reply = m_nam->post(request, form);
    crypto::wipe(form);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        m_fetching = false;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        QByteArray body = reply->read(64 * 1024);
        const QJsonObject o = QJsonDocument::fromJson(body).object();
        crypto::wipe(body);
        const QString where = m_settings.tokenUrl.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
        if (status == 0)
            return deliver(
                fail(ErrorCode::Network,
                     QStringLiteral("The token service %1 did not answer: %2").arg(where, reply->errorString()), {},
                     QStringLiteral("Check --oidc-token-url, the network and --trust.")));
        if (status == 400 || status == 401)
            return deliver(fail(ErrorCode::Authentication,
                                QStringLiteral("The token service refused the client credentials (HTTP %1: %2)")
                                    .arg(status)
                                    .arg(o.value(QStringLiteral("error")).toString()),
                                {}, QStringLiteral("Check --client-id and the secret in --client-secret-env.")));
        const QString access = o.value(QStringLiteral("access_token")).toString();
        if (status != 200 || access.isEmpty())
            return deliver(
                fail(ErrorCode::Http,
                     QStringLiteral("The token service answered HTTP %1 without an access token").arg(status), {},
                     QStringLiteral("Check --oidc-token-url: it must be the OIDC token endpoint.")));
        const int lifetime = o.value(QStringLiteral("expires_in")).toInt(60);
        m_token = crypto::SecretBytes(access.toUtf8());
        m_expires = QDateTime::currentDateTimeUtc().addSecs(qMax(1, lifetime));
        ++m_grants;
        deliver(m_token.clone());
    });
}

void OidcTokenSource::deliver(const Result<crypto::SecretBytes> &result)
{
    const QList<Waiter> waiters = std::exchange(m_waiters, {});
    for (const Waiter &w : waiters) {
        if (!w.context)
            continue;
        if (result)
            w.done(result->clone());
        else
            w.done(fail(result.error()));
    }
}

} // namespace station::outbound
