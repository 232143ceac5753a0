// The AT response parser and the nRF91 value parsers: final result codes, quoted multi-line strings,
// "OK" inside base64, echo and chatter, %KEYGEN with its COSE attestation.
#include "nrf91/AtResponseParser.h"
#include "nrf91/CoseSign1.h"
#include "nrf91/KeyGenResponse.h"

#include "crypto/PrivateKey.h"

#include <QCborMap>
#include <QCborValue>
#include <QCryptographicHash>
#include <QTest>

using namespace station::drivers;

class TestAtResponseParser : public QObject
{
    Q_OBJECT

    static QList<AtResponse> parse(const QByteArray &bytes, bool byteByByte = false)
    {
        AtResponseParser p;
        p.setCollecting(true);
        QList<AtResponse> out;
        if (byteByByte) {
            for (char c : bytes)
                out += p.feed(QByteArrayView(&c, 1)).responses;
        } else {
            out = p.feed(bytes).responses;
        }
        return out;
    }

private slots:
    void finalResult_codes_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("final");
        QTest::addColumn<int>("code");
        QTest::newRow("ok") << QByteArray("\r\nOK\r\n") << int(AtResponse::Final::Ok) << -1;
        QTest::newRow("error") << QByteArray("ERROR\r\n") << int(AtResponse::Final::Error) << -1;
        QTest::newRow("513") << QByteArray("+CME ERROR: 513\r\n") << int(AtResponse::Final::CmeError) << 513;
        QTest::newRow("518") << QByteArray("+CME ERROR: 518\r\n") << int(AtResponse::Final::CmeError) << 518;
        QTest::newRow("cms") << QByteArray("+CMS ERROR: 500\n") << int(AtResponse::Final::CmsError) << 500;
    }

    void finalResult_codes()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, final);
        QFETCH(int, code);
        const auto r = parse(bytes);
        QCOMPARE(r.size(), 1);
        QCOMPARE(int(r.first().final), final);
        QCOMPARE(r.first().errorCode, code);
    }

    void cmeText_documentedCodes_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("text");
        QTest::newRow("513") << 513 << QStringLiteral("not found");
        QTest::newRow("514") << 514 << QStringLiteral("no access");
        QTest::newRow("515") << 515 << QStringLiteral("memory full");
        QTest::newRow("518") << 518 << QStringLiteral("not allowed in active state");
        QTest::newRow("519") << 519 << QStringLiteral("already exists");
        QTest::newRow("523") << 523 << QStringLiteral("key generation failed");
    }

    void cmeText_documentedCodes()
    {
        QFETCH(int, code);
        QFETCH(QString, text);
        QCOMPARE(AtResponse::cmeErrorText(code), text);
        AtResponse r;
        r.final = AtResponse::Final::CmeError;
        r.errorCode = code;
        const auto e = r.toError(QStringLiteral("%CMNG"), QStringLiteral("/dev/ttyACM0"));
        QVERIFY(e.message.contains(text));
        // A refusal is a Device error whatever the code; the modem's code is kept in the detail.
        QCOMPARE(e.code, station::ErrorCode::Device);
        QVERIFY2(e.detail.contains(QStringLiteral("+CME ERROR: %1").arg(code)), qPrintable(e.detail));
    }

    void quotedPem_withOkLineInside_isOneResponse()
    {
        const QByteArray bytes = "%CMNG: 16842753,0,\"AB12\",\"-----BEGIN CERTIFICATE-----\r\nMIIB\r\nOK\r\nERROR\r\n"
                                 "-----END CERTIFICATE-----\r\n\"\r\nOK\r\n";
        for (bool single : {false, true}) {
            const auto r = parse(bytes, single);
            QCOMPARE(r.size(), 1);
            QVERIFY(r.first().ok());
            const auto values = r.first().valuesOf("%CMNG:");
            QCOMPARE(values.size(), 1);
            const auto params = AtResponse::splitParameters(values.first());
            QCOMPARE(params.size(), 4);
            QCOMPARE(params.at(0), QByteArray("16842753"));
            QCOMPARE(params.at(2), QByteArray("AB12"));
            QVERIFY(params.at(3).contains("\r\nOK\r\n"));
            QVERIFY(params.at(3).endsWith("-----END CERTIFICATE-----\r\n")); // kept byte for byte
        }
    }

    void echo_multiLineCommand_everyLineSkipped()
    {
        AtResponseParser p;
        p.setCollecting(true);
        p.setEcho("AT%CMNG=0,1,2,\"-----BEGIN PRIVATE KEY-----\nMIGHAgEA\n-----END PRIVATE KEY-----\n\"");
        const auto out = p.feed("AT%CMNG=0,1,2,\"-----BEGIN PRIVATE KEY-----\r\nMIGHAgEA\r\n-----END PRIVATE KEY-----"
                                "\r\n\"\r\n+CME ERROR: 518\r\n");
        QCOMPARE(out.responses.size(), 1);
        QVERIFY2(out.responses.first().lines.isEmpty(), out.responses.first().lines.join(" | ").constData());
        QCOMPARE(out.responses.first().errorCode, 518);
    }

    void echoAndChatter_skippedOrKeptApart()
    {
        AtResponseParser p;
        auto out = p.feed("*** Booting nRF Connect SDK ***\r\nlog with a \"stray quote\r\n");
        QCOMPARE(out.unsolicited.size(), 2); // the stray quote does not swallow the next line
        p.setCollecting(true);
        p.setEcho("AT+CGSN=1");
        out = p.feed("AT+CGSN=1\r\n+CGSN: \"352656100367872\"\r\nOK\r\n");
        QCOMPARE(out.responses.size(), 1);
        QCOMPARE(out.responses.first().lines, QList<QByteArray>{"+CGSN: \"352656100367872\""});
    }

    void keygen_simulatedAnswer_parsesAndChecks()
    {
        const QByteArray csr = QByteArray::fromHex("3082010a3081af020100"); // opaque bytes: only hashed here
        const QString uuid = QStringLiteral("50363154-3931-44f0-8022-121b6401627d");
        CoseSign1 cose;
        cose.protectedHeader = QCborValue(QCborMap{{1, -7}}).toCbor();
        cose.payload = KeyGenResponse::encodePayload(KeyGenResponse::uuidBytes(uuid), 16842753,
                                                     QCryptographicHash::hash(csr, QCryptographicHash::Sha256),
                                                     QByteArray(16, 'n'));
        cose.signature = QByteArray(64, 's');
        const QByteArray line =
            '"' + csr.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + '.' +
            cose.encode().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + '"';
        auto r = KeyGenResponse::parse(line);
        QVERIFY2(r, r ? "" : qPrintable(r.error().toString()));
        QCOMPARE(r->csrDer, csr);
        QCOMPARE(r->secTag, 16842753);
        QCOMPARE(r->uuidText(), uuid);
        QCOMPARE(r->cose->algorithm, -7);
        QVERIFY(r->check(uuid.toUpper()));
        auto wrongUuid = r->check(QStringLiteral("00000000-0000-0000-0000-000000000000"));
        QVERIFY(!wrongUuid);
        QCOMPARE(wrongUuid.error().code, station::ErrorCode::Verification);
        r->csrDer[3] = 'x';
        QVERIFY(!r->check(uuid));
    }

    void keygen_malformed_isParseError_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("empty") << QByteArray("\"\"");
        QTest::newRow("three parts") << QByteArray("\"QUJD.QUJD.QUJD\"");
        QTest::newRow("not base64url") << QByteArray("\"AB+/.QUJD\"");
        QTest::newRow("cose not cbor") << QByteArray("\"QUJD.__8\"");
    }

    void keygen_malformed_isParseError()
    {
        QFETCH(QByteArray, line);
        auto r = KeyGenResponse::parse(line);
        QVERIFY(!r);
        QCOMPARE(r.error().code, station::ErrorCode::Parse);
    }

    void ecdsa_rawDerRoundTrip()
    {
        QByteArray raw(64, '\0');
        raw[0] = char(0x80); // high bit: DER needs a leading zero
        raw[40] = 0x01;      // s with leading zeros
        const QByteArray der = CoseSign1::rawToDer(raw);
        auto back = CoseSign1::derToRaw(der);
        QVERIFY(back);
        QCOMPARE(*back, raw);
    }

    void ecdsa_p521Signature_rawDerRoundTripVerifies()
    {
        // P-521 r||s is 132 bytes; its DER is longer than 127 bytes and needs a long-form length.
        auto key = station::crypto::PrivateKey::generate(station::crypto::KeyType::EcP521);
        QVERIFY(key);
        const QByteArray data("signed by a P-521 key");
        for (int i = 0; i < 8; ++i) {
            auto der = key->sign(data);
            QVERIFY(der);
            auto raw = CoseSign1::derToRaw(*der, 66);
            QVERIFY2(raw, raw ? "" : qPrintable(raw.error().toString()));
            QCOMPARE(raw->size(), 132);
            const QByteArray back = CoseSign1::rawToDer(*raw);
            QVERIFY(back.size() > 127);
            QCOMPARE(back, *der);
            QVERIFY(key->verify(data, back));
        }
    }
};

QTEST_GUILESS_MAIN(TestAtResponseParser)
#include "tst_atresponseparser.moc"
