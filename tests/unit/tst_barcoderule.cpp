// Barcode rules: plain serials, regular expressions with a `serial` group, and GS1 element strings in
// all three forms (raw with GS separators, with a symbology identifier, parenthesised), the GTIN check
// digit, and refusals of bad scanner input with a readable reason.
#include "provisioning/BarcodeRule.h"

#include <QTest>

using namespace station::provisioning;

namespace {
const QString GS = QString(QChar(0x1D));
}

class TestBarcodeRule : public QObject
{
    Q_OBJECT
private slots:
    void plain_trimsAndTakesTheWholeCode()
    {
        auto c = BarcodeRule::plain().parse(QStringLiteral("  SN-0001 \r\n"));
        QVERIFY(c);
        QCOMPARE(c->serial, QStringLiteral("SN-0001"));
    }

    void plain_refusesControlCharactersAndOverlongInput()
    {
        QVERIFY(!BarcodeRule::plain().parse(QStringLiteral("SN\x01") + QStringLiteral("1")));
        QVERIFY(!BarcodeRule::plain().parse(QString(600, QLatin1Char('A'))));
        QVERIFY(!BarcodeRule::plain().parse(QStringLiteral("   ")));
        auto gs1 = BarcodeRule::plain().parse(QStringLiteral("0109506000134352") + GS + QStringLiteral("21X"));
        QVERIFY(!gs1);
        QVERIFY(gs1.error().message.contains(QStringLiteral("GS1")));
    }

    void regex_needsASerialGroup()
    {
        QVERIFY(!BarcodeRule::regex(QStringLiteral("SN-(\\d+)")));
        QVERIFY(!BarcodeRule::regex(QStringLiteral("(?<serial>[")));
        auto rule = BarcodeRule::regex(QStringLiteral("ACME:(?<serial>SN-\\d{4})"));
        QVERIFY(rule);
        auto c = rule->parse(QStringLiteral("ACME:SN-1234"));
        QVERIFY(c);
        QCOMPARE(c->serial, QStringLiteral("SN-1234"));
        QVERIFY(!rule->parse(QStringLiteral("ACME:SN-1234-extra"))); // the whole code must match
        QVERIFY(!rule->parse(QStringLiteral("XACME:SN-1234")));
    }

    void fromSpec_roundTrips()
    {
        for (const QString &spec :
             {QStringLiteral("plain"), QStringLiteral("gs1"), QStringLiteral("regex:(?<serial>.+)")}) {
            auto r = BarcodeRule::fromSpec(spec);
            QVERIFY(r);
            QCOMPARE(r->spec(), spec);
        }
        QVERIFY(!BarcodeRule::fromSpec(QStringLiteral("qr")));
    }

    void gtinCheckDigit_knownValues()
    {
        QVERIFY(BarcodeRule::gtinCheckDigitValid(QStringLiteral("09506000134352")));
        QVERIFY(BarcodeRule::gtinCheckDigitValid(QStringLiteral("4006381333931"))); // EAN-13
        QVERIFY(BarcodeRule::gtinCheckDigitValid(QStringLiteral("96385074")));      // EAN-8
        QVERIFY(!BarcodeRule::gtinCheckDigitValid(QStringLiteral("09506000134353")));
        QVERIFY(!BarcodeRule::gtinCheckDigitValid(QStringLiteral("0950600013435A")));
        QVERIFY(!BarcodeRule::gtinCheckDigitValid(QStringLiteral("123")));
    }

    void gs1_allThreeForms_data()
    {
        QTest::addColumn<QString>("scan");
        QTest::addColumn<QString>("serial");
        QTest::addColumn<QString>("gtin");
        const QString raw =
            QStringLiteral("0109506000134352") + QStringLiteral("21ABC-123") + GS + QStringLiteral("10LOT7");
        QTest::newRow("raw with GS") << raw << "ABC-123"
                                     << "09506000134352";
        QTest::newRow("raw, serial last") << QStringLiteral("010950600013435221ABC-123") << "ABC-123"
                                          << "09506000134352";
        QTest::newRow("]d2 DataMatrix") << QStringLiteral("]d2") + raw << "ABC-123"
                                        << "09506000134352";
        QTest::newRow("]Q3 QR") << QStringLiteral("]Q3") + raw << "ABC-123"
                                << "09506000134352";
        QTest::newRow("]C1 GS1-128 + leading FNC1") << QStringLiteral("]C1") + GS + raw << "ABC-123"
                                                    << "09506000134352";
        QTest::newRow("parenthesised") << QStringLiteral("(01)09506000134352(21)ABC-123(10)LOT7") << "ABC-123"
                                       << "09506000134352";
        QTest::newRow("date then serial") << QStringLiteral("(17)271231(21)S1") << "S1"
                                          << "";
        QTest::newRow("fixed-length AI run-on")
            << QStringLiteral("011950600013435911271231") + QStringLiteral("21Z9") << "Z9"
            << "19506000134359";
    }
    void gs1_allThreeForms()
    {
        QFETCH(QString, scan);
        QFETCH(QString, serial);
        QFETCH(QString, gtin);
        auto c = BarcodeRule::gs1().parse(scan);
        QVERIFY2(c, c ? "" : qPrintable(c.error().toString()));
        QCOMPARE(c->serial, serial);
        QCOMPARE(c->gtin, gtin);
    }

    void gs1_refusals_data()
    {
        QTest::addColumn<QString>("scan");
        QTest::addColumn<QString>("reason");
        QTest::newRow("bad check digit") << QStringLiteral("(01)09506000134353(21)X") << "check digit";
        QTest::newRow("no serial") << QStringLiteral("(01)09506000134352") << "AI (21)";
        QTest::newRow("unknown AI") << QStringLiteral("(77)123(21)X") << "unknown application identifier";
        QTest::newRow("short GTIN") << QStringLiteral("(01)0950600013435(21)X") << "exactly";
        QTest::newRow("overlong serial") << QStringLiteral("(21)") + QString(21, QLatin1Char('A')) << "1 to 20";
        QTest::newRow("duplicate AI") << QStringLiteral("(21)A(21)B") << "twice";
        QTest::newRow("other symbology") << QStringLiteral("]E0") + QStringLiteral("21X") << "symbology";
        QTest::newRow("unclosed paren") << QStringLiteral("(21X") << "unclosed";
        QTest::newRow("bad serial chars") << QStringLiteral("(21)A B") << "characters";
        QTest::newRow("raw truncated fixed") << QStringLiteral("01095060") << "exactly";
        QTest::newRow("empty after prefix") << QStringLiteral("]d2") << "no element string";
    }
    void gs1_refusals()
    {
        QFETCH(QString, scan);
        QFETCH(QString, reason);
        auto c = BarcodeRule::gs1().parse(scan);
        QVERIFY(!c);
        QVERIFY2(c.error().message.contains(reason), qPrintable(c.error().message));
        QVERIFY(!c.error().remedy.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBarcodeRule)
#include "tst_barcoderule.moc"
