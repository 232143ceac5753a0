// IssuedCertificateVerifier: an issued certificate is accepted only when it carries the key that was
// sent (however that key is encoded) and chains to the CA set; one verifier per CA set serves a batch.
#include "TestPki.h"

#include "est/IssuedCertificateVerifier.h"

#include "crypto/PrivateKey.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <QTest>

using namespace station;
using station::est::IssuedCertificateVerifier;
using station::test::TestPki;

namespace {

/// The SubjectPublicKeyInfo of `key` with its EC point compressed (what some devices put in a CSR).
QByteArray compressedSpki(const crypto::PrivateKey &key)
{
    EVP_PKEY *copy = EVP_PKEY_dup(key.native());
    if (!copy)
        return {};
    QByteArray der;
    if (EVP_PKEY_set_utf8_string_param(copy, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "compressed") == 1) {
        unsigned char *out = nullptr;
        const int length = i2d_PUBKEY(copy, &out);
        if (length > 0)
            der = QByteArray(reinterpret_cast<const char *>(out), length);
        OPENSSL_free(out);
    }
    EVP_PKEY_free(copy);
    return der;
}

} // namespace

class TestIssuedCertificateVerifier : public QObject
{
    Q_OBJECT

    std::optional<TestPki> m_pki;

private Q_SLOTS:
    void initTestCase()
    {
        auto pki = TestPki::create();
        QVERIFY(pki.has_value());
        m_pki = std::move(*pki);
    }

    void verify_keyAndChainMatch_returnsLeafAndChain()
    {
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        QVERIFY(key.has_value());
        auto cert = m_pki->issue(*key, QStringLiteral("unit-1"));
        QVERIFY(cert.has_value());
        auto verified = IssuedCertificateVerifier::verify({*cert}, cert->publicKeyDer(), {m_pki->caCertificate()});
        QVERIFY2(verified.has_value(), qPrintable(verified ? QString() : verified.error().toString()));
        QCOMPARE(verified->certificate, *cert);
        QCOMPARE(verified->chain.size(), 2);
        QCOMPARE(verified->chain.last(), m_pki->caCertificate());
    }

    void verify_sameKeyEncodedDifferently_isStillTheKeyThatWasSent()
    {
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        QVERIFY(key.has_value());
        auto cert = m_pki->issue(*key, QStringLiteral("unit-2"));
        QVERIFY(cert.has_value());
        const QByteArray compressed = compressedSpki(*key);
        QVERIFY(!compressed.isEmpty());
        QVERIFY(compressed != cert->publicKeyDer());
        QVERIFY(IssuedCertificateVerifier::verify({*cert}, compressed, {m_pki->caCertificate()}).has_value());
    }

    void verify_anotherKey_isRejected()
    {
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        auto other = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        QVERIFY(key.has_value() && other.has_value());
        auto cert = m_pki->issue(*key, QStringLiteral("unit-3"));
        QVERIFY(cert.has_value());
        for (const QByteArray &sent : {compressedSpki(*other), other->publicKeyDer()}) {
            auto verified = IssuedCertificateVerifier::verify({*cert}, sent, {m_pki->caCertificate()});
            QVERIFY(!verified.has_value());
            QCOMPARE(verified.error().code, ErrorCode::Verification);
            QVERIFY(verified.error().message.contains(QStringLiteral("not the key that was sent")));
        }
    }

    void verify_anotherCa_isRejected()
    {
        auto otherPki = TestPki::create(QStringLiteral("Other CA"));
        QVERIFY(otherPki.has_value());
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        QVERIFY(key.has_value());
        auto cert = otherPki->issue(*key, QStringLiteral("unit-4"));
        QVERIFY(cert.has_value());
        auto verified = IssuedCertificateVerifier::verify({*cert}, cert->publicKeyDer(), {m_pki->caCertificate()});
        QVERIFY(!verified.has_value());
        QVERIFY(verified.error().message.contains(QStringLiteral("does not chain")));
    }

    void verify_oneVerifierForTheCaSet_servesManyCertificates()
    {
        const crypto::ChainVerifier caVerifier({m_pki->caCertificate()});
        auto otherPki = TestPki::create(QStringLiteral("Other CA"));
        QVERIFY(otherPki.has_value());
        for (int i = 0; i < 5; ++i) {
            auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
            QVERIFY(key.has_value());
            auto good = m_pki->issue(*key, QStringLiteral("batch-%1").arg(i));
            auto bad = otherPki->issue(*key, QStringLiteral("batch-%1").arg(i));
            QVERIFY(good.has_value() && bad.has_value());
            QVERIFY(IssuedCertificateVerifier::verify({*good}, good->publicKeyDer(), caVerifier).has_value());
            QVERIFY(!IssuedCertificateVerifier::verify({*bad}, bad->publicKeyDer(), caVerifier).has_value());
        }
    }

    void verify_noCaCertificates_saysWhatIsMissing()
    {
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        QVERIFY(key.has_value());
        auto cert = m_pki->issue(*key, QStringLiteral("unit-5"));
        QVERIFY(cert.has_value());
        auto verified = IssuedCertificateVerifier::verify({*cert}, cert->publicKeyDer(), QList<crypto::Certificate>{});
        QVERIFY(!verified.has_value());
        QVERIFY(!verified.error().remedy.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestIssuedCertificateVerifier)
#include "tst_issuedcertificateverifier.moc"
