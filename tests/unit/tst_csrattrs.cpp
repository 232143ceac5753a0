// CsrAttributes: the CSR-attribute encodings published in RFC 7030 §4.5.2 and RFC 9908 (its examples
// appendix), parsed, interpreted, and re-encoded byte for byte; the RFC 9908 CSR template; strict DER
// rejection of malformed input.
#include "crypto/CsrAttributes.h"
#include "crypto/Encoding.h"

#include <QTest>

using namespace station;
using namespace station::crypto;

namespace {

QByteArray tlv(quint8 tag, const QByteArray &content)
{
    QByteArray out(1, char(tag));
    if (content.size() < 0x80) {
        out.append(char(content.size()));
    } else {
        QByteArray len;
        for (qsizetype n = content.size(); n; n >>= 8)
            len.prepend(char(n & 0xff));
        out.append(char(0x80 | len.size()));
        out += len;
    }
    return out + content;
}

QByteArray oid(const char *hex)
{
    return tlv(0x06, QByteArray::fromHex(hex));
}

// OID contents used below.
constexpr const char *kChallengePassword = "2a864886f70d010907";
constexpr const char *kCommonName = "550403";
constexpr const char *kOrgUnit = "55040b";
constexpr const char *kEcPublicKey = "2a8648ce3d0201";
constexpr const char *kPrime256v1 = "2a8648ce3d030107";
constexpr const char *kSan = "551d11";
constexpr const char *kKeyUsage = "551d0f";
constexpr const char *kExtKeyUsage = "551d25";
constexpr const char *kCsrTemplate = "2a864886f70d010910023d";    // 1.2.840.113549.1.9.16.2.61
constexpr const char *kExtReqTemplate = "2a864886f70d010910023e"; // 1.2.840.113549.1.9.16.2.62

/// The RFC 9908 §3.4 example, as a CertificationRequestInfoTemplate: a subject with a CN to fill in and
/// OU=myDept, OU=myGroup; a P-256 key; SAN with DNS www.myServer.com and an IP to fill in; keyUsage
/// critical digitalSignature+keyAgreement; extKeyUsage to fill in.
QByteArray rfc9908TemplateExample()
{
    const QByteArray subject =
        tlv(0x30, tlv(0x31, tlv(0x30, oid(kCommonName))) + tlv(0x31, tlv(0x30, oid(kOrgUnit) + tlv(0x0c, "myDept"))) +
                      tlv(0x31, tlv(0x30, oid(kOrgUnit) + tlv(0x0c, "myGroup"))));
    const QByteArray spki = tlv(0xa0, tlv(0x30, oid(kEcPublicKey) + oid(kPrime256v1)));
    const QByteArray sanValue = tlv(0x30, tlv(0x82, "www.myServer.com") + tlv(0x87, {}));
    const QByteArray extensions = tlv(0x30, tlv(0x30, oid(kSan) + tlv(0x04, sanValue)) +
                                                tlv(0x30, oid(kKeyUsage) + tlv(0x01, QByteArray(1, '\xff')) +
                                                              tlv(0x04, QByteArray::fromHex("03020388"))) +
                                                tlv(0x30, oid(kExtKeyUsage)));
    const QByteArray attributes = tlv(0xa1, tlv(0x30, oid(kExtReqTemplate) + tlv(0x31, extensions)));
    const QByteArray templ = tlv(0x30, tlv(0x02, QByteArray(1, '\0')) + subject + spki + attributes);
    return tlv(0x30, tlv(0x30, oid(kCsrTemplate) + tlv(0x31, templ)) + oid(kChallengePassword));
}

} // namespace

using Items = QList<CsrAttrItem>;
using Pairs = QList<QPair<QString, QString>>;

class TstCsrAttrs : public QObject
{
    Q_OBJECT

private slots:
    void rfcExamples_parseInterpretAndReencodeIdentically_data()
    {
        QTest::addColumn<QByteArray>("base64");
        QTest::addColumn<QStringList>("itemOids"); // "+" prefix = Attribute
        QTest::addColumn<bool>("challengePassword");
        QTest::addColumn<int>("keyType"); // -1 = none
        QTest::addColumn<QString>("signatureAlgorithm");
        QTest::addColumn<QStringList>("extensions");
        QTest::addColumn<QStringList>("subjectTypes");

        // RFC 7030 §4.5.2 (as published; RFC 9908 notes its extensionRequest value is not an Extension).
        QTest::newRow("RFC 7030 4.5.2")
            << QByteArray("MEEGCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAiMBYGCSqGSIb3DQEJDjEJBgcrBgEBAQEW"
                          "BggqhkjOPQQDAw==")
            << QStringList{"1.2.840.113549.1.9.7", "+1.2.840.10045.2.1", "+1.2.840.113549.1.9.14",
                           "1.2.840.10045.4.3.3"}
            << true << int(KeyType::EcP384) << "1.2.840.10045.4.3.3" << QStringList{"1.3.6.1.1.1.1.22"}
            << QStringList{};
        // RFC 9908 examples appendix: the corrected RFC 7030 example (subjectDirectoryAttributes).
        QTest::newRow("RFC 9908 corrected 7030 example")
            << QByteArray("ME4GCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAiMCMG\n"
                          "CSqGSIb3DQEJDjEWMBQwEgYDVR0JBAswCQYHKwYBAQEBFgYI\n"
                          "KoZIzj0EAwM=\n")
            << QStringList{"1.2.840.113549.1.9.7", "+1.2.840.10045.2.1", "+1.2.840.113549.1.9.14",
                           "1.2.840.10045.4.3.3"}
            << true << int(KeyType::EcP384) << "1.2.840.10045.4.3.3" << QStringList{"2.5.29.9"} << QStringList{};
        // RFC 9908: RFC 8994 ACP subjectAltName with a specific otherName.
        QTest::newRow("RFC 9908 realistic ACP")
            << QByteArray("MGQwYgYJKoZIhvcNAQkOMVUwUwYDVR0RAQH/BEmgRzBFBggr\n"
                          "BgEFBQcICgw5cmZjODk5NCtmZDczOWZjMjNjMzQ0MDExMjIz\n"
                          "MzQ0NTUwMDAwMDAwMCtAYWNwLmV4YW1wbGUuY29t\n")
            << QStringList{"+1.2.840.113549.1.9.14"} << false << -1 << "" << QStringList{"2.5.29.17"} << QStringList{};
        // RFC 9908: requires a specific extension (SAN otherName, "potato" example).
        QTest::newRow("RFC 9908 potato") << QByteArray("MGcGCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAiMDwG\n"
                                                       "CSqGSIb3DQEJDjEvMC0wKwYDVR0RBCQwIqAgBggrBgEFBQcI\n"
                                                       "CqAUFhJwb3RhdG9AZXhhbXBsZS5jb20GCCqGSM49BAMD\n")
                                         << QStringList{"1.2.840.113549.1.9.7", "+1.2.840.10045.2.1",
                                                        "+1.2.840.113549.1.9.14", "1.2.840.10045.4.3.3"}
                                         << true << int(KeyType::EcP384) << "1.2.840.10045.4.3.3"
                                         << QStringList{"2.5.29.17"} << QStringList{};
        // RFC 9908: a public key of a specific size (RSA 4096, SHA-256).
        QTest::newRow("RFC 9908 RSA size")
            << QByteArray("MCkGCSqGSIb3DQEJBzARBgkqhkiG9w0BAQExBAICEAAGCSqG\nSIb3DQEBCw==\n")
            << QStringList{"1.2.840.113549.1.9.7", "+1.2.840.113549.1.1.1", "1.2.840.113549.1.1.11"} << true
            << int(KeyType::Rsa4096) << "1.2.840.113549.1.1.11" << QStringList{} << QStringList{};
        // RFC 9908: a public key on a specific curve, with a serial number in the subject.
        QTest::newRow("RFC 9908 curve + serialNumber")
            << QByteArray("MD0GCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAiMBIGCSqGSIb3DQEJDjEFBgNVBAUGCCqGSM49BAMD")
            << QStringList{"1.2.840.113549.1.9.7", "+1.2.840.10045.2.1", "+1.2.840.113549.1.9.14",
                           "1.2.840.10045.4.3.3"}
            << true << int(KeyType::EcP384) << "1.2.840.10045.4.3.3" << QStringList{} << QStringList{"serialNumber"};
        // RFC 9908: P-521, serialNumber, friendlyName, favouriteDrink, SHA-512.
        QTest::newRow("RFC 9908 P-521 + attributes")
            << QByteArray("MFQGCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAjMCkG\n"
                          "CSqGSIb3DQEJDjEcBgNVBAUGCSqGSIb3DQEJFAYKCZImiZPy\n"
                          "LGQBBQYIKoZIzj0EAwQ=\n")
            << QStringList{"1.2.840.113549.1.9.7", "+1.2.840.10045.2.1", "+1.2.840.113549.1.9.14",
                           "1.2.840.10045.4.3.4"}
            << true << int(KeyType::EcP521) << "1.2.840.10045.4.3.4"
            << QStringList{"1.2.840.113549.1.9.20", "0.9.2342.19200300.100.1.5"} << QStringList{"serialNumber"};
        // RFC 9908 §3.4 CSR template (constructed here from the RFC's description).
        QTest::newRow("RFC 9908 template")
            << rfc9908TemplateExample().toBase64() << QStringList{"+1.2.840.113549.1.9.16.2.61", "1.2.840.113549.1.9.7"}
            << true << int(KeyType::EcP256) << "" << QStringList{"2.5.29.17", "2.5.29.15", "2.5.29.37"}
            << QStringList{"CN", "OU", "OU"};
    }

    void rfcExamples_parseInterpretAndReencodeIdentically()
    {
        QFETCH(QByteArray, base64);
        QFETCH(QStringList, itemOids);
        QFETCH(bool, challengePassword);
        QFETCH(int, keyType);
        QFETCH(QString, signatureAlgorithm);
        QFETCH(QStringList, extensions);
        QFETCH(QStringList, subjectTypes);

        auto der = Encoding::decodeLenient(base64);
        QVERIFY(der);
        auto attrs = CsrAttributes::fromDer(*der);
        QVERIFY2(attrs, qPrintable(attrs ? QString() : attrs.error().toString()));
        QStringList oids;
        for (const CsrAttrItem &item : attrs->items()) {
            oids << (item.isAttribute ? QStringLiteral("+") : QString()) + item.oid;
            QCOMPARE(item.isAttribute, !item.valuesDer.isEmpty());
        }
        QCOMPARE(oids, itemOids);
        QCOMPARE(attrs->toDer(), *der);                        // byte-identical re-encoding
        QCOMPARE(CsrAttributes(attrs->items()).toDer(), *der); // from the items alone too

        const CsrAttrRequirements req = attrs->requirements();
        QCOMPARE(req.challengePassword, challengePassword);
        QCOMPARE(req.keyType.has_value(), keyType >= 0);
        if (keyType >= 0)
            QCOMPARE(int(*req.keyType), keyType);
        QCOMPARE(req.signatureAlgorithmOid, signatureAlgorithm);
        QCOMPARE(req.requestedExtensionOids, extensions);
        QStringList types;
        for (const auto &[type, value] : req.subjectTemplate)
            types << type;
        QCOMPARE(types, subjectTypes);
    }

    void rfc7030Example_attributeValues_areCompleteTlvs()
    {
        auto attrs = CsrAttributes::fromDer(*Encoding::decodeBase64(
            "MEEGCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAiMBYGCSqGSIb3DQEJDjEJBgcrBgEBAQEWBggqhkjOPQQDAw=="));
        QVERIFY(attrs);
        QCOMPARE(attrs->items().size(), 4);
        QCOMPARE(attrs->items()[1].valuesDer, QList<QByteArray>{QByteArray::fromHex("06052b81040022")});
        QCOMPARE(attrs->items()[2].valuesDer, QList<QByteArray>{QByteArray::fromHex("06072b060101010116")});
    }

    void templateExample_valuesAndExtensionTemplates()
    {
        auto attrs = CsrAttributes::fromDer(rfc9908TemplateExample());
        QVERIFY(attrs);
        const CsrAttrRequirements req = attrs->requirements();
        QCOMPARE(req.subjectTemplate, (Pairs{{"CN", ""}, {"OU", "myDept"}, {"OU", "myGroup"}}));
        QCOMPARE(req.extensionTemplates.size(), 2);
        QCOMPARE(req.extensionTemplates[0].first, QStringLiteral("2.5.29.17"));
        QCOMPARE(req.extensionTemplates[1].first, QStringLiteral("2.5.29.15"));
        QCOMPARE(req.extensionTemplates[1].second, QByteArray::fromHex("03020388"));
        QVERIFY(req.unrecognised.isEmpty());
    }

    void build_withApi_matchesRfc7030Example()
    {
        CsrAttributes attrs;
        attrs.addOid(QStringLiteral("1.2.840.113549.1.9.7"));
        attrs.addAttribute(QStringLiteral("1.2.840.10045.2.1"), {QByteArray::fromHex("06052b81040022")});
        attrs.addAttribute(QStringLiteral("1.2.840.113549.1.9.14"), {QByteArray::fromHex("06072b060101010116")});
        attrs.addOid(QStringLiteral("1.2.840.10045.4.3.3"));
        QCOMPARE(
            attrs.toDer().toBase64(),
            QByteArray("MEEGCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAiMBYGCSqGSIb3DQEJDjEJBgcrBgEBAQEWBggqhkjOPQQDAw=="));
        QVERIFY(!attrs.isEmpty());
    }

    void empty_sequence_isValidAndEmpty()
    {
        auto attrs = CsrAttributes::fromDer(QByteArray::fromHex("3000"));
        QVERIFY(attrs);
        QVERIFY(attrs->isEmpty());
        QCOMPARE(CsrAttributes().toDer(), QByteArray::fromHex("3000"));
        QVERIFY(!attrs->requirements().challengePassword);
    }

    void unknownOids_areReportedUnrecognised()
    {
        CsrAttributes attrs;
        attrs.addOid(QStringLiteral("1.3.6.1.4.1.99999.7"));
        attrs.addAttribute(QStringLiteral("1.3.6.1.4.1.99999.8"), {QByteArray::fromHex("0500")});
        auto back = CsrAttributes::fromDer(attrs.toDer());
        QVERIFY(back);
        QCOMPARE(back->items(), attrs.items());
        QCOMPARE(back->requirements().unrecognised, (QStringList{"1.3.6.1.4.1.99999.7", "1.3.6.1.4.1.99999.8"}));
    }

    void largeOidArcs_roundTrip()
    {
        CsrAttributes attrs;
        attrs.addOid(QStringLiteral("2.999.1"));
        attrs.addOid(QStringLiteral("1.3.6.1.4.1.4294967295.18446744073709"));
        auto back = CsrAttributes::fromDer(attrs.toDer());
        QVERIFY(back);
        QCOMPARE(back->items(), attrs.items());
        QCOMPARE(attrs.toDer().mid(2, 5), QByteArray::fromHex("0603883701"));
    }

    void oidArcs_atTheBound_roundTrip()
    {
        CsrAttributes attrs;
        attrs.addOid(QStringLiteral("1.3.72057594037927936")); // 2^56
        attrs.addOid(QStringLiteral("2.72057594037927936.7")); // 2^56 in the combined first subidentifier
        const QByteArray der = attrs.toDer();
        auto back = CsrAttributes::fromDer(der);
        QVERIFY2(back, back ? "" : qPrintable(back.error().message));
        QCOMPARE(back->items(), attrs.items());
        QCOMPARE(back->toDer(), der);
    }

    void fromDer_malformed_isStrictParseError_data()
    {
        QTest::addColumn<QByteArray>("der");
        QTest::addColumn<QString>("expected");
        const QByteArray good = *Encoding::decodeBase64(
            "MEEGCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAiMBYGCSqGSIb3DQEJDjEJBgcrBgEBAQEWBggqhkjOPQQDAw==");
        QTest::newRow("empty") << QByteArray() << "no data";
        QTest::newRow("trailing data") << good + QByteArray(1, '\0') << "trailing";
        QTest::newRow("truncated") << good.left(good.size() - 1) << "truncated";
        QTest::newRow("indefinite outer length") << QByteArray::fromHex("30800603550403 0000") << "indefinite";
        QTest::newRow("indefinite value length")
            << tlv(0x30, tlv(0x30, oid(kCommonName) + tlv(0x31, QByteArray::fromHex("30800000")))) << "indefinite";
        QTest::newRow("non-minimal length") << QByteArray::fromHex("3081050603550403") << "non-minimal";
        QTest::newRow("outer not a SEQUENCE") << QByteArray::fromHex("3100") << "expected a SEQUENCE";
        QTest::newRow("INTEGER element") << tlv(0x30, tlv(0x02, QByteArray(1, 1))) << "neither an OBJECT IDENTIFIER";
        QTest::newRow("attribute without SET")
            << tlv(0x30, tlv(0x30, oid(kCommonName) + tlv(0x04, "x"))) << "must be a SET";
        QTest::newRow("attribute with empty SET")
            << tlv(0x30, tlv(0x30, oid(kCommonName) + tlv(0x31, {}))) << "no values";
        QTest::newRow("attribute with extra field")
            << tlv(0x30, tlv(0x30, oid(kCommonName) + tlv(0x31, tlv(0x05, {})) + tlv(0x05, {}))) << "after the values";
        QTest::newRow("attribute type not an OID")
            << tlv(0x30, tlv(0x30, tlv(0x04, "x") + tlv(0x31, tlv(0x05, {})))) << "type OID";
        QTest::newRow("OID non-minimal arc") << tlv(0x30, tlv(0x06, QByteArray::fromHex("2a8001"))) << "non-minimal";
        QTest::newRow("OID truncated arc") << tlv(0x30, tlv(0x06, QByteArray::fromHex("2a86"))) << "truncated";
        QTest::newRow("OID empty") << tlv(0x30, tlv(0x06, {})) << "empty OBJECT IDENTIFIER";
        // Found by fuzz_csrattrs: an 8-octet arc of ~2^63 was decoded although encodeOidContent refuses arcs
        // above 2^56, so toDer() silently dropped the element.
        QTest::newRow("OID arc above 2^56")
            << tlv(0x30, tlv(0x06, QByteArray::fromHex("2affffffffffffff850d"))) << "arc too large";
        QTest::newRow("OID first arcs above 2^56")
            << tlv(0x30, tlv(0x06, QByteArray::fromHex("818080808080808051"))) << "arc too large";
        QTest::newRow("value length past SET")
            << tlv(0x30, tlv(0x30, oid(kCommonName) + tlv(0x31, QByteArray::fromHex("0405aa")))) << "truncated";
        QTest::newRow("base64 instead of DER") << QByteArray("MEEGCSqGSIb3DQEJBzAS") << "Malformed";
    }

    void fromDer_malformed_isStrictParseError()
    {
        QFETCH(QByteArray, der);
        QFETCH(QString, expected);
        auto attrs = CsrAttributes::fromDer(der);
        QVERIFY(!attrs);
        QCOMPARE(attrs.error().code, ErrorCode::Parse);
        QVERIFY2(attrs.error().message.contains(expected), qPrintable(attrs.error().message));
    }
};

QTEST_GUILESS_MAIN(TstCsrAttrs)
#include "tst_csrattrs.moc"
