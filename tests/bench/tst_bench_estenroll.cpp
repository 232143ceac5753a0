// Benchmark (label bench): N enrollments against `provctl lab-server` (mTLS, real TLS on loopback) done by
// the EstClient sequentially and with K requests in flight, next to the same N done as one curl + openssl
// process chain per unit (the seed document's script: fetch + convert cacerts, POST the CSR, decode the
// PKCS#7, openssl verify). CSRs are made beforehand in every case, so the figures compare the EST exchange
// with its decoding and verification. N and K: STATION_BENCH_N (default 200), STATION_BENCH_K (default 8).
//
// The batch relay (`provctl est enroll --csr-dir`, EstBatchEnroller) runs in this process against the lab
// server in its own process, so getrusage(RUSAGE_SELF) is the client's CPU alone: reading and checking the
// CSR files, TLS, HTTP, decoding, verifying every issued certificate, writing and syncing the files.
// STATION_BENCH_BATCH_N P-256 CSRs (default 400), with --jobs 1, 6 and 12; files under STATION_BENCH_DIR.
#include "EstBatchEnroller.h"
#include "LabServerProcess.h"
#include "TestSupport.h"

#include "est/EstClient.h"
#include "est/IssuedCertificateVerifier.h"

#include "crypto/Encoding.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <sys/resource.h>

#include <memory>

#include <algorithm>

using namespace station;
using station::est::EstClient;
using station::est::EstReply;
using station::test::LabServerProcess;

namespace {

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

struct Figures {
    QString label;
    int count = 0;
    int failures = 0;
    qint64 wallMs = 0;
    QList<double> latenciesMs;
    int handshakes = -1;
};

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype index = std::min(values.size() - 1, qsizetype(p / 100.0 * double(values.size() - 1) + 0.5));
    return values[index];
}

void print(const Figures &f)
{
    const double rate = f.wallMs > 0 ? 1000.0 * (f.count - f.failures) / double(f.wallMs) : 0;
    QTextStream(stdout) << QStringLiteral("%1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 | %9\n")
                               .arg(f.label, -34)
                               .arg(f.count - f.failures, 5)
                               .arg(f.failures, 4)
                               .arg(double(f.wallMs) / 1000.0, 7, 'f', 2)
                               .arg(rate, 8, 'f', 1)
                               .arg(percentile(f.latenciesMs, 50), 7, 'f', 1)
                               .arg(percentile(f.latenciesMs, 90), 7, 'f', 1)
                               .arg(percentile(f.latenciesMs, 99), 7, 'f', 1)
                               .arg(f.handshakes < 0 ? QStringLiteral("n/a") : QString::number(f.handshakes));
}

/// Where the benchmark writes its CSRs and certificates: STATION_BENCH_DIR, else the build tree. Not /tmp:
/// on the shared CI machines /tmp is an ext4 without journal whose inode allocator skips every recently
/// deleted inode (all the compilers' temp files), about 0.1 ms of kernel time per file created there,
/// which would measure the host rather than the client.
QString workDirTemplate()
{
    const QString dir = qEnvironmentVariableIsEmpty("STATION_BENCH_DIR")
                            ? QStringLiteral(STATION_BINARY_DIR "/tests/bench")
                            : qEnvironmentVariable("STATION_BENCH_DIR");
    QDir().mkpath(dir);
    return dir + QStringLiteral("/work-XXXXXX");
}

/// CPU of this process (all threads) in milliseconds, in user space and in the kernel.
struct Cpu {
    double userMs = 0;
    double systemMs = 0;
    [[nodiscard]] double totalMs() const { return userMs + systemMs; }
    Cpu operator-(const Cpu &o) const { return {userMs - o.userMs, systemMs - o.systemMs}; }
};

Cpu processCpu()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto ms = [](const timeval &t) { return double(t.tv_sec) * 1000.0 + double(t.tv_usec) / 1000.0; };
    return {ms(usage.ru_utime), ms(usage.ru_stime)};
}

} // namespace

class BenchEstEnroll : public QObject
{
    Q_OBJECT

    LabServerProcess m_server;
    QTemporaryDir m_work{workDirTemplate()};
    QList<crypto::CertificateRequest> m_csrs;
    est::ClientIdentity m_identity;
    crypto::Certificate m_anchor;
    int m_n = 200;
    int m_k = 8;
    int m_batchN = 400;
    QString m_batchCsrDir;

    est::EstClientConfig config() const
    {
        est::EstClientConfig c;
        c.baseUrl = m_server.baseUrl();
        c.trustAnchors = {m_anchor};
        c.auth = est::EstAuthMode::ClientCertificate;
        c.clientIdentity = m_identity;
        c.proxyMode = est::EstProxyMode::None;
        return c;
    }

    Figures runClient(int inFlight)
    {
        Figures f;
        f.label = inFlight == 1 ? QStringLiteral("EstClient sequential")
                                : QStringLiteral("EstClient %1 concurrent").arg(inFlight);
        f.count = int(m_csrs.size());
        EstClient client(config());
        std::unique_ptr<EstReply> warm(client.fetchCaCerts()); // the CA set is fetched once per client, as in a batch
        QDeadlineTimer warmDeadline(30000);
        while (!warm->isFinished() && !warmDeadline.hasExpired())
            QTest::qWait(5);
        if (!warm->isSuccess())
            qWarning() << "cacerts:" << warm->error().toString();
        QElapsedTimer wall;
        wall.start();
        int next = 0;
        int done = 0;
        int running = 0;
        std::function<void()> pump = [&] {
            while (running < inFlight && next < f.count) {
                const int index = next++;
                QElapsedTimer *t = new QElapsedTimer;
                t->start();
                EstReply *reply = client.simpleEnroll(m_csrs[index]);
                ++running;
                connect(reply, &EstReply::finished, this, [&, reply, t] {
                    f.latenciesMs << double(t->nsecsElapsed()) / 1e6;
                    delete t;
                    if (!reply->isSuccess()) {
                        ++f.failures;
                        qWarning() << reply->error().toString();
                    }
                    reply->deleteLater();
                    --running;
                    ++done;
                    pump();
                });
            }
        };
        pump();
        QDeadlineTimer deadline(600000);
        while (done < f.count && !deadline.hasExpired())
            QTest::qWait(1);
        f.wallMs = wall.elapsed();
        f.handshakes = client.tlsHandshakeCount();
        return f;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("station.est.*.info=false\nstation.est.*.debug=false"));
        m_n = envInt("STATION_BENCH_N", 200);
        m_k = envInt("STATION_BENCH_K", 8);
        QVERIFY(m_work.isValid());
        QVERIFY2(m_server.start({QStringLiteral("--quiet")}), qPrintable(m_server.errorText()));
        m_anchor = *crypto::Certificate::fromPem(test::readFile(m_server.file(QStringLiteral("ca.pem"))));
        auto identity = est::ClientIdentity::fromFiles(m_server.file(QStringLiteral("bootstrap-cert.pem")),
                                                       m_server.file(QStringLiteral("bootstrap-key.pem")));
        QVERIFY(identity.has_value());
        m_identity = *identity;
        for (int i = 0; i < m_n; ++i) {
            auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
            crypto::CsrSpec spec;
            spec.subject.append(QStringLiteral("CN"), QStringLiteral("bench-%1").arg(i));
            auto csr = crypto::CertificateRequest::create(spec, *key);
            QVERIFY(csr.has_value());
            m_csrs << *csr;
            QVERIFY(test::writeFile(m_work.filePath(QStringLiteral("csr%1.b64").arg(i)), csr->toDer().toBase64()));
        }
        {
            // Once per process (TLS back end, OpenSSL tables), not per batch: paid here, so the first batch
            // row is comparable with the others.
            EstClient warmUp(config());
            std::unique_ptr<EstReply> reply(warmUp.fetchCaCerts());
            QDeadlineTimer deadline(30000);
            while (!reply->isFinished() && !deadline.hasExpired())
                QTest::qWait(5);
            QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
        }
        m_batchN = envInt("STATION_BENCH_BATCH_N", 400);
        m_batchCsrDir = m_work.filePath(QStringLiteral("batch-csrs"));
        QVERIFY(QDir().mkpath(m_batchCsrDir));
        for (int i = 0; i < m_batchN; ++i) {
            auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
            crypto::CsrSpec spec;
            spec.subject.append(QStringLiteral("CN"), QStringLiteral("batch-%1").arg(i));
            auto csr = crypto::CertificateRequest::create(spec, *key);
            QVERIFY(csr.has_value());
            QVERIFY(test::writeFile(m_batchCsrDir + QStringLiteral("/unit%1.csr").arg(i, 4, 10, QLatin1Char('0')),
                                    csr->toPem()));
        }
        QTextStream(stdout) << "\nEST enrollment benchmark: N=" << m_n << ", K=" << m_k
                            << ", lab server mTLS on loopback, P-256 CSRs made beforehand\n"
                            << QStringLiteral("%1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 | %9\n")
                                   .arg(QStringLiteral("method"), -34)
                                   .arg(QStringLiteral("ok"), 5)
                                   .arg(QStringLiteral("fail"), 4)
                                   .arg(QStringLiteral("wall s"), 7)
                                   .arg(QStringLiteral("enr/s"), 8)
                                   .arg(QStringLiteral("p50 ms"), 7)
                                   .arg(QStringLiteral("p90 ms"), 7)
                                   .arg(QStringLiteral("p99 ms"), 7)
                                   .arg(QStringLiteral("TLS handshakes"));
    }

    void bench_estClientSequential()
    {
        const Figures f = runClient(1);
        print(f);
        QCOMPARE(f.failures, 0);
        QCOMPARE(f.handshakes, 1);
    }

    void bench_estClientConcurrent()
    {
        const Figures f = runClient(m_k);
        print(f);
        QCOMPARE(f.failures, 0);
    }

    void bench_batchRelay_clientCpu_data()
    {
        QTest::addColumn<int>("jobs");
        for (int jobs : {1, 6, 12})
            QTest::addRow("jobs=%d", jobs) << jobs;
    }

    void bench_batchRelay_clientCpu()
    {
        QFETCH(int, jobs);
        const QString outDir = m_work.filePath(QStringLiteral("batch-out-%1").arg(jobs));
        QString outText, errText;
        QTextStream out(&outText), err(&errText);
        int exitCode = -1;
        const Cpu cpuBefore = processCpu();
        QElapsedTimer wall;
        wall.start();
        {
            // The CA set is fetched by the batch itself, as `provctl est enroll --csr-dir` does.
            est::EstClientConfig c = config();
            c.maxConnections = std::max(c.maxConnections, jobs); // as provctl does for --jobs
            EstClient client(std::move(c));
            cli::EstBatchEnroller batch(&client, m_batchCsrDir, outDir, jobs, out, err);
            QEventLoop loop;
            connect(&batch, &cli::EstBatchEnroller::done, &loop, [&](int code) {
                exitCode = code;
                loop.quit();
            });
            QTimer::singleShot(0, &batch, &cli::EstBatchEnroller::start);
            QTimer::singleShot(600000, &loop, &QEventLoop::quit);
            loop.exec();
        }
        const qint64 wallMs = wall.elapsed();
        const Cpu cpu = processCpu() - cpuBefore;
        QVERIFY2(exitCode == 0, qPrintable(errText.left(2000)));
        QCOMPARE(QDir(outDir).entryList({QStringLiteral("*.pem")}, QDir::Files).size(), m_batchN);
        const QString summary = outText.mid(outText.lastIndexOf(QStringLiteral("Summary:"))).trimmed();
        QTextStream(stdout) << QStringLiteral("batch relay --jobs %1: %2 CSRs, client CPU %3 ms/enrollment "
                                              "(user %4, kernel %5), %6 enrollments/s, wall %7 s | %8\n")
                                   .arg(jobs, 2)
                                   .arg(m_batchN)
                                   .arg(cpu.totalMs() / m_batchN, 0, 'f', 3)
                                   .arg(cpu.userMs / m_batchN, 0, 'f', 3)
                                   .arg(cpu.systemMs / m_batchN, 0, 'f', 3)
                                   .arg(1000.0 * m_batchN / double(std::max<qint64>(1, wallMs)), 0, 'f', 1)
                                   .arg(double(wallMs) / 1000.0, 0, 'f', 2)
                                   .arg(summary);
    }

    void bench_batchRelay_cryptoFloor()
    {
        // What the batch cannot skip, without network or files: per enrollment one CSR parsed and its
        // signature checked, one issued certificate parsed, matched to the CSR's key and verified to the
        // CA set (the certificates of the --jobs 1 run above).
        const QString outDir = m_work.filePath(QStringLiteral("batch-out-1"));
        QList<QByteArray> csrs, certs;
        const QStringList names = QDir(m_batchCsrDir).entryList(QDir::Files, QDir::Name);
        for (const QString &name : names) {
            csrs << test::readFile(m_batchCsrDir + QLatin1Char('/') + name);
            certs << test::readFile(outDir + QLatin1Char('/') + QFileInfo(name).completeBaseName() +
                                    QStringLiteral(".pem"));
        }
        if (certs.isEmpty() || certs.first().isEmpty())
            QSKIP("run together with bench_batchRelay_clientCpu (its --jobs 1 certificates are verified here)");
        const crypto::ChainVerifier caVerifier({m_anchor});
        const Cpu before = processCpu();
        for (qsizetype i = 0; i < csrs.size(); ++i) {
            auto csr = crypto::CertificateRequest::fromAny(csrs[i]);
            QVERIFY(csr.has_value());
            QVERIFY(csr->verifySignature().has_value());
            auto cert = crypto::Certificate::fromPem(certs[i]);
            QVERIFY(cert.has_value());
            QVERIFY(est::IssuedCertificateVerifier::verify({*cert}, csr->publicKeyDer(), caVerifier).has_value());
        }
        const Cpu cpu = processCpu() - before;
        QTextStream(stdout) << QStringLiteral("crypto floor (CSR parse + signature, certificate parse + key match + "
                                              "chain): %1 ms/enrollment\n")
                                   .arg(cpu.totalMs() / double(csrs.size()), 0, 'f', 3);
    }

    void bench_curlOpensslChainPerUnit()
    {
        // The seed document's script, per unit, with TLS verification on and CRs stripped before base64 -d.
        const QString script = m_work.filePath(QStringLiteral("enroll.sh"));
        QVERIFY(test::writeFile(script, QByteArray(R"(set -euo pipefail
U="$1"; W="$2"; I="$3"; CA="$4"; CERT="$5"; KEY="$6"
curl -s --fail --cacert "$CA" "$U/cacerts" -o "$W/ca$I.b64"
tr -d '\r' < "$W/ca$I.b64" | base64 -d | openssl pkcs7 -inform DER -print_certs -out "$W/ca$I.pem"
curl -s --fail --cacert "$CA" --cert "$CERT" --key "$KEY" -H "Content-Type: application/pkcs10" \
     --data-binary "@$W/csr$I.b64" "$U/simpleenroll" -o "$W/resp$I.b64"
tr -d '\r' < "$W/resp$I.b64" | base64 -d | openssl pkcs7 -inform DER -print_certs -out "$W/dev$I.pem"
openssl verify -CAfile "$W/ca$I.pem" "$W/dev$I.pem" > /dev/null
)")));
        Figures f;
        f.label = QStringLiteral("curl + openssl chain per unit");
        f.count = m_n;
        QElapsedTimer wall;
        wall.start();
        for (int i = 0; i < m_n; ++i) {
            QElapsedTimer t;
            t.start();
            QProcess p;
            p.start(QStringLiteral("bash"),
                    {script, m_server.baseUrl().toString(), m_work.path(), QString::number(i),
                     m_server.file(QStringLiteral("ca.pem")), m_server.file(QStringLiteral("bootstrap-cert.pem")),
                     m_server.file(QStringLiteral("bootstrap-key.pem"))});
            p.waitForFinished(60000);
            f.latenciesMs << double(t.nsecsElapsed()) / 1e6;
            if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
                ++f.failures;
                qWarning() << p.readAllStandardError();
            }
        }
        f.wallMs = wall.elapsed();
        f.handshakes = 2 * m_n;
        print(f);
        QCOMPARE(f.failures, 0);
    }
};

QTEST_GUILESS_MAIN(BenchEstEnroll)
#include "tst_bench_estenroll.moc"
