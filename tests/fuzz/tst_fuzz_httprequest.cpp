// Fuzz smoke run of the HTTP request parser.
#include "FuzzDriver.h"

#include <QByteArray>

#include <QTest>

int fuzzHttpRequest(const uint8_t *data, size_t size);

class TestFuzzHttpRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void smoke_mutatedRequests_neverCrash()
    {
        const QList<QByteArray> seeds = {
            "GET /.well-known/est/cacerts HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: x\r\nContent-Type: application/pkcs10\r\n"
            "Content-Length: 8\r\n\r\nMIIBAAAA",
            "POST /e HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nMIIB\r\n0\r\n\r\n",
            "GET / HTTP/1.0\n\nGET /a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nab",
            // Size fields at and past every bound: overflowing chunk sizes streaming past the body limit,
            // huge Content-Length, endless trailers.
            "POST /e HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n7fffffffffffffff\r\n" +
                QByteArray(16 * 1024, 'x'),
            "POST /e HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n" + QByteArray(8 * 1024, 'y'),
            "POST /e HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n" + QByteArray(8 * 1024, 'z'),
            "POST /e HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + QByteArray("T: v\r\n").repeated(2000),
        };
        station::fuzz::SmokeOptions options;
        options.corpus = QStringLiteral("httprequest");
        const qint64 executed = station::fuzz::runSmoke(fuzzHttpRequest, seeds, options);
        QVERIFY(executed > 1000);
    }
};

QTEST_GUILESS_MAIN(TestFuzzHttpRequest)
#include "tst_fuzz_httprequest.moc"
