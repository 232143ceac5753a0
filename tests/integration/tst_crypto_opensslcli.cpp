// Cross-check of the crypto core against the openssl command line tool, an independent implementation:
// what the station builds (keys, CSRs, certificates, certs-only PKCS#7, CsrAttrs) must be accepted by
// openssl, and the fields openssl prints must equal what the station reads.
#include "crypto/CertificateIssuer.h"
#include "crypto/CsrAttributes.h"
#include "crypto/Pkcs7.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using namespace station::crypto;

class TstCryptoOpensslCli : public QObject
{
    Q_OBJECT

private:
    QString m_openssl;
    QTemporaryDir m_dir;
    PrivateKey m_caKey;
    Certificate m_ca;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    bool write(const QString &name, const QByteArray &data) const
    {
        QFile file(path(name));
        return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
    }

    /// Runs openssl; returns stdout+stderr, and the exit code in `exitCode`.
    QByteArray openssl(const QStringList &args, int *exitCode = nullptr) const
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(m_openssl, args);
        process.waitForFinished(30000);
        if (exitCode)
            *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        return process.readAll();
    }

private slots:
    void initTestCase()
    {
        m_openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (m_openssl.isEmpty())
            QSKIP("the openssl command line tool is not installed");
        QVERIFY(m_dir.isValid());
        auto key = PrivateKey::generate(KeyType::EcP384);
        QVERIFY(key);
        m_caKey = *key;
        CertificateProfile profile;
        profile.subject = *DistinguishedName::parse(QStringLiteral("/CN=Cross-check CA/O=Station"));
        profile.isCa = true;
        auto ca = CertificateIssuer::selfSigned(profile, m_caKey);
        QVERIFY(ca);
        m_ca = *ca;
        QVERIFY(write(QStringLiteral("ca.pem"), m_ca.toPem()));
    }

    void csr_acceptedByOpensslReqVerify_data()
    {
        QTest::addColumn<int>("type");
        QTest::newRow("rsa2048") << int(KeyType::Rsa2048);
        QTest::newRow("p256") << int(KeyType::EcP256);
        QTest::newRow("p521") << int(KeyType::EcP521);
        QTest::newRow("ed25519") << int(KeyType::Ed25519);
    }

    void csr_acceptedByOpensslReqVerify()
    {
        QFETCH(int, type);
        auto key = PrivateKey::generate(KeyType(type));
        QVERIFY(key);
        CsrSpec spec;
        spec.subject = *DistinguishedName::parse(QStringLiteral("/CN=device-77/O=Acme Corp"));
        spec.subjectAltNames = {*SubjectAltName::parse(QStringLiteral("DNS:device-77.example"))};
        spec.keyUsage = DigitalSignature;
        spec.extendedKeyUsages = {QStringLiteral("clientAuth")};
        spec.challengePassword = QStringLiteral("otp-1234");
        auto csr = CertificateRequest::create(spec, *key);
        QVERIFY(csr);
        QVERIFY(write(QStringLiteral("csr.der"), csr->toDer()));
        int exitCode = 0;
        const QByteArray out = openssl(
            {"req", "-inform", "DER", "-in", path("csr.der"), "-verify", "-noout", "-text", "-nameopt", "RFC2253"},
            &exitCode);
        QCOMPARE(exitCode, 0);
        QVERIFY2(out.contains("verify OK") || out.contains("self-signature ok"), out.constData());
        QVERIFY(out.contains("challengePassword") && out.contains("otp-1234"));
        QVERIFY(out.contains("DNS:device-77.example"));
        QVERIFY(out.contains("TLS Web Client Authentication"));
        QVERIFY(out.contains("O=Acme Corp,CN=device-77"));
    }

    void certificate_fieldsEqualOpensslX509Output()
    {
        auto key = PrivateKey::generate(KeyType::EcP256);
        CertificateProfile profile;
        profile.subject = *DistinguishedName::parse(QStringLiteral("CN=leaf-cc, O=Acme"));
        profile.subjectAltNames = {*SubjectAltName::parse(QStringLiteral("IP:192.0.2.7"))};
        profile.extendedKeyUsages = {QStringLiteral("clientAuth")};
        auto leaf = CertificateIssuer::issue(profile, *key, m_ca, m_caKey);
        QVERIFY(leaf);
        QVERIFY(write(QStringLiteral("leaf.pem"), leaf->toPem()));
        int exitCode = 0;
        QByteArray out =
            openssl({"verify", "-CAfile", path("ca.pem"), "-purpose", "sslclient", path("leaf.pem")}, &exitCode);
        QVERIFY2(exitCode == 0 && out.contains(": OK"), out.constData());
        out = openssl({"x509", "-in", path("leaf.pem"), "-noout", "-serial", "-fingerprint", "-sha256"}, &exitCode);
        QCOMPARE(exitCode, 0);
        QVERIFY2(out.contains("serial=" + leaf->serialHex().toLatin1()), out.constData());
        QVERIFY2(out.contains("Fingerprint=" + leaf->fingerprintSha256Colon().toLatin1()), out.constData());
    }

    void pkcs7_printedByOpensslInOrder()
    {
        auto der = Pkcs7::buildCertsOnly({m_ca, m_ca});
        QVERIFY(der);
        QVERIFY(write(QStringLiteral("certs.p7"), *der));
        int exitCode = 0;
        const QByteArray out =
            openssl({"pkcs7", "-inform", "DER", "-in", path("certs.p7"), "-print_certs", "-noout"}, &exitCode);
        QCOMPARE(exitCode, 0);
        QCOMPARE(out.count("subject=CN = Cross-check CA, O = Station"), 2);
    }

    void privateKeys_readByOpensslPkey()
    {
        auto pem = m_caKey.toEncryptedPkcs8Pem("cc-pass");
        QVERIFY(pem);
        QVERIFY(write(QStringLiteral("key.pem"), *pem));
        auto der = m_caKey.toPkcs8Der();
        QVERIFY(der);
        QVERIFY(write(QStringLiteral("key.der"), der->view().toByteArray()));
        int exitCode = 0;
        QByteArray out = openssl({"pkey", "-in", path("key.pem"), "-passin", "pass:cc-pass", "-pubout", "-outform",
                                  "DER", "-out", path("pub1.der")},
                                 &exitCode);
        QVERIFY2(exitCode == 0, out.constData());
        out = openssl(
            {"pkey", "-inform", "DER", "-in", path("key.der"), "-pubout", "-outform", "DER", "-out", path("pub2.der")},
            &exitCode);
        QVERIFY2(exitCode == 0, out.constData());
        QFile pub1(path("pub1.der")), pub2(path("pub2.der"));
        QVERIFY(pub1.open(QIODevice::ReadOnly) && pub2.open(QIODevice::ReadOnly));
        QCOMPARE(pub1.readAll(), m_caKey.publicKeyDer());
        QCOMPARE(pub2.readAll(), m_caKey.publicKeyDer());
        openssl({"pkey", "-in", path("key.pem"), "-passin", "pass:wrong", "-noout"}, &exitCode);
        QVERIFY(exitCode != 0);
    }

    void csrAttrs_parsedByOpensslAsn1parse()
    {
        CsrAttributes attrs;
        attrs.addOid(QStringLiteral("1.2.840.113549.1.9.7"));
        attrs.addAttribute(QStringLiteral("1.2.840.10045.2.1"), {QByteArray::fromHex("06052b81040022")});
        attrs.addOid(QStringLiteral("1.2.840.10045.4.3.3"));
        QVERIFY(write(QStringLiteral("attrs.der"), attrs.toDer()));
        int exitCode = 0;
        const QByteArray out = openssl({"asn1parse", "-inform", "DER", "-in", path("attrs.der")}, &exitCode);
        QCOMPARE(exitCode, 0);
        QVERIFY(out.contains(":challengePassword") && out.contains(":secp384r1") && out.contains(":ecdsa-with-SHA384"));
    }
};

QTEST_GUILESS_MAIN(TstCryptoOpensslCli)
#include "tst_crypto_opensslcli.moc"
