// StationDriver against StationSimulator through the real serial stack (QSerialPort on a pty): every
// driver operation, every injected fault, chatter, chunking, pacing, and several units at once.
#include "DriverTestKit.h"
#include "sim/StationSimulator.h"
#include "station/Frame.h"
#include "station/FrameParser.h"
#include "station/StationDriver.h"
#include "station/Tlv.h"

#include <QCryptographicHash>
#include <QSerialPort>
#include <QSignalSpy>

using namespace station;
using namespace station::drivers;
using station::test::await;

class TestStationDriver : public QObject
{
    Q_OBJECT

private:
    test::TestCa m_ca = test::TestCa::make();

    static Result<void> open(DeviceDriver &d)
    {
        return await<void>([&](auto done) { d.open(done); });
    }

    /// keygen -> issue -> write anchors + chain -> commit; returns the CSR.
    QByteArray provision(DeviceDriver &d)
    {
        auto key = await<GeneratedKey>([&](auto done) {
            d.generateKey({QStringLiteral("p256"), QStringLiteral("CN=unit,O=Acme")}, done);
        });
        if (!key) {
            qWarning() << key.error().toString();
            return {};
        }
        const crypto::Certificate cert = m_ca.issue(key->csrDer);
        auto anchors = await<void>([&](auto done) { d.writeTrustAnchors({m_ca.cert}, done); });
        auto chain = await<void>([&](auto done) { d.writeCertificateChain({cert, m_ca.cert}, done); });
        auto committed = await<void>([&](auto done) { d.commit(done); });
        if (!anchors || !chain || !committed) {
            qWarning() << (!anchors ? anchors.error().toString()
                           : !chain ? chain.error().toString()
                                    : committed.error().toString());
            return {};
        }
        return key->csrDer;
    }

private slots:
    void identify_freshUnit_reportsIdentityAndProvesKey()
    {
        test::SimulatorFixture fx;
        auto *sim = static_cast<StationSimulator *>(fx.start(Protocol::Station, QStringLiteral("u1")));
        QVERIFY(sim);
        auto d = fx.driver(Protocol::Station, QStringLiteral("u1"));
        QVERIFY2(open(*d), "open");
        auto id = await<DeviceIdentity>([&](auto done) { d->identify(done); });
        QVERIFY2(id, id ? "" : qPrintable(id.error().toString()));
        QCOMPARE(id->serialNumber, sim->serialNumber());
        QCOMPARE(id->deviceUuid, sim->identity().uuid);
        QCOMPARE(id->model, QStringLiteral("SIM-STATION-1"));
        QCOMPARE(id->protocolVersion, QStringLiteral("station/1"));
        QVERIFY(id->evidenceVerified);
        QCOMPARE(id->identityPublicKeyDer, sim->identity().identityKey.publicKeyDer());
        QVERIFY(!id->provisioned);
    }

    void readBackDigests_sameDigestsWithoutTheContent_fewerBytes()
    {
        test::SimulatorFixture fx;
        drivers::SimulatedDevice *sim = fx.start(Protocol::Station, QStringLiteral("u"), {});
        QVERIFY(sim);
        auto d = fx.driver(Protocol::Station, QStringLiteral("u"));
        QVERIFY(open(*d));
        QVERIFY(!provision(*d).isEmpty());

        qint64 before = sim->bytesSent();
        auto digests = await<StoredCredentials>([&](auto done) { d->readBack(ReadBackDepth::Digests, done); });
        QVERIFY2(digests, digests ? "" : qPrintable(digests.error().toString()));
        const qint64 digestBytes = sim->bytesSent() - before;
        before = sim->bytesSent();
        auto full = await<StoredCredentials>([&](auto done) { d->readBack(ReadBackDepth::Contents, done); });
        QVERIFY2(full, full ? "" : qPrintable(full.error().toString()));
        const qint64 fullBytes = sim->bytesSent() - before;

        QCOMPARE(digests->items.size(), full->items.size());
        for (int i = 0; i < full->items.size(); ++i) {
            const StoredItem &a = digests->items[i];
            const StoredItem &b = full->items[i];
            QCOMPARE(a.kind, b.kind);
            QCOMPARE(a.sha256, b.sha256);
            QCOMPARE(a.size, b.size);
            QCOMPARE(a.committed, b.committed);
            QVERIFY(a.content.isEmpty()); // nothing but the unit's list crossed the line
        }
        const StoredItem *chain = full->find(CredentialKind::CertificateChain);
        QVERIFY(chain && !chain->content.isEmpty());
        QCOMPARE(chain->sha256, QCryptographicHash::hash(chain->content, QCryptographicHash::Sha256));
        qInfo("read-back: %lld bytes from the unit for the digests, %lld with the contents", digestBytes, fullBytes);
        QVERIFY(digestBytes * 4 < fullBytes);
    }

    void provision_fullFlowWithChatter_storedCommittedAndSurvivesRestart()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.bootChatter = true;
        o.serialNumber = QStringLiteral("SN-CHAT-1");
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("u"), o));
        auto d = fx.driver(Protocol::Station, QStringLiteral("u"));
        QVERIFY(open(*d));
        const QByteArray csr = provision(*d);
        QVERIFY(!csr.isEmpty());

        auto stored = await<StoredCredentials>([&](auto done) { d->readBack(ReadBackDepth::Contents, done); });
        QVERIFY2(stored, stored ? "" : qPrintable(stored.error().toString()));
        const StoredItem *chain = stored->find(CredentialKind::CertificateChain);
        const StoredItem *anchors = stored->find(CredentialKind::TrustAnchors);
        QVERIFY(chain && anchors && stored->has(CredentialKind::PrivateKey) && stored->has(CredentialKind::Csr));
        QVERIFY(chain->committed);
        QCOMPARE(chain->sha256, QCryptographicHash::hash(chain->content, QCryptographicHash::Sha256));
        QCOMPARE(anchors->content, m_ca.cert.toDer());
        QVERIFY(stored->find(CredentialKind::PrivateKey)->content.isEmpty()); // never read back
        QCOMPARE(stored->find(CredentialKind::Csr)->content, csr);

        // The state directory holds PEM files of what was written and of the device's own key.
        const QString state = fx.stateOf(QStringLiteral("u"));
        auto certs =
            crypto::Certificate::listFromPem(test::readFile(state + QStringLiteral("/slot-0/certificate-chain.pem")));
        QVERIFY(certs && certs->size() == 2);
        auto deviceKey = crypto::PrivateKey::fromPem(test::readFile(state + QStringLiteral("/slot-0/device-key.pem")));
        QVERIFY(deviceKey);
        QVERIFY(certs->first().matchesKey(*deviceKey));
        QCOMPARE(
            crypto::Certificate::fromPem(test::readFile(state + QStringLiteral("/slot-0/trust-anchors.pem")))->toDer(),
            m_ca.cert.toDer());

        // A restarted simulator on the same state dir is the same, provisioned unit.
        d.reset();
        fx.stopAll();
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("u"), o));
        d = fx.driver(Protocol::Station, QStringLiteral("u"));
        QVERIFY(open(*d));
        auto id = await<DeviceIdentity>([&](auto done) { d->identify(done); });
        QVERIFY(id);
        QCOMPARE(id->serialNumber, QStringLiteral("SN-CHAT-1"));
        QVERIFY(id->provisioned);
        auto again = await<StoredCredentials>([&](auto done) { d->readBack(ReadBackDepth::Contents, done); });
        QVERIFY(again && again->find(CredentialKind::CertificateChain)->committed);
        QCOMPARE(again->find(CredentialKind::CertificateChain)->sha256, chain->sha256);
    }

    void writePrivateKey_serverKeygen_storedStagedUntilCommitAndNeverReadable()
    {
        test::SimulatorFixture fx;
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("k")));
        auto d = fx.driver(Protocol::Station, QStringLiteral("k"));
        QVERIFY(open(*d));
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        auto der = key->toPkcs8Der();
        QVERIFY(await<void>([&](auto done) { d->writePrivateKey(*der, done); }));
        auto staged = await<StoredCredentials>([&](auto done) { d->readBack(ReadBackDepth::Contents, done); });
        QVERIFY(staged && staged->has(CredentialKind::PrivateKey));
        QVERIFY(!staged->find(CredentialKind::PrivateKey)->committed);
        QCOMPARE(staged->find(CredentialKind::PrivateKey)->sha256,
                 QCryptographicHash::hash(der->view().toByteArray(), QCryptographicHash::Sha256));
        QVERIFY(await<void>([&](auto done) { d->commit(done); }));
        auto onDisk = crypto::PrivateKey::fromPem(
            test::readFile(fx.stateOf(QStringLiteral("k")) + QStringLiteral("/slot-0/private-key.pem")));
        QVERIFY(onDisk && onDisk->publicKeyEquals(*key));
    }

    void factoryReset_provisionedSlot_isEmptyAfterwards()
    {
        test::SimulatorFixture fx;
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("r")));
        auto d = fx.driver(Protocol::Station, QStringLiteral("r"));
        QVERIFY(open(*d));
        QVERIFY(!provision(*d).isEmpty());
        QVERIFY(await<void>([&](auto done) { d->factoryReset(done); }));
        auto stored = await<StoredCredentials>([&](auto done) { d->readBack(ReadBackDepth::Contents, done); });
        QVERIFY(stored);
        QVERIFY(stored->items.isEmpty());
        QVERIFY(!QFile::exists(fx.stateOf(QStringLiteral("r")) + QStringLiteral("/slot-0/certificate-chain.pem")));
    }

    void writeChain_largerThanDeviceBuffer_chunkedWithProgress()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.maxPayload = 64; // the smallest buffer the protocol allows
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("c"), o));
        auto d = fx.driver(Protocol::Station, QStringLiteral("c"));
        QVERIFY(open(*d));
        QCOMPARE(static_cast<StationDriver *>(d.get())->session().devicePayloadLimit(), 64);
        QList<crypto::Certificate> chain;
        for (int i = 0; i < 4; ++i)
            chain.append(m_ca.cert);
        QSignalSpy progress(d.get(), &DeviceDriver::progress);
        QVERIFY(await<void>([&](auto done) { d->writeCertificateChain(chain, done); }));
        const qint64 total = chain.size() * m_ca.cert.toDer().size();
        QVERIFY2(progress.size() > total / 64, qPrintable(QString::number(progress.size())));
        QCOMPARE(progress.last().at(0).toLongLong(), total);
        auto stored = await<StoredCredentials>([&](auto done) { d->readBack(ReadBackDepth::Contents, done); });
        QVERIFY(stored);
        QCOMPARE(stored->find(CredentialKind::CertificateChain)->content.size(), total);
    }

    void fault_corruptEvery_retransmitsAndSucceeds()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        // Every 301st byte the unit sends is damaged: most frames of up to 268 bytes get one hit.
        o.faults = *FaultPlan::parse(QStringLiteral("corrupt-every=301"));
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("x"), o));
        auto config = test::SimulatorFixture::fastConfig();
        config.maxRetransmissions = 20;
        auto d = fx.driver(Protocol::Station, QStringLiteral("x"), config);
        QVERIFY(open(*d));
        QVERIFY(!provision(*d).isEmpty());
        auto stored = await<StoredCredentials>([&](auto done) { d->readBack(ReadBackDepth::Contents, done); });
        QVERIFY2(stored, stored ? "" : qPrintable(stored.error().toString()));
        QVERIFY(static_cast<StationDriver *>(d.get())->session().link().retransmissions() > 0);
    }

    void noisyLine_corruptEveryN_negotiatesSmallerFramesAndProvisions_data()
    {
        QTest::addColumn<int>("every");
        QTest::newRow("1 byte in 100") << 100;
        QTest::newRow("1 byte in 200") << 200;
        QTest::newRow("1 byte in 400") << 400;
    }

    void noisyLine_corruptEveryN_negotiatesSmallerFramesAndProvisions()
    {
        // Every answer of the default 256-byte frame size is longer than N = 100 or 200: without a smaller
        // frame size no IDENTIFY answer ever arrives intact. The station's default retry budget applies.
        QFETCH(int, every);
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("corrupt-every=%1").arg(every));
        auto *sim = static_cast<StationSimulator *>(fx.start(Protocol::Station, QStringLiteral("n"), o));
        QVERIFY(sim);
        auto d = fx.driver(Protocol::Station, QStringLiteral("n"));
        QElapsedTimer t;
        t.start();

        auto opened = open(*d);
        QVERIFY2(opened, opened ? "" : qPrintable(opened.error().toString()));
        auto id = await<DeviceIdentity>([&](auto done) { d->identify(done); });
        QVERIFY2(id, id ? "" : qPrintable(id.error().toString()));
        QVERIFY(id->evidenceVerified);

        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        crypto::CsrSpec spec;
        spec.subject.append(QStringLiteral("CN"), id->serialNumber);
        const crypto::Certificate cert = m_ca.issue(crypto::CertificateRequest::create(spec, *key)->toDer());
        auto pkcs8 = key->toPkcs8Der();
        auto anchors = await<void>([&](auto done) { d->writeTrustAnchors({m_ca.cert}, done); });
        QVERIFY2(anchors, anchors ? "" : qPrintable(anchors.error().toString()));
        auto chain = await<void>([&](auto done) { d->writeCertificateChain({cert, m_ca.cert}, done); });
        QVERIFY2(chain, chain ? "" : qPrintable(chain.error().toString()));
        auto written = await<void>([&](auto done) { d->writePrivateKey(*pkcs8, done); });
        QVERIFY2(written, written ? "" : qPrintable(written.error().toString()));
        auto committed = await<void>([&](auto done) { d->commit(done); });
        QVERIFY2(committed, committed ? "" : qPrintable(committed.error().toString()));
        auto stored = await<StoredCredentials>([&](auto done) { d->readBack(ReadBackDepth::Contents, done); });
        QVERIFY2(stored, stored ? "" : qPrintable(stored.error().toString()));
        const qint64 elapsed = t.elapsed();

        QCOMPARE(stored->find(CredentialKind::TrustAnchors)->content, m_ca.cert.toDer());
        QCOMPARE(stored->find(CredentialKind::CertificateChain)->content, cert.toDer() + m_ca.cert.toDer());
        QVERIFY(stored->find(CredentialKind::CertificateChain)->committed);
        QCOMPARE(stored->find(CredentialKind::PrivateKey)->sha256,
                 QCryptographicHash::hash(pkcs8->view().toByteArray(), QCryptographicHash::Sha256));
        const StationSession &session = static_cast<StationDriver *>(d.get())->session();
        const StationLink &link = session.link();
        QCOMPARE(session.minorVersion(), 1);
        if (every <= 200) { // the default 256-byte frames cannot pass: smaller ones were negotiated
            QVERIFY(link.frameSizeChanges() > 0);
            QCOMPARE(link.frameSize(), proto::kMinDevicePayload);
            QVERIFY(sim->fragmentsSent() > 0);
            // Negotiated before the first write: every later request kept to it too (53-byte chunks).
            QVERIFY2(sim->largestRequestInFrameSize() <= proto::kMinDevicePayload,
                     qPrintable(QString::number(sim->largestRequestInFrameSize())));
        }
        QCOMPARE(sim->frameSize(), link.frameSize() < 256 ? link.frameSize() : 0);
        qInfo("corrupt-every=%d: open + identify + 3 writes + commit + read back in %lld ms, %d retransmission(s)",
              every, elapsed, link.retransmissions());
    }

    void noisyLine_version10Unit_retransmitsWithoutNegotiating()
    {
        // A 1.0 unit never hears of SET_FRAME_SIZE or CONTINUE: the new station retransmits as before.
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.stationMinorVersion = 0;
        o.faults = *FaultPlan::parse(QStringLiteral("corrupt-every=301"));
        auto *sim = static_cast<StationSimulator *>(fx.start(Protocol::Station, QStringLiteral("v10"), o));
        QVERIFY(sim);
        auto config = test::SimulatorFixture::fastConfig();
        config.maxRetransmissions = 20;
        auto d = fx.driver(Protocol::Station, QStringLiteral("v10"), config);
        QVERIFY(open(*d));
        const StationSession &session = static_cast<StationDriver *>(d.get())->session();
        QCOMPARE(session.version(), 1);
        QCOMPARE(session.minorVersion(), 0);
        QVERIFY(!provision(*d).isEmpty());
        auto stored = await<StoredCredentials>([&](auto done) { d->readBack(ReadBackDepth::Contents, done); });
        QVERIFY2(stored, stored ? "" : qPrintable(stored.error().toString()));
        QVERIFY(session.link().retransmissions() > 0);
        QCOMPARE(session.link().frameSizeChanges(), 0);
        QCOMPARE(session.link().frameSize(), 256);
        QCOMPARE(sim->unknownCommands(), 0);
        QCOMPARE(sim->fragmentsSent(), 0);
    }

    void setFrameSize_repeatedRequest_rememberedAnswerComesInFragments()
    {
        // The device side of 1.1 byte by byte, as another station implementation would drive it.
        test::SimulatorFixture fx;
        auto *sim = static_cast<StationSimulator *>(fx.start(Protocol::Station, QStringLiteral("fs")));
        QVERIFY(sim);
        QSerialPort port;
        port.setPortName(QFileInfo(fx.linkOf(QStringLiteral("fs"))).canonicalFilePath());
        QVERIFY(port.open(QIODevice::ReadWrite));
        FrameParser parser;
        QList<Frame> frames;
        connect(&port, &QSerialPort::readyRead, this, [&] { frames += parser.feed(port.readAll()).frames; });
        auto exchange = [&](quint8 seq, const QByteArray &payload) -> Frame {
            frames.clear();
            Frame request;
            request.seq = seq;
            request.payload = payload;
            port.write(request.encode());
            if (!QTest::qWaitFor([&] { return !frames.isEmpty(); }, 3000))
                return {};
            return frames.first();
        };
        auto command = [](proto::Command c, const Tlv &args) {
            return QByteArray(1, static_cast<char>(c)) + args.encode();
        };

        Frame hello = exchange(1, command(proto::Command::Hello, Tlv()
                                                                     .addU8(proto::Tag::VersionMin, 1)
                                                                     .addU8(proto::Tag::VersionMax, 1)
                                                                     .addU16(proto::Tag::MaxPayload, 1024)
                                                                     .addU8(proto::Tag::MinorVersion, 1)));
        QCOMPARE(hello.seq, quint8(1));
        QCOMPARE(Tlv::parse(QByteArrayView(hello.payload).sliced(1))->number(proto::Tag::MinorVersion), 1u);

        const QByteArray identify =
            command(proto::Command::Identify, Tlv().add(proto::Tag::Nonce, QByteArray(32, 'n')));
        const Frame whole = exchange(2, identify);
        QCOMPARE(static_cast<quint8>(whole.payload.at(0)), quint8(proto::Status::Ok));
        QVERIFY(whole.payload.size() > 256); // longer than 64, even than the unit's own limit

        const Frame resized =
            exchange(3, command(proto::Command::SetFrameSize, Tlv().addU16(proto::Tag::MaxPayload, 64)));
        QCOMPARE(resized.seq, quint8(3));
        QCOMPARE(resized.payload, QByteArray::fromHex("00"
                                                      "040002"
                                                      "0040"));

        // The same request again: not executed again (ECDSA would sign anew), its answer cut to 64 bytes.
        Frame part = exchange(2, identify);
        QCOMPARE(part.seq, quint8(2));
        QCOMPARE(part.payload.size(), 64);
        const QByteArray length = QByteArray::fromHex("24"
                                                      "0004"
                                                      "0000") +
                                  QByteArray(1, static_cast<char>(whole.payload.size() >> 8)) +
                                  QByteArray(1, static_cast<char>(whole.payload.size() & 0xFF));
        QCOMPARE(part.payload.first(11), QByteArray::fromHex("02") + length + QByteArray::fromHex("270035"));
        QByteArray assembled = part.payload.sliced(11);
        quint8 seq = 4;
        while (assembled.size() < whole.payload.size()) {
            part = exchange(seq, command(proto::Command::Continue,
                                         Tlv().addU32(proto::Tag::Offset, static_cast<quint32>(assembled.size()))));
            QCOMPARE(part.seq, seq);
            QVERIFY(part.payload.size() <= 64);
            QCOMPARE(static_cast<quint8>(part.payload.at(0)), quint8(proto::Status::Fragment));
            auto tlv = Tlv::parse(QByteArrayView(part.payload).sliced(1));
            QCOMPARE(tlv->number(proto::Tag::Length), static_cast<quint32>(whole.payload.size()));
            assembled += tlv->bytes(proto::Tag::Data);
            ++seq;
        }
        QCOMPARE(assembled, whole.payload);
        QCOMPARE(sim->duplicateRequests(), 1);

        // CONTINUE beyond the end, and SET_FRAME_SIZE below the minimum, are refused.
        part = exchange(seq++, command(proto::Command::Continue,
                                       Tlv().addU32(proto::Tag::Offset, static_cast<quint32>(assembled.size()))));
        QCOMPARE(static_cast<quint8>(part.payload.at(0)), quint8(proto::Status::BadArgument));
        part = exchange(seq++, command(proto::Command::SetFrameSize, Tlv().addU16(proto::Tag::MaxPayload, 63)));
        QCOMPARE(static_cast<quint8>(part.payload.at(0)), quint8(proto::Status::BadArgument));
        QCOMPARE(sim->frameSize(), 64);
    }

    void fault_stall_slowUnitAnswersAfterRetransmissions()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("stall-ms=700"));
        auto *sim = static_cast<StationSimulator *>(fx.start(Protocol::Station, QStringLiteral("s"), o));
        QVERIFY(sim);
        auto config = test::SimulatorFixture::fastConfig();
        config.exchangeTimeout = std::chrono::milliseconds(250); // shorter than the stall
        auto d = fx.driver(Protocol::Station, QStringLiteral("s"), config);
        QVERIFY(open(*d));
        QElapsedTimer t;
        t.start();
        auto id = await<DeviceIdentity>([&](auto done) { d->identify(done); });
        QVERIFY2(id, id ? "" : qPrintable(id.error().toString()));
        QVERIFY(t.elapsed() >= 600);
        QVERIFY(sim->duplicateRequests() > 0); // retransmissions were recognised, not executed twice
    }

    void fault_stallBeyondRetries_timesOutWithClearError()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("stall-ms=5000"));
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("t"), o));
        auto config = test::SimulatorFixture::fastConfig();
        config.exchangeTimeout = std::chrono::milliseconds(100);
        config.maxRetransmissions = 2;
        config.openTimeout = std::chrono::milliseconds(600);
        auto d = fx.driver(Protocol::Station, QStringLiteral("t"), config);
        auto opened = open(*d);
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, ErrorCode::DeviceTimeout);
        QVERIFY(opened.error().message.contains(QStringLiteral("station protocol")));
        QVERIFY(!opened.error().remedy.isEmpty());
    }

    void fault_refuseCommit_reportsRefusedDeviceError()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("refuse=commit"));
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("rc"), o));
        auto d = fx.driver(Protocol::Station, QStringLiteral("rc"));
        QVERIFY(open(*d));
        auto r = await<void>([&](auto done) { d->commit(done); });
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Device);
        QVERIFY2(r.error().detail.contains(QStringLiteral("REFUSED")), qPrintable(r.error().toString()));
    }

    void fault_keygenFail_reportsKeyGenFailed()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("keygen-fail"));
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("kf"), o));
        auto d = fx.driver(Protocol::Station, QStringLiteral("kf"));
        QVERIFY(open(*d));
        auto r = await<GeneratedKey>([&](auto done) { d->generateKey({}, done); });
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Device);
        QVERIFY(r.error().detail.contains(QStringLiteral("KEYGEN_FAILED")));
        QVERIFY(r.error().message.contains(QStringLiteral("failed to generate")));
    }

    void fault_disconnectAfterBytes_failsWithDeviceGoneThenUnitComesBack()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("disconnect-after-bytes=400"));
        o.replugDelayMs = 200;
        auto *sim = fx.start(Protocol::Station, QStringLiteral("dc"), o);
        QVERIFY(sim);
        auto d = fx.driver(Protocol::Station, QStringLiteral("dc"));
        QSignalSpy lost(d.get(), &DeviceDriver::connectionLost);
        QVERIFY(open(*d));
        auto id = await<DeviceIdentity>([&](auto done) { d->identify(done); });       // ~300 bytes
        auto key = await<GeneratedKey>([&](auto done) { d->generateKey({}, done); }); // crosses 400
        QVERIFY(!id || !key);
        const Error e = !key ? key.error() : id.error();
        QCOMPARE(e.code, ErrorCode::DeviceGone);
        QVERIFY(e.message.contains(QStringLiteral("disconnected")));
        QCOMPARE(lost.size(), 1);
        QCOMPARE(sim->unplugCount(), 1);
        // The unit is plugged in again: a new session works.
        QTRY_VERIFY_WITH_TIMEOUT(sim->isPlugged(), 3000);
        auto d2 = fx.driver(Protocol::Station, QStringLiteral("dc"));
        QVERIFY(open(*d2));
        QVERIFY(await<DeviceIdentity>([&](auto done) { d2->identify(done); }));
    }

    void fault_disconnectAtWriteCert_failsThatStepOnly()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("disconnect-at=write-cert"));
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("da"), o));
        auto d = fx.driver(Protocol::Station, QStringLiteral("da"));
        QVERIFY(open(*d));
        QVERIFY(await<void>([&](auto done) { d->writeTrustAnchors({m_ca.cert}, done); }));
        auto r = await<void>([&](auto done) { d->writeCertificateChain({m_ca.cert}, done); });
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::DeviceGone);
        // Further operations fail fast: the port is gone.
        auto after = await<void>([&](auto done) { d->commit(done); });
        QVERIFY(!after);
        QCOMPARE(after.error().code, ErrorCode::DeviceGone);
    }

    void identify_sessionNotOpen_isDeviceGone()
    {
        test::SimulatorFixture fx;
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("no")));
        auto d = fx.driver(Protocol::Station, QStringLiteral("no"));
        auto id = await<DeviceIdentity>([&](auto done) { d->identify(done); });
        QVERIFY(!id);
        QCOMPARE(id.error().code, ErrorCode::DeviceGone);
    }

    void open_portVanished_isDeviceGone()
    {
        test::SimulatorFixture fx;
        auto d = fx.driver(Protocol::Station, QStringLiteral("never-plugged"));
        auto opened = open(*d);
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, ErrorCode::DeviceGone);
    }

    void cancel_pendingKeygen_endsWithCancelled()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("stall-ms=2000"));
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("cn"), o));
        auto config = test::SimulatorFixture::fastConfig();
        config.openTimeout = std::chrono::milliseconds(5000);
        auto d = fx.driver(Protocol::Station, QStringLiteral("cn"), config);
        QVERIFY(open(*d));
        QTimer::singleShot(100, d.get(), [&] { d->cancel(); });
        auto r = await<GeneratedKey>([&](auto done) { d->generateKey({}, done); });
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Cancelled);
        QVERIFY(!d->isBusy());
    }

    void destroyed_withOperationPendingOrQueued_callbackNeverRuns()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("stall-ms=300"));
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("dp"), o));
        auto d = fx.driver(Protocol::Station, QStringLiteral("dp"));
        QVERIFY(open(*d));
        bool called = false;
        d->identify([&](Result<DeviceIdentity>) { called = true; });
        d.reset(); // pending: the answer comes after the driver is gone
        QTest::qWait(700);
        QVERIFY(!called);

        d = fx.driver(Protocol::Station, QStringLiteral("dp"));
        QVERIFY(open(*d));
        d->identify([&](Result<DeviceIdentity>) { called = true; });
        d->cancel(); // the result exists, its delivery is queued ...
        d.reset();   // ... and dropped with the driver
        QTest::qWait(50);
        QVERIFY(!called);
    }

    void callback_neverRunsInsideCancel_andMayDestroyTheDriver()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("stall-ms=2000"));
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("cd"), o));
        auto config = test::SimulatorFixture::fastConfig();
        config.openTimeout = std::chrono::milliseconds(5000);
        auto d = fx.driver(Protocol::Station, QStringLiteral("cd"), config);
        QVERIFY(open(*d));
        bool insideCancel = false, ranInside = false, ran = false;
        ErrorCode code = ErrorCode::Internal;
        d->generateKey({}, [&](Result<GeneratedKey> r) {
            ran = true;
            ranInside = insideCancel;
            code = r ? ErrorCode::Internal : r.error().code;
            if (!insideCancel)
                d.reset(); // the owner is done with the unit
        });
        insideCancel = true;
        d->cancel();
        insideCancel = false;
        QVERIFY(!d->isBusy());
        QTRY_VERIFY(ran);
        QVERIFY(!ranInside);
        QCOMPARE(code, ErrorCode::Cancelled);
        QVERIFY(!d);
    }

    void callback_onUnplug_mayDestroyTheDriver()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("disconnect-at=identify"));
        o.replugDelayMs = -1;
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("ud"), o));
        auto d = fx.driver(Protocol::Station, QStringLiteral("ud"));
        QVERIFY(open(*d));
        std::optional<ErrorCode> code;
        d->identify([&](Result<DeviceIdentity> r) {
            code = r ? ErrorCode::Internal : r.error().code;
            d.reset(); // from inside the transport's loss handling, before the fix
        });
        QTRY_VERIFY(code.has_value());
        QCOMPARE(*code, ErrorCode::DeviceGone);
        QVERIFY(!d);
        QTest::qWait(50);
    }

    void busy_secondOperation_isRejected()
    {
        test::SimulatorFixture fx;
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("b")));
        auto d = fx.driver(Protocol::Station, QStringLiteral("b"));
        QVERIFY(open(*d));
        std::optional<Result<DeviceIdentity>> first;
        d->identify([&](Result<DeviceIdentity> r) { first = std::move(r); });
        auto second = await<void>([&](auto done) { d->commit(done); });
        QVERIFY(!second);
        QVERIFY(second.error().message.contains(QStringLiteral("busy")));
        QTRY_VERIFY(first.has_value());
        QVERIFY(first->has_value());
    }

    void pacing_lowBaud_takesWireTime()
    {
        test::SimulatorFixture fx;
        SimulatorOptions o;
        o.baudRate = 9600; // 960 bytes/s
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("p"), o));
        auto d = fx.driver(Protocol::Station, QStringLiteral("p"));
        QVERIFY(open(*d));
        QElapsedTimer t;
        t.start();
        auto id = await<DeviceIdentity>([&](auto done) { d->identify(done); });
        QVERIFY(id);
        // The IDENTIFY answer carries ~300 bytes (key + signature + strings): at least ~0.25 s at 9600 baud.
        QVERIFY2(t.elapsed() >= 250, qPrintable(QString::number(t.elapsed())));
    }

    void severalUnits_concurrently_allProvisioned()
    {
        test::SimulatorFixture fx;
        std::vector<std::unique_ptr<DeviceDriver>> drivers;
        for (int i = 0; i < 3; ++i) {
            SimulatorOptions o;
            o.serialNumber = QStringLiteral("MULTI-%1").arg(i);
            o.bootChatter = i == 1;
            QVERIFY(fx.start(Protocol::Station, QStringLiteral("m%1").arg(i), o));
            drivers.push_back(fx.driver(Protocol::Station, QStringLiteral("m%1").arg(i)));
        }
        // Start all keygens at once, then wait for all.
        std::vector<std::optional<Result<void>>> opened(3);
        for (int i = 0; i < 3; ++i)
            drivers[i]->open([&opened, i](Result<void> r) { opened[i] = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(opened[0] && opened[1] && opened[2], 10000);
        std::vector<std::optional<Result<GeneratedKey>>> keys(3);
        for (int i = 0; i < 3; ++i)
            drivers[i]->generateKey({}, [&keys, i](Result<GeneratedKey> r) { keys[i] = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(keys[0] && keys[1] && keys[2], 20000);
        QSet<QByteArray> distinct;
        for (int i = 0; i < 3; ++i) {
            QVERIFY(keys[i]->has_value());
            auto csr = crypto::CertificateRequest::fromDer((*keys[i])->csrDer);
            QCOMPARE(csr->subject().commonName(), QStringLiteral("MULTI-%1").arg(i));
            distinct.insert((*keys[i])->publicKeyDer);
        }
        QCOMPARE(distinct.size(), 3);
    }

    void hello_unsupportedVersion_simulatorAnswersWithItsRange()
    {
        // Raw frames over the pty, as another station version would send them.
        test::SimulatorFixture fx;
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("v")));
        QSerialPort port;
        port.setPortName(QFileInfo(fx.linkOf(QStringLiteral("v"))).canonicalFilePath());
        QVERIFY(port.open(QIODevice::ReadWrite));
        Frame hello;
        hello.seq = 1;
        hello.payload =
            QByteArray(1, 0x01) + Tlv().addU8(proto::Tag::VersionMin, 2).addU8(proto::Tag::VersionMax, 3).encode();
        FrameParser parser;
        QList<Frame> frames;
        connect(&port, &QSerialPort::readyRead, this, [&] { frames += parser.feed(port.readAll()).frames; });
        port.write(hello.encode());
        QTRY_VERIFY(!frames.isEmpty());
        QCOMPARE(frames.first().seq, quint8(1));
        QCOMPARE(static_cast<quint8>(frames.first().payload.at(0)), quint8(proto::Status::UnsupportedVersion));
        auto tlv = Tlv::parse(QByteArrayView(frames.first().payload).sliced(1));
        QCOMPARE(tlv->number(proto::Tag::VersionMax), 1u);
    }
};

QTEST_GUILESS_MAIN(TestStationDriver)
#include "tst_stationdriver.moc"
