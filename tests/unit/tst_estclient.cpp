// EstClient against the scriptable test server: the five operations, lenient decoding of every answer
// form real servers send, the request format, strict verification of what comes back, and the errors.
#include "EstClientTestHelpers.h"

#include "est/RetryAfter.h"

#include "crypto/Encoding.h"
#include "crypto/Pkcs7.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace station;
using namespace station::test;
using station::crypto::Certificate;
using station::crypto::Encoding;
using station::est::EstClient;
using station::est::EstReply;

namespace {
const QByteArray kPkcs7 = "application/pkcs7-mime; smime-type=certs-only";
}

class TestEstClient : public QObject
{
    Q_OBJECT
    MisbehavingEstServer *m_server = nullptr;

    crypto::CertificateRequest csr(const QString &cn = QStringLiteral("device-001"), crypto::PrivateKey *key = nullptr)
    {
        auto r = TestPki::makeCsr(cn, key);
        if (!r)
            qFatal("cannot make CSR: %s", qPrintable(r.error().toString()));
        return *r;
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

    void cacerts_answerForms_decode_data()
    {
        QTest::addColumn<int>("form");
        QTest::newRow("base64 CRLF 76 (Lamassu)") << 0;
        QTest::newRow("base64 one line") << 1;
        QTest::newRow("raw DER") << 2;
        QTest::newRow("PEM certificates") << 3;
        QTest::newRow("PEM PKCS7") << 4;
        QTest::newRow("base64 LF 64") << 5;
    }
    void cacerts_answerForms_decode()
    {
        QFETCH(int, form);
        const QList<Certificate> cas{m_server->pki().caCertificate()};
        const QByteArray der = TestPki::certsOnlyDer(cas);
        const QByteArray bodies[] = {
            TestPki::certsOnlyBase64(cas), Encoding::encodeBase64(der, 0), der,
            Certificate::listToPem(cas),   Encoding::toPem(der, "PKCS7"),  Encoding::encodeBase64(der, 64, false)};
        m_server->enqueue(QStringLiteral("cacerts"), ScriptedAnswer::respond(200, kPkcs7, bodies[form]));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.fetchCaCerts());
        QVERIFY(waitFinished(reply));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        QCOMPARE(reply->caCertificates(), cas);
        QCOMPARE(client.caCertificates(), cas);
    }

    void cacerts_garbage_failsWithParseError()
    {
        m_server->enqueue(QStringLiteral("cacerts"), ScriptedAnswer::respond(200, kPkcs7, "this is not base64!!"));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.fetchCaCerts());
        QVERIFY(waitFinished(reply));
        QVERIFY(!reply->isSuccess());
        QCOMPARE(reply->error().code, ErrorCode::Parse);
        QVERIFY(client.caCertificates().isEmpty());
    }

    void enroll_request_isBase64Der64ColumnsWithEstHeaders()
    {
        EstClient client(configFor(*m_server, QStringLiteral("dms-7")));
        const crypto::CertificateRequest request = csr();
        std::unique_ptr<EstReply> reply(client.simpleEnroll(request));
        QVERIFY(waitFinished(reply));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        const auto &received = m_server->received();
        QCOMPARE(received.size(), 2); // cacerts (for verification), then the enrollment
        QCOMPARE(received[0].request.path, QByteArray("/.well-known/est/dms-7/cacerts"));
        const est::HttpRequest &post = received[1].request;
        QCOMPARE(post.method, QByteArray("POST"));
        QCOMPARE(post.path, QByteArray("/.well-known/est/dms-7/simpleenroll"));
        QCOMPARE(post.header("Content-Type"), QByteArray("application/pkcs10"));
        QCOMPARE(post.header("Content-Transfer-Encoding"), QByteArray("base64"));
        QVERIFY(!post.body.contains('\r'));
        for (const QByteArray &line : post.body.split('\n'))
            QVERIFY2(line.size() <= 64, line.constData());
        QCOMPARE(*Encoding::decodeBase64(post.body), request.toDer());
        QVERIFY(post.header("Authorization").isNull());
    }

    void enroll_answerForms_decodeAndVerify_data()
    {
        QTest::addColumn<int>("form");
        QTest::newRow("base64 CRLF 76") << 0;
        QTest::newRow("raw DER") << 1;
        QTest::newRow("PEM certificate") << 2;
        QTest::newRow("chain in reverse order") << 3;
        QTest::newRow("bare certificate DER base64") << 4;
    }
    void enroll_answerForms_decodeAndVerify()
    {
        QFETCH(int, form);
        crypto::PrivateKey key;
        const crypto::CertificateRequest request = csr(QStringLiteral("device-form"), &key);
        auto issued = m_server->pki().issueForCsr(request);
        QVERIFY(issued.has_value());
        const QList<Certificate> leafOnly{*issued};
        const QList<Certificate> reversed{m_server->pki().caCertificate(), *issued};
        const QByteArray bodies[] = {TestPki::certsOnlyBase64(leafOnly), TestPki::certsOnlyDer(leafOnly),
                                     issued->toPem(), TestPki::certsOnlyBase64(reversed), issued->toDer().toBase64()};
        m_server->enqueue(QStringLiteral("simpleenroll"), ScriptedAnswer::respond(200, kPkcs7, bodies[form]));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.simpleEnroll(request));
        QVERIFY(waitFinished(reply));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        QCOMPARE(reply->certificate(), *issued);
        QVERIFY(reply->certificate().matchesKey(key));
        QCOMPARE(reply->chain().size(), 2);
        QCOMPARE(reply->chain().last(), m_server->pki().caCertificate());
    }

    void enroll_certificateForAnotherKey_isRejected()
    {
        const crypto::CertificateRequest request = csr();
        auto otherKey = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        QVERIFY(otherKey.has_value());
        auto wrong = m_server->pki().issue(*otherKey, QStringLiteral("device-001"));
        QVERIFY(wrong.has_value());
        m_server->enqueue(QStringLiteral("simpleenroll"),
                          ScriptedAnswer::respond(200, kPkcs7, TestPki::certsOnlyBase64({*wrong})));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.simpleEnroll(request));
        QVERIFY(waitFinished(reply));
        QVERIFY(!reply->isSuccess());
        QCOMPARE(reply->error().code, ErrorCode::Verification);
        QVERIFY(reply->error().message.contains(QStringLiteral("public key")));
        QVERIFY(reply->certificate().isNull());
    }

    void enroll_certificateFromAnotherCa_isRejected()
    {
        const crypto::CertificateRequest request = csr();
        auto rogue = TestPki::create(QStringLiteral("Rogue CA"));
        QVERIFY(rogue.has_value());
        auto cert = rogue->issueForCsr(request);
        QVERIFY(cert.has_value());
        m_server->enqueue(
            QStringLiteral("simpleenroll"),
            ScriptedAnswer::respond(200, kPkcs7, TestPki::certsOnlyBase64({*cert, rogue->caCertificate()})));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.simpleEnroll(request));
        QVERIFY(waitFinished(reply));
        QVERIFY(!reply->isSuccess());
        QCOMPARE(reply->error().code, ErrorCode::Verification);
        QVERIFY2(reply->error().message.contains(QStringLiteral("does not chain")), qPrintable(reply->error().message));
    }

    void enroll_200WithErrorPage_saysWhatTheServerSaid()
    {
        m_server->enqueue(
            QStringLiteral("simpleenroll"),
            ScriptedAnswer::respond(200, "text/html", "<html><body><h1>Please log in</h1></body></html>"));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.simpleEnroll(csr()));
        QVERIFY(waitFinished(reply));
        QVERIFY(!reply->isSuccess());
        QCOMPARE(reply->error().code, ErrorCode::Parse);
        QCOMPARE(reply->error().httpStatus, 200);
        QVERIFY2(reply->error().detail.contains(QStringLiteral("Please log in")), qPrintable(reply->error().detail));
        QVERIFY(reply->error().remedy.contains(QStringLiteral("--verbose")));
    }

    void enroll_lamassu500_isClassified()
    {
        m_server->enqueue(QStringLiteral("simpleenroll"),
                          ScriptedAnswer::respond(500, "application/json", "{\"err\":\"device not preregistered\"}"));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.simpleEnroll(csr(QStringLiteral("unit-42"))));
        QVERIFY(waitFinished(reply));
        QVERIFY(!reply->isSuccess());
        QCOMPARE(reply->error().code, ErrorCode::NotFound);
        QCOMPARE(reply->error().httpStatus, 500);
        QCOMPARE(reply->httpStatus(), 500);
        QVERIFY(reply->error().message.contains(QStringLiteral("unit-42")));
        QVERIFY(reply->error().detail.contains(QStringLiteral("device not preregistered")));
        QVERIFY(reply->error().remedy.contains(QStringLiteral("manifest upload")));
    }

    void enroll_202WithSeconds_retriesAfterDelay()
    {
        m_server->enqueue(QStringLiteral("simpleenroll"),
                          ScriptedAnswer::respond(202, "text/plain", "pending", {{"Retry-After", "1"}}));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.simpleEnroll(csr()));
        QSignalSpy retries(reply.get(), &EstReply::retryScheduled);
        QVERIFY(waitFinished(reply));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        QCOMPARE(reply->attempts(), 2);
        QCOMPARE(retries.size(), 1);
        QCOMPARE(retries.first().at(1).toLongLong(), 1000);
    }

    void enroll_202WithHttpDate_retriesAtThatTime()
    {
        // A fixed client clock (whole seconds, as HTTP-dates are) makes the date arithmetic exact.
        QDateTime now = QDateTime::currentDateTimeUtc();
        now.setTime(QTime(now.time().hour(), now.time().minute(), now.time().second()));
        m_server->enqueue(
            QStringLiteral("simpleenroll"),
            ScriptedAnswer::respond(202, {}, {}, {{"Retry-After", est::RetryAfter::formatHttpDate(now.addSecs(1))}}));
        est::EstClientConfig config = configFor(*m_server);
        config.clock = [now] { return now; };
        EstClient client(std::move(config));
        std::unique_ptr<EstReply> reply(client.simpleEnroll(csr()));
        QSignalSpy retries(reply.get(), &EstReply::retryScheduled);
        QVERIFY(waitFinished(reply));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        QCOMPARE(retries.size(), 1);
        QCOMPARE(retries.first().at(1).toLongLong(), 1000);
    }

    void enroll_202Forever_stopsAtRetryLimit()
    {
        m_server->setHandler([this](const est::HttpRequest &r) {
            if (r.path.endsWith("simpleenroll"))
                return ScriptedAnswer::respond(202, {}, {}, {{"Retry-After", "0"}});
            return m_server->defaultAnswer(r);
        });
        est::EstClientConfig config = configFor(*m_server);
        config.maxRetries = 2;
        EstClient client(std::move(config));
        std::unique_ptr<EstReply> reply(client.simpleEnroll(csr()));
        QVERIFY(waitFinished(reply));
        QVERIFY(!reply->isSuccess());
        QCOMPARE(reply->error().code, ErrorCode::Timeout);
        QCOMPARE(reply->attempts(), 3);
        QCOMPARE(reply->error().httpStatus, 202);
    }

    void enroll_202PastDeadline_failsAtOnce()
    {
        m_server->enqueue(QStringLiteral("simpleenroll"),
                          ScriptedAnswer::respond(202, {}, {}, {{"Retry-After", "3600"}}));
        est::EstClientConfig config = configFor(*m_server);
        config.retryDeadline = std::chrono::seconds(30);
        EstClient client(std::move(config));
        std::unique_ptr<EstReply> reply(client.simpleEnroll(csr()));
        QVERIFY(waitFinished(reply, 5000));
        QCOMPARE(reply->error().code, ErrorCode::Timeout);
        QVERIFY(reply->error().message.contains(QStringLiteral("deadline")));
    }

    void enroll_cancelWhileWaitingFor202_cancels()
    {
        m_server->enqueue(QStringLiteral("simpleenroll"),
                          ScriptedAnswer::respond(202, {}, {}, {{"Retry-After", "60"}}));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.simpleEnroll(csr()));
        QSignalSpy retries(reply.get(), &EstReply::retryScheduled);
        QVERIFY(retries.wait(10000));
        reply->cancel();
        QVERIFY(reply->isFinished());
        QCOMPARE(reply->error().code, ErrorCode::Cancelled);
    }

    void serverkeygen_lamassuMultipart_givesMatchingKeyAndCertificate()
    {
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.serverKeygen(csr(QStringLiteral("skg-1"))));
        QVERIFY(waitFinished(reply));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        crypto::SecretBytes keyDer = reply->takePrivateKey();
        QVERIFY(!keyDer.isEmpty());
        auto key = crypto::PrivateKey::fromDer(keyDer.view().toByteArray());
        QVERIFY(key.has_value());
        QVERIFY(reply->certificate().matchesKey(*key));
        QCOMPARE(reply->certificate().subject().commonName(), QStringLiteral("skg-1"));
        QVERIFY(reply->takePrivateKey().isEmpty()); // moved out once
    }

    void serverkeygen_partVariants_decode_data()
    {
        QTest::addColumn<int>("variant");
        QTest::newRow("key as PEM, LF line ends") << 0;
        QTest::newRow("certificate part first") << 1;
        QTest::newRow("no boundary parameter") << 2;
        QTest::newRow("quoted boundary, preamble, DER-in-base64 wrapped") << 3;
    }
    void serverkeygen_partVariants_decode()
    {
        QFETCH(int, variant);
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        QVERIFY(key.has_value());
        auto cert = m_server->pki().issue(*key, QStringLiteral("skg-v"));
        QVERIFY(cert.has_value());
        const QByteArray keyPem = key->toPkcs8Pem()->view().toByteArray();
        const QByteArray keyB64 = Encoding::encodeBase64(key->toPkcs8Der()->view().toByteArray(), 76, true);
        const QByteArray certB64 = TestPki::certsOnlyBase64({*cert});
        QByteArray body, type = "multipart/mixed; boundary=xyz";
        switch (variant) {
        case 0:
            body = "--xyz\nContent-Type: application/pkcs8\n\n" + keyPem + "\n--xyz\nContent-Type: " + kPkcs7 + "\n\n" +
                   certB64 + "\n--xyz--\n";
            break;
        case 1:
            body = "--xyz\r\nContent-Type: " + kPkcs7 + "\r\n\r\n" + certB64 +
                   "\r\n--xyz\r\nContent-Type: "
                   "application/pkcs8\r\n\r\n" +
                   keyB64 + "\r\n--xyz--";
            break;
        case 2:
            type = "multipart/mixed";
            body = "--xyz\r\nContent-Type: application/pkcs8\r\n\r\n" + keyB64 +
                   "\r\n--xyz\r\nContent-Type: " + kPkcs7 + "\r\n\r\n" + certB64 + "\r\n--xyz--\r\n";
            break;
        case 3:
            type = "multipart/mixed; boundary=\"x y z\"";
            body = "preamble\r\n--x y z\r\nContent-Type: application/pkcs8\r\n\r\n" + keyB64 +
                   "\r\n--x y z\r\n"
                   "Content-Type: " +
                   kPkcs7 + "\r\n\r\n" + certB64 + "\r\n--x y z--\r\nepilogue";
            break;
        }
        m_server->enqueue(QStringLiteral("serverkeygen"), ScriptedAnswer::respond(200, type, body));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.serverKeygen(csr()));
        QVERIFY(waitFinished(reply));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        QCOMPARE(reply->certificate(), *cert);
        QCOMPARE(reply->takePrivateKey().view().toByteArray(), key->toPkcs8Der()->view().toByteArray());
    }

    void serverkeygen_truncatedMultipart_failsWithoutKey()
    {
        m_server->setHandler([this](const est::HttpRequest &r) {
            ScriptedAnswer a = m_server->defaultAnswer(r);
            if (r.path.endsWith("serverkeygen"))
                a.body.chop(30); // loses the closing boundary and part of the certificate
            return a;
        });
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.serverKeygen(csr()));
        QVERIFY(waitFinished(reply));
        QVERIFY(!reply->isSuccess());
        QCOMPARE(reply->error().code, ErrorCode::Parse);
        QVERIFY(reply->takePrivateKey().isEmpty());
    }

    void serverkeygen_keyNotMatchingCertificate_isRejected()
    {
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        auto other = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        auto cert = m_server->pki().issue(*other, QStringLiteral("skg"));
        QVERIFY(cert.has_value());
        const QByteArray body =
            "--b\r\nContent-Type: application/pkcs8\r\n\r\n" + key->toPkcs8Der()->view().toByteArray().toBase64() +
            "\r\n--b\r\nContent-Type: " + kPkcs7 + "\r\n\r\n" + TestPki::certsOnlyBase64({*cert}) + "\r\n--b--\r\n";
        m_server->enqueue(QStringLiteral("serverkeygen"),
                          ScriptedAnswer::respond(200, "multipart/mixed; boundary=b", body));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.serverKeygen(csr()));
        QVERIFY(waitFinished(reply));
        QCOMPARE(reply->error().code, ErrorCode::Verification);
        QVERIFY(reply->takePrivateKey().isEmpty());
    }

    void csrattrs_404And204AndEmpty_meanNoAttributes_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("404 (Lamassu)") << 404;
        QTest::newRow("204") << 204;
        QTest::newRow("200 empty") << 200;
    }
    void csrattrs_404And204AndEmpty_meanNoAttributes()
    {
        QFETCH(int, status);
        m_server->enqueue(QStringLiteral("csrattrs"), ScriptedAnswer::respond(status, "application/csrattrs", {}));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.fetchCsrAttrs());
        QVERIFY(waitFinished(reply));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        QVERIFY(reply->csrAttributes().isEmpty());
    }

    void csrattrs_base64_isParsed()
    {
        crypto::CsrAttributes attrs;
        attrs.addOid(QStringLiteral("1.2.840.113549.1.9.7"));
        attrs.addOid(QStringLiteral("1.2.840.10045.4.3.3"));
        m_server->enqueue(
            QStringLiteral("csrattrs"),
            ScriptedAnswer::respond(200, "application/csrattrs", Encoding::encodeBase64(attrs.toDer(), 76, true)));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.fetchCsrAttrs());
        QVERIFY(waitFinished(reply));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        QCOMPARE(reply->csrAttributes().items(), attrs.items());
    }

    void realServerQuirks_trailingNulOrCrlf_decode_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<int>("form");
        QTest::newRow("csrattrs base64 + NUL") << QStringLiteral("csrattrs") << 0;
        QTest::newRow("csrattrs DER + CRLF") << QStringLiteral("csrattrs") << 1;
        QTest::newRow("csrattrs base64 CRLF + NUL") << QStringLiteral("csrattrs") << 2;
        QTest::newRow("cacerts base64 + NUL") << QStringLiteral("cacerts") << 0;
        QTest::newRow("cacerts DER + CRLF") << QStringLiteral("cacerts") << 1;
    }
    void realServerQuirks_trailingNulOrCrlf_decode()
    {
        QFETCH(QString, operation);
        QFETCH(int, form);
        crypto::CsrAttributes attrs;
        attrs.addOid(QStringLiteral("1.2.840.113549.1.9.7"));
        attrs.addOid(QStringLiteral("1.2.840.10045.4.3.2"));
        const QList<Certificate> cas{m_server->pki().caCertificate()};
        const QByteArray der = operation == QLatin1String("csrattrs") ? attrs.toDer() : TestPki::certsOnlyDer(cas);
        const QByteArray bodies[] = {Encoding::encodeBase64(der, 0) + QByteArray(1, '\0'), der + "\r\n",
                                     Encoding::encodeBase64(der, 76, true) + "\r\n" + QByteArray(1, '\0')};
        m_server->enqueue(operation, ScriptedAnswer::respond(200, "application/octet-stream", bodies[form]));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(operation == QLatin1String("csrattrs") ? client.fetchCsrAttrs()
                                                                               : client.fetchCaCerts());
        QVERIFY(waitFinished(reply.get()));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        if (operation == QLatin1String("csrattrs"))
            QCOMPARE(reply->csrAttributes().items(), attrs.items());
        else
            QCOMPARE(reply->caCertificates(), cas);
    }

    void enroll_202WithRetryAfterZero_waitsAtLeastASecond()
    {
        m_server->enqueue(QStringLiteral("simpleenroll"),
                          ScriptedAnswer::respond(202, "text/plain", "pending", {{"Retry-After", "0"}}));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.simpleEnroll(csr()));
        QSignalSpy retries(reply.get(), &EstReply::retryScheduled);
        QVERIFY(waitFinished(reply.get()));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        QCOMPARE(retries.size(), 1);
        QCOMPARE(retries.first().at(1).toLongLong(), 1000);
    }

    void enroll_206WithRetryAfter_isPendingLike202()
    {
        // One PKI service documents 206 for a request waiting for approval.
        m_server->enqueue(QStringLiteral("simpleenroll"),
                          ScriptedAnswer::respond(206, "text/plain", "pending", {{"Retry-After", "1"}}));
        EstClient client(configFor(*m_server));
        std::unique_ptr<EstReply> reply(client.simpleEnroll(csr()));
        QSignalSpy retries(reply.get(), &EstReply::retryScheduled);
        QVERIFY(waitFinished(reply.get()));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        QCOMPARE(reply->attempts(), 2);
        QCOMPARE(retries.size(), 1);
    }

    void csrattrs_404_traceSaysAWrongLabelAlsoAnswers404()
    {
        est::EstClientConfig config = configFor(*m_server, QStringLiteral("no-such-dms"));
        config.traceExchanges = true;
        EstClient client(std::move(config));
        QStringList traces;
        connect(&client, &EstClient::trace, this, [&traces](const QString &t) { traces << t; });
        std::unique_ptr<EstReply> reply(client.fetchCsrAttrs());
        QVERIFY(waitFinished(reply.get()));
        QVERIFY(reply->isSuccess());
        QCOMPARE(reply->httpStatus(), 404);
        const QString all = traces.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("wrong label")), qPrintable(all));
    }

    void basicAuth_sendsCredentials_andTraceHidesThem()
    {
        est::EstClientConfig config = configFor(*m_server);
        config.auth = est::EstAuthMode::Basic;
        config.user = QStringLiteral("line3");
        config.password = crypto::SecretBytes(QByteArray("s3cret-pass"));
        config.traceExchanges = true;
        EstClient client(std::move(config));
        QStringList traces;
        connect(&client, &EstClient::trace, this, [&traces](const QString &t) { traces << t; });
        std::unique_ptr<EstReply> reply(client.fetchCaCerts());
        QVERIFY(waitFinished(reply));
        QVERIFY(reply->isSuccess());
        QCOMPARE(m_server->received().first().request.header("Authorization"),
                 "Basic " + QByteArray("line3:s3cret-pass").toBase64());
        const QString all = traces.join(QLatin1Char('\n'));
        QVERIFY(all.contains(QStringLiteral("[redacted]")));
        QVERIFY(!all.contains(QStringLiteral("s3cret")));
        QVERIFY(!all.contains(QString::fromLatin1(QByteArray("line3:s3cret-pass").toBase64())));
    }

    void clientCertificate_anyKeyType_isPresentedInTls_data()
    {
        QTest::addColumn<int>("keyType");
        QTest::newRow("p256") << int(crypto::KeyType::EcP256);
        QTest::newRow("rsa2048") << int(crypto::KeyType::Rsa2048);
        QTest::newRow("ed25519") << int(crypto::KeyType::Ed25519);
    }
    void clientCertificate_anyKeyType_isPresentedInTls()
    {
        QFETCH(int, keyType);
        auto key = crypto::PrivateKey::generate(crypto::KeyType(keyType));
        QVERIFY(key.has_value());
        auto cert = m_server->pki().issue(*key, QStringLiteral("bootstrap-1"), {}, {QStringLiteral("clientAuth")});
        QVERIFY(cert.has_value());
        est::EstClientConfig config = configFor(*m_server);
        config.auth = est::EstAuthMode::ClientCertificate;
        config.clientIdentity = *est::ClientIdentity::fromMemory(*cert, *key); // in-memory key, never on disk
        EstClient client(std::move(config));
        std::unique_ptr<EstReply> reply(client.simpleEnroll(csr()));
        QVERIFY(waitFinished(reply));
        QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        const auto &chain = m_server->received().last().clientChain;
        QVERIFY(!chain.isEmpty());
        QCOMPARE(chain.first().toDer(), cert->toDer());
    }

    void clientIdentity_keyOfAnotherCertificate_isRefused()
    {
        auto identity = m_server->pki().clientIdentity(QStringLiteral("a"));
        auto other = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        auto mismatched = est::ClientIdentity::fromMemory(identity->certificate, *other);
        QVERIFY(!mismatched.has_value());
        QVERIFY(mismatched.error().message.contains(QStringLiteral("does not belong")));
    }

    void serverkeygen_trace_neverShowsTheKey()
    {
        est::EstClientConfig config = configFor(*m_server);
        config.traceExchanges = true;
        EstClient client(std::move(config));
        QStringList traces;
        connect(&client, &EstClient::trace, this, [&traces](const QString &t) { traces << t; });
        std::unique_ptr<EstReply> reply(client.serverKeygen(csr()));
        QVERIFY(waitFinished(reply));
        QVERIFY(reply->isSuccess());
        const crypto::SecretBytes key = reply->takePrivateKey();
        const QString all = traces.join(QLatin1Char('\n'));
        QVERIFY(all.contains(QStringLiteral("not shown")));
        QVERIFY(!all.contains(QString::fromLatin1(key.view().toByteArray().toBase64().left(40))));
        QVERIFY(all.contains(QStringLiteral("> POST")));
        QVERIFY(all.contains(QStringLiteral("< HTTP 200")));
    }

    void validate_rejectsPlainHttpAndIncompleteAuth()
    {
        est::EstClientConfig c;
        c.baseUrl = QUrl(QStringLiteral("http://127.0.0.1/.well-known/est"));
        QVERIFY(!EstClient::validate(c).has_value());
        c.baseUrl = QUrl(QStringLiteral("https://127.0.0.1/.well-known/est"));
        QVERIFY(EstClient::validate(c).has_value());
        c.auth = est::EstAuthMode::ClientCertificate;
        QVERIFY(!EstClient::validate(c).has_value());
        c.auth = est::EstAuthMode::Basic;
        QVERIFY(!EstClient::validate(c).has_value());
    }

    void operationUrl_keepsLabelAndGatewayPrefix_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "https://h/.well-known/est"
                               << "https://h/.well-known/est/simpleenroll";
        QTest::newRow("label") << "https://h/.well-known/est/dms-1"
                               << "https://h/.well-known/est/dms-1/simpleenroll";
        QTest::newRow("trailing slash") << "https://h/.well-known/est/dms-1/"
                                        << "https://h/.well-known/est/dms-1/simpleenroll";
        QTest::newRow("gateway") << "https://h/api/dmsmanager/.well-known/est/d"
                                 << "https://h/api/dmsmanager/.well-known/est/d/simpleenroll";
        QTest::newRow("digicert") << "https://h:8443/.well-known/est/devicetrustmanager/p1"
                                  << "https://h:8443/.well-known/est/devicetrustmanager/p1/simpleenroll";
    }
    void operationUrl_keepsLabelAndGatewayPrefix()
    {
        QFETCH(QString, base);
        QFETCH(QString, expected);
        est::EstClientConfig c;
        c.baseUrl = QUrl(base);
        EstClient client(std::move(c));
        QCOMPARE(client.operationUrl(est::EstOperation::SimpleEnroll).toString(), expected);
    }
};

QTEST_GUILESS_MAIN(TestEstClient)
#include "tst_estclient.moc"
