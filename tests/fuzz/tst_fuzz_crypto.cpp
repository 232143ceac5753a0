// Fuzz smoke runs of the crypto parsers: seeds are valid samples (openssl-made fixtures, the RFC 7030 /
// RFC 9908 csrattrs examples, station-built CSRs), mutated deterministically for a bounded time. The
// target named by FUZZ_TARGET is run (one executable per target; see CMakeLists.txt).
#include "CryptoFixtures.h"
#include "FuzzDriver.h"
#include "crypto/CertificateRequest.h"
#include "crypto/Encoding.h"

#include <QTest>

int FUZZ_TARGET(const uint8_t *data, size_t size);

namespace {

QList<QByteArray> seeds()
{
    using station::test::cryptoFixture;
    QList<QByteArray> list;
    for (const char *name : {"leaf.der", "leaf.pem", "chain.pem", "scrambled.p7b", "scrambled.p7b.pem", "leaf.csr.der",
                             "leaf.csr.pem", "p256-pkcs8.der", "p384-encrypted.der", "rsa2048-traditional.pem"})
        list.append(cryptoFixture(QString::fromLatin1(name)));
    list.append(cryptoFixture(QStringLiteral("scrambled.p7b")).toBase64());
    list.append(station::crypto::Encoding::encodeBase64(cryptoFixture(QStringLiteral("leaf.csr.der")), 64, true));
    for (const char *b64 :
         {"MEEGCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAiMBYGCSqGSIb3DQEJDjEJBgcrBgEBAQEWBggqhkjOPQQDAw==",
          "ME4GCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAiMCMGCSqGSIb3DQEJDjEWMBQwEgYDVR0JBAswCQYHKwYBAQEBFgYIKoZIzj0EAwM"
          "=",
          "MGQwYgYJKoZIhvcNAQkOMVUwUwYDVR0RAQH/BEmgRzBFBggrBgEFBQcICgw5cmZjODk5NCtmZDczOWZjMjNjMzQ0MDExMjIzMzQ0NTUwMDAw"
          "MDAwMCtAYWNwLmV4YW1wbGUuY29t",
          "MCkGCSqGSIb3DQEJBzARBgkqhkiG9w0BAQExBAICEAAGCSqGSIb3DQEBCw==",
          "MFQGCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAjMCkGCSqGSIb3DQEJDjEcBgNVBAUGCSqGSIb3DQEJFAYKCZImiZPyLGQBBQYIKoZI"
          "zj0EAwQ="}) {
        list.append(QByteArray::fromBase64(b64));
    }
    list.append(QByteArray::fromHex("3000"));
    return list;
}

} // namespace

class TstFuzzCrypto : public QObject
{
    Q_OBJECT
private slots:
    void smoke_mutatedSamples_neverCrashAndFailCleanly()
    {
        const QList<QByteArray> samples = seeds();
        for (const QByteArray &sample : samples)
            QVERIFY(!sample.isEmpty());
        station::fuzz::SmokeOptions options;
        options.iterations = 20000;
        options.maxMilliseconds = 6000;
        options.corpus = QStringLiteral(FUZZ_CORPUS);
        const qint64 executed = station::fuzz::runSmoke(FUZZ_TARGET, samples, options);
        qInfo("%lld inputs executed", static_cast<long long>(executed));
        QVERIFY(executed > samples.size());
    }
};

QTEST_GUILESS_MAIN(TstFuzzCrypto)
#include "tst_fuzz_crypto.moc"
