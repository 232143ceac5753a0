// The supervisor password record: PBKDF2-HMAC-SHA256 against published known answers (RFC 7914 §11 and
// the widely used 4096-iteration vector, both reproduced with `openssl kdf`), the right and a wrong
// password, tampered records, and the parameters carried in the record so they can be raised.
#include "crypto/PasswordHash.h"

#include <QTest>

using namespace station;
using namespace station::crypto;

class TestPasswordHash : public QObject
{
    Q_OBJECT
private:
    static SecretBytes pw(const char *text) { return SecretBytes::copyOf(QByteArrayView(text)); }

    // Few iterations keep the suite fast; the default is checked on its own.
    static constexpr PasswordHash::Params kFast{PasswordHash::kMinimumIterations};

private slots:
    void pbkdf2_knownAnswers()
    {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256, P = "passwd", S = "salt", c = 1, dkLen = 64.
        auto one = PasswordHash::pbkdf2Sha256("passwd", "salt", 1, 64);
        QVERIFY(one);
        QCOMPARE(one->toHex(), QByteArray("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                                          "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"));
        // P = "password", S = "salt", c = 4096, dkLen = 32.
        auto many = PasswordHash::pbkdf2Sha256("password", "salt", 4096, 32);
        QVERIFY(many);
        QCOMPARE(many->toHex(), QByteArray("c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"));
    }

    void defaults_areSlow()
    {
        QVERIFY(PasswordHash::Params{}.iterations >= 600000);
        QVERIFY(PasswordHash::kSaltBytes >= 16);
    }

    void create_thenVerify_rightAndWrongPassword()
    {
        auto record = PasswordHash::create(pw("correct horse"), kFast);
        QVERIFY2(record, record ? "" : qPrintable(record.error().toString()));
        QVERIFY(record->startsWith(QStringLiteral("$pbkdf2-sha256$i=1000$")));
        QVERIFY(!record->contains(QStringLiteral("correct horse")));

        auto right = PasswordHash::verify(pw("correct horse"), *record);
        QVERIFY(right);
        QVERIFY(*right);
        auto wrong = PasswordHash::verify(pw("correct hors"), *record);
        QVERIFY(wrong);
        QVERIFY(!*wrong);
        auto empty = PasswordHash::verify(SecretBytes(), *record);
        QVERIFY(empty && !*empty);
    }

    void create_saltsEachRecordDifferently()
    {
        auto a = PasswordHash::create(pw("same password"), kFast);
        auto b = PasswordHash::create(pw("same password"), kFast);
        QVERIFY(a && b);
        QVERIFY(*a != *b);
        QVERIFY(PasswordHash::parse(*a)->salt != PasswordHash::parse(*b)->salt);
    }

    void parameters_roundTrip_andCanBeRaised()
    {
        auto record = PasswordHash::create(pw("pass phrase"), PasswordHash::Params{2000});
        QVERIFY(record);
        auto parsed = PasswordHash::parse(*record);
        QVERIFY(parsed);
        QCOMPARE(parsed->iterations, 2000u);
        QCOMPARE(parsed->salt.size(), PasswordHash::kSaltBytes);
        QCOMPARE(parsed->hash.size(), PasswordHash::kHashBytes);
        QCOMPARE(parsed->toString(), *record);
        // The derivation uses the record's own count, not the current default.
        auto expected = PasswordHash::pbkdf2Sha256("pass phrase", parsed->salt, 2000, PasswordHash::kHashBytes);
        QCOMPARE(*expected, parsed->hash);
        QVERIFY(!PasswordHash::needsRehash(*record, PasswordHash::Params{2000}));
        QVERIFY(PasswordHash::needsRehash(*record, PasswordHash::Params{3000}));
        QVERIFY(PasswordHash::needsRehash(QStringLiteral("garbage")));
    }

    void verify_tamperedRecord_isRejected_data()
    {
        QTest::addColumn<int>("field"); // which '$' field to change
        QTest::addColumn<bool>("parseError");
        QTest::newRow("iterations lowered") << 2 << false;
        QTest::newRow("salt changed") << 3 << false;
        QTest::newRow("hash changed") << 4 << false;
    }
    void verify_tamperedRecord_isRejected()
    {
        QFETCH(int, field);
        auto record = PasswordHash::create(pw("supervisor!"), PasswordHash::Params{1500});
        QVERIFY(record);
        QStringList parts = record->split(QLatin1Char('$'));
        if (field == 2) {
            parts[2] = QStringLiteral("i=1000");
        } else {
            QString &f = parts[field];
            f[3] = f[3] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
        }
        const QString tampered = parts.join(QLatin1Char('$'));
        QVERIFY(tampered != *record);
        auto r = PasswordHash::verify(pw("supervisor!"), tampered);
        QVERIFY(r);
        QVERIFY(!*r); // well-formed, but it no longer matches the password
    }

    void verify_malformedRecord_isAnError_data()
    {
        QTest::addColumn<QString>("record");
        const QString salt = QStringLiteral("AAAAAAAAAAAAAAAAAAAAAA");
        const QString hash = QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        QTest::newRow("empty") << QString();
        QTest::newRow("plain text") << QStringLiteral("hunter2");
        QTest::newRow("other algorithm") << QStringLiteral("$md5$i=1000$%1$%2").arg(salt, hash);
        QTest::newRow("no count") << QStringLiteral("$pbkdf2-sha256$1000$%1$%2").arg(salt, hash);
        QTest::newRow("count too low") << QStringLiteral("$pbkdf2-sha256$i=1$%1$%2").arg(salt, hash);
        QTest::newRow("count too high") << QStringLiteral("$pbkdf2-sha256$i=999999999999$%1$%2").arg(salt, hash);
        QTest::newRow("bad base64") << QStringLiteral("$pbkdf2-sha256$i=1000$%1$*%2").arg(salt, hash);
        QTest::newRow("short salt") << QStringLiteral("$pbkdf2-sha256$i=1000$AAAA$%1").arg(hash);
        QTest::newRow("short hash") << QStringLiteral("$pbkdf2-sha256$i=1000$%1$AAAA").arg(salt);
        QTest::newRow("extra field") << QStringLiteral("$pbkdf2-sha256$i=1000$%1$%2$x").arg(salt, hash);
    }
    void verify_malformedRecord_isAnError()
    {
        QFETCH(QString, record);
        auto r = PasswordHash::verify(pw("anything"), record);
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Parse);
        QVERIFY(!r.error().remedy.isEmpty());
    }

    void create_refusesWeakParameters() { QVERIFY(!PasswordHash::create(pw("x"), PasswordHash::Params{10})); }
};

QTEST_GUILESS_MAIN(TestPasswordHash)
#include "tst_passwordhash.moc"
