// `provctl est` end to end against `provctl lab-server`: each subcommand, the bootstrap by fingerprint,
// batch relay with a bad CSR among good ones, PKCS#12 and basic authentication, --verbose without secrets,
// key files 0600, and exit status + cause + remedy on failure.
#include "LabServerProcess.h"
#include "TestSupport.h"

#include "crypto/Certificate.h"
#include "crypto/CertificateIssuer.h"
#include "crypto/CertificateRequest.h"
#include "crypto/ChainVerifier.h"
#include "crypto/CsrAttributes.h"
#include "crypto/PrivateKey.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using station::test::LabServerProcess;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestProvctlEst : public QObject
{
    Q_OBJECT

    LabServerProcess m_mtls;
    LabServerProcess m_basic;
    QTemporaryDir m_work;

    Run est(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(m_work.path());
        p.start(test::provctlPath(), QStringList{QStringLiteral("est")} + args);
        p.waitForFinished(120000);
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

    QString path(const QString &name) const { return m_work.filePath(name); }
    QString lab(const QString &name) const { return m_mtls.file(name); }
    QStringList base(const LabServerProcess &srv, const QString &label = {}) const
    {
        QString url = srv.baseUrl().toString();
        if (!label.isEmpty())
            url += QLatin1Char('/') + label;
        return {QStringLiteral("--url"), url, QStringLiteral("--trust"), lab(QStringLiteral("ca.pem")),
                QStringLiteral("--no-proxy")};
    }
    QStringList bootstrapAuth() const
    {
        return {QStringLiteral("--client-cert"), lab(QStringLiteral("bootstrap-cert.pem")),
                QStringLiteral("--client-key"), lab(QStringLiteral("bootstrap-key.pem"))};
    }
    static int openssl(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral("openssl"), args);
        p.waitForFinished(60000);
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    void verifyIssued(const QString &certPath, const QString &keyPath, const QString &cn)
    {
        auto cert = crypto::Certificate::fromPem(test::readFile(certPath));
        QVERIFY2(cert.has_value(), qPrintable(certPath));
        QCOMPARE(cert->subject().commonName(), cn);
        auto anchor = crypto::Certificate::fromPem(test::readFile(lab(QStringLiteral("ca.pem"))));
        QVERIFY(crypto::ChainVerifier({*anchor}).verify(*cert).has_value());
        if (!keyPath.isEmpty()) {
            auto key = crypto::PrivateKey::fromPem(test::readFile(keyPath));
            QVERIFY(key.has_value());
            QVERIFY(cert->matchesKey(*key));
            QCOMPARE(QFile::permissions(keyPath) & 0x0077, QFileDevice::Permissions());
            QCOMPARE(QFileInfo(keyPath).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                     QFileDevice::Permissions());
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        QVERIFY2(m_mtls.start({QStringLiteral("--quiet")}), qPrintable(m_mtls.errorText()));
        QVERIFY2(m_basic.start({QStringLiteral("--auth"), QStringLiteral("basic"), QStringLiteral("--user"),
                                QStringLiteral("op"), QStringLiteral("--password"), QStringLiteral("pw-123"),
                                QStringLiteral("--quiet")},
                               m_mtls.labDir()),
                 qPrintable(m_basic.errorText()));
    }

    void cacerts_writesPemAndExitsZero()
    {
        const Run r = est(QStringList{QStringLiteral("cacerts")} + base(m_mtls) +
                          QStringList{QStringLiteral("--out"), path(QStringLiteral("cacerts.pem"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(test::readFile(path(QStringLiteral("cacerts.pem"))), test::readFile(lab(QStringLiteral("ca.pem"))));
        QVERIFY(r.out.contains(QStringLiteral("SHA-256")));
    }

    void cacerts_bootstrapFingerprint_trustsOnlyTheConfirmedCa()
    {
        auto ca = crypto::Certificate::fromPem(test::readFile(lab(QStringLiteral("ca.pem"))));
        QVERIFY(ca.has_value());
        const QStringList url{QStringLiteral("--url"), m_mtls.baseUrl().toString()};
        Run ok = est(QStringList{QStringLiteral("cacerts")} + url +
                     QStringList{QStringLiteral("--bootstrap-fingerprint"), ca->fingerprintSha256Colon(),
                                 QStringLiteral("--out"), path(QStringLiteral("boot.pem"))});
        QVERIFY2(ok.exitCode == 0, qPrintable(ok.err));
        QVERIFY(ok.err.contains(ca->fingerprintSha256Colon()));
        QCOMPARE(test::readFile(path(QStringLiteral("boot.pem"))), ca->toPem());

        Run bad = est(QStringList{QStringLiteral("cacerts")} + url +
                      QStringList{QStringLiteral("--bootstrap-fingerprint"), QString(64, QLatin1Char('0'))});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.err.contains(QStringLiteral("remedy:")));
        QVERIFY(bad.out.isEmpty());

        // The interactive bootstrap needs a terminal; under a pipe it says so and trusts nothing.
        Run prompt = est(QStringList{QStringLiteral("cacerts")} + url + QStringList{QStringLiteral("--bootstrap")});
        QCOMPARE(prompt.exitCode, 2);
        QVERIFY2(prompt.err.contains(QStringLiteral("--bootstrap-fingerprint")), qPrintable(prompt.err));
        QVERIFY(prompt.err.contains(ca->fingerprintSha256Colon())); // shown before asking

        Run none = est(QStringList{QStringLiteral("cacerts")} + url);
        QCOMPARE(none.exitCode, 2);
        QVERIFY(none.err.contains(QStringLiteral("no insecure mode")));
    }

    void enroll_generatedKey_isSavedPrivatelyAndMatches()
    {
        const Run r =
            est(QStringList{QStringLiteral("enroll")} + base(m_mtls, QStringLiteral("dms-1")) + bootstrapAuth() +
                QStringList{QStringLiteral("--subject"), QStringLiteral("/CN=device-001/O=Acme"),
                            QStringLiteral("--san"), QStringLiteral("DNS:device-001.local"),
                            QStringLiteral("--key-type"), QStringLiteral("p384"), QStringLiteral("--key-out"),
                            path(QStringLiteral("dev.key")), QStringLiteral("--out"), path(QStringLiteral("dev.pem")),
                            QStringLiteral("--chain-out"), path(QStringLiteral("chain.pem"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        verifyIssued(path(QStringLiteral("dev.pem")), path(QStringLiteral("dev.key")), QStringLiteral("device-001"));
        QVERIFY(r.err.contains(QStringLiteral("asks for a p256 key"))); // lab csrattrs asked P-256: reported
        QCOMPARE(crypto::Certificate::listFromPem(test::readFile(path(QStringLiteral("chain.pem"))))->size(), 2);
    }

    void enroll_appliesServersCsrAttributes_andReportsTheRest()
    {
        // The server asks for an EC P-384 key, a challengePassword and a subjectAltName.
        crypto::CsrAttributes attrs;
        attrs.addOid(QStringLiteral("1.2.840.113549.1.9.7"));
        attrs.addAttribute(QStringLiteral("1.2.840.10045.2.1"), {QByteArray::fromHex("06052b81040022")}); // secp384r1
        attrs.addOid(QStringLiteral("2.5.29.17"));
        const QString attrsFile = path(QStringLiteral("attrs.der"));
        QVERIFY(test::writeFile(attrsFile, attrs.toDer()));
        LabServerProcess server;
        QVERIFY2(server.start({QStringLiteral("--csrattrs"), attrsFile, QStringLiteral("--quiet")}, m_mtls.labDir()),
                 qPrintable(server.errorText()));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("EST_OTP"), QStringLiteral("otp-4711"));
        const Run r =
            est(QStringList{QStringLiteral("enroll")} + base(server) + bootstrapAuth() +
                    QStringList{QStringLiteral("--subject"), QStringLiteral("CN=attr-unit"),
                                QStringLiteral("--challenge-password-env"), QStringLiteral("EST_OTP"),
                                QStringLiteral("--key-out"), path(QStringLiteral("attr.key")), QStringLiteral("--out"),
                                path(QStringLiteral("attr.pem")), QStringLiteral("--verbose")},
                env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        verifyIssued(path(QStringLiteral("attr.pem")), path(QStringLiteral("attr.key")), QStringLiteral("attr-unit"));
        auto key = crypto::PrivateKey::fromPem(test::readFile(path(QStringLiteral("attr.key"))));
        QCOMPARE(key->keyType(), std::optional(crypto::KeyType::EcP384));              // the server's wish was applied
        QVERIFY2(r.err.contains(QStringLiteral("subjectAltName")), qPrintable(r.err)); // not honoured: reported
        QVERIFY2(r.err.contains(QStringLiteral("--san")), qPrintable(r.err));
        QVERIFY(!r.err.contains(QStringLiteral("otp-4711")));
        QVERIFY(r.err.contains(QStringLiteral("holds a challengePassword, not shown")));
    }

    void enroll_existingCsrPemAndDer_isRelayed_data()
    {
        QTest::addColumn<QString>("form");
        QTest::newRow("PEM") << QStringLiteral("PEM");
        QTest::newRow("DER") << QStringLiteral("DER");
    }
    void enroll_existingCsrPemAndDer_isRelayed()
    {
        QFETCH(QString, form);
        const QString key = path(QStringLiteral("relay-%1.key").arg(form));
        const QString csr = path(QStringLiteral("relay-%1.csr").arg(form));
        QCOMPARE(openssl({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey"),
                          QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"), key,
                          QStringLiteral("-subj"), QStringLiteral("/CN=relay-%1").arg(form), QStringLiteral("-outform"),
                          form, QStringLiteral("-out"), csr}),
                 0);
        const QString out = path(QStringLiteral("relay-%1.pem").arg(form));
        const Run r = est(QStringList{QStringLiteral("enroll")} + base(m_mtls) + bootstrapAuth() +
                          QStringList{QStringLiteral("--csr"), csr, QStringLiteral("--out"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        verifyIssued(out, key, QStringLiteral("relay-%1").arg(form));
    }

    void reenroll_withIssuedCertificate_renews()
    {
        const Run first = est(QStringList{QStringLiteral("enroll")} + base(m_mtls) + bootstrapAuth() +
                              QStringList{QStringLiteral("--subject"), QStringLiteral("CN=renew-me"),
                                          QStringLiteral("--key-out"), path(QStringLiteral("renew.key")),
                                          QStringLiteral("--out"), path(QStringLiteral("renew.pem"))});
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        const Run again = est(QStringList{QStringLiteral("reenroll")} + base(m_mtls) +
                              QStringList{QStringLiteral("--client-cert"), path(QStringLiteral("renew.pem")),
                                          QStringLiteral("--client-key"), path(QStringLiteral("renew.key")),
                                          QStringLiteral("--key-type"), QStringLiteral("ed25519"),
                                          QStringLiteral("--key-out"), path(QStringLiteral("renew2.key")),
                                          QStringLiteral("--out"), path(QStringLiteral("renew2.pem"))});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        verifyIssued(path(QStringLiteral("renew2.pem")), path(QStringLiteral("renew2.key")),
                     QStringLiteral("renew-me"));
    }

    void serverkeygen_writesKeyOnlyWhereAsked_andVerboseHidesIt()
    {
        const Run r =
            est(QStringList{QStringLiteral("serverkeygen")} + base(m_mtls) + bootstrapAuth() +
                QStringList{QStringLiteral("--subject"), QStringLiteral("/CN=skg-unit"), QStringLiteral("--key-out"),
                            path(QStringLiteral("skg.key")), QStringLiteral("--out"), path(QStringLiteral("skg.pem")),
                            QStringLiteral("--verbose")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        verifyIssued(path(QStringLiteral("skg.pem")), path(QStringLiteral("skg.key")), QStringLiteral("skg-unit"));
        QVERIFY(r.err.contains(QStringLiteral("> POST")));
        QVERIFY(r.err.contains(QStringLiteral("multipart/mixed")));
        QVERIFY(r.err.contains(QStringLiteral("not shown")));
        auto key = crypto::PrivateKey::fromPem(test::readFile(path(QStringLiteral("skg.key"))));
        const QByteArray der = key->toPkcs8Der()->view().toByteArray();
        QVERIFY(!r.err.contains(QString::fromLatin1(der.toBase64().left(32))));
        QVERIFY(!r.err.contains(QStringLiteral("PRIVATE KEY-----")));
        QVERIFY(!r.out.contains(QStringLiteral("PRIVATE KEY-----")));
    }

    void csrattrs_printsWhatTheServerWants()
    {
        const Run r = est(QStringList{QStringLiteral("csrattrs")} + base(m_mtls));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("p256")));
    }

    void csrattrs_unknownLabel404_noteSaysAWrongLabelAlsoAnswers404()
    {
        LabServerProcess labelled;
        QVERIFY2(labelled.start({QStringLiteral("--label"), QStringLiteral("dms-1"), QStringLiteral("--quiet")},
                                m_mtls.labDir()),
                 qPrintable(labelled.errorText()));
        const Run r = est(QStringList{QStringLiteral("csrattrs"), QStringLiteral("--verbose")} +
                          base(labelled, QStringLiteral("dms-typo")));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("HTTP 404")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("wrong label")), qPrintable(r.out));
        QVERIFY2(r.err.contains(QStringLiteral("wrong label")), qPrintable(r.err)); // the verbose trace
    }

    void cacerts_bootstrapWithBasicAuth_sendsNoPasscodeToTheUnverifiedServer()
    {
        auto ca = crypto::Certificate::fromPem(test::readFile(lab(QStringLiteral("ca.pem"))));
        QVERIFY(ca.has_value());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("EST_PW"), QStringLiteral("pw-123"));
        const Run r = est({QStringLiteral("cacerts"), QStringLiteral("--url"), m_basic.baseUrl().toString(),
                           QStringLiteral("--no-proxy"), QStringLiteral("--bootstrap-fingerprint"),
                           ca->fingerprintSha256Colon(), QStringLiteral("--user"), QStringLiteral("op"),
                           QStringLiteral("--password-env"), QStringLiteral("EST_PW"), QStringLiteral("--verbose"),
                           QStringLiteral("--out"), path(QStringLiteral("boot-basic.pem"))},
                          env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("GET ")), qPrintable(r.err));
        QVERIFY2(!r.err.contains(QStringLiteral("Authorization")), qPrintable(r.err));
    }

    void basicAuth_passwordFromEnvironment_enrolls_andNeverPrinted()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("EST_PW"), QStringLiteral("pw-123"));
        const Run r =
            est(QStringList{QStringLiteral("enroll")} + base(m_basic) +
                    QStringList{QStringLiteral("--user"), QStringLiteral("op"), QStringLiteral("--password-env"),
                                QStringLiteral("EST_PW"), QStringLiteral("--subject"), QStringLiteral("CN=b1"),
                                QStringLiteral("--key-out"), path(QStringLiteral("b1.key")), QStringLiteral("--out"),
                                path(QStringLiteral("b1.pem")), QStringLiteral("--verbose")},
                env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!r.err.contains(QStringLiteral("pw-123")));
        QVERIFY(!r.err.contains(QString::fromLatin1(QByteArray("op:pw-123").toBase64())));

        env.insert(QStringLiteral("EST_PW"), QStringLiteral("wrong"));
        const Run bad =
            est(QStringList{QStringLiteral("enroll")} + base(m_basic) +
                    QStringList{QStringLiteral("--user"), QStringLiteral("op"), QStringLiteral("--password-env"),
                                QStringLiteral("EST_PW"), QStringLiteral("--subject"), QStringLiteral("CN=b2"),
                                QStringLiteral("--key-out"), path(QStringLiteral("b2.key")), QStringLiteral("--out"),
                                path(QStringLiteral("b2.pem"))},
                env);
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.err.contains(QStringLiteral("401")));
        QVERIFY(bad.err.contains(QStringLiteral("remedy:")));
        QVERIFY(!QFile::exists(path(QStringLiteral("b2.key"))));
    }

    void pkcs12ClientIdentity_enrolls()
    {
        const QString p12 = path(QStringLiteral("bootstrap.p12"));
        QCOMPARE(openssl({QStringLiteral("pkcs12"), QStringLiteral("-export"), QStringLiteral("-in"),
                          lab(QStringLiteral("bootstrap-cert.pem")), QStringLiteral("-inkey"),
                          lab(QStringLiteral("bootstrap-key.pem")), QStringLiteral("-passout"),
                          QStringLiteral("pass:p12pass"), QStringLiteral("-out"), p12}),
                 0);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("P12_PW"), QStringLiteral("p12pass"));
        const Run r =
            est(QStringList{QStringLiteral("enroll")} + base(m_mtls) +
                    QStringList{QStringLiteral("--client-p12"), p12, QStringLiteral("--client-p12-pass-env"),
                                QStringLiteral("P12_PW"), QStringLiteral("--subject"), QStringLiteral("CN=p12-unit"),
                                QStringLiteral("--key-out"), path(QStringLiteral("p12u.key")), QStringLiteral("--out"),
                                path(QStringLiteral("p12u.pem"))},
                env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        verifyIssued(path(QStringLiteral("p12u.pem")), path(QStringLiteral("p12u.key")), QStringLiteral("p12-unit"));
    }

    void batch_badCsrAmongGood_othersStillIssued()
    {
        const QString in = path(QStringLiteral("batch-in"));
        QVERIFY(QDir().mkpath(in));
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(
                openssl({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                         QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"),
                         QStringLiteral("-nodes"), QStringLiteral("-keyout"), QStringLiteral("/dev/null"),
                         QStringLiteral("-subj"), QStringLiteral("/CN=batch-%1").arg(i), QStringLiteral("-outform"),
                         i % 2 ? QStringLiteral("DER") : QStringLiteral("PEM"), QStringLiteral("-out"),
                         in + QStringLiteral("/unit%1.csr").arg(i)}),
                0);
        }
        QVERIFY(test::writeFile(in + QStringLiteral("/broken.csr"), "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"));
        const QString outDir = path(QStringLiteral("batch-out"));
        const Run r = est(QStringList{QStringLiteral("enroll")} + base(m_mtls) + bootstrapAuth() +
                          QStringList{QStringLiteral("--csr-dir"), in, QStringLiteral("--out-dir"), outDir,
                                      QStringLiteral("--jobs"), QStringLiteral("3")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral("6 issued, 1 failed")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("broken.csr")));
        for (int i = 0; i < 6; ++i)
            verifyIssued(outDir + QStringLiteral("/unit%1.pem").arg(i), {}, QStringLiteral("batch-%1").arg(i));
        QVERIFY(!QFile::exists(outDir + QStringLiteral("/broken.pem")));
    }

    void batch_jobs12_opensMoreThanSixConnections()
    {
        // Qt's access manager alone stops at 6 connections per server; --jobs 12 must get 12. The lab
        // server counts what it accepted and says so when it stops.
        LabServerProcess server;
        QVERIFY2(server.start({QStringLiteral("--quiet")}, m_mtls.labDir()), qPrintable(server.errorText()));
        const QString in = path(QStringLiteral("wide-in"));
        QVERIFY(QDir().mkpath(in));
        for (int i = 0; i < 24; ++i) {
            auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
            QVERIFY(key.has_value());
            crypto::CsrSpec spec;
            spec.subject.append(QStringLiteral("CN"), QStringLiteral("wide-%1").arg(i));
            auto csr = crypto::CertificateRequest::create(spec, *key);
            QVERIFY(csr.has_value());
            QVERIFY(test::writeFile(in + QStringLiteral("/wide%1.csr").arg(i), csr->toPem()));
        }
        const QString outDir = path(QStringLiteral("wide-out"));
        const Run r = est(QStringList{QStringLiteral("enroll")} + base(server) + bootstrapAuth() +
                          QStringList{QStringLiteral("--csr-dir"), in, QStringLiteral("--out-dir"), outDir,
                                      QStringLiteral("--jobs"), QStringLiteral("12")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("24 issued, 0 failed")), qPrintable(r.out));
        QCOMPARE(server.stop(), 0);
        const QString said = QString::fromUtf8(server.standardError());
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("over (\\d+) connection\\(s\\), (\\d+) TLS handshake")).match(said);
        QVERIFY2(m.hasMatch(), qPrintable(said));
        const int connections = m.captured(1).toInt();
        QVERIFY2(connections > 6 && connections <= 12, qPrintable(said));
        QCOMPARE(m.captured(2).toInt(), connections);
        for (int i = 0; i < 24; ++i)
            verifyIssued(outDir + QStringLiteral("/wide%1.pem").arg(i), {}, QStringLiteral("wide-%1").arg(i));
    }

    void errors_giveCauseRemedyAndExitStatus_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("says");
        QTest::newRow("unknown op") << QStringList{QStringLiteral("frobnicate")} << 2
                                    << QStringLiteral("Unknown EST operation");
        QTest::newRow("no url") << QStringList{QStringLiteral("cacerts")} << 2 << QStringLiteral("--url");
        QTest::newRow("http url") << QStringList{QStringLiteral("cacerts"), QStringLiteral("--url"),
                                                 QStringLiteral("http://127.0.0.1:1/x"), QStringLiteral("--trust"),
                                                 QStringLiteral("/dev/null")}
                                  << 1 << QStringLiteral("remedy:");
        QTest::newRow("generated key not saved") << QStringList{QStringLiteral("enroll"),
                                                                QStringLiteral("--url"),
                                                                QStringLiteral("https://127.0.0.1:1/.well-known/est"),
                                                                QStringLiteral("--trust"),
                                                                QStringLiteral("x.pem"),
                                                                QStringLiteral("--subject"),
                                                                QStringLiteral("CN=x"),
                                                                QStringLiteral("--out"),
                                                                QStringLiteral("x.pem")}
                                                 << 2 << QStringLiteral("--key-out");
        QTest::newRow("bad key type") << QStringList{QStringLiteral("enroll"),
                                                     QStringLiteral("--url"),
                                                     QStringLiteral("https://h/.well-known/est"),
                                                     QStringLiteral("--trust"),
                                                     QStringLiteral("x"),
                                                     QStringLiteral("--key-type"),
                                                     QStringLiteral("dsa"),
                                                     QStringLiteral("--subject"),
                                                     QStringLiteral("CN=x"),
                                                     QStringLiteral("--key-out"),
                                                     QStringLiteral("k"),
                                                     QStringLiteral("--out"),
                                                     QStringLiteral("c")}
                                      << 2 << QStringLiteral("p256");
        // A password in --proxy would be visible in `ps`; it comes from an environment variable instead.
        QTest::newRow("proxy url with password") << QStringList{QStringLiteral("cacerts"),
                                                                QStringLiteral("--url"),
                                                                QStringLiteral("https://h/.well-known/est"),
                                                                QStringLiteral("--trust"),
                                                                QStringLiteral("x"),
                                                                QStringLiteral("--proxy"),
                                                                QStringLiteral("http://op:s3cret@127.0.0.1:3128")}
                                                 << 2 << QStringLiteral("--proxy-password-env");
        QTest::newRow("proxy password env unset") << QStringList{QStringLiteral("cacerts"),
                                                                 QStringLiteral("--url"),
                                                                 QStringLiteral("https://h/.well-known/est"),
                                                                 QStringLiteral("--trust"),
                                                                 QStringLiteral("x"),
                                                                 QStringLiteral("--proxy"),
                                                                 QStringLiteral("http://op@127.0.0.1:3128"),
                                                                 QStringLiteral("--proxy-password-env"),
                                                                 QStringLiteral("PROVCTL_TEST_UNSET_PROXY_PW")}
                                                  << 2 << QStringLiteral("PROVCTL_TEST_UNSET_PROXY_PW");
        QTest::newRow("proxy password env without proxy") << QStringList{QStringLiteral("cacerts"),
                                                                         QStringLiteral("--url"),
                                                                         QStringLiteral("https://h/.well-known/est"),
                                                                         QStringLiteral("--trust"),
                                                                         QStringLiteral("x"),
                                                                         QStringLiteral("--proxy-password-env"),
                                                                         QStringLiteral("HOME")}
                                                          << 2 << QStringLiteral("--proxy");
    }
    void errors_giveCauseRemedyAndExitStatus()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, says);
        const Run r = est(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(says), qPrintable(r.err));
    }

    void systemProxy_isHonoured_andNoProxyBypassesIt()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("https_proxy"), QStringLiteral("http://127.0.0.1:%1").arg(test::freeTcpPort()));
        env.remove(QStringLiteral("no_proxy"));
        env.remove(QStringLiteral("NO_PROXY"));
        QStringList args = QStringList{QStringLiteral("cacerts")} + base(m_mtls);
        args.removeAll(QStringLiteral("--no-proxy"));
        const Run viaProxy = est(args, env);
        QCOMPARE(viaProxy.exitCode, 1);
        QVERIFY2(viaProxy.err.contains(QStringLiteral("proxy")), qPrintable(viaProxy.err));
        QVERIFY(viaProxy.err.contains(QStringLiteral("--no-proxy")));
        const Run direct = est(args + QStringList{QStringLiteral("--no-proxy")}, env);
        QVERIFY2(direct.exitCode == 0, qPrintable(direct.err));
    }

    void enroll_withBootstrapInsteadOfTrustFile_works()
    {
        auto ca = crypto::Certificate::fromPem(test::readFile(lab(QStringLiteral("ca.pem"))));
        const Run r =
            est(QStringList{QStringLiteral("enroll"), QStringLiteral("--url"), m_mtls.baseUrl().toString(),
                            QStringLiteral("--bootstrap-fingerprint"), ca->fingerprintSha256(),
                            QStringLiteral("--subject"), QStringLiteral("CN=boot-enroll"), QStringLiteral("--key-out"),
                            path(QStringLiteral("be.key")), QStringLiteral("--out"), path(QStringLiteral("be.pem"))} +
                bootstrapAuth());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        verifyIssued(path(QStringLiteral("be.pem")), path(QStringLiteral("be.key")), QStringLiteral("boot-enroll"));
    }

    void sigterm_whileWaitingFor202_stopsWith130()
    {
        LabServerProcess slow;
        QVERIFY2(slow.start({QStringLiteral("--retry-after"), QStringLiteral("60"), QStringLiteral("--quiet")},
                            m_mtls.labDir()),
                 qPrintable(slow.errorText()));
        QProcess p;
        p.setWorkingDirectory(m_work.path());
        p.start(test::provctlPath(), QStringList{QStringLiteral("est"), QStringLiteral("enroll")} + base(slow) +
                                         bootstrapAuth() +
                                         QStringList{QStringLiteral("--subject"), QStringLiteral("CN=patient"),
                                                     QStringLiteral("--key-out"), path(QStringLiteral("patient.key")),
                                                     QStringLiteral("--out"), path(QStringLiteral("patient.pem"))});
        QVERIFY(p.waitForStarted(10000));
        QByteArray err;
        QDeadlineTimer deadline(20000);
        while (!err.contains("202") && !deadline.hasExpired() && p.state() == QProcess::Running) {
            p.waitForReadyRead(100);
            err += p.readAllStandardError();
        }
        QVERIFY2(err.contains("202"), err.constData());
        p.terminate();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(!QFile::exists(path(QStringLiteral("patient.key"))));
    }

    void untrustedServer_and_refusedConnection_explainThemselves()
    {
        auto other = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        crypto::CertificateProfile p;
        p.subject.append(QStringLiteral("CN"), QStringLiteral("Unrelated CA"));
        p.isCa = true;
        auto cert = crypto::CertificateIssuer::selfSigned(p, *other);
        QVERIFY(test::writeFile(path(QStringLiteral("other.pem")), cert->toPem()));
        const Run r = est({QStringLiteral("cacerts"), QStringLiteral("--url"), m_mtls.baseUrl().toString(),
                           QStringLiteral("--trust"), path(QStringLiteral("other.pem"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("not trusted")), qPrintable(r.err));
        QVERIFY(r.err.contains(QStringLiteral("remedy: ")));

        const Run refused = est({QStringLiteral("cacerts"), QStringLiteral("--url"),
                                 QStringLiteral("https://127.0.0.1:%1/.well-known/est").arg(test::freeTcpPort()),
                                 QStringLiteral("--trust"), lab(QStringLiteral("ca.pem"))});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY(refused.err.contains(QStringLiteral("refused")));
    }
};

QTEST_GUILESS_MAIN(TestProvctlEst)
#include "tst_provctl_est.moc"
