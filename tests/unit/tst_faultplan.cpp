// Parsing of the simulators' --fault specification.
#include "sim/FaultPlan.h"

#include <QTest>

using namespace station::drivers;

class TestFaultPlan : public QObject
{
    Q_OBJECT
private slots:
    void parse_everyFault_isRecognised()
    {
        auto plan = FaultPlan::parse(QStringLiteral(
            "disconnect-after-bytes=100, disconnect-at=WRITE-CERT,corrupt-every=7,stall-ms=250,refuse=commit,"
            "refuse=KEYGEN,keygen-fail"));
        QVERIFY2(plan.has_value(), plan ? "" : qPrintable(plan.error().toString()));
        QCOMPARE(plan->disconnectAfterBytes, 100);
        QCOMPARE(plan->disconnectAt, QStringLiteral("write-cert"));
        QCOMPARE(plan->corruptEvery, 7);
        QCOMPARE(plan->stallMs, 250);
        QVERIFY(plan->refuses(QStringLiteral("Commit")));
        QVERIFY(plan->refuses(QStringLiteral("keygen")));
        QVERIFY(!plan->refuses(QStringLiteral("identify")));
        QVERIFY(plan->keyGenFail);
        QVERIFY(!plan->isEmpty());
        auto again = FaultPlan::parse(plan->toString());
        QVERIFY(again.has_value());
        QCOMPARE(again->toString(), plan->toString());
    }

    void parse_empty_isNoFault()
    {
        auto plan = FaultPlan::parse(QString());
        QVERIFY(plan.has_value());
        QVERIFY(plan->isEmpty());
        QCOMPARE(plan->toString(), QStringLiteral("none"));
    }

    void parse_invalid_isError_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::newRow("unknown") << QStringLiteral("explode");
        QTest::newRow("zero bytes") << QStringLiteral("disconnect-after-bytes=0");
        QTest::newRow("not a number") << QStringLiteral("corrupt-every=often");
        QTest::newRow("negative stall") << QStringLiteral("stall-ms=-5");
        QTest::newRow("refuse nothing") << QStringLiteral("refuse=");
        QTest::newRow("step missing") << QStringLiteral("disconnect-at");
    }

    void parse_invalid_isError()
    {
        QFETCH(QString, spec);
        auto plan = FaultPlan::parse(spec);
        QVERIFY(!plan.has_value());
        QCOMPARE(plan.error().code, station::ErrorCode::InvalidArgument);
        QVERIFY(!plan.error().message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestFaultPlan)
#include "tst_faultplan.moc"
