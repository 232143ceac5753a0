#include "EstSetup.h"

#include "FileUtil.h"

#include "est/ClientIdentity.h"
#include "est/EstClient.h"
#include "est/EstReply.h"
#include "est/TrustBootstrap.h"

#include <QScopeGuard>

namespace station::provisioning {

namespace {

/// Connections to one EST server: one per slot of a large bench (beyond that, requests queue).
constexpr int kConnectionsPerStation = 16;

Result<crypto::SecretBytes> secret(const QString &env, bool ask, const QString &what, const SecretPrompt &askSecret)
{
    if (!env.isEmpty())
        return crypto::secretFromEnvironment(env, what);
    if (ask) {
        if (!askSecret)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("The profile asks for the %1, and nobody can "
                                       "answer here")
                            .arg(what),
                        {}, QStringLiteral("Run interactively, or name an environment variable in the profile."));
        return askSecret(what);
    }
    return crypto::SecretBytes();
}

Result<QList<crypto::Certificate>> certificates(const QString &path, const QString &what)
{
    auto bytes = readFileBounded(path, 4 * 1024 * 1024);
    if (!bytes)
        return fail(bytes.error());
    auto certs = crypto::Certificate::listFromAny(*bytes);
    if (!certs)
        return fail(certs.error().withContext(QStringLiteral("The %1 %2").arg(what, path)));
    return certs;
}

} // namespace

EstSetup::EstSetup(const ProductProfile &profile, SecretPrompt askSecret, QObject *parent)
    : QObject(parent), m_profile(profile), m_askSecret(std::move(askSecret))
{}

EstSetup::~EstSetup() = default;

Result<est::EstClientConfig> EstSetup::clientConfig(const ProductProfile &profile, const QUrl &baseUrl,
                                                    const SecretPrompt &askSecret)
{
    const EstSettings &e = profile.est;
    est::EstClientConfig c;
    c.baseUrl = baseUrl;
    if (e.trust == TrustSource::File) {
        auto anchors = certificates(e.trustFile, QStringLiteral("trust anchor file"));
        if (!anchors)
            return fail(anchors.error());
        c.trustAnchors = *anchors;
    }
    c.useSystemTrustStore = e.trust == TrustSource::System;
    switch (e.auth) {
    case AuthMode::ClientCertificate: {
        auto pass =
            secret(e.passphraseEnv, e.askPassphrase, QStringLiteral("passphrase of the station's EST key"), askSecret);
        if (!pass)
            return fail(pass.error());
        auto identity = e.clientP12.isEmpty() ? est::ClientIdentity::fromFiles(e.clientCert, e.clientKey, *pass)
                                              : est::ClientIdentity::fromPkcs12File(e.clientP12, *pass);
        if (!identity)
            return fail(identity.error());
        c.clientIdentity = *identity;
        c.auth = est::EstAuthMode::ClientCertificate;
        break;
    }
    case AuthMode::Basic: {
        auto pass = secret(e.passwordEnv, e.askPassphrase, QStringLiteral("EST password"), askSecret);
        if (!pass)
            return fail(pass.error());
        c.user = e.user;
        c.password = std::move(*pass);
        c.auth = est::EstAuthMode::Basic;
        break;
    }
    case AuthMode::None: c.auth = est::EstAuthMode::None; break;
    }
    c.requestTimeout = e.requestTimeout;
    c.retryDeadline = e.pendingDeadline;
    c.maxRetries = 1000; // bounded by the deadline
    // Slots run at once: each may have its request in flight instead of queueing behind Qt's six
    // connections per host.
    c.maxConnections = kConnectionsPerStation;
    if (auto valid = est::EstClient::validate(c); !valid)
        return fail(valid.error());
    return c;
}

namespace {

/// What the profile asks a person for at station start, or empty when nothing.
QString askedSecret(const ProductProfile &profile)
{
    const EstSettings &e = profile.est;
    if (!e.askPassphrase)
        return {};
    if (e.auth == AuthMode::ClientCertificate && e.passphraseEnv.isEmpty())
        return QObject::tr("passphrase of the station's EST key");
    if (e.auth == AuthMode::Basic && e.passwordEnv.isEmpty())
        return QObject::tr("EST password");
    return {};
}

} // namespace

void EstSetup::provideSecret(crypto::SecretBytes secret)
{
    m_provided = std::move(secret);
    prepare();
}

void EstSetup::prepare()
{
    const QString asked = askedSecret(m_profile);
    if (!asked.isEmpty() && !m_askSecret && !m_provided) {
        emit secretNeeded(asked);
        return;
    }
    // An answer given through provideSecret() serves every client made now, then is wiped.
    SecretPrompt prompt = m_askSecret;
    if (m_provided)
        prompt = [this](const QString &) -> Result<crypto::SecretBytes> { return m_provided->clone(); };
    auto wipeAnswer = qScopeGuard([this] { m_provided.reset(); });
    prepareWith(prompt);
}

void EstSetup::prepareWith(const SecretPrompt &prompt)
{
    auto config = clientConfig(m_profile, m_profile.est.url, prompt);
    if (!config) {
        emit failed(config.error());
        return;
    }
    if (!m_profile.inject.trustAnchorsFile.isEmpty()) {
        auto inject = certificates(m_profile.inject.trustAnchorsFile, QStringLiteral("trust anchors to inject"));
        if (!inject) {
            emit failed(inject.error());
            return;
        }
        m_inject = *inject;
    }
    m_client = new est::EstClient(std::move(*config), this);
    if (!m_profile.est.certAuthUrl.isEmpty()) {
        auto enrollConfig = clientConfig(m_profile, m_profile.est.certAuthUrl, prompt);
        if (!enrollConfig) {
            emit failed(enrollConfig.error());
            return;
        }
        m_enrollClient = new est::EstClient(std::move(*enrollConfig), this);
    }
    if (m_profile.inject.bootstrap.enabled && !m_profile.inject.bootstrap.estUrl.isEmpty()) {
        auto bootstrapConfig = clientConfig(m_profile, m_profile.inject.bootstrap.estUrl, prompt);
        if (!bootstrapConfig) {
            emit failed(bootstrapConfig.error());
            return;
        }
        m_bootstrapClient = new est::EstClient(std::move(*bootstrapConfig), this);
    }
    if (m_profile.est.trust != TrustSource::Bootstrap) {
        fetchCaCerts();
        return;
    }
    emit status(tr("Bootstrapping trust from %1").arg(m_profile.est.url.toDisplayString()));
    est::EstReply *reply = m_client->fetchCaCertsForBootstrap();
    connect(reply, &est::EstReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (!reply->isSuccess()) {
            emit failed(reply->error().withContext(QStringLiteral("The RFC 7030 bootstrap")));
            return;
        }
        auto decision = est::TrustBootstrap::accept(reply->caCertificates(), m_profile.est.bootstrapFingerprint);
        if (!decision) {
            emit failed(decision.error());
            return;
        }
        for (est::EstClient *c : {m_client, m_enrollClient, m_bootstrapClient}) {
            if (c)
                c->setTrustAnchors(decision->accepted);
        }
        fetchCaCerts();
    });
}

void EstSetup::fetchCaCerts()
{
    emit status(tr("Fetching the CA certificates from %1").arg(m_profile.est.url.toDisplayString()));
    est::EstReply *reply = m_client->fetchCaCerts();
    connect(reply, &est::EstReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (!reply->isSuccess()) {
            emit failed(reply->error().withContext(QStringLiteral("Fetching the CA certificates")));
            return;
        }
        m_caCertificates = reply->caCertificates();
        if (m_enrollClient)
            m_enrollClient->setCaCertificates(m_caCertificates);
        if (m_inject.isEmpty())
            m_inject = m_caCertificates;
        emit ready();
    });
}

} // namespace station::provisioning
