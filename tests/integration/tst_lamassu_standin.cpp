// The Lamassu stand-in's gateway and REST APIs as a client sees them over real TLS: the OAuth2
// client-credentials token endpoint, the gateway's bearer check and token expiry, the device manager's
// create / read / metadata answers (201, 500 "{}", 400 {"err"}) and the DMS settings. Injected faults:
// tst_lamassu_standin_faults.
#include "LamassuTestKit.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTest>

#include <memory>

using namespace station;
using namespace station::test::lamassu;

namespace {

const QString kDevices = QStringLiteral("/api/devmanager/v1/devices");

QByteArray form(const QString &id, const QString &secret, const QString &grant = QStringLiteral("client_credentials"))
{
    return "grant_type=" + QUrl::toPercentEncoding(grant) + "&client_id=" + QUrl::toPercentEncoding(id) +
           "&client_secret=" + QUrl::toPercentEncoding(secret);
}

const QList<QPair<QByteArray, QByteArray>> kFormType{{"Content-Type", "application/x-www-form-urlencoded"}};

} // namespace

class TestLamassuStandIn : public QObject
{
    Q_OBJECT

    std::unique_ptr<LamassuStandIn> m_lamassu;
    std::unique_ptr<RestClient> m_rest;

    /// A client with a valid token from the token endpoint.
    std::unique_ptr<RestClient> authorized(LamassuStandIn &standIn)
    {
        auto client = std::make_unique<RestClient>(standIn);
        client->setToken(standIn.issueToken());
        return client;
    }

private Q_SLOTS:
    void init()
    {
        m_lamassu = std::make_unique<LamassuStandIn>();
        auto started = m_lamassu->start();
        QVERIFY2(started.has_value(), qPrintable(started ? QString() : started.error().toString()));
        m_rest = authorized(*m_lamassu);
    }

    void cleanup()
    {
        m_rest.reset();
        m_lamassu.reset();
    }

    void token_clientCredentials_grantsBearerByFormOrBasic()
    {
        RestClient anonymous(*m_lamassu);
        Answer a = anonymous.send("POST", m_lamassu->tokenUrl().toString(),
                                  form(QStringLiteral("station"), QStringLiteral("s3cret")), kFormType);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json().value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
        QCOMPARE(a.json().value(QStringLiteral("expires_in")).toInt(), 300);
        const QString token = a.json().value(QStringLiteral("access_token")).toString();
        QCOMPARE(token.count(QLatin1Char('.')), 2); // a JWT
        const QJsonObject claims = jsonObject(
            QByteArray::fromBase64(token.section(QLatin1Char('.'), 1, 1).toLatin1(), QByteArray::Base64UrlEncoding));
        QVERIFY(claims.value(QStringLiteral("exp")).toInteger() > QDateTime::currentSecsSinceEpoch());
        QVERIFY(claims.value(QStringLiteral("realm_access"))
                    .toObject()
                    .value(QStringLiteral("roles"))
                    .toArray()
                    .contains(QStringLiteral("pki-admin")));

        // client_secret_basic
        a = anonymous.send("POST", m_lamassu->tokenUrl().toString(), "grant_type=client_credentials",
                           kFormType + QList<QPair<QByteArray, QByteArray>>{
                                           {"Authorization", "Basic " + QByteArray("station:s3cret").toBase64()}});
        QCOMPARE(a.status, 200);
        QCOMPARE(m_lamassu->counters().tokenGrants, 2);

        RestClient bearer(*m_lamassu);
        bearer.setToken(token);
        QCOMPARE(bearer.get(QStringLiteral("/api/dmsmanager/v1/dms/factory-dms")).status, 200);
    }

    void token_refusals_haveOAuthErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::newRow("wrong secret") << form(QStringLiteral("station"), QStringLiteral("nope")) << 401
                                      << QStringLiteral("invalid_client");
        QTest::newRow("unknown client") << form(QStringLiteral("other"), QStringLiteral("s3cret")) << 401
                                        << QStringLiteral("invalid_client");
        QTest::newRow("password grant") << form(QStringLiteral("station"), QStringLiteral("s3cret"),
                                                QStringLiteral("password"))
                                        << 400 << QStringLiteral("unsupported_grant_type");
        QTest::newRow("no grant type") << QByteArray("client_id=station&client_secret=s3cret") << 400
                                       << QStringLiteral("invalid_request");
    }

    void token_refusals_haveOAuthErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, error);
        RestClient anonymous(*m_lamassu);
        const Answer a = anonymous.send("POST", m_lamassu->tokenUrl().toString(), body, kFormType);
        QCOMPARE(a.status, status);
        QCOMPARE(a.json().value(QStringLiteral("error")).toString(), error);
        QCOMPARE(m_lamassu->counters().tokenGrants, 0);
    }

    void gateway_withoutValidToken_is401_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("none") << QByteArray() << QByteArray("Jwt is missing");
        QTest::newRow("basic") << QByteArray("Basic c3RhdGlvbjpzM2NyZXQ=") << QByteArray("Jwt is missing");
        QTest::newRow("made up") << QByteArray("Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln")
                                 << QByteArray("Jwt verification fails");
    }

    void gateway_withoutValidToken_is401()
    {
        QFETCH(QByteArray, authorization);
        QFETCH(QByteArray, message);
        RestClient anonymous(*m_lamassu);
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!authorization.isEmpty())
            headers.append({"Authorization", authorization});
        for (const QString &path :
             {kDevices + QStringLiteral("/unit-1"), QStringLiteral("/api/dmsmanager/v1/dms/factory-dms")}) {
            const Answer a = anonymous.send("GET", path, {}, headers);
            QCOMPARE(a.status, 401);
            QCOMPARE(a.body, message);
            QVERIFY(a.header("WWW-Authenticate").startsWith("Bearer"));
        }
        const Answer post =
            anonymous.send("POST", kDevices, QJsonDocument(deviceBody(QStringLiteral("u"))).toJson(), headers);
        QCOMPARE(post.status, 401);
        QVERIFY(m_lamassu->devices().isEmpty());
        QCOMPARE(m_lamassu->counters().unauthorized, 3);
        QCOMPARE(m_lamassu->counters().created, 0);
    }

    void gateway_expiredTokens_are401UntilANewOneIsFetched()
    {
        QCOMPARE(m_rest->post(kDevices, deviceBody(QStringLiteral("unit-1"))).status, 201);
        m_lamassu->expireAllTokens();
        const Answer refused = m_rest->post(kDevices, deviceBody(QStringLiteral("unit-2")));
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.body, QByteArray("Jwt is expired"));
        QVERIFY(refused.header("WWW-Authenticate").contains("invalid_token"));
        m_rest->setToken(m_lamassu->issueToken());
        QCOMPARE(m_rest->post(kDevices, deviceBody(QStringLiteral("unit-2"))).status, 201);
        QCOMPARE(m_lamassu->devices().keys(), (QStringList{QStringLiteral("unit-1"), QStringLiteral("unit-2")}));
    }

    void gateway_tokenLifetime_endsTheToken()
    {
        LamassuStandIn::Options options;
        options.tokenLifetimeSeconds = 1;
        LamassuStandIn shortLived(options);
        QVERIFY(shortLived.start().has_value());
        RestClient anonymous(shortLived);
        const Answer grant = anonymous.send("POST", shortLived.tokenUrl().toString(),
                                            form(QStringLiteral("station"), QStringLiteral("s3cret")), kFormType);
        QCOMPARE(grant.json().value(QStringLiteral("expires_in")).toInt(), 1);
        RestClient client(shortLived);
        client.setToken(grant.json().value(QStringLiteral("access_token")).toString());
        QCOMPARE(client.get(QStringLiteral("/api/dmsmanager/v1/dms/factory-dms")).status, 200);
        QTest::qWait(2100);
        const Answer late = client.get(QStringLiteral("/api/dmsmanager/v1/dms/factory-dms"));
        QCOMPARE(late.status, 401);
        QCOMPARE(late.body, QByteArray("Jwt is expired"));
    }

    void gateway_tokenWithoutPkiAdmin_is403()
    {
        LamassuStandIn::Options options;
        options.clientRoles = {QStringLiteral("viewer")};
        LamassuStandIn viewer(options);
        QVERIFY(viewer.start().has_value());
        auto client = authorized(viewer);
        const Answer a = client->post(kDevices, deviceBody(QStringLiteral("unit-1")));
        QCOMPARE(a.status, 403);
        QVERIFY(viewer.devices().isEmpty());
    }

    void createDevice_is201WithTheDeviceAsLamassuRendersIt()
    {
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        const Answer a = m_rest->post(kDevices, deviceBody(QStringLiteral("unit-1")));
        QCOMPARE(a.status, 201);
        QVERIFY(a.header("Content-Type").startsWith("application/json"));
        const QJsonObject d = a.json();
        QCOMPARE(d.value(QStringLiteral("id")).toString(), QStringLiteral("unit-1"));
        QCOMPARE(d.value(QStringLiteral("status")).toString(), QStringLiteral("NO_IDENTITY"));
        QCOMPARE(d.value(QStringLiteral("dms_owner")).toString(), QStringLiteral("factory-dms"));
        QCOMPARE(d.value(QStringLiteral("icon")).toString(), QStringLiteral("CgSmartphoneChip"));
        QCOMPARE(d.value(QStringLiteral("icon_color")).toString(), QStringLiteral("#25ee32-#222222"));
        QCOMPARE(d.value(QStringLiteral("tags")).toArray(),
                 (QJsonArray{QStringLiteral("line-1"), QStringLiteral("fw-1.2")}));
        QCOMPARE(d.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("model")).toString(),
                 QStringLiteral("X1"));
        QVERIFY(!d.contains(QStringLiteral("identity")));
        QCOMPARE(d.value(QStringLiteral("slots")).toObject(), QJsonObject{});
        const QDateTime created =
            QDateTime::fromString(d.value(QStringLiteral("creation_timestamp")).toString(), Qt::ISODateWithMs);
        QVERIFY(created.isValid());
        QVERIFY(created.toSecsSinceEpoch() >= before);
        const QJsonObject events = d.value(QStringLiteral("events")).toObject();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.begin()->toObject().value(QStringLiteral("type")).toString(), QStringLiteral("CREATED"));

        const Answer read = m_rest->get(kDevices + QStringLiteral("/unit-1"));
        QCOMPARE(read.status, 200);
        QCOMPARE(read.json(), d);
        QCOMPARE(m_lamassu->devices().value(QStringLiteral("unit-1")).json, d);
        const auto c = m_lamassu->counters();
        QCOMPARE(c.createPosts, 1);
        QCOMPARE(c.created, 1);
        QCOMPARE(c.gets, 1);
    }

    void createDevice_minimalBody_defaultsTagsAndMetadata()
    {
        const QJsonObject body{{QStringLiteral("id"), QStringLiteral("unit-min")},
                               {QStringLiteral("dms_id"), QStringLiteral("factory-dms")},
                               {QStringLiteral("icon"), QStringLiteral("i")},
                               {QStringLiteral("icon_color"), QStringLiteral("c")},
                               {QStringLiteral("tags"), QJsonValue::Null}};
        const Answer a = m_rest->post(kDevices, body);
        QCOMPARE(a.status, 201);
        QCOMPARE(a.json().value(QStringLiteral("tags")).toArray(), QJsonArray{});
        QCOMPARE(a.json().value(QStringLiteral("metadata")).toObject(), QJsonObject{});
    }

    void createDevice_requiredFieldMissingOrEmpty_is500_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<bool>("empty");
        for (const char *field : {"id", "dms_id", "icon", "icon_color"}) {
            QTest::addRow("%s missing", field) << QString::fromLatin1(field) << false;
            QTest::addRow("%s empty", field) << QString::fromLatin1(field) << true;
        }
    }

    void createDevice_requiredFieldMissingOrEmpty_is500()
    {
        QFETCH(QString, field);
        QFETCH(bool, empty);
        QJsonObject body = deviceBody(QStringLiteral("unit-1"));
        if (empty)
            body.insert(field, QString());
        else
            body.remove(field);
        const Answer a = m_rest->post(kDevices, body);
        QCOMPARE(a.status, 500);
        QCOMPARE(a.body, QByteArray("{}")); // a Go error value: its message does not survive ctx.JSON
        QVERIFY(m_lamassu->devices().isEmpty());
    }

    void createDevice_duplicateId_is500_andKeepsTheFirst()
    {
        QCOMPARE(m_rest->post(kDevices, deviceBody(QStringLiteral("unit-1"))).status, 201);
        QJsonObject again = deviceBody(QStringLiteral("unit-1"));
        again.insert(QStringLiteral("icon"), QStringLiteral("other"));
        const Answer a = m_rest->post(kDevices, again);
        QCOMPARE(a.status, 500);
        QCOMPARE(a.body, QByteArray("{}"));
        QCOMPARE(m_rest->get(kDevices + QStringLiteral("/unit-1")).json().value(QStringLiteral("icon")).toString(),
                 QStringLiteral("CgSmartphoneChip"));
        const auto c = m_lamassu->counters();
        QCOMPARE(c.createPosts, 2);
        QCOMPARE(c.created, 1);
        QCOMPARE(c.duplicates, 1);
    }

    void createDevice_bodyNotTheJsonItTakes_is400_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not json") << QByteArray("id=unit-1") << QString();
        QTest::newRow("truncated") << QByteArray("{\"id\":\"unit-1\"") << QString();
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("cannot unmarshal array");
        QTest::newRow("id a number") << QByteArray("{\"id\":7,\"dms_id\":\"d\",\"icon\":\"i\",\"icon_color\":\"c\"}")
                                     << QStringLiteral("CreateDeviceBody.id of type string");
        QTest::newRow("tags a string") << QByteArray("{\"id\":\"u\",\"tags\":\"a\"}")
                                       << QStringLiteral("CreateDeviceBody.tags");
        QTest::newRow("metadata an array")
            << QByteArray("{\"id\":\"u\",\"metadata\":[1]}") << QStringLiteral("CreateDeviceBody.metadata");
    }

    void createDevice_bodyNotTheJsonItTakes_is400()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, reason);
        const Answer a = m_rest->send("POST", kDevices, body);
        QCOMPARE(a.status, 400);
        const QString err = a.json().value(QStringLiteral("err")).toString();
        QVERIFY2(!err.isEmpty(), a.body.constData());
        QVERIFY2(err.contains(reason), qPrintable(err));
        QVERIFY(m_lamassu->devices().isEmpty());
    }

    void getDevice_unknown_is400DeviceNotFound()
    {
        const Answer a = m_rest->get(kDevices + QStringLiteral("/nobody"));
        QCOMPARE(a.status, 400);
        QCOMPARE(a.json(), (QJsonObject{{QStringLiteral("err"), QStringLiteral("device not found")}}));
    }

    void getDevice_idWithReservedCharacters_isFoundPercentEncoded()
    {
        QVERIFY(m_lamassu->addDevice(deviceBody(QStringLiteral("unit 7+x"))));
        const Answer a = m_rest->get(kDevices + QStringLiteral("/unit%207%2Bx"));
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json().value(QStringLiteral("id")).toString(), QStringLiteral("unit 7+x"));
    }

    void patchMetadata_appliesAddReplaceRemove()
    {
        QVERIFY(m_lamassu->addDevice(deviceBody(QStringLiteral("unit-1"))));
        const QJsonObject patches{
            {QStringLiteral("patches"),
             QJsonArray{QJsonObject{{QStringLiteral("op"), QStringLiteral("add")},
                                    {QStringLiteral("path"), QStringLiteral("/station")},
                                    {QStringLiteral("value"), QJsonObject{{QStringLiteral("line"), 3}}}},
                        QJsonObject{{QStringLiteral("op"), QStringLiteral("replace")},
                                    {QStringLiteral("path"), QStringLiteral("/model")},
                                    {QStringLiteral("value"), QStringLiteral("X2")}},
                        QJsonObject{{QStringLiteral("op"), QStringLiteral("remove")},
                                    {QStringLiteral("path"), QStringLiteral("/serial")}},
                        QJsonObject{{QStringLiteral("op"), QStringLiteral("add")},
                                    {QStringLiteral("path"), QStringLiteral("/station/operator")},
                                    {QStringLiteral("value"), QStringLiteral("ana")}}}}};
        const Answer a =
            m_rest->send("PATCH", kDevices + QStringLiteral("/unit-1/metadata"), QJsonDocument(patches).toJson());
        QCOMPARE(a.status, 200);
        const QJsonObject expected{
            {QStringLiteral("model"), QStringLiteral("X2")},
            {QStringLiteral("station"),
             QJsonObject{{QStringLiteral("line"), 3}, {QStringLiteral("operator"), QStringLiteral("ana")}}}};
        QCOMPARE(a.json().value(QStringLiteral("metadata")).toObject(), expected);
        QCOMPARE(m_rest->get(kDevices + QStringLiteral("/unit-1")).json().value(QStringLiteral("metadata")).toObject(),
                 expected);
        QCOMPARE(m_lamassu->counters().metadataPatches, 1);
    }

    void patchMetadata_failures_are500OrBadBody400()
    {
        QVERIFY(m_lamassu->addDevice(deviceBody(QStringLiteral("unit-1"))));
        const QByteArray removeMissing = "{\"patches\":[{\"op\":\"remove\",\"path\":\"/absent\"}]}";
        Answer a = m_rest->send("PATCH", kDevices + QStringLiteral("/unit-1/metadata"), removeMissing);
        QCOMPARE(a.status, 500);
        QCOMPARE(a.body, QByteArray("{}"));
        a = m_rest->send("PATCH", kDevices + QStringLiteral("/nobody/metadata"),
                         "{\"patches\":[{\"op\":\"add\",\"path\":\"/a\",\"value\":1}]}");
        QCOMPARE(a.status, 500);
        a = m_rest->send("PATCH", kDevices + QStringLiteral("/unit-1/metadata"), "{\"patches\":{}}");
        QCOMPARE(a.status, 400);
        // A failed patch changed nothing.
        QCOMPARE(m_lamassu->devices().value(QStringLiteral("unit-1")).json.value(QStringLiteral("metadata")),
                 deviceBody(QStringLiteral("unit-1")).value(QStringLiteral("metadata")));
    }

    void unknownRoutes_arePlain404()
    {
        for (const auto &[method, path] :
             QList<QPair<QByteArray, QString>>{{"DELETE", kDevices + QStringLiteral("/unit-1")},
                                               {"GET", QStringLiteral("/api/devmanager/v1/nothing")},
                                               {"PUT", QStringLiteral("/api/dmsmanager/v1/dms/factory-dms")}}) {
            const Answer a = m_rest->send(method, path);
            QCOMPARE(a.status, 404);
            QCOMPARE(a.body, QByteArray("404 page not found"));
        }
    }

    void getDms_hasTheDocumentedSettings()
    {
        const Answer a = m_rest->get(QStringLiteral("/api/dmsmanager/v1/dms/factory-dms"));
        QCOMPARE(a.status, 200);
        const QJsonObject dms = a.json();
        QCOMPARE(dms.value(QStringLiteral("id")).toString(), QStringLiteral("factory-dms"));
        QCOMPARE(dms.value(QStringLiteral("name")).toString(), QStringLiteral("Factory DMS"));
        QVERIFY(dms.value(QStringLiteral("metadata")).isObject());
        QVERIFY(
            QDateTime::fromString(dms.value(QStringLiteral("creation_ts")).toString(), Qt::ISODateWithMs).isValid());
        const QJsonObject settings = dms.value(QStringLiteral("settings")).toObject();
        const QJsonObject enrollment = settings.value(QStringLiteral("enrollment_settings")).toObject();
        QCOMPARE(enrollment.value(QStringLiteral("registration_mode")).toString(), QStringLiteral("PRE_REGISTRATION"));
        QCOMPARE(enrollment.value(QStringLiteral("enable_replaceable_enrollment")).toBool(), true);
        const QJsonObject est = enrollment.value(QStringLiteral("est_rfc7030_settings")).toObject();
        QCOMPARE(est.value(QStringLiteral("auth_mode")).toString(), QStringLiteral("CLIENT_CERTIFICATE"));
        QCOMPARE(est.value(QStringLiteral("client_certificate_settings"))
                     .toObject()
                     .value(QStringLiteral("validation_cas"))
                     .toArray()
                     .size(),
                 1);
        const QJsonObject keygen = settings.value(QStringLiteral("server_keygen_settings")).toObject();
        QCOMPARE(keygen.value(QStringLiteral("enabled")).toBool(), true);
        QCOMPARE(keygen.value(QStringLiteral("key")).toObject(),
                 (QJsonObject{{QStringLiteral("type"), QStringLiteral("ECDSA")}, {QStringLiteral("bits"), 256}}));
        const QJsonObject distribution = settings.value(QStringLiteral("ca_distribution_settings")).toObject();
        QVERIFY(distribution.contains(QStringLiteral("include_system_ca")));
        QVERIFY(distribution.value(QStringLiteral("include_enrollment_ca")).toBool());
        QCOMPARE(distribution.value(QStringLiteral("managed_cas")).toArray(), QJsonArray{});
        const QJsonObject reenroll = settings.value(QStringLiteral("reenrollment_settings")).toObject();
        QCOMPARE(reenroll.value(QStringLiteral("reenrollment_delta")).toString(), QStringLiteral("1w"));
        QCOMPARE(reenroll.value(QStringLiteral("preventive_delta")).toString(), QStringLiteral("3d"));
        QCOMPARE(reenroll.value(QStringLiteral("critical_delta")).toString(), QStringLiteral("1d"));
        QCOMPARE(m_lamassu->counters().dmsGets, 1);

        m_lamassu->setRegistrationMode(LamassuStandIn::RegistrationMode::Jitp);
        m_lamassu->setReplaceableEnrollment(false);
        m_lamassu->setServerKeygen(false, QStringLiteral("RSA"), 3072);
        const QJsonObject changed = m_rest->get(QStringLiteral("/api/dmsmanager/v1/dms/factory-dms"))
                                        .json()
                                        .value(QStringLiteral("settings"))
                                        .toObject();
        const QJsonObject changedEnrollment = changed.value(QStringLiteral("enrollment_settings")).toObject();
        QCOMPARE(changedEnrollment.value(QStringLiteral("registration_mode")).toString(), QStringLiteral("JITP"));
        QCOMPARE(changedEnrollment.value(QStringLiteral("enable_replaceable_enrollment")).toBool(), false);
        QCOMPARE(changed.value(QStringLiteral("server_keygen_settings"))
                     .toObject()
                     .value(QStringLiteral("enabled"))
                     .toBool(),
                 false);
    }

    void getDms_unknown_is500WithoutMessage()
    {
        const Answer a = m_rest->get(QStringLiteral("/api/dmsmanager/v1/dms/other-dms"));
        QCOMPARE(a.status, 500);
        QCOMPARE(a.body, QByteArray("{}"));
    }

    void requestSeen_isEmittedForEveryRequest()
    {
        QSignalSpy seen(m_lamassu.get(), &LamassuStandIn::requestSeen);
        QCOMPARE(m_rest->get(kDevices + QStringLiteral("/x")).status, 400);
        QCOMPARE(m_rest->get(QStringLiteral("/api/dmsmanager/v1/dms/factory-dms")).status, 200);
        QCOMPARE(seen.size(), 2);
        QCOMPARE(seen.at(0).at(0).toByteArray(), QByteArray("GET"));
        QCOMPARE(seen.at(0).at(1).toByteArray(), QByteArray("/api/devmanager/v1/devices/x"));
    }
};

QTEST_GUILESS_MAIN(TestLamassuStandIn)
#include "tst_lamassu_standin.moc"
