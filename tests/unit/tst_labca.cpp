// The lab CA behind provctl lab-server: what it creates on first start, what it reuses, when it re-issues
// its TLS certificate, and what it puts in unit certificates.
#include "est/LabCa.h"

#include "crypto/CertificateIssuer.h"
#include "crypto/CertificateRequest.h"
#include "crypto/ChainVerifier.h"
#include "crypto/PrivateKey.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using namespace station::crypto;
using station::est::LabCa;

class TestLabCa : public QObject
{
    Q_OBJECT

    static LabCa::Options optionsFor(const QString &dir)
    {
        LabCa::Options o;
        o.directory = dir;
        o.issuedValidityDays = 30;
        return o;
    }

    static CertificateRequest csrFor(const PrivateKey &key, const QString &subject, const QStringList &sans = {})
    {
        CsrSpec spec;
        spec.subject = *DistinguishedName::parse(subject);
        for (const QString &s : sans)
            spec.subjectAltNames.append(*SubjectAltName::parse(s));
        return *CertificateRequest::create(spec, key);
    }

private Q_SLOTS:
    void openOrCreate_firstStart_writesCaServerAndBootstrapFiles()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("lab/nested"));
        auto ca = LabCa::openOrCreate(optionsFor(dir));
        QVERIFY2(ca.has_value(), ca ? "" : qPrintable(ca.error().toString()));
        for (const char *name : {LabCa::kCaCert, LabCa::kCaKey, LabCa::kServerCert, LabCa::kServerKey,
                                 LabCa::kBootstrapCert, LabCa::kBootstrapKey})
            QVERIFY2(QFile::exists(ca->path(name)), name);
        for (const char *key : {LabCa::kCaKey, LabCa::kServerKey, LabCa::kBootstrapKey}) {
            const auto perms = QFile::permissions(ca->path(key));
            QCOMPARE(perms & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteOther),
                     QFileDevice::Permissions());
        }
        QVERIFY(ca->caCertificate().isCa());
        QVERIFY(ca->caCertificate().isSelfSigned());
        QVERIFY(ca->serverCertificate().isSignedBy(ca->caCertificate()));
        QVERIFY(ca->serverCertificate().extendedKeyUsages().contains(QStringLiteral("1.3.6.1.5.5.7.3.1")));
        QVERIFY(ca->bootstrapCertificate().extendedKeyUsages().contains(QStringLiteral("1.3.6.1.5.5.7.3.2")));
        QVERIFY(ca->verifyClient({ca->bootstrapCertificate()}).has_value());

        QStringList names;
        for (const SubjectAltName &san : ca->serverCertificate().subjectAltNames())
            names.append(san.toString());
        QVERIFY2(names.contains(QStringLiteral("IP:127.0.0.1")), qPrintable(names.join(QLatin1Char(','))));
        QVERIFY(names.contains(QStringLiteral("DNS:localhost")));
    }

    void openOrCreate_secondStart_reusesCa_andReissuesServerCertForNewName()
    {
        QTemporaryDir tmp;
        auto first = LabCa::openOrCreate(optionsFor(tmp.path()));
        QVERIFY(first.has_value());
        auto second = LabCa::openOrCreate(optionsFor(tmp.path()));
        QVERIFY(second.has_value());
        QCOMPARE(second->caCertificate(), first->caCertificate());
        QCOMPARE(second->serverCertificate(), first->serverCertificate());
        QCOMPARE(second->bootstrapCertificate(), first->bootstrapCertificate());

        LabCa::Options withName = optionsFor(tmp.path());
        withName.serverNames = {QStringLiteral("est.line-3.factory.example")};
        auto third = LabCa::openOrCreate(withName);
        QVERIFY(third.has_value());
        QCOMPARE(third->caCertificate(), first->caCertificate());
        QVERIFY(!(third->serverCertificate() == first->serverCertificate()));
        bool found = false;
        for (const SubjectAltName &san : third->serverCertificate().subjectAltNames())
            found = found || san.value == QLatin1String("est.line-3.factory.example");
        QVERIFY(found);
    }

    void openOrCreate_keyNotMatchingCert_failsWithRemedy()
    {
        QTemporaryDir tmp;
        auto ca = LabCa::openOrCreate(optionsFor(tmp.path()));
        QVERIFY(ca.has_value());
        QFile::remove(ca->path(LabCa::kCaKey));
        QVERIFY(QFile::copy(ca->path(LabCa::kServerKey), ca->path(LabCa::kCaKey)));
        auto broken = LabCa::openOrCreate(optionsFor(tmp.path()));
        QVERIFY(!broken.has_value());
        QVERIFY(!broken.error().remedy.isEmpty());
    }

    void issue_copiesSubjectAndSans_andMarksClientAuth()
    {
        QTemporaryDir tmp;
        auto ca = LabCa::openOrCreate(optionsFor(tmp.path()));
        QVERIFY(ca.has_value());
        const PrivateKey key = *PrivateKey::generate(KeyType::EcP256);
        const CertificateRequest csr =
            csrFor(key, QStringLiteral("/CN=unit-42/O=Acme"),
                   {QStringLiteral("DNS:unit-42.local"), QStringLiteral("URI:urn:dev:sn:42")});
        auto cert = ca->issue(csr);
        QVERIFY(cert.has_value());
        QCOMPARE(cert->subject().commonName(), QStringLiteral("unit-42"));
        QCOMPARE(cert->subject().value(QStringLiteral("O")), QStringLiteral("Acme"));
        QCOMPARE(cert->subjectAltNames().size(), 2);
        QVERIFY(cert->matchesKey(key));
        QVERIFY(!cert->isCa());
        QVERIFY(cert->extendedKeyUsages().contains(QStringLiteral("1.3.6.1.5.5.7.3.2")));
        const qint64 days = cert->notBefore().daysTo(cert->notAfter());
        QVERIFY2(days >= 29 && days <= 31, qPrintable(QString::number(days)));
        QVERIFY(ChainVerifier({ca->caCertificate()}).verify(*cert).has_value());
    }

    void issue_withServerKey_usesThatKeyNotTheCsrs()
    {
        QTemporaryDir tmp;
        auto ca = LabCa::openOrCreate(optionsFor(tmp.path()));
        QVERIFY(ca.has_value());
        const PrivateKey csrKey = *PrivateKey::generate(KeyType::EcP256);
        const PrivateKey serverKey = *PrivateKey::generate(KeyType::EcP384);
        auto cert = ca->issue(csrFor(csrKey, QStringLiteral("/CN=unit-skg")), &serverKey);
        QVERIFY(cert.has_value());
        QVERIFY(cert->matchesKey(serverKey));
        QVERIFY(!cert->matchesKey(csrKey));
    }

    void verifyClient_certificateFromAnotherCa_isRejected()
    {
        QTemporaryDir tmp;
        auto ca = LabCa::openOrCreate(optionsFor(tmp.path()));
        QVERIFY(ca.has_value());
        const PrivateKey key = *PrivateKey::generate(KeyType::EcP256);
        CertificateProfile profile;
        profile.subject = *DistinguishedName::parse(QStringLiteral("/CN=intruder"));
        auto foreign = CertificateIssuer::selfSigned(profile, key);
        QVERIFY(foreign.has_value());
        auto verdict = ca->verifyClient({*foreign});
        QVERIFY(!verdict.has_value());
        QCOMPARE(verdict.error().code, ErrorCode::Authentication);
        QVERIFY(!ca->verifyClient({}).has_value());
    }
};

QTEST_GUILESS_MAIN(TestLabCa)
#include "tst_labca.moc"
