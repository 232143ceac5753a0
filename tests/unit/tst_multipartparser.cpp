// MultipartParser: the serverkeygen multipart/mixed bodies real servers send (Lamassu's CRLF form, LF-only,
// preamble/epilogue, quoted boundaries) and the damaged ones that must be rejected (truncation).
#include "est/MultipartParser.h"

#include <QTest>

using station::est::MimePart;
using station::est::MultipartParser;

class TestMultipartParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void boundary_fromContentType_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("boundary");
        QTest::newRow("lamassu") << QByteArray("multipart/mixed; boundary=estServerLamassuBoundary")
                                 << QByteArray("estServerLamassuBoundary");
        QTest::newRow("quoted") << QByteArray("multipart/mixed; boundary=\"a b;c\"") << QByteArray("a b;c");
        QTest::newRow("case and spacing")
            << QByteArray("Multipart/Mixed;Boundary=xyz ; charset=x") << QByteArray("xyz");
        QTest::newRow("other params first") << QByteArray("multipart/mixed; foo=bar; boundary=q1") << QByteArray("q1");
    }
    void boundary_fromContentType()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, boundary);
        auto b = MultipartParser::boundaryFromContentType(contentType);
        QVERIFY2(b.has_value(), qPrintable(b ? QString() : b.error().message));
        QCOMPARE(*b, boundary);
    }

    void boundary_notMultipartOrMissing_fails_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::newRow("pkcs7") << QByteArray("application/pkcs7-mime; smime-type=certs-only");
        QTest::newRow("no boundary") << QByteArray("multipart/mixed");
        QTest::newRow("empty") << QByteArray();
    }
    void boundary_notMultipartOrMissing_fails()
    {
        QFETCH(QByteArray, contentType);
        QVERIFY(!MultipartParser::boundaryFromContentType(contentType).has_value());
    }

    void parse_wellFormedBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("boundary");
        QTest::addColumn<QByteArray>("firstType");
        QTest::addColumn<QByteArray>("firstBody");
        QTest::addColumn<QByteArray>("secondBody");

        QTest::newRow("lamassu crlf")
            << QByteArray("--estServerLamassuBoundary\r\nContent-Type: application/pkcs8\r\n"
                          "Content-Transfer-Encoding: base64\r\n\r\nS0VZ\r\n--estServerLamassuBoundary\r\n"
                          "Content-Type: application/pkcs7-mime; smime-type=certs-only\r\n"
                          "Content-Transfer-Encoding: base64\r\n\r\nQ0VSVA==\r\n--estServerLamassuBoundary--\r\n")
            << QByteArray("estServerLamassuBoundary") << QByteArray("application/pkcs8") << QByteArray("S0VZ")
            << QByteArray("Q0VSVA==");
        QTest::newRow("lf only, preamble, epilogue")
            << QByteArray("This is a preamble\n--b\nContent-Type: application/pkcs8\n\nA\nB\n--b\n"
                          "Content-Type: application/pkcs7-mime\n\nC\n--b--\nepilogue")
            << QByteArray("b") << QByteArray("application/pkcs8") << QByteArray("A\nB") << QByteArray("C");
        QTest::newRow("folded header and padding")
            << QByteArray("--b  \r\nContent-Type: application/pkcs8;\r\n  name=key\r\n\r\nK\r\n--b\r\n\r\nC\r\n--b--")
            << QByteArray("b") << QByteArray("application/pkcs8") << QByteArray("K") << QByteArray("C");
        QTest::newRow("boundary text inside content is not a delimiter")
            << QByteArray("--b\r\nContent-Type: text/plain\r\n\r\nx--b y\r\n--b\r\n\r\nC\r\n--b--") << QByteArray("b")
            << QByteArray("text/plain") << QByteArray("x--b y") << QByteArray("C");
        QTest::newRow("empty part body")
            << QByteArray("--b\r\nContent-Type: application/pkcs8\r\n\r\n\r\n--b\r\n\r\nC\r\n--b--") << QByteArray("b")
            << QByteArray("application/pkcs8") << QByteArray() << QByteArray("C");
    }
    void parse_wellFormedBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, boundary);
        QFETCH(QByteArray, firstType);
        QFETCH(QByteArray, firstBody);
        QFETCH(QByteArray, secondBody);
        auto parts = MultipartParser::parse(body, boundary);
        QVERIFY2(parts.has_value(), qPrintable(parts ? QString() : parts.error().message));
        QCOMPARE(parts->size(), 2);
        QCOMPARE(parts->at(0).mediaType(), firstType);
        QCOMPARE(parts->at(0).body, firstBody);
        QCOMPARE(parts->at(1).body, secondBody);
    }

    void parse_headersAreCaseInsensitive()
    {
        auto parts = MultipartParser::parse("--b\r\ncontent-TYPE: Application/PKCS8\r\nX: 1\r\n\r\nK\r\n--b--", "b");
        QVERIFY(parts.has_value());
        QCOMPARE(parts->at(0).header("Content-Type"), QByteArray("Application/PKCS8"));
        QCOMPARE(parts->at(0).mediaType(), QByteArray("application/pkcs8"));
        QCOMPARE(parts->at(0).header("x"), QByteArray("1"));
    }

    void parse_damagedBodies_fail_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("no closing delimiter")
            << QByteArray("--b\r\nContent-Type: application/pkcs8\r\n\r\nK\r\n--b\r\n\r\nC\r\n");
        QTest::newRow("cut inside second part")
            << QByteArray("--b\r\nContent-Type: application/pkcs8\r\n\r\nK\r\n--b\r\n\r\nCE");
        QTest::newRow("cut inside headers") << QByteArray("--b\r\nContent-Type: appl");
        QTest::newRow("cut after delimiter") << QByteArray("--b");
        QTest::newRow("no boundary at all") << QByteArray("just some text");
        QTest::newRow("only close delimiter") << QByteArray("--b--\r\n");
        QTest::newRow("garbage after delimiter") << QByteArray("--bX\r\n\r\nK\r\n--b--");
        QTest::newRow("malformed header") << QByteArray("--b\r\nno colon here\r\n\r\nK\r\n--b--");
        QTest::newRow("empty") << QByteArray();
    }
    void parse_damagedBodies_fail()
    {
        QFETCH(QByteArray, body);
        auto parts = MultipartParser::parse(body, "b");
        QVERIFY(!parts.has_value());
        QCOMPARE(parts.error().code, station::ErrorCode::Parse);
    }

    void parse_amplifyingBodies_areRejected_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("reason");
        QTest::newRow("thousands of empty parts") << (QByteArray("--b\n\n").repeated(5000) + "--b--") << "parts";
        QTest::newRow("thousands of header lines")
            << ("--b\n" + QByteArray("a:b\n").repeated(200) + "\nK\n--b--") << "header lines";
        QTest::newRow("a header block past the limit")
            << ("--b\nX: " + QByteArray(20000, 'v') + "\n\nK\n--b--") << "header block";
    }
    void parse_amplifyingBodies_areRejected()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, reason);
        auto parts = MultipartParser::parse(body, "b");
        QVERIFY(!parts.has_value());
        QCOMPARE(parts.error().code, station::ErrorCode::Parse);
        QVERIFY2(parts.error().message.contains(reason), qPrintable(parts.error().message));
    }

    void parse_atTheLimits_isAccepted()
    {
        QByteArray body;
        for (int i = 0; i < 32; ++i)
            body += "--b\r\n" + QByteArray("H: v\r\n").repeated(64) + "\r\npart\r\n";
        body += "--b--\r\n";
        auto parts = MultipartParser::parse(body, "b");
        QVERIFY2(parts.has_value(), qPrintable(parts ? QString() : parts.error().message));
        QCOMPARE(parts->size(), 32);
        QCOMPARE(parts->last().headers.size(), 64);
    }

    void guessBoundary_fromFirstLine()
    {
        auto b = MultipartParser::guessBoundary("\r\n--estServerLamassuBoundary\r\nContent-Type: x\r\n");
        QVERIFY(b.has_value());
        QCOMPARE(*b, QByteArray("estServerLamassuBoundary"));
        QVERIFY(!MultipartParser::guessBoundary("MIIB...").has_value());
    }

    void wipe_clearsBody()
    {
        MimePart p;
        p.body = "secret";
        p.wipe();
        QVERIFY(p.body.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMultipartParser)
#include "tst_multipartparser.moc"
