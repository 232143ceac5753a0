// Nrf91Driver against Nrf91Simulator through the real serial stack (QSerialPort on a pty).
#include "DriverTestKit.h"
#include "nrf91/KeyGenResponse.h"
#include "sim/Nrf91Simulator.h"

#include <QCryptographicHash>
#include <QSignalSpy>

using namespace station;
using namespace station::drivers;
using station::test::await;

class TestNrf91Driver : public QObject
{
    Q_OBJECT

private:
    test::TestCa m_ca = test::TestCa::make();
    static constexpr qint64 kSecTag = 16842753;

    static DriverConfig config()
    {
        DriverConfig c = test::SimulatorFixture::fastConfig();
        c.slot = kSecTag;
        return c;
    }
    static Result<void> open(DeviceDriver &d)
    {
        return await<void>([&](auto done) { d.open(done); });
    }

private slots:
    void open_bootingModemWithChatter_handshakesAndIdentifies()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.bootChatter = true;
        o.serialNumber = QStringLiteral("352656100367872");
        auto *sim = static_cast<Nrf91Simulator *>(fx.start(Protocol::Nrf91, QStringLiteral("n"), o));
        QVERIFY(sim);
        auto d = fx.driver(Protocol::Nrf91, QStringLiteral("n"), config());
        auto opened = open(*d); // the modem ignores input for its first 150 ms
        QVERIFY2(opened, opened ? "" : qPrintable(opened.error().toString()));
        auto id = await<DeviceIdentity>([&](auto done) { d->identify(done); });
        QVERIFY2(id, id ? "" : qPrintable(id.error().toString()));
        QCOMPARE(id->imei, QStringLiteral("352656100367872"));
        QCOMPARE(id->serialNumber, id->imei);
        QCOMPARE(id->deviceUuid, sim->identity().uuid);
        QCOMPARE(id->firmwareVersion, QStringLiteral("mfw_nrf9160_1.3.5"));
        QCOMPARE(id->model, QStringLiteral("nRF9160-SICA"));
        QVERIFY(!id->provisioned);
    }

    void generateKey_csrWithCoseAttestation_checkedAndSignatureVerified()
    {
        test::SimulatorFixture fx;
        auto *sim = static_cast<Nrf91Simulator *>(fx.start(Protocol::Nrf91, QStringLiteral("k")));
        QVERIFY(sim);
        DriverConfig c = config();
        c.attestationKeySpkiDer = sim->identity().identityKey.publicKeyDer();
        auto d = fx.driver(Protocol::Nrf91, QStringLiteral("k"), c);
        QVERIFY(open(*d));
        auto key = await<GeneratedKey>([&](auto done) {
            d->generateKey({QStringLiteral("p256"), QStringLiteral("O=Acme,CN=modem-1")}, done);
        });
        QVERIFY2(key, key ? "" : qPrintable(key.error().toString()));
        QVERIFY(key->attestationChecked);
        QVERIFY(key->attestationSignatureVerified);
        auto csr = crypto::CertificateRequest::fromDer(key->csrDer);
        QVERIFY(csr);
        QCOMPARE(csr->subject().commonName(), QStringLiteral("modem-1"));
        auto cose = CoseSign1::decode(key->attestation);
        QVERIFY(cose);
        QCOMPARE(cose->algorithm, -7);
        // The device key the modem generated is in the state dir as sec_tag type 2, matching the CSR.
        auto deviceKey = crypto::PrivateKey::fromPem(
            test::readFile(fx.stateOf(QStringLiteral("k")) + QStringLiteral("/sectag-16842753/private-key.pem")));
        QVERIFY(deviceKey && deviceKey->publicKeyEquals(csr->publicKey()));
    }

    void generateKey_wrongAttestationKey_isVerificationError()
    {
        test::SimulatorFixture fx;
        QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("w")));
        DriverConfig c = config();
        c.attestationKeySpkiDer = crypto::PrivateKey::generate(crypto::KeyType::EcP256)->publicKeyDer();
        auto d = fx.driver(Protocol::Nrf91, QStringLiteral("w"), c);
        QVERIFY(open(*d));
        auto key = await<GeneratedKey>([&](auto done) { d->generateKey({}, done); });
        QVERIFY(!key);
        QCOMPARE(key.error().code, ErrorCode::Verification);
    }

    void generateKey_rsaRequested_isUnsupported()
    {
        test::SimulatorFixture fx;
        QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("r")));
        auto d = fx.driver(Protocol::Nrf91, QStringLiteral("r"), config());
        QVERIFY(open(*d));
        auto key = await<GeneratedKey>([&](auto done) { d->generateKey({QStringLiteral("rsa2048"), {}}, done); });
        QVERIFY(!key);
        QCOMPARE(key.error().code, ErrorCode::Unsupported);
    }

    void provision_writeVerifyReadBackReset()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.bootChatter = true; // log lines between answers
        QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("p"), o));
        auto d = fx.driver(Protocol::Nrf91, QStringLiteral("p"), config());
        QVERIFY(open(*d));
        auto key = await<GeneratedKey>([&](auto done) { d->generateKey({}, done); });
        QVERIFY(key);
        const crypto::Certificate cert = m_ca.issue(key->csrDer);
        QVERIFY(await<void>([&](auto done) { d->writeTrustAnchors({m_ca.cert}, done); }));
        QVERIFY(await<void>([&](auto done) { d->writeCertificateChain({cert}, done); }));
        QVERIFY(await<void>([&](auto done) { d->commit(done); }));

        auto stored = await<StoredCredentials>([&](auto done) { d->readBack(ReadBackDepth::Contents, done); });
        QVERIFY2(stored, stored ? "" : qPrintable(stored.error().toString()));
        QCOMPARE(stored->items.size(), 3);
        QCOMPARE(stored->find(CredentialKind::TrustAnchors)->content, m_ca.cert.toPem());
        QCOMPARE(stored->find(CredentialKind::CertificateChain)->content, cert.toPem());
        QCOMPARE(stored->find(CredentialKind::CertificateChain)->sha256,
                 QCryptographicHash::hash(cert.toPem(), QCryptographicHash::Sha256));
        QVERIFY(stored->find(CredentialKind::PrivateKey)->content.isEmpty());
        QCOMPARE(test::readFile(fx.stateOf(QStringLiteral("p")) + QStringLiteral("/sectag-16842753/client-cert.pem")),
                 cert.toPem());

        auto id = await<DeviceIdentity>([&](auto done) { d->identify(done); });
        QVERIFY(id && id->provisioned);

        QVERIFY(await<void>([&](auto done) { d->factoryReset(done); }));
        auto empty = await<StoredCredentials>([&](auto done) { d->readBack(ReadBackDepth::Contents, done); });
        QVERIFY(empty && empty->items.isEmpty());
        QVERIFY(await<void>([&](auto done) { d->factoryReset(done); })); // 513 (not found) is fine
    }

    void writePrivateKey_serverKeygen_verifiedByListedDigest()
    {
        test::SimulatorFixture fx;
        QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("pk")));
        auto d = fx.driver(Protocol::Nrf91, QStringLiteral("pk"), config());
        QVERIFY(open(*d));
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        auto der = key->toPkcs8Der();
        QVERIFY(await<void>([&](auto done) { d->writePrivateKey(*der, done); }));
        auto onDisk = crypto::PrivateKey::fromPem(
            test::readFile(fx.stateOf(QStringLiteral("pk")) + QStringLiteral("/sectag-16842753/private-key.pem")));
        QVERIFY(onDisk && onDisk->publicKeyEquals(*key));
    }

    /// Every text an error carries, for greps.
    static QString allText(const Error &e)
    {
        return e.message + u'\n' + e.detail + u'\n' + e.remedy + u'\n' + e.toString();
    }

    /// True when `text` contains key material of `pem` (a marker or any 16 characters of a base64 line).
    static bool leaksKey(const QString &text, const QByteArray &pem)
    {
        if (text.contains(QStringLiteral("PRIVATE KEY")) || text.contains(QStringLiteral("-----")))
            return true;
        for (const QByteArray &line : pem.split('\n')) {
            if (line.startsWith("-----") || line.size() < 16)
                continue;
            for (qsizetype i = 0; i + 16 <= line.size(); i += 8)
                if (text.contains(QString::fromLatin1(line.mid(i, 16))))
                    return true;
        }
        return false;
    }

    void echo_privateKeyWrite_echoSkippedAndNoErrorQuotesKeyMaterial()
    {
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        auto der = key->toPkcs8Der();
        const QByteArray pem = key->toPkcs8Pem()->view().toByteArray();
        // A modem that keeps echoing (ATE0 ignored): a successful write must still verify ...
        {
            test::SimulatorFixture fx;
            SimulatorOptions o;
            o.faults = *FaultPlan::parse(QStringLiteral("echo=sticky"));
            QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("e1"), o));
            auto d = fx.driver(Protocol::Nrf91, QStringLiteral("e1"), config());
            QVERIFY(open(*d));
            auto w = await<void>([&](auto done) { d->writePrivateKey(*der, done); });
            QVERIFY2(w, w ? "" : qPrintable(w.error().toString()));
            auto id = await<DeviceIdentity>([&](auto done) { d->identify(done); });
            QVERIFY2(id, id ? "" : qPrintable(id.error().toString()));
        }
        // ... and a refused one, echoed line by line before ERROR / +CME ERROR, quotes none of it.
        for (const QString &fault : {QStringLiteral("echo=sticky,refuse=write-key"),
                                     QStringLiteral("echo=sticky,refuse=cmng"), QStringLiteral("echo,refuse=cmng")}) {
            test::SimulatorFixture fx;
            SimulatorOptions o;
            o.faults = *FaultPlan::parse(fault);
            QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("e2"), o));
            auto d = fx.driver(Protocol::Nrf91, QStringLiteral("e2"), config());
            QVERIFY(open(*d));
            auto w = await<void>([&](auto done) { d->writePrivateKey(*der, done); });
            QVERIFY(!w);
            QCOMPARE(w.error().code, ErrorCode::Device);
            QVERIFY2(!leaksKey(allText(w.error()), pem), qPrintable(fault + QStringLiteral(": ") + allText(w.error())));
        }
        // A modem that stops answering mid-write: the timeout names the command, not its content.
        {
            test::SimulatorFixture fx;
            SimulatorOptions o;
            o.faults = *FaultPlan::parse(QStringLiteral("echo=sticky,disconnect-at=write-key"));
            o.replugDelayMs = -1;
            QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("e3"), o));
            auto d = fx.driver(Protocol::Nrf91, QStringLiteral("e3"), config());
            QVERIFY(open(*d));
            auto w = await<void>([&](auto done) { d->writePrivateKey(*der, done); });
            QVERIFY(!w);
            QVERIFY2(!leaksKey(allText(w.error()), pem), qPrintable(allText(w.error())));
        }
    }

    void generateKey_subjectWithLineBreakOrQuote_isRejectedNamingTheField()
    {
        test::SimulatorFixture fx;
        QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("inj")));
        auto d = fx.driver(Protocol::Nrf91, QStringLiteral("inj"), config());
        QVERIFY(open(*d));
        QVERIFY(await<void>([&](auto done) { d->writeTrustAnchors({m_ca.cert}, done); }));
        for (const QString &subject :
             {QStringLiteral("CN=x\r\nAT%CMNG=3,16842753,0"), QStringLiteral("CN=x\nAT+CFUN=1"),
              QStringLiteral("CN=a\",\"b"), QStringLiteral("CN=tab\there")}) {
            auto key = await<GeneratedKey>([&](auto done) { d->generateKey({QStringLiteral("p256"), subject}, done); });
            QVERIFY(!key);
            QCOMPARE(key.error().code, ErrorCode::InvalidArgument);
            QVERIFY2(key.error().message.contains(QStringLiteral("subject")), qPrintable(key.error().message));
        }
        // Nothing was injected: the trust anchor is still there.
        auto stored = await<StoredCredentials>([&](auto done) { d->readBack(ReadBackDepth::Contents, done); });
        QVERIFY(stored && stored->has(CredentialKind::TrustAnchors));
    }

    void fault_keygenFail_reportsCme523()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("keygen-fail"));
        QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("kf"), o));
        auto d = fx.driver(Protocol::Nrf91, QStringLiteral("kf"), config());
        QVERIFY(open(*d));
        auto key = await<GeneratedKey>([&](auto done) { d->generateKey({}, done); });
        QVERIFY(!key);
        QCOMPARE(key.error().code, ErrorCode::Device);
        QVERIFY2(key.error().message.contains(QStringLiteral("+CME ERROR: 523 (key generation failed)")),
                 qPrintable(key.error().message));
        QVERIFY(!key.error().remedy.isEmpty());
    }

    void fault_refuseCmng_writeFailsWithError()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("refuse=cmng"));
        QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("rf"), o));
        auto d = fx.driver(Protocol::Nrf91, QStringLiteral("rf"), config());
        QVERIFY(open(*d));
        auto r = await<void>([&](auto done) { d->writeTrustAnchors({m_ca.cert}, done); });
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Device);
        QVERIFY(r.error().message.contains(QStringLiteral("%CMNG")));
    }

    void fault_stall_slowModemWithinTimeoutWorks_beyondTimesOut()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("stall-ms=300"));
        QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("st"), o));
        DriverConfig slow = config();
        slow.exchangeTimeout = std::chrono::milliseconds(1000);
        auto d = fx.driver(Protocol::Nrf91, QStringLiteral("st"), slow);
        QVERIFY(open(*d));
        QVERIFY(await<DeviceIdentity>([&](auto done) { d->identify(done); }));

        DriverConfig impatient = config();
        impatient.exchangeTimeout = std::chrono::milliseconds(100);
        impatient.openTimeout = std::chrono::milliseconds(500);
        d.reset();
        auto d2 = fx.driver(Protocol::Nrf91, QStringLiteral("st"), impatient);
        auto opened = open(*d2);
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, ErrorCode::DeviceTimeout);
        QVERIFY(opened.error().message.contains(QStringLiteral("did not answer")) ||
                opened.error().message.contains(QStringLiteral("does not answer")));
        QVERIFY(!opened.error().remedy.isEmpty());
    }

    void fault_disconnectAtKeygen_deviceGoneAndConnectionLost()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("disconnect-at=keygen"));
        QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("dk"), o));
        auto d = fx.driver(Protocol::Nrf91, QStringLiteral("dk"), config());
        QSignalSpy lost(d.get(), &DeviceDriver::connectionLost);
        QVERIFY(open(*d));
        auto key = await<GeneratedKey>([&](auto done) { d->generateKey({}, done); });
        QVERIFY(!key);
        QCOMPARE(key.error().code, ErrorCode::DeviceGone);
        QCOMPARE(lost.size(), 1);
    }

    void fault_disconnectAfterBytes_midTransfer_deviceGone()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("disconnect-after-bytes=200"));
        QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("db"), o));
        auto d = fx.driver(Protocol::Nrf91, QStringLiteral("db"), config());
        QVERIFY(open(*d));
        auto key = await<GeneratedKey>([&](auto done) { d->generateKey({}, done); }); // the answer is ~700 bytes
        QVERIFY(!key);
        QCOMPARE(key.error().code, ErrorCode::DeviceGone);
    }

    void fault_corruptEvery_damagedAnswerIsAClearError()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("corrupt-every=50"));
        QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("cc"), o));
        DriverConfig c = config();
        c.openTimeout = std::chrono::milliseconds(1500);
        auto d = fx.driver(Protocol::Nrf91, QStringLiteral("cc"), c);
        // Short answers may survive; the long %KEYGEN answer cannot: the driver must say so, not crash.
        auto opened = open(*d);
        if (opened) {
            auto key = await<GeneratedKey>([&](auto done) { d->generateKey({}, done); });
            QVERIFY(!key);
            QVERIFY(key.error().code == ErrorCode::Parse || key.error().code == ErrorCode::Verification ||
                    key.error().code == ErrorCode::DeviceTimeout || key.error().code == ErrorCode::Device);
            QVERIFY(!key.error().message.isEmpty());
        } else {
            QVERIFY(!opened.error().message.isEmpty());
        }
    }

    void destroyed_withOperationPending_callbackNeverRuns()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("stall-ms=200"));
        QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("dp"), o));
        DriverConfig c = config();
        c.exchangeTimeout = std::chrono::milliseconds(1000);
        auto d = fx.driver(Protocol::Nrf91, QStringLiteral("dp"), c);
        QVERIFY(open(*d));
        bool called = false;
        d->identify([&](Result<DeviceIdentity>) { called = true; });
        d.reset();
        QTest::qWait(600);
        QVERIFY(!called);
        d = fx.driver(Protocol::Nrf91, QStringLiteral("dp"), c);
        QVERIFY(open(*d));
        d->identify([&](Result<DeviceIdentity>) { called = true; });
        d->cancel();
        d.reset();
        QTest::qWait(50);
        QVERIFY(!called);
    }

    void severalModems_concurrently_identified()
    {
        test::SimulatorFixture fx;
        std::vector<std::unique_ptr<DeviceDriver>> drivers;
        for (int i = 0; i < 3; ++i) {
            QVERIFY(fx.start(Protocol::Nrf91, QStringLiteral("m%1").arg(i)));
            drivers.push_back(fx.driver(Protocol::Nrf91, QStringLiteral("m%1").arg(i), config()));
        }
        std::vector<std::optional<Result<void>>> opened(3);
        for (int i = 0; i < 3; ++i)
            drivers[i]->open([&opened, i](Result<void> r) { opened[i] = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(opened[0] && opened[1] && opened[2], 10000);
        std::vector<std::optional<Result<DeviceIdentity>>> ids(3);
        for (int i = 0; i < 3; ++i)
            drivers[i]->identify([&ids, i](Result<DeviceIdentity> r) { ids[i] = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(ids[0] && ids[1] && ids[2], 10000);
        QSet<QString> imeis;
        for (auto &id : ids) {
            QVERIFY(id->has_value());
            imeis.insert((*id)->imei);
        }
        QCOMPARE(imeis.size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestNrf91Driver)
#include "tst_nrf91driver.moc"
