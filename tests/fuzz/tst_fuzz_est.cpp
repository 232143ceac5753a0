// Fuzz smoke runs of the EST client's parsers (FUZZ_TARGET names the target; one executable each):
// seeds are real answers — Lamassu-style multipart, certs-only PKCS#7 in every encoding, csrattrs,
// Retry-After values and error bodies.
#include "FuzzDriver.h"
#include "TestPki.h"

#include "crypto/Encoding.h"
#include "crypto/PrivateKey.h"

#include <QTest>

int FUZZ_TARGET(const uint8_t *data, size_t size);

namespace {

QList<QByteArray> seeds()
{
    using namespace station;
    QList<QByteArray> list;
    auto pki = test::TestPki::create();
    auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
    auto cert = pki->issue(*key, QStringLiteral("seed"));
    const QList<crypto::Certificate> certs{*cert, pki->caCertificate()};
    const QByteArray der = test::TestPki::certsOnlyDer(certs);
    const QByteArray keyB64 = key->toPkcs8Der()->view().toByteArray().toBase64();
    const QByteArray ct = "multipart/mixed; boundary=estServerLamassuBoundary\n";
    list
        << ct +
               "--estServerLamassuBoundary\r\nContent-Type: application/pkcs8\r\nContent-Transfer-Encoding: "
               "base64\r\n\r\n" +
               keyB64 +
               "\r\n--estServerLamassuBoundary\r\nContent-Type: application/pkcs7-mime; smime-type=certs-only\r\n\r\n" +
               test::TestPki::certsOnlyBase64({*cert}, false) + "\r\n--estServerLamassuBoundary--\r\n";
    list << "multipart/mixed; boundary=\"q z\"\npre\n--q z\nContent-Type: application/pkcs8\n\n" +
                key->toPkcs8Pem()->view().toByteArray() + "\n--q z\n\n" + cert->toPem() + "\n--q z--\n";
    list << der << der.toBase64() << crypto::Encoding::encodeBase64(der, 76, true)
         << crypto::Encoding::toPem(der, "PKCS7") << crypto::Certificate::listToPem(certs) << cert->toDer();
    list << QByteArray::fromBase64(
        "MEEGCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAiMBYGCSqGSIb3DQEJDjEJBgcrBgEBAQEWBggqhkjOPQQDAw==");
    list << "Sun, 06 Nov 1994 08:49:37 GMT"
         << "Sunday, 06-Nov-94 08:49:37 GMT"
         << "Sun Nov  6 08:49:37 1994"
         << "120";
    list << "{\"err\":\"device not preregistered\"}"
         << "<html><body><h1>502 Bad Gateway</h1></body></html>"
         << "{\"error\":{\"message\":\"nested\"}}";
    return list;
}

} // namespace

class TstFuzzEst : public QObject
{
    Q_OBJECT
private slots:
    void smoke_mutatedAnswers_neverCrashAndFailCleanly()
    {
        station::fuzz::SmokeOptions options;
        options.iterations = 60000;
        options.maxMilliseconds = 4000;
        options.corpus = QStringLiteral(FUZZ_CORPUS);
        const qint64 executed = station::fuzz::runSmoke(FUZZ_TARGET, seeds(), options);
        qInfo("%lld inputs executed", executed);
        QVERIFY(executed > 500);
    }
};

QTEST_GUILESS_MAIN(TstFuzzEst)
#include "tst_fuzz_est.moc"
