// EstClient against the real lab EST server (`provctl lab-server` as a child process) over real TLS: every
// operation under every authentication mode, with and without a label, 202 + Retry-After, keep-alive,
// and the errors a wrong credential produces.
#include "LabServerProcess.h"
#include "TestSupport.h"

#include "est/EstClient.h"

#include "crypto/CertificateIssuer.h"
#include "crypto/CertificateRequest.h"

#include <QTest>

#include <memory>

using namespace station;
using station::est::EstClient;
using station::est::EstReply;
using station::test::LabServerProcess;

namespace {

const QByteArray kUser = "line3";
const QByteArray kPassword = "passc0de-line3";

bool waitFinished(EstReply *reply, int timeoutMs = 30000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!reply->isFinished() && !deadline.hasExpired())
        QTest::qWait(5);
    return reply->isFinished();
}

bool waitFinished(const std::unique_ptr<EstReply> &reply, int timeoutMs = 30000)
{
    return waitFinished(reply.get(), timeoutMs);
}

crypto::CertificateRequest makeCsr(const QString &cn, crypto::PrivateKey *keyOut)
{
    auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
    crypto::CsrSpec spec;
    spec.subject.append(QStringLiteral("CN"), cn);
    spec.subjectAltNames.append({crypto::SubjectAltName::Type::Dns, cn + QStringLiteral(".example"), {}});
    auto csr = crypto::CertificateRequest::create(spec, *key);
    if (!csr)
        qFatal("CSR: %s", qPrintable(csr.error().toString()));
    *keyOut = *key;
    return *csr;
}

} // namespace

class TestEstClientLabServer : public QObject
{
    Q_OBJECT

    LabServerProcess m_servers[3]; // mtls, basic, none — one lab folder
    LabServerProcess m_retrying;
    QTemporaryDir m_dir;
    crypto::Certificate m_anchor;
    est::ClientIdentity m_bootstrap;

    LabServerProcess &server(const QString &auth)
    {
        return m_servers[auth == QLatin1String("mtls") ? 0 : auth == QLatin1String("basic") ? 1 : 2];
    }

    est::EstClientConfig config(const QString &auth, const QString &label, const LabServerProcess &srv)
    {
        est::EstClientConfig c;
        QString url = srv.baseUrl().toString();
        if (!label.isEmpty())
            url += QLatin1Char('/') + label;
        c.baseUrl = QUrl(url);
        c.trustAnchors = {m_anchor};
        c.proxyMode = est::EstProxyMode::None;
        c.requestTimeout = std::chrono::seconds(20);
        if (auth == QLatin1String("mtls")) {
            c.auth = est::EstAuthMode::ClientCertificate;
            c.clientIdentity = m_bootstrap;
        } else if (auth == QLatin1String("basic")) {
            c.auth = est::EstAuthMode::Basic;
            c.user = QString::fromLatin1(kUser);
            c.password = crypto::SecretBytes(kPassword);
        }
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString lab = m_dir.filePath(QStringLiteral("lab"));
        QVERIFY2(server(QStringLiteral("mtls"))
                     .start({QStringLiteral("--auth"), QStringLiteral("mtls"), QStringLiteral("--quiet")}, lab),
                 qPrintable(server(QStringLiteral("mtls")).errorText()));
        QVERIFY2(server(QStringLiteral("basic"))
                     .start({QStringLiteral("--auth"), QStringLiteral("basic"), QStringLiteral("--user"),
                             QString::fromLatin1(kUser), QStringLiteral("--password"), QString::fromLatin1(kPassword),
                             QStringLiteral("--quiet")},
                            lab),
                 qPrintable(server(QStringLiteral("basic")).errorText()));
        QVERIFY2(server(QStringLiteral("none"))
                     .start({QStringLiteral("--auth"), QStringLiteral("none"), QStringLiteral("--quiet")}, lab),
                 qPrintable(server(QStringLiteral("none")).errorText()));
        QVERIFY2(m_retrying.start({QStringLiteral("--auth"), QStringLiteral("none"), QStringLiteral("--retry-after"),
                                   QStringLiteral("1"), QStringLiteral("--quiet")},
                                  lab),
                 qPrintable(m_retrying.errorText()));
        auto anchor = crypto::Certificate::fromPem(test::readFile(lab + QStringLiteral("/ca.pem")));
        QVERIFY(anchor.has_value());
        m_anchor = *anchor;
        auto identity = est::ClientIdentity::fromFiles(lab + QStringLiteral("/bootstrap-cert.pem"),
                                                       lab + QStringLiteral("/bootstrap-key.pem"));
        QVERIFY2(identity.has_value(), qPrintable(identity ? QString() : identity.error().toString()));
        m_bootstrap = *identity;
    }

    void operation_underEveryAuthMode_succeeds_data()
    {
        QTest::addColumn<QString>("auth");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("operation");
        for (const char *auth : {"mtls", "basic", "none"}) {
            for (const char *label : {"", "dms-1"}) {
                for (const char *op : {"cacerts", "csrattrs", "simpleenroll", "simplereenroll", "serverkeygen"}) {
                    QTest::addRow("%s %s %s", auth, *label ? label : "(no label)", op)
                        << QString::fromLatin1(auth) << QString::fromLatin1(label) << QString::fromLatin1(op);
                }
            }
        }
    }
    void operation_underEveryAuthMode_succeeds()
    {
        QFETCH(QString, auth);
        QFETCH(QString, label);
        QFETCH(QString, operation);
        EstClient client(config(auth, label, server(auth)));
        crypto::PrivateKey key;
        const crypto::CertificateRequest csr = makeCsr(QStringLiteral("unit-%1-%2").arg(auth, operation), &key);

        if (operation == QLatin1String("cacerts")) {
            std::unique_ptr<EstReply> reply(client.fetchCaCerts());
            QVERIFY(waitFinished(reply));
            QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
            QVERIFY(reply->caCertificates().contains(m_anchor));
            return;
        }
        if (operation == QLatin1String("csrattrs")) {
            std::unique_ptr<EstReply> reply(client.fetchCsrAttrs());
            QVERIFY(waitFinished(reply));
            QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
            QVERIFY(!reply->csrAttributes().isEmpty()); // the lab server asks for P-256 + ecdsa-with-SHA256
            QCOMPARE(reply->csrAttributes().requirements().keyType, std::optional(crypto::KeyType::EcP256));
            return;
        }
        if (operation == QLatin1String("serverkeygen")) {
            std::unique_ptr<EstReply> reply(client.serverKeygen(csr));
            QVERIFY(waitFinished(reply));
            QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
            auto generated = crypto::PrivateKey::fromDer(reply->takePrivateKey().view().toByteArray());
            QVERIFY(generated.has_value());
            QVERIFY(reply->certificate().matchesKey(*generated));
            QCOMPARE(reply->certificate().subject().commonName(), csr.subject().commonName());
            QCOMPARE(reply->chain().last(), m_anchor);
            return;
        }
        std::unique_ptr<EstReply> enroll(client.simpleEnroll(csr));
        QVERIFY(waitFinished(enroll));
        QVERIFY2(enroll->isSuccess(), qPrintable(enroll->error().toString()));
        QVERIFY(enroll->certificate().matchesKey(key));
        QCOMPARE(enroll->certificate().subject().commonName(), csr.subject().commonName());
        QCOMPARE(enroll->chain().last(), m_anchor);
        if (operation == QLatin1String("simpleenroll"))
            return;

        // Re-enroll: the current certificate authenticates in TLS (plus the passcode under basic).
        est::EstClientConfig reConfig = config(auth, label, server(auth));
        reConfig.auth = auth == QLatin1String("basic") ? est::EstAuthMode::Basic : est::EstAuthMode::ClientCertificate;
        reConfig.clientIdentity = *est::ClientIdentity::fromMemory(enroll->certificate(), key);
        EstClient renewer(std::move(reConfig));
        crypto::PrivateKey newKey;
        crypto::CertificateRequest renewal = makeCsr(csr.subject().commonName(), &newKey);
        std::unique_ptr<EstReply> reenroll(renewer.simpleReenroll(renewal));
        QVERIFY(waitFinished(reenroll));
        QVERIFY2(reenroll->isSuccess(), qPrintable(reenroll->error().toString()));
        QVERIFY(reenroll->certificate().matchesKey(newKey));
        QCOMPARE(reenroll->certificate().subject(), enroll->certificate().subject());
        QVERIFY(reenroll->certificate().serialHex() != enroll->certificate().serialHex());
    }

    void enroll_with202RetryAfter_retriesAndSucceeds()
    {
        EstClient client(config(QStringLiteral("none"), {}, m_retrying));
        crypto::PrivateKey key;
        std::unique_ptr<EstReply> reply(client.simpleEnroll(makeCsr(QStringLiteral("slow-unit"), &key)));
        QVERIFY(waitFinished(reply));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        QCOMPARE(reply->attempts(), 2);
        QVERIFY(reply->certificate().matchesKey(key));
    }

    void keepAlive_tenEnrollments_oneTlsHandshake()
    {
        EstClient client(config(QStringLiteral("mtls"), QStringLiteral("dms-1"), server(QStringLiteral("mtls"))));
        for (int i = 0; i < 10; ++i) {
            crypto::PrivateKey key;
            EstReply *reply = client.simpleEnroll(makeCsr(QStringLiteral("ka-%1").arg(i), &key));
            QVERIFY(waitFinished(reply));
            QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
            reply->deleteLater();
        }
        QCOMPARE(client.tlsHandshakeCount(), 1);
    }

    void wrongPassword_isAnAuthenticationError()
    {
        est::EstClientConfig c = config(QStringLiteral("basic"), {}, server(QStringLiteral("basic")));
        c.password = crypto::SecretBytes(QByteArray("wrong"));
        EstClient client(std::move(c));
        crypto::PrivateKey key;
        std::unique_ptr<EstReply> reply(client.simpleEnroll(makeCsr(QStringLiteral("x"), &key)));
        QVERIFY(waitFinished(reply));
        QCOMPARE(reply->error().code, ErrorCode::Authentication);
        QCOMPARE(reply->error().httpStatus, 401);
        QVERIFY(reply->error().message.contains(QStringLiteral("line3")));
    }

    void mtlsWithoutCertificate_isAnAuthenticationErrorWithRemedy()
    {
        est::EstClientConfig c = config(QStringLiteral("none"), {}, server(QStringLiteral("mtls")));
        EstClient client(std::move(c));
        crypto::PrivateKey key;
        std::unique_ptr<EstReply> reply(client.simpleEnroll(makeCsr(QStringLiteral("x"), &key)));
        QVERIFY(waitFinished(reply));
        QCOMPARE(reply->error().code, ErrorCode::Authentication);
        QVERIFY(reply->error().remedy.contains(QStringLiteral("--client-cert")));
    }

    void foreignClientCertificate_isRejectedNamingIt()
    {
        // A certificate the lab CA did not issue: TLS may refuse it or the server answers 401.
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        crypto::CertificateProfile p;
        p.subject.append(QStringLiteral("CN"), QStringLiteral("stranger"));
        auto cert = crypto::CertificateIssuer::selfSigned(p, *key);
        QVERIFY(cert.has_value());
        est::EstClientConfig c = config(QStringLiteral("mtls"), {}, server(QStringLiteral("mtls")));
        c.clientIdentity = *est::ClientIdentity::fromMemory(*cert, *key);
        EstClient client(std::move(c));
        crypto::PrivateKey csrKey;
        std::unique_ptr<EstReply> reply(client.simpleEnroll(makeCsr(QStringLiteral("x"), &csrKey)));
        QVERIFY(waitFinished(reply));
        QVERIFY(!reply->isSuccess());
        QVERIFY2(reply->error().toString().contains(QStringLiteral("stranger")), qPrintable(reply->error().toString()));
    }
};

QTEST_GUILESS_MAIN(TestEstClientLabServer)
#include "tst_estclient_labserver.moc"
