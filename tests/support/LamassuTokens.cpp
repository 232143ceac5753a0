#include "LamassuTokens.h"

#include "LamassuHttp.h"

#include "crypto/Encoding.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QUrl>
#include <QUuid>

#include <openssl/crypto.h>

namespace station::testing::lamassu {

using crypto::Encoding;

namespace {

QString formDecode(QByteArray text)
{
    text.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(text));
}

est::HttpResponse oauthError(int status, const QString &error, const QString &description)
{
    return ginJson(status,
                   QJsonObject{{QStringLiteral("error"), error}, {QStringLiteral("error_description"), description}});
}

bool sameSecret(const QByteArray &a, const QByteArray &b)
{
    return a.size() == b.size() && CRYPTO_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

} // namespace

QHash<QString, QString> parseForm(const QByteArray &body)
{
    QHash<QString, QString> fields;
    for (const QByteArray &pair : body.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        const QString name = formDecode(eq < 0 ? pair : pair.left(eq));
        const QString value = eq < 0 ? QString() : formDecode(pair.mid(eq + 1));
        if (!fields.contains(name))
            fields.insert(name, value);
    }
    return fields;
}

TokenIssuer::TokenIssuer(Client client, int lifetimeSeconds)
    : m_client(std::move(client)), m_lifetimeSeconds(lifetimeSeconds)
{
    m_key.resize(32);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(m_key.data()), m_key.size() / 4);
}

TokenIssuer::Grant TokenIssuer::grant(const est::HttpRequest &request)
{
    if (request.method != "POST")
        return {est::HttpResponse(405, "text/plain", "HTTP 405 Method Not Allowed"), false};
    // Keycloak reads only a form body; anything else leaves every parameter missing.
    const bool isForm = est::mediaType(request.header("Content-Type")) == "application/x-www-form-urlencoded";
    const QHash<QString, QString> form = isForm ? parseForm(request.body) : QHash<QString, QString>{};
    const QString grantType = form.value(QStringLiteral("grant_type"));
    if (grantType.isEmpty())
        return {
            oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("Missing form parameter: grant_type")),
            false};

    // Client authentication: HTTP basic (client_secret_basic, each part form-encoded) or form fields
    // (client_secret_post).
    QString clientId = form.value(QStringLiteral("client_id"));
    QString clientSecret = form.value(QStringLiteral("client_secret"));
    const QByteArray authorization = request.header("Authorization");
    if (authorization.size() > 6 && authorization.left(6).compare("Basic ", Qt::CaseInsensitive) == 0) {
        const QByteArray decoded = QByteArray::fromBase64(authorization.mid(6).trimmed());
        const qsizetype colon = decoded.indexOf(':');
        if (colon > 0) {
            clientId = formDecode(decoded.left(colon));
            clientSecret = formDecode(decoded.mid(colon + 1));
        }
    }
    if (clientId != m_client.id || !sameSecret(clientSecret.toUtf8(), m_client.secret.toUtf8()))
        return {oauthError(401, QStringLiteral("invalid_client"),
                           QStringLiteral("Invalid client or Invalid client credentials")),
                false};
    if (grantType != QLatin1String("client_credentials"))
        return {oauthError(400, QStringLiteral("unsupported_grant_type"), QStringLiteral("Unsupported grant_type")),
                false};

    const QByteArray token = issue();
    const QJsonObject answer{{QStringLiteral("access_token"), QString::fromLatin1(token)},
                             {QStringLiteral("expires_in"), m_lifetimeSeconds},
                             {QStringLiteral("refresh_expires_in"), 0},
                             {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                             {QStringLiteral("not-before-policy"), 0},
                             {QStringLiteral("scope"), QStringLiteral("profile email")}};
    est::HttpResponse response = ginJson(200, answer);
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Pragma", "no-cache");
    return {response, true};
}

QByteArray TokenIssuer::sign(const QByteArray &signingInput) const
{
    return QMessageAuthenticationCode::hash(signingInput, m_key, QCryptographicHash::Sha256);
}

QByteArray TokenIssuer::issue()
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("HS256")},
                             {QStringLiteral("typ"), QStringLiteral("JWT")},
                             {QStringLiteral("kid"), QStringLiteral("lamassu-stand-in")}};
    const QJsonObject payload{
        {QStringLiteral("exp"), now + m_lifetimeSeconds},
        {QStringLiteral("iat"), now},
        {QStringLiteral("jti"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
        {QStringLiteral("iss"), m_issuer},
        {QStringLiteral("aud"), QStringLiteral("account")},
        {QStringLiteral("sub"), QUuid::createUuidV5(QUuid(), m_client.id).toString(QUuid::WithoutBraces)},
        {QStringLiteral("typ"), QStringLiteral("Bearer")},
        {QStringLiteral("azp"), m_client.id},
        {QStringLiteral("clientId"), m_client.id},
        {QStringLiteral("scope"), QStringLiteral("profile email")},
        {QStringLiteral("realm_access"),
         QJsonObject{{QStringLiteral("roles"), QJsonArray::fromStringList(m_client.roles)}}}};
    const QByteArray input = Encoding::encodeBase64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
                             Encoding::encodeBase64Url(QJsonDocument(payload).toJson(QJsonDocument::Compact));
    const QByteArray token = input + '.' + Encoding::encodeBase64Url(sign(input));
    m_issued.insert(token, Issued{now + m_lifetimeSeconds, m_client.roles});
    return token;
}

TokenIssuer::Check TokenIssuer::check(const QByteArray &authorization, const QString &requiredRole) const
{
    if (authorization.size() <= 7 || authorization.left(7).compare("Bearer ", Qt::CaseInsensitive) != 0)
        return Check::Missing;
    const QByteArray token = authorization.mid(7).trimmed();
    const qsizetype dot = token.lastIndexOf('.');
    if (dot <= 0 || Encoding::encodeBase64Url(sign(token.left(dot))) != token.mid(dot + 1))
        return Check::Invalid;
    const auto it = m_issued.constFind(token);
    if (it == m_issued.constEnd())
        return Check::Invalid;
    if (it->expiresAt <= QDateTime::currentSecsSinceEpoch())
        return Check::Expired;
    if (!requiredRole.isEmpty() && !it->roles.contains(requiredRole))
        return Check::Forbidden;
    return Check::Valid;
}

void TokenIssuer::expireAll()
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    for (Issued &issued : m_issued)
        issued.expiresAt = qMin(issued.expiresAt, now);
}

est::HttpResponse TokenIssuer::refusal(Check check) const
{
    // What Envoy's jwt_authn and RBAC filters answer in front of Lamassu.
    auto unauthorized = [this](const QByteArray &message, bool invalidToken) {
        est::HttpResponse response(401, "text/plain", message);
        QByteArray challenge = "Bearer realm=\"" + m_issuer.toUtf8() + "\"";
        if (invalidToken)
            challenge += ", error=\"invalid_token\"";
        response.setHeader("WWW-Authenticate", challenge);
        return response;
    };
    switch (check) {
    case Check::Missing: return unauthorized("Jwt is missing", false);
    case Check::Invalid: return unauthorized("Jwt verification fails", true);
    case Check::Expired: return unauthorized("Jwt is expired", true);
    case Check::Forbidden: return est::HttpResponse(403, "text/plain", "RBAC: access denied");
    case Check::Valid: break;
    }
    return est::HttpResponse(500, "text/plain", "no refusal for a valid token");
}

} // namespace station::testing::lamassu
