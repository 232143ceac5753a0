// The provisioning engine end to end: real TLS (the lab EST server as a process, or a scripted EST
// server in-process), real pseudo-terminals (the simulators), a real SQLite manifest, and the Station
// wired as provctl wires it. Both protocols x both key origins x each auth mode; barcode rules; eight
// units at once; and the failure matrix — after every failure the operator message names cause and
// remedy, the manifest verifies, no PASS exists without its certificate, and the next unit passes.
#include "LabServerProcess.h"
#include "MisbehavingEstServer.h"
#include "ProvisioningTestKit.h"

#include "crypto/ChainVerifier.h"

#include <QProcess>

using namespace station;
using namespace station::test;
using namespace station::provisioning;

Q_DECLARE_METATYPE(drivers::Protocol)

namespace {

const QByteArray kPkcs7 = "application/pkcs7-mime; smime-type=certs-only";

enum class EstScript {
    None,
    Pending202,
    Refuse400,
    Refuse401,
    Refuse404,
    Error500,
    Busy503ThenOk,
    Garbage,
    WrongKey,
    OtherCa,
    DropEnroll,
    Unreachable,
    CsrAttrsNone404,      ///< the CSR attributes, asked for when the job starts (prefetched): none (RFC 7030 4.5.2)
    CsrAttrsError500,     ///< the same, failing
    CsrAttrsBusy503ThenOk ///< the same, busy once
};

} // namespace

Q_DECLARE_METATYPE(EstScript)

class TestProvisionStation : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    LabServerProcess m_mtls, m_basic, m_none;
    int m_unit = 0;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    ProfileKnobs labKnobs(const QString &auth = QStringLiteral("mtls"))
    {
        ProfileKnobs k;
        LabServerProcess &lab = auth == QLatin1String("basic")  ? m_basic
                                : auth == QLatin1String("none") ? m_none
                                                                : m_mtls;
        k.url = lab.baseUrl().toString();
        k.trustFile = m_mtls.file(QStringLiteral("ca.pem"));
        k.auth = auth;
        k.clientCert = m_mtls.file(QStringLiteral("bootstrap-cert.pem"));
        k.clientKey = m_mtls.file(QStringLiteral("bootstrap-key.pem"));
        k.user = QStringLiteral("line1");
        k.passwordEnv = QStringLiteral("TST_PROVISION_EST_PASSWORD");
        return k;
    }

    /// Checks what must hold after any run: the chain verifies and no PASS lacks its certificate.
    static void checkManifest(manifest::Manifest &m)
    {
        auto report = m.verify();
        QVERIFY(report);
        QVERIFY2(report->ok(), qPrintable(report->problems.value(0).what));
        manifest::ManifestQuery passes;
        passes.outcome = manifest::Outcome::Pass;
        auto rows = m.list(passes);
        QVERIFY(rows);
        for (const manifest::ManifestRecord &r : *rows) {
            auto cert = crypto::Certificate::fromPem(r.certPem.toUtf8());
            QVERIFY2(cert && cert->fingerprintSha256() == r.certFingerprint, qPrintable(r.serial));
        }
    }

    /// Provisions one fresh unit and returns its result (slot 0).
    JobResult provisionOne(const ProductProfile &profile, manifest::Manifest &m, drivers::Protocol protocol,
                           drivers::SimulatorOptions options = {}, const QStringList &barcodes = {},
                           SimulatorFixture *keep = nullptr)
    {
        SimulatorFixture local;
        SimulatorFixture &sims = keep ? *keep : local;
        const QString name = QStringLiteral("unit%1").arg(++m_unit);
        options.replugDelayMs = -1;
        drivers::SimulatedDevice *sim = sims.start(protocol, name, options);
        if (!sim)
            return {};
        StationRun run(profile, &m, {sims.linkOf(name)}, barcodes);
        const auto results = run.run();
        if (!run.setupError().isEmpty())
            qWarning() << "setup:" << run.setupError();
        return results.value(0);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("TST_PROVISION_EST_PASSWORD", "lab-pass-1");
        QVERIFY2(m_mtls.start({}, path(QStringLiteral("lab"))), qPrintable(m_mtls.errorText()));
        QVERIFY2(m_basic.start({QStringLiteral("--auth"), QStringLiteral("basic"), QStringLiteral("--user"),
                                QStringLiteral("line1"), QStringLiteral("--password-env"),
                                QStringLiteral("TST_PROVISION_EST_PASSWORD")},
                               path(QStringLiteral("lab"))),
                 qPrintable(m_basic.errorText()));
        QVERIFY2(m_none.start({QStringLiteral("--auth"), QStringLiteral("none")}, path(QStringLiteral("lab"))),
                 qPrintable(m_none.errorText()));
    }

    void provision_protocolKeyOriginAuth_passes_data()
    {
        QTest::addColumn<drivers::Protocol>("protocol");
        QTest::addColumn<QString>("origin");
        QTest::addColumn<QString>("auth");
        for (auto protocol : {drivers::Protocol::Station, drivers::Protocol::Nrf91})
            for (const char *origin : {"device", "server"})
                for (const char *auth : {"mtls", "basic", "none"})
                    QTest::addRow("%s/%s/%s", qPrintable(drivers::protocolName(protocol)), origin, auth)
                        << protocol << QString::fromLatin1(origin) << QString::fromLatin1(auth);
    }
    void provision_protocolKeyOriginAuth_passes()
    {
        QFETCH(drivers::Protocol, protocol);
        QFETCH(QString, origin);
        QFETCH(QString, auth);
        ProfileKnobs k = labKnobs(auth);
        k.protocol = protocol;
        k.keyOrigin = origin;
        if (origin == QLatin1String("server"))
            k.san = {QStringLiteral("DNS:{serial}.units.acme.example")};
        auto profile =
            writeProfile(k, path(QStringLiteral("p-%1-%2-%3.json").arg(drivers::protocolName(protocol), origin, auth)));
        QVERIFY2(profile, profile ? "" : qPrintable(profile.error().detail));
        auto m = manifest::Manifest::open(path(QStringLiteral("matrix.sqlite")));
        QVERIFY(m);
        const JobResult r = provisionOne(*profile, **m, protocol);
        QVERIFY2(r.passed(), qPrintable(jobFailureName(r.failure) + QStringLiteral(": ") + r.message.text() +
                                        QStringLiteral(" / ") + r.detail));
        auto row = (*m)->get(r.manifestId);
        QVERIFY(row && row->has_value());
        const manifest::ManifestRecord &rec = **row;
        QCOMPARE(rec.outcome, manifest::Outcome::Pass);
        QCOMPARE(rec.keyOrigin, origin);
        auto cert = crypto::Certificate::fromPem(rec.certPem.toUtf8());
        QVERIFY(cert);
        QCOMPARE(cert->subject().commonName(), rec.serial);
        QCOMPARE(rec.certSerial, r.certSerial);
        auto ca = crypto::Certificate::listFromPem(readFile(m_mtls.file(QStringLiteral("ca.pem"))));
        QVERIFY(crypto::ChainVerifier(*ca).verify(*cert));
        if (protocol == drivers::Protocol::Nrf91 && origin == QLatin1String("device"))
            QVERIFY2(rec.evidence.contains(QStringLiteral("keygen_attestation")), qPrintable(rec.evidence));
        if (protocol == drivers::Protocol::Station)
            QVERIFY2(rec.evidence.contains(QStringLiteral("identity_proof")), qPrintable(rec.evidence));
        checkManifest(**m);
    }

    void bootstrapCredential_writtenToASecondSlot_data()
    {
        QTest::addColumn<drivers::Protocol>("protocol");
        QTest::addColumn<qint64>("slot");
        QTest::newRow("station slot 1") << drivers::Protocol::Station << qint64(1);
        QTest::newRow("nrf91 sec_tag") << drivers::Protocol::Nrf91 << qint64(16842754);
    }
    void bootstrapCredential_writtenToASecondSlot()
    {
        QFETCH(drivers::Protocol, protocol);
        QFETCH(qint64, slot);
        ProfileKnobs k = labKnobs();
        k.protocol = protocol;
        k.bootstrapSlot = slot;
        auto profile = writeProfile(k, path(QStringLiteral("bootstrap-%1.json").arg(drivers::protocolName(protocol))));
        QVERIFY2(profile, profile ? "" : qPrintable(profile.error().detail));
        auto m = manifest::Manifest::open(path(QStringLiteral("bootstrap.sqlite")));
        SimulatorFixture sims;
        const JobResult r = provisionOne(*profile, **m, protocol, {}, {}, &sims);
        QVERIFY2(r.passed(), qPrintable(jobFailureName(r.failure) + QStringLiteral(": ") + r.detail));
        auto row = (*m)->get(r.manifestId);
        QVERIFY2((*row)->evidence.contains(QStringLiteral("bootstrap_credential")), qPrintable((*row)->evidence));
        checkManifest(**m);
    }

    void barcode_rules_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("scan");
        QTest::addColumn<bool>("passes");
        const QString gs = QString(QChar(0x1D));
        QTest::newRow("plain match") << "plain"
                                     << ""
                                     << "SN100200" << true;
        QTest::newRow("plain mismatch") << "plain"
                                        << ""
                                        << "SN999999" << false;
        QTest::newRow("gs1 raw") << "gs1"
                                 << "" << QStringLiteral("010950600013435221SN100200") + gs + QStringLiteral("10L1")
                                 << true;
        QTest::newRow("gs1 ]d2") << "gs1"
                                 << "" << QStringLiteral("]d2010950600013435221SN100200") << true;
        QTest::newRow("gs1 parenthesised") << "gs1"
                                           << ""
                                           << "(01)09506000134352(21)SN100200" << true;
        QTest::newRow("gs1 bad check digit") << "gs1"
                                             << ""
                                             << "(01)09506000134353(21)SN100200" << false;
        QTest::newRow("regex") << "regex"
                               << "^ACME/(?<serial>SN\\d+)$"
                               << "ACME/SN100200" << true;
    }
    void barcode_rules()
    {
        QFETCH(QString, rule);
        QFETCH(QString, pattern);
        QFETCH(QString, scan);
        QFETCH(bool, passes);
        ProfileKnobs k = labKnobs();
        k.start = QStringLiteral("scan");
        k.barcodeRule = rule;
        k.barcodePattern = pattern;
        auto profile = writeProfile(k, path(QStringLiteral("barcode-%1.json").arg(QTest::currentDataTag())));
        QVERIFY2(profile, profile ? "" : qPrintable(profile.error().detail));
        auto m = manifest::Manifest::open(path(QStringLiteral("barcode-%1.sqlite").arg(m_unit)));
        drivers::SimulatorOptions o;
        o.serialNumber = QStringLiteral("SN100200");
        const JobResult r = provisionOne(*profile, **m, drivers::Protocol::Station, o, {scan});
        QCOMPARE(r.passed(), passes);
        if (!passes) {
            QCOMPARE(jobFailureName(r.failure), QStringLiteral("barcode-mismatch"));
            QVERIFY(!r.message.remedy.isEmpty());
        } else {
            auto row = (*m)->get(r.manifestId);
            QCOMPARE((*row)->barcode, scan);
        }
        checkManifest(**m);
    }

    void parallel_eightUnits_allPass()
    {
        ProfileKnobs k = labKnobs();
        auto profile = writeProfile(k, path(QStringLiteral("parallel.json")));
        QVERIFY(profile);
        auto m = manifest::Manifest::open(path(QStringLiteral("parallel.sqlite")));
        SimulatorFixture sims;
        QStringList links;
        for (int i = 0; i < 8; ++i) {
            drivers::SimulatorOptions o;
            o.replugDelayMs = -1;
            QVERIFY(sims.start(i % 2 ? drivers::Protocol::Nrf91 : drivers::Protocol::Station,
                               QStringLiteral("par%1").arg(i), o));
            links << sims.linkOf(QStringLiteral("par%1").arg(i));
        }
        // The nRF91 units need their own profile; here all use the station protocol's, so use station sims only.
        sims.stopAll();
        links.clear();
        for (int i = 0; i < 8; ++i) {
            drivers::SimulatorOptions o;
            o.replugDelayMs = -1;
            QVERIFY(sims.start(drivers::Protocol::Station, QStringLiteral("p%1").arg(i), o));
            links << sims.linkOf(QStringLiteral("p%1").arg(i));
        }
        StationRun run(*profile, m->get(), links);
        const auto results = run.run(120000);
        QCOMPARE(results.size(), 8);
        QCOMPARE(run.station().slotCount(), 8);
        QSet<QString> certs;
        for (const JobResult &r : results) {
            QVERIFY2(r.passed(), qPrintable(r.message.text() + QStringLiteral(" / ") + r.detail));
            certs.insert(r.certSerial);
        }
        QCOMPARE(certs.size(), 8);
        checkManifest(**m);
    }

    void failureMatrix_data()
    {
        QTest::addColumn<drivers::Protocol>("protocol");
        QTest::addColumn<QString>("origin");
        QTest::addColumn<QString>("fault");
        QTest::addColumn<EstScript>("est");
        QTest::addColumn<QString>("outcome"); ///< PASS, FAIL, INCOMPLETE, or "none" (no row: unit never identified)
        QTest::addColumn<QString>("failure"); ///< expected failure code(s), '|'-separated
        const auto S = drivers::Protocol::Station;
        const auto N = drivers::Protocol::Nrf91;
        const QString dev = QStringLiteral("device"), srv = QStringLiteral("server");
        // The unit unplugged at each step.
        for (const char *step : {"hello", "identify"})
            QTest::addRow("unplug at %s", step)
                << S << dev << QStringLiteral("disconnect-at=%1").arg(QLatin1String(step)) << EstScript::None << "none"
                << "device-unplugged";
        for (const char *step : {"keygen", "write-trust", "write-cert", "commit", "readback"})
            QTest::addRow("unplug at %s", step)
                << S << dev << QStringLiteral("disconnect-at=%1").arg(QLatin1String(step)) << EstScript::None
                << "INCOMPLETE"
                << "device-unplugged";
        QTest::newRow("unplug at write-key") << S << srv << "disconnect-at=write-key" << EstScript::None << "INCOMPLETE"
                                             << "device-unplugged";
        QTest::newRow("nrf91 unplug at keygen") << N << dev << "disconnect-at=keygen" << EstScript::None << "INCOMPLETE"
                                                << "device-unplugged";
        // The unit refusing each command.
        QTest::newRow("refuse identify") << S << dev << "refuse=identify" << EstScript::None << "FAIL"
                                         << "device-refused";
        QTest::newRow("refuse keygen") << S << dev << "refuse=keygen" << EstScript::None << "FAIL"
                                       << "keygen-failed";
        for (const char *step : {"write-trust", "write-cert", "commit", "readback"})
            QTest::addRow("refuse %s", step)
                << S << dev << QStringLiteral("refuse=%1").arg(QLatin1String(step)) << EstScript::None << "FAIL"
                << "device-refused";
        QTest::newRow("refuse write-key") << S << srv << "refuse=write-key" << EstScript::None << "FAIL"
                                          << "device-refused";
        QTest::newRow("nrf91 refuse cmng") << N << srv << "refuse=cmng" << EstScript::None << "FAIL"
                                           << "device-refused";
        QTest::newRow("keygen failure") << S << dev << "keygen-fail" << EstScript::None << "FAIL"
                                        << "keygen-failed";
        QTest::newRow("nrf91 keygen failure") << N << dev << "keygen-fail" << EstScript::None << "FAIL"
                                              << "keygen-failed|device-refused";
        QTest::newRow("corrupting line") << S << dev << "corrupt-every=3" << EstScript::None << "none|FAIL|INCOMPLETE"
                                         << "device-not-responding|device-link";
        // The EST server.
        QTest::newRow("est 202 then issues") << S << dev << "" << EstScript::Pending202 << "PASS"
                                             << "";
        QTest::newRow("est 503 then issues") << S << dev << "" << EstScript::Busy503ThenOk << "PASS"
                                             << "";
        QTest::newRow("est 400") << S << dev << "" << EstScript::Refuse400 << "FAIL"
                                 << "est-refused";
        QTest::newRow("est 401") << S << dev << "" << EstScript::Refuse401 << "FAIL"
                                 << "est-authentication";
        QTest::newRow("est 404") << S << dev << "" << EstScript::Refuse404 << "FAIL"
                                 << "est-refused";
        QTest::newRow("est 500") << S << dev << "" << EstScript::Error500 << "FAIL"
                                 << "est-server-error";
        QTest::newRow("est garbage") << S << dev << "" << EstScript::Garbage << "FAIL"
                                     << "est-bad-answer";
        QTest::newRow("est cert for another key") << S << dev << "" << EstScript::WrongKey << "FAIL"
                                                  << "certificate-wrong-key";
        QTest::newRow("est cert from another CA") << S << dev << "" << EstScript::OtherCa << "FAIL"
                                                  << "certificate-untrusted";
        QTest::newRow("est drops the enroll POST") << S << dev << "" << EstScript::DropEnroll << "FAIL"
                                                   << "est-outcome-unknown";
        QTest::newRow("est closes after the serverkeygen POST") << S << srv << "" << EstScript::DropEnroll << "FAIL"
                                                                << "est-outcome-unknown";
        QTest::newRow("est server goes away") << S << dev << "" << EstScript::Unreachable << "FAIL"
                                              << "est-unreachable";
        // The CSR attributes travel while the unit is opened: their failure still ends the job at its step.
        QTest::newRow("csrattrs 404: none to apply") << S << dev << "" << EstScript::CsrAttrsNone404 << "PASS"
                                                     << "";
        QTest::newRow("csrattrs 500") << S << dev << "" << EstScript::CsrAttrsError500 << "FAIL"
                                      << "est-server-error";
        QTest::newRow("csrattrs 503 then answers") << S << dev << "" << EstScript::CsrAttrsBusy503ThenOk << "PASS"
                                                   << "";
    }
    void failureMatrix()
    {
        QFETCH(drivers::Protocol, protocol);
        QFETCH(QString, origin);
        QFETCH(QString, fault);
        QFETCH(EstScript, est);
        QFETCH(QString, outcome);
        QFETCH(QString, failure);

        MisbehavingEstServer server;
        ProfileKnobs k = labKnobs();
        k.protocol = protocol;
        k.keyOrigin = origin;
        if (est != EstScript::None) {
            QVERIFY(server.start());
            k.url = server.baseUrl().toString();
            k.trustFile = path(QStringLiteral("scripted-ca-%1.pem").arg(m_unit));
            QVERIFY(writeFile(k.trustFile, server.pki().caCertificate().toPem()));
            k.auth = QStringLiteral("none");
            k.subject = QStringLiteral("CN={serial}"); // the scripted server's certificates carry the CN only
            // The server going away: every csrattrs GET is dropped (Qt retries a GET once, the job retries).
            const bool atCsrAttrs = est == EstScript::Unreachable || est == EstScript::CsrAttrsNone404 ||
                                    est == EstScript::CsrAttrsError500 || est == EstScript::CsrAttrsBusy503ThenOk;
            k.csrattrs = atCsrAttrs;
            scriptEst(server, est,
                      atCsrAttrs                          ? QStringLiteral("csrattrs")
                      : origin == QLatin1String("server") ? QStringLiteral("serverkeygen")
                                                          : QStringLiteral("simpleenroll"));
        }
        auto profile = writeProfile(k, path(QStringLiteral("fault-%1.json").arg(m_unit)));
        QVERIFY2(profile, profile ? "" : qPrintable(profile.error().detail));
        auto m = manifest::Manifest::open(path(QStringLiteral("fault-%1.sqlite").arg(m_unit)));
        QVERIFY(m);

        drivers::SimulatorOptions o;
        auto plan = drivers::FaultPlan::parse(fault);
        QVERIFY(plan);
        o.faults = *plan;
        const JobResult r = provisionOne(*profile, **m, protocol, o);

        const QString got = r.passed() ? QStringLiteral("PASS") : jobFailureName(r.failure);
        if (outcome == QLatin1String("PASS")) {
            QVERIFY2(r.passed(), qPrintable(got + QStringLiteral(": ") + r.detail));
        } else {
            QVERIFY2(!r.passed(), "a faulty run must not pass");
            QVERIFY2(failure.split(QLatin1Char('|')).contains(got), qPrintable(got + QStringLiteral(" / ") + r.detail));
            // Cause and remedy, for the operator.
            QVERIFY(!r.message.cause.isEmpty());
            QVERIFY(!r.message.remedy.isEmpty());
            auto row = (*m)->get(r.manifestId);
            QVERIFY(row);
            const QString recorded = row->has_value() ? manifest::outcomeName((*row)->outcome) : QStringLiteral("none");
            QVERIFY2(outcome.split(QLatin1Char('|')).contains(recorded), qPrintable(recorded));
            if (row->has_value()) {
                QCOMPARE((*row)->errorCode, got);
                QVERIFY((*row)->errorMessage.contains(r.message.remedy));
                QVERIFY((*row)->isFinished());
                // A certificate the CA issued but the unit never confirmed is kept for revocation.
                if (!(*row)->certSerial.isEmpty())
                    QCOMPARE((*row)->orphanCertSerial, (*row)->certSerial);
            }
        }
        checkManifest(**m);

        // The station goes on: the next unit provisions normally with the same profile.
        if (est != EstScript::None)
            server.setHandler({});
        const JobResult next = provisionOne(*profile, **m, protocol);
        QVERIFY2(next.passed(), qPrintable(jobFailureName(next.failure) + QStringLiteral(": ") + next.detail));
        checkManifest(**m);
    }

private:
    void scriptEst(MisbehavingEstServer &server, EstScript script, const QString &op)
    {
        using A = ScriptedAnswer;
        const QByteArray text = "text/plain";
        switch (script) {
        case EstScript::None: break;
        case EstScript::Pending202: server.enqueue(op, A::respond(202, text, "pending", {{"Retry-After", "1"}})); break;
        case EstScript::Busy503ThenOk:
        case EstScript::CsrAttrsBusy503ThenOk: server.enqueue(op, A::respond(503, text, "busy")); break;
        case EstScript::Refuse400: server.enqueue(op, A::respond(400, text, "bad request")); break;
        case EstScript::Refuse401: server.enqueue(op, A::respond(401, text, "who are you")); break;
        case EstScript::Refuse404:
        case EstScript::CsrAttrsNone404: server.enqueue(op, A::respond(404, text, "no such DMS")); break;
        case EstScript::Error500:
        case EstScript::CsrAttrsError500: server.enqueue(op, A::respond(500, text, "boom")); break;
        case EstScript::Garbage: server.enqueue(op, A::respond(200, kPkcs7, "this is not a certificate at all")); break;
        case EstScript::WrongKey: {
            crypto::PrivateKey other;
            auto csr = TestPki::makeCsr(QStringLiteral("someone-else"), &other);
            auto cert = server.pki().issueForCsr(*csr);
            server.enqueue(op, A::respond(200, kPkcs7, TestPki::certsOnlyBase64({*cert})));
            break;
        }
        case EstScript::OtherCa: {
            auto rogue = std::make_shared<TestPki>(*TestPki::create(QStringLiteral("Rogue CA")));
            MisbehavingEstServer *s = &server;
            server.setHandler([s, rogue, op](const est::HttpRequest &request) {
                if (!request.target.endsWith(op.toUtf8()))
                    return s->defaultAnswer(request);
                auto csr = crypto::CertificateRequest::fromAny(request.body);
                auto cert = rogue->issueForCsr(*csr);
                return A::respond(200, kPkcs7, TestPki::certsOnlyBase64({*cert}));
            });
            break;
        }
        case EstScript::DropEnroll: server.enqueue(op, A::of(A::Action::Drop)); break;
        case EstScript::Unreachable:
            for (int i = 0; i < 8; ++i)
                server.enqueue(op, A::of(A::Action::Drop));
            break;
        }
    }
};

QTEST_GUILESS_MAIN(TestProvisionStation)
#include "tst_provision_station.moc"
