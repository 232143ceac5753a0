#include "TrustSetup.h"

#include "FileUtil.h"

#include "est/EstClient.h"
#include "est/EstReply.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace station::provisioning {

TrustSetup::TrustSetup(ProductProfile profile, QString trustDir, QObject *parent)
    : QObject(parent), m_profile(std::move(profile)), m_trustDir(std::move(trustDir))
{}

TrustSetup::~TrustSetup()
{
    delete m_reply.data();
}

QString TrustSetup::defaultTrustDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/trust");
}

QString TrustSetup::anchorPathFor(const QUrl &estUrl, const QString &trustDir)
{
    const QByteArray key = estUrl.adjusted(QUrl::StripTrailingSlash | QUrl::NormalizePathSegments).toEncoded();
    const QString id = QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(16));
    QString host = estUrl.host();
    host.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9.-]")), QStringLiteral("_"));
    return QDir(trustDir).filePath(QStringLiteral("%1-%2.pem").arg(host, id));
}

ProductProfile TrustSetup::withConfirmedTrust(ProductProfile profile, const QString &trustDir)
{
    if (profile.est.trust != TrustSource::Bootstrap || trustDir.isEmpty())
        return profile;
    const QString path = anchorPathFor(profile.est.url, trustDir);
    if (!QFileInfo::exists(path))
        return profile;
    profile.est.trust = TrustSource::File;
    profile.est.trustFile = path;
    return profile;
}

bool TrustSetup::needsBootstrap(const ProductProfile &profile, const QString &trustDir)
{
    return withConfirmedTrust(profile, trustDir).est.trust == TrustSource::Bootstrap;
}

void TrustSetup::fetch()
{
    if (m_reply)
        return;
    m_fetched.clear();
    m_trusted = false;
    if (!m_client) {
        est::EstClientConfig c;
        c.baseUrl = m_profile.est.url;
        c.auth = est::EstAuthMode::None; // the bootstrap request carries no credentials anyway
        c.requestTimeout = m_profile.est.requestTimeout;
        if (auto valid = est::EstClient::validate(c); !valid) {
            emit failed(valid.error());
            return;
        }
        m_client = new est::EstClient(std::move(c), this);
    }
    m_reply = m_client->fetchCaCertsForBootstrap();
    connect(m_reply, &est::EstReply::finished, this, [this] {
        est::EstReply *reply = m_reply;
        m_reply = nullptr;
        reply->deleteLater();
        if (!reply->isSuccess()) {
            emit failed(reply->error().withContext(tr("Fetching the CA certificates for the trust setup")));
            return;
        }
        m_fetched = reply->caCertificates();
        if (m_fetched.isEmpty()) {
            emit failed(Error(ErrorCode::Parse, tr("The EST server sent no CA certificate"), {},
                              tr("Check the EST URL in the profile with the server's operator.")));
            return;
        }
        emit fetched();
    });
}

bool TrustSetup::isFetching() const
{
    return !m_reply.isNull();
}

bool TrustSetup::matchesFetched(const QString &fingerprint) const
{
    const QString wanted = est::TrustBootstrap::normalizeFingerprint(fingerprint);
    if (wanted.isEmpty())
        return false;
    for (const crypto::Certificate &c : m_fetched) {
        if (c.fingerprintSha256() == wanted)
            return true;
    }
    return false;
}

bool TrustSetup::profilePinMatches() const
{
    return m_profile.est.trust == TrustSource::Bootstrap && matchesFetched(m_profile.est.bootstrapFingerprint);
}

Result<est::BootstrapDecision> TrustSetup::confirm(const QString &fingerprint)
{
    if (m_fetched.isEmpty())
        return fail(ErrorCode::InvalidArgument, tr("Nothing has been fetched from the EST server yet"), {},
                    tr("Fetch the CA certificates first."));
    auto decision = est::TrustBootstrap::accept(m_fetched, fingerprint);
    if (!decision)
        return fail(decision.error());
    QByteArray pem;
    for (const crypto::Certificate &c : decision->accepted)
        pem += c.toPem();
    if (auto written = writeFileAtomically(anchorPath(), pem); !written)
        return fail(written.error());
    m_trusted = true;
    return decision;
}

} // namespace station::provisioning
