// DistinguishedName and SubjectAltName: parsing of the slash and RFC 4514 forms (with escapes), printing,
// and conversion to and from X509_NAME.
#include "crypto/DistinguishedName.h"
#include "crypto/OpenSslPtr.h"
#include "crypto/SubjectAltName.h"

#include <QTest>

using namespace station;
using namespace station::crypto;

using Attrs = QList<DistinguishedName::Attribute>;

class TstDistinguishedName : public QObject
{
    Q_OBJECT

private slots:
    void parse_validForms_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<Attrs>("attributes");
        QTest::addColumn<QString>("rfc4514");
        QTest::newRow("slash") << "/CN=a/O=b" << Attrs{{"CN", "a"}, {"O", "b"}} << "CN=a, O=b";
        QTest::newRow("comma") << "CN=a, O=b" << Attrs{{"CN", "a"}, {"O", "b"}} << "CN=a, O=b";
        QTest::newRow("comma no spaces") << "CN=a,O=b,C=DE" << Attrs{{"CN", "a"}, {"O", "b"}, {"C", "DE"}}
                                         << "CN=a, O=b, C=DE";
        QTest::newRow("long names, lower case")
            << "commonName=dev, organizationName=Acme, cn=x" << Attrs{{"CN", "dev"}, {"O", "Acme"}, {"CN", "x"}}
            << "CN=dev, O=Acme, CN=x";
        QTest::newRow("escaped comma") << "CN=Acme\\, Inc., O=b" << Attrs{{"CN", "Acme, Inc."}, {"O", "b"}}
                                       << "CN=Acme\\, Inc., O=b";
        QTest::newRow("quoted value") << "CN=\"a, b\"" << Attrs{{"CN", "a, b"}} << "CN=a\\, b";
        QTest::newRow("hex escape utf8") << "CN=M\\C3\\BCller" << Attrs{{"CN", QString::fromUtf8("Müller")}}
                                         << QString::fromUtf8("CN=Müller");
        QTest::newRow("slash with escaped slash")
            << "/CN=a\\/b/O=c" << Attrs{{"CN", "a/b"}, {"O", "c"}} << "CN=a/b, O=c";
        QTest::newRow("slash spaces in value")
            << "/CN=Acme Device 1/O=Acme Corp" << Attrs{{"CN", "Acme Device 1"}, {"O", "Acme Corp"}}
            << "CN=Acme Device 1, O=Acme Corp";
        QTest::newRow("serialNumber") << "/serialNumber=SN123/CN=d" << Attrs{{"serialNumber", "SN123"}, {"CN", "d"}}
                                      << "serialNumber=SN123, CN=d";
        QTest::newRow("dotted OID") << "2.5.4.3=x" << Attrs{{"CN", "x"}} << "CN=x";
        QTest::newRow("unknown dotted OID")
            << "1.3.6.1.4.1.99999.1=x" << Attrs{{"1.3.6.1.4.1.99999.1", "x"}} << "1.3.6.1.4.1.99999.1=x";
        QTest::newRow("leading space escaped") << "CN=\\ x" << Attrs{{"CN", " x"}} << "CN=\\ x";
        QTest::newRow("plus and equals") << "CN=a\\+b\\=c" << Attrs{{"CN", "a+b=c"}} << "CN=a\\+b\\=c";
    }

    void parse_validForms()
    {
        QFETCH(QString, text);
        QFETCH(Attrs, attributes);
        QFETCH(QString, rfc4514);
        auto dn = DistinguishedName::parse(text);
        QVERIFY2(dn, qPrintable(dn ? QString() : dn.error().toString()));
        QCOMPARE(dn->attributes(), attributes);
        QCOMPARE(dn->toString(), rfc4514);
        // Printing and parsing again gives the same name, in both forms.
        QCOMPARE(*DistinguishedName::parse(dn->toString()), *dn);
        QCOMPARE(*DistinguishedName::parse(dn->toSlashString()), *dn);
        // Through X509_NAME and back.
        auto name = dn->toX509Name();
        QVERIFY(name);
        X509NamePtr owned(*name);
        QCOMPARE(DistinguishedName::fromX509Name(owned.get()), *dn);
    }

    void parse_invalid_isInvalidArgument_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << ""
                               << "empty";
        QTest::newRow("blank") << "   "
                               << "empty";
        QTest::newRow("unknown type") << "/XX=a"
                                      << "unknown attribute type";
        QTest::newRow("no equals") << "CN"
                                   << "type=value";
        QTest::newRow("empty value") << "CN="
                                     << "empty value";
        QTest::newRow("trailing backslash") << "CN=a\\"
                                            << "backslash";
        QTest::newRow("hex value") << "CN=#0403616263"
                                   << "hex";
        QTest::newRow("empty rdn") << "CN=a,,O=b"
                                   << "type=value";
        QTest::newRow("multi-valued rdn") << "CN=a+O=b"
                                          << "multi-valued";
    }

    void parse_invalid_isInvalidArgument()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        auto dn = DistinguishedName::parse(text);
        QVERIFY(!dn);
        QCOMPARE(dn.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(dn.error().message.contains(expected), qPrintable(dn.error().message));
    }

    void toX509Name_usesUtf8Strings()
    {
        auto dn = DistinguishedName::parse(QString::fromUtf8("CN=Gerät 7, C=DE"));
        QVERIFY(dn);
        auto name = dn->toX509Name();
        QVERIFY(name);
        X509NamePtr owned(*name);
        const ASN1_STRING *cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(owned.get(), 0));
        QCOMPARE(ASN1_STRING_type(cn), V_ASN1_UTF8STRING);
        QCOMPARE(DistinguishedName::fromX509Name(owned.get()).commonName(), QString::fromUtf8("Gerät 7"));
    }

    void value_lookupIsByTypeInAnySpelling()
    {
        auto dn = DistinguishedName::parse(QStringLiteral("/CN=dev/O=Acme/OU=Line 3"));
        QVERIFY(dn);
        QCOMPARE(dn->value(QStringLiteral("O")), QStringLiteral("Acme"));
        QCOMPARE(dn->value(QStringLiteral("organizationalUnitName")), QStringLiteral("Line 3"));
        QCOMPARE(dn->value(QStringLiteral("2.5.4.3")), QStringLiteral("dev"));
        QCOMPARE(dn->value(QStringLiteral("L")), QString());
        QCOMPARE(dn->toSlashString(), QStringLiteral("/CN=dev/O=Acme/OU=Line 3"));
    }

    void subjectAltName_parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("printed");
        QTest::newRow("DNS") << "DNS:host.example" << int(SubjectAltName::Type::Dns) << "host.example"
                             << "DNS:host.example";
        QTest::newRow("dns lower") << "dns:h" << int(SubjectAltName::Type::Dns) << "h"
                                   << "DNS:h";
        QTest::newRow("bare DNS") << "host.example" << int(SubjectAltName::Type::Dns) << "host.example"
                                  << "DNS:host.example";
        QTest::newRow("IPv4") << "IP:10.0.0.1" << int(SubjectAltName::Type::Ip) << "10.0.0.1"
                              << "IP:10.0.0.1";
        QTest::newRow("bare IPv4") << "192.168.1.7" << int(SubjectAltName::Type::Ip) << "192.168.1.7"
                                   << "IP:192.168.1.7";
        QTest::newRow("bare IPv6") << "fe80::1" << int(SubjectAltName::Type::Ip) << "fe80::1"
                                   << "IP:fe80::1";
        QTest::newRow("URI") << "URI:urn:dev:ops:1" << int(SubjectAltName::Type::Uri) << "urn:dev:ops:1"
                             << "URI:urn:dev:ops:1";
        QTest::newRow("email") << "email:a@b.example" << int(SubjectAltName::Type::Email) << "a@b.example"
                               << "email:a@b.example";
        QTest::newRow("otherName UTF8") << "otherName:1.3.6.1.5.5.7.8.9;UTF8:x" << int(SubjectAltName::Type::OtherName)
                                        << "1.3.6.1.5.5.7.8.9"
                                        << "otherName:1.3.6.1.5.5.7.8.9;DER:0C0178";
    }

    void subjectAltName_parse()
    {
        QFETCH(QString, text);
        QFETCH(int, type);
        QFETCH(QString, value);
        QFETCH(QString, printed);
        auto san = SubjectAltName::parse(text);
        QVERIFY2(san, qPrintable(san ? QString() : san.error().toString()));
        QCOMPARE(int(san->type), type);
        QCOMPARE(san->value, value);
        QCOMPARE(san->toString(), printed);
        QCOMPARE(*SubjectAltName::parse(printed), *san);
    }

    void subjectAltName_invalid_isInvalidArgument_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << "";
        QTest::newRow("bad IP") << "IP:10.0.0.300";
        QTest::newRow("unknown prefix") << "foo:bar";
        QTest::newRow("email without at") << "email:nobody";
        QTest::newRow("empty value") << "DNS:";
        QTest::newRow("otherName bad OID") << "otherName:x.y;UTF8:z";
        QTest::newRow("otherName bad DER") << "otherName:1.2.3;DER:0C05";
    }

    void subjectAltName_invalid_isInvalidArgument()
    {
        QFETCH(QString, text);
        auto san = SubjectAltName::parse(text);
        QVERIFY(!san);
        QCOMPARE(san.error().code, ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TstDistinguishedName)
#include "tst_distinguishedname.moc"
