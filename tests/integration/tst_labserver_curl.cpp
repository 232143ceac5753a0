// The lab EST server as independent clients see it: curl and openssl (real, unmodified tools) run the
// seed documents' flow against `provctl lab-server` over real TLS with verification on, and probe auth
// modes, error answers, 202 + Retry-After, keep-alive, concurrency, restarts and a clean SIGTERM stop.
#include "LabServerProcess.h"
#include "TestSupport.h"

#include "crypto/Certificate.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using station::test::LabServerProcess;

namespace {

struct CurlResult {
    int exitCode = -1;
    int status = 0;
    QByteArray headers;
    QByteArray body;
    QByteArray verbose;
};

QByteArray run(const QString &program, const QStringList &args, const QString &workDir = {}, int *exitCode = nullptr,
               int timeoutMs = 60000)
{
    QProcess p;
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    p.waitForFinished(timeoutMs);
    if (exitCode)
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return p.readAll();
}

} // namespace

class TestLabServerCurl : public QObject
{
    Q_OBJECT

    LabServerProcess m_mtls;
    QTemporaryDir m_work;

    CurlResult curl(const QStringList &args)
    {
        const QString headers = m_work.filePath(QStringLiteral("last.headers"));
        const QString body = m_work.filePath(QStringLiteral("last.body"));
        QFile::remove(headers);
        QFile::remove(body);
        QProcess p;
        p.start(QStringLiteral("curl"),
                QStringList{QStringLiteral("-sS"), QStringLiteral("-D"), headers, QStringLiteral("-o"), body,
                            QStringLiteral("-w"), QStringLiteral("%{http_code}")} +
                    args);
        p.waitForFinished(60000);
        CurlResult r;
        r.exitCode = p.exitCode();
        r.status = p.readAllStandardOutput().trimmed().toInt();
        r.verbose = p.readAllStandardError();
        r.headers = test::readFile(headers);
        r.body = test::readFile(body);
        return r;
    }

    QStringList tlsArgs(const LabServerProcess &server) const
    {
        return {QStringLiteral("--cacert"), server.file(QStringLiteral("ca.pem"))};
    }

    QStringList bootstrapArgs(const LabServerProcess &server) const
    {
        return {QStringLiteral("--cert"), server.file(QStringLiteral("bootstrap-cert.pem")), QStringLiteral("--key"),
                server.file(QStringLiteral("bootstrap-key.pem"))};
    }

    /// A fresh RSA key + base64 DER CSR made by openssl, as a device or an engineer would.
    QString makeCsr(const QString &name, const QString &subject, QString *keyPath = nullptr)
    {
        const QString key = m_work.filePath(name + QStringLiteral(".key"));
        const QString b64 = m_work.filePath(name + QStringLiteral(".b64"));
        int rc = -1;
        run(QStringLiteral("openssl"),
            {QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("EC"), QStringLiteral("-pkeyopt"),
             QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-out"), key},
            {}, &rc);
        if (rc != 0)
            return {};
        run(QStringLiteral("sh"),
            {QStringLiteral("-c"),
             QStringLiteral("openssl req -new -key '%1' -subj '%2' -outform DER | base64 -w 0 > '%3'")
                 .arg(key, subject, b64)},
            {}, &rc);
        if (keyPath)
            *keyPath = key;
        return rc == 0 ? b64 : QString();
    }

    QStringList postCsr(const QString &b64File) const
    {
        return {QStringLiteral("-H"), QStringLiteral("Content-Type: application/pkcs10"),
                QStringLiteral("--data-binary"), QLatin1Char('@') + b64File};
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty() ||
            QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
            QFAIL("curl and openssl are needed (installer/install-deps.sh installs them)");
        QVERIFY(m_work.isValid());
        QVERIFY2(m_mtls.start(), qPrintable(m_mtls.errorText()));
    }

    void cleanupTestCase() { QCOMPARE(m_mtls.stop(), 0); }

    void labDir_holdsTrustAnchorAndBootstrapPair()
    {
        for (const char *name : {"ca.pem", "bootstrap-cert.pem", "bootstrap-key.pem", "server-cert.pem"})
            QVERIFY2(QFile::exists(m_mtls.file(QString::fromLatin1(name))), name);
        const auto perms = QFile::permissions(m_mtls.file(QStringLiteral("bootstrap-key.pem")));
        QVERIFY(!(perms & (QFileDevice::ReadGroup | QFileDevice::ReadOther)));
        int rc = -1;
        const QByteArray out =
            run(QStringLiteral("openssl"),
                {QStringLiteral("verify"), QStringLiteral("-CAfile"), m_mtls.file(QStringLiteral("ca.pem")),
                 m_mtls.file(QStringLiteral("bootstrap-cert.pem"))},
                {}, &rc);
        QVERIFY2(rc == 0, out.constData());
    }

    void seedFlow_curlAndOpenssl_succeedWithVerificationOn_data()
    {
        QTest::addColumn<QString>("label");
        QTest::newRow("no label") << QString();
        QTest::newRow("dms label") << QStringLiteral("manufacturing-dms");
    }

    void seedFlow_curlAndOpenssl_succeedWithVerificationOn()
    {
        QFETCH(QString, label);
        QTemporaryDir dir;
        const QString script = QStringLiteral(STATION_SOURCE_DIR "/tests/integration/scripts/seed-flow.sh");
        int rc = -1;
        const QByteArray out =
            run(QStringLiteral("bash"), {script, m_mtls.baseUrl().toString(), m_mtls.labDir(), dir.path(), label},
                dir.path(), &rc, 120000);
        QVERIFY2(rc == 0, out.constData());
        QVERIFY(out.contains("SUCCESS: Certificate Enrolled & Verified"));
        QVERIFY(out.contains("SEED FLOW OK"));
        // What curl got is also what our own parser reads.
        auto cert = crypto::Certificate::fromPem(test::readFile(dir.filePath(QStringLiteral("device_cert.pem"))));
        QVERIFY(cert.has_value());
        QCOMPARE(cert->subject().commonName(), QStringLiteral("device-001"));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("server.key.der"))));
    }

    void cacerts_isBase64WithLfLines_andKeepAliveReusesTheConnection()
    {
        const QString url = m_mtls.url(QStringLiteral("cacerts"));
        QProcess p;
        p.start(QStringLiteral("curl"), tlsArgs(m_mtls) + QStringList{QStringLiteral("-sv"), QStringLiteral("-o"),
                                                                      QStringLiteral("/dev/null"), url, url, url});
        QVERIFY(p.waitForFinished(30000));
        const QByteArray log = p.readAllStandardError();
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(log.count("Re-using existing connection"), 2);
        const CurlResult r = curl(tlsArgs(m_mtls) + QStringList{url});
        QCOMPARE(r.status, 200);
        QVERIFY(r.headers.toLower().contains("content-type: application/pkcs7-mime; smime-type=certs-only"));
        QVERIFY(!r.body.contains('\r'));
        for (const QByteArray &line : r.body.trimmed().split('\n'))
            QVERIFY(line.size() <= 64);
    }

    void enroll_errors_haveStatusAndReason_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("reason");
        QTest::newRow("pem body") << QStringLiteral("pem") << 400 << QByteArray("not PEM");
        QTest::newRow("bad base64") << QStringLiteral("badb64") << 400 << QByteArray("base64");
        QTest::newRow("not a csr") << QStringLiteral("notcsr") << 400 << QByteArray("unparsable CSR");
        QTest::newRow("wrong content type") << QStringLiteral("ctype") << 400 << QByteArray("Content-Type");
        QTest::newRow("no client certificate") << QStringLiteral("nocert") << 401 << QByteArray("client certificate");
        QTest::newRow("unknown operation") << QStringLiteral("unknownop") << 404 << QByteArray("unknown EST operation");
        QTest::newRow("wrong method") << QStringLiteral("get") << 405 << QByteArray("needs POST");
        QTest::newRow("reenroll without certificate")
            << QStringLiteral("reenroll-nocert") << 401 << QByteArray("current certificate");
        QTest::newRow("reenroll other subject")
            << QStringLiteral("reenroll-subject") << 400 << QByteArray("must equal");
    }

    void enroll_errors_haveStatusAndReason()
    {
        QFETCH(QString, what);
        QFETCH(int, status);
        QFETCH(QByteArray, reason);
        const QString csr = makeCsr(QStringLiteral("err"), QStringLiteral("/CN=unit-err"));
        QVERIFY(!csr.isEmpty());
        const QString enroll = m_mtls.url(QStringLiteral("simpleenroll"));
        QStringList args = tlsArgs(m_mtls);
        if (what == QLatin1String("pem")) {
            const QString pem = m_work.filePath(QStringLiteral("err.pem"));
            QVERIFY(test::writeFile(pem, "-----BEGIN CERTIFICATE REQUEST-----\n" + test::readFile(csr) +
                                             "\n-----END CERTIFICATE REQUEST-----\n"));
            args += bootstrapArgs(m_mtls) + postCsr(pem) + QStringList{enroll};
        } else if (what == QLatin1String("badb64")) {
            const QString bad = m_work.filePath(QStringLiteral("bad.b64"));
            QVERIFY(test::writeFile(bad, "MIIB$$$not-base64!!"));
            args += bootstrapArgs(m_mtls) + postCsr(bad) + QStringList{enroll};
        } else if (what == QLatin1String("notcsr")) {
            const QString bad = m_work.filePath(QStringLiteral("notcsr.b64"));
            QVERIFY(test::writeFile(bad, QByteArray("hello world, not a CSR").toBase64()));
            args += bootstrapArgs(m_mtls) + postCsr(bad) + QStringList{enroll};
        } else if (what == QLatin1String("ctype")) {
            args += bootstrapArgs(m_mtls) +
                    QStringList{QStringLiteral("-H"), QStringLiteral("Content-Type: application/octet-stream"),
                                QStringLiteral("--data-binary"), QLatin1Char('@') + csr, enroll};
        } else if (what == QLatin1String("nocert")) {
            args += postCsr(csr) + QStringList{enroll};
        } else if (what == QLatin1String("unknownop")) {
            args += QStringList{m_mtls.url(QStringLiteral("fullcmc"))};
        } else if (what == QLatin1String("get")) {
            args += QStringList{enroll};
        } else if (what == QLatin1String("reenroll-nocert")) {
            args += postCsr(csr) + QStringList{m_mtls.url(QStringLiteral("simplereenroll"))};
        } else if (what == QLatin1String("reenroll-subject")) {
            args += bootstrapArgs(m_mtls) + postCsr(csr) + QStringList{m_mtls.url(QStringLiteral("simplereenroll"))};
        }
        const CurlResult r = curl(args);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.status, status);
        QVERIFY2(r.body.contains(reason), r.body.constData());
    }

    void basicAuth_missingOrWrong_is401WithChallenge()
    {
        LabServerProcess basic;
        QVERIFY2(basic.start({QStringLiteral("--auth"), QStringLiteral("basic"), QStringLiteral("--user"),
                              QStringLiteral("line1"), QStringLiteral("--password"), QStringLiteral("s3cret")}),
                 qPrintable(basic.errorText()));
        const QString csr = makeCsr(QStringLiteral("basic"), QStringLiteral("/CN=unit-basic"));
        const QString url = basic.url(QStringLiteral("simpleenroll"), QStringLiteral("line-a"));

        CurlResult r = curl(tlsArgs(basic) + postCsr(csr) + QStringList{url});
        QCOMPARE(r.status, 401);
        QVERIFY(r.headers.toLower().contains("www-authenticate: basic"));
        r = curl(tlsArgs(basic) + postCsr(csr) + QStringList{QStringLiteral("-u"), QStringLiteral("line1:wrong"), url});
        QCOMPARE(r.status, 401);
        r = curl(tlsArgs(basic) + postCsr(csr) +
                 QStringList{QStringLiteral("-u"), QStringLiteral("line1:s3cret"), url});
        QCOMPARE(r.status, 200);
        QVERIFY(r.headers.toLower().contains("application/pkcs7-mime"));
        QCOMPARE(basic.stop(), 0);
    }

    void noAuth_enrollsWithoutCredentials()
    {
        LabServerProcess open;
        QVERIFY2(open.start({QStringLiteral("--auth"), QStringLiteral("none")}), qPrintable(open.errorText()));
        const QString csr = makeCsr(QStringLiteral("none"), QStringLiteral("/CN=unit-none"));
        const CurlResult r = curl(tlsArgs(open) + postCsr(csr) + QStringList{open.url(QStringLiteral("simpleenroll"))});
        QCOMPARE(r.status, 200);
        QCOMPARE(open.stop(), 0);
    }

    void retryAfter_answers202OncePerCsr_thenIssues()
    {
        LabServerProcess slow;
        QVERIFY2(slow.start({QStringLiteral("--retry-after"), QStringLiteral("2")}), qPrintable(slow.errorText()));
        const QString csr = makeCsr(QStringLiteral("retry"), QStringLiteral("/CN=unit-retry"));
        const QStringList args =
            tlsArgs(slow) + bootstrapArgs(slow) + postCsr(csr) + QStringList{slow.url(QStringLiteral("simpleenroll"))};
        CurlResult r = curl(args);
        QCOMPARE(r.status, 202);
        QVERIFY(r.headers.toLower().contains("retry-after: 2"));
        r = curl(args);
        QCOMPARE(r.status, 200);
        QCOMPARE(slow.stop(), 0);
    }

    void labels_restricted_unknownLabelIs404()
    {
        LabServerProcess labelled;
        QVERIFY2(labelled.start({QStringLiteral("--label"), QStringLiteral("dms-a")}),
                 qPrintable(labelled.errorText()));
        QCOMPARE(curl(tlsArgs(labelled) + QStringList{labelled.url(QStringLiteral("cacerts"), QStringLiteral("dms-a"))})
                     .status,
                 200);
        const CurlResult r =
            curl(tlsArgs(labelled) + QStringList{labelled.url(QStringLiteral("cacerts"), QStringLiteral("dms-b"))});
        QCOMPARE(r.status, 404);
        QVERIFY(r.body.contains("dms-b"));
        QCOMPARE(labelled.stop(), 0);
    }

    void concurrentClients_andAStalledSocket_areAllServed()
    {
        // A client that connects and never speaks must not hold up anyone else.
        QTcpSocket stalled;
        stalled.connectToHost(QHostAddress::LocalHost, quint16(m_mtls.baseUrl().port()));
        QVERIFY(stalled.waitForConnected(5000));

        const QString url = m_mtls.url(QStringLiteral("cacerts"));
        QList<QProcess *> clients;
        for (int i = 0; i < 24; ++i) {
            auto *p = new QProcess(this);
            p->start(QStringLiteral("curl"),
                     tlsArgs(m_mtls) + QStringList{QStringLiteral("-s"), QStringLiteral("--fail"), QStringLiteral("-o"),
                                                   QStringLiteral("/dev/null"), url, url, url, url});
            clients.append(p);
        }
        for (QProcess *p : std::as_const(clients)) {
            QVERIFY(p->waitForFinished(60000));
            QCOMPARE(p->exitCode(), 0);
            delete p;
        }
    }

    void restart_onSameDir_keepsCaAndBootstrap()
    {
        QTemporaryDir dir;
        const QString lab = dir.filePath(QStringLiteral("lab"));
        QByteArray ca1, boot1;
        {
            LabServerProcess first;
            QVERIFY2(first.start({}, lab), qPrintable(first.errorText()));
            ca1 = test::readFile(first.file(QStringLiteral("ca.pem")));
            boot1 = test::readFile(first.file(QStringLiteral("bootstrap-cert.pem")));
            QCOMPARE(first.stop(), 0);
        }
        LabServerProcess second;
        QVERIFY2(second.start({}, lab), qPrintable(second.errorText()));
        QCOMPARE(test::readFile(second.file(QStringLiteral("ca.pem"))), ca1);
        QCOMPARE(test::readFile(second.file(QStringLiteral("bootstrap-cert.pem"))), boot1);
        QCOMPARE(second.stop(), 0);
    }

    void head_cacerts_hasLengthButNoBody()
    {
        QProcess p;
        p.start(QStringLiteral("curl"),
                tlsArgs(m_mtls) + QStringList{QStringLiteral("-sS"), QStringLiteral("-I"), QStringLiteral("-w"),
                                              QStringLiteral("%{size_download}"),
                                              m_mtls.url(QStringLiteral("cacerts"))});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const QByteArray out = p.readAllStandardOutput();
        QVERIFY2(out.startsWith("HTTP/1.1 200"), out.constData());
        QVERIFY(out.toLower().contains("content-length: "));
        QVERIFY(!out.toLower().contains("content-length: 0"));
        // curl prints the headers, then %{size_download}: zero body bytes after the blank line.
        QVERIFY2(out.endsWith("\r\n\r\n0"), out.constData());
    }

    void reenroll_changedSubjectAltName_is400()
    {
        // Enroll with a SAN, then try to renew with another SAN using the issued certificate.
        const QString key = m_work.filePath(QStringLiteral("san.key"));
        const QString b64 = m_work.filePath(QStringLiteral("san.b64"));
        const QString b64other = m_work.filePath(QStringLiteral("san-other.b64"));
        const QString cert = m_work.filePath(QStringLiteral("san.pem"));
        int rc = -1;
        run(QStringLiteral("openssl"),
            {QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("EC"), QStringLiteral("-pkeyopt"),
             QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-out"), key},
            {}, &rc);
        QCOMPARE(rc, 0);
        const QString req = QStringLiteral("openssl req -new -key '%1' -subj /CN=unit-san -addext subjectAltName=%2 "
                                           "-outform DER | base64 -w 0 > '%3'");
        run(QStringLiteral("sh"), {QStringLiteral("-c"), req.arg(key, QStringLiteral("DNS:a.example"), b64)}, {}, &rc);
        QCOMPARE(rc, 0);
        run(QStringLiteral("sh"), {QStringLiteral("-c"), req.arg(key, QStringLiteral("DNS:b.example"), b64other)}, {},
            &rc);
        QCOMPARE(rc, 0);
        CurlResult r = curl(tlsArgs(m_mtls) + bootstrapArgs(m_mtls) + postCsr(b64) +
                            QStringList{m_mtls.url(QStringLiteral("simpleenroll"))});
        QCOMPARE(r.status, 200);
        run(QStringLiteral("sh"),
            {QStringLiteral("-c"), QStringLiteral("base64 -d '%1' | openssl pkcs7 -inform DER -print_certs -out '%2'")
                                       .arg(m_work.filePath(QStringLiteral("last.body")), cert)},
            {}, &rc);
        QCOMPARE(rc, 0);
        const QStringList asUnit = {QStringLiteral("--cert"), cert, QStringLiteral("--key"), key};
        r = curl(tlsArgs(m_mtls) + asUnit + postCsr(b64other) +
                 QStringList{m_mtls.url(QStringLiteral("simplereenroll"))});
        QCOMPARE(r.status, 400);
        QVERIFY2(r.body.contains("subjectAltName"), r.body.constData());
        r = curl(tlsArgs(m_mtls) + asUnit + postCsr(b64) + QStringList{m_mtls.url(QStringLiteral("simplereenroll"))});
        QCOMPARE(r.status, 200);
    }

    void badOptions_exitNonZeroWithReason()
    {
        int rc = 0;
        QByteArray out =
            run(test::provctlPath(),
                {QStringLiteral("lab-server"), QStringLiteral("--auth"), QStringLiteral("kerberos")}, {}, &rc);
        QCOMPARE(rc, 2);
        QVERIFY(out.contains("mtls, basic, none"));
        out = run(test::provctlPath(),
                  {QStringLiteral("lab-server"), QStringLiteral("--auth"), QStringLiteral("basic")}, {}, &rc);
        QCOMPARE(rc, 2);
        QVERIFY(out.contains("--user"));
    }
};

QTEST_GUILESS_MAIN(TestLabServerCurl)
#include "tst_labserver_curl.moc"
