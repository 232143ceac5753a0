// Certificate: parsing the openssl-made fixtures and checking every field against what
// `openssl x509 -noout -serial -fingerprint -sha256 -subject -issuer -dates` printed; import from PEM,
// DER, base64 and PKCS#7; bad input.
#include "CryptoFixtures.h"
#include "crypto/Certificate.h"
#include "crypto/Encoding.h"
#include "crypto/PrivateKey.h"

#include <QTest>

using namespace station;
using namespace station::crypto;

class TstCertificate : public QObject
{
    Q_OBJECT

private slots:
    void fromPem_opensslFixtures_fieldsMatchOpensslOutput_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("subject");
        QTest::addColumn<QString>("issuer");
        QTest::addColumn<QString>("serial");
        QTest::addColumn<QString>("fingerprint");
        QTest::addColumn<QDateTime>("notBefore");
        QTest::addColumn<QDateTime>("notAfter");
        QTest::addColumn<bool>("isCa");
        QTest::addColumn<bool>("selfSigned");
        auto utc = [](const char *text) { return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate); };
        QTest::newRow("root")
            << "root.pem"
            << "CN=Fixture Root CA, O=Station Tests"
            << "CN=Fixture Root CA, O=Station Tests"
            << "01"
            << "89:41:72:B5:B8:76:1D:83:4A:64:92:A5:08:21:CD:55:2B:5E:31:48:ED:E7:68:8A:C5:D0:0C:59:93:6C:2C:44"
            << utc("2026-11-22T04:20:56Z") << utc("2046-11-17T04:20:56Z") << true << true;
        QTest::newRow("intermediate")
            << "intermediate.pem"
            << "CN=Fixture Issuing CA, O=Station Tests"
            << "CN=Fixture Root CA, O=Station Tests"
            << "1002"
            << "7B:CF:A9:59:4B:0F:C0:93:A0:1E:32:0C:28:F6:B4:09:CE:F1:C8:28:1E:E3:8E:C6:17:65:42:36:3F:52:23:38"
            << utc("2026-11-22T04:20:56Z") << utc("2046-01-21T04:20:56Z") << true << false;
        QTest::newRow("leaf")
            << "leaf.pem"
            << "CN=device-001, O=Acme Corp"
            << "CN=Fixture Issuing CA, O=Station Tests"
            << "7AB1C2D3E4F5061728394A5B6C7D8E9F"
            << "02:76:47:24:4E:B3:D8:41:6B:11:38:CE:DA:EE:1D:45:E7:3C:21:71:D3:17:CE:A7:DB:5E:02:20:1A:0D:4B:61"
            << utc("2026-11-22T04:20:57Z") << utc("2036-11-19T04:20:57Z") << false << false;
    }

    void fromPem_opensslFixtures_fieldsMatchOpensslOutput()
    {
        QFETCH(QString, file);
        QFETCH(QString, subject);
        QFETCH(QString, issuer);
        QFETCH(QString, serial);
        QFETCH(QString, fingerprint);
        QFETCH(QDateTime, notBefore);
        QFETCH(QDateTime, notAfter);
        QFETCH(bool, isCa);
        QFETCH(bool, selfSigned);
        auto cert = Certificate::fromPem(test::cryptoFixture(file));
        QVERIFY2(cert, qPrintable(cert ? QString() : cert.error().toString()));
        QCOMPARE(cert->subject().toString(), subject);
        QCOMPARE(cert->issuer().toString(), issuer);
        QCOMPARE(cert->serialHex(), serial);
        QCOMPARE(cert->fingerprintSha256Colon(), fingerprint);
        QCOMPARE(cert->fingerprintSha256(), fingerprint.toLower().remove(QLatin1Char(':')));
        QCOMPARE(cert->notBefore(), notBefore);
        QCOMPARE(cert->notAfter(), notAfter);
        QCOMPARE(cert->isCa(), isCa);
        QCOMPARE(cert->isSelfSigned(), selfSigned);
        QVERIFY(cert->isValidAt(notBefore.addSecs(1)));
        QVERIFY(!cert->isValidAt(notBefore.addSecs(-1)));
        QVERIFY(!cert->isValidAt(notAfter.addSecs(1)));
        // DER round trip is exact.
        auto again = Certificate::fromDer(cert->toDer());
        QVERIFY(again);
        QVERIFY(*again == *cert);
        QCOMPARE(cert->toPem(), test::cryptoFixture(file));
    }

    void leaf_extensions_matchOpensslConfig()
    {
        auto leaf = Certificate::fromDer(test::cryptoFixture(QStringLiteral("leaf.der")));
        QVERIFY(leaf);
        const QList<SubjectAltName> sans = leaf->subjectAltNames();
        QCOMPARE(sans.size(), 3);
        QCOMPARE(sans[0].toString(), QStringLiteral("DNS:device-001.example.com"));
        QCOMPARE(sans[1].toString(), QStringLiteral("IP:10.0.0.1"));
        QCOMPARE(sans[2].toString(), QStringLiteral("URI:urn:dev:ops:acme-device-001"));
        QCOMPARE(leaf->extendedKeyUsages(), QStringList{QStringLiteral("1.3.6.1.5.5.7.3.2")});
        QCOMPARE(leaf->subject().commonName(), QStringLiteral("device-001"));
        QCOMPARE(leaf->subject().value(QStringLiteral("organizationName")), QStringLiteral("Acme Corp"));
    }

    void publicKey_matchesOpensslKeyAndIssuerSignature()
    {
        auto leaf = Certificate::fromDer(test::cryptoFixture(QStringLiteral("leaf.der")));
        auto intermediate = Certificate::fromPem(test::cryptoFixture(QStringLiteral("intermediate.pem")));
        auto root = Certificate::fromPem(test::cryptoFixture(QStringLiteral("root.pem")));
        auto key = PrivateKey::fromPem(test::cryptoFixture(QStringLiteral("p384-pkcs8.pem")));
        auto otherKey = PrivateKey::fromPem(test::cryptoFixture(QStringLiteral("rsa2048-pkcs8.pem")));
        QVERIFY(leaf && intermediate && root && key && otherKey);
        QCOMPARE(leaf->publicKeyDer(), test::cryptoFixture(QStringLiteral("p384-public.der")));
        QVERIFY(leaf->matchesKey(*key));
        QVERIFY(!leaf->matchesKey(*otherKey));
        QVERIFY(leaf->publicKey().publicKeyEquals(*key));
        QVERIFY(!leaf->publicKey().isPrivate());
        QVERIFY(leaf->isSignedBy(*intermediate));
        QVERIFY(!leaf->isSignedBy(*root));
        QVERIFY(intermediate->isSignedBy(*root));
    }

    void listFromAny_acceptedForms_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<int>("count");
        const QByteArray der = test::cryptoFixture(QStringLiteral("leaf.der"));
        QTest::newRow("PEM chain") << test::cryptoFixture(QStringLiteral("chain.pem")) << 3;
        QTest::newRow("DER") << der << 1;
        QTest::newRow("base64 DER") << Encoding::encodeBase64(der, 76, true) << 1;
        QTest::newRow("PKCS#7 DER") << test::cryptoFixture(QStringLiteral("scrambled.p7b")) << 3;
        QTest::newRow("PKCS#7 PEM") << test::cryptoFixture(QStringLiteral("scrambled.p7b.pem")) << 3;
        QTest::newRow("PKCS#7 base64") << test::cryptoFixture(QStringLiteral("scrambled.p7b")).toBase64() << 3;
    }

    void listFromAny_acceptedForms()
    {
        QFETCH(QByteArray, data);
        QFETCH(int, count);
        auto list = Certificate::listFromAny(data);
        QVERIFY2(list, qPrintable(list ? QString() : list.error().toString()));
        QCOMPARE(list->size(), count);
    }

    void listToPem_roundTripsTheChain()
    {
        const QByteArray chain = test::cryptoFixture(QStringLiteral("chain.pem"));
        auto list = Certificate::listFromPem(chain);
        QVERIFY(list);
        QCOMPARE(Certificate::listToPem(*list), chain);
    }

    void parse_badInput_isParseError_data()
    {
        QTest::addColumn<QByteArray>("data");
        const QByteArray der = test::cryptoFixture(QStringLiteral("leaf.der"));
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("garbage") << QByteArray("garbage!");
        QTest::newRow("truncated DER") << der.left(der.size() - 1);
        QTest::newRow("DER + trailing") << der + QByteArray("\x30\x00", 2);
        QTest::newRow("inner length corrupted") << QByteArray(der).replace(5, 1, "\x01");
        QTest::newRow("key PEM only") << test::cryptoFixture(QStringLiteral("p384-pkcs8.pem"));
        QTest::newRow("CSR DER") << test::cryptoFixture(QStringLiteral("leaf.csr.der"));
        QTest::newRow("PEM bad base64") << QByteArray(
            "-----BEGIN CERTIFICATE-----\nMIIC%%%\n-----END CERTIFICATE-----\n");
    }

    void parse_badInput_isParseError()
    {
        QFETCH(QByteArray, data);
        auto list = Certificate::listFromAny(data);
        QVERIFY(!list);
        QCOMPARE(list.error().code, ErrorCode::Parse);
        QVERIFY(!list.error().message.isEmpty());
        auto single = Certificate::fromDer(data);
        QVERIFY(!single);
        QCOMPARE(single.error().code, ErrorCode::Parse);
    }

    void nullCertificate_accessorsAreSafe()
    {
        Certificate cert;
        QVERIFY(cert.isNull());
        QVERIFY(cert.toDer().isEmpty());
        QVERIFY(cert.serialHex().isEmpty());
        QVERIFY(!cert.isCa());
        QVERIFY(!cert.isSelfSigned());
        QVERIFY(cert.subject().isEmpty());
        QVERIFY(cert.publicKey().isNull());
        QVERIFY(cert == Certificate());
    }

    void copyAndMove_shareTheSameCertificate()
    {
        auto cert = Certificate::fromPem(test::cryptoFixture(QStringLiteral("root.pem")));
        QVERIFY(cert);
        Certificate copy = *cert;
        QCOMPARE(copy.native(), cert->native());
        Certificate moved = std::move(copy);
        QVERIFY(copy.isNull()); // NOLINT(bugprone-use-after-move)
        QVERIFY(moved == *cert);
        copy = moved;
        QVERIFY(copy == *cert);
    }
};

QTEST_GUILESS_MAIN(TstCertificate)
#include "tst_certificate.moc"
