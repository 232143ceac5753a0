// The Lamassu stand-in's enrollment rules (the DMS manager's 500 {"err"} refusals) over real TLS, raw and
// through the station's EstClient: authentication by client certificate (or a gateway's forwarded one)
// and the other auth modes, PRE_REGISTRATION and JITP, replaceable enrollment, a unit of another DMS,
// re-enroll rules, and the device records that enrollment updates.
#include "LamassuTestKit.h"

#include "TestPki.h"

#include <QRegularExpression>
#include <QTest>

using namespace station;
using namespace station::test::lamassu;
using station::test::RawResponse;

class TestLamassuStandInEnroll : public QObject, public EstHarness
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(startStandIn()); }
    void cleanup() { m_lamassu.reset(); }

    void enroll_preRegistered_answersOnlyTheLeaf_andBindsItToTheDevice()
    {
        QVERIFY(preRegister(QStringLiteral("unit-1")));
        crypto::PrivateKey key;
        const auto r = enroll(QStringLiteral("/CN=unit-1/O=Acme"), &m_bootstrap, &key);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("Content-Type"), QByteArray("application/pkcs7-mime; smime-type=certs-only"));
        QCOMPARE(r->header("Content-Transfer-Encoding"), QByteArray("base64"));
        QVERIFY(r->body.endsWith("\r\n"));
        const QList<crypto::Certificate> certs = certsOf(r->body);
        QCOMPARE(certs.size(), 1);
        const crypto::Certificate &leaf = certs.first();
        QVERIFY(leaf.matchesKey(key));
        QCOMPARE(leaf.subject().commonName(), QStringLiteral("unit-1"));
        QVERIFY(leaf.isSignedBy(pemCert(m_lamassu->enrollmentCaPem())));

        const LamassuStandIn::DeviceRecord record = m_lamassu->devices().value(QStringLiteral("unit-1"));
        QCOMPARE(record.json.value(QStringLiteral("status")).toString(), QStringLiteral("ACTIVE"));
        const QJsonObject identity = record.json.value(QStringLiteral("identity")).toObject();
        QCOMPARE(identity.value(QStringLiteral("status")).toString(), QStringLiteral("ACTIVE"));
        QCOMPARE(identity.value(QStringLiteral("active_version")).toInt(), 0);
        QCOMPARE(identity.value(QStringLiteral("type")).toString(), QStringLiteral("x509"));
        QCOMPARE(identity.value(QStringLiteral("versions")).toObject(),
                 (QJsonObject{{QStringLiteral("0"), expectedSerial(leaf)}}));
        QCOMPARE(record.certSerials, QList<QString>{expectedSerial(leaf)});
        QVERIFY(
            QRegularExpression(QStringLiteral("^[0-9a-f]{2}(-[0-9a-f]{2})*$")).match(expectedSerial(leaf)).hasMatch());
        QCOMPARE(m_lamassu->counters().enrollments, 1);

        // What the device manager answers agrees.
        RestClient rest(*m_lamassu);
        rest.setToken(m_lamassu->issueToken());
        QCOMPARE(rest.get(QStringLiteral("/api/devmanager/v1/devices/unit-1")).json(), record.json);
    }

    void enroll_preRegistration_refusesAnUnknownUnit()
    {
        const auto r = enroll(QStringLiteral("/CN=unit-new"), &m_bootstrap);
        QCOMPARE(r->status, 500);
        QCOMPARE(r->header("Content-Type"), QByteArray("application/json; charset=utf-8"));
        QCOMPARE(errOf(r), QStringLiteral("device not preregistered"));
        QVERIFY(m_lamassu->devices().isEmpty());
        QCOMPARE(m_lamassu->counters().enrollments, 0);
    }

    void enroll_jitp_createsTheDevice()
    {
        m_lamassu->setRegistrationMode(LamassuStandIn::RegistrationMode::Jitp);
        const auto r = enroll(QStringLiteral("/CN=unit-jitp"), &m_bootstrap);
        QCOMPARE(r->status, 200);
        const QJsonObject device = m_lamassu->devices().value(QStringLiteral("unit-jitp")).json;
        QCOMPARE(device.value(QStringLiteral("dms_owner")).toString(), QStringLiteral("factory-dms"));
        QCOMPARE(device.value(QStringLiteral("status")).toString(), QStringLiteral("ACTIVE"));
        QCOMPARE(
            device.value(QStringLiteral("identity")).toObject().value(QStringLiteral("versions")).toObject().size(), 1);
    }

    void enroll_existingUnit_replaceable_addsAVersion_andRevokesTheOldCertificate()
    {
        QVERIFY(preRegister(QStringLiteral("unit-2")));
        crypto::PrivateKey firstKey;
        const auto first = enroll(QStringLiteral("/CN=unit-2"), &m_bootstrap, &firstKey);
        QCOMPARE(first->status, 200);
        const crypto::Certificate firstCert = certsOf(first->body).value(0);
        const auto second = enroll(QStringLiteral("/CN=unit-2"), &m_bootstrap);
        QCOMPARE(second->status, 200);
        const crypto::Certificate secondCert = certsOf(second->body).value(0);
        const QJsonObject identity =
            m_lamassu->devices().value(QStringLiteral("unit-2")).json.value(QStringLiteral("identity")).toObject();
        QCOMPARE(identity.value(QStringLiteral("active_version")).toInt(), 1);
        QCOMPARE(identity.value(QStringLiteral("versions")).toObject(),
                 (QJsonObject{{QStringLiteral("0"), expectedSerial(firstCert)},
                              {QStringLiteral("1"), expectedSerial(secondCert)}}));
        QVERIFY(m_lamassu->isRevoked(expectedSerial(firstCert)));
        // The superseded certificate no longer renews.
        const Identity old{firstCert, firstKey};
        const auto renew = post("simplereenroll", b64(makeCsr("/CN=unit-2")), &old);
        QCOMPARE(renew->status, 500);
        QCOMPARE(errOf(renew), QStringLiteral("certificate is revoked"));
    }

    void enroll_existingUnit_notReplaceable_isForbidden_evenNeverEnrolled()
    {
        m_lamassu->setReplaceableEnrollment(false);
        QVERIFY(preRegister(QStringLiteral("unit-3")));
        const auto r = enroll(QStringLiteral("/CN=unit-3"), &m_bootstrap);
        QCOMPARE(r->status, 500);
        QCOMPARE(errOf(r), QStringLiteral("forbiddenNewEnrollment"));
        QVERIFY(!m_lamassu->devices().value(QStringLiteral("unit-3")).json.contains(QStringLiteral("identity")));
    }

    void enroll_unitOfAnotherDms_isRefused()
    {
        QVERIFY(m_lamassu->addDevice(deviceBody(QStringLiteral("unit-4"), QStringLiteral("other-dms"))));
        const auto r = enroll(QStringLiteral("/CN=unit-4"), &m_bootstrap);
        QCOMPARE(r->status, 500);
        QCOMPARE(errOf(r), QStringLiteral("device already registered to another DMS"));
    }

    void enroll_authentication_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<QString>("err");
        QTest::newRow("no client certificate")
            << QStringLiteral("none") << QStringLiteral("DMS auth mode not supported");
        QTest::newRow("another CA") << QStringLiteral("foreign") << QStringLiteral("invalid certificate");
        QTest::newRow("a device certificate") << QStringLiteral("device") << QStringLiteral("invalid certificate");
        QTest::newRow("expired bootstrap") << QStringLiteral("expired") << QStringLiteral("expired certificate");
        QTest::newRow("revoked bootstrap") << QStringLiteral("revoked") << QStringLiteral("certificate is revoked");
        QTest::newRow("second bootstrap") << QStringLiteral("second") << QString();
        QTest::newRow("forwarded by a gateway") << QStringLiteral("xfcc") << QString();
    }

    void enroll_authentication()
    {
        QFETCH(QString, who);
        QFETCH(QString, err);
        QVERIFY(preRegister(QStringLiteral("unit-auth")));
        Identity client = m_bootstrap;
        QByteArray headers;
        if (who == QLatin1String("foreign")) {
            auto pki = test::TestPki::create(QStringLiteral("Someone else's CA"));
            auto other = pki->clientIdentity(QStringLiteral("station-bootstrap"));
            client = {other->certificate, other->key};
        } else if (who == QLatin1String("device")) {
            QVERIFY(preRegister(QStringLiteral("unit-other")));
            crypto::PrivateKey key;
            const auto r = enroll(QStringLiteral("/CN=unit-other"), &m_bootstrap, &key);
            client = {certsOf(r->body).value(0), key};
        } else if (who == QLatin1String("expired") || who == QLatin1String("second")) {
            const bool expired = who == QLatin1String("expired");
            auto credential = m_lamassu->issueBootstrapCredential(
                QStringLiteral("station-2"), expired ? QDateTime::currentDateTimeUtc().addDays(-60) : QDateTime(), 30);
            QVERIFY(credential.has_value());
            client = pemIdentity(credential->certPem, credential->keyPem);
        } else if (who == QLatin1String("revoked")) {
            m_lamassu->revokeCertificate(expectedSerial(m_bootstrap.certificate));
        } else if (who == QLatin1String("xfcc")) {
            headers = "x-forwarded-client-cert: Hash=abc;Cert=\"" +
                      QUrl::toPercentEncoding(QString::fromLatin1(m_bootstrap.certificate.toPem())) + "\"\r\n";
        }
        const bool presents = who != QLatin1String("none") && who != QLatin1String("xfcc");
        const auto r = enroll(QStringLiteral("/CN=unit-auth"), presents ? &client : nullptr, nullptr, headers);
        QVERIFY(r.has_value());
        if (err.isEmpty()) {
            QCOMPARE(r->status, 200);
        } else {
            QCOMPARE(r->status, 500);
            QCOMPARE(errOf(r), err);
        }
    }

    void enroll_authModes_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<bool>("webhookApproves");
        QTest::addColumn<QString>("err");
        QTest::newRow("no auth") << QStringLiteral("NO_AUTH") << true << QString();
        QTest::newRow("webhook yes") << QStringLiteral("EXTERNAL_WEBHOOK") << true << QString();
        QTest::newRow("webhook no") << QStringLiteral("EXTERNAL_WEBHOOK") << false
                                    << QStringLiteral("external webhook denied enrollment");
        QTest::newRow("unset") << QString() << true << QStringLiteral("DMS auth mode not supported");
    }

    void enroll_authModes()
    {
        QFETCH(QString, mode);
        QFETCH(bool, webhookApproves);
        QFETCH(QString, err);
        m_lamassu->setAuthMode(mode);
        m_lamassu->setWebhookApproves(webhookApproves);
        QVERIFY(preRegister(QStringLiteral("unit-mode")));
        const auto r = enroll(QStringLiteral("/CN=unit-mode"), nullptr);
        QCOMPARE(r->status, err.isEmpty() ? 200 : 500);
        QCOMPARE(errOf(r), err);
    }

    void reenroll_withTheDeviceCertificate_renewsAndBumpsTheVersion()
    {
        QVERIFY(preRegister(QStringLiteral("unit-5")));
        crypto::PrivateKey key;
        const auto first = enroll(QStringLiteral("/CN=unit-5/O=Acme"), &m_bootstrap, &key);
        const Identity device{certsOf(first->body).value(0), key};
        crypto::PrivateKey newKey;
        const auto r = post("simplereenroll", b64(makeCsr(QStringLiteral("/CN=unit-5/O=Acme"), &newKey)), &device);
        QCOMPARE(r->status, 200);
        const crypto::Certificate renewed = certsOf(r->body).value(0);
        QVERIFY(renewed.matchesKey(newKey));
        const QJsonObject json = m_lamassu->devices().value(QStringLiteral("unit-5")).json;
        const QJsonObject identity = json.value(QStringLiteral("identity")).toObject();
        QCOMPARE(identity.value(QStringLiteral("active_version")).toInt(), 1);
        QCOMPARE(identity.value(QStringLiteral("versions")).toObject().value(QStringLiteral("1")).toString(),
                 expectedSerial(renewed));
        bool renewedEvent = false;
        for (const QJsonValue &e : identity.value(QStringLiteral("events")).toObject())
            renewedEvent =
                renewedEvent || e.toObject().value(QStringLiteral("type")).toString() == QLatin1String("RENEWED");
        QVERIFY(renewedEvent);
        QVERIFY(!m_lamassu->isRevoked(expectedSerial(device.certificate))); // revoke_on_reenrollment is off
    }

    void reenroll_refusals_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<QString>("err");
        QTest::newRow("bootstrap certificate") << QStringLiteral("bootstrap") << QStringLiteral("invalid certificate");
        QTest::newRow("another unit's certificate") << QStringLiteral("other") << QStringLiteral("invalid certificate");
        QTest::newRow("no certificate") << QStringLiteral("none") << QStringLiteral("DMS auth mode not supported");
        QTest::newRow("subject changed") << QStringLiteral("subject") << QStringLiteral("invalid RawSubject bytes");
        QTest::newRow("no CN") << QStringLiteral("nocn") << QStringLiteral("no CommonName in CSR");
    }

    void reenroll_refusals()
    {
        QFETCH(QString, how);
        QFETCH(QString, err);
        QVERIFY(preRegister(QStringLiteral("unit-6")));
        QVERIFY(preRegister(QStringLiteral("unit-7")));
        crypto::PrivateKey key6, key7;
        const Identity unit6{certsOf(enroll(QStringLiteral("/CN=unit-6/O=Acme"), &m_bootstrap, &key6)->body).value(0),
                             key6};
        const Identity unit7{certsOf(enroll(QStringLiteral("/CN=unit-7/O=Acme"), &m_bootstrap, &key7)->body).value(0),
                             key7};
        QString subject = QStringLiteral("/CN=unit-6/O=Acme");
        const Identity *client = &unit6;
        if (how == QLatin1String("bootstrap"))
            client = &m_bootstrap;
        else if (how == QLatin1String("other"))
            client = &unit7;
        else if (how == QLatin1String("none"))
            client = nullptr;
        else if (how == QLatin1String("subject"))
            subject = QStringLiteral("/CN=unit-6/O=Other");
        else if (how == QLatin1String("nocn"))
            subject = QStringLiteral("/O=Acme");
        const auto r = post("simplereenroll", b64(makeCsr(subject)), client);
        QCOMPARE(r->status, 500);
        QCOMPARE(errOf(r), err);
    }

    void estClient_enrollsAgainstTheStandIn_endToEnd()
    {
        est::EstClient client(clientConfig(m_bootstrap));
        std::unique_ptr<est::EstReply> cacerts(client.fetchCaCerts());
        QVERIFY(waitFinished(cacerts.get()));
        QVERIFY2(cacerts->isSuccess(), qPrintable(cacerts->error().toString()));
        QCOMPARE(cacerts->caCertificates(), QList<crypto::Certificate>{pemCert(m_lamassu->enrollmentCaPem())});

        std::unique_ptr<est::EstReply> attrs(client.fetchCsrAttrs());
        QVERIFY(waitFinished(attrs.get()));
        QVERIFY2(attrs->isSuccess(), qPrintable(attrs->error().toString())); // 404: no attributes
        QVERIFY(attrs->csrAttributes().isEmpty());
        QCOMPARE(attrs->httpStatus(), 404);

        // PRE_REGISTRATION: refused until uploaded, then issued.
        crypto::PrivateKey key;
        const crypto::CertificateRequest csr = makeCsr(QStringLiteral("/CN=unit-e2e"), &key);
        std::unique_ptr<est::EstReply> refused(client.simpleEnroll(csr));
        QVERIFY(waitFinished(refused.get()));
        QVERIFY(!refused->isSuccess());
        QCOMPARE(refused->error().httpStatus, 500);
        QVERIFY2(refused->error().toString().contains(QStringLiteral("pre-registered")),
                 qPrintable(refused->error().toString()));

        QVERIFY(preRegister(QStringLiteral("unit-e2e")));
        std::unique_ptr<est::EstReply> enrolled(client.simpleEnroll(csr));
        QVERIFY(waitFinished(enrolled.get()));
        QVERIFY2(enrolled->isSuccess(), qPrintable(enrolled->error().toString()));
        QVERIFY(enrolled->certificate().matchesKey(key));
        QCOMPARE(enrolled->chain().last(), pemCert(m_lamassu->enrollmentCaPem()));
        QCOMPARE(m_lamassu->devices().value(QStringLiteral("unit-e2e")).certSerials,
                 QList<QString>{expectedSerial(enrolled->certificate())});

        // Re-enroll with the unit's own certificate.
        est::EstClient renewer(clientConfig({enrolled->certificate(), key}));
        crypto::PrivateKey newKey;
        std::unique_ptr<est::EstReply> renewed(
            renewer.simpleReenroll(makeCsr(QStringLiteral("/CN=unit-e2e"), &newKey)));
        QVERIFY(waitFinished(renewed.get()));
        QVERIFY2(renewed->isSuccess(), qPrintable(renewed->error().toString()));
        QVERIFY(renewed->certificate().matchesKey(newKey));
        QCOMPARE(m_lamassu->devices().value(QStringLiteral("unit-e2e")).certSerials.size(), 2);

        // Server-side key generation.
        QVERIFY(preRegister(QStringLiteral("unit-e2e-kg")));
        std::unique_ptr<est::EstReply> generated(client.serverKeygen(makeCsr(QStringLiteral("/CN=unit-e2e-kg"))));
        QVERIFY(waitFinished(generated.get()));
        QVERIFY2(generated->isSuccess(), qPrintable(generated->error().toString()));
        auto generatedKey = crypto::PrivateKey::fromDer(generated->takePrivateKey().view().toByteArray());
        QVERIFY(generatedKey.has_value());
        QVERIFY(generated->certificate().matchesKey(*generatedKey));
    }

    void estClient_lamassuRefusals_areClassified_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("expected");
        QTest::newRow("forbiddenNewEnrollment") << QStringLiteral("forbidden") << QStringLiteral("replacing");
        QTest::newRow("keygen off") << QStringLiteral("keygen") << QStringLiteral("server-side key generation");
    }

    void estClient_lamassuRefusals_areClassified()
    {
        QFETCH(QString, setup);
        QFETCH(QString, expected);
        QVERIFY(preRegister(QStringLiteral("unit-cls")));
        est::EstClient client(clientConfig(m_bootstrap));
        std::unique_ptr<est::EstReply> reply;
        if (setup == QLatin1String("forbidden")) {
            m_lamassu->setReplaceableEnrollment(false);
            reply.reset(client.simpleEnroll(makeCsr(QStringLiteral("/CN=unit-cls"))));
        } else {
            m_lamassu->setServerKeygen(false);
            reply.reset(client.serverKeygen(makeCsr(QStringLiteral("/CN=unit-cls"))));
        }
        QVERIFY(waitFinished(reply.get()));
        QVERIFY(!reply->isSuccess());
        QCOMPARE(reply->error().httpStatus, 500);
        QVERIFY2(reply->error().toString().contains(expected), qPrintable(reply->error().toString()));
    }
};

QTEST_GUILESS_MAIN(TestLamassuStandInEnroll)
#include "tst_lamassu_standin_enroll.moc"
