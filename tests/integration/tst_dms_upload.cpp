// The manifest's way into the DMS, against the Lamassu stand-in (tests/support/LamassuStandIn, which
// answers as shared/reference/LAMASSU.md documents): the upload creates each unit once and is idempotent
// (a duplicate's 500 is confirmed with a GET), resumes after `kill -9` without duplicates, refreshes an
// OIDC token that expires mid-upload, retries transient failures (503, dropped connections, a hanging
// DMS) and confirms an unreadable 201, stops at once for a DMS that does not exist or a refused token,
// warns about a PRE_REGISTRATION DMS without replaceable enrollment, and sends nothing on a dry run.
// End to end: units provisioned against the stand-in in PRE_REGISTRATION mode are refused with the
// message that says to upload first; after `provctl manifest upload` they pass, and `provctl manifest
// reconcile` finds every unit enrolled with the manifest's certificate.
#include "LamassuStandIn.h"
#include "ProvisioningTestKit.h"
#include "TestPki.h"

#include "outbound/DmsApi.h"
#include "outbound/ManifestReconciler.h"
#include "outbound/ManifestUploader.h"
#include "outbound/OutboundLedger.h"
#include "outbound/TokenSource.h"

#include <QProcess>

using namespace station;
using namespace station::outbound;
using namespace station::test;
using station::testing::LamassuStandIn;

namespace {

struct Run {
    int code = -1;
    QString out;
    QString err;
};

/// provctl as a process, the event loop turning meanwhile (the stand-in answers on this thread).
Run provctl(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
            int timeoutMs = 60000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(PROVCTL_PATH), args);
    QElapsedTimer t;
    t.start();
    while (p.state() != QProcess::NotRunning && t.elapsed() < timeoutMs)
        QTest::qWait(10);
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
    }
    Run r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace

class TestDmsUpload : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::optional<TestPki> m_pki;
    int m_files = 0;

    QString path(const QString &name) { return m_dir.filePath(QStringLiteral("%1-%2").arg(++m_files).arg(name)); }

    /// A manifest with `n` units that got as far as a CSR and were refused (as by a PRE_REGISTRATION DMS).
    std::unique_ptr<manifest::Manifest> refusedUnits(const QString &file, int n,
                                                     const QString &prefix = QStringLiteral("SN"))
    {
        auto m = manifest::Manifest::open(file);
        if (!m)
            return nullptr;
        for (int i = 0; i < n; ++i) {
            manifest::ManifestRecord r;
            r.serial = QStringLiteral("%1-%2").arg(prefix).arg(i, 3, 10, QLatin1Char('0'));
            r.model = QStringLiteral("Sensor 9000");
            r.csrSubject = QStringLiteral("CN=%1, O=Acme").arg(r.serial);
            r.stationId = QStringLiteral("line-1");
            if (!(*m)->begin(r))
                return nullptr;
            r.outcome = manifest::Outcome::Fail;
            r.errorCode = QStringLiteral("est-refused");
            if (!(*m)->finish(r))
                return nullptr;
        }
        return std::move(*m);
    }

    QString trustFile(LamassuStandIn &dms)
    {
        const QString file = path(QStringLiteral("dms-ca.pem"));
        writeFile(file, dms.serverCaPem().toUtf8());
        return file;
    }

    struct Upload {
        std::unique_ptr<TokenSource> tokens;
        std::unique_ptr<DmsApi> api;
        std::unique_ptr<ManifestUploader> uploader;
        bool done = false;

        const UploadSummary &run(int timeoutMs = 60000)
        {
            QObject::connect(uploader.get(), &ManifestUploader::finished, [this] { done = true; });
            uploader->start();
            QElapsedTimer t;
            t.start();
            while (!done && t.elapsed() < timeoutMs)
                QTest::qWait(5);
            return uploader->summary();
        }
    };

    Upload upload(LamassuStandIn &dms, manifest::Manifest &m, bool oidc = false, int timeoutMs = 5000,
                  bool dryRun = false)
    {
        Upload u;
        QList<crypto::Certificate> anchors = *crypto::Certificate::listFromPem(dms.serverCaPem().toUtf8());
        if (oidc) {
            OidcClientCredentials o;
            o.tokenUrl = dms.tokenUrl();
            o.clientId = QStringLiteral("station");
            o.clientSecret = crypto::SecretBytes(QByteArray("s3cret"));
            o.trustAnchors = anchors;
            u.tokens = std::make_unique<OidcTokenSource>(std::move(o));
        } else {
            u.tokens = std::make_unique<FixedTokenSource>(crypto::SecretBytes(dms.issueToken().toUtf8()));
        }
        u.api = std::make_unique<DmsApi>(DmsEndpoint{dms.baseUrl(), anchors, timeoutMs}, u.tokens.get());
        UploadOptions o;
        o.dmsId = QStringLiteral("factory-dms");
        o.batch.backoffMs = 50;
        o.batch.maxBackoffMs = 200;
        o.dryRun = dryRun;
        u.uploader = std::make_unique<ManifestUploader>(m, dryRun ? nullptr : u.api.get(), o);
        return u;
    }

    /// The environment with a valid token in TST_DMS_TOKEN.
    static QProcessEnvironment tokenEnvironment(LamassuStandIn &dms)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TST_DMS_TOKEN"), dms.issueToken());
        return env;
    }

    /// `provctl manifest upload` of `manifestFile`, one request at a time and a long timeout (the tests
    /// interrupt it while a request hangs).
    QStringList oneAtATimeUpload(LamassuStandIn &dms, const QString &manifestFile)
    {
        return {QStringLiteral("manifest"),    QStringLiteral("upload"),
                QStringLiteral("--manifest"),  manifestFile,
                QStringLiteral("--dms-url"),   dms.baseUrl().toString(),
                QStringLiteral("--dms-id"),    QStringLiteral("factory-dms"),
                QStringLiteral("--token-env"), QStringLiteral("TST_DMS_TOKEN"),
                QStringLiteral("--trust"),     trustFile(dms),
                QStringLiteral("--jobs"),      QStringLiteral("1"),
                QStringLiteral("--timeout"),   QStringLiteral("60")};
    }

    ReconcileReport reconcile(LamassuStandIn &dms, manifest::Manifest &m)
    {
        FixedTokenSource tokens(crypto::SecretBytes(dms.issueToken().toUtf8()));
        DmsApi api(DmsEndpoint{dms.baseUrl(), *crypto::Certificate::listFromPem(dms.serverCaPem().toUtf8()), 5000},
                   &tokens);
        ManifestReconciler rec(m, &api, BatchOptions{}, QStringLiteral("factory-dms"));
        bool done = false;
        QObject::connect(&rec, &ManifestReconciler::finished, [&done] { done = true; });
        rec.start();
        QElapsedTimer t;
        t.start();
        while (!done && t.elapsed() < 30000)
            QTest::qWait(5);
        return rec.report();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto pki = TestPki::create();
        QVERIFY(pki);
        m_pki = *pki;
    }

    void upload_createsEachUnitOnce_andIsIdempotent()
    {
        LamassuStandIn dms;
        QVERIFY(dms.start());
        auto m = refusedUnits(path(QStringLiteral("m.sqlite")), 5);
        QVERIFY(m);
        {
            Upload u = upload(dms, *m);
            const UploadSummary &s = u.run();
            QVERIFY2(s.ok(), s.stopped ? qPrintable(s.stopped->toString()) : qPrintable(s.failures.value(0).text));
            QCOMPARE(s.created, 5);
            QCOMPARE(s.present, 0);
        }
        QCOMPARE(dms.devices().size(), 5);
        const QJsonObject d = dms.devices().value(QStringLiteral("SN-000")).json;
        QCOMPARE(d[QStringLiteral("dms_owner")].toString(), QStringLiteral("factory-dms"));
        QCOMPARE(d[QStringLiteral("status")].toString(), QStringLiteral("NO_IDENTITY"));
        QCOMPARE(d[QStringLiteral("metadata")][QStringLiteral("serial")].toString(), QStringLiteral("SN-000"));
        QCOMPARE(d[QStringLiteral("metadata")][QStringLiteral("model")].toString(), QStringLiteral("Sensor 9000"));
        // The manifest records per unit what the DMS answered.
        auto row = OutboundLedger(*m).uploadOf(
            ManifestUploader::destination(dms.baseUrl(), QStringLiteral("factory-dms")), QStringLiteral("SN-003"));
        QVERIFY(row && row->has_value());
        QCOMPARE((*row)->state, UploadState::Created);
        QCOMPARE((*row)->httpStatus, 201);
        QVERIFY((*row)->answer.contains(QStringLiteral("NO_IDENTITY")));

        // Again: nothing is sent for units the manifest knows are there.
        const int posts = dms.counters().createPosts;
        Upload again = upload(dms, *m);
        const UploadSummary &s2 = again.run();
        QVERIFY(s2.ok());
        QCOMPARE(s2.alreadyUploaded, 5);
        QCOMPARE(s2.created, 0);
        QCOMPARE(dms.counters().createPosts, posts);

        // A unit that is in the DMS already (uploaded from elsewhere) is present, not failed.
        auto m2 = refusedUnits(path(QStringLiteral("m2.sqlite")), 6);
        Upload third = upload(dms, *m2);
        const UploadSummary &s3 = third.run();
        QVERIFY(s3.ok());
        QCOMPARE(s3.present, 5);
        QCOMPARE(s3.created, 1);
        QCOMPARE(dms.devices().size(), 6);
    }

    void upload_retriesTransientFailures_andConfirmsAnUnreadable201()
    {
        LamassuStandIn dms;
        QVERIFY(dms.start());
        auto m = refusedUnits(path(QStringLiteral("m.sqlite")), 4);
        dms.failNextRequests(2, 503, "{\"err\":\"service unavailable\"}");
        dms.dropNextConnections(1);
        dms.hangNextRequests(1); // the client's 1 s timeout
        dms.garbageNextRequests(1);
        Upload u = upload(dms, *m, false, 1000);
        const UploadSummary &s = u.run();
        QVERIFY2(s.ok(), s.failures.isEmpty() ? "stopped" : qPrintable(s.failures.first().text));
        QCOMPARE(s.created + s.present, 4);
        QCOMPARE(dms.devices().size(), 4);
    }

    void upload_givesUpOnAUnitThatNeverGetsThrough_andReportsIt()
    {
        LamassuStandIn dms;
        QVERIFY(dms.start());
        auto m = refusedUnits(path(QStringLiteral("m.sqlite")), 1);
        dms.failNextRequests(5, 502, "<html>Bad gateway</html>"); // every one of the 5 attempts
        Upload u = upload(dms, *m);
        const UploadSummary &s = u.run();
        QCOMPARE(s.failed, 1);
        QVERIFY2(s.failures.first().text.contains(QStringLiteral("502")), qPrintable(s.failures.first().text));
        QVERIFY(!s.ok());
        QCOMPARE(dms.devices().size(), 0);
        // A failed unit is tried again on the next run.
        Upload again = upload(dms, *m);
        const UploadSummary &s2 = again.run();
        QVERIFY(s2.ok());
        QCOMPARE(s2.created, 1);
    }

    void upload_refreshesAnOidcTokenThatExpiresMidUpload()
    {
        LamassuStandIn dms;
        QVERIFY(dms.start());
        auto m = refusedUnits(path(QStringLiteral("m.sqlite")), 12);
        Upload u = upload(dms, *m, true);
        QObject::connect(u.uploader.get(), &ManifestUploader::unitFinished, &dms,
                         [&dms, n = 0](const UploadUnitResult &) mutable {
                             if (++n == 5)
                                 dms.expireAllTokens();
                         });
        const UploadSummary &s = u.run();
        QVERIFY2(s.ok(), s.failures.isEmpty() ? "stopped" : qPrintable(s.failures.first().text));
        QCOMPARE(s.created, 12);
        QCOMPARE(static_cast<OidcTokenSource *>(u.tokens.get())->grants(), 2);
        QVERIFY(dms.counters().unauthorized >= 1);
    }

    void upload_stopsForAMissingDmsOrARefusedToken()
    {
        LamassuStandIn dms;
        QVERIFY(dms.start());
        auto m = refusedUnits(path(QStringLiteral("m.sqlite")), 3);
        {
            Upload u = upload(dms, *m);
            UploadOptions o;
            o.dmsId = QStringLiteral("no-such-dms");
            u.uploader = std::make_unique<ManifestUploader>(*m, u.api.get(), o);
            const UploadSummary &s = u.run();
            QVERIFY(s.stopped);
            QCOMPARE(s.stopped->code, ErrorCode::NotFound);
            QVERIFY2(s.stopped->message.contains(QStringLiteral("no-such-dms")), qPrintable(s.stopped->toString()));
            QVERIFY(s.stopped->remedy.contains(QStringLiteral("--dms-id")));
        }
        {
            Upload u = upload(dms, *m);
            u.tokens = std::make_unique<FixedTokenSource>(crypto::SecretBytes(QByteArray("not-a-token")));
            u.api = std::make_unique<DmsApi>(
                DmsEndpoint{dms.baseUrl(), *crypto::Certificate::listFromPem(dms.serverCaPem().toUtf8()), 5000},
                u.tokens.get());
            UploadOptions o;
            o.dmsId = QStringLiteral("factory-dms");
            u.uploader = std::make_unique<ManifestUploader>(*m, u.api.get(), o);
            const UploadSummary &s = u.run();
            QVERIFY(s.stopped);
            QCOMPARE(s.stopped->code, ErrorCode::Authentication);
        }
        QCOMPARE(dms.counters().createPosts, 0);
        QCOMPARE(dms.devices().size(), 0);
    }

    void upload_warnsAboutPreRegistrationWithoutReplaceableEnrollment()
    {
        LamassuStandIn dms;
        QVERIFY(dms.start());
        dms.setReplaceableEnrollment(false);
        auto m = refusedUnits(path(QStringLiteral("m.sqlite")), 1);
        Upload u = upload(dms, *m);
        const UploadSummary &s = u.run();
        QVERIFY(s.ok());
        QVERIFY2(s.notes.join(QLatin1Char('\n')).contains(QStringLiteral("enable_replaceable_enrollment")),
                 qPrintable(s.notes.join(QLatin1Char('\n'))));
    }

    void dryRun_sendsAndWritesNothing()
    {
        LamassuStandIn dms;
        QVERIFY(dms.start());
        auto m = refusedUnits(path(QStringLiteral("m.sqlite")), 3);
        int seen = 0;
        connect(&dms, &LamassuStandIn::requestSeen, this, [&seen] { ++seen; });
        Upload u = upload(dms, *m, false, 5000, true);
        const UploadSummary &s = u.run();
        QCOMPARE(s.wouldUpload, 3);
        QCOMPARE(seen, 0);
        QCOMPARE(dms.counters().tokenGrants, 0);
        auto raw = m->database().prepare(QStringLiteral("SELECT count(*) FROM uploads"));
        QVERIFY(raw && *raw->step());
        QCOMPARE(raw->int64(0), 0);
    }

    void provctlUpload_resumesAfterKill9_withoutDuplicates()
    {
        LamassuStandIn dms;
        QVERIFY(dms.start());
        const QString manifestFile = path(QStringLiteral("m.sqlite"));
        refusedUnits(manifestFile, 6).reset();
        const QProcessEnvironment env = tokenEnvironment(dms);
        const QStringList args = oneAtATimeUpload(dms, manifestFile);
        // The third create is carried out but its answer never comes: kill -9 while provctl waits for it.
        // (requestSeen comes before the stand-in picks the request's fault.)
        int creates = 0;
        connect(&dms, &LamassuStandIn::requestSeen, this, [&](const QByteArray &method, const QByteArray &p) {
            if (method == "POST" && p.startsWith("/api/devmanager") && ++creates == 3)
                dms.hangNextRequests(1, LamassuStandIn::Delivery::Processed);
        });
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(PROVCTL_PATH), args);
        QElapsedTimer waited;
        waited.start();
        while (dms.devices().size() < 3 && waited.elapsed() < 30000 && p.state() != QProcess::NotRunning)
            QTest::qWait(10);
        QVERIFY2(dms.devices().size() == 3, qPrintable(QStringLiteral("%1 device(s); provctl: %2 %3")
                                                           .arg(dms.devices().size())
                                                           .arg(QString::fromUtf8(p.readAllStandardOutput()),
                                                                QString::fromUtf8(p.readAllStandardError()))));
        QTest::qWait(200);
        QCOMPARE(p.state(), QProcess::Running); // waiting for the answer that never comes
        p.kill();                               // SIGKILL: no chance to record anything more
        QVERIFY(p.waitForFinished(5000));
        disconnect(&dms, &LamassuStandIn::requestSeen, this, nullptr);

        const Run resumed = provctl(args, env);
        QVERIFY2(resumed.code == 0, qPrintable(resumed.out + resumed.err));
        QVERIFY2(
            resumed.out.contains(QStringLiteral("3 created, 1 already present, 0 failed, 2 done by an earlier run")),
            qPrintable(resumed.out));
        QCOMPARE(dms.devices().size(), 6);
        QCOMPARE(dms.counters().created, 6);
    }

    void provctlUpload_stopsOnSigterm_andTheNextRunChecksWhatWasLeftOpen()
    {
        LamassuStandIn dms;
        QVERIFY(dms.start());
        const QString manifestFile = path(QStringLiteral("m.sqlite"));
        refusedUnits(manifestFile, 4).reset();
        const QProcessEnvironment env = tokenEnvironment(dms);
        const QStringList args = oneAtATimeUpload(dms, manifestFile);
        // The second create is carried out and never answered; SIGTERM while provctl waits for it.
        int creates = 0;
        connect(&dms, &LamassuStandIn::requestSeen, this, [&](const QByteArray &method, const QByteArray &p) {
            if (method == "POST" && p.startsWith("/api/devmanager") && ++creates == 2)
                dms.hangNextRequests(1, LamassuStandIn::Delivery::Processed);
        });
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(PROVCTL_PATH), args);
        QElapsedTimer waited;
        waited.start();
        while (dms.devices().size() < 2 && waited.elapsed() < 30000)
            QTest::qWait(10);
        QCOMPARE(dms.devices().size(), 2);
        QTest::qWait(200);
        QCOMPARE(p.state(), QProcess::Running);
        p.terminate(); // SIGTERM, as a console close or a service stop sends
        QElapsedTimer stopping;
        stopping.start();
        while (p.state() != QProcess::NotRunning && stopping.elapsed() < 20000)
            QTest::qWait(10);
        QCOMPARE(p.state(), QProcess::NotRunning);
        QVERIFY2(stopping.elapsed() < 10000, "the abandoned request held the stop for too long");
        const QString out = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(out.contains(QStringLiteral("1 created")) && out.contains(QStringLiteral("interrupted")),
                 qPrintable(out));
        disconnect(&dms, &LamassuStandIn::requestSeen, this, nullptr);

        const Run resumed = provctl(args, env);
        QVERIFY2(resumed.code == 0, qPrintable(resumed.out + resumed.err));
        QVERIFY2(
            resumed.out.contains(QStringLiteral("2 created, 1 already present, 0 failed, 1 done by an earlier run")),
            qPrintable(resumed.out));
        QCOMPARE(dms.devices().size(), 4);
        QCOMPARE(dms.counters().created, 4);
    }

    void endToEnd_preRegistrationRefuses_uploadLetsThemEnroll_reconcileAgrees()
    {
        LamassuStandIn dms;
        QVERIFY(dms.start());
        const QString certFile = path(QStringLiteral("bootstrap-cert.pem"));
        const QString keyFile = path(QStringLiteral("bootstrap-key.pem"));
        QVERIFY(writeFile(certFile, dms.bootstrapCertPem().toUtf8()));
        QVERIFY(writeFile(keyFile, dms.bootstrapKeyPem().toUtf8()));
        ProfileKnobs k;
        k.url = dms.estUrl().toString();
        k.trustFile = trustFile(dms);
        k.clientCert = certFile;
        k.clientKey = keyFile;
        k.subject = QStringLiteral("CN={serial},O=Acme");
        auto profile = writeProfile(k, path(QStringLiteral("lamassu.json")));
        QVERIFY2(profile, profile ? "" : qPrintable(profile.error().toString()));
        const QString manifestFile = path(QStringLiteral("line.sqlite"));
        auto m = manifest::Manifest::open(manifestFile);
        QVERIFY(m);

        SimulatorFixture sims;
        QStringList links;
        for (int i = 0; i < 3; ++i) {
            drivers::SimulatorOptions o;
            o.replugDelayMs = -1;
            QVERIFY(sims.start(drivers::Protocol::Station, QStringLiteral("u%1").arg(i), o));
            links << sims.linkOf(QStringLiteral("u%1").arg(i));
        }
        {
            StationRun run(*profile, m->get(), links);
            const auto results = run.run(90000);
            QCOMPARE(results.size(), 3);
            for (const provisioning::JobResult &r : results) {
                QVERIFY(!r.passed());
                QVERIFY2(r.message.text().contains(QStringLiteral("not pre-registered")), qPrintable(r.message.text()));
                QVERIFY2(r.message.text().contains(QStringLiteral("provctl manifest upload")),
                         qPrintable(r.message.text()));
            }
        }
        QCOMPARE(dms.devices().size(), 0);

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TST_DMS_SECRET"), QStringLiteral("s3cret"));
        const QStringList dmsArgs{QStringLiteral("--manifest"),
                                  manifestFile,
                                  QStringLiteral("--dms-url"),
                                  dms.baseUrl().toString(),
                                  QStringLiteral("--dms-id"),
                                  QStringLiteral("factory-dms"),
                                  QStringLiteral("--oidc-token-url"),
                                  dms.tokenUrl().toString(),
                                  QStringLiteral("--client-id"),
                                  QStringLiteral("station"),
                                  QStringLiteral("--client-secret-env"),
                                  QStringLiteral("TST_DMS_SECRET"),
                                  QStringLiteral("--trust"),
                                  k.trustFile};
        const Run up = provctl(QStringList{QStringLiteral("manifest"), QStringLiteral("upload")} + dmsArgs, env);
        QVERIFY2(up.code == 0, qPrintable(up.out + up.err));
        QVERIFY2(up.out.contains(QStringLiteral("3 created")), qPrintable(up.out));
        QCOMPARE(dms.devices().size(), 3);

        // Before the units enroll, reconcile sees them registered and never enrolled.
        const Run early = provctl(QStringList{QStringLiteral("manifest"), QStringLiteral("reconcile")} + dmsArgs, env);
        QCOMPARE(early.code, 1);
        QVERIFY2(early.out.contains(QStringLiteral("Registered but never enrolled (3)")), qPrintable(early.out));

        QStringList serials;
        {
            StationRun run(*profile, m->get(), links);
            const auto results = run.run(90000);
            QCOMPARE(results.size(), 3);
            for (const provisioning::JobResult &r : results) {
                QVERIFY2(r.passed(), qPrintable(r.message.text() + QStringLiteral(" / ") + r.detail));
                serials << r.serial;
            }
        }
        const Run rec = provctl(QStringList{QStringLiteral("manifest"), QStringLiteral("reconcile")} + dmsArgs, env);
        QVERIFY2(rec.code == 0, qPrintable(rec.out + rec.err));
        QVERIFY2(rec.out.contains(QStringLiteral("3 enrolled with the manifest's certificate")), qPrintable(rec.out));

        QVERIFY((*m)->verify()->ok());

        // The same manifest against a DMS that never saw these units: every PASS unit is unknown there.
        {
            LamassuStandIn other;
            QVERIFY(other.start());
            const ReconcileReport r = reconcile(other, **m);
            QCOMPARE(r.unknown.size(), 3);
            QCOMPARE(r.enrolledAsRecorded, 0);
            QVERIFY(!r.ok());
        }
        // A manifest whose PASS certificate for a unit is not the one the DMS holds.
        {
            auto other = manifest::Manifest::open(path(QStringLiteral("other.sqlite")));
            QVERIFY(other);
            manifest::ManifestRecord r;
            r.serial = serials.first();
            QVERIFY((*other)->begin(r));
            auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
            auto cert = m_pki->issue(*key, serials.first());
            QVERIFY(cert);
            r.certPem = QString::fromLatin1(cert->toPem());
            r.certFingerprint = cert->fingerprintSha256();
            r.certSerial = cert->serialHex();
            r.outcome = manifest::Outcome::Pass;
            QVERIFY((*other)->finish(r));
            const ReconcileReport rep = reconcile(dms, **other);
            QCOMPARE(rep.otherCertificate.size(), 1);
            QCOMPARE(rep.otherCertificate.first().deviceId, serials.first());
        }
    }
};

QTEST_GUILESS_MAIN(TestDmsUpload)
#include "tst_dms_upload.moc"
