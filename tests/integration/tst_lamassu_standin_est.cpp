// The Lamassu stand-in's EST side over real TLS, with exact bytes (RawTlsClient) and with the station's
// own EstClient: both path forms, the 400s (no DMS id, content type, base64, CSR), the plain 404 for
// csrattrs, PKCS#7 with only the leaf in base64 with CRLF every 76, PEM on request, the serverkeygen
// multipart, the 500 {"err"} refusals (authentication, PRE_REGISTRATION, replaceable enrollment, another
// DMS), JITP, re-enroll rules, and the device records enrollment updates.
#include "LamassuTestKit.h"

#include "crypto/Encoding.h"
#include "crypto/Pkcs7.h"
#include "est/EstClient.h"
#include "est/MultipartParser.h"

#include "TestPki.h"

#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace station;
using namespace station::test::lamassu;
using station::test::RawResponse;

namespace {

const QByteArray kEst = "/api/dmsmanager/.well-known/est/factory-dms/";

QByteArray b64(const crypto::CertificateRequest &csr)
{
    return csr.toDer().toBase64();
}

QString errOf(const std::optional<RawResponse> &r)
{
    return r ? jsonObject(r->body).value(QStringLiteral("err")).toString() : QStringLiteral("<no answer>");
}

/// The certificates of a base64 certs-only answer.
QList<crypto::Certificate> certsOf(const QByteArray &body)
{
    auto der = crypto::Encoding::decodeBase64(body);
    if (!der)
        return {};
    auto certs = crypto::Pkcs7::parseCertsOnly(*der);
    return certs ? *certs : QList<crypto::Certificate>{};
}

bool waitFinished(est::EstReply *reply, int timeoutMs = 30000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!reply->isFinished() && !deadline.hasExpired())
        QTest::qWait(5);
    return reply->isFinished();
}

} // namespace

class TestLamassuStandInEst : public QObject
{
    Q_OBJECT

    std::unique_ptr<LamassuStandIn> m_lamassu;
    Identity m_bootstrap;

    std::optional<RawResponse> post(const QByteArray &operation, const QByteArray &body, const Identity *client,
                                    const QByteArray &extraHeaders = {})
    {
        return rawExchange(*m_lamassu, estPost(kEst + operation, body, extraHeaders), client);
    }

    std::optional<RawResponse> enroll(const QString &subject, const Identity *client,
                                      crypto::PrivateKey *keyOut = nullptr, const QByteArray &extraHeaders = {})
    {
        return post("simpleenroll", b64(makeCsr(subject, keyOut)), client, extraHeaders);
    }

    void preRegister(const QString &id) { QVERIFY(m_lamassu->addDevice(deviceBody(id))); }

    est::EstClientConfig clientConfig(const Identity &identity) const
    {
        est::EstClientConfig c;
        c.baseUrl = m_lamassu->estUrl();
        c.trustAnchors = {pemCert(m_lamassu->serverCaPem())};
        c.proxyMode = est::EstProxyMode::None;
        c.requestTimeout = std::chrono::seconds(20);
        c.auth = est::EstAuthMode::ClientCertificate;
        c.clientIdentity = *est::ClientIdentity::fromMemory(identity.certificate, identity.key);
        return c;
    }

private Q_SLOTS:
    void init()
    {
        m_lamassu = std::make_unique<LamassuStandIn>();
        auto started = m_lamassu->start();
        QVERIFY2(started.has_value(), qPrintable(started ? QString() : started.error().toString()));
        m_bootstrap = bootstrapOf(*m_lamassu);
        QVERIFY(!m_bootstrap.key.isNull());
    }

    void cleanup() { m_lamassu.reset(); }

    void cacerts_isTheEnrollmentCa_inBase64PkcsSevenWithCrlfEvery76_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::newRow("gateway") << QByteArray("/api/dmsmanager/.well-known/est/factory-dms/cacerts");
        QTest::newRow("direct") << QByteArray("/.well-known/est/factory-dms/cacerts");
    }

    void cacerts_isTheEnrollmentCa_inBase64PkcsSevenWithCrlfEvery76()
    {
        QFETCH(QByteArray, path);
        const auto r = rawExchange(*m_lamassu, rawRequest("GET", path));
        QVERIFY(r.has_value());
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("Content-Type"), QByteArray("application/pkcs7-mime; smime-type=certs-only"));
        QCOMPARE(r->header("Content-Transfer-Encoding"), QByteArray("base64"));
        QVERIFY(r->body.endsWith("\r\n"));
        const QList<QByteArray> lines = r->body.chopped(2).split('\n');
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const bool last = i == lines.size() - 1;
            QVERIFY(last || lines[i].endsWith('\r'));
            QCOMPARE(last ? lines[i].size() <= 76 : lines[i].size() == 77, true);
        }
        QCOMPARE(certsOf(r->body), QList<crypto::Certificate>{pemCert(m_lamassu->enrollmentCaPem())});
    }

    void cacerts_acceptPemExactly_answersPem()
    {
        auto r = rawExchange(*m_lamassu, rawRequest("GET", kEst + "cacerts", "Accept: application/x-pem-file\r\n"));
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("Content-Type"), QByteArray("application/x-pem-file"));
        QCOMPARE(pemCert(QString::fromLatin1(r->body)), pemCert(m_lamassu->enrollmentCaPem()));
        // Not exactly that value: PKCS#7 as usual.
        r = rawExchange(*m_lamassu, rawRequest("GET", kEst + "cacerts", "Accept: application/x-pem-file, */*\r\n"));
        QCOMPARE(r->header("Content-Type"), QByteArray("application/pkcs7-mime; smime-type=certs-only"));
    }

    void cacerts_includeSystemCa_addsTheServerCertificate()
    {
        LamassuStandIn::Options options;
        options.includeSystemCa = true;
        LamassuStandIn withSystem(options);
        QVERIFY(withSystem.start().has_value());
        const auto r = rawExchange(withSystem, rawRequest("GET", kEst + "cacerts"));
        const QList<crypto::Certificate> certs = certsOf(r->body);
        QCOMPARE(certs.size(), 2);
        QVERIFY(certs.first().isSignedBy(pemCert(withSystem.serverCaPem())));
        QCOMPARE(certs.last(), pemCert(withSystem.enrollmentCaPem()));
    }

    void cacerts_unknownDms_is500()
    {
        const auto r = rawExchange(*m_lamassu, rawRequest("GET", "/.well-known/est/nope/cacerts"));
        QCOMPARE(r->status, 500);
        QVERIFY(r->body.startsWith("{}"));
    }

    void noDmsId_is400()
    {
        auto r = rawExchange(*m_lamassu, rawRequest("GET", "/.well-known/est/cacerts"));
        QCOMPARE(r->status, 400);
        QVERIFY(errOf(r).contains(QStringLiteral("'APS' failed on the 'required' tag")));
        r = rawExchange(*m_lamassu, estPost("/api/dmsmanager/.well-known/est/simpleenroll", b64(makeCsr("/CN=u"))),
                        &m_bootstrap);
        QCOMPARE(r->status, 400);
    }

    void noRoute_isPlain404_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::newRow("csrattrs") << rawRequest("GET", kEst + "csrattrs");
        QTest::newRow("csrattrs without id") << rawRequest("GET", "/.well-known/est/csrattrs");
        QTest::newRow("GET simpleenroll") << rawRequest("GET", kEst + "simpleenroll");
        QTest::newRow("POST cacerts") << rawRequest("POST", kEst + "cacerts");
        QTest::newRow("fullcmc") << rawRequest("POST", kEst + "fullcmc");
        QTest::newRow("label and id") << rawRequest("GET", kEst + "x/cacerts");
    }

    void noRoute_isPlain404()
    {
        QFETCH(QByteArray, request);
        const auto r = rawExchange(*m_lamassu, request);
        QCOMPARE(r->status, 404);
        QCOMPARE(r->body, QByteArray("404 page not found"));
    }

    void contentType_mustBePkcs10_parametersIgnored_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::newRow("exact") << QByteArray("application/pkcs10") << 200;
        QTest::newRow("with parameter") << QByteArray("application/pkcs10; charset=binary") << 200;
        QTest::newRow("octet-stream") << QByteArray("application/octet-stream") << 400;
        QTest::newRow("upper case") << QByteArray("Application/PKCS10") << 400;
        QTest::newRow("csrattrs type") << QByteArray("application/csrattrs") << 400;
    }

    void contentType_mustBePkcs10_parametersIgnored()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        preRegister(QStringLiteral("unit-ct"));
        const auto r = rawExchange(*m_lamassu,
                                   rawRequest("POST", kEst + "simpleenroll", "Content-Type: " + contentType + "\r\n",
                                              b64(makeCsr("/CN=unit-ct"))),
                                   &m_bootstrap);
        QCOMPARE(r->status, status);
        if (status == 400)
            QCOMPARE(errOf(r), QStringLiteral("content-type must be application/pkcs10"));
    }

    void body_mustBeStandardPaddedBase64_data()
    {
        const crypto::CertificateRequest csr = makeCsr("/CN=unit-b64");
        const QByteArray der = csr.toDer();
        const QByteArray flat = der.toBase64();
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("err");
        QTest::newRow("one line") << flat << 200 << QString();
        QTest::newRow("crlf every 64") << crypto::Encoding::encodeBase64(der, 64, true) + "\r\n" << 200 << QString();
        QTest::newRow("lf every 76") << crypto::Encoding::encodeBase64(der, 76, false) << 200 << QString();
        const QString notBase64 = QStringLiteral("body payload must be base64 encoded");
        QTest::newRow("pem") << csr.toPem() << 400 << notBase64;
        QTest::newRow("raw der") << der << 400 << notBase64;
        QTest::newRow("spaces") << flat.left(40) + ' ' + flat.mid(40) << 400 << notBase64;
        QByteArray unpadded = flat;
        while (unpadded.endsWith('='))
            unpadded.chop(1);
        if (unpadded.size() != flat.size())
            QTest::newRow("no padding") << unpadded << 400 << notBase64;
        QTest::newRow("url alphabet") << der.toBase64(QByteArray::Base64UrlEncoding) + "_-" << 400 << notBase64;
        QTest::newRow("not a csr") << QByteArray("hello, not a CSR").toBase64() << 400
                                   << QStringLiteral("could not parse the payload into a csr");
        QTest::newRow("empty") << QByteArray() << 400 << QStringLiteral("could not parse the payload into a csr");
    }

    void body_mustBeStandardPaddedBase64()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, err);
        preRegister(QStringLiteral("unit-b64"));
        const auto r = post("simpleenroll", body, &m_bootstrap);
        QVERIFY(r.has_value());
        QCOMPARE(r->status, status);
        QVERIFY2(errOf(r).startsWith(err), qPrintable(errOf(r)));
    }

    void csrWithBadSignature_is500()
    {
        preRegister(QStringLiteral("unit-sig"));
        QByteArray der = makeCsr("/CN=unit-sig").toDer();
        der[der.size() - 5] = char(der.at(der.size() - 5) ^ 0x55); // inside the signature value
        const auto r = post("simpleenroll", der.toBase64(), &m_bootstrap);
        QCOMPARE(r->status, 500);
        QCOMPARE(errOf(r), QStringLiteral("invalid CSR signature"));
    }

    void enroll_preRegistered_answersOnlyTheLeaf_andBindsItToTheDevice()
    {
        preRegister(QStringLiteral("unit-1"));
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

    void enroll_acceptPem_answersThePemLeaf()
    {
        preRegister(QStringLiteral("unit-pem"));
        const auto r =
            enroll(QStringLiteral("/CN=unit-pem"), &m_bootstrap, nullptr, "Accept: application/x-pem-file\r\n");
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("Content-Type"), QByteArray("application/x-pem-file"));
        auto certs = crypto::Certificate::listFromPem(r->body);
        QVERIFY(certs.has_value());
        QCOMPARE(certs->size(), 1);
        QCOMPARE(certs->first().subject().commonName(), QStringLiteral("unit-pem"));
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
        preRegister(QStringLiteral("unit-2"));
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
        preRegister(QStringLiteral("unit-3"));
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

    void enroll_unknownDms_is500DmsNotFound()
    {
        const auto r =
            rawExchange(*m_lamassu, estPost("/.well-known/est/nope/simpleenroll", b64(makeCsr("/CN=u"))), &m_bootstrap);
        QCOMPARE(r->status, 500);
        QCOMPARE(errOf(r), QStringLiteral("DMS not found"));
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
        preRegister(QStringLiteral("unit-auth"));
        Identity client = m_bootstrap;
        QByteArray headers;
        if (who == QLatin1String("foreign")) {
            auto pki = test::TestPki::create(QStringLiteral("Someone else's CA"));
            auto other = pki->clientIdentity(QStringLiteral("station-bootstrap"));
            client = {other->certificate, other->key};
        } else if (who == QLatin1String("device")) {
            preRegister(QStringLiteral("unit-other"));
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
        preRegister(QStringLiteral("unit-mode"));
        const auto r = enroll(QStringLiteral("/CN=unit-mode"), nullptr);
        QCOMPARE(r->status, err.isEmpty() ? 200 : 500);
        QCOMPARE(errOf(r), err);
    }

    void reenroll_withTheDeviceCertificate_renewsAndBumpsTheVersion()
    {
        preRegister(QStringLiteral("unit-5"));
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
        preRegister(QStringLiteral("unit-6"));
        preRegister(QStringLiteral("unit-7"));
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

    void serverkeygen_isTheDocumentedMultipart()
    {
        preRegister(QStringLiteral("unit-kg"));
        const auto r = post("serverkeygen", b64(makeCsr(QStringLiteral("/CN=unit-kg"))), &m_bootstrap);
        QVERIFY(r.has_value());
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("Content-Type"), QByteArray("multipart/mixed; boundary=estServerLamassuBoundary"));
        QCOMPARE(r->header("Content-Transfer-Encoding"), QByteArray("base64"));
        QVERIFY(r->body.startsWith("--estServerLamassuBoundary\r\n"));
        QVERIFY(r->body.endsWith("\r\n--estServerLamassuBoundary--\r\n"));
        auto boundary = est::MultipartParser::boundaryFromContentType(r->header("Content-Type"));
        QVERIFY(boundary.has_value());
        auto parts = est::MultipartParser::parse(r->body, *boundary);
        QVERIFY2(parts.has_value(), qPrintable(parts ? QString() : parts.error().toString()));
        QCOMPARE(parts->size(), 2);
        const est::MimePart &keyPart = parts->at(0);
        const est::MimePart &certPart = parts->at(1);
        QCOMPARE(keyPart.mediaType(), QByteArray("application/pkcs8"));
        QCOMPARE(keyPart.header("Content-Transfer-Encoding"), QByteArray("base64"));
        QCOMPARE(certPart.header("Content-Type"), QByteArray("application/pkcs7-mime; smime-type=certs-only"));
        QCOMPARE(certPart.header("Content-Transfer-Encoding"), QByteArray("base64"));
        QVERIFY(!keyPart.body.contains('\n') && !certPart.body.contains('\n')); // single-line base64
        auto key = crypto::PrivateKey::fromDer(QByteArray::fromBase64(keyPart.body));
        QVERIFY(key.has_value());
        QCOMPARE(key->algorithmName(), QStringLiteral("EC-P256"));
        const QList<crypto::Certificate> certs = certsOf(certPart.body);
        QCOMPARE(certs.size(), 1);
        QVERIFY(certs.first().matchesKey(*key));
        QCOMPARE(certs.first().subject().commonName(), QStringLiteral("unit-kg"));
        QCOMPARE(m_lamassu->devices().value(QStringLiteral("unit-kg")).certSerials,
                 QList<QString>{expectedSerial(certs.first())});
    }

    void serverkeygen_keyFollowsTheDmsSettings_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("bits");
        QTest::addColumn<QString>("algorithm");
        QTest::newRow("ECDSA 224")
            << QStringLiteral("ECDSA") << 224
            << QStringLiteral("EC-secp224r1"); // PrivateKey names curves it does not generate by OpenSSL name
        QTest::newRow("ECDSA 384") << QStringLiteral("ECDSA") << 384 << QStringLiteral("EC-P384");
        QTest::newRow("ECDSA 521") << QStringLiteral("ECDSA") << 521 << QStringLiteral("EC-P521");
        QTest::newRow("RSA 2048") << QStringLiteral("RSA") << 2048 << QStringLiteral("RSA-2048");
        QTest::newRow("RSA 3000") << QStringLiteral("RSA") << 3000 << QStringLiteral("RSA-3000");
    }

    void serverkeygen_keyFollowsTheDmsSettings()
    {
        QFETCH(QString, type);
        QFETCH(int, bits);
        QFETCH(QString, algorithm);
        m_lamassu->setServerKeygen(true, type, bits);
        preRegister(QStringLiteral("unit-kt"));
        const auto r = post("serverkeygen", b64(makeCsr(QStringLiteral("/CN=unit-kt"))), &m_bootstrap);
        QCOMPARE(r->status, 200);
        auto parts = est::MultipartParser::parse(r->body, "estServerLamassuBoundary");
        QVERIFY(parts.has_value());
        auto key = crypto::PrivateKey::fromDer(QByteArray::fromBase64(parts->at(0).body));
        QVERIFY(key.has_value());
        QCOMPARE(key->algorithmName(), algorithm);
        QCOMPARE(key->bits(), bits);
    }

    void serverkeygen_disabled_is500_beforeAnyOtherCheck()
    {
        m_lamassu->setServerKeygen(false);
        const auto r = post("serverkeygen", b64(makeCsr(QStringLiteral("/CN=unit-off"))), nullptr);
        QCOMPARE(r->status, 500);
        QCOMPARE(errOf(r), QStringLiteral("server key generation not enabled"));
    }

    void serverkeygen_followsTheRegistrationRules()
    {
        const auto r = post("serverkeygen", b64(makeCsr(QStringLiteral("/CN=unit-unknown"))), &m_bootstrap);
        QCOMPARE(r->status, 500);
        QCOMPARE(errOf(r), QStringLiteral("device not preregistered"));
    }

    void tls12Only_capsTheProtocol()
    {
        LamassuStandIn::Options options;
        options.tls12Only = true;
        LamassuStandIn capped(options);
        QVERIFY(capped.start().has_value());
        test::RawTlsClient client(pemCert(capped.serverCaPem()));
        QVERIFY(client.connectTo(capped.port()));
        QCOMPARE(client.socket().sessionProtocol(), QSsl::TlsV1_2);
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

        preRegister(QStringLiteral("unit-e2e"));
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
        preRegister(QStringLiteral("unit-e2e-kg"));
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
        preRegister(QStringLiteral("unit-cls"));
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

QTEST_GUILESS_MAIN(TestLamassuStandInEst)
#include "tst_lamassu_standin_est.moc"
