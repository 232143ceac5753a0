// The Debian package as an IT department deploys it: built with CPack from this build tree, checked by
// lintian, installed on this machine with apt, used — provctl --version, provctl lab-server and
// provctl provision of a simulated unit with a shipped sample profile, provstation --demo offscreen —
// then purged: every file the package installed is gone, and so is the operators' group, while the
// user's manifest, settings and log stay (a package never deletes a user's files). Needs root and apt;
// skipped otherwise, and when the package is installed already (the test would remove it). One run at a
// time per machine (a lock file in /run/lock), whichever build tree it comes from.
#include "StationVersion.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include <unistd.h>

namespace {

const QString kPackage = QStringLiteral(STATION_PACKAGE_NAME);
const QString kGroup = QStringLiteral(STATION_DEVICE_GROUP);
const QString kShare = QStringLiteral("/usr/share/") + kPackage;

struct Run {
    int code = -1;
    QByteArray out;
    QByteArray err;
    [[nodiscard]] QByteArray all() const { return out + err; }
};

Run run(const QString &program, const QStringList &args, int timeoutMs = 300000,
        const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    Run r;
    if (!p.waitForStarted(10000)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QProcessEnvironment aptEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DEBIAN_FRONTEND"), QStringLiteral("noninteractive"));
    return env;
}

Run apt(const QStringList &args)
{
    // Waits for dpkg's lock instead of failing when another apt runs on the machine.
    return run(QStringLiteral("apt-get"),
               QStringList{QStringLiteral("-y"), QStringLiteral("-q"), QStringLiteral("-o"),
                           QStringLiteral("DPkg::Lock::Timeout=300")} +
                   args,
               600000, aptEnvironment());
}

bool packageInstalled()
{
    const Run r = run(QStringLiteral("dpkg-query"), {QStringLiteral("-W"), QStringLiteral("-f=${Status}"), kPackage});
    return r.code == 0 && r.out.contains("install ok installed");
}

bool groupExists(const QString &group)
{
    return run(QStringLiteral("getent"), {QStringLiteral("group"), group}).code == 0;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// A child process that is stopped (SIGTERM, then SIGKILL) when the test ends, whatever path it takes.
class Child
{
public:
    explicit Child(const QProcessEnvironment &env) { m_process.setProcessEnvironment(env); }
    ~Child() { stop(); }
    QProcess &process() { return m_process; }
    void start(const QString &program, const QStringList &args) { m_process.start(program, args); }
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(10000)) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }

private:
    QProcess m_process;
};

} // namespace

class TestPackageDeb : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<QLockFile> m_lock; ///< one package test per machine, across build trees and worktrees
    QString m_deb;
    QString m_tree; ///< the package's files, unpacked for inspection
    QStringList m_installedPaths;
    bool m_installed = false;
    bool m_touchedDpkg = false; ///< apt-get install ran: purge at the end whatever state it left

    QString path(const QString &name) const { return m_dir.filePath(name); }

    /// The environment of the station's programs: a home of their own, no XDG overrides, no display.
    QProcessEnvironment userEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *var : {"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "DISPLAY",
                                "WAYLAND_DISPLAY", "QT_LOGGING_RULES"})
            env.remove(QString::fromLatin1(var));
        env.insert(QStringLiteral("HOME"), path(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), path(QStringLiteral("runtime")));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        return env;
    }

    void purge()
    {
        if (!m_touchedDpkg)
            return;
        const Run r = apt({QStringLiteral("purge"), kPackage});
        if (r.code == 0) {
            m_installed = false;
            m_touchedDpkg = false;
        } else {
            qWarning("apt-get purge %s failed: %s", qPrintable(kPackage), r.all().constData());
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (geteuid() != 0)
            QSKIP("installing the package needs root (apt-get install); run the suite as root, as CI does");
        if (QStandardPaths::findExecutable(QStringLiteral("apt-get")).isEmpty() ||
            QStandardPaths::findExecutable(QStringLiteral("dpkg-deb")).isEmpty())
            QSKIP("needs apt-get and dpkg-deb (a Debian system)");
        const QString lockDir =
            QFileInfo(QStringLiteral("/run/lock")).isWritable() ? QStringLiteral("/run/lock") : QDir::tempPath();
        m_lock = std::make_unique<QLockFile>(lockDir + QStringLiteral("/provisioning-station-package-test.lock"));
        QVERIFY2(m_lock->tryLock(20 * 60 * 1000), "another package test kept the machine's lock for 20 minutes");
        if (packageInstalled())
            QSKIP("provisioning-station is installed on this machine already and the test would remove it; "
                  "remove it first (apt-get purge provisioning-station) to run this test");
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(path(QStringLiteral("home"))));
        QVERIFY(QDir().mkpath(path(QStringLiteral("runtime"))));
        QFile::setPermissions(path(QStringLiteral("runtime")), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

    void cleanupTestCase()
    {
        purge(); // on every path: a failed check must not leave the package on the machine
    }

    void build_cpackMakesTheDeb_withComputedDependencies()
    {
        const Run r = run(QStringLiteral(STATION_CPACK_COMMAND),
                          {QStringLiteral("--config"), QStringLiteral(STATION_CPACK_CONFIG), QStringLiteral("-G"),
                           QStringLiteral("DEB"), QStringLiteral("-B"), path(QStringLiteral("pkg"))},
                          600000);
        QVERIFY2(r.code == 0, r.all().constData());
        const QStringList debs = QDir(path(QStringLiteral("pkg"))).entryList({QStringLiteral("*.deb")}, QDir::Files);
        QCOMPARE(debs.size(), 1);
        QVERIFY2(
            debs[0].startsWith(kPackage + QLatin1Char('_') + QStringLiteral(STATION_DEB_VERSION) + QLatin1Char('_')),
            qPrintable(debs[0]));
        m_deb = path(QStringLiteral("pkg/") + debs[0]);

        const Run info = run(QStringLiteral("dpkg-deb"), {QStringLiteral("--field"), m_deb, QStringLiteral("Depends")});
        QCOMPARE(info.code, 0);
        const QByteArray depends = info.out;
        // dpkg-shlibdeps' work (versioned library packages), plus what it cannot see.
        for (const char *dep : {"libqt6core6 (>=", "libqt6widgets6 (>=", "libqt6serialport6 (>=", "libssl3 (>=",
                                "libsqlite3-0 (>=", "libusb-1.0-0 (>=", "libc6 (>=", "adduser", "qt6-qpa-plugins"})
            QVERIFY2(
                depends.contains(dep),
                qPrintable(
                    QStringLiteral("%1 not in Depends: %2").arg(QString::fromLatin1(dep), QString::fromUtf8(depends))));

        m_tree = path(QStringLiteral("tree"));
        QCOMPARE(run(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), m_deb, m_tree}).code, 0);
        for (const QString &file :
             {QStringLiteral("/usr/bin/provctl"), QStringLiteral("/usr/bin/provstation"),
              QStringLiteral("/usr/share/applications/provstation.desktop"),
              QStringLiteral("/usr/share/metainfo/" STATION_APPSTREAM_ID ".metainfo.xml"),
              QStringLiteral("/usr/share/icons/hicolor/scalable/apps/provstation.svg"),
              QStringLiteral("/usr/share/icons/hicolor/48x48/apps/provstation.png"),
              QStringLiteral("/usr/share/icons/hicolor/256x256/apps/provstation.png"),
              QStringLiteral("/usr/share/man/man1/provctl.1.gz"),
              QStringLiteral("/usr/share/man/man1/provstation.1.gz"),
              QStringLiteral("/usr/share/doc/") + kPackage + QStringLiteral("/copyright"),
              QStringLiteral("/usr/share/doc/") + kPackage + QStringLiteral("/changelog.Debian.gz"),
              QStringLiteral("/usr/lib/udev/rules.d/70-provstation.rules"),
              kShare + QStringLiteral("/profiles/station-device-key.json")})
            QVERIFY2(QFileInfo::exists(m_tree + file), qPrintable(file + QStringLiteral(" is not in the package")));
    }

    void build_binariesAreStripped()
    {
        QVERIFY(!m_tree.isEmpty());
        for (const QString &binary : {QStringLiteral("provctl"), QStringLiteral("provstation")}) {
            const Run r = run(QStringLiteral("readelf"), {QStringLiteral("--section-headers"), QStringLiteral("--wide"),
                                                          m_tree + QStringLiteral("/usr/bin/") + binary});
            QCOMPARE(r.code, 0);
            QVERIFY2(!r.out.contains(".debug_info") && !r.out.contains(" .symtab "),
                     qPrintable(binary + QStringLiteral(" is not stripped")));
        }
    }

    void build_udevRulesCoverBridgesAndProfiles()
    {
        QVERIFY(!m_tree.isEmpty());
        const QByteArray rules = readAll(m_tree + QStringLiteral("/usr/lib/udev/rules.d/70-provstation.rules"));
        QVERIFY(!rules.isEmpty());
        // The common USB-serial bridges and debug probes, for the serial port and the USB device node.
        for (const char *vid : {"0403", "10c4", "1a86", "067b", "1915", "303a", "1366"}) {
            const QByteArray v = QByteArray("ATTRS{idVendor}==\"") + vid + "\", GROUP=\"" + kGroup.toLatin1() + "\"";
            QVERIFY2(rules.contains("SUBSYSTEM==\"tty\", " + v), vid);
            QVERIFY2(rules.contains("ATTR{idVendor}==\"" + QByteArray(vid) + "\", GROUP="), vid);
        }
        // Every id of every shipped profile has a rule of its own or its vendor's.
        QDirIterator it(m_tree + kShare + QStringLiteral("/profiles"), {QStringLiteral("*.json")});
        int ids = 0;
        while (it.hasNext()) {
            const QJsonObject profile = QJsonDocument::fromJson(readAll(it.next())).object();
            const QJsonArray usbIds = profile[QStringLiteral("device")].toObject()[QStringLiteral("usb_ids")].toArray();
            for (const auto &id : usbIds) {
                const QStringList vp = id.toString().toLower().split(QLatin1Char(':'));
                QCOMPARE(vp.size(), 2);
                const QByteArray vendorWide =
                    "ATTRS{idVendor}==\"" + vp[0].toLatin1() + "\", GROUP=\"" + kGroup.toLatin1() + "\"";
                const QByteArray pair =
                    "ATTRS{idVendor}==\"" + vp[0].toLatin1() + "\", ATTRS{idProduct}==\"" + vp[1].toLatin1() + "\"";
                QVERIFY2(rules.contains(vendorWide) || rules.contains(pair), qPrintable(id.toString()));
                ++ids;
            }
        }
        QVERIFY(ids >= 4);
        QVERIFY(rules.contains("MODE=\"0660\""));
        QVERIFY(rules.contains("TAG+=\"uaccess\""));
        QVERIFY(!rules.contains("0666"));
    }

    void lint_noLintianErrors_validMetainfo()
    {
        QVERIFY(!m_deb.isEmpty());
        if (!QStandardPaths::findExecutable(QStringLiteral("appstreamcli")).isEmpty()) {
            const Run as = run(QStringLiteral("appstreamcli"),
                               {QStringLiteral("validate"), QStringLiteral("--no-net"),
                                m_tree + QStringLiteral("/usr/share/metainfo/" STATION_APPSTREAM_ID ".metainfo.xml")});
            QVERIFY2(as.code == 0, as.all().constData());
        }
        if (QStandardPaths::findExecutable(QStringLiteral("lintian")).isEmpty())
            QSKIP("lintian is not installed (installer/install-deps.sh installs it)");
        const Run l =
            run(QStringLiteral("lintian"),
                {QStringLiteral("--fail-on"), QStringLiteral("error"), QStringLiteral("--no-tag-display-limit"), m_deb},
                600000);
        // Warnings are printed for the log; the README explains the ones that remain.
        qInfo("lintian: %s", l.out.isEmpty() ? "no tags" : l.out.constData());
        QVERIFY2(l.code == 0 && !l.out.contains("E: "), l.all().constData());
    }

    void install_aptInstallsIt_createsTheGroup()
    {
        QVERIFY(!m_deb.isEmpty());
        m_touchedDpkg = true; // also a half-configured package is purged at the end
        const Run r = apt({QStringLiteral("install"), QStringLiteral("--no-install-recommends"), m_deb});
        m_installed = packageInstalled();
        QVERIFY2(r.code == 0 && m_installed, r.all().constData());
        const Run files = run(QStringLiteral("dpkg-query"), {QStringLiteral("-L"), kPackage});
        QCOMPARE(files.code, 0);
        m_installedPaths = QString::fromUtf8(files.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY(m_installedPaths.contains(QStringLiteral("/usr/bin/provctl")));
        QVERIFY2(groupExists(kGroup), qPrintable(QStringLiteral("postinst did not create the group ") + kGroup));
        QVERIFY(QStandardPaths::findExecutable(QStringLiteral("provstation")).startsWith(QStringLiteral("/usr/bin/")));
    }

    void installed_versionIsTheBuildsVersion()
    {
        QVERIFY(m_installed);
        const Run v = run(QStringLiteral("/usr/bin/provctl"), {QStringLiteral("--version")}, 30000, userEnvironment());
        QCOMPARE(v.code, 0);
        QCOMPARE(v.out.trimmed(), QByteArray("provctl ") + station::kVersion);
        const Run g =
            run(QStringLiteral("/usr/bin/provstation"), {QStringLiteral("--version")}, 30000, userEnvironment());
        QCOMPARE(g.code, 0);
        QVERIFY2(g.out.contains(station::kVersion), g.all().constData());
        // The man page is the installed program's: every command `provctl --help` lists has its section.
        const Run help = run(QStringLiteral("/usr/bin/provctl"), {QStringLiteral("--help")}, 30000, userEnvironment());
        const Run man = run(QStringLiteral("zcat"), {QStringLiteral("/usr/share/man/man1/provctl.1.gz")});
        QCOMPARE(man.code, 0);
        const QRegularExpression command(QStringLiteral("^  ([a-z][a-z-]+) "), QRegularExpression::MultilineOption);
        int commands = 0;
        for (auto m = command.globalMatch(QString::fromUtf8(help.out)); m.hasNext(); ++commands) {
            const QString name = m.next().captured(1);
            QVERIFY2(man.out.contains(".SS \"provctl " + name.toUtf8().replace("-", "\\-") + '"'), qPrintable(name));
        }
        QVERIFY(commands >= 7);
    }

    void installed_labServerAndProvision_withAShippedSampleProfile()
    {
        QVERIFY(m_installed);
        const QProcessEnvironment env = userEnvironment();
        const QString password = QStringLiteral("line-1-secret");

        // The lab EST server as the sample profile expects its EST server: HTTP basic as user line-1.
        QProcessEnvironment labEnv = env;
        labEnv.insert(QStringLiteral("PACKAGE_TEST_LAB_PASSWORD"), password);
        Child lab(labEnv);
        lab.start(QStringLiteral("/usr/bin/provctl"),
                  {QStringLiteral("lab-server"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                   QStringLiteral("--dir"), path(QStringLiteral("lab")), QStringLiteral("--auth"),
                   QStringLiteral("basic"), QStringLiteral("--user"), QStringLiteral("line-1"),
                   QStringLiteral("--password-env"), QStringLiteral("PACKAGE_TEST_LAB_PASSWORD")});
        QByteArray url;
        QElapsedTimer t;
        t.start();
        while (!url.contains('\n') && t.elapsed() < 60000 && lab.process().state() != QProcess::NotRunning) {
            lab.process().waitForReadyRead(200);
            url += lab.process().readAllStandardOutput();
        }
        url = url.trimmed();
        QVERIFY2(url.startsWith("https://127.0.0.1:"), lab.process().readAllStandardError().constData());

        // A unit on a pseudo-terminal.
        Child unit(env);
        const QString link = path(QStringLiteral("unit1"));
        const QString serial = QStringLiteral("SN-PKG-0001");
        unit.start(QStringLiteral("/usr/bin/provctl"),
                   {QStringLiteral("simulate-device"), QStringLiteral("--protocol"), QStringLiteral("station"),
                    QStringLiteral("--link"), link, QStringLiteral("--state-dir"), path(QStringLiteral("unit1-state")),
                    QStringLiteral("--serial"), serial});
        t.restart();
        while (!QFileInfo::exists(link) && t.elapsed() < 20000)
            QTest::qWait(50);
        QVERIFY(QFileInfo::exists(link));

        // The shipped sample, edited as its comment says: this EST server's URL and CA fingerprint.
        QJsonObject profile =
            QJsonDocument::fromJson(readAll(kShare + QStringLiteral("/profiles/station-device-key.json"))).object();
        QVERIFY(!profile.isEmpty());
        const auto certs = QSslCertificate::fromPath(path(QStringLiteral("lab/ca.pem")));
        QCOMPARE(certs.size(), 1);
        QJsonObject est = profile[QStringLiteral("est")].toObject();
        QCOMPARE(est[QStringLiteral("auth")].toObject()[QStringLiteral("user")].toString(), QStringLiteral("line-1"));
        est[QStringLiteral("url")] = QString::fromUtf8(url) + QStringLiteral("/acme-sensors");
        est[QStringLiteral("trust")] =
            QJsonObject{{QStringLiteral("bootstrap_fingerprint"),
                         QString::fromLatin1(certs[0].digest(QCryptographicHash::Sha256).toHex().toUpper())}};
        profile[QStringLiteral("est")] = est;
        const QString profilePath = path(QStringLiteral("acme-sensor.json"));
        QFile f(profilePath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(profile).toJson());
        f.close();

        QProcessEnvironment provisionEnv = env;
        provisionEnv.insert(QStringLiteral("PROVSTATION_EST_PASSWORD"), password);
        const Run p =
            run(QStringLiteral("/usr/bin/provctl"),
                {QStringLiteral("provision"), QStringLiteral("--profile"), profilePath, QStringLiteral("--port"), link,
                 QStringLiteral("--barcode"), QStringLiteral("(01)09506000134352(21)") + serial,
                 QStringLiteral("--operator"), QStringLiteral("package-test")},
                120000, provisionEnv);
        QVERIFY2(p.code == 0 && p.out.startsWith("PASS"), p.all().constData());
        QVERIFY(p.out.contains(serial.toUtf8()));

        // The manifest where the README says, and `manifest list` says where it reads.
        const QString manifest = path(QStringLiteral("home/.local/share/provisioning-station/manifest.sqlite"));
        QVERIFY(QFileInfo::exists(manifest));
        const Run list =
            run(QStringLiteral("/usr/bin/provctl"), {QStringLiteral("manifest"), QStringLiteral("list")}, 30000, env);
        QCOMPARE(list.code, 0);
        QVERIFY2(list.all().contains(manifest.toUtf8()), list.all().constData());
        QCOMPARE(list.out.count(" PASS "), 1);
        const Run verify =
            run(QStringLiteral("/usr/bin/provctl"), {QStringLiteral("manifest"), QStringLiteral("verify")}, 30000, env);
        QVERIFY2(verify.code == 0, verify.all().constData());
    }

    void installed_provstationDemo_runsOffscreen()
    {
        QVERIFY(m_installed);
        const Run d = run(QStringLiteral("/usr/bin/provstation"),
                          {QStringLiteral("--demo"), QStringLiteral("--demo-dir"), path(QStringLiteral("demo")),
                           QStringLiteral("--autoscan"), QStringLiteral("--quit-after"), QStringLiteral("120"),
                           QStringLiteral("--no-sound"), QStringLiteral("--size"), QStringLiteral("1280x800")},
                          180000, userEnvironment());
        // Exit 0: every demo unit ended as the demo means it to (the faulty one FAIL, the others PASS).
        QVERIFY2(d.code == 0, d.all().constData());
        QVERIFY2(d.out.count("demo result ") >= 3, d.out.constData());
        QVERIFY(d.out.contains(": PASS"));
        // The settings and the log where StationPaths.h and the README put them.
        QVERIFY(QFileInfo::exists(path(QStringLiteral("home/.config/ProvisioningStation/provstation.conf"))));
        QVERIFY(QFileInfo::exists(path(QStringLiteral("home/.local/state/provisioning-station/provstation.log"))));
    }

    void purge_leavesNothingBehind_butTheUsersFiles()
    {
        QVERIFY(m_installed);
        QVERIFY(!m_installedPaths.isEmpty());
        purge();
        QVERIFY(!m_installed);
        QVERIFY(!packageInstalled());
        QStringList left;
        for (const QString &p : std::as_const(m_installedPaths)) {
            const QFileInfo fi(p);
            if (p == QLatin1String("/.") || (!fi.exists() && !fi.isSymLink()))
                continue;
            // dpkg removes a folder of the package once it is empty and no other package has it: one that
            // stays holds other files (checked one by one above and below) or belongs to another package.
            if (fi.isDir() && !fi.isSymLink() &&
                (!QDir(p).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System) ||
                 run(QStringLiteral("dpkg-query"), {QStringLiteral("--search"), p}).code == 0))
                continue;
            left << p;
        }
        QVERIFY2(left.isEmpty(), qPrintable(QStringLiteral("left behind: ") + left.join(QStringLiteral(", "))));
        QVERIFY(!QFileInfo::exists(kShare));
        QVERIFY(!QFileInfo::exists(QStringLiteral("/usr/share/doc/") + kPackage));
        QVERIFY2(!groupExists(kGroup), qPrintable(QStringLiteral("purge left the group ") + kGroup));
        // The user's files are the factory's records: no package removes them.
        QVERIFY(QFileInfo::exists(path(QStringLiteral("home/.local/share/provisioning-station/manifest.sqlite"))));
        QVERIFY(QFileInfo::exists(path(QStringLiteral("home/.config/ProvisioningStation/provstation.conf"))));
    }
};

QTEST_GUILESS_MAIN(TestPackageDeb)
#include "tst_package_deb.moc"
