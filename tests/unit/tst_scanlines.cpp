// The serial-port scanner's stream cut into labels: CR, LF and CR LF endings, labels split across reads,
// the GS1 group separator kept and other control bytes dropped, blank lines ignored, and an over-long line
// thrown away whole without the buffer growing past the limit (the next label still reads).
#include "provisioning/ScanLines.h"

#include <QTest>

using station::provisioning::ScanLines;

class TestScanLines : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void endings_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QStringList>("labels");
        QTest::newRow("CR") << QByteArray("SN-1\rSN-2\r") << QStringList{"SN-1", "SN-2"};
        QTest::newRow("LF") << QByteArray("SN-1\nSN-2\n") << QStringList{"SN-1", "SN-2"};
        QTest::newRow("CR LF") << QByteArray("SN-1\r\nSN-2\r\n") << QStringList{"SN-1", "SN-2"};
        QTest::newRow("blank lines") << QByteArray("\r\n\r\nSN-1\r\n  \r\n") << QStringList{"SN-1"};
        QTest::newRow("unterminated") << QByteArray("SN-1\r\nSN-2") << QStringList{"SN-1"};
        QTest::newRow("GS kept, others dropped") << QByteArray("]d2010950600013435221SN1\x1d"
                                                               "10AB\x07\r")
                                                 << QStringList{QString::fromLatin1("]d2010950600013435221SN1\x1d"
                                                                                    "10AB")};
        QTest::newRow("UTF-8") << QByteArray("SN-\xc3\x86\xc3\xb8\r") << QStringList{QStringLiteral("SN-Æø")};
    }
    void endings()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QStringList, labels);
        ScanLines lines;
        QCOMPARE(lines.feed(stream).labels, labels);
    }

    void labelSplitAcrossReads_andCrLfAcrossReads()
    {
        ScanLines lines;
        QVERIFY(lines.feed("SN-12").labels.isEmpty());
        QCOMPARE(lines.feed("34\r").labels, QStringList{QStringLiteral("SN-1234")});
        QCOMPARE(lines.feed("\nSN-5\r").labels, QStringList{QStringLiteral("SN-5")}); // the LF ends nothing
    }

    void overlongLine_isDroppedWhole_andTheNextLabelReads()
    {
        ScanLines lines;
        const QByteArray noise(ScanLines::kMaxLabel * 4, 'A');
        auto r = lines.feed(noise);
        QVERIFY(r.labels.isEmpty());
        r = lines.feed(noise + "\r\nSN-9\r\n");
        QCOMPARE(r.discarded, 1);
        QCOMPARE(r.labels, QStringList{QStringLiteral("SN-9")});
        // Exactly at the limit is still a label.
        const QByteArray longest(ScanLines::kMaxLabel, 'B');
        QCOMPARE(lines.feed(longest + "\n").labels, QStringList{QString::fromLatin1(longest)});
    }
};

QTEST_GUILESS_MAIN(TestScanLines)
#include "tst_scanlines.moc"
