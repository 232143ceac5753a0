// Where the DMS upload gets its bearer token: a fixed token (from an environment variable), or the OAuth2
// client-credentials grant (RFC 6749 §4.4) against an OIDC provider (Lamassu uses Keycloak), cached until
// shortly before it expires and fetched again when the DMS rejects it (expiry mid-upload). Tokens and the
// client secret are secrets: never logged, wiped when dropped.
#pragma once

#include "Error.h"
#include "crypto/Certificate.h"
#include "crypto/SecretBytes.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace station::outbound {

class TokenSource : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const Result<crypto::SecretBytes> &)>;
    using QObject::QObject;

    /// Calls `done` with a token to send (on the event loop; `context` bounds the callback's lifetime).
    virtual void token(QObject *context, Callback done) = 0;
    /// The DMS rejected `rejected` (401): drop it so that the next token() gets a new one. Returns false
    /// when no new token can be had (a fixed token).
    virtual bool invalidate(const crypto::SecretBytes &rejected) = 0;
};

/// A token given once (provctl --token-env VAR).
class FixedTokenSource : public TokenSource
{
    Q_OBJECT
public:
    explicit FixedTokenSource(crypto::SecretBytes token, QObject *parent = nullptr);
    void token(QObject *context, Callback done) override;
    bool invalidate(const crypto::SecretBytes &rejected) override;

private:
    crypto::SecretBytes m_token;
    bool m_rejected = false;
};

struct OidcClientCredentials {
    QUrl tokenUrl; ///< https://…/realms/<realm>/protocol/openid-connect/token
    QString clientId;
    crypto::SecretBytes clientSecret;
    QString scope;                           ///< optional
    QList<crypto::Certificate> trustAnchors; ///< empty: the system store
    int timeoutMs = 15000;
    int refreshMarginSeconds = 30; ///< fetch a new token this long before the old one expires
};

class OidcTokenSource : public TokenSource
{
    Q_OBJECT
public:
    explicit OidcTokenSource(OidcClientCredentials settings, QObject *parent = nullptr);
    void token(QObject *context, Callback done) override;
    bool invalidate(const crypto::SecretBytes &rejected) override;
    /// Tokens fetched so far (a refresh mid-upload shows 2).
    [[nodiscard]] int grants() const { return m_grants; }

private:
    void fetch();
    void deliver(const Result<crypto::SecretBytes> &result);

    OidcClientCredentials m_settings;
    QNetworkAccessManager *m_nam;
    crypto::SecretBytes m_token;
    QDateTime m_expires;
    bool m_fetching = false;
    int m_grants = 0;
    struct Waiter {
        QPointer<QObject> context;
        Callback done;
    };
    QList<Waiter> m_waiters;
};

} // namespace station::outbound
