// The supervisor session: a password set once (only as a hash record in the settings), unlock with the
// right password and not with a wrong one, inactivity timeout on an injected clock (no waiting), a
// supervisor action restarting the timeout, and the record upgraded when the parameters are raised.
#include "provisioning/SupervisorSession.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using namespace station::provisioning;
using namespace std::chrono_literals;

class TestSupervisorSession : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::chrono::steady_clock::time_point m_now = std::chrono::steady_clock::time_point(100s);

    std::unique_ptr<QSettings> settings(const QString &name)
    {
        return std::make_unique<QSettings>(m_dir.filePath(name), QSettings::IniFormat);
    }
    SupervisorSession::Options options(quint32 iterations = 1000)
    {
        SupervisorSession::Options o;
        o.timeout = 5min;
        o.hashParams.iterations = iterations;
        o.clock = [this] { return m_now; };
        o.checkInterval = 0ms; // the test calls checkTimeout()
        return o;
    }
    static crypto::SecretBytes pw(const char *t) { return crypto::SecretBytes::copyOf(QByteArrayView(t)); }

    static void setAndWait(SupervisorSession &s, const char *password)
    {
        QSignalSpy set(&s, &SupervisorSession::passwordSet);
        QSignalSpy failed(&s, &SupervisorSession::failed);
        s.setPassword(pw(password));
        QVERIFY(s.isBusy()); // derived off this thread
        QTRY_VERIFY(!set.isEmpty() || !failed.isEmpty());
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().value<Error>().message));
    }
    static bool unlockAndWait(SupervisorSession &s, const char *password, QString *reason = nullptr)
    {
        QSignalSpy ok(&s, &SupervisorSession::unlocked);
        QSignalSpy refused(&s, &SupervisorSession::refused);
        s.unlock(pw(password));
        if (!QTest::qWaitFor([&] { return !ok.isEmpty() || !refused.isEmpty(); }, 10000))
            return false;
        if (reason && !refused.isEmpty())
            *reason = refused.first().first().toString();
        return !ok.isEmpty();
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void firstStart_setsPassword_storesOnlyTheHashRecord()
    {
        auto st = settings(QStringLiteral("a.ini"));
        SupervisorSession s(st.get(), options());
        QVERIFY(!s.hasPassword());
        QVERIFY(!s.isUnlocked());
        setAndWait(s, "line-1-supervisor");
        QVERIFY(s.hasPassword());
        QVERIFY(s.isUnlocked()); // the one who set it goes on as supervisor
        const QString record = st->value(SupervisorSession::kRecordKey).toString();
        QVERIFY(record.startsWith(QStringLiteral("$pbkdf2-sha256$i=1000$")));
        QVERIFY(!record.contains(QStringLiteral("line-1-supervisor")));
        QCOMPARE(st->allKeys(), QStringList{SupervisorSession::kRecordKey});
    }

    void shortPassword_isRefused()
    {
        auto st = settings(QStringLiteral("b.ini"));
        SupervisorSession s(st.get(), options());
        QSignalSpy failed(&s, &SupervisorSession::failed);
        s.setPassword(pw("short"));
        QCOMPARE(failed.size(), 1);
        QVERIFY(!s.hasPassword());
    }

    void unlock_rightPasswordWorks_wrongDoesNot()
    {
        auto st = settings(QStringLiteral("a.ini")); // the record of the first test
        SupervisorSession s(st.get(), options());
        QVERIFY(s.hasPassword());
        QVERIFY(!s.isUnlocked()); // a new session starts locked
        QString reason;
        QVERIFY(!unlockAndWait(s, "line-1-superviso", &reason));
        QVERIFY2(reason.contains(QStringLiteral("Wrong supervisor password")), qPrintable(reason));
        QVERIFY(!s.isUnlocked());
        QVERIFY(unlockAndWait(s, "line-1-supervisor"));
        QVERIFY(s.isUnlocked());
    }

    void session_timesOutAfterInactivity_andActivityExtendsIt()
    {
        auto st = settings(QStringLiteral("a.ini"));
        SupervisorSession s(st.get(), options());
        QVERIFY(unlockAndWait(s, "line-1-supervisor"));
        QSignalSpy locked(&s, &SupervisorSession::locked);
        m_now += 4min;
        QVERIFY(s.isUnlocked());
        QCOMPARE(s.remaining(), std::chrono::milliseconds(1min));
        s.touch(); // a supervisor action
        m_now += 4min;
        s.checkTimeout();
        QVERIFY(locked.isEmpty());
        QVERIFY(s.isUnlocked());
        m_now += 1min + 1ms;
        s.checkTimeout();
        QCOMPARE(locked.size(), 1);
        QVERIFY(!s.isUnlocked());
        QCOMPARE(s.remaining(), std::chrono::milliseconds(0));
        s.touch(); // no effect once locked
        QVERIFY(!s.isUnlocked());
    }

    void changePassword_needsSupervisor()
    {
        auto st = settings(QStringLiteral("a.ini"));
        SupervisorSession s(st.get(), options());
        QSignalSpy failed(&s, &SupervisorSession::failed);
        s.setPassword(pw("somebody-else"));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().first().value<Error>().code, ErrorCode::Authentication);
        QVERIFY(unlockAndWait(s, "line-1-supervisor"));
        setAndWait(s, "new-supervisor-pw");
        s.lock();
        QVERIFY(!unlockAndWait(s, "line-1-supervisor"));
        QVERIFY(unlockAndWait(s, "new-supervisor-pw"));
    }

    void raisedParameters_upgradeTheRecordOnUnlock()
    {
        auto st = settings(QStringLiteral("a.ini"));
        SupervisorSession s(st.get(), options(1200));
        QVERIFY(st->value(SupervisorSession::kRecordKey).toString().contains(QStringLiteral("$i=1000$")));
        QVERIFY(unlockAndWait(s, "new-supervisor-pw"));
        QVERIFY(st->value(SupervisorSession::kRecordKey).toString().contains(QStringLiteral("$i=1200$")));
        s.lock();
        QVERIFY(unlockAndWait(s, "new-supervisor-pw"));
    }

    void tamperedRecord_refusesWithRemedy()
    {
        auto st = settings(QStringLiteral("c.ini"));
        st->setValue(SupervisorSession::kRecordKey, QStringLiteral("$pbkdf2-sha256$i=5$AAAA$AAAA"));
        SupervisorSession s(st.get(), options());
        QString reason;
        QVERIFY(!unlockAndWait(s, "anything-at-all", &reason));
        QVERIFY2(reason.contains(QStringLiteral("not valid")), qPrintable(reason));
    }
};

QTEST_GUILESS_MAIN(TestSupervisorSession)
#include "tst_supervisorsession.moc"
