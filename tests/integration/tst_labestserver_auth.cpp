// Who may do what on the lab EST server under mTLS, in process over real TLS: the bootstrap credential
// (lab enrollment policy) enrolls any subject; a unit's own certificate only renews itself (simplereenroll,
// serverkeygen with its own subject and SAN); a
// certificate not made for TLS client authentication (keyUsage without digitalSignature, no clientAuth,
// the server's own certificate) is refused with 403 and a reason; no certificate is 401.
#include "RawTlsClient.h"
#include "TestSupport.h"

#include "crypto/CertificateIssuer.h"
#include "crypto/CertificateRequest.h"
#include "est/LabEstServer.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace station;
using station::est::LabCa;
using station::est::LabEstServer;
using station::test::RawTlsClient;

namespace {

struct Credential {
    crypto::Certificate cert;
    crypto::PrivateKey key;
};

crypto::CertificateRequest makeCsr(const QString &cn, const crypto::PrivateKey &key)
{
    crypto::CsrSpec spec;
    spec.subject.append(QStringLiteral("CN"), cn);
    spec.subjectAltNames.append({crypto::SubjectAltName::Type::Dns, cn + QStringLiteral(".example"), {}});
    auto csr = crypto::CertificateRequest::create(spec, key);
    if (!csr)
        qFatal("CSR: %s", qPrintable(csr.error().toString()));
    return *csr;
}

QByteArray csrBody(const QString &cn)
{
    return makeCsr(cn, *crypto::PrivateKey::generate(crypto::KeyType::EcP256)).toDer().toBase64();
}

} // namespace

class TestLabEstServerAuth : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::optional<LabCa> m_ca;
    std::unique_ptr<LabEstServer> m_server;
    Credential m_bootstrap;
    Credential m_unit; ///< issued by the lab CA for CN=unit-7, as simpleenroll would
    crypto::PrivateKey m_caKey;

    /// A certificate from the lab CA with the given profile bits, for the refusal cases.
    Credential issueWith(const QString &cn, unsigned keyUsage, const QStringList &eku, const QStringList &policies)
    {
        Credential c;
        c.key = *crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        crypto::CertificateProfile profile;
        profile.subject.append(QStringLiteral("CN"), cn);
        profile.keyUsage = keyUsage;
        profile.extendedKeyUsages = eku;
        profile.certificatePolicies = policies;
        auto cert = crypto::CertificateIssuer::issue(profile, c.key, m_ca->caCertificate(), m_caKey);
        if (!cert)
            qFatal("issue: %s", qPrintable(cert.error().toString()));
        c.cert = *cert;
        return c;
    }

    std::optional<test::RawResponse> request(const Credential *credential, const QByteArray &operation,
                                             const QByteArray &body)
    {
        RawTlsClient client(m_ca->caCertificate());
        if (credential)
            client.setClientCertificate(credential->cert, credential->key);
        if (!client.connectTo(m_server->baseUrl().port()))
            return std::nullopt;
        client.send(RawTlsClient::post("/.well-known/est/" + operation, body));
        return client.readResponse(20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        LabCa::Options o;
        o.directory = m_dir.filePath(QStringLiteral("lab"));
        auto ca = LabCa::openOrCreate(o);
        QVERIFY2(ca.has_value(), qPrintable(ca ? QString() : ca.error().toString()));
        m_ca = *ca;
        auto bootstrapKey = crypto::PrivateKey::fromPem(test::readFile(m_ca->path(LabCa::kBootstrapKey)));
        QVERIFY(bootstrapKey.has_value());
        m_bootstrap = {m_ca->bootstrapCertificate(), *bootstrapKey};
        auto caKey = crypto::PrivateKey::fromPem(test::readFile(m_ca->path(LabCa::kCaKey)));
        QVERIFY(caKey.has_value());
        m_caKey = *caKey;

        m_unit.key = *crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        auto unitCert = m_ca->issue(makeCsr(QStringLiteral("unit-7"), m_unit.key));
        QVERIFY(unitCert.has_value());
        m_unit.cert = *unitCert;

        LabEstServer::Options options; // --auth mtls, the default
        options.csrAttributes = std::nullopt;
        m_server = std::make_unique<LabEstServer>(*m_ca, options);
        QVERIFY(m_server->listen(QHostAddress(QHostAddress::LocalHost), 0).has_value());
    }

    void cleanupTestCase() { m_server.reset(); }

    void issuedCertificates_bootstrapHasTheEnrollmentPolicy_unitsDoNot()
    {
        QVERIFY(LabCa::isEnrollmentCredential(m_ca->bootstrapCertificate()));
        QVERIFY(!LabCa::isEnrollmentCredential(m_unit.cert));
        QVERIFY(LabCa::checkClientUsage(m_unit.cert).has_value());
        QVERIFY(LabCa::checkClientUsage(m_ca->bootstrapCertificate()).has_value());
    }

    void bootstrapCredential_enrollsAnySubject_data()
    {
        QTest::addColumn<QByteArray>("operation");
        QTest::newRow("simpleenroll") << QByteArray("simpleenroll");
        QTest::newRow("serverkeygen") << QByteArray("serverkeygen");
    }
    void bootstrapCredential_enrollsAnySubject()
    {
        QFETCH(QByteArray, operation);
        const auto response = request(&m_bootstrap, operation, csrBody(QStringLiteral("unit-new")));
        QVERIFY(response.has_value());
        QCOMPARE(response->status, 200);
    }

    void unitCertificate_enrollingAnotherSubject_is403_data()
    {
        QTest::addColumn<QByteArray>("operation");
        QTest::addColumn<QString>("subject");
        QTest::newRow("simpleenroll other") << QByteArray("simpleenroll") << QStringLiteral("unit-8");
        QTest::newRow("simpleenroll own") << QByteArray("simpleenroll") << QStringLiteral("unit-7");
        QTest::newRow("serverkeygen other") << QByteArray("serverkeygen") << QStringLiteral("unit-8");
    }
    void unitCertificate_enrollingAnotherSubject_is403()
    {
        QFETCH(QByteArray, operation);
        QFETCH(QString, subject);
        const auto response = request(&m_unit, operation, csrBody(subject));
        QVERIFY(response.has_value());
        QCOMPARE(response->status, 403);
        QVERIFY2(response->body.contains("needs the bootstrap credential") && response->body.contains("its own"),
                 response->body.constData());
        QCOMPARE(response->body.count('\n'), 1); // one line, like the other refusals
    }

    void unitCertificate_serverkeygenForItself_isAllowed()
    {
        // The seed guide renews a unit by serverkeygen with its own certificate: same subject and SAN.
        const auto response =
            request(&m_unit, "serverkeygen",
                    makeCsr(QStringLiteral("unit-7"), *crypto::PrivateKey::generate(crypto::KeyType::EcP256))
                        .toDer()
                        .toBase64());
        QVERIFY(response.has_value());
        QCOMPARE(response->status, 200);
    }

    void unitCertificate_reenrollsItself()
    {
        auto newKey = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        const auto own =
            request(&m_unit, "simplereenroll", makeCsr(QStringLiteral("unit-7"), *newKey).toDer().toBase64());
        QVERIFY(own.has_value());
        QCOMPARE(own->status, 200);
        const auto other = request(&m_unit, "simplereenroll", csrBody(QStringLiteral("unit-8")));
        QVERIFY(other.has_value());
        QCOMPARE(other->status, 400); // subject must stay (RFC 7030 §4.2.2)
    }

    void certificateNotForClientAuth_isRefusedWithReason_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QByteArray>("operation");
        QTest::addColumn<QByteArray>("reason");
        for (const char *op : {"simpleenroll", "simplereenroll"}) {
            QTest::addRow("no digitalSignature, %s", op)
                << QStringLiteral("keyAgreement") << QByteArray(op) << QByteArray("lacks digitalSignature");
            QTest::addRow("no extendedKeyUsage, %s", op)
                << QStringLiteral("noEku") << QByteArray(op) << QByteArray("no extendedKeyUsage");
            QTest::addRow("serverAuth only, %s", op)
                << QStringLiteral("serverAuth") << QByteArray(op) << QByteArray("lacks clientAuth");
            QTest::addRow("the server's own certificate, %s", op)
                << QStringLiteral("server") << QByteArray(op) << QByteArray("lacks clientAuth");
        }
    }
    void certificateNotForClientAuth_isRefusedWithReason()
    {
        QFETCH(QString, kind);
        QFETCH(QByteArray, operation);
        QFETCH(QByteArray, reason);
        const QStringList policy = {QString::fromLatin1(LabCa::kEnrollmentPolicyOid)};
        const QString cn = QStringLiteral("odd-") + kind;
        Credential credential;
        if (kind == QLatin1String("keyAgreement"))
            credential = issueWith(cn, crypto::KeyAgreement, {QStringLiteral("clientAuth")}, policy);
        else if (kind == QLatin1String("noEku"))
            credential = issueWith(cn, crypto::DigitalSignature, {}, policy);
        else if (kind == QLatin1String("serverAuth"))
            credential = issueWith(cn, crypto::DigitalSignature, {QStringLiteral("serverAuth")}, policy);
        else
            credential = {m_ca->serverCertificate(), m_ca->serverKey()};
        const QString subject = credential.cert.subject().commonName();
        const auto response = request(&credential, operation, csrBody(subject));
        QVERIFY(response.has_value());
        QCOMPARE(response->status, 403);
        QVERIFY2(response->body.contains(reason), response->body.constData());
    }

    void noClientCertificate_is401()
    {
        const auto response = request(nullptr, "simpleenroll", csrBody(QStringLiteral("anon")));
        QVERIFY(response.has_value());
        QCOMPARE(response->status, 401);
    }

    void oldBootstrapWithoutPolicy_isReissuedForItsKey()
    {
        // A lab folder from before the enrollment policy: its bootstrap certificate is re-issued at start,
        // for the same key, so bootstrap-key.pem keeps working.
        QTemporaryDir dir;
        LabCa::Options o;
        o.directory = dir.path();
        QVERIFY(LabCa::openOrCreate(o).has_value());
        auto caKey = crypto::PrivateKey::fromPem(test::readFile(dir.filePath(QString::fromLatin1(LabCa::kCaKey))));
        auto caCert = crypto::Certificate::fromPem(test::readFile(dir.filePath(QString::fromLatin1(LabCa::kCaCert))));
        auto key = crypto::PrivateKey::fromPem(test::readFile(dir.filePath(QString::fromLatin1(LabCa::kBootstrapKey))));
        QVERIFY(caKey && caCert && key);
        crypto::CertificateProfile old;
        old.subject.append(QStringLiteral("CN"), QStringLiteral("station-bootstrap"));
        old.keyUsage = crypto::DigitalSignature;
        old.extendedKeyUsages = {QStringLiteral("clientAuth")};
        auto oldCert = crypto::CertificateIssuer::issue(old, *key, *caCert, *caKey);
        QVERIFY(oldCert.has_value());
        QVERIFY(test::writeFile(dir.filePath(QString::fromLatin1(LabCa::kBootstrapCert)), oldCert->toPem()));

        auto reopened = LabCa::openOrCreate(o);
        QVERIFY(reopened.has_value());
        QVERIFY(LabCa::isEnrollmentCredential(reopened->bootstrapCertificate()));
        QVERIFY(reopened->bootstrapCertificate().matchesKey(*key));
    }
};

QTEST_GUILESS_MAIN(TestLabEstServerAuth)
#include "tst_labestserver_auth.moc"
