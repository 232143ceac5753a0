// Encoding: lenient decoding of server bodies (DER, base64 with any line breaks, PEM), strict base64,
// PEM parsing, DER object detection, base64url and SHA-256 known answers.
#include "CryptoFixtures.h"
#include "crypto/Encoding.h"

#include <QTest>

using namespace station;
using namespace station::crypto;

class TstEncoding : public QObject
{
    Q_OBJECT

private:
    QByteArray m_der; // a certificate's DER from the openssl fixtures

private slots:
    void initTestCase()
    {
        m_der = test::cryptoFixture(QStringLiteral("leaf.der"));
        QVERIFY(!m_der.isEmpty());
    }

    void decodeLenient_acceptedForms_decodeToSameDer_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("form");
        const QByteArray b64 = m_der.toBase64();
        QByteArray lf76, crlf64, ragged;
        for (qsizetype i = 0; i < b64.size(); i += 76)
            lf76 += b64.mid(i, 76) + "\n";
        for (qsizetype i = 0; i < b64.size(); i += 64)
            crlf64 += b64.mid(i, 64) + "\r\n";
        for (qsizetype i = 0; i < b64.size(); i += 13)
            ragged += "  " + b64.mid(i, 13) + "\t\r\n";
        QTest::newRow("raw DER") << m_der << int(BodyForm::Der);
        QTest::newRow("raw DER + CRLF") << m_der + "\r\n" << int(BodyForm::Der);
        QTest::newRow("raw DER + NUL") << m_der + QByteArray(1, '\0') << int(BodyForm::Der);
        QTest::newRow("base64 one line") << b64 << int(BodyForm::Base64);
        QTest::newRow("base64 + NUL") << b64 + QByteArray(1, '\0') << int(BodyForm::Base64);
        QTest::newRow("base64 CRLF 64 columns + NUL") << crlf64 + QByteArray(2, '\0') << int(BodyForm::Base64);
        QTest::newRow("base64 one line + newline") << b64 + "\n" << int(BodyForm::Base64);
        QTest::newRow("base64 LF 76 columns") << lf76 << int(BodyForm::Base64);
        QTest::newRow("base64 CRLF 64 columns") << crlf64 << int(BodyForm::Base64);
        QTest::newRow("base64 ragged whitespace") << ragged << int(BodyForm::Base64);
        QTest::newRow("PEM") << test::cryptoFixture(QStringLiteral("leaf.pem")) << int(BodyForm::Pem);
        QTest::newRow("PEM with CRLF") << test::cryptoFixture(QStringLiteral("leaf.pem")).replace("\n", "\r\n")
                                       << int(BodyForm::Pem);
    }

    void decodeLenient_acceptedForms_decodeToSameDer()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, form);
        BodyForm detected = BodyForm::Der;
        QString label;
        auto decoded = Encoding::decodeLenient(body, &label, &detected);
        QVERIFY2(decoded.has_value(), qPrintable(decoded ? QString() : decoded.error().toString()));
        QCOMPARE(*decoded, m_der);
        QCOMPARE(int(detected), form);
        if (form == int(BodyForm::Pem))
            QCOMPARE(label, QStringLiteral("CERTIFICATE"));
    }

    void decodeLenient_badInput_isParseErrorSayingWhy_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected"); // a substring of message + detail
        QTest::newRow("empty") << QByteArray() << "empty";
        QTest::newRow("whitespace only") << QByteArray(" \r\n\t ") << "empty";
        QTest::newRow("garbage text") << QByteArray("hello, world!") << "unexpected character ','";
        QTest::newRow("html error page") << QByteArray("<html>502 Bad Gateway</html>") << "'<'";
        QTest::newRow("base64 with asterisk") << QByteArray("MIIB*AAA") << "'*' at offset 4";
        QTest::newRow("base64 lone last symbol") << QByteArray("MIIBA") << "truncated";
        QTest::newRow("base64 data after padding") << QByteArray("MA==MA==") << "after '=' padding";
        QTest::newRow("base64 triple padding") << QByteArray("MA===") << "too much '=' padding";
        QTest::newRow("truncated DER") << m_der.left(m_der.size() - 10) << "truncated";
        QTest::newRow("DER with trailing bytes") << m_der + QByteArray("\x00\xff", 2) << "trailing";
        QTest::newRow("binary garbage") << QByteArray("\x01\x02\x03\xff\xfe", 5) << "DER";
        QTest::newRow("PEM without END") << QByteArray("-----BEGIN CERTIFICATE-----\nMIIB\n") << "no matching END";
        QTest::newRow("PEM with bad base64")
            << QByteArray("-----BEGIN CERTIFICATE-----\nMI!B\n-----END CERTIFICATE-----\n")
            << "unexpected character '!'";
        QTest::newRow("PEM END label differs")
            << QByteArray("-----BEGIN CERTIFICATE-----\nMIIB\n-----END X509 CRL-----\n") << "no matching END";
        QTest::newRow("PEM empty block") << QByteArray("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
                                         << "empty";
    }

    void decodeLenient_badInput_isParseErrorSayingWhy()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        auto decoded = Encoding::decodeLenient(body);
        QVERIFY(!decoded.has_value());
        QCOMPARE(decoded.error().code, ErrorCode::Parse);
        QVERIFY(!decoded.error().message.isEmpty());
        const QString text = decoded.error().message + QLatin1Char(' ') + decoded.error().detail;
        QVERIFY2(text.contains(expected, Qt::CaseInsensitive), qPrintable(text));
    }

    void decodeBase64_rfc4648Vectors_decode_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        QTest::addColumn<QByteArray>("plain");
        // RFC 4648 §10.
        QTest::newRow("empty") << QByteArray("") << QByteArray("");
        QTest::newRow("f") << QByteArray("Zg==") << QByteArray("f");
        QTest::newRow("fo") << QByteArray("Zm8=") << QByteArray("fo");
        QTest::newRow("foo") << QByteArray("Zm9v") << QByteArray("foo");
        QTest::newRow("foob") << QByteArray("Zm9vYg==") << QByteArray("foob");
        QTest::newRow("fooba") << QByteArray("Zm9vYmE=") << QByteArray("fooba");
        QTest::newRow("foobar") << QByteArray("Zm9vYmFy") << QByteArray("foobar");
        QTest::newRow("foobar split CRLF") << QByteArray("Zm9v\r\nYmFy\r\n") << QByteArray("foobar");
        QTest::newRow("fo unpadded") << QByteArray("Zm8") << QByteArray("fo");
    }

    void decodeBase64_rfc4648Vectors_decode()
    {
        QFETCH(QByteArray, encoded);
        QFETCH(QByteArray, plain);
        auto decoded = Encoding::decodeBase64(encoded);
        QVERIFY(decoded.has_value());
        QCOMPARE(*decoded, plain);
    }

    void decodeBase64_urlAlphabet_isRejected()
    {
        auto decoded = Encoding::decodeBase64("ab-_");
        QVERIFY(!decoded);
        QCOMPARE(decoded.error().code, ErrorCode::Parse);
        QVERIFY(decoded.error().message.contains(QStringLiteral("'-'")));
    }

    void encodeBase64_lineLength_breaksLines_data()
    {
        QTest::addColumn<int>("lineLength");
        QTest::addColumn<bool>("crlf");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray data("foobarfoobar");
        Q_UNUSED(data);
        QTest::newRow("one line") << 0 << false << QByteArray("Zm9vYmFyZm9vYmFy");
        QTest::newRow("LF every 8") << 8 << false << QByteArray("Zm9vYmFy\nZm9vYmFy");
        QTest::newRow("CRLF every 8") << 8 << true << QByteArray("Zm9vYmFy\r\nZm9vYmFy");
        QTest::newRow("LF every 5") << 5 << false << QByteArray("Zm9vY\nmFyZm\n9vYmF\ny");
    }

    void encodeBase64_lineLength_breaksLines()
    {
        QFETCH(int, lineLength);
        QFETCH(bool, crlf);
        QFETCH(QByteArray, expected);
        const QByteArray encoded = Encoding::encodeBase64("foobarfoobar", lineLength, crlf);
        QCOMPARE(encoded, expected);
        QCOMPARE(*Encoding::decodeBase64(encoded), QByteArray("foobarfoobar"));
    }

    void toPem_roundTripsThroughParsePem()
    {
        const QByteArray pem = Encoding::toPem(m_der, "CERTIFICATE");
        QVERIFY(pem.startsWith("-----BEGIN CERTIFICATE-----\n"));
        QVERIFY(pem.endsWith("-----END CERTIFICATE-----\n"));
        for (const QByteArray &line : pem.split('\n'))
            QVERIFY(line.size() <= 64);
        // The same text openssl wrote for the same certificate.
        QCOMPARE(pem, test::cryptoFixture(QStringLiteral("leaf.pem")));
    }

    void pemBlocks_chain_returnsEachBlockInOrder()
    {
        const QByteArray chain = test::cryptoFixture(QStringLiteral("chain.pem"));
        const QList<QByteArray> blocks = Encoding::pemBlocks(chain, "CERTIFICATE");
        QCOMPARE(blocks.size(), 3);
        QCOMPARE(blocks[0], m_der);
        QCOMPARE(Encoding::pemBlocks(chain, "PRIVATE KEY").size(), 0);
        QCOMPARE(Encoding::pemBlocks(chain).size(), 3);
    }

    void parsePem_noBlock_isParseError()
    {
        auto blocks = Encoding::parsePem("just text");
        QVERIFY(!blocks);
        QCOMPARE(blocks.error().code, ErrorCode::Parse);
        QVERIFY(blocks.error().message.contains(QStringLiteral("No PEM block")));
    }

    void isSingleDerObject_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<bool>("expected");
        QTest::newRow("certificate") << m_der << true;
        QTest::newRow("empty sequence") << QByteArray::fromHex("3000") << true;
        QTest::newRow("null") << QByteArray::fromHex("0500") << true;
        QTest::newRow("long form for short length") << QByteArray::fromHex("04817f") + QByteArray(127, 'a') << false;
        QTest::newRow("long form 128") << QByteArray::fromHex("048180") + QByteArray(128, 'a') << true;
        QTest::newRow("non-minimal length") << QByteArray::fromHex("04810100") << false;
        QTest::newRow("indefinite length") << QByteArray::fromHex("308005000000") << false;
        QTest::newRow("truncated") << QByteArray::fromHex("300500") << false;
        QTest::newRow("trailing byte") << QByteArray::fromHex("300000") << false;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("one byte") << QByteArray::fromHex("30") << false;
        // Length fields at and past the bounds: never trusted before being compared with the input left.
        QTest::newRow("4-octet length 0xffffffff") << QByteArray::fromHex("3084ffffffff3000") << false;
        QTest::newRow("4-octet length 0x7fffffff") << QByteArray::fromHex("30847fffffff3000") << false;
        QTest::newRow("5-octet length") << QByteArray::fromHex("30850100000000") << false;
        QTest::newRow("8-octet length") << QByteArray::fromHex("3088ffffffffffffffff") << false;
        QTest::newRow("length octets cut off") << QByteArray::fromHex("3084ffff") << false;
        QTest::newRow("length one past the end") << QByteArray::fromHex("3004050000") << false;
        QTest::newRow("high tag, 4-octet length") << QByteArray::fromHex("1f8101840000008000") << false;
    }

    void isSingleDerObject()
    {
        QFETCH(QByteArray, data);
        QFETCH(bool, expected);
        QCOMPARE(Encoding::isSingleDerObject(data), expected);
    }

    void base64Url_knownAnswers_roundTrip_data()
    {
        QTest::addColumn<QByteArray>("plain");
        QTest::addColumn<QByteArray>("encoded");
        QTest::newRow("fb ff") << QByteArray::fromHex("fbff") << QByteArray("-_8");
        QTest::newRow("foobar") << QByteArray("foobar") << QByteArray("Zm9vYmFy");
        QTest::newRow("f") << QByteArray("f") << QByteArray("Zg");
    }

    void base64Url_knownAnswers_roundTrip()
    {
        QFETCH(QByteArray, plain);
        QFETCH(QByteArray, encoded);
        QCOMPARE(Encoding::encodeBase64Url(plain), encoded);
        auto decoded = Encoding::decodeBase64Url(encoded);
        QVERIFY(decoded);
        QCOMPARE(*decoded, plain);
        QVERIFY(!Encoding::decodeBase64Url("ab+/"));
    }

    void sha256_knownAnswers_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("hex");
        // FIPS 180-2 examples.
        QTest::newRow("empty") << QByteArray() << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        QTest::newRow("abc") << QByteArray("abc") << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        QTest::newRow("fixture CSR (openssl dgst)")
            << test::cryptoFixture(QStringLiteral("leaf.csr.der"))
            << "0d3ba5013fb2efaaf563c0b267bc5a781bd5316bddb6b6bf45486db9d17266c2";
    }

    void sha256_knownAnswers()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, hex);
        QCOMPARE(Encoding::sha256Hex(data), hex);
        QCOMPARE(Encoding::sha256(data).size(), 32);
    }
};

QTEST_GUILESS_MAIN(TstEncoding)
#include "tst_encoding.moc"
