// provctl provision / profile / manifest as a line engineer runs them: real processes, the lab server and
// simulators as processes, a real manifest file. The station is killed (SIGKILL) at each job step: the
// manifest stays readable and verifiable with the attempt open at that step, and the next run seals it
// INCOMPLETE and provisions the unit. No private key ever reaches the output, the logs or the manifest.
#include "LabServerProcess.h"
#include "TestSupport.h"

#include "manifest/Manifest.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace station;
using namespace station::test;

namespace {

struct Run {
    int code = -1;
    QByteArray out;
    QByteArray err;
};

Run provctl(const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    p.start(provctlPath(), args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

/// A simulated unit as its own process, as `provctl simulate-device` runs on a line.
class SimProcess
{
public:
    bool start(const QString &protocol, const QString &link, const QString &state, const QString &fault = {})
    {
        QStringList args{QStringLiteral("simulate-device"),
                         QStringLiteral("--protocol"),
                         protocol,
                         QStringLiteral("--link"),
                         link,
                         QStringLiteral("--state-dir"),
                         state,
                         QStringLiteral("--baud"),
                         QStringLiteral("0")};
        if (!fault.isEmpty())
            args << QStringLiteral("--fault") << fault;
        m_process.start(provctlPath(), args);
        QElapsedTimer t;
        t.start();
        while (!QFileInfo::exists(link) && t.elapsed() < 10000)
            QTest::qWait(20);
        return QFileInfo::exists(link);
    }
    ~SimProcess()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished();
    }

private:
    QProcess m_process;
};

} // namespace

class TestProvisionProcess : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    LabServerProcess m_lab;
    int m_n = 0;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    QString newProfile(const QString &name, const QStringList &extra)
    {
        const QString file = path(name + QStringLiteral(".json"));
        QStringList args{QStringLiteral("profile"),       QStringLiteral("new"),
                         QStringLiteral("--out"),         file,
                         QStringLiteral("--name"),        name,
                         QStringLiteral("--est-url"),     m_lab.baseUrl().toString(),
                         QStringLiteral("--trust"),       m_lab.file(QStringLiteral("ca.pem")),
                         QStringLiteral("--auth"),        QStringLiteral("mtls"),
                         QStringLiteral("--client-cert"), m_lab.file(QStringLiteral("bootstrap-cert.pem")),
                         QStringLiteral("--client-key"),  m_lab.file(QStringLiteral("bootstrap-key.pem")),
                         QStringLiteral("--subject"),     QStringLiteral("CN={serial},O=Acme")};
        args += extra;
        const Run r = provctl(args);
        if (r.code != 0)
            qWarning() << r.err;
        return r.code == 0 ? file : QString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_lab.start({QStringLiteral("--retry-after"), QStringLiteral("1")}, path(QStringLiteral("lab"))),
                 qPrintable(m_lab.errorText()));
    }

    void profile_newCheckShow()
    {
        const QString file =
            newProfile(QStringLiteral("cli"),
                       {QStringLiteral("--protocol"), QStringLiteral("nrf91"), QStringLiteral("--key-origin"),
                        QStringLiteral("server"), QStringLiteral("--barcode-rule"), QStringLiteral("gs1"),
                        QStringLiteral("--san"), QStringLiteral("DNS:{imei}.acme")});
        QVERIFY(!file.isEmpty());
        Run check = provctl({QStringLiteral("profile"), QStringLiteral("check"), file});
        QCOMPARE(check.code, 0);
        QVERIFY(check.out.contains("valid"));
        Run show = provctl({QStringLiteral("profile"), QStringLiteral("show"), file});
        QCOMPARE(show.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(show.out).object();
        QCOMPARE(o[QStringLiteral("device")].toObject()[QStringLiteral("protocol")].toString(),
                 QStringLiteral("nrf91"));
        QCOMPARE(o[QStringLiteral("sha256")].toString().size(), 64);

        // A broken profile: every problem, each naming its field.
        const QString bad = path(QStringLiteral("bad.json"));
        QVERIFY(writeFile(bad,
                          "{\"name\":\"b\",\"device\":{\"protocol\":\"zigbee\"},\"est\":{\"url\":\"http://"
                          "x\",\"trust\":{}, \"auth\":{\"mode\":\"kerberos\"}},\"already_provisioned\":\"maybe\"}"));
        Run problems = provctl({QStringLiteral("profile"), QStringLiteral("check"), bad});
        QCOMPARE(problems.code, 1);
        for (const char *field : {"device.protocol", "est.url", "est.trust", "est.auth.mode", "already_provisioned"})
            QVERIFY2(problems.out.contains(field), problems.out.constData());
        // profile new refuses to write an invalid profile.
        Run refused =
            provctl({QStringLiteral("profile"), QStringLiteral("new"), QStringLiteral("--out"),
                     path(QStringLiteral("x.json")), QStringLiteral("--name"), QStringLiteral("x"),
                     QStringLiteral("--protocol"), QStringLiteral("station"), QStringLiteral("--est-url"),
                     QStringLiteral("https://h/.well-known/est"), QStringLiteral("--auth"), QStringLiteral("mtls")});
        QCOMPARE(refused.code, 2);
        QVERIFY(refused.err.contains("est.trust"));
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("x.json"))));
    }

    void provision_printsOneLinePerUnit_andManifestCommandsReadIt()
    {
        const QString profile =
            newProfile(QStringLiteral("twounits"), {QStringLiteral("--protocol"), QStringLiteral("station"),
                                                    QStringLiteral("--start"), QStringLiteral("auto")});
        QVERIFY(!profile.isEmpty());
        SimProcess a, b;
        QVERIFY(a.start(QStringLiteral("station"), path(QStringLiteral("ua")), path(QStringLiteral("ua-state"))));
        QVERIFY(b.start(QStringLiteral("station"), path(QStringLiteral("ub")), path(QStringLiteral("ub-state"))));
        const QString manifest = path(QStringLiteral("two.sqlite"));
        Run r = provctl({QStringLiteral("provision"), QStringLiteral("--profile"), profile, QStringLiteral("--port"),
                         path(QStringLiteral("ua")), QStringLiteral("--port"), path(QStringLiteral("ub")),
                         QStringLiteral("--manifest"), manifest, QStringLiteral("--operator"), QStringLiteral("Ana")});
        QVERIFY2(r.code == 0, r.out + r.err);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        for (const QByteArray &l : lines) {
            QVERIFY2(l.startsWith("PASS"), l.constData());
            QVERIFY(l.contains("cert "));
        }
        // Already provisioned: refused, exit 1, still one line each.
        Run again =
            provctl({QStringLiteral("provision"), QStringLiteral("--profile"), profile, QStringLiteral("--port"),
                     path(QStringLiteral("ua")), QStringLiteral("--manifest"), manifest});
        QCOMPARE(again.code, 1);
        QVERIFY2(again.out.startsWith("FAIL") && again.out.contains("already-provisioned"), again.out.constData());

        Run list =
            provctl({QStringLiteral("manifest"), QStringLiteral("list"), QStringLiteral("--manifest"), manifest});
        QCOMPARE(list.code, 0);
        QCOMPARE(list.out.count(" PASS "), 2);
        QCOMPARE(list.out.count(" FAIL "), 1);
        Run json = provctl({QStringLiteral("manifest"), QStringLiteral("list"), QStringLiteral("--manifest"), manifest,
                            QStringLiteral("--status"), QStringLiteral("PASS"), QStringLiteral("--format"),
                            QStringLiteral("json")});
        const QJsonArray rows = QJsonDocument::fromJson(json.out).array();
        QCOMPARE(rows.size(), 2);
        const QString serial = rows[0].toObject()[QStringLiteral("serial")].toString();
        Run show = provctl(
            {QStringLiteral("manifest"), QStringLiteral("show"), serial, QStringLiteral("--manifest"), manifest});
        QCOMPARE(show.code, 0);
        QVERIFY(show.out.contains("BEGIN CERTIFICATE"));
        Run verify =
            provctl({QStringLiteral("manifest"), QStringLiteral("verify"), QStringLiteral("--manifest"), manifest});
        QCOMPARE(verify.code, 0);
        QVERIFY(verify.out.contains("intact"));
    }

    void killedAtEachStep_manifestStaysConsistent_andNextRunProvisions_data()
    {
        QTest::addColumn<QString>("step");
        // (checking-record is a lookup without I/O: too short to catch from outside.)
        // (fetching-csrattrs answers in a few milliseconds; enrolling lasts a second: the lab answers 202 first.)
        for (const char *s :
             {"injecting-trust", "generating-key", "enrolling", "writing-chain", "committing", "verifying"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }
    void killedAtEachStep_manifestStaysConsistent_andNextRunProvisions()
    {
        QFETCH(QString, step);
        const int n = ++m_n;
        const QString profile = newProfile(QStringLiteral("kill%1").arg(n),
                                           {QStringLiteral("--protocol"), QStringLiteral("station"),
                                            QStringLiteral("--start"), QStringLiteral("auto"),
                                            QStringLiteral("--already-provisioned"), QStringLiteral("reprovision")});
        QVERIFY(!profile.isEmpty());
        SimProcess sim;
        const QString link = path(QStringLiteral("k%1").arg(n));
        // Slow answers so that each step lasts long enough to be caught.
        QVERIFY(sim.start(QStringLiteral("station"), link, link + QStringLiteral("-state"),
                          QStringLiteral("stall-ms=120")));
        const QString manifestPath = path(QStringLiteral("kill%1.sqlite").arg(n));
        const QStringList args{QStringLiteral("provision"),
                               QStringLiteral("--profile"),
                               profile,
                               QStringLiteral("--port"),
                               link,
                               QStringLiteral("--manifest"),
                               manifestPath,
                               QStringLiteral("--confirm-reprovision")};
        QProcess station;
        station.start(provctlPath(), args);
        QVERIFY(station.waitForStarted());
        bool killed = false;
        QElapsedTimer t;
        t.start();
        while (!killed && t.elapsed() < 30000 && station.state() == QProcess::Running) {
            if (auto m = manifest::Manifest::open(manifestPath, manifest::Manifest::Access::ReadOnly)) {
                manifest::ManifestQuery q;
                auto rows = (*m)->list(q);
                if (rows && !rows->isEmpty() && rows->last().step == step && !rows->last().isFinished()) {
                    ::kill(pid_t(station.processId()), SIGKILL);
                    killed = true;
                }
            }
            if (!killed)
                QTest::qWait(5);
        }
        station.waitForFinished();
        QVERIFY2(
            killed,
            qPrintable(
                QStringLiteral("never saw step %1: %2").arg(step, QString::fromUtf8(station.readAllStandardError()))));

        // Readable and consistent at once; the cut-off attempt is open at its step.
        {
            auto m = manifest::Manifest::open(manifestPath, manifest::Manifest::Access::ReadOnly);
            QVERIFY(m);
            auto report = (*m)->verify();
            QVERIFY(report && report->ok());
            QCOMPARE(report->openRows, 1);
            auto rows = (*m)->list({});
            QCOMPARE(rows->last().step, step);
            QCOMPARE(rows->last().outcome, manifest::Outcome::Incomplete);
        }
        // The next attempt starts clean and passes; the cut-off one is sealed INCOMPLETE.
        Run next = provctl(args);
        QVERIFY2(next.code == 0, next.out + next.err);
        auto m = manifest::Manifest::open(manifestPath, manifest::Manifest::Access::ReadOnly);
        auto rows = (*m)->list({});
        QCOMPARE(rows->size(), 2);
        const manifest::ManifestRecord &cut = rows->first();
        QVERIFY(cut.isFinished());
        QCOMPARE(cut.outcome, manifest::Outcome::Incomplete);
        QCOMPARE(cut.step, step);
        QCOMPARE(cut.errorCode, QStringLiteral("interrupted"));
        if (!cut.certSerial.isEmpty())
            QCOMPARE(cut.orphanCertSerial, cut.certSerial);
        QCOMPARE(rows->last().outcome, manifest::Outcome::Pass);
        QVERIFY((*m)->verify()->ok());
    }

    void serverKeygen_privateKeyNeverReachesOutputLogsOrManifest()
    {
        const QString profile =
            newProfile(QStringLiteral("secret"),
                       {QStringLiteral("--protocol"), QStringLiteral("station"), QStringLiteral("--key-origin"),
                        QStringLiteral("server"), QStringLiteral("--start"), QStringLiteral("auto")});
        QVERIFY(!profile.isEmpty());
        SimProcess sim;
        const QString link = path(QStringLiteral("sk"));
        QVERIFY(sim.start(QStringLiteral("station"), link, link + QStringLiteral("-state")));
        const QString manifestPath = path(QStringLiteral("secret.sqlite"));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("station.*.debug=true"));
        p.setProcessEnvironment(env);
        p.start(provctlPath(), {QStringLiteral("provision"), QStringLiteral("--profile"), profile,
                                QStringLiteral("--port"), link, QStringLiteral("--manifest"), manifestPath});
        QVERIFY(p.waitForFinished(60000));
        const QByteArray output = p.readAllStandardOutput() + p.readAllStandardError();
        QCOMPARE(p.exitCode(), 0);

        // The key as the unit stored it (the simulator's state folder).
        QByteArray keyDer;
        QDirIterator it(link + QStringLiteral("-state"), QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            if (f.contains(QStringLiteral("private-key")))
                keyDer = readFile(f);
        }
        QVERIFY2(!keyDer.isEmpty(), "the simulator did not store a private key");
        QByteArray manifestBytes;
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            manifestBytes += readFile(manifestPath + suffix);
        QVERIFY(!manifestBytes.isEmpty());
        const QByteArray b64 = keyDer.toBase64();
        for (const QByteArray &haystack : {output, manifestBytes}) {
            QVERIFY(!haystack.contains("PRIVATE KEY"));
            QVERIFY(!haystack.contains(keyDer.mid(keyDer.size() - 40)));
            QVERIFY(!haystack.contains(b64.mid(b64.size() / 2, 40)));
            QVERIFY(!haystack.contains(keyDer.mid(keyDer.size() - 40).toHex()));
        }
    }

    void provision_usageErrors()
    {
        QCOMPARE(provctl({QStringLiteral("provision")}).code, 2);
        QCOMPARE(provctl({QStringLiteral("provision"), QStringLiteral("--profile"), QStringLiteral("/no/such.json"),
                          QStringLiteral("--port"), QStringLiteral("/dev/null")})
                     .code,
                 2);
        const QString profile =
            newProfile(QStringLiteral("scan"), {QStringLiteral("--protocol"), QStringLiteral("station")});
        Run noBarcode = provctl({QStringLiteral("provision"), QStringLiteral("--profile"), profile,
                                 QStringLiteral("--port"), path(QStringLiteral("none"))});
        QCOMPARE(noBarcode.code, 2);
        QVERIFY(noBarcode.err.contains("--barcode"));
        Run absent = provctl({QStringLiteral("provision"), QStringLiteral("--profile"), profile,
                              QStringLiteral("--port"), path(QStringLiteral("absent")), QStringLiteral("--barcode"),
                              QStringLiteral("X"), QStringLiteral("--wait-s"), QStringLiteral("1"),
                              QStringLiteral("--manifest"), path(QStringLiteral("absent.sqlite"))});
        QCOMPARE(absent.code, 1);
        QVERIFY2(absent.out.contains("no unit answered"), absent.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestProvisionProcess)
#include "tst_provision_process.moc"
