// Product profiles: the shipped samples load, every problem names its field and what is allowed, the
// resolved profile round-trips through toJson(), and secrets never appear in a profile.
#include "provisioning/ProductProfile.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace station::provisioning;

namespace {

QByteArray minimal(const QString &extra = {})
{
    return QStringLiteral("{\"name\": \"Acme Sensor\", \"device\": {\"protocol\": \"station\"}, \"est\": {\"url\": "
                          "\"https://est.example.com/.well-known/est/dms-1\", \"trust\": {\"bootstrap_fingerprint\": "
                          "\"%1\"}, \"auth\": {\"mode\": \"none\"}}%2}")
        .arg(QString(64, QLatin1Char('A')), extra)
        .toUtf8();
}

} // namespace

class TestProductProfile : public QObject
{
    Q_OBJECT
private slots:
    void minimal_loadsWithDefaults()
    {
        auto p = ProductProfile::fromJson(minimal(), QDir::tempPath());
        QVERIFY2(p, p ? "" : qPrintable(p.error().detail));
        QCOMPARE(p->name, QStringLiteral("Acme Sensor"));
        QCOMPARE(p->device.protocol, station::device::Protocol::Station);
        QCOMPARE(p->est.trust, TrustSource::Bootstrap);
        QCOMPARE(p->enrollment.keyOrigin, KeyOrigin::Device);
        QCOMPARE(p->alreadyProvisioned, AlreadyProvisionedPolicy::Refuse);
        QCOMPARE(p->start, StartMode::Scan);
        QCOMPARE(p->sha256.size(), 64);
    }

    void problems_nameTheFieldAndWhatIsAllowed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bad protocol") << QByteArray("{\"name\":\"x\",\"device\":{\"protocol\":\"modbus\"},\"est\":{}}")
                                      << "device.protocol: 'modbus' is not allowed (allowed: station, nrf91)";
        QTest::newRow("http url") << minimal().replace("https://est", "http://est") << "est.url:";
        QTest::newRow("unknown field") << minimal(QStringLiteral(", \"colour\": \"red\"")) << "colour: unknown field";
        QTest::newRow("bad key type") << minimal(QStringLiteral(", \"enrollment\": {\"key_type\": \"rsa1024\"}"))
                                      << "enrollment.key_type: 'rsa1024' is not a key type";
        QTest::newRow("bad placeholder") << minimal(QStringLiteral(", \"enrollment\": {\"subject\": \"CN={serail}\"}"))
                                         << "enrollment.subject: unknown placeholder {serail}";
        QTest::newRow("scanner with auto start")
            << minimal(QStringLiteral(", \"barcode\": {\"start\": \"auto\", \"scanner_port\": \"/dev/ttyUSB0\"}"))
            << "barcode.scanner_port: start: auto reads no labels";
        QTest::newRow("scanner baud") << minimal(QStringLiteral(", \"barcode\": {\"scanner_baud\": 7}"))
                                      << "barcode.scanner_baud:";
        QTest::newRow("dms without icon")
            << minimal(QStringLiteral(", \"dms\": {\"icon\": \"\"}")) << "dms.icon: must not be empty";
        QTest::newRow("dms unknown field")
            << minimal(QStringLiteral(", \"dms\": {\"colour\": \"red\"}")) << "dms.colour: unknown field";
        QTest::newRow("bad policy")
            << minimal(QStringLiteral(", \"already_provisioned\": \"ignore\""))
            << "already_provisioned: 'ignore' is not allowed (allowed: refuse, reprovision, renew)";
        QTest::newRow("secret in env field") << minimal(QStringLiteral(", \"est\": 1")) << "est: must be an object";
        QTest::newRow("mtls without credential")
            << QByteArray("{\"name\":\"x\",\"device\":{\"protocol\":\"station\"},\"est\":{\"url\":\"https://h/"
                          ".well-known/est\", \"trust\":{\"system\":true},\"auth\":{\"mode\":\"mtls\"}}}")
            << "est.auth.mode: mtls needs client_cert + client_key, or client_p12";
        QTest::newRow("password instead of env name")
            << QByteArray("{\"name\":\"x\",\"device\":{\"protocol\":\"station\"},\"est\":{\"url\":\"https://h/"
                          ".well-known/est\", "
                          "\"trust\":{\"system\":true},\"auth\":{\"mode\":\"basic\",\"user\":\"op\",\"password_env\":"
                          "\"s3cr3t pass\"}}}")
            << "est.auth.password_env: must name an environment variable";
        QTest::newRow("nrf91 rsa on device") << QByteArray("{\"name\":\"x\",\"device\":{\"protocol\":\"nrf91\"},"
                                                           "\"est\":{\"url\":\"https://h/.well-known/est\", "
                                                           "\"trust\":{\"system\":true},\"auth\":{\"mode\":\"none\"}},"
                                                           "\"enrollment\":{\"key_type\":\"rsa2048\"}}")
                                             << "the nRF91 generates only p256";
        QTest::newRow("two trust sources")
            << QByteArray(
                   "{\"name\":\"x\",\"device\":{\"protocol\":\"station\"},\"est\":{\"url\":\"https://h/.well-known/"
                   "est\", \"trust\":{\"system\":true,\"bootstrap_fingerprint\":\"00\"},\"auth\":{\"mode\":\"none\"}}}")
            << "est.trust: give exactly one of";
        QTest::newRow("missing trust file")
            << QByteArray("{\"name\":\"x\",\"device\":{\"protocol\":\"station\"},\"est\":{\"url\":\"https://h/"
                          ".well-known/est\", \"trust\":{\"file\":\"no-such-ca.pem\"},\"auth\":{\"mode\":\"none\"}}}")
            << "est.trust.file: file";
        QTest::newRow("slot out of range")
            << minimal().replace("\"protocol\": \"station\"", "\"protocol\": \"station\", \"slot\": 300")
            << "device.slot: must be a whole number from 0 to 255";
        QTest::newRow("bad vid:pid") << minimal().replace("\"protocol\": \"station\"",
                                                          "\"protocol\": \"station\", \"usb_ids\": [\"nordic\"]")
                                     << "device.usb_ids: 'nordic' is not a VID:PID";
        QTest::newRow("regex without group")
            << minimal(QStringLiteral(", \"barcode\": {\"rule\": \"regex\", \"pattern\": \"SN\\\\d+\"}"))
            << "barcode.pattern: The barcode pattern has no group named 'serial'";
        QTest::newRow("san with device key")
            << minimal(QStringLiteral(", \"enrollment\": {\"san\": [\"DNS:{serial}.x\"]}"))
            << "enrollment.san: a unit builds its CSR";
        QTest::newRow("bootstrap slot is the main slot")
            << minimal(QStringLiteral(", \"inject\": {\"bootstrap_credential\": {\"slot\": 0}}"))
            << "inject.bootstrap_credential.slot: must differ from the device's provisioning slot";
        QTest::newRow("not json") << QByteArray("{name: x") << "not valid JSON";
    }
    void problems_nameTheFieldAndWhatIsAllowed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const QStringList problems = ProductProfile::problems(json, QDir::tempPath());
        QVERIFY2(!problems.filter(expected).isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        auto loaded = ProductProfile::fromJson(json, QDir::tempPath());
        QVERIFY(!loaded);
        QVERIFY(loaded.error().detail.contains(expected));
    }

    void problems_listsEveryProblemAtOnce()
    {
        const QStringList problems = ProductProfile::problems(
            "{\"device\":{\"protocol\":\"x\"},\"est\":{\"url\":\"ftp://a\"},\"already_provisioned\":\"y\"}",
            QDir::tempPath());
        QVERIFY2(problems.size() >= 5, qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void toJson_roundTrips()
    {
        QTemporaryDir dir;
        QFile ca(dir.filePath(QStringLiteral("ca.pem")));
        QVERIFY(ca.open(QIODevice::WriteOnly));
        ca.close();
        const QByteArray json =
            "{\"name\":\"Acme Modem\",\"device\":{\"protocol\":\"nrf91\",\"sec_tag\":42,\"usb_ids\":[\"1915:910a\"]}, "
            "\"est\":{\"url\":\"https://h:8443/.well-known/est/dms\",\"trust\":{\"file\":\"ca.pem\"}, "
            "\"auth\":{\"mode\":\"basic\",\"user\":\"line1\",\"password_env\":\"EST_PASS\"},\"csrattrs\":false}, "
            "\"enrollment\":{\"key_origin\":\"server\",\"key_type\":\"p384\",\"subject\":\"CN={serial},O=Acme\","
            "\"san\":[\"DNS:{imei}.acme\"]}, \"barcode\":{\"rule\":\"gs1\"},\"already_provisioned\":\"renew\"}";
        auto p = ProductProfile::fromJson(json, dir.path());
        QVERIFY2(p, p ? "" : qPrintable(p.error().detail));
        const QByteArray again = QJsonDocument(p->toJson()).toJson();
        auto q = ProductProfile::fromJson(again, dir.path());
        QVERIFY2(q, q ? "" : qPrintable(q.error().detail));
        QCOMPARE(q->device.driver.slot, 42);
        QCOMPARE(q->est.trustFile, dir.filePath(QStringLiteral("ca.pem")));
        QCOMPARE(q->est.passwordEnv, QStringLiteral("EST_PASS"));
        QCOMPARE(q->enrollment.keyOrigin, KeyOrigin::Server);
        QCOMPARE(q->barcode.kind(), BarcodeRule::Kind::Gs1);
        QCOMPARE(q->alreadyProvisioned, AlreadyProvisionedPolicy::Renew);
        QVERIFY(!q->est.fetchCsrAttrs);
        QVERIFY(!again.contains("s3cr3t"));
    }

    void shippedSamples_load()
    {
        const QDir dir(QStringLiteral(STATION_SOURCE_DIR "/resources/profiles"));
        const QStringList files = dir.entryList({QStringLiteral("*.json")});
        QVERIFY(files.size() >= 4);
        for (const QString &f : files) {
            auto p = ProductProfile::load(dir.filePath(f));
            QVERIFY2(p, qPrintable(f + QStringLiteral(": ") + (p ? QString() : p.error().detail)));
        }
    }
};

QTEST_GUILESS_MAIN(TestProductProfile)
#include "tst_productprofile.moc"
