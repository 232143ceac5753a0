// EstResponseDecoder edge cases the servers in the test server script do not cover: key formats in the
// serverkeygen key part (PKCS#8 DER/base64/PEM, traditional EC PEM), what is refused (encrypted keys,
// CMS-wrapped keys, a public key, missing parts), and certificate bodies that hold nothing.
#include "TestPki.h"

#include "est/EstResponseDecoder.h"

#include "crypto/Encoding.h"

#include <QTest>

using namespace station;
using station::est::EstResponseDecoder;

namespace {

QByteArray multipart(const QByteArray &keyType, const QByteArray &keyBody, const QByteArray &certBody)
{
    return "--b\r\nContent-Type: " + keyType + "\r\n\r\n" + keyBody +
           "\r\n--b\r\nContent-Type: application/pkcs7-mime; smime-type=certs-only\r\n\r\n" + certBody +
           "\r\n--b--\r\n";
}

} // namespace

class TestEstResponseDecoder : public QObject
{
    Q_OBJECT
    crypto::PrivateKey m_key;
    crypto::Certificate m_cert;
    QByteArray m_certB64;

private Q_SLOTS:
    void initTestCase()
    {
        auto pki = test::TestPki::create();
        QVERIFY(pki.has_value());
        m_key = *crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        m_cert = *pki->issue(m_key, QStringLiteral("k"));
        m_certB64 = test::TestPki::certsOnlyBase64({m_cert});
    }

    void decodePrivateKey_acceptedForms_data()
    {
        QTest::addColumn<int>("form");
        QTest::newRow("pkcs8 base64") << 0;
        QTest::newRow("pkcs8 base64 wrapped CRLF") << 1;
        QTest::newRow("pkcs8 raw DER") << 2;
        QTest::newRow("pkcs8 PEM") << 3;
    }
    void decodePrivateKey_acceptedForms()
    {
        QFETCH(int, form);
        const QByteArray der = m_key.toPkcs8Der()->view().toByteArray();
        const QByteArray inputs[] = {der.toBase64(), crypto::Encoding::encodeBase64(der, 64, true), der,
                                     m_key.toPkcs8Pem()->view().toByteArray()};
        auto parts = EstResponseDecoder::decodePrivateKey(inputs[form]);
        QVERIFY2(parts.has_value(), qPrintable(parts ? QString() : parts.error().toString()));
        QCOMPARE(parts->privateKeyPkcs8.view().toByteArray(), der);
        QCOMPARE(parts->publicKeyDer, m_key.publicKeyDer());
    }

    void decodePrivateKey_refusals()
    {
        auto encrypted = m_key.toEncryptedPkcs8Pem("pw");
        QVERIFY(encrypted.has_value());
        auto e = EstResponseDecoder::decodePrivateKey(*encrypted);
        QVERIFY(!e.has_value());
        QCOMPARE(e.error().code, ErrorCode::Unsupported);

        auto pub = EstResponseDecoder::decodePrivateKey(m_key.publicKeyPem());
        QVERIFY(!pub.has_value());

        QVERIFY(!EstResponseDecoder::decodePrivateKey("not a key").has_value());
    }

    void decodeServerKeygen_cmsWrappedKey_isUnsupported()
    {
        const QByteArray body = multipart("application/pkcs7-mime; smime-type=server-generated-key", "MIIB", m_certB64);
        auto r = EstResponseDecoder::decodeServerKeygen(body, "multipart/mixed; boundary=b");
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, ErrorCode::Unsupported);
    }

    void decodeServerKeygen_missingCertificatePart_fails()
    {
        const QByteArray body = "--b\r\nContent-Type: application/pkcs8\r\n\r\n" +
                                m_key.toPkcs8Der()->view().toByteArray().toBase64() + "\r\n--b--\r\n";
        auto r = EstResponseDecoder::decodeServerKeygen(body, "multipart/mixed; boundary=b");
        QVERIFY(!r.has_value());
        QVERIFY(r.error().message.contains(QStringLiteral("certificate")));
    }

    void decodeServerKeygen_untypedParts_areRecognisedByContent()
    {
        const QByteArray body =
            "--b\r\n\r\n" + m_key.toPkcs8Pem()->view().toByteArray() + "\r\n--b\r\n\r\n" + m_certB64 + "\r\n--b--";
        auto r = EstResponseDecoder::decodeServerKeygen(body, "multipart/mixed; boundary=b");
        QVERIFY2(r.has_value(), qPrintable(r ? QString() : r.error().toString()));
        QCOMPARE(r->certificates.first(), m_cert);
    }

    void decodeCertificates_emptyOrCertificatelessBodies_fail_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("whitespace") << QByteArray("\r\n \r\n");
        QTest::newRow("PEM key only") << QByteArray("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
        QTest::newRow("base64 of junk") << QByteArray("aGVsbG8gd29ybGQ=");
        QTest::newRow("html error page") << QByteArray("<html><body>Bad gateway</body></html>");
    }
    void decodeCertificates_emptyOrCertificatelessBodies_fail()
    {
        QFETCH(QByteArray, body);
        auto r = EstResponseDecoder::decodeCertificates(body);
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, ErrorCode::Parse);
        QVERIFY(!r.error().message.isEmpty());
    }

    void decodeCertificates_moreThan64Certificates_isRefused()
    {
        auto certs = test::TestPki::sameNameCertificates(65);
        QVERIFY(certs);
        auto refused = EstResponseDecoder::decodeCertificates(test::TestPki::certsOnlyBase64(*certs));
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Parse);
        QVERIFY2(refused.error().message.contains(QStringLiteral("64")), qPrintable(refused.error().toString()));
        auto accepted = EstResponseDecoder::decodeCertificates(test::TestPki::certsOnlyBase64(certs->mid(0, 64)));
        QVERIFY2(accepted, qPrintable(accepted ? QString() : accepted.error().toString()));
        QCOMPARE(accepted->size(), 64);
    }

    void decodeCsrAttributes_wrappedBase64_andEmpty()
    {
        crypto::CsrAttributes attrs;
        attrs.addOid(QStringLiteral("1.2.840.113549.1.9.7"));
        auto r = EstResponseDecoder::decodeCsrAttributes(crypto::Encoding::encodeBase64(attrs.toDer(), 4, true));
        QVERIFY(r.has_value());
        QCOMPARE(r->items(), attrs.items());
        auto empty = EstResponseDecoder::decodeCsrAttributes("\r\n");
        QVERIFY(empty.has_value());
        QVERIFY(empty->isEmpty());
        QVERIFY(!EstResponseDecoder::decodeCsrAttributes("MIIB!!").has_value());
    }
};

QTEST_GUILESS_MAIN(TestEstResponseDecoder)
#include "tst_estresponsedecoder.moc"
