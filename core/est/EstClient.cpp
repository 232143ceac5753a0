#include "EstClient.h"

#include "EstClientLogging.h"

#include "crypto/Encoding.h"

#include <openssl/evp.h>

#include <QMetaObject>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QSslKey>

#include <algorithm>

namespace station::est {

Q_LOGGING_CATEGORY(lcEstClient, "station.est.client")

namespace {

/// Asks the platform for each request (http_proxy / https_proxy / no_proxy on Linux), so the station
/// honours the system proxy without touching the application-wide proxy setting.
class SystemProxyFactory : public QNetworkProxyFactory
{
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override
    {
        return QNetworkProxyFactory::systemProxyForQuery(query);
    }
};

QSslCertificate toQt(const crypto::Certificate &c)
{
    return QSslCertificate(c.toDer(), QSsl::Der);
}

} // namespace

EstClient::EstClient(EstClientConfig config, QObject *parent) : QObject(parent), m_config(std::move(config))
{
    setCaCertificates(m_config.caCertificates);
    // validate() refuses a configuration below 1; the client itself never has fewer than one pool.
    const int pools = std::max(1, (m_config.maxConnections + EstClientConfig::kQtConnectionsPerManager - 1) /
                                      EstClientConfig::kQtConnectionsPerManager);
    for (int i = 0; i < pools; ++i)
        m_nams.append(createNetworkAccessManager(this));
}

EstClient::~EstClient()
{
    // Replies belong to their callers and may outlive the client: cut them loose before the network
    // access manager (and with it every QNetworkReply) goes away. The prefetch is the client's own.
    delete m_caFetch.data();
    m_caWaiters.clear();
    const QList<QPointer<EstReply>> replies = std::exchange(m_replies, {});
    for (const QPointer<EstReply> &reply : replies) {
        if (reply)
            reply->detachFromClient();
    }
}

void EstClient::cancelAll()
{
    const QList<QPointer<EstReply>> replies = m_replies;
    for (const QPointer<EstReply> &reply : replies) {
        if (reply)
            reply->cancel();
    }
}

Result<void> EstClient::validate(const EstClientConfig &config)
{
    const QUrl &url = config.baseUrl;
    if (!url.isValid() || url.host().isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("'%1' is not a valid EST URL").arg(url.toString()), {},
                    QStringLiteral("Give a URL like https://host:8443/.well-known/est or "
                                   "https://host/.well-known/est/<dms-id>"));
    if (url.scheme() != QLatin1String("https"))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("EST needs https; '%1' uses %2").arg(url.toString(), url.scheme()), {},
                    QStringLiteral("Use an https:// URL (RFC 7030 runs over TLS only)"));
    if (url.hasQuery() || url.hasFragment())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The EST URL must not have a query or fragment"));
    switch (config.auth) {
    case EstAuthMode::ClientCertificate:
        if (config.clientIdentity.isNull())
            return fail(ErrorCode::InvalidArgument, QStringLiteral("Client-certificate authentication needs a "
                                                                   "certificate and its key"));
        break;
    case EstAuthMode::Basic:
        if (config.user.isEmpty())
            return fail(ErrorCode::InvalidArgument, QStringLiteral("HTTP basic authentication needs a user name"));
        if (config.user.contains(QLatin1Char(':')))
            return fail(ErrorCode::InvalidArgument, QStringLiteral("An HTTP basic user name cannot contain ':'"));
        break;
    case EstAuthMode::None: break;
    }
    if (config.maxConnections < 1 || config.maxConnections > 1024)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The connection limit must be from 1 to 1024"));
    if (config.maxRetries < 0 || config.requestTimeout.count() <= 0)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("Retry limit and timeout must be positive"));
    return {};
}

QUrl EstClient::operationUrl(EstOperation op) const
{
    QUrl url = m_config.baseUrl;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QLatin1Char('/') + estOperationPath(op));
    return url;
}

QDateTime EstClient::now() const
{
    return m_config.clock ? m_config.clock() : QDateTime::currentDateTimeUtc();
}

QNetworkAccessManager *EstClient::createNetworkAccessManager(QObject *parent) const
{
    auto *nam = new QNetworkAccessManager(parent);
    switch (m_config.proxyMode) {
    case EstProxyMode::System: nam->setProxyFactory(new SystemProxyFactory); break;
    case EstProxyMode::None: nam->setProxy(QNetworkProxy::NoProxy); break;
    case EstProxyMode::Explicit: nam->setProxy(m_config.explicitProxy); break;
    }
    // Credentials must not follow a redirect to another host.
    nam->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
    return nam;
}

const QSslConfiguration &EstClient::sslConfiguration(ServerCheck check) const
{
    std::optional<QSslConfiguration> &cached = check == ServerCheck::Verified ? m_sslVerified : m_sslUnverified;
    if (!cached)
        cached = buildSslConfiguration(check);
    return *cached;
}

QNetworkAccessManager *EstClient::leastBusyNetworkAccessManager() const
{
    if (m_nams.size() == 1)
        return m_nams.first();
    // Operations are few (a batch keeps --jobs in flight): counting them beats bookkeeping on every path
    // an operation can end by.
    QList<int> busy(m_nams.size(), 0);
    for (const QPointer<EstReply> &reply : m_replies) {
        if (!reply || reply->isFinished() || !reply->m_nam)
            continue;
        const qsizetype index = m_nams.indexOf(reply->m_nam);
        if (index >= 0)
            ++busy[index];
    }
    return m_nams[std::min_element(busy.cbegin(), busy.cend()) - busy.cbegin()];
}

QSslConfiguration EstClient::buildSslConfiguration(ServerCheck check) const
{
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setProtocol(m_config.tlsFloor == EstTlsFloor::Tls13 ? QSsl::TlsV1_3OrLater : QSsl::TlsV1_2OrLater);
    ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
    QList<QSslCertificate> anchors;
    for (const crypto::Certificate &c : m_config.trustAnchors)
        anchors.append(toQt(c));
    if (m_config.useSystemTrustStore)
        anchors += QSslConfiguration::systemCaCertificates();
    // Replacing the CA list also switches off Qt's on-demand loading of the system store.
    ssl.setCaCertificates(anchors);
    // The client certificate identifies the station (or the unit, for re-enroll): only to a verified server.
    if (check == ServerCheck::Verified && !m_config.clientIdentity.isNull()) {
        QList<QSslCertificate> chain{toQt(m_config.clientIdentity.certificate)};
        for (const crypto::Certificate &c : m_config.clientIdentity.chain)
            chain.append(toQt(c));
        ssl.setLocalCertificateChain(chain);
        // An opaque key hands the EVP_PKEY to Qt's OpenSSL backend directly: no PEM round trip, any
        // algorithm OpenSSL supports (Ed25519 too). QSslKey takes ownership of one reference.
        EVP_PKEY *pkey = m_config.clientIdentity.key.native();
        EVP_PKEY_up_ref(pkey);
        ssl.setPrivateKey(QSslKey(reinterpret_cast<Qt::HANDLE>(pkey), QSsl::PrivateKey));
    }
    return ssl;
}

QNetworkRequest EstClient::buildRequest(EstOperation op, ServerCheck check) const
{
    QNetworkRequest request(operationUrl(op));
    request.setSslConfiguration(sslConfiguration(check));
    // RFC 7030 is HTTP/1.1; keeping to it keeps --verbose output and server behaviour predictable.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setTransferTimeout(int(m_config.requestTimeout.count()));
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("provisioning-station-est/1"));
    if (estOperationSendsCsr(op)) {
        request.setRawHeader("Content-Type", "application/pkcs10");
        request.setRawHeader("Content-Transfer-Encoding", "base64");
    }
    // RFC 7030 §3.2.3: an HTTP-basic passcode only over TLS whose server certificate verified; the
    // §4.1.1 bootstrap talks to a server nobody verified yet.
    if (check == ServerCheck::Verified && m_config.auth == EstAuthMode::Basic) {
        crypto::SecretBytes credentials(m_config.user.toUtf8() + ':' + m_config.password.borrow());
        QByteArray header = "Basic " + credentials.borrow().toBase64();
        request.setRawHeader("Authorization", header);
        crypto::wipe(header);
    }
    return request;
}

bool EstClient::carriesCredentials(const QNetworkRequest &request)
{
    return request.hasRawHeader("Authorization") || !request.sslConfiguration().localCertificate().isNull() ||
           !request.sslConfiguration().privateKey().isNull();
}

EstReply *EstClient::create(EstOperation op, const crypto::CertificateRequest *csr, bool bootstrap)
{
    QByteArray der, spki;
    QString cn;
    if (csr) {
        der = csr->toDer();
        spki = csr->publicKeyDer();
        cn = csr->subject().commonName();
    }
    auto *reply = new EstReply(this, op, der, spki, cn, bootstrap);
    m_replies.removeAll(QPointer<EstReply>());
    m_replies.append(reply);
    QMetaObject::invokeMethod(reply, &EstReply::start, Qt::QueuedConnection);
    return reply;
}

EstReply *EstClient::fetchCaCerts()
{
    return create(EstOperation::CaCerts, nullptr);
}

EstReply *EstClient::fetchCaCertsForBootstrap()
{
    return create(EstOperation::CaCerts, nullptr, true);
}

EstReply *EstClient::fetchCsrAttrs()
{
    return create(EstOperation::CsrAttrs, nullptr);
}

EstReply *EstClient::simpleEnroll(const crypto::CertificateRequest &csr)
{
    return create(EstOperation::SimpleEnroll, &csr);
}

EstReply *EstClient::simpleReenroll(const crypto::CertificateRequest &csr)
{
    return create(EstOperation::SimpleReenroll, &csr);
}

EstReply *EstClient::serverKeygen(const crypto::CertificateRequest &csr)
{
    return create(EstOperation::ServerKeygen, &csr);
}

void EstClient::setTrustAnchors(const QList<crypto::Certificate> &anchors)
{
    m_config.trustAnchors = anchors;
    m_sslVerified.reset();
    m_sslUnverified.reset();
    // Connections made under the old anchors must not carry requests made under the new ones.
    for (QNetworkAccessManager *nam : std::as_const(m_nams))
        nam->clearConnectionCache();
}

void EstClient::setCaCertificates(const QList<crypto::Certificate> &certificates)
{
    m_caCertificates = certificates;
    m_caVerifier = crypto::ChainVerifier(m_caCertificates);
}

void EstClient::withCaCertificates(QObject *context,
                                   std::function<void(const Result<QList<crypto::Certificate>> &)> done)
{
    if (!m_caCertificates.isEmpty()) {
        done(m_caCertificates);
        return;
    }
    m_caWaiters.append({QPointer<QObject>(context), std::move(done)});
    if (m_caFetch)
        return;
    qCDebug(lcEstClient) << "fetching cacerts to verify issued certificates";
    m_caFetch = fetchCaCerts();
    EstReply *fetch = m_caFetch;
    connect(fetch, &EstReply::finished, this, [this, fetch] {
        Result<QList<crypto::Certificate>> result =
            fetch->isSuccess()
                ? Result<QList<crypto::Certificate>>(fetch->caCertificates())
                : fail(fetch->error().withContext(QStringLiteral("Fetching the CA certificates to verify with")));
        const QList<CaWaiter> waiters = std::exchange(m_caWaiters, {});
        m_caFetch = nullptr;
        fetch->deleteLater();
        for (const CaWaiter &w : waiters) {
            if (w.context)
                w.done(result);
        }
    });
}

} // namespace station::est
