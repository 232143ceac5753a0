// A serial-port barcode scanner on a real pseudo-terminal (the project's PseudoTerminal, as the
// simulators use): labels sent with CR or CR LF arrive as scans, a scanner that is not there yet is found
// when it appears (retried, reported once), and one that goes away is reported and picked up again.
#include "scanner/ScannerPort.h"
#include "sim/PseudoTerminal.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using namespace station::drivers;

class TestScannerPort : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void labelsArrive_aLateScannerIsFound_aLostOneIsReported()
    {
        QVERIFY(m_dir.isValid());
        const QString link = m_dir.filePath(QStringLiteral("scanner"));
        ScannerPort port(link, 9600);
        QSignalSpy scans(&port, &ScannerPort::scanned);
        QSignalSpy notices(&port, &ScannerPort::notice);
        port.start();
        // Not plugged in yet: said once, retried.
        QCOMPARE(notices.size(), 1);
        QVERIFY(notices.first().at(1).toBool());
        QVERIFY(!port.isOpen());

        auto pty = std::make_unique<PseudoTerminal>();
        QVERIFY(pty->open(link));
        QTRY_VERIFY_WITH_TIMEOUT(port.isOpen(), 10000);
        QVERIFY(!notices.last().at(1).toBool()); // "ready"
        QCOMPARE(pty->write("SN-0001\r"), 8);
        QCOMPARE(pty->write("(01)09506000134352(21)SN0002\r\n"), 30);
        QTRY_COMPARE(scans.size(), 2);
        QCOMPARE(scans.at(0).at(0).toString(), QStringLiteral("SN-0001"));
        QCOMPARE(scans.at(1).at(0).toString(), QStringLiteral("(01)09506000134352(21)SN0002"));

        // Unplugged: reported, then found again on the same path.
        const int before = int(notices.size());
        pty.reset();
        QTRY_VERIFY_WITH_TIMEOUT(notices.size() > before && notices.last().at(1).toBool(), 10000);
        pty = std::make_unique<PseudoTerminal>();
        QVERIFY(pty->open(link));
        QTRY_VERIFY_WITH_TIMEOUT(port.isOpen(), 10000);
        QCOMPARE(pty->write("SN-0003\n"), 8);
        QTRY_COMPARE(scans.size(), 3);
        QCOMPARE(scans.at(2).at(0).toString(), QStringLiteral("SN-0003"));
    }
};

QTEST_GUILESS_MAIN(TestScannerPort)
#include "tst_scannerport.moc"
