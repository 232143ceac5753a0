// The station and its jobs in core alone: scripted fake units (no serial port, no simulator), a real EST
// exchange over TLS with the in-process scripted server, and a real manifest file. Scan routing, policies
// for provisioned units, per-state deadlines, cancel and unplug paths, read-back checks, isolation between
// slots, and a station destroyed mid-job.
#include "FakeDeviceDriver.h"
#include "MisbehavingEstServer.h"
#include "TestSupport.h"

#include "manifest/Manifest.h"
#include "provisioning/Station.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using namespace station::test;
using namespace station::provisioning;

class TestStation : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<MisbehavingEstServer> m_est;
    QString m_trust;
    int m_n = 0;

    struct Rig {
        FakeDeviceSource source;
        QHash<QString, FakeDeviceDriver::Script> scripts;
        QHash<QString, QPointer<FakeDeviceDriver>> drivers;
        std::unique_ptr<manifest::Manifest> manifest;
        std::unique_ptr<Station> station;
        QMap<int, JobResult> results;
    };

    static QJsonObject shortSteps()
    {
        return QJsonObject{{QStringLiteral("timeouts"), QJsonObject{{QStringLiteral("step_ms"), 400}}}};
    }

    ProductProfile profile(const QJsonObject &overrides = {})
    {
        QJsonObject o{
            {QStringLiteral("name"), QStringLiteral("Fake product")},
            {QStringLiteral("device"), QJsonObject{{QStringLiteral("protocol"), QStringLiteral("station")}}},
            {QStringLiteral("est"),
             QJsonObject{{QStringLiteral("url"), m_est->baseUrl().toString()},
                         {QStringLiteral("trust"), QJsonObject{{QStringLiteral("file"), m_trust}}},
                         {QStringLiteral("auth"), QJsonObject{{QStringLiteral("mode"), QStringLiteral("none")}}},
                         {QStringLiteral("csrattrs"), false},
                         {QStringLiteral("retry"), QJsonObject{{QStringLiteral("attempts"), 1}}}}},
            {QStringLiteral("enrollment"), QJsonObject{{QStringLiteral("subject"), QStringLiteral("CN={serial}")}}},
            {QStringLiteral("barcode"), QJsonObject{{QStringLiteral("start"), QStringLiteral("auto")}}},
            // Long enough for a loaded sanitizer run; the deadline tests shorten it (shortSteps()).
            {QStringLiteral("timeouts"), QJsonObject{{QStringLiteral("step_ms"), 3000}}},
        };
        for (auto it = overrides.begin(); it != overrides.end(); ++it)
            o[it.key()] = it.value();
        auto p = ProductProfile::fromJson(QJsonDocument(o).toJson(), m_dir.path());
        if (!p)
            qWarning() << p.error().detail;
        return *p;
    }

    std::unique_ptr<Rig> rig(const ProductProfile &p)
    {
        auto r = std::make_unique<Rig>();
        auto m = manifest::Manifest::open(m_dir.filePath(QStringLiteral("station-%1.sqlite").arg(++m_n)));
        r->manifest = std::move(*m);
        Rig *raw = r.get();
        DriverProvider provider = [raw](const device::DiscoveredDevice &d,
                                        const ProductProfile &) -> Result<std::unique_ptr<device::DeviceDriver>> {
            auto driver = std::make_unique<FakeDeviceDriver>(raw->scripts.value(d.path));
            raw->drivers[d.path] = driver.get();
            return std::unique_ptr<device::DeviceDriver>(std::move(driver));
        };
        r->station = std::make_unique<Station>(p, StationConfig{QStringLiteral("op"), QStringLiteral("st-1")},
                                               &r->source, provider, r->manifest.get());
        QObject::connect(r->station.get(), &Station::jobFinished,
                         [raw](int slot, const JobResult &res) { raw->results.insert(slot, res); });
        QSignalSpy ready(r->station.get(), &Station::ready);
        r->station->start();
        if (!ready.wait(10000))
            return nullptr;
        return r;
    }

    static FakeDeviceDriver::Script unit(const QString &serial)
    {
        FakeDeviceDriver::Script s;
        s.serial = serial;
        return s;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_est = std::make_unique<MisbehavingEstServer>();
        QVERIFY(m_est->start());
        m_trust = m_dir.filePath(QStringLiteral("ca.pem"));
        QVERIFY(writeFile(m_trust, m_est->pki().caCertificate().toPem()));
    }

    void scan_routesToTheUnitItNames_andAnswersEveryOtherScan()
    {
        auto r =
            rig(profile({{QStringLiteral("barcode"), QJsonObject{{QStringLiteral("start"), QStringLiteral("scan")}}}}));
        QVERIFY(r);
        r->scripts[QStringLiteral("/a")] = unit(QStringLiteral("FAKE-A"));
        r->scripts[QStringLiteral("/b")] = unit(QStringLiteral("FAKE-B"));
        r->scripts[QStringLiteral("/b")].delayMs = 30;
        r->source.plug(QStringLiteral("/a"));
        r->source.plug(QStringLiteral("/b"));
        QTRY_COMPARE(r->station->slotInfo(0).state, JobState::AwaitingScan);
        QTRY_COMPARE(r->station->slotInfo(1).state, JobState::AwaitingScan);

        const ScanAnswer nobody = r->station->scan(QStringLiteral("FAKE-Z"));
        QVERIFY(!nobody.accepted);
        QVERIFY2(nobody.message.contains(QStringLiteral("No attached unit has serial FAKE-Z")),
                 qPrintable(nobody.message));
        const ScanAnswer b = r->station->scan(QStringLiteral("FAKE-B"));
        QVERIFY(b.accepted);
        QCOMPARE(b.slot, 1);
        const ScanAnswer again = r->station->scan(QStringLiteral("FAKE-B"));
        QVERIFY(!again.accepted);
        QVERIFY2(again.message.contains(QStringLiteral("already being provisioned")), qPrintable(again.message));
        QTRY_VERIFY_WITH_TIMEOUT(r->results.contains(1), 10000);
        QVERIFY2(r->results[1].passed(), qPrintable(r->results[1].detail));
        QCOMPARE(r->station->slotInfo(0).state, JobState::AwaitingScan); // the other unit is untouched
        QVERIFY(r->station->scan(QStringLiteral("FAKE-B")).message.contains(QStringLiteral("remove it")));
        r->source.unplug(QStringLiteral("/b"));
        QVERIFY(r->station->scan(QStringLiteral("FAKE-B")).message.contains(QStringLiteral("already provisioned")));
        QVERIFY(!r->station->scan(QStringLiteral("bad\x01scan")).accepted);
    }

    void scan_onlyWaitingUnit_takesALabelThatNamesNoUnit()
    {
        auto r = rig(profile(
            {{QStringLiteral("barcode"), QJsonObject{{QStringLiteral("start"), QStringLiteral("scan")},
                                                     {QStringLiteral("scan_starts_only_waiting_unit"), true}}}}));
        r->scripts[QStringLiteral("/a")] = unit(QStringLiteral("FAKE-C"));
        r->source.plug(QStringLiteral("/a"));
        QTRY_COMPARE(r->station->slotInfo(0).state, JobState::AwaitingScan);
        QVERIFY(r->station->scan(QStringLiteral("LABEL-77")).accepted);
        QTRY_VERIFY_WITH_TIMEOUT(r->results.contains(0), 10000);
        QVERIFY(r->results[0].passed());
        auto row = r->manifest->get(r->results[0].manifestId);
        QCOMPARE((*row)->barcode, QStringLiteral("LABEL-77"));
    }

    void deadline_unitSilentWhileWritingChain_failsAndKeepsTheOrphanCertificate()
    {
        auto r = rig(profile(shortSteps()));
        r->scripts[QStringLiteral("/a")] = unit(QStringLiteral("FAKE-D"));
        r->scripts[QStringLiteral("/a")].hangs << QStringLiteral("write-chain");
        r->source.plug(QStringLiteral("/a"));
        QTRY_VERIFY_WITH_TIMEOUT(r->results.contains(0), 10000);
        const JobResult res = r->results[0];
        QCOMPARE(jobFailureName(res.failure), QStringLiteral("device-not-responding"));
        auto row = r->manifest->get(res.manifestId);
        QCOMPARE((*row)->outcome, manifest::Outcome::Fail);
        QCOMPARE((*row)->step, QStringLiteral("writing-chain"));
        QVERIFY(!(*row)->orphanCertSerial.isEmpty());
        QCOMPARE((*row)->orphanCertSerial, (*row)->certSerial);
        // The interrupted write was followed by a read-back of what the unit holds.
        QVERIFY(r->drivers[QStringLiteral("/a")]->calls().contains(QStringLiteral("readback")));
        QVERIFY2((*row)->errorDetail.contains(QStringLiteral("unit holds")), qPrintable((*row)->errorDetail));
        QVERIFY(r->manifest->verify()->ok());
    }

    void cancel_andUnplug_endIncomplete_theUnpluggedSlotShowsWhyUntilTheNextUnit()
    {
        auto r = rig(profile());
        r->scripts[QStringLiteral("/a")] = unit(QStringLiteral("FAKE-E"));
        r->scripts[QStringLiteral("/a")].hangs << QStringLiteral("commit");
        r->scripts[QStringLiteral("/b")] = unit(QStringLiteral("FAKE-F"));
        r->scripts[QStringLiteral("/b")].hangs << QStringLiteral("keygen");
        r->source.plug(QStringLiteral("/a"));
        r->source.plug(QStringLiteral("/b"));
        QTRY_COMPARE(r->station->slotInfo(0).state, JobState::Committing);
        QTRY_COMPARE(r->station->slotInfo(1).state, JobState::GeneratingKey);
        r->station->cancel(0);
        r->source.unplug(QStringLiteral("/b"));
        QTRY_VERIFY_WITH_TIMEOUT(r->results.size() == 2, 10000);
        QCOMPARE(jobFailureName(r->results[0].failure), QStringLiteral("cancelled"));
        QCOMPARE(r->results[0].finalState, JobState::Incomplete);
        QCOMPARE(jobFailureName(r->results[1].failure), QStringLiteral("device-unplugged"));
        QVERIFY(!r->station->slotInfo(1).present);
        // The tile keeps the failure (the operator sees why the unit stopped) until a unit arrives there.
        QVERIFY(r->station->slotInfo(1).result.has_value());
        QCOMPARE(jobFailureName(r->station->slotInfo(1).result->failure), QStringLiteral("device-unplugged"));
        for (const JobResult &res : r->results)
            QCOMPARE(manifest::outcomeName((*r->manifest->get(res.manifestId))->outcome), QStringLiteral("INCOMPLETE"));
        QVERIFY(r->manifest->verify()->ok());
    }

    void readBack_wrongDigestOrUncommitted_fails_data()
    {
        QTest::addColumn<bool>("corrupt");
        QTest::addColumn<QString>("failure");
        QTest::newRow("digest") << true << "readback-mismatch";
        QTest::newRow("uncommitted") << false << "not-committed";
    }
    void readBack_wrongDigestOrUncommitted_fails()
    {
        QFETCH(bool, corrupt);
        QFETCH(QString, failure);
        auto r = rig(profile());
        FakeDeviceDriver::Script s = unit(QStringLiteral("FAKE-G%1").arg(m_n));
        s.corruptReadback = corrupt;
        s.leaveUncommitted = !corrupt;
        r->scripts[QStringLiteral("/a")] = s;
        r->source.plug(QStringLiteral("/a"));
        QTRY_VERIFY_WITH_TIMEOUT(r->results.contains(0), 10000);
        QCOMPARE(jobFailureName(r->results[0].failure), failure);
        QVERIFY(!r->results[0].message.remedy.isEmpty());
    }

    void policies_forAProvisionedUnit_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<bool>("passes");
        QTest::newRow("refuse") << "refuse" << false;
        QTest::newRow("reprovision after confirmation") << "reprovision" << true;
        QTest::newRow("renew") << "renew" << true;
    }
    void policies_forAProvisionedUnit()
    {
        QFETCH(QString, policy);
        QFETCH(bool, passes);
        auto r = rig(profile({{QStringLiteral("already_provisioned"), policy}}));
        FakeDeviceDriver::Script s = unit(QStringLiteral("FAKE-P%1").arg(m_n));
        s.provisioned = true; // the unit says it holds committed credentials
        r->scripts[QStringLiteral("/a")] = s;
        const int reenrolls = m_est->count("POST", QStringLiteral("simplereenroll"));
        r->source.plug(QStringLiteral("/a"));
        if (policy == QLatin1String("reprovision")) {
            QTRY_COMPARE(r->station->slotInfo(0).state, JobState::AwaitingConfirmation);
            r->station->confirm(0);
        }
        QTRY_VERIFY_WITH_TIMEOUT(r->results.contains(0), 10000);
        QCOMPARE(r->results[0].passed(), passes);
        if (!passes)
            QCOMPARE(jobFailureName(r->results[0].failure), QStringLiteral("already-provisioned"));
        if (policy == QLatin1String("renew"))
            QCOMPARE(m_est->count("POST", QStringLiteral("simplereenroll")), reenrolls + 1);
    }

    void oneUnitsFailure_neverDisturbsAnotherSlot()
    {
        auto r = rig(profile());
        for (int i = 0; i < 4; ++i) {
            FakeDeviceDriver::Script s = unit(QStringLiteral("FAKE-I%1-%2").arg(m_n).arg(i));
            if (i == 1)
                s.failures.insert(QStringLiteral("keygen"), Error(ErrorCode::Device, QStringLiteral("KEYGEN refused")));
            r->scripts[QStringLiteral("/u%1").arg(i)] = s;
            r->source.plug(QStringLiteral("/u%1").arg(i));
        }
        QTRY_VERIFY_WITH_TIMEOUT(r->results.size() == 4, 10000);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(r->results[i].passed(), i != 1);
        QCOMPARE(jobFailureName(r->results[1].failure), QStringLiteral("keygen-failed"));
    }

    void slots_areBoundToTheUsbPortPath_notTheTtyName()
    {
        auto r = rig(profile());
        r->scripts[QStringLiteral("/dev/ttyACM0")] = unit(QStringLiteral("FAKE-U1"));
        r->scripts[QStringLiteral("/dev/ttyACM1")] = unit(QStringLiteral("FAKE-U2"));
        r->scripts[QStringLiteral("/dev/ttyACM7")] = unit(QStringLiteral("FAKE-U3"));
        r->source.plug(QStringLiteral("/dev/ttyACM0"), QStringLiteral("1-2.1"));
        r->source.plug(QStringLiteral("/dev/ttyACM1"), QStringLiteral("1-2.2"));
        QTRY_VERIFY_WITH_TIMEOUT(r->results.size() == 2, 10000);
        r->source.unplug(QStringLiteral("/dev/ttyACM0"));
        // The next unit in the first socket of the hub enumerates as another tty: same slot.
        r->source.plug(QStringLiteral("/dev/ttyACM7"), QStringLiteral("1-2.1"));
        QCOMPARE(r->station->slotCount(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(r->results.value(0).serial == QStringLiteral("FAKE-U3"), 10000);
        QCOMPARE(r->station->slotInfo(0).portPath, QStringLiteral("/dev/ttyACM7"));
    }

    void manifestDiskFull_endsTheJobWithAClearMessageAndNoPass()
    {
        QTemporaryDir mnt;
        if (QProcess::execute(QStringLiteral("mount"),
                              {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                               QStringLiteral("size=512k"), QStringLiteral("tmpfs"), mnt.path()}) != 0)
            QSKIP("cannot mount a tmpfs here (needs root)");
        auto unmount = qScopeGuard([&mnt] {
            QProcess::execute(QStringLiteral("umount"), {QStringLiteral("-l"), mnt.path()});
        });
        auto r = rig(profile());
        auto m = manifest::Manifest::open(mnt.filePath(QStringLiteral("m.sqlite")));
        QVERIFY(m);
        // A station on that manifest; then the disk fills up.
        Rig *raw = r.get();
        DriverProvider provider = [raw](const device::DiscoveredDevice &d,
                                        const ProductProfile &) -> Result<std::unique_ptr<device::DeviceDriver>> {
            return std::unique_ptr<device::DeviceDriver>(
                std::make_unique<FakeDeviceDriver>(raw->scripts.value(d.path)));
        };
        FakeDeviceSource source;
        Station station(profile(), StationConfig{}, &source, provider, m->get());
        QMap<int, JobResult> results;
        connect(&station, &Station::jobFinished, this,
                [&results](int i, const JobResult &res) { results.insert(i, res); });
        QSignalSpy ready(&station, &Station::ready);
        station.start();
        QVERIFY(ready.wait(10000));
        QFile filler(mnt.filePath(QStringLiteral("filler")));
        QVERIFY(filler.open(QIODevice::WriteOnly));
        const QByteArray block(64 * 1024, 'x');
        while (filler.write(block) == block.size() && filler.flush()) {
        }
        filler.close();
        r->scripts[QStringLiteral("/a")] = unit(QStringLiteral("FAKE-FULL"));
        source.plug(QStringLiteral("/a"));
        QTRY_VERIFY_WITH_TIMEOUT(results.contains(0), 10000);
        QVERIFY(!results[0].passed());
        QCOMPARE(jobFailureName(results[0].failure), QStringLiteral("manifest-write"));
        QVERIFY2(results[0].message.text().contains(QStringLiteral("disk")), qPrintable(results[0].message.text()));
        QVERIFY2(results[0].detail.contains(QStringLiteral("full")), qPrintable(results[0].detail));
        // Space again: the manifest is consistent and holds no PASS for the unit.
        QVERIFY(QFile::remove(filler.fileName()));
        QVERIFY((*m)->verify()->ok());
        auto pass = (*m)->findPass(QStringLiteral("FAKE-FULL"), {});
        QVERIFY(pass && !pass->has_value());
    }

    void bootstrapCredential_isEnrolledAndWrittenToItsOwnSlot()
    {
        auto r = rig(
            profile({{QStringLiteral("inject"),
                      QJsonObject{{QStringLiteral("bootstrap_credential"),
                                   QJsonObject{{QStringLiteral("slot"), 3},
                                               {QStringLiteral("subject"), QStringLiteral("CN={serial}-boot")}}}}}}));
        r->scripts[QStringLiteral("/a")] = unit(QStringLiteral("FAKE-BOOT"));
        r->source.plug(QStringLiteral("/a"));
        QTRY_VERIFY_WITH_TIMEOUT(r->results.contains(0), 10000);
        QVERIFY2(r->results[0].passed(), qPrintable(r->results[0].detail));
        auto row = r->manifest->get(r->results[0].manifestId);
        QVERIFY2((*row)->evidence.contains(QStringLiteral("bootstrap_credential")), qPrintable((*row)->evidence));
        QVERIFY((*row)->evidence.contains(QStringLiteral("CN=FAKE-BOOT-boot")));
        QVERIFY(!(*row)->evidence.contains(QStringLiteral("PRIVATE")));
        // Both slots were written and read back; the main slot got the unit's own certificate.
        const QStringList calls = r->drivers[QStringLiteral("/a")]->calls();
        QCOMPARE(calls.count(QStringLiteral("write-key")), 1);
        QCOMPARE(calls.count(QStringLiteral("write-chain")), 2);
        QCOMPARE(calls.count(QStringLiteral("readback")), 2);
        QCOMPARE(r->drivers[QStringLiteral("/a")]->slot(), 0);
    }

    void scanAgainAfterAFailure_retriesTheUnitInItsSlot()
    {
        QJsonObject o = shortSteps();
        o.insert(QStringLiteral("barcode"), QJsonObject{{QStringLiteral("start"), QStringLiteral("scan")}});
        auto r = rig(profile(o));
        FakeDeviceDriver::Script s = unit(QStringLiteral("FAKE-R"));
        s.failures.insert(QStringLiteral("commit"), Error(ErrorCode::DeviceTimeout, QStringLiteral("no answer")));
        r->scripts[QStringLiteral("/a")] = s;
        r->source.plug(QStringLiteral("/a"));
        QTRY_COMPARE(r->station->slotInfo(0).state, JobState::AwaitingScan);
        QVERIFY(r->station->scan(QStringLiteral("FAKE-R")).accepted);
        QTRY_VERIFY_WITH_TIMEOUT(r->results.contains(0), 10000);
        QVERIFY(!r->results[0].passed());
        QVERIFY(r->results[0].message.remedy.contains(QStringLiteral("scan it again")));
        // The unit answers again (the cable was fixed): scanning it again is a new attempt.
        r->scripts[QStringLiteral("/a")].failures.clear();
        r->scripts[QStringLiteral("/a")].provisioned = true; // it committed before it went silent: ours
        r->results.clear();
        const ScanAnswer retry = r->station->scan(QStringLiteral("FAKE-R"));
        QVERIFY2(retry.accepted, qPrintable(retry.message));
        QTRY_VERIFY_WITH_TIMEOUT(r->results.contains(0), 10000);
        QVERIFY2(r->results[0].passed(), qPrintable(r->results[0].detail));
        QCOMPARE(r->station->slotCount(), 1);
        QVERIFY(r->station->scan(QStringLiteral("FAKE-R")).message.contains(QStringLiteral("remove it")));
    }

    void askedPassphrase_isRequestedBySignal_andTheStationStartsWithTheAnswer()
    {
        // No synchronous prompt (a GUI): the station asks by signal and waits for the answer.
        ProductProfile p = profile(
            {{QStringLiteral("est"),
              QJsonObject{{QStringLiteral("url"), m_est->baseUrl().toString()},
                          {QStringLiteral("trust"), QJsonObject{{QStringLiteral("file"), m_trust}}},
                          {QStringLiteral("auth"), QJsonObject{{QStringLiteral("mode"), QStringLiteral("basic")},
                                                               {QStringLiteral("user"), QStringLiteral("line1")},
                                                               {QStringLiteral("ask_passphrase"), true}}},
                          {QStringLiteral("csrattrs"), false}}}});
        auto m = manifest::Manifest::open(m_dir.filePath(QStringLiteral("asked.sqlite")));
        FakeDeviceSource source;
        DriverProvider provider = [](const device::DiscoveredDevice &,
                                     const ProductProfile &) -> Result<std::unique_ptr<device::DeviceDriver>> {
            return std::unique_ptr<device::DeviceDriver>(
                std::make_unique<FakeDeviceDriver>(unit(QStringLiteral("FAKE-ASK"))));
        };
        Station station(p, StationConfig{}, &source, provider, m->get());
        QSignalSpy asked(&station, &Station::secretNeeded);
        QSignalSpy ready(&station, &Station::ready);
        station.start();
        QCOMPARE(asked.size(), 1);
        QVERIFY(asked.first().first().toString().contains(QStringLiteral("password")));
        QTest::qWait(100);
        QCOMPARE(ready.size(), 0);
        station.provideSecret(crypto::SecretBytes(QByteArray("pass-1")));
        QVERIFY(ready.wait(10000));
        const int before = int(m_est->received().size());
        QMap<int, JobResult> results;
        connect(&station, &Station::jobFinished, this, [&results](int i, const JobResult &r) { results.insert(i, r); });
        source.plug(QStringLiteral("/a"));
        QTRY_VERIFY_WITH_TIMEOUT(results.contains(0), 10000);
        QVERIFY2(results[0].passed(), qPrintable(results[0].detail));
        bool sentTheAnswer = false;
        for (qsizetype i = before; i < m_est->received().size(); ++i)
            sentTheAnswer = sentTheAnswer || m_est->received()[i].request.header("authorization") ==
                                                 "Basic " + QByteArray("line1:pass-1").toBase64();
        QVERIFY(sentTheAnswer);
    }

    void stationDestroyedMidJob_callsNothingBack()
    {
        auto r = rig(profile());
        FakeDeviceDriver::Script s = unit(QStringLiteral("FAKE-X"));
        s.delayMs = 20;
        r->scripts[QStringLiteral("/a")] = s;
        m_est->enqueue(QStringLiteral("simpleenroll"), ScriptedAnswer::of(ScriptedAnswer::Action::Stall));
        r->source.plug(QStringLiteral("/a"));
        QTRY_COMPARE_WITH_TIMEOUT(r->station->slotInfo(0).state, JobState::Enrolling, 10000);
        r->station.reset(); // jobs, drivers and EST replies go with it
        QTest::qWait(200);  // a late EST answer or driver completion must find nobody (ASan watches)
        QVERIFY(r->results.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStation)
#include "tst_station.moc"
