// Pkcs7: certs-only SignedData built and parsed (the EST /cacerts and enrollment answer), checked against
// `openssl crl2pkcs7` output, any order of certificates, sortLeafFirst, and bad input.
#include "CryptoFixtures.h"
#include "TestPki.h"

#include "crypto/Pkcs7.h"

#include <QSet>

#include <QTest>

using namespace station;
using namespace station::crypto;

class TstPkcs7 : public QObject
{
    Q_OBJECT

private:
    QList<Certificate> m_chain; // leaf, intermediate, root

private slots:
    void initTestCase()
    {
        auto chain = Certificate::listFromPem(test::cryptoFixture(QStringLiteral("chain.pem")));
        QVERIFY(chain);
        m_chain = *chain;
        QCOMPARE(m_chain.size(), 3);
    }

    void parseCertsOnly_opensslCrl2pkcs7_keepsOrder()
    {
        // make-fixtures.sh put root, leaf, intermediate (in that order) into the bundle.
        auto certs = Pkcs7::parseCertsOnly(test::cryptoFixture(QStringLiteral("scrambled.p7b")));
        QVERIFY2(certs, qPrintable(certs ? QString() : certs.error().toString()));
        QCOMPARE(certs->size(), 3);
        QCOMPARE(certs->at(0), m_chain[2]);
        QCOMPARE(certs->at(1), m_chain[0]);
        QCOMPARE(certs->at(2), m_chain[1]);
    }

    void buildCertsOnly_sameOrderAsOpenssl_isByteIdentical()
    {
        const QList<Certificate> scrambled{m_chain[2], m_chain[0], m_chain[1]};
        auto der = Pkcs7::buildCertsOnly(scrambled);
        QVERIFY(der);
        QCOMPARE(der->toHex(), test::cryptoFixture(QStringLiteral("scrambled.p7b")).toHex());
    }

    void buildCertsOnly_roundTrip_preservesAnyOrder_data()
    {
        QTest::addColumn<QList<int>>("order");
        QTest::newRow("leaf first") << QList<int>{0, 1, 2};
        QTest::newRow("root first") << QList<int>{2, 1, 0};
        QTest::newRow("mixed") << QList<int>{1, 2, 0};
        QTest::newRow("single") << QList<int>{2};
    }

    void buildCertsOnly_roundTrip_preservesAnyOrder()
    {
        QFETCH(QList<int>, order);
        QList<Certificate> input;
        for (const int i : order)
            input.append(m_chain[i]);
        auto der = Pkcs7::buildCertsOnly(input);
        QVERIFY(der);
        auto parsed = Pkcs7::parseCertsOnly(*der);
        QVERIFY(parsed);
        QCOMPARE(*parsed, input);
    }

    void sortLeafFirst_anyOrder_givesLeafIntermediateRoot_data()
    {
        QTest::addColumn<QList<int>>("order");
        QTest::newRow("already sorted") << QList<int>{0, 1, 2};
        QTest::newRow("reversed") << QList<int>{2, 1, 0};
        QTest::newRow("root leaf intermediate") << QList<int>{2, 0, 1};
        QTest::newRow("intermediate root leaf") << QList<int>{1, 2, 0};
    }

    void sortLeafFirst_anyOrder_givesLeafIntermediateRoot()
    {
        QFETCH(QList<int>, order);
        QList<Certificate> input;
        for (const int i : order)
            input.append(m_chain[i]);
        QCOMPARE(Pkcs7::sortLeafFirst(input), m_chain);
    }

    void sortLeafFirst_unrelatedCertificates_keepRelativeOrderAtEnd()
    {
        auto rsaRoot = Certificate::fromPem(test::cryptoFixture(QStringLiteral("root.pem")));
        QVERIFY(rsaRoot);
        // Only root and intermediate: the intermediate is the "leaf" of that list.
        const QList<Certificate> two{m_chain[2], m_chain[1]};
        QCOMPARE(Pkcs7::sortLeafFirst(two), (QList<Certificate>{m_chain[1], m_chain[2]}));
        // A single certificate, and an empty list, are returned unchanged.
        QCOMPARE(Pkcs7::sortLeafFirst({m_chain[0]}), QList<Certificate>{m_chain[0]});
        QVERIFY(Pkcs7::sortLeafFirst({}).isEmpty());
    }

    void sortLeafFirst_600SameNameCertificates_verifiesOnlyAlongOnePath()
    {
        // Every pair matches by name, none by signature: a pairwise sort verified 360,000 signatures.
        auto certs = test::TestPki::sameNameCertificates(600);
        QVERIFY2(certs, qPrintable(certs ? QString() : certs.error().toString()));
        int signatureChecks = 0;
        const QList<Certificate> sorted = Pkcs7::sortLeafFirst(*certs, &signatureChecks);
        QCOMPARE(sorted.size(), certs->size());
        QSet<QString> in, out;
        for (const Certificate &c : *certs)
            in.insert(c.fingerprintSha256());
        for (const Certificate &c : sorted)
            out.insert(c.fingerprintSha256());
        QCOMPARE(out, in);
        QVERIFY2(signatureChecks <= 16, qPrintable(QString::number(signatureChecks)));
    }

    void sortLeafFirst_chain_verifiesEachLinkOnce()
    {
        int signatureChecks = 0;
        QCOMPARE(Pkcs7::sortLeafFirst({m_chain[2], m_chain[0], m_chain[1]}, &signatureChecks), m_chain);
        QCOMPARE(signatureChecks, 2);
    }

    void parseCertsOnly_badInput_isParseError_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("expected");
        const QByteArray p7 = test::cryptoFixture(QStringLiteral("scrambled.p7b"));
        QTest::newRow("empty") << QByteArray() << "empty";
        QTest::newRow("garbage") << QByteArray("garbage") << "PKCS#7";
        QTest::newRow("truncated") << p7.left(p7.size() / 2) << "PKCS#7";
        QTest::newRow("trailing data") << p7 + QByteArray("\x00\x00", 2) << "trailing";
        QTest::newRow("a certificate") << test::cryptoFixture(QStringLiteral("leaf.der")) << "PKCS#7";
        // ContentInfo { id-data, [0] OCTET STRING "hi" }: a PKCS#7 of the wrong type.
        QTest::newRow("data content type")
            << QByteArray::fromHex("301106092a864886f70d010701a00404026869") << "not SignedData";
        // SignedData with no certificates: version 1, no digest algorithms, id-data, no signers.
        QTest::newRow("no certificates") << QByteArray::fromHex("302306092a864886f70d010702a0163014020101310030"
                                                                "0b06092a864886f70d0107013100")
                                         << "no certificates";
    }

    void parseCertsOnly_badInput_isParseError()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, expected);
        auto certs = Pkcs7::parseCertsOnly(data);
        QVERIFY(!certs);
        QCOMPARE(certs.error().code, ErrorCode::Parse);
        QVERIFY2(certs.error().message.contains(expected), qPrintable(certs.error().message));
    }

    void buildCertsOnly_nullCertificate_isInvalidArgument()
    {
        auto der = Pkcs7::buildCertsOnly({m_chain[0], Certificate()});
        QVERIFY(!der);
        QCOMPARE(der.error().code, ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TstPkcs7)
#include "tst_pkcs7.moc"
