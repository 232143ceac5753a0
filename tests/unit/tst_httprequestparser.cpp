// The lab EST server's HTTP/1.1 request parser: framing, limits, pipelining and rejection of bad input.
#include "est/HttpRequestParser.h"

#include <QTest>

using station::est::HttpRequest;
using station::est::HttpRequestParser;
using State = HttpRequestParser::State;

Q_DECLARE_METATYPE(HttpRequestParser::State)

class TestHttpRequestParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_wellFormed_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("keepAlive");

        QTest::newRow("get") << QByteArray("GET /.well-known/est/cacerts HTTP/1.1\r\nHost: a\r\n\r\n")
                             << QByteArray("GET") << QByteArray("/.well-known/est/cacerts") << QByteArray() << true;
        QTest::newRow("query stripped from path") << QByteArray("GET /x?y=1 HTTP/1.1\r\n\r\n") << QByteArray("GET")
                                                  << QByteArray("/x") << QByteArray() << true;
        QTest::newRow("content-length body")
            << QByteArray("POST /e HTTP/1.1\r\nContent-Length: 5\r\nContent-Type: application/pkcs10\r\n\r\nMIIBx")
            << QByteArray("POST") << QByteArray("/e") << QByteArray("MIIBx") << true;
        QTest::newRow("chunked body with extension and trailer")
            << QByteArray(
                   "POST /e HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: v\r\n\r\n")
            << QByteArray("POST") << QByteArray("/e") << QByteArray("abcde") << true;
        QTest::newRow("bare LF line ends") << QByteArray("GET /lf HTTP/1.1\nHost: a\n\n") << QByteArray("GET")
                                           << QByteArray("/lf") << QByteArray() << true;
        QTest::newRow("connection close") << QByteArray("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
                                          << QByteArray("GET") << QByteArray("/") << QByteArray() << false;
        QTest::newRow("http/1.0 closes") << QByteArray("GET / HTTP/1.0\r\n\r\n") << QByteArray("GET") << QByteArray("/")
                                         << QByteArray() << false;
        QTest::newRow("http/1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
                                             << QByteArray("GET") << QByteArray("/") << QByteArray() << true;
        QTest::newRow("leading empty lines") << QByteArray("\r\n\r\nGET /a HTTP/1.1\r\n\r\n") << QByteArray("GET")
                                             << QByteArray("/a") << QByteArray() << true;
    }

    void parse_wellFormed()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(bool, keepAlive);

        // Whole, and byte by byte: the outcome must not depend on how TCP splits the stream.
        for (int split = 0; split < 2; ++split) {
            HttpRequestParser parser;
            State state = State::NeedMore;
            if (split == 0) {
                state = parser.feed(raw);
            } else {
                for (qsizetype i = 0; i < raw.size(); ++i)
                    state = parser.feed(QByteArrayView(raw).sliced(i, 1));
            }
            QCOMPARE(state, State::Complete);
            const HttpRequest request = parser.takeRequest();
            QCOMPARE(request.method, method);
            QCOMPARE(request.path, path);
            QCOMPARE(request.body, body);
            QCOMPARE(request.keepAlive(), keepAlive);
        }
    }

    void parse_malformed_isRejectedWithStatus_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("status");

        QTest::newRow("garbage request line") << QByteArray("HELLO\r\n\r\n") << 400;
        QTest::newRow("tls hello on plain port") << QByteArray("\x16\x03\x01\x02\x00\x01\r\n\r\n", 10) << 400;
        QTest::newRow("http/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505;
        QTest::newRow("relative target") << QByteArray("GET est HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nBroken\r\n\r\n") << 400;
        QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : a\r\n\r\n") << 400;
        QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") << 400;
        QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
        QTest::newRow("non-numeric length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n") << 400;
        QTest::newRow("conflicting lengths")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") << 400;
        QTest::newRow("length and chunked")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n") << 400;
        QTest::newRow("unknown transfer coding")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") << 501;
        QTest::newRow("huge length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n")
                                     << 413;
        QTest::newRow("length past qsizetype")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 9223372036854775808\r\n\r\n") << 413;
        QTest::newRow("chunk size past qsizetype")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n") << 413;
        QTest::newRow("chunk size overflowing the body size")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n7fffffffffffffff\r\n") << 413;
        QTest::newRow("chunk size one past the body limit")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n100000\r\n") << 413;
        QTest::newRow("body over limit") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n") << 413;
        QTest::newRow("bad chunk size") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
                                        << 400;
        QTest::newRow("chunk without CRLF")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY") << 400;
        QTest::newRow("control char in header value") << QByteArray("GET / HTTP/1.1\r\nA: b\x01\r\n\r\n") << 400;
        QTest::newRow("header block too large")
            << (QByteArray("GET / HTTP/1.1\r\nA: ") + QByteArray(20000, 'a')) << 431;
    }

    void parse_malformed_isRejectedWithStatus()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, status);
        HttpRequestParser parser;
        QCOMPARE(parser.feed(raw), State::Error);
        QCOMPARE(parser.errorStatus(), status);
        QVERIFY(!parser.errorMessage().isEmpty());
        // Once in error, the parser stays there.
        QCOMPARE(parser.feed("GET / HTTP/1.1\r\n\r\n"), State::Error);
    }

    void parse_chunkedBodyAtTheLimit_isAccepted()
    {
        // 0xfffff + 1 = exactly 1 MiB: the bound is inclusive.
        QByteArray raw = "POST /e HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\nfffff\r\n";
        raw += QByteArray(0xfffff, 'b') + "\r\n0\r\n\r\n";
        HttpRequestParser parser;
        QCOMPARE(parser.feed(raw), State::Complete);
        QCOMPARE(parser.takeRequest().body.size(), qsizetype(1024 * 1024));
    }

    void parse_leadingZerosInLength_areAccepted()
    {
        HttpRequestParser parser;
        QCOMPARE(parser.feed("POST / HTTP/1.1\r\nContent-Length: 000000000000000000000003\r\n\r\nabc"),
                 State::Complete);
        QCOMPARE(parser.takeRequest().body, QByteArray("abc"));
    }

    void parse_hugeChunkStreamed_isRejectedBeforeTheLimitIsPassed()
    {
        // The overflowing chunk size used to wrap the "body + chunk > limit" check and let the client stream
        // without bound; now it is refused and the parser never holds more than its limit meanwhile.
        HttpRequestParser parser;
        QCOMPARE(parser.feed("POST /e HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n"), State::NeedMore);
        State state = parser.feed("7fffffffffffffff\r\n");
        const QByteArray piece(64 * 1024, 'x');
        for (int i = 0; i < 32 && state == State::NeedMore; ++i) {
            state = parser.feed(piece);
            QVERIFY(parser.heldBytes() <= parser.maxHeldBytes());
        }
        QCOMPARE(state, State::Error);
        QCOMPARE(parser.errorStatus(), 413);
    }

    void parse_endlessTrailers_431()
    {
        HttpRequestParser parser;
        State state = parser.feed("POST /e HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n");
        for (int i = 0; i < 10000 && state == State::NeedMore; ++i)
            state = parser.feed("X-Trailer: some value\r\n");
        QCOMPARE(state, State::Error);
        QCOMPARE(parser.errorStatus(), 431);
    }

    void heldBytes_whileIncomplete_staysWithinTheLimit_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QByteArray>("filler");
        QTest::newRow("header block") << QByteArray("GET / HTTP/1.1\r\nA: ") << QByteArray("a");
        QTest::newRow("content-length body")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1048576\r\n\r\n") << QByteArray("b");
        QTest::newRow("chunked body") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                                      << QByteArray("400\r\n" + QByteArray(1024, 'c') + "\r\n");
        QTest::newRow("chunk size line") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                                         << QByteArray("0");
        QTest::newRow("blank lines before a request") << QByteArray() << QByteArray("\r\n");
    }

    void heldBytes_whileIncomplete_staysWithinTheLimit()
    {
        QFETCH(QByteArray, head);
        QFETCH(QByteArray, filler);
        HttpRequestParser parser;
        State state = parser.feed(head);
        qsizetype fed = head.size();
        const QByteArray piece = filler.repeated(qMax<qsizetype>(1, 4096 / filler.size()));
        while (state == State::NeedMore && fed < 3 * 1024 * 1024) {
            state = parser.feed(piece);
            fed += piece.size();
            if (state == State::NeedMore)
                QVERIFY2(parser.heldBytes() <= parser.maxHeldBytes(), qPrintable(QString::number(parser.heldBytes())));
        }
        QVERIFY(parser.maxHeldBytes() <= 16 * 1024 + 1024 * 1024 + 4096);
    }

    void parse_tooManyHeaders_431()
    {
        QByteArray raw = "GET / HTTP/1.1\r\n";
        for (int i = 0; i < 150; ++i)
            raw += "X-" + QByteArray::number(i) + ": v\r\n";
        raw += "\r\n";
        HttpRequestParser parser;
        QCOMPARE(parser.feed(raw), State::Error);
        QCOMPARE(parser.errorStatus(), 431);
    }

    void parse_pipelinedRequests_areHandedOutInOrder()
    {
        HttpRequestParser parser;
        QCOMPARE(
            parser.feed("GET /1 HTTP/1.1\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\n"),
            State::Complete);
        QCOMPARE(parser.takeRequest().path, QByteArray("/1"));
        QCOMPARE(parser.parse(), State::Complete);
        const HttpRequest second = parser.takeRequest();
        QCOMPARE(second.path, QByteArray("/2"));
        QCOMPARE(second.body, QByteArray("abc"));
        QCOMPARE(parser.parse(), State::NeedMore);
        QCOMPARE(parser.feed("\r\n"), State::Complete);
        QCOMPARE(parser.takeRequest().path, QByteArray("/3"));
    }

    void parse_expectContinue_isSignalledOnceBeforeTheBody()
    {
        HttpRequestParser parser;
        QCOMPARE(parser.feed("POST /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"), State::NeedMore);
        QVERIFY(parser.wantsContinue());
        parser.acknowledgeContinue();
        QVERIFY(!parser.wantsContinue());
        QCOMPARE(parser.feed("body"), State::Complete);
        QCOMPARE(parser.takeRequest().body, QByteArray("body"));
    }

    void header_lookup_isCaseInsensitive()
    {
        HttpRequestParser parser;
        QCOMPARE(parser.feed("GET / HTTP/1.1\r\ncontent-TYPE: application/pkcs10; charset=x\r\n\r\n"), State::Complete);
        const HttpRequest request = parser.takeRequest();
        QCOMPARE(station::est::mediaType(request.header("Content-Type")), QByteArray("application/pkcs10"));
        QVERIFY(request.header("Missing").isNull());
    }
};

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
