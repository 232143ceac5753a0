// RetryAfter: delta-seconds and the three HTTP-date formats of RFC 9110 §5.6.7, against a fixed "now".
#include "est/RetryAfter.h"

#include <QTest>
#include <QTimeZone>

using station::est::RetryAfter;

namespace {
const QDateTime kNow(QDate(1994, 11, 6), QTime(8, 49, 0), QTimeZone::utc());
}

class TestRetryAfter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_validValues_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("seconds");
        QTest::newRow("delta") << QByteArray("120") << qint64(120);
        QTest::newRow("delta with spaces") << QByteArray("  5 ") << qint64(5);
        QTest::newRow("zero") << QByteArray("0") << qint64(0);
        QTest::newRow("imf-fixdate") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << qint64(37);
        QTest::newRow("rfc850") << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << qint64(37);
        QTest::newRow("asctime") << QByteArray("Sun Nov  6 08:49:37 1994") << qint64(37);
        QTest::newRow("lowercase month") << QByteArray("Sun, 06 nov 1994 08:50:00 GMT") << qint64(60);
        QTest::newRow("date in the past is zero") << QByteArray("Sat, 05 Nov 1994 08:49:37 GMT") << qint64(0);
        QTest::newRow("next day") << QByteArray("Mon, 07 Nov 1994 08:49:00 GMT") << qint64(86400);
        QTest::newRow("huge delta saturates") << QByteArray("99999999999999") << qint64(2147483647);
    }
    void parse_validValues()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, seconds);
        const auto delay = RetryAfter::parse(value, kNow);
        QVERIFY(delay.has_value());
        QCOMPARE(qint64(delay->count()), seconds);
    }

    void parse_invalidValues_giveNullopt_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("negative") << QByteArray("-5");
        QTest::newRow("fraction") << QByteArray("1.5");
        QTest::newRow("words") << QByteArray("soon");
        QTest::newRow("bad month") << QByteArray("Sun, 06 Foo 1994 08:49:37 GMT");
        QTest::newRow("bad time") << QByteArray("Sun, 06 Nov 1994 25:49:37 GMT");
        QTest::newRow("not gmt") << QByteArray("Sun, 06 Nov 1994 08:49:37 PST");
        QTest::newRow("feb 30") << QByteArray("Sun, 30 Feb 1994 08:49:37 GMT");
    }
    void parse_invalidValues_giveNullopt()
    {
        QFETCH(QByteArray, value);
        QVERIFY(!RetryAfter::parse(value, kNow).has_value());
    }

    void formatHttpDate_roundTrips()
    {
        const QDateTime when(QDate(2026, 3, 1), QTime(23, 5, 9), QTimeZone::utc());
        const QByteArray text = RetryAfter::formatHttpDate(when);
        QCOMPARE(text, QByteArray("Sun, 01 Mar 2026 23:05:09 GMT"));
        QCOMPARE(RetryAfter::parseHttpDate(text), when);
    }
};

QTEST_GUILESS_MAIN(TestRetryAfter)
#include "tst_retryafter.moc"
