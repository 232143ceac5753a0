// ProcessHardening: after disableCoreDumps() the process can produce no core dump (RLIMIT_CORE 0, not
// dumpable) — checked through the same kernel interfaces a crash would consult.
#include "ProcessHardening.h"

#include <QTest>

#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#include <sys/resource.h>
#endif

using namespace station;

class TestProcessHardening : public QObject
{
    Q_OBJECT

private slots:
    void disableCoreDumps_linux_noCoreLimitAndNotDumpable()
    {
#ifndef Q_OS_LINUX
        QVERIFY(ProcessHardening::disableCoreDumps());
        QSKIP("only Linux has something to check");
#else
        auto r = ProcessHardening::disableCoreDumps();
        QVERIFY2(r, r ? "" : qPrintable(r.error().toString()));
        QCOMPARE(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
        rlimit limit{};
        QCOMPARE(getrlimit(RLIMIT_CORE, &limit), 0);
        QCOMPARE(limit.rlim_cur, rlim_t(0));
        QCOMPARE(limit.rlim_max, rlim_t(0));           // the hard limit too: nothing in the process can raise it again
        QVERIFY(ProcessHardening::disableCoreDumps()); // idempotent
#endif
    }
};

QTEST_GUILESS_MAIN(TestProcessHardening)
#include "tst_processhardening.moc"
