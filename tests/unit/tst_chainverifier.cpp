// ChainVerifier: path validation of the openssl-made chain against trust anchors, with intermediates,
// at chosen times, with required purposes; each failure is a Verification error naming the cause.
#include "CryptoFixtures.h"
#include "crypto/CertificateIssuer.h"
#include "crypto/ChainVerifier.h"

#include <QTest>

using namespace station;
using namespace station::crypto;

class TstChainVerifier : public QObject
{
    Q_OBJECT

private:
    Certificate m_leaf, m_intermediate, m_root;
    QDateTime m_inValidity;

private slots:
    void initTestCase()
    {
        auto chain = Certificate::listFromPem(test::cryptoFixture(QStringLiteral("chain.pem")));
        QVERIFY(chain && chain->size() == 3);
        m_leaf = chain->at(0);
        m_intermediate = chain->at(1);
        m_root = chain->at(2);
        m_inValidity = m_leaf.notBefore().addDays(1);
    }

    void verify_rootAnchorAndIntermediate_returnsFullChain()
    {
        ChainVerifier verifier({m_root}, {m_intermediate});
        verifier.setVerificationTime(m_inValidity);
        auto chain = verifier.verify(m_leaf);
        QVERIFY2(chain, qPrintable(chain ? QString() : chain.error().toString()));
        QCOMPARE(*chain, (QList<Certificate>{m_leaf, m_intermediate, m_root}));
        // Intermediates may also come with the call (as EST enrollment answers carry them).
        ChainVerifier bare({m_root});
        bare.setVerificationTime(m_inValidity);
        QVERIFY(bare.verify(m_leaf, {m_intermediate}));
        QCOMPARE(bare.trustAnchors().size(), 1);
    }

    void verify_failures_areVerificationErrorsNamingTheCause_data()
    {
        QTest::addColumn<int>("scenario");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing intermediate") << 0 << "unable to get local issuer certificate";
        QTest::newRow("expired") << 1 << "certificate has expired";
        QTest::newRow("not yet valid") << 2 << "certificate is not yet valid";
        QTest::newRow("intermediate as anchor (no partial chains)") << 3 << "unable to get issuer certificate";
        QTest::newRow("wrong anchor") << 4 << "unable to get local issuer certificate";
        QTest::newRow("serverAuth purpose on a clientAuth leaf") << 5 << "certificate purpose";
        QTest::newRow("custom EKU missing") << 6 << "not allowed for";
        QTest::newRow("no anchors") << 7 << "No trust anchors";
    }

    void verify_failures_areVerificationErrorsNamingTheCause()
    {
        QFETCH(int, scenario);
        QFETCH(QString, expected);
        QList<Certificate> anchors{m_root};
        QList<Certificate> intermediates{m_intermediate};
        QDateTime when = m_inValidity;
        QString purpose;
        switch (scenario) {
        case 0: intermediates.clear(); break;
        case 1: when = m_leaf.notAfter().addDays(1); break;
        case 2: when = m_leaf.notBefore().addDays(-1); break;
        case 3: anchors = {m_intermediate}; break;
        case 4: {
            auto key = PrivateKey::generate(KeyType::EcP256);
            CertificateProfile profile;
            profile.subject = *DistinguishedName::parse(QStringLiteral("CN=Other Root"));
            profile.isCa = true;
            anchors = {*CertificateIssuer::selfSigned(profile, *key)};
            intermediates.clear();
            break;
        }
        case 5: purpose = QStringLiteral("serverAuth"); break;
        case 6: purpose = QStringLiteral("1.3.6.1.5.5.7.3.4"); break; // emailProtection
        case 7: anchors.clear(); break;
        default: break;
        }
        ChainVerifier verifier(anchors, intermediates);
        verifier.setVerificationTime(when);
        if (!purpose.isEmpty())
            verifier.setRequiredPurpose(purpose);
        auto chain = verifier.verify(m_leaf);
        QVERIFY(!chain);
        QCOMPARE(chain.error().code, ErrorCode::Verification);
        QVERIFY2(chain.error().message.contains(expected, Qt::CaseInsensitive), qPrintable(chain.error().message));
        QVERIFY(!chain.error().remedy.isEmpty());
    }

    void verify_clientAuthPurpose_passes()
    {
        ChainVerifier verifier({m_root}, {m_intermediate});
        verifier.setVerificationTime(m_inValidity);
        verifier.setRequiredPurpose(QStringLiteral("clientAuth"));
        QVERIFY(verifier.verify(m_leaf));
        verifier.setRequiredPurpose(QStringLiteral("1.3.6.1.5.5.7.3.2"));
        QVERIFY(verifier.verify(m_leaf));
    }

    void verify_selfSignedAnchorItself_verifies()
    {
        ChainVerifier verifier({m_root});
        verifier.setVerificationTime(m_inValidity);
        auto chain = verifier.verify(m_root);
        QVERIFY(chain);
        QCOMPARE(chain->size(), 1);
    }

    void verify_tamperedLeaf_isSignatureFailure()
    {
        QByteArray der = m_leaf.toDer();
        const qsizetype at = der.indexOf("device-001");
        der[at] = 'X';
        auto tampered = Certificate::fromDer(der);
        QVERIFY(tampered);
        ChainVerifier verifier({m_root}, {m_intermediate});
        verifier.setVerificationTime(m_inValidity);
        auto chain = verifier.verify(*tampered);
        QVERIFY(!chain);
        QCOMPARE(chain.error().code, ErrorCode::Verification);
        QVERIFY2(chain.error().message.contains(QStringLiteral("signature failure")),
                 qPrintable(chain.error().message));
    }

    void verify_nullLeaf_isInvalidArgument()
    {
        auto chain = ChainVerifier({m_root}).verify(Certificate());
        QVERIFY(!chain);
        QCOMPARE(chain.error().code, ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TstChainVerifier)
#include "tst_chainverifier.moc"
