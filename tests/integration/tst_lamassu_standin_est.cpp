// The Lamassu stand-in's EST wire format over real TLS, byte for byte (RawTlsClient): both path forms,
// the 400s (no DMS id, content type, base64, CSR), the plain 404 for everything without a route
// (csrattrs), PKCS#7 with only the leaf in base64 with CRLF every 76, PEM on request, and the serverkeygen
// multipart with the key the DMS settings ask for.
#include "LamassuTestKit.h"

#include "est/MultipartParser.h"

#include <QTest>

using namespace station;
using namespace station::test::lamassu;
using station::test::RawResponse;

class TestLamassuStandInEst : public QObject, public EstHarness
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(startStandIn()); }
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
        QVERIFY(preRegister(QStringLiteral("unit-ct")));
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
        QVERIFY(preRegister(QStringLiteral("unit-b64")));
        const auto r = post("simpleenroll", body, &m_bootstrap);
        QVERIFY(r.has_value());
        QCOMPARE(r->status, status);
        QVERIFY2(errOf(r).startsWith(err), qPrintable(errOf(r)));
    }

    void csrWithBadSignature_is500()
    {
        QVERIFY(preRegister(QStringLiteral("unit-sig")));
        QByteArray der = makeCsr("/CN=unit-sig").toDer();
        der[der.size() - 5] = char(der.at(der.size() - 5) ^ 0x55); // inside the signature value
        const auto r = post("simpleenroll", der.toBase64(), &m_bootstrap);
        QCOMPARE(r->status, 500);
        QCOMPARE(errOf(r), QStringLiteral("invalid CSR signature"));
    }

    void enroll_acceptPem_answersThePemLeaf()
    {
        QVERIFY(preRegister(QStringLiteral("unit-pem")));
        const auto r =
            enroll(QStringLiteral("/CN=unit-pem"), &m_bootstrap, nullptr, "Accept: application/x-pem-file\r\n");
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("Content-Type"), QByteArray("application/x-pem-file"));
        auto certs = crypto::Certificate::listFromPem(r->body);
        QVERIFY(certs.has_value());
        QCOMPARE(certs->size(), 1);
        QCOMPARE(certs->first().subject().commonName(), QStringLiteral("unit-pem"));
    }

    void enroll_unknownDms_is500DmsNotFound()
    {
        const auto r =
            rawExchange(*m_lamassu, estPost("/.well-known/est/nope/simpleenroll", b64(makeCsr("/CN=u"))), &m_bootstrap);
        QCOMPARE(r->status, 500);
        QCOMPARE(errOf(r), QStringLiteral("DMS not found"));
    }

    void serverkeygen_isTheDocumentedMultipart()
    {
        QVERIFY(preRegister(QStringLiteral("unit-kg")));
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
        QVERIFY(preRegister(QStringLiteral("unit-kt")));
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
};

QTEST_GUILESS_MAIN(TestLamassuStandInEst)
#include "tst_lamassu_standin_est.moc"
