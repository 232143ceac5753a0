// PrivateKey, KeyType, SecretBytes and PKCS#12 import: generation of every supported type, import of
// the formats openssl writes (PKCS#8, traditional, encrypted, DER, PKCS#12), export round trips, signing,
// and the errors for wrong passphrases and bad input.
#include "CryptoFixtures.h"
#include "crypto/Certificate.h"
#include "crypto/Encoding.h"
#include "crypto/PrivateKey.h"
#include "crypto/SecretBytes.h"

#include <QTest>

using namespace station;
using namespace station::crypto;

class TstPrivateKey : public QObject
{
    Q_OBJECT

private slots:
    void parseKeyType_names_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("type");
        QTest::newRow("rsa2048") << "rsa2048" << int(KeyType::Rsa2048);
        QTest::newRow("rsa") << "RSA" << int(KeyType::Rsa2048);
        QTest::newRow("rsa3072") << "rsa3072" << int(KeyType::Rsa3072);
        QTest::newRow("rsa4096") << "Rsa4096" << int(KeyType::Rsa4096);
        QTest::newRow("p256") << "p256" << int(KeyType::EcP256);
        QTest::newRow("ec-p256") << "ec-p256" << int(KeyType::EcP256);
        QTest::newRow("prime256v1") << "prime256v1" << int(KeyType::EcP256);
        QTest::newRow("secp384r1") << "secp384r1" << int(KeyType::EcP384);
        QTest::newRow("P521") << "P521" << int(KeyType::EcP521);
        QTest::newRow("ed25519") << "ED25519" << int(KeyType::Ed25519);
    }

    void parseKeyType_names()
    {
        QFETCH(QString, name);
        QFETCH(int, type);
        auto parsed = parseKeyType(name);
        QVERIFY(parsed);
        QCOMPARE(int(*parsed), type);
        QCOMPARE(*parseKeyType(keyTypeName(*parsed)), *parsed);
    }

    void parseKeyType_unknown_isInvalidArgumentListingNames()
    {
        auto parsed = parseKeyType(QStringLiteral("dsa1024"));
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, ErrorCode::InvalidArgument);
        QVERIFY(parsed.error().remedy.contains(QStringLiteral("p384")));
        QCOMPARE(keyTypeNames().size(), 7);
    }

    void generate_eachType_hasExpectedAlgorithmAndRoundTrips_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("algorithm");
        QTest::addColumn<int>("bits");
        QTest::newRow("rsa2048") << int(KeyType::Rsa2048) << "RSA-2048" << 2048;
        QTest::newRow("rsa3072") << int(KeyType::Rsa3072) << "RSA-3072" << 3072;
        QTest::newRow("rsa4096") << int(KeyType::Rsa4096) << "RSA-4096" << 4096;
        QTest::newRow("p256") << int(KeyType::EcP256) << "EC-P256" << 256;
        QTest::newRow("p384") << int(KeyType::EcP384) << "EC-P384" << 384;
        QTest::newRow("p521") << int(KeyType::EcP521) << "EC-P521" << 521;
        QTest::newRow("ed25519") << int(KeyType::Ed25519) << "Ed25519" << 256;
    }

    void generate_eachType_hasExpectedAlgorithmAndRoundTrips()
    {
        QFETCH(int, type);
        QFETCH(QString, algorithm);
        QFETCH(int, bits);
        auto key = PrivateKey::generate(KeyType(type));
        QVERIFY2(key, qPrintable(key ? QString() : key.error().toString()));
        QVERIFY(key->isPrivate());
        QCOMPARE(key->algorithmName(), algorithm);
        QCOMPARE(int(*key->keyType()), type);
        QCOMPARE(key->bits(), bits);

        auto der = key->toPkcs8Der();
        QVERIFY(der);
        auto fromDer = PrivateKey::fromDer(der->view().toByteArray());
        QVERIFY(fromDer);
        QVERIFY(fromDer->publicKeyEquals(*key));
        QVERIFY(fromDer->isPrivate());

        auto pem = key->toPkcs8Pem();
        QVERIFY(pem);
        QVERIFY(pem->view().toByteArray().startsWith("-----BEGIN PRIVATE KEY-----"));
        auto fromPem = PrivateKey::fromPem(pem->view().toByteArray());
        QVERIFY(fromPem);
        QCOMPARE(fromPem->publicKeyDer(), key->publicKeyDer());

        auto signature = key->sign("message");
        QVERIFY(signature);
        auto publicOnly = PrivateKey::publicFromSpkiDer(key->publicKeyDer());
        QVERIFY(publicOnly);
        QVERIFY(!publicOnly->isPrivate());
        QVERIFY(publicOnly->verify("message", *signature));
        QVERIFY(!publicOnly->verify("massage", *signature));
        QVERIFY(!publicOnly->sign("message"));
        QVERIFY(!publicOnly->toPkcs8Der());
    }

    void fromAny_opensslFixtures_import_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("passphrase");
        QTest::addColumn<QString>("algorithm");
        QTest::newRow("PKCS#8 PEM RSA") << "rsa2048-pkcs8.pem" << QByteArray() << "RSA-2048";
        QTest::newRow("traditional RSA PEM") << "rsa2048-traditional.pem" << QByteArray() << "RSA-2048";
        QTest::newRow("traditional EC PEM") << "p256-traditional.pem" << QByteArray() << "EC-P256";
        QTest::newRow("PKCS#8 DER EC") << "p256-pkcs8.der" << QByteArray() << "EC-P256";
        QTest::newRow("PKCS#8 PEM P-384") << "p384-pkcs8.pem" << QByteArray() << "EC-P384";
        QTest::newRow("encrypted PKCS#8 PEM")
            << "p384-encrypted.pem" << QByteArray(test::kPkcs8Passphrase) << "EC-P384";
        QTest::newRow("encrypted PKCS#8 DER")
            << "p384-encrypted.der" << QByteArray(test::kPkcs8Passphrase) << "EC-P384";
        QTest::newRow("Ed25519 PEM") << "ed25519-pkcs8.pem" << QByteArray() << "Ed25519";
        QTest::newRow("encrypted traditional RSA PEM")
            << "rsa2048-traditional-encrypted.pem" << QByteArray(test::kPkcs8Passphrase) << "RSA-2048";
    }

    void fromAny_opensslFixtures_import()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, passphrase);
        QFETCH(QString, algorithm);
        const QByteArray data = test::cryptoFixture(file);
        QVERIFY(!data.isEmpty());
        auto key = PrivateKey::fromAny(data, passphrase);
        QVERIFY2(key, qPrintable(key ? QString() : key.error().toString()));
        QVERIFY(key->isPrivate());
        QCOMPARE(key->algorithmName(), algorithm);
    }

    void fromDer_traditionalEcDer_imports()
    {
        // The DER inside "EC PRIVATE KEY" (RFC 5915), as devices often store it.
        const QList<QByteArray> blocks =
            Encoding::pemBlocks(test::cryptoFixture(QStringLiteral("p256-traditional.pem")), "EC PRIVATE KEY");
        QCOMPARE(blocks.size(), 1);
        auto key = PrivateKey::fromDer(blocks.first());
        QVERIFY2(key, qPrintable(key ? QString() : key.error().toString()));
        auto pkcs8 = PrivateKey::fromDer(test::cryptoFixture(QStringLiteral("p256-pkcs8.der")));
        QVERIFY(pkcs8);
        QVERIFY(key->publicKeyEquals(*pkcs8));
        // PKCS#8 export of the traditional key is what `openssl pkcs8 -topk8 -nocrypt -outform DER` wrote.
        QCOMPARE(key->toPkcs8Der()->view().toByteArray(), test::cryptoFixture(QStringLiteral("p256-pkcs8.der")));
    }

    void fromPem_encryptedAndPlain_haveSamePublicKeyAsOpenssl()
    {
        // `openssl pkey -pubout -outform DER` of the P-384 key.
        const QByteArray spki = test::cryptoFixture(QStringLiteral("p384-public.der"));
        auto plain = PrivateKey::fromPem(test::cryptoFixture(QStringLiteral("p384-pkcs8.pem")));
        auto encrypted =
            PrivateKey::fromPem(test::cryptoFixture(QStringLiteral("p384-encrypted.pem")), test::kPkcs8Passphrase);
        QVERIFY(plain && encrypted);
        QCOMPARE(plain->publicKeyDer(), spki);
        QCOMPARE(encrypted->publicKeyDer(), spki);
        QVERIFY(plain->publicKeyPem().startsWith("-----BEGIN PUBLIC KEY-----"));
    }

    void fromAny_wrongOrMissingPassphrase_isAuthenticationError_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("passphrase");
        QTest::newRow("PEM wrong") << "p384-encrypted.pem" << QByteArray("wrong");
        QTest::newRow("PEM missing") << "p384-encrypted.pem" << QByteArray();
        QTest::newRow("DER wrong") << "p384-encrypted.der" << QByteArray("fixture-pas");
        QTest::newRow("DER missing") << "p384-encrypted.der" << QByteArray();
        QTest::newRow("traditional PEM wrong") << "rsa2048-traditional-encrypted.pem" << QByteArray("nope");
        QTest::newRow("traditional PEM missing") << "rsa2048-traditional-encrypted.pem" << QByteArray();
    }

    void fromAny_wrongOrMissingPassphrase_isAuthenticationError()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, passphrase);
        auto key = PrivateKey::fromAny(test::cryptoFixture(file), passphrase);
        QVERIFY(!key);
        QCOMPARE(key.error().code, ErrorCode::Authentication);
        QVERIFY(!key.error().message.isEmpty());
        QVERIFY(!key.error().remedy.isEmpty());
    }

    void fromAny_badInput_isParseError_data()
    {
        QTest::addColumn<QByteArray>("data");
        const QByteArray der = test::cryptoFixture(QStringLiteral("p256-pkcs8.der"));
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("garbage") << QByteArray("not a key at all");
        QTest::newRow("truncated DER") << der.left(der.size() / 2);
        QTest::newRow("DER with trailing data") << der + QByteArray("\x05\x00", 2);
        QTest::newRow("flipped DER byte") << QByteArray(der).replace(10, 1, "\x7f");
        QTest::newRow("certificate, not key") << test::cryptoFixture(QStringLiteral("leaf.pem"));
        QTest::newRow("PEM bad base64") << QByteArray(
            "-----BEGIN PRIVATE KEY-----\nMIG2Ag$A\n-----END PRIVATE KEY-----\n");
        QTest::newRow("public key DER") << test::cryptoFixture(QStringLiteral("p384-public.der"));
    }

    void fromAny_badInput_isParseError()
    {
        QFETCH(QByteArray, data);
        auto key = PrivateKey::fromAny(data);
        QVERIFY(!key);
        QCOMPARE(key.error().code, ErrorCode::Parse);
        QVERIFY(!key.error().message.isEmpty());
    }

    void toEncryptedPkcs8Pem_roundTripsWithPassphraseOnly()
    {
        auto key = PrivateKey::generate(KeyType::EcP256);
        QVERIFY(key);
        auto pem = key->toEncryptedPkcs8Pem("s3cret");
        QVERIFY(pem);
        QVERIFY(pem->startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        auto back = PrivateKey::fromPem(*pem, "s3cret");
        QVERIFY(back);
        QVERIFY(back->publicKeyEquals(*key));
        auto wrong = PrivateKey::fromPem(*pem, "S3cret");
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().code, ErrorCode::Authentication);
        QVERIFY(!key->toEncryptedPkcs8Pem({}));
    }

    void importPkcs12_opensslFile_keyAndLeafFirst()
    {
        auto bundle = importPkcs12(test::cryptoFixture(QStringLiteral("leaf.p12")), test::kPkcs12Password);
        QVERIFY2(bundle, qPrintable(bundle ? QString() : bundle.error().toString()));
        QVERIFY(bundle->key.isPrivate());
        QCOMPARE(bundle->key.algorithmName(), QStringLiteral("EC-P384"));
        QCOMPARE(bundle->certificates.size(), 2);
        QVERIFY(bundle->certificates[0].matchesKey(bundle->key));
        QCOMPARE(bundle->certificates[0].serialHex(), QStringLiteral("7AB1C2D3E4F5061728394A5B6C7D8E9F"));
        QCOMPARE(bundle->certificates[1].subject().commonName(), QStringLiteral("Fixture Issuing CA"));
    }

    void importPkcs12_wrongPassword_isAuthenticationError_data()
    {
        QTest::addColumn<QByteArray>("password");
        QTest::newRow("wrong") << QByteArray("p12-secreT");
        QTest::newRow("empty") << QByteArray();
    }

    void importPkcs12_wrongPassword_isAuthenticationError()
    {
        QFETCH(QByteArray, password);
        auto bundle = importPkcs12(test::cryptoFixture(QStringLiteral("leaf.p12")), password);
        QVERIFY(!bundle);
        QCOMPARE(bundle.error().code, ErrorCode::Authentication);
    }

    void importPkcs12_garbage_isParseError()
    {
        const QByteArray p12 = test::cryptoFixture(QStringLiteral("leaf.p12"));
        for (const QByteArray &bad : {QByteArray(), QByteArray("garbage"), p12.left(100)}) {
            auto bundle = importPkcs12(bad, test::kPkcs12Password);
            QVERIFY(!bundle);
            QCOMPARE(bundle.error().code, ErrorCode::Parse);
        }
    }

    void secretBytes_clearAndMove_leaveNothingBehind()
    {
        SecretBytes secret(QByteArray("hunter2"));
        QCOMPARE(secret.size(), 7);
        SecretBytes copy = secret.clone();
        QCOMPARE(copy.view().toByteArray(), QByteArray("hunter2"));
        QVERIFY(copy.constData() != secret.constData()); // a deep copy
        SecretBytes moved(std::move(secret));
        QVERIFY(secret.isEmpty()); // NOLINT(bugprone-use-after-move): moved-from is defined empty
        QCOMPARE(moved.view().toByteArray(), QByteArray("hunter2"));
        moved.clear();
        QVERIFY(moved.isEmpty());
        QCOMPARE(copy.view().toByteArray(), QByteArray("hunter2"));
    }

    void secretBytes_accessorLendsTheBuffer_noSharedCopyThatOutlivesTheWipe()
    {
        SecretBytes secret(QByteArray("0123456789abcdef-key-material"));
        // What callers get as a QByteArray must not co-own the buffer: a co-owner would keep the bytes
        // alive past clear() (wipe() must skip shared buffers), which is how copies survived.
        QByteArray lent = secret.borrow();
        QVERIFY(lent.constData() == secret.constData());              // the secret's own bytes, not a copy (pointers)
        QCOMPARE(qstrlen(secret.constData()), size_t(secret.size())); // NUL-terminated like a QByteArray
        QVERIFY2(lent.data_ptr().d_ptr() == nullptr, "the lent QByteArray co-owns the secret's buffer");
        QCOMPARE(secret.view(), QByteArrayView("0123456789abcdef-key-material"));
        // Constructing from a QByteArray the caller moved in wipes that buffer.
        QByteArray source("another-secret-value");
        source.detach();
        SecretBytes taken(std::move(source));
        QCOMPARE(taken.view(), QByteArrayView("another-secret-value"));
        QVERIFY(source.isEmpty()); // NOLINT(bugprone-use-after-move)
    }

    void wipe_sharedBuffer_leavesOtherOwnerIntact()
    {
        QByteArray data("top secret");
        QByteArray other = data; // implicitly shared: wiping must not corrupt the other owner's copy
        wipe(data);
        QVERIFY(data.isEmpty());
        QCOMPARE(other, QByteArray("top secret"));
        QByteArray owned("another secret");
        owned.detach();
        wipe(owned);
        QVERIFY(owned.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstPrivateKey)
#include "tst_privatekey.moc"
