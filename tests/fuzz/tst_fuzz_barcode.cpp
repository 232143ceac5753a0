// Fuzz smoke run of the barcode rules (GS1, regex, plain) over scanner input.
#include "FuzzDriver.h"

#include <QTest>

int fuzzBarcode(const uint8_t *data, size_t size);

class TestFuzzBarcode : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void smoke_mutatedScans_neverCrashAndFailCleanly()
    {
        const QList<QByteArray> seeds = {
            "0109506000134352"
            "21ABC-123\x1d"
            "10LOT7",
            "010950600013435221ABC-123",
            "]d20109506000134352"
            "21ABC-123\x1d"
            "10LOT7",
            "]C1\x1d"
            "0109506000134352"
            "21ABC-123\x1d"
            "17261231"
            "3103000125",
            "(01)09506000134352(21)ABC-123(10)LOT7",
            "(21)X(410)9506000134352(91)0123456789",
            "]Q3"
            "00123456789012345678\x1d"
            "21S\x1d"
            "8004"
            "9506000134352ABC",
            "ACME:SN-00C0FFEE/rev",
            "SN-0001",
            "  SN-\xc3\xa9\xe2\x80\x8b  \r\n",
        };
        station::fuzz::SmokeOptions options;
        options.corpus = QStringLiteral("barcode");
        const qint64 executed = station::fuzz::runSmoke(fuzzBarcode, seeds, options);
        QVERIFY(executed > 1000);
    }
};

QTEST_GUILESS_MAIN(TestFuzzBarcode)
#include "tst_fuzz_barcode.moc"
