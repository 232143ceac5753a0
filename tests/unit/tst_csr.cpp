// CertificateRequest: building CSRs for every key type with SANs, key usages, challengePassword and extra
// attributes/extensions; parsing the openssl-made CSR fixture; signature verification; bad input.
#include "CryptoFixtures.h"
#include "crypto/CertificateRequest.h"
#include "crypto/Encoding.h"

#include <openssl/objects.h>
#include <openssl/x509.h>

#include <QCryptographicHash>
#include <QTest>

using namespace station;
using namespace station::crypto;

class TstCsr : public QObject
{
    Q_OBJECT

private:
    static CsrSpec fullSpec()
    {
        CsrSpec spec;
        spec.subject = *DistinguishedName::parse(QStringLiteral("/CN=device-001/O=Acme Corp/serialNumber=SN-0001"));
        spec.subjectAltNames = {*SubjectAltName::parse(QStringLiteral("DNS:device-001.example")),
                                *SubjectAltName::parse(QStringLiteral("IP:10.1.2.3")),
                                *SubjectAltName::parse(QStringLiteral("URI:urn:dev:ops:acme-1"))};
        spec.keyUsage = DigitalSignature | KeyAgreement;
        spec.extendedKeyUsages = {QStringLiteral("clientAuth"), QStringLiteral("1.3.6.1.5.5.7.3.1")};
        spec.challengePassword = QStringLiteral("passcode-42");
        return spec;
    }

private slots:
    void create_eachKeyType_verifiesAndReadsBack_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("signatureAlgorithm"); // what OpenSSL names the CSR's signature
        QTest::newRow("rsa2048") << int(KeyType::Rsa2048) << "sha256WithRSAEncryption";
        QTest::newRow("p256") << int(KeyType::EcP256) << "ecdsa-with-SHA256";
        QTest::newRow("p384") << int(KeyType::EcP384) << "ecdsa-with-SHA384";
        QTest::newRow("p521") << int(KeyType::EcP521) << "ecdsa-with-SHA512";
        QTest::newRow("ed25519") << int(KeyType::Ed25519) << "ED25519";
    }

    void create_eachKeyType_verifiesAndReadsBack()
    {
        QFETCH(int, type);
        QFETCH(QString, signatureAlgorithm);
        auto key = PrivateKey::generate(KeyType(type));
        QVERIFY(key);
        const CsrSpec spec = fullSpec();
        auto csr = CertificateRequest::create(spec, *key);
        QVERIFY2(csr, qPrintable(csr ? QString() : csr.error().toString()));
        QVERIFY(csr->verifySignature());
        QCOMPARE(csr->subject(), spec.subject);
        QCOMPARE(csr->subjectAltNames(), spec.subjectAltNames);
        QCOMPARE(csr->keyUsage(), unsigned(DigitalSignature | KeyAgreement));
        QCOMPARE(csr->extendedKeyUsages(), (QStringList{"1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.1"}));
        QCOMPARE(csr->challengePassword(), spec.challengePassword);
        QVERIFY(csr->publicKey().publicKeyEquals(*key));
        QVERIFY(!csr->publicKey().isPrivate()); // never the signing key object itself
        QCOMPARE(csr->publicKeyDer(), key->publicKeyDer());
        QVERIFY(csr->attributeOids().contains(QStringLiteral("1.2.840.113549.1.9.7")));
        QVERIFY(csr->attributeOids().contains(QStringLiteral("1.2.840.113549.1.9.14")));
        const int nid = X509_REQ_get_signature_nid(csr->native());
        QCOMPARE(QString::fromLatin1(OBJ_nid2ln(nid)), signatureAlgorithm);

        // Round trips through every accepted form.
        for (const QByteArray &form :
             {csr->toDer(), csr->toPem(), Encoding::encodeBase64(csr->toDer(), 64, true), csr->toDer().toBase64()}) {
            auto parsed = CertificateRequest::fromAny(form);
            QVERIFY(parsed);
            QCOMPARE(parsed->toDer(), csr->toDer());
            QCOMPARE(parsed->sha256Hex(), csr->sha256Hex());
        }
    }

    void create_extraAttributesAndExtensions_areCarried()
    {
        auto key = PrivateKey::generate(KeyType::EcP256);
        QVERIFY(key);
        CsrSpec spec;
        spec.subject = *DistinguishedName::parse(QStringLiteral("CN=x"));
        // unstructuredName (PKCS#9) as UTF8String "line-7".
        spec.extraAttributes = {{QStringLiteral("1.2.840.113549.1.9.2"), {QByteArray::fromHex("0c066c696e652d37")}}};
        // A private extension whose value is an INTEGER 5.
        spec.extraExtensions = {{QStringLiteral("1.3.6.1.4.1.55555.1"), true, QByteArray::fromHex("020105")}};
        auto csr = CertificateRequest::create(spec, *key);
        QVERIFY2(csr, qPrintable(csr ? QString() : csr.error().toString()));
        QVERIFY(csr->attributeOids().contains(QStringLiteral("1.2.840.113549.1.9.2")));
        const QList<RequestedExtension> extensions = csr->requestedExtensions();
        QCOMPARE(extensions.size(), 1);
        QCOMPARE(extensions[0].oid, QStringLiteral("1.3.6.1.4.1.55555.1"));
        QVERIFY(extensions[0].critical);
        QCOMPARE(extensions[0].valueDer, QByteArray::fromHex("020105"));
        QVERIFY(csr->challengePassword().isEmpty());
        QCOMPARE(csr->keyUsage(), 0u);
    }

    void create_invalidSpec_isInvalidArgument_data()
    {
        QTest::addColumn<QString>("subject");
        QTest::addColumn<QString>("eku");
        QTest::addColumn<QString>("attributeOid");
        QTest::newRow("no subject, no SAN") << ""
                                            << ""
                                            << "";
        QTest::newRow("unknown EKU") << "CN=x"
                                     << "fooAuth"
                                     << "";
        QTest::newRow("bad attribute OID") << "CN=x"
                                           << ""
                                           << "not.an.oid";
    }

    void create_invalidSpec_isInvalidArgument()
    {
        QFETCH(QString, subject);
        QFETCH(QString, eku);
        QFETCH(QString, attributeOid);
        auto key = PrivateKey::generate(KeyType::EcP256);
        QVERIFY(key);
        CsrSpec spec;
        if (!subject.isEmpty())
            spec.subject = *DistinguishedName::parse(subject);
        if (!eku.isEmpty())
            spec.extendedKeyUsages = {eku};
        if (!attributeOid.isEmpty())
            spec.extraAttributes = {{attributeOid, {QByteArray::fromHex("0500")}}};
        auto csr = CertificateRequest::create(spec, *key);
        QVERIFY(!csr);
        QCOMPARE(csr.error().code, ErrorCode::InvalidArgument);
    }

    void create_publicOnlyKey_isRejected()
    {
        auto key = PrivateKey::generate(KeyType::EcP256);
        auto publicOnly = PrivateKey::publicFromSpkiDer(key->publicKeyDer());
        QVERIFY(publicOnly);
        CsrSpec spec;
        spec.subject = *DistinguishedName::parse(QStringLiteral("CN=x"));
        auto csr = CertificateRequest::create(spec, *publicOnly);
        QVERIFY(!csr);
        QCOMPARE(csr.error().code, ErrorCode::InvalidArgument);
    }

    void fromPem_opensslCsr_fieldsMatchOpensslReq()
    {
        auto csr = CertificateRequest::fromPem(test::cryptoFixture(QStringLiteral("leaf.csr.pem")));
        QVERIFY2(csr, qPrintable(csr ? QString() : csr.error().toString()));
        QVERIFY(csr->verifySignature());
        QCOMPARE(csr->toDer(), test::cryptoFixture(QStringLiteral("leaf.csr.der")));
        // `openssl dgst -sha256 leaf.csr.der`
        QCOMPARE(csr->sha256Hex(), QStringLiteral("0d3ba5013fb2efaaf563c0b267bc5a781bd5316bddb6b6bf45486db9d17266c2"));
        QCOMPARE(csr->subject().toString(), QStringLiteral("CN=device-001, O=Acme Corp"));
        QCOMPARE(csr->challengePassword(), QStringLiteral("est-passcode-123"));
        QCOMPARE(csr->keyUsage(), unsigned(DigitalSignature));
        QCOMPARE(csr->extendedKeyUsages(), QStringList{QStringLiteral("1.3.6.1.5.5.7.3.2")});
        QCOMPARE(csr->subjectAltNames().size(), 3);
        QCOMPARE(csr->subjectAltNames()[1].toString(), QStringLiteral("IP:10.0.0.1"));
        QCOMPARE(csr->publicKeyDer(), test::cryptoFixture(QStringLiteral("p384-public.der")));
        QCOMPARE(csr->publicKey().algorithmName(), QStringLiteral("EC-P384"));
        QCOMPARE(csr->requestedExtensions().size(), 3);
    }

    void verifySignature_tamperedCsr_isVerificationError()
    {
        QByteArray der = test::cryptoFixture(QStringLiteral("leaf.csr.der"));
        // Change one letter of the subject's "device-001" without touching the structure.
        const qsizetype at = der.indexOf("device-001");
        QVERIFY(at > 0);
        der[at] = 'D';
        auto csr = CertificateRequest::fromDer(der);
        QVERIFY(csr);
        auto verified = csr->verifySignature();
        QVERIFY(!verified);
        QCOMPARE(verified.error().code, ErrorCode::Verification);
        QVERIFY(!verified.error().remedy.isEmpty());
    }

    void fromAny_badInput_isParseError_data()
    {
        QTest::addColumn<QByteArray>("data");
        const QByteArray der = test::cryptoFixture(QStringLiteral("leaf.csr.der"));
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("garbage") << QByteArray("?? not a csr ??");
        QTest::newRow("truncated DER") << der.left(der.size() - 3);
        QTest::newRow("truncated base64") << der.toBase64().left(101);
        QTest::newRow("DER + trailing") << der + QByteArray("\x00\xff", 2); // NUL or CRLF padding alone is accepted
        QTest::newRow("certificate instead") << test::cryptoFixture(QStringLiteral("leaf.der"));
        QTest::newRow("PEM with other label") << test::cryptoFixture(QStringLiteral("leaf.pem"));
        QTest::newRow("PEM bad base64") << QByteArray(
            "-----BEGIN CERTIFICATE REQUEST-----\nMIIB#\n-----END CERTIFICATE REQUEST-----\n");
    }

    void fromAny_badInput_isParseError()
    {
        QFETCH(QByteArray, data);
        auto csr = CertificateRequest::fromAny(data);
        QVERIFY(!csr);
        QCOMPARE(csr.error().code, ErrorCode::Parse);
        QVERIFY(!csr.error().message.isEmpty());
    }

    void fromPem_newCertificateRequestLabel_isAccepted()
    {
        const QByteArray der = test::cryptoFixture(QStringLiteral("leaf.csr.der"));
        auto csr = CertificateRequest::fromAny(Encoding::toPem(der, "NEW CERTIFICATE REQUEST"));
        QVERIFY(csr);
        QCOMPARE(csr->toDer(), der);
    }

    void copy_sharesTheImmutableRequest_andOutlivesTheOriginal()
    {
        const QByteArray der = test::cryptoFixture(QStringLiteral("leaf.csr.der"));
        auto csr = CertificateRequest::fromDer(der);
        QVERIFY(csr);
        QCOMPARE(csr->toDer(), der); // kept as read, not re-encoded
        // A copy costs a reference count, not a re-encode and re-parse (the job and the batch relay copy
        // CSRs into their callbacks): it is the same OpenSSL object.
        CertificateRequest copy = *csr;
        QCOMPARE(copy.native(), csr->native());
        QCOMPARE(copy.toDer(), csr->toDer());
        CertificateRequest moved = std::move(copy);
        QVERIFY(copy.isNull()); // NOLINT(bugprone-use-after-move)
        QCOMPARE(moved.toDer(), der);
        // The copy stays valid when the original goes.
        csr = fail(ErrorCode::Cancelled, QStringLiteral("dropped"));
        QVERIFY(moved.verifySignature());
        QCOMPARE(moved.sha256Hex(),
                 QString::fromLatin1(QCryptographicHash::hash(der, QCryptographicHash::Sha256).toHex()));
        // Copy-assignment over a live request shares, too.
        CertificateRequest other = *CertificateRequest::fromDer(der);
        other = moved;
        QCOMPARE(other.native(), moved.native());
    }
};

QTEST_GUILESS_MAIN(TstCsr)
#include "tst_csr.moc"
