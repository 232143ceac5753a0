// TrustBootstrap (RFC 7030 §4.1.1): fingerprints as people paste them, the description shown before
// confirming, and that only the confirmed certificate and what chains to it become trusted.
#include "TestPki.h"

#include "est/TrustBootstrap.h"

#include "crypto/CertificateIssuer.h"

#include <QTest>

using namespace station;
using station::est::TrustBootstrap;

class TestTrustBootstrap : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void normalizeFingerprint_acceptsCommonForms_data()
    {
        QTest::addColumn<QString>("input");
        const QString hex = QStringLiteral("f2f1d0d614f1c639069f70d1b41551a26d3bfc7770e8dad458824d325cdcf5e6");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain lower") << hex << hex;
        QTest::newRow("colons upper") << QStringLiteral(
                                             "F2:F1:D0:D6:14:F1:C6:39:06:9F:70:D1:B4:15:51:A2:6D:3B:FC:77:70:"
                                             "E8:DA:D4:58:82:4D:32:5C:DC:F5:E6")
                                      << hex;
        QTest::newRow("openssl output") << QStringLiteral(
                                               "sha256 Fingerprint=F2:F1:D0:D6:14:F1:C6:39:06:9F:70:D1:B4:15:51:"
                                               "A2:6D:3B:FC:77:70:E8:DA:D4:58:82:4D:32:5C:DC:F5:E6")
                                        << hex;
        QTest::newRow("sha256: prefix and spaces")
            << QStringLiteral("SHA256: f2f1 d0d6 14f1 c639 069f 70d1 b415 51a2 6d3b "
                              "fc77 70e8 dad4 5882 4d32 5cdc f5e6")
            << hex;
        QTest::newRow("too short") << QStringLiteral("f2f1d0") << QString();
        QTest::newRow("not hex") << QString(64, QLatin1Char('z')) << QString();
        QTest::newRow("sha1 length") << QString(40, QLatin1Char('a')) << QString();
    }
    void normalizeFingerprint_acceptsCommonForms()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(TrustBootstrap::normalizeFingerprint(input), expected);
    }

    void accept_confirmedRootWithIntermediate_acceptsBothRejectsStranger()
    {
        auto root = test::TestPki::create(QStringLiteral("Root"));
        QVERIFY(root.has_value());
        // An intermediate CA signed by the root.
        auto interKey = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        crypto::CertificateProfile p;
        p.subject.append(QStringLiteral("CN"), QStringLiteral("Issuing CA"));
        p.isCa = true;
        auto inter = crypto::CertificateIssuer::issue(p, *interKey, root->caCertificate(), root->caKey());
        QVERIFY(inter.has_value());
        auto stranger = test::TestPki::create(QStringLiteral("Stranger"));
        const QList<crypto::Certificate> fetched{*inter, stranger->caCertificate(), root->caCertificate()};

        auto decision = TrustBootstrap::accept(fetched, root->caCertificate().fingerprintSha256Colon());
        QVERIFY(decision.has_value());
        QCOMPARE(decision->accepted, (QList<crypto::Certificate>{root->caCertificate(), *inter}));
        QCOMPARE(decision->rejected, QList<crypto::Certificate>{stranger->caCertificate()});
    }

    void accept_unknownFingerprint_failsNamingWhatCame()
    {
        auto root = test::TestPki::create(QStringLiteral("Root"));
        auto result = TrustBootstrap::accept({root->caCertificate()}, QString(64, QLatin1Char('1')));
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, ErrorCode::Verification);
        QVERIFY(result.error().detail.contains(root->caCertificate().fingerprintSha256Colon()));
        QVERIFY(!result.error().remedy.isEmpty());
    }

    void accept_malformedFingerprint_isAnArgumentError()
    {
        auto root = test::TestPki::create(QStringLiteral("Root"));
        auto result = TrustBootstrap::accept({root->caCertificate()}, QStringLiteral("yes"));
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
    }

    void describe_showsSubjectValidityAndFingerprint()
    {
        auto root = test::TestPki::create(QStringLiteral("Shown CA"));
        const QString text = TrustBootstrap::describe({root->caCertificate()});
        QVERIFY(text.contains(QStringLiteral("CN=Shown CA")));
        QVERIFY(text.contains(root->caCertificate().fingerprintSha256Colon()));
        QVERIFY(text.contains(QStringLiteral("self-signed root")));
    }
};

QTEST_GUILESS_MAIN(TestTrustBootstrap)
#include "tst_trustbootstrap.moc"
