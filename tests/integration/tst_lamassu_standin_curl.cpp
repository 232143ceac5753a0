// The Lamassu stand-in as independent tools see it: curl and openssl (unmodified) fetch a token with the
// client-credentials grant, create and read a device with it, and enroll, re-enroll and generate a key
// over EST with a CSR that openssl made — all over real TLS with verification on.
#include "LamassuTestKit.h"
#include "TestSupport.h"

#include "est/MultipartParser.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace station;
using namespace station::test::lamassu;

namespace {

struct CurlResult {
    int exitCode = -1;
    int status = 0;
    QByteArray headers;
    QByteArray body;
};

/// Runs a tool to completion without touching the network (openssl, sh).
bool runTool(const QString &program, const QStringList &args, QByteArray *output = nullptr)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    const bool ok = p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (output)
        *output = p.readAll();
    return ok;
}

} // namespace

class TestLamassuStandInCurl : public QObject
{
    Q_OBJECT

    std::unique_ptr<LamassuStandIn> m_lamassu;
    QTemporaryDir m_dir;

    QString file(const QString &name) const { return m_dir.filePath(name); }

    /// curl with the stand-in's CA; the event loop keeps running meanwhile (the server is in this thread).
    CurlResult curl(const QStringList &args)
    {
        QFile::remove(file(QStringLiteral("headers")));
        QFile::remove(file(QStringLiteral("body")));
        QProcess p;
        p.start(QStringLiteral("curl"),
                QStringList{QStringLiteral("-sS"), QStringLiteral("--cacert"), file(QStringLiteral("server-ca.pem")),
                            QStringLiteral("-D"), file(QStringLiteral("headers")), QStringLiteral("-o"),
                            file(QStringLiteral("body")), QStringLiteral("-w"), QStringLiteral("%{http_code}")} +
                    args);
        QDeadlineTimer deadline(60000);
        while (p.state() != QProcess::NotRunning && !deadline.hasExpired())
            QTest::qWait(10);
        CurlResult r;
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.status = p.readAllStandardOutput().trimmed().toInt();
        r.headers = test::readFile(file(QStringLiteral("headers")));
        r.body = test::readFile(file(QStringLiteral("body")));
        return r;
    }

    QString url(const QString &path) const { return m_lamassu->baseUrl().toString() + path; }
    QString est(const QString &operation) const
    {
        return m_lamassu->estUrl().toString() + QLatin1Char('/') + operation;
    }

    QStringList bootstrap() const
    {
        return {QStringLiteral("--cert"), file(QStringLiteral("bootstrap-cert.pem")), QStringLiteral("--key"),
                file(QStringLiteral("bootstrap-key.pem"))};
    }

    /// A P-256 key and a base64 DER CSR for `subject`, made by openssl.
    QString opensslCsr(const QString &name, const QString &subject)
    {
        const QString key = file(name + QStringLiteral(".key"));
        const QString csr = file(name + QStringLiteral(".b64"));
        if (!runTool(QStringLiteral("openssl"),
                     {QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("EC"),
                      QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-out"),
                      key}))
            return {};
        if (!runTool(QStringLiteral("sh"),
                     {QStringLiteral("-c"),
                      QStringLiteral("openssl req -new -key '%1' -subj '%2' -outform DER | base64 -w 0 > '%3'")
                          .arg(key, subject, csr)}))
            return {};
        return csr;
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
            QSKIP("curl and openssl are needed (installer/install-deps.sh installs them)");
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        m_lamassu = std::make_unique<LamassuStandIn>();
        QVERIFY(m_lamassu->start().has_value());
        QVERIFY(test::writeFile(file(QStringLiteral("server-ca.pem")), m_lamassu->serverCaPem().toLatin1()));
        QVERIFY(test::writeFile(file(QStringLiteral("bootstrap-cert.pem")), m_lamassu->bootstrapCertPem().toLatin1()));
        QVERIFY(test::writeFile(file(QStringLiteral("bootstrap-key.pem")), m_lamassu->bootstrapKeyPem().toLatin1()));
    }

    void cleanup() { m_lamassu.reset(); }

    void token_thenCreateAndReadADevice()
    {
        CurlResult r = curl({QStringLiteral("-u"), QStringLiteral("station:s3cret"), QStringLiteral("-d"),
                             QStringLiteral("grant_type=client_credentials"), m_lamassu->tokenUrl().toString()});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.status, 200);
        const QString token = jsonObject(r.body).value(QStringLiteral("access_token")).toString();
        QVERIFY(!token.isEmpty());
        const QStringList bearer{QStringLiteral("-H"), QStringLiteral("Authorization: Bearer ") + token};

        QVERIFY(test::writeFile(file(QStringLiteral("device.json")),
                                QJsonDocument(deviceBody(QStringLiteral("unit-curl"))).toJson()));
        const QStringList create =
            bearer + QStringList{QStringLiteral("-H"), QStringLiteral("Content-Type: application/json"),
                                 QStringLiteral("--data-binary"),
                                 QLatin1Char('@') + file(QStringLiteral("device.json")),
                                 url(QStringLiteral("/api/devmanager/v1/devices"))};
        r = curl(create);
        QCOMPARE(r.status, 201);
        QCOMPARE(jsonObject(r.body).value(QStringLiteral("status")).toString(), QStringLiteral("NO_IDENTITY"));
        r = curl(create);
        QCOMPARE(r.status, 500);
        QCOMPARE(r.body, QByteArray("{}"));
        r = curl(bearer + QStringList{url(QStringLiteral("/api/devmanager/v1/devices/unit-curl"))});
        QCOMPARE(r.status, 200);
        QCOMPARE(jsonObject(r.body).value(QStringLiteral("id")).toString(), QStringLiteral("unit-curl"));
        r = curl({url(QStringLiteral("/api/devmanager/v1/devices/unit-curl"))});
        QCOMPARE(r.status, 401);
    }

    void enroll_withOpensslCsr_refusedUntilPreRegistered_thenLeafOnly()
    {
        const QString csr = opensslCsr(QStringLiteral("unit"), QStringLiteral("/CN=unit-curl-est/O=Acme"));
        QVERIFY(!csr.isEmpty());
        CurlResult r = curl(bootstrap() + postCsr(csr) + QStringList{est(QStringLiteral("simpleenroll"))});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.status, 500);
        QCOMPARE(jsonObject(r.body).value(QStringLiteral("err")).toString(),
                 QStringLiteral("device not preregistered"));

        QVERIFY(m_lamassu->addDevice(deviceBody(QStringLiteral("unit-curl-est"))));
        r = curl(bootstrap() + postCsr(csr) + QStringList{est(QStringLiteral("simpleenroll"))});
        QCOMPARE(r.status, 200);
        QVERIFY(r.headers.toLower().contains("content-type: application/pkcs7-mime; smime-type=certs-only"));
        // CRLF line ends, as Lamassu sends them: coreutils' base64 -d refuses the CRs, hence the tr.
        QVERIFY(r.body.contains("\r\n"));
        QVERIFY(test::writeFile(file(QStringLiteral("answer.b64")), r.body));
        QByteArray printed;
        QVERIFY2(
            runTool(QStringLiteral("sh"),
                    {QStringLiteral("-c"),
                     QStringLiteral("tr -d '\\r' < '%1' | base64 -d | openssl pkcs7 -inform DER -print_certs -out '%2'")
                         .arg(file(QStringLiteral("answer.b64")), file(QStringLiteral("unit.pem")))},
                    &printed),
            printed.constData());
        auto certs = crypto::Certificate::listFromPem(test::readFile(file(QStringLiteral("unit.pem"))));
        QVERIFY(certs.has_value());
        QCOMPARE(certs->size(), 1);
        QCOMPARE(certs->first().subject().commonName(), QStringLiteral("unit-curl-est"));
        QVERIFY(test::writeFile(file(QStringLiteral("enrollment-ca.pem")), m_lamassu->enrollmentCaPem().toLatin1()));
        QByteArray verified;
        QVERIFY2(runTool(QStringLiteral("openssl"),
                         {QStringLiteral("verify"), QStringLiteral("-CAfile"),
                          file(QStringLiteral("enrollment-ca.pem")), file(QStringLiteral("unit.pem"))},
                         &verified),
                 verified.constData());

        // Re-enroll with the issued certificate and the same key.
        r = curl(QStringList{QStringLiteral("--cert"), file(QStringLiteral("unit.pem")), QStringLiteral("--key"),
                             file(QStringLiteral("unit.key"))} +
                 postCsr(csr) + QStringList{est(QStringLiteral("simplereenroll"))});
        QCOMPARE(r.status, 200);
        QCOMPARE(m_lamassu->devices().value(QStringLiteral("unit-curl-est")).certSerials.size(), 2);
    }

    void csrattrs_is404_andServerkeygenIsMultipart()
    {
        CurlResult r = curl({est(QStringLiteral("csrattrs"))});
        QCOMPARE(r.status, 404);
        QCOMPARE(r.body, QByteArray("404 page not found"));

        QVERIFY(m_lamassu->addDevice(deviceBody(QStringLiteral("unit-curl-kg"))));
        const QString csr = opensslCsr(QStringLiteral("kg"), QStringLiteral("/CN=unit-curl-kg"));
        r = curl(bootstrap() + postCsr(csr) + QStringList{est(QStringLiteral("serverkeygen"))});
        QCOMPARE(r.status, 200);
        QVERIFY(r.headers.contains("multipart/mixed; boundary=estServerLamassuBoundary"));
        auto parts = est::MultipartParser::parse(r.body, "estServerLamassuBoundary");
        QVERIFY(parts.has_value());
        QCOMPARE(parts->size(), 2);
        // openssl reads the key part as an unencrypted PKCS#8 DER.
        QVERIFY(test::writeFile(file(QStringLiteral("kg.pk8")), QByteArray::fromBase64(parts->at(0).body)));
        QByteArray text;
        QVERIFY2(
            runTool(QStringLiteral("openssl"),
                    {QStringLiteral("pkey"), QStringLiteral("-inform"), QStringLiteral("DER"), QStringLiteral("-in"),
                     file(QStringLiteral("kg.pk8")), QStringLiteral("-noout"), QStringLiteral("-text")},
                    &text),
            text.constData());
        QVERIFY(text.contains("prime256v1") || text.contains("P-256"));
    }
};

QTEST_GUILESS_MAIN(TestLamassuStandInCurl)
#include "tst_lamassu_standin_curl.moc"
