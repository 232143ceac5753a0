// The simulators' UART model (drivers/sim/LinePacer): bytes arrive at the baud rate, back to back, in
// order; an idle line gives no burst; the end of each push arrives at its exact time.
#include "sim/LinePacer.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTest>
#include <QTimer>

using station::drivers::LinePacer;

namespace {

constexpr qint64 kSlackUs = 250'000; ///< how late a delivery may be on a loaded machine

struct Arrival {
    qint64 atUs;
    QByteArray bytes;
};

/// A pacer at `baud` that records when each delivery arrives, and a real event loop to wait on
/// (QTest::qWait sleeps between its rounds, which would delay deliveries).
struct Line {
    explicit Line(int baud) { pacer.setBaudRate(baud); }

    void push(const QByteArray &bytes)
    {
        if (!clock.isValid())
            clock.start();
        pacer.push(bytes);
    }

    /// Runs until everything pushed has arrived (3 s at most).
    void runUntilIdle()
    {
        if (pacer.isIdle())
            return;
        QTimer::singleShot(3000, &loop, &QEventLoop::quit);
        loop.exec();
    }

    [[nodiscard]] QByteArray all() const
    {
        QByteArray out;
        for (const Arrival &a : got)
            out += a.bytes;
        return out;
    }

    QElapsedTimer clock;
    QEventLoop loop;
    QList<Arrival> got;
    LinePacer pacer{[this](const QByteArray &b) {
        got.append({clock.nsecsElapsed() / 1000, b});
        if (pacer.isIdle())
            loop.quit();
    }};
};

QByteArray pattern(int n)
{
    QByteArray b(n, '\0');
    for (int i = 0; i < n; ++i)
        b[i] = char(i * 7 + 3);
    return b;
}

} // namespace

class TestLinePacer : public QObject
{
    Q_OBJECT
private slots:
    void longPush_arrivesAtTheBaudRate()
    {
        Line line(115200); // 11520 bytes/s: 1152 bytes take 100 ms
        const QByteArray data = pattern(1152);
        line.push(data);
        line.runUntilIdle();
        QVERIFY(line.pacer.isIdle());
        QCOMPARE(line.all(), data);
        // Never ahead of the line: after t microseconds at most t / 86.8 bytes have arrived.
        qint64 sum = 0;
        for (const Arrival &a : line.got) {
            sum += a.bytes.size();
            QVERIFY2(double(sum) <= double(a.atUs) / 86.805 + 1.0,
                     qPrintable(QStringLiteral("%1 bytes at %2 us").arg(sum).arg(a.atUs)));
        }
        // The last byte not before its time (100 ms); late only by what a loaded event loop adds (the bound is
        // loose: the suite also runs under ASan on a busy machine).
        const qint64 lastUs = line.got.last().atUs;
        QVERIFY2(lastUs >= 99'900 && lastUs < 100'000 + kSlackUs, qPrintable(QString::number(lastUs)));
        // Batches, not one wake per byte.
        QVERIFY2(line.got.size() <= 60, qPrintable(QString::number(line.got.size())));
    }

    void idleLine_givesNoBurst()
    {
        Line line(115200);
        QTest::qWait(50); // idle: a UART has no credit to spend
        line.push(pattern(230));
        line.runUntilIdle();
        QVERIFY(line.pacer.isIdle());
        QCOMPARE(line.all().size(), 230);
        const qint64 doneUs = line.got.last().atUs;
        QVERIFY2(doneUs >= 19'900 && doneUs < 20'000 + kSlackUs, qPrintable(QString::number(doneUs))); // 230/11520 s
    }

    void pushesQueueBehindEachOther_andEachEndIsExact()
    {
        Line line(115200);
        line.push(QByteArray(10, 'a'));       // ends at 868 us
        line.pacer.push(QByteArray(20, 'b')); // ends at 2604 us
        line.runUntilIdle();
        QVERIFY(line.pacer.isIdle());
        QCOMPARE(line.all(), QByteArray(10, 'a') + QByteArray(20, 'b'));
        qint64 aEnd = -1, bEnd = -1;
        qsizetype sum = 0;
        for (const Arrival &a : line.got) {
            sum += a.bytes.size();
            if (sum >= 10 && aEnd < 0)
                aEnd = a.atUs;
            if (sum >= 30 && bEnd < 0)
                bEnd = a.atUs;
        }
        // Each push's end arrives at its time: not before (a loaded loop may deliver both at once, later).
        QVERIFY2(aEnd >= 860 && aEnd < 868 + kSlackUs, qPrintable(QString::number(aEnd)));
        QVERIFY2(bEnd >= 2590 && bEnd < 2604 + kSlackUs, qPrintable(QString::number(bEnd)));
    }

    void clear_dropsWhatIsOnTheLine()
    {
        QByteArray got;
        LinePacer pacer([&](const QByteArray &b) { got += b; });
        pacer.setBaudRate(9600);
        pacer.push(pattern(500));
        pacer.clear();
        QVERIFY(pacer.isIdle());
        QTest::qWait(30);
        QVERIFY(got.size() <= 1);
        pacer.push("after"); // the next power cycle starts clean
        QTRY_COMPARE_WITH_TIMEOUT(got.right(5), QByteArray("after"), 2000);
    }

    void rateZero_passesThrough()
    {
        QByteArray got;
        LinePacer pacer([&](const QByteArray &b) { got += b; });
        pacer.setBaudRate(0);
        pacer.push("abc");
        QCOMPARE(got, QByteArray("abc"));
    }
};

QTEST_GUILESS_MAIN(TestLinePacer)
#include "tst_linepacer.moc"
