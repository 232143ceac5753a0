// CertificateIssuer: self-signed CAs and CA-signed certificates with the extensions the lab CA needs
// (SKI/AKI, basicConstraints, keyUsage, EKU, SAN) and random positive 16-byte serials.
#include "crypto/CertificateIssuer.h"
#include "crypto/ChainVerifier.h"

#include <openssl/x509v3.h>

#include <QTest>

using namespace station;
using namespace station::crypto;

class TstCertificateIssuer : public QObject
{
    Q_OBJECT

private:
    PrivateKey m_caKey;
    Certificate m_ca;

private slots:
    void initTestCase()
    {
        auto key = PrivateKey::generate(KeyType::EcP384);
        QVERIFY(key);
        m_caKey = *key;
        CertificateProfile profile;
        profile.subject = *DistinguishedName::parse(QStringLiteral("/CN=Lab Root CA/O=Station"));
        profile.isCa = true;
        profile.pathLength = 1;
        profile.validityDays = 3650;
        auto ca = CertificateIssuer::selfSigned(profile, m_caKey);
        QVERIFY2(ca, qPrintable(ca ? QString() : ca.error().toString()));
        m_ca = *ca;
    }

    void selfSigned_ca_hasCaExtensions()
    {
        QVERIFY(m_ca.isCa());
        QVERIFY(m_ca.isSelfSigned());
        QVERIFY(m_ca.matchesKey(m_caKey));
        QCOMPARE(m_ca.subject(), m_ca.issuer());
        const uint32_t usage = X509_get_key_usage(m_ca.native());
        QVERIFY(usage & KU_KEY_CERT_SIGN);
        QVERIFY(usage & KU_CRL_SIGN);
        QCOMPARE(X509_get_pathlen(m_ca.native()), 1);
        QVERIFY(X509_get0_subject_key_id(m_ca.native()));
        QCOMPARE(ASN1_STRING_length(X509_get0_authority_key_id(m_ca.native())),
                 ASN1_STRING_length(X509_get0_subject_key_id(m_ca.native())));
        QCOMPARE(m_ca.notAfter().toSecsSinceEpoch() - m_ca.notBefore().toSecsSinceEpoch(), qint64(3650) * 86400);
        QVERIFY(qAbs(m_ca.notBefore().secsTo(QDateTime::currentDateTimeUtc()) - 300) < 60);
    }

    void issue_leaf_hasExtensionsAndChainsToCa()
    {
        auto leafKey = PrivateKey::generate(KeyType::EcP256);
        QVERIFY(leafKey);
        CertificateProfile profile;
        profile.subject = *DistinguishedName::parse(QStringLiteral("CN=device-9, O=Acme"));
        profile.subjectAltNames = {*SubjectAltName::parse(QStringLiteral("DNS:device-9.example")),
                                   *SubjectAltName::parse(QStringLiteral("IP:127.0.0.1"))};
        profile.extendedKeyUsages = {QStringLiteral("clientAuth")};
        profile.validityDays = 30;
        auto leaf = CertificateIssuer::issue(profile, *leafKey, m_ca, m_caKey);
        QVERIFY2(leaf, qPrintable(leaf ? QString() : leaf.error().toString()));
        QVERIFY(!leaf->isCa());
        QVERIFY(!leaf->isSelfSigned());
        QVERIFY(leaf->isSignedBy(m_ca));
        QVERIFY(leaf->matchesKey(*leafKey));
        QVERIFY(!leaf->publicKey().isPrivate()); // never the key object the certificate was built with
        QCOMPARE(leaf->issuer(), m_ca.subject());
        QCOMPARE(leaf->subjectAltNames(), profile.subjectAltNames);
        QCOMPARE(leaf->extendedKeyUsages(), QStringList{QStringLiteral("1.3.6.1.5.5.7.3.2")});
        QCOMPARE(X509_get_key_usage(leaf->native()), uint32_t(KU_DIGITAL_SIGNATURE));
        // AKI of the leaf is the SKI of the CA.
        const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(leaf->native());
        QVERIFY(aki);
        QCOMPARE(ASN1_OCTET_STRING_cmp(aki, X509_get0_subject_key_id(m_ca.native())), 0);
        // Random positive serial of exactly 16 bytes (32 hex digits, first digit 4..7).
        const QString serial = leaf->serialHex();
        QCOMPARE(serial.size(), 32);
        QVERIFY(QStringLiteral("4567").contains(serial.front()));
        auto chain = ChainVerifier({m_ca}).verify(*leaf);
        QVERIFY2(chain, qPrintable(chain ? QString() : chain.error().toString()));
        QCOMPARE(chain->size(), 2);
    }

    void issue_fromCsrPublicKey_asTheLabCaDoes()
    {
        auto deviceKey = PrivateKey::generate(KeyType::EcP384);
        CsrSpec spec;
        spec.subject = *DistinguishedName::parse(QStringLiteral("/CN=dev-csr/serialNumber=42"));
        auto csr = CertificateRequest::create(spec, *deviceKey);
        QVERIFY(csr && csr->verifySignature());
        CertificateProfile profile;
        profile.subject = csr->subject();
        profile.extendedKeyUsages = {QStringLiteral("clientAuth")};
        const PrivateKey publicOnly = csr->publicKey();
        QVERIFY(!publicOnly.isPrivate());
        auto cert = CertificateIssuer::issue(profile, publicOnly, m_ca, m_caKey);
        QVERIFY2(cert, qPrintable(cert ? QString() : cert.error().toString()));
        QVERIFY(cert->matchesKey(*deviceKey));
        QCOMPARE(cert->publicKeyDer(), csr->publicKeyDer());
        QCOMPARE(cert->subject(), csr->subject());
    }

    void issue_forCsr_copiesItsSubjectPublicKeyInfo_data()
    {
        QTest::addColumn<KeyType>("type");
        QTest::addRow("P-256 (curve OID parameter)") << KeyType::EcP256;
        QTest::addRow("P-384") << KeyType::EcP384;
        QTest::addRow("RSA-2048 (NULL parameter)") << KeyType::Rsa2048;
        QTest::addRow("Ed25519 (no parameter)") << KeyType::Ed25519;
    }

    void issue_forCsr_copiesItsSubjectPublicKeyInfo()
    {
        QFETCH(KeyType, type);
        auto deviceKey = PrivateKey::generate(type);
        QVERIFY(deviceKey);
        CsrSpec spec;
        spec.subject = *DistinguishedName::parse(QStringLiteral("CN=spki-copy"));
        auto built = CertificateRequest::create(spec, *deviceKey);
        QVERIFY(built);
        auto csr = CertificateRequest::fromDer(built->toDer()); // as a server receives it
        QVERIFY(csr);
        CertificateProfile profile;
        profile.subject = csr->subject();
        auto cert = CertificateIssuer::issue(profile, *csr, m_ca, m_caKey);
        QVERIFY2(cert, qPrintable(cert ? QString() : cert.error().toString()));
        // The SubjectPublicKeyInfo byte for byte, a key that is the device's, and a certificate that
        // survives a round trip through DER and chains to the CA.
        QCOMPARE(cert->publicKeyDer(), csr->publicKeyDer());
        QVERIFY(cert->matchesKey(*deviceKey));
        auto reparsed = Certificate::fromDer(cert->toDer());
        QVERIFY(reparsed);
        QVERIFY(reparsed->matchesKey(*deviceKey));
        QVERIFY(!reparsed->publicKey().isNull());
        ChainVerifier verifier({m_ca});
        QVERIFY2(verifier.verify(*reparsed, {}).has_value(), "does not chain to the CA");
        // The subject key identifier is the key's (RFC 5280 method 1), as for a certificate built from the key.
        auto fromKey = CertificateIssuer::issue(profile, csr->publicKey(), m_ca, m_caKey);
        QVERIFY(fromKey);
        const ASN1_OCTET_STRING *copied = X509_get0_subject_key_id(cert->native());
        QVERIFY(copied);
        QCOMPARE(ASN1_OCTET_STRING_cmp(copied, X509_get0_subject_key_id(fromKey->native())), 0);
    }

    void issue_explicitSerialAndDates_areUsed()
    {
        auto leafKey = PrivateKey::generate(KeyType::Ed25519);
        QVERIFY(leafKey);
        CertificateProfile profile;
        profile.subject = *DistinguishedName::parse(QStringLiteral("CN=fixed"));
        profile.serial = QByteArray::fromHex("00ff01");
        profile.notBefore = QDateTime(QDate(2030, 1, 2), QTime(3, 4, 5), Qt::UTC);
        profile.notAfter = QDateTime(QDate(2031, 1, 2), QTime(3, 4, 5), Qt::UTC);
        auto leaf = CertificateIssuer::issue(profile, *leafKey, m_ca, m_caKey);
        QVERIFY2(leaf, qPrintable(leaf ? QString() : leaf.error().toString()));
        QCOMPARE(leaf->serialHex(), QStringLiteral("FF01"));
        QCOMPARE(leaf->notBefore(), profile.notBefore);
        QCOMPARE(leaf->notAfter(), profile.notAfter);
        QCOMPARE(leaf->publicKey().algorithmName(), QStringLiteral("Ed25519"));
    }

    void issue_serialsDiffer()
    {
        auto leafKey = PrivateKey::generate(KeyType::EcP256);
        CertificateProfile profile;
        profile.subject = *DistinguishedName::parse(QStringLiteral("CN=x"));
        auto a = CertificateIssuer::issue(profile, *leafKey, m_ca, m_caKey);
        auto b = CertificateIssuer::issue(profile, *leafKey, m_ca, m_caKey);
        QVERIFY(a && b);
        QVERIFY(a->serialHex() != b->serialHex());
    }

    void issue_wrongIssuerKey_isInvalidArgument()
    {
        auto otherKey = PrivateKey::generate(KeyType::EcP256);
        CertificateProfile profile;
        profile.subject = *DistinguishedName::parse(QStringLiteral("CN=x"));
        auto leaf = CertificateIssuer::issue(profile, *otherKey, m_ca, *otherKey);
        QVERIFY(!leaf);
        QCOMPARE(leaf.error().code, ErrorCode::InvalidArgument);
    }

    void issue_badProfile_isInvalidArgument_data()
    {
        QTest::addColumn<int>("validityDays");
        QTest::addColumn<QByteArray>("serial");
        QTest::addColumn<QString>("eku");
        QTest::newRow("zero validity") << 0 << QByteArray() << "";
        QTest::newRow("zero serial") << 10 << QByteArray(1, '\0') << "";
        QTest::newRow("unknown EKU") << 10 << QByteArray() << "nonsense";
    }

    void issue_badProfile_isInvalidArgument()
    {
        QFETCH(int, validityDays);
        QFETCH(QByteArray, serial);
        QFETCH(QString, eku);
        CertificateProfile profile;
        profile.subject = *DistinguishedName::parse(QStringLiteral("CN=x"));
        profile.validityDays = validityDays;
        profile.serial = serial;
        if (!eku.isEmpty())
            profile.extendedKeyUsages = {eku};
        auto leaf = CertificateIssuer::issue(profile, m_caKey, m_ca, m_caKey);
        QVERIFY(!leaf);
        QCOMPARE(leaf.error().code, ErrorCode::InvalidArgument);
    }

    void issue_rsaLeafDefaultKeyUsage_includesKeyEncipherment()
    {
        auto rsaKey = PrivateKey::generate(KeyType::Rsa2048);
        CertificateProfile profile;
        profile.subject = *DistinguishedName::parse(QStringLiteral("CN=rsa"));
        profile.extendedKeyUsages = {QStringLiteral("serverAuth")};
        auto leaf = CertificateIssuer::issue(profile, *rsaKey, m_ca, m_caKey);
        QVERIFY(leaf);
        QCOMPARE(X509_get_key_usage(leaf->native()), uint32_t(KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT));
    }
};

QTEST_GUILESS_MAIN(TstCertificateIssuer)
#include "tst_certificateissuer.moc"
