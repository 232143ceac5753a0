// Faults the Lamassu stand-in injects into device-manager calls, as the upload sees them over real TLS:
// an answered status without the call being carried out, a request never answered, a 2xx with a body
// that is not JSON, and a reset connection — each either before or after the device was created.
#include "LamassuTestKit.h"

#include <QElapsedTimer>
#include <QTest>

using namespace station;
using namespace station::test::lamassu;
using station::test::RawTlsClient;

namespace {

const QString kDevices = QStringLiteral("/api/devmanager/v1/devices");

} // namespace

class TestLamassuStandInFaults : public QObject
{
    Q_OBJECT

    std::unique_ptr<LamassuStandIn> m_lamassu;
    std::unique_ptr<RestClient> m_rest;

private Q_SLOTS:
    void init()
    {
        m_lamassu = std::make_unique<LamassuStandIn>();
        QVERIFY(m_lamassu->start().has_value());
        m_rest = std::make_unique<RestClient>(*m_lamassu);
        m_rest->setToken(m_lamassu->issueToken());
    }

    void cleanup()
    {
        m_rest.reset();
        m_lamassu.reset();
    }

    void fault_failNext_answersTheStatusWithoutCreating()
    {
        m_lamassu->failNextRequests(2, 503, "upstream connect error");
        Answer a = m_rest->post(kDevices, deviceBody(QStringLiteral("unit-1")));
        QCOMPARE(a.status, 503);
        QCOMPARE(a.body, QByteArray("upstream connect error"));
        QCOMPARE(m_rest->get(kDevices + QStringLiteral("/unit-1")).status, 503);
        QVERIFY(m_lamassu->devices().isEmpty());
        QCOMPARE(m_rest->post(kDevices, deviceBody(QStringLiteral("unit-1"))).status, 201);
        // Faults touch only the device manager.
        m_lamassu->failNextRequests(1, 502);
        QCOMPARE(m_rest->get(QStringLiteral("/api/dmsmanager/v1/dms/factory-dms")).status, 200);
        QCOMPARE(m_rest->get(kDevices + QStringLiteral("/unit-1")).status, 502);
        const auto c = m_lamassu->counters();
        QCOMPARE(c.createPosts, 2);
        QCOMPARE(c.created, 1);
        QCOMPARE(c.faultsInjected, 3);
    }

    void fault_hang_neverAnswers_theClientTimesOut_data()
    {
        QTest::addColumn<bool>("processed");
        QTest::newRow("unprocessed") << false;
        QTest::newRow("processed") << true;
    }

    void fault_hang_neverAnswers_theClientTimesOut()
    {
        QFETCH(bool, processed);
        m_lamassu->hangNextRequests(1, processed ? LamassuStandIn::Delivery::Processed
                                                 : LamassuStandIn::Delivery::Unprocessed);
        QElapsedTimer timer;
        timer.start();
        const Answer hung =
            m_rest->send("POST", kDevices, QJsonDocument(deviceBody(QStringLiteral("unit-1"))).toJson(), {}, 700);
        QCOMPARE(hung.status, 0);
        QCOMPARE(hung.error, QNetworkReply::OperationCanceledError); // the transfer timeout
        QVERIFY(timer.elapsed() >= 600);
        QCOMPARE(m_lamassu->devices().contains(QStringLiteral("unit-1")), processed);
        // The next request is answered normally.
        const Answer next = m_rest->post(kDevices, deviceBody(QStringLiteral("unit-1")));
        QCOMPARE(next.status, processed ? 500 : 201);
    }

    void fault_garbage_isCarriedOutButTheAnswerIsNotJson()
    {
        m_lamassu->garbageNextRequests(2);
        const Answer created = m_rest->post(kDevices, deviceBody(QStringLiteral("unit-1")));
        QCOMPARE(created.status, 201);
        QJsonParseError error;
        QJsonDocument::fromJson(created.body, &error);
        QVERIFY(error.error != QJsonParseError::NoError);
        const Answer read = m_rest->get(kDevices + QStringLiteral("/unit-1"));
        QCOMPARE(read.status, 200);
        QVERIFY(read.json().isEmpty());
        QVERIFY(m_lamassu->devices().contains(QStringLiteral("unit-1")));
        QCOMPARE(m_rest->get(kDevices + QStringLiteral("/unit-1")).json().value(QStringLiteral("id")).toString(),
                 QStringLiteral("unit-1"));
    }

    void fault_drop_resetsTheConnectionWithoutAnswer_data()
    {
        QTest::addColumn<bool>("processed");
        QTest::newRow("unprocessed") << false;
        QTest::newRow("processed") << true;
    }

    void fault_drop_resetsTheConnectionWithoutAnswer()
    {
        QFETCH(bool, processed);
        m_lamassu->dropNextConnections(1, processed ? LamassuStandIn::Delivery::Processed
                                                    : LamassuStandIn::Delivery::Unprocessed);
        const QByteArray body = QJsonDocument(deviceBody(QStringLiteral("unit-1"))).toJson(QJsonDocument::Compact);
        RawTlsClient raw(pemCert(m_lamassu->serverCaPem()));
        QVERIFY(raw.connectTo(m_lamassu->port()));
        raw.send(rawRequest("POST", kDevices.toLatin1(),
                            "Authorization: Bearer " + m_lamassu->issueToken().toLatin1() +
                                "\r\nContent-Type: application/json\r\n",
                            body));
        QVERIFY(!raw.readResponse(3000).has_value());
        QVERIFY(raw.waitDisconnected(3000));
        QCOMPARE(m_lamassu->devices().contains(QStringLiteral("unit-1")), processed);
        QCOMPARE(m_lamassu->counters().faultsInjected, 1);
        QCOMPARE(m_lamassu->counters().createPosts, 1);
    }

    void fault_drop_qtResendsTheRequestOnce()
    {
        // What the station's own HTTP stack does with a reset connection: Qt sends the request again on a
        // new connection by itself, so a POST carried out before the reset comes back as a duplicate (500).
        m_lamassu->dropNextConnections(1, LamassuStandIn::Delivery::Processed);
        const Answer a = m_rest->post(kDevices, deviceBody(QStringLiteral("unit-1")));
        QCOMPARE(m_lamassu->counters().createPosts, 2);
        QCOMPARE(a.status, 500);
        QCOMPARE(m_lamassu->counters().duplicates, 1);
    }
};

QTEST_GUILESS_MAIN(TestLamassuStandInFaults)
#include "tst_lamassu_standin_faults.moc"
