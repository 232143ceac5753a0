// The OAuth2 side of the Lamassu stand-in: a Keycloak-like client-credentials token endpoint and the
// bearer check the API gateway in front of Lamassu performs (Lamassu's services never answer 401/403
// themselves; see shared/reference/LAMASSU.md). Tokens are JWTs (HS256 over a per-run key) carrying exp,
// iat, azp and realm_access.roles, so a client that reads `exp` to refresh early can.
#pragma once

#include "est/HttpMessage.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

namespace station::testing::lamassu {

class TokenIssuer
{
public:
    struct Client {
        QString id;
        QString secret;
        QStringList roles; ///< realm roles put in the token ("pki-admin" is what the gateway asks for)
    };

    /// How the gateway judges an Authorization header.
    enum class Check {
        Valid,
        Missing,   ///< no Authorization header, or not a Bearer one
        Invalid,   ///< not a token this issuer made (or its signature does not verify)
        Expired,   ///< past its exp, or made invalid by expireAll()
        Forbidden, ///< valid, but without the role the gateway requires
    };

    struct Grant {
        est::HttpResponse response;
        bool granted = false;
    };

    TokenIssuer(Client client, int lifetimeSeconds);

    /// The issuer URL put in `iss` (".../auth/realms/lamassu").
    void setIssuerUrl(const QString &url) { m_issuer = url; }
    void setLifetime(int seconds) { m_lifetimeSeconds = seconds; }

    /// The token endpoint: POST application/x-www-form-urlencoded with grant_type=client_credentials and
    /// the client's credentials as form fields or HTTP basic (RFC 6749 §2.3.1, §4.4).
    [[nodiscard]] Grant grant(const est::HttpRequest &request);
    /// A new valid token for the client.
    [[nodiscard]] QByteArray issue();
    [[nodiscard]] Check check(const QByteArray &authorization, const QString &requiredRole) const;
    /// Every token issued so far counts as expired from now on.
    void expireAll();

    /// The gateway's refusal for a failed check (401 with WWW-Authenticate, or 403), Envoy's wording.
    [[nodiscard]] est::HttpResponse refusal(Check check) const;

private:
    struct Issued {
        qint64 expiresAt = 0; ///< seconds since the epoch
        QStringList roles;
    };
    [[nodiscard]] QByteArray sign(const QByteArray &signingInput) const;

    Client m_client;
    int m_lifetimeSeconds;
    QString m_issuer;
    QByteArray m_key; ///< HMAC key, random per run
    QHash<QByteArray, Issued> m_issued;
};

/// Decodes an application/x-www-form-urlencoded body ("a=1&b=x+y") into its fields (first one wins).
[[nodiscard]] QHash<QString, QString> parseForm(const QByteArray &body);

} // namespace station::testing::lamassu
