// EstClient at the transport level: keep-alive (one TLS handshake for many enrollments), TLS versions,
// server certificate failures (untrusted, wrong host, expired), no silent insecure mode, the RFC 7030
// bootstrap, and a server that refuses, drops, stalls, dribbles or cuts its answer short.
#include "EstClientTestHelpers.h"

#include "TestSupport.h"

#include "est/TrustBootstrap.h"

#include <QPointer>
#include <QTest>

#include <memory>
#include <vector>

using namespace station;
using namespace station::test;
using station::est::EstClient;
using station::est::EstReply;

class TestEstClientTransport : public QObject
{
    Q_OBJECT
    MisbehavingEstServer *m_server = nullptr;

    static crypto::CertificateRequest csr(const QString &cn = QStringLiteral("device-001"))
    {
        auto r = TestPki::makeCsr(cn);
        if (!r)
            qFatal("cannot make CSR: %s", qPrintable(r.error().toString()));
        return *r;
    }

    static est::HttpRequest cacertsRequest()
    {
        est::HttpRequest r;
        r.method = "GET";
        r.target = r.path = "/.well-known/est/cacerts";
        return r;
    }

private Q_SLOTS:
    void init()
    {
        m_server = new MisbehavingEstServer(this);
        auto started = m_server->start();
        QVERIFY2(started.has_value(), qPrintable(started ? QString() : started.error().toString()));
    }
    void cleanup()
    {
        delete m_server;
        m_server = nullptr;
    }

    void keepAlive_sequentialEnrollments_useOneTlsHandshake()
    {
        EstClient client(configFor(*m_server));
        constexpr int kCount = 10;
        for (int i = 0; i < kCount; ++i) {
            EstReply *reply = client.simpleEnroll(csr(QStringLiteral("unit-%1").arg(i)));
            QVERIFY(waitFinished(reply));
            QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
            reply->deleteLater();
        }
        QCOMPARE(m_server->received().size(), kCount + 1); // + the one cacerts fetch
        QCOMPARE(m_server->handshakes(), 1);
        QCOMPARE(m_server->connections(), 1);
        QCOMPARE(client.tlsHandshakeCount(), 1);
    }

    void keepAlive_concurrentEnrollments_shareAFewConnections()
    {
        EstClient client(configFor(*m_server));
        std::vector<std::unique_ptr<EstReply>> replies;
        for (int i = 0; i < 20; ++i)
            replies.emplace_back(client.simpleEnroll(csr(QStringLiteral("par-%1").arg(i))));
        for (const auto &r : replies) {
            QVERIFY(waitFinished(r));
            QVERIFY2(r->isSuccess(), qPrintable(r->error().toString()));
        }
        int cacerts = 0;
        for (const auto &r : m_server->received())
            cacerts += r.request.path.endsWith("cacerts") ? 1 : 0;
        QCOMPARE(cacerts, 1); // one CA fetch shared by all waiters
        QVERIFY2(m_server->handshakes() <= 6, qPrintable(QString::number(m_server->handshakes())));
    }

    void keepAlive_maxConnectionsAboveSix_opensOneConnectionPerOperationInFlight()
    {
        // Qt's access manager stops at 6 connections per host; a batch with 12 jobs must get 12.
        est::EstClientConfig config = configFor(*m_server);
        config.maxConnections = 12;
        EstClient client(std::move(config));
        std::vector<std::unique_ptr<EstReply>> replies;
        for (int i = 0; i < 12; ++i)
            replies.emplace_back(client.simpleEnroll(csr(QStringLiteral("wide-%1").arg(i))));
        for (const auto &r : replies) {
            QVERIFY(waitFinished(r));
            QVERIFY2(r->isSuccess(), qPrintable(r->error().toString()));
        }
        QVERIFY2(m_server->connections() > 6, qPrintable(QString::number(m_server->connections())));
        QVERIFY2(m_server->connections() <= 12, qPrintable(QString::number(m_server->connections())));
        QCOMPARE(m_server->handshakes(), m_server->connections());

        // Kept alive: a second round reuses them.
        replies.clear();
        const int before = m_server->connections();
        for (int i = 0; i < 12; ++i)
            replies.emplace_back(client.simpleEnroll(csr(QStringLiteral("again-%1").arg(i))));
        for (const auto &r : replies) {
            QVERIFY(waitFinished(r));
            QVERIFY2(r->isSuccess(), qPrintable(r->error().toString()));
        }
        QCOMPARE(m_server->connections(), before);
    }

    void validate_connectionLimitOutOfRange_isRefused()
    {
        est::EstClientConfig config = configFor(*m_server);
        config.maxConnections = 0;
        QVERIFY(!EstClient::validate(config).has_value());
        config.maxConnections = 1;
        QVERIFY(EstClient::validate(config).has_value());
    }

    void tls_serverLimitedToTls12_works_andTls13FloorRefusesIt()
    {
        m_server->setTlsProtocol(QSsl::TlsV1_2);
        {
            EstClient client(configFor(*m_server));
            std::unique_ptr<EstReply> reply(client.fetchCaCerts());
            QVERIFY(waitFinished(reply));
            QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        }
        est::EstClientConfig config = configFor(*m_server);
        config.tlsFloor = est::EstTlsFloor::Tls13;
        EstClient client(std::move(config));
        std::unique_ptr<EstReply> reply(client.fetchCaCerts());
        QVERIFY(waitFinished(reply));
        QVERIFY(!reply->isSuccess());
        QVERIFY2(reply->error().code == ErrorCode::Tls || reply->error().code == ErrorCode::Network,
                 qPrintable(reply->error().toString()));
    }

    void tls_untrustedServer_failsWithTlsErrorAndRemedy()
    {
        auto other = TestPki::create(QStringLiteral("Some Other CA"));
        QVERIFY(other.has_value());
        est::EstClientConfig config = configFor(*m_server);
        config.trustAnchors = {other->caCertificate()};
        EstClient client(std::move(config));
        std::unique_ptr<EstReply> reply(client.fetchCaCerts());
        QVERIFY(waitFinished(reply));
        QCOMPARE(reply->error().code, ErrorCode::Tls);
        QVERIFY2(reply->error().message.contains(QStringLiteral("not trusted")), qPrintable(reply->error().message));
        QVERIFY(reply->error().remedy.contains(QStringLiteral("--trust")));
        QVERIFY(reply->error().detail.contains(QStringLiteral("SHA-256")));
    }

    void tls_noAnchors_isNeverSilentlyInsecure()
    {
        est::EstClientConfig config = configFor(*m_server);
        config.trustAnchors.clear();
        EstClient client(std::move(config));
        std::unique_ptr<EstReply> reply(client.simpleEnroll(csr()));
        QVERIFY(waitFinished(reply));
        QCOMPARE(reply->error().code, ErrorCode::Tls);
        QCOMPARE(m_server->received().size(), 0);
    }

    void tls_hostnameMismatch_isReported()
    {
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        QVERIFY(key.has_value());
        auto cert =
            m_server->pki().issue(*key, QStringLiteral("est.other.example"),
                                  {{crypto::SubjectAltName::Type::Dns, QStringLiteral("est.other.example"), {}}},
                                  {QStringLiteral("serverAuth")});
        QVERIFY(cert.has_value());
        m_server->setServerIdentity({*cert, *key});
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.fetchCaCerts());
        QVERIFY(waitFinished(reply));
        QCOMPARE(reply->error().code, ErrorCode::Tls);
        QVERIFY2(reply->error().message.contains(QStringLiteral("not valid for host")),
                 qPrintable(reply->error().message));
    }

    void tls_expiredServerCertificate_isReported()
    {
        auto expired = m_server->pki().serverIdentity(QStringLiteral("127.0.0.1"), 1,
                                                      QDateTime::currentDateTimeUtc().addDays(-10));
        QVERIFY(expired.has_value());
        m_server->setServerIdentity(*expired);
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.fetchCaCerts());
        QVERIFY(waitFinished(reply));
        QCOMPARE(reply->error().code, ErrorCode::Tls);
        QVERIFY2(reply->error().message.contains(QStringLiteral("expired")), qPrintable(reply->error().message));
    }

    void bootstrap_withoutAnchors_acceptsOnlyTheConfirmedFingerprint()
    {
        est::EstClientConfig config = configFor(*m_server);
        config.trustAnchors.clear();
        EstClient client(std::move(config));
        std::unique_ptr<EstReply> reply(client.fetchCaCertsForBootstrap());
        QVERIFY(waitFinished(reply));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        QVERIFY(client.caCertificates().isEmpty()); // fetched, not trusted
        QVERIFY(!reply->serverCertificateChain().isEmpty());
        const crypto::Certificate ca = m_server->pki().caCertificate();
        QCOMPARE(reply->caCertificates(), QList<crypto::Certificate>{ca});
        QVERIFY(est::TrustBootstrap::describe(reply->caCertificates()).contains(ca.fingerprintSha256Colon()));

        auto wrong = est::TrustBootstrap::accept(reply->caCertificates(), QString(64, QLatin1Char('a')));
        QVERIFY(!wrong.has_value());
        QCOMPARE(wrong.error().code, ErrorCode::Verification);

        auto decision = est::TrustBootstrap::accept(reply->caCertificates(), ca.fingerprintSha256Colon().toLower());
        QVERIFY(decision.has_value());
        QCOMPARE(decision->accepted, QList<crypto::Certificate>{ca});
        client.setTrustAnchors(decision->accepted);
        std::unique_ptr<EstReply> enroll(client.simpleEnroll(csr()));
        QVERIFY(waitFinished(enroll));
        QVERIFY2(enroll->isSuccess(), qPrintable(enroll->error().toString()));
    }

    void bootstrap_sendsNoCredentials_basicAndClientCertificateOnlyOnceTrusted()
    {
        // RFC 7030 4.1.1 / 3.2.3: the passcode and the client certificate go only to a verified server.
        auto identity = m_server->pki().clientIdentity(QStringLiteral("station-7"));
        QVERIFY(identity.has_value());
        est::EstClientConfig config = configFor(*m_server);
        config.trustAnchors.clear();
        config.auth = est::EstAuthMode::Basic;
        config.user = QStringLiteral("op");
        config.password = crypto::SecretBytes(QByteArray("passcode-123"));
        config.clientIdentity = *est::ClientIdentity::fromMemory(identity->certificate, identity->key);
        config.traceExchanges = true;
        EstClient client(std::move(config));
        QStringList traces;
        connect(&client, &EstClient::trace, this, [&traces](const QString &t) { traces << t; });
        std::unique_ptr<EstReply> boot(client.fetchCaCertsForBootstrap());
        QVERIFY(waitFinished(boot.get()));
        QVERIFY2(boot->isSuccess(), qPrintable(boot->error().toString()));
        QCOMPARE(m_server->received().size(), 1);
        QVERIFY(m_server->received().first().request.header("Authorization").isNull());
        QVERIFY(m_server->received().first().clientChain.isEmpty());
        QVERIFY2(!traces.join(QLatin1Char('\n')).contains(QStringLiteral("Authorization")),
                 qPrintable(traces.join(QLatin1Char('\n'))));

        client.setTrustAnchors(boot->caCertificates());
        std::unique_ptr<EstReply> attrs(client.fetchCsrAttrs());
        QVERIFY(waitFinished(attrs.get()));
        QVERIFY2(attrs->isSuccess(), qPrintable(attrs->error().toString()));
        QCOMPARE(m_server->received().size(), 2);
        QCOMPARE(m_server->received().last().request.header("Authorization"),
                 "Basic " + QByteArray("op:passcode-123").toBase64());
        QVERIFY(!m_server->received().last().clientChain.isEmpty());
    }

    void enroll_connectionClosedAfterPost_isSentOnce_andOutcomeUnknown_data()
    {
        QTest::addColumn<int>("action");
        QTest::addColumn<bool>("reused");
        QTest::newRow("close, kept-alive connection") << int(ScriptedAnswer::Action::Close) << true;
        QTest::newRow("reset, kept-alive connection") << int(ScriptedAnswer::Action::Drop) << true;
        QTest::newRow("close, fresh connection") << int(ScriptedAnswer::Action::Close) << false;
        QTest::newRow("reset, fresh connection") << int(ScriptedAnswer::Action::Drop) << false;
    }
    void enroll_connectionClosedAfterPost_isSentOnce_andOutcomeUnknown()
    {
        QFETCH(int, action);
        QFETCH(bool, reused);
        est::EstClientConfig config = configFor(*m_server);
        config.caCertificates = {m_server->pki().caCertificate()};
        EstClient client(std::move(config));
        if (reused) {
            std::unique_ptr<EstReply> attrs(client.fetchCsrAttrs()); // 404, connection kept alive
            QVERIFY(waitFinished(attrs.get()));
            QVERIFY(attrs->isSuccess());
        }
        m_server->enqueue(QStringLiteral("simpleenroll"), ScriptedAnswer::of(ScriptedAnswer::Action(action)));
        std::unique_ptr<EstReply> enroll(client.simpleEnroll(csr()));
        QVERIFY(waitFinished(enroll.get()));
        QTest::qWait(300); // a late resend would show up here
        QCOMPARE(m_server->requestLinesSeen("POST", QStringLiteral("simpleenroll")), 1);
        QCOMPARE(m_server->count("POST", QStringLiteral("simpleenroll")), 1);
        QCOMPARE(enroll->attempts(), 1);
        QVERIFY(!enroll->isSuccess());
        QCOMPARE(enroll->error().code, ErrorCode::OutcomeUnknown);
        QVERIFY2(enroll->error().message.contains(QStringLiteral("may have issued a certificate")),
                 qPrintable(enroll->error().toString()));
        QVERIFY(enroll->error().remedy.contains(QStringLiteral("device-001")));
        QVERIFY(!enroll->error().isRetryable());
        if (reused)
            QCOMPARE(m_server->connections(), 1);
    }

    void enroll_keepAlive_stillOneHandshakeForABatch()
    {
        // The once-only body must not cost the batch its kept-alive connection.
        est::EstClientConfig config = configFor(*m_server);
        config.caCertificates = {m_server->pki().caCertificate()};
        EstClient client(std::move(config));
        for (int i = 0; i < 5; ++i) {
            std::unique_ptr<EstReply> reply(client.simpleEnroll(csr(QStringLiteral("ka-%1").arg(i))));
            QVERIFY(waitFinished(reply.get()));
            QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        }
        QCOMPARE(m_server->count("POST", QStringLiteral("simpleenroll")), 5);
        QCOMPARE(m_server->handshakes(), 1);
    }

    void enroll_307Redirect_isNotFollowedSilently()
    {
        const QByteArray elsewhere = m_server->baseUrl(QStringLiteral("other")).toString().toLatin1() + "/simpleenroll";
        m_server->enqueue(QStringLiteral("simpleenroll"),
                          ScriptedAnswer::respond(307, "text/plain", "moved", {{"Location", elsewhere}}));
        est::EstClientConfig config = configFor(*m_server);
        config.caCertificates = {m_server->pki().caCertificate()};
        EstClient client(std::move(config));
        std::unique_ptr<EstReply> enroll(client.simpleEnroll(csr()));
        QVERIFY(waitFinished(enroll.get()));
        QTest::qWait(200);
        QCOMPARE(m_server->requestLinesSeen("POST", QStringLiteral("simpleenroll")), 1);
        QVERIFY(!enroll->isSuccess());
        QCOMPARE(enroll->error().code, ErrorCode::Http);
        QCOMPARE(enroll->error().httpStatus, 307);
        QVERIFY2(enroll->error().message.contains(QStringLiteral("redirect")), qPrintable(enroll->error().toString()));
        QVERIFY2(enroll->error().toString().contains(QString::fromLatin1(elsewhere)),
                 qPrintable(enroll->error().toString()));
    }

    void getDroppedOnKeptAliveConnection_isStillRetried()
    {
        est::EstClientConfig config = configFor(*m_server);
        EstClient client(std::move(config));
        std::unique_ptr<EstReply> attrs(client.fetchCsrAttrs());
        QVERIFY(waitFinished(attrs.get()));
        m_server->enqueue(QStringLiteral("cacerts"), ScriptedAnswer::of(ScriptedAnswer::Action::Close));
        std::unique_ptr<EstReply> cas(client.fetchCaCerts());
        QVERIFY(waitFinished(cas.get()));
        QVERIFY2(cas->isSuccess(), qPrintable(cas->error().toString()));
        QCOMPARE(m_server->count("GET", QStringLiteral("cacerts")), 2);
    }

    void connectionRefused_isReported()
    {
        est::EstClientConfig config = configFor(*m_server);
        config.baseUrl = QUrl(QStringLiteral("https://127.0.0.1:%1/.well-known/est").arg(freeTcpPort()));
        EstClient client(std::move(config));
        std::unique_ptr<EstReply> reply(client.fetchCaCerts());
        QVERIFY(waitFinished(reply));
        QCOMPARE(reply->error().code, ErrorCode::Network);
        QVERIFY(reply->error().message.contains(QStringLiteral("refused")));
        QVERIFY(reply->error().remedy.contains(QStringLiteral("running")));
    }

    void droppedConnectionOnce_isRetriedTransparently()
    {
        // Qt Network resends a request whose connection closed before any answer byte; one drop is healed.
        m_server->enqueue(QStringLiteral("cacerts"), ScriptedAnswer::of(ScriptedAnswer::Action::Drop));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.fetchCaCerts());
        QVERIFY(waitFinished(reply));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        QCOMPARE(m_server->received().size(), 2);
    }

    void droppedConnectionAlways_isReported()
    {
        m_server->setHandler([](const est::HttpRequest &) { return ScriptedAnswer::of(ScriptedAnswer::Action::Drop); });
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.fetchCaCerts());
        QVERIFY(waitFinished(reply));
        QVERIFY(!reply->isSuccess());
        QCOMPARE(reply->error().code, ErrorCode::Network);
        QVERIFY2(reply->error().message.contains(QStringLiteral("closed the connection")),
                 qPrintable(reply->error().toString()));
        QVERIFY(!reply->error().remedy.isEmpty());
    }

    void truncatedBody_isNotTakenForAWholeOne()
    {
        ScriptedAnswer cut = m_server->defaultAnswer(cacertsRequest());
        cut.action = ScriptedAnswer::Action::Truncate;
        cut.truncateAt = cut.body.size() / 2;
        m_server->enqueue(QStringLiteral("cacerts"), cut);
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.fetchCaCerts());
        QVERIFY(waitFinished(reply));
        QVERIFY(!reply->isSuccess());
        QVERIFY2(reply->error().code == ErrorCode::Network || reply->error().code == ErrorCode::Parse,
                 qPrintable(reply->error().toString()));
        QVERIFY(client.caCertificates().isEmpty());
    }

    void slowServer_timesOut()
    {
        ScriptedAnswer slow = m_server->defaultAnswer(cacertsRequest());
        slow.action = ScriptedAnswer::Action::Slow;
        slow.slowChunk = 4;
        slow.slowIntervalMs = 100;
        m_server->enqueue(QStringLiteral("cacerts"), slow);
        est::EstClientConfig config = configFor(*m_server);
        config.requestTimeout = std::chrono::milliseconds(800);
        EstClient client(std::move(config));
        QElapsedTimer timer;
        timer.start();
        std::unique_ptr<EstReply> reply(client.fetchCaCerts());
        QVERIFY(waitFinished(reply));
        QCOMPARE(reply->error().code, ErrorCode::Timeout);
        QVERIFY(timer.elapsed() < 5000);
    }

    void stalledServer_timesOut()
    {
        m_server->enqueue(QStringLiteral("cacerts"), ScriptedAnswer::of(ScriptedAnswer::Action::Stall));
        est::EstClientConfig config = configFor(*m_server);
        config.requestTimeout = std::chrono::milliseconds(500);
        EstClient client(std::move(config));
        std::unique_ptr<EstReply> reply(client.fetchCaCerts());
        QVERIFY(waitFinished(reply));
        QCOMPARE(reply->error().code, ErrorCode::Timeout);
        QVERIFY(!reply->error().remedy.isEmpty());
    }

    void cancel_inFlight_finishesCancelled()
    {
        m_server->enqueue(QStringLiteral("cacerts"), ScriptedAnswer::of(ScriptedAnswer::Action::Stall));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.fetchCaCerts());
        QTRY_VERIFY(!m_server->received().isEmpty());
        reply->cancel();
        QVERIFY(reply->isFinished());
        QCOMPARE(reply->error().code, ErrorCode::Cancelled);
    }

    void replyOutlivesItsClient_finishesCancelled()
    {
        // The caller owns the reply: destroying the client cancels it, it does not delete it.
        m_server->enqueue(QStringLiteral("cacerts"), ScriptedAnswer::of(ScriptedAnswer::Action::Stall));
        auto *client = new EstClient(configFor(*m_server));
        QPointer<EstReply> reply = client->fetchCaCerts();
        QTRY_VERIFY(!m_server->received().isEmpty());
        delete client;
        QVERIFY(reply);
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->error().code, ErrorCode::Cancelled);
        delete reply.data();
    }

    void clientDestroyedWhileReplyWaitsForCaFetch_replyFinishesCancelled()
    {
        m_server->enqueue(QStringLiteral("cacerts"), ScriptedAnswer::of(ScriptedAnswer::Action::Stall));
        auto *client = new EstClient(configFor(*m_server));
        std::unique_ptr<EstReply> enroll(client->simpleEnroll(csr()));
        QTRY_VERIFY(!m_server->received().isEmpty()); // the cacerts prefetch is in flight
        delete client;
        QTRY_VERIFY(enroll->isFinished());
        QCOMPARE(enroll->error().code, ErrorCode::Cancelled);
        QCOMPARE(m_server->count("POST", QStringLiteral("simpleenroll")), 0);
    }

    void autoDelete_replyDeletesItselfAfterFinished_andDeadContextIsNotCalled()
    {
        EstClient client(configFor(*m_server));
        auto *context = new QObject;
        int calls = 0;
        EstReply *raw = client.fetchCaCerts();
        raw->setAutoDelete(true);
        QPointer<EstReply> reply = raw;
        connect(raw, &EstReply::finished, context, [&calls] { ++calls; });
        delete context;
        QTRY_VERIFY(!reply); // finished, then deleted itself
        QCOMPARE(calls, 0);
    }

    void destroyingClient_withRequestsInFlight_isSafe()
    {
        m_server->enqueue(QStringLiteral("cacerts"), ScriptedAnswer::of(ScriptedAnswer::Action::Stall));
        auto *client = new EstClient(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client->fetchCaCerts());
        QTRY_VERIFY(!m_server->received().isEmpty());
        delete client;
        QTest::qWait(50);
    }
};

QTEST_GUILESS_MAIN(TestEstClientTransport)
#include "tst_estclient_transport.moc"
