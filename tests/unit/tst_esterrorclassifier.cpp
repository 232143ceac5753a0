// EstErrorClassifier: server texts (Lamassu JSON, plain, HTML), the HTTP status mapping, the Lamassu 500
// messages of shared/reference/LAMASSU.md, and transport/TLS failures, each with cause and remedy.
#include "est/EstErrorClassifier.h"

#include <QTest>
#include <QTimeZone>

using station::ErrorCode;
using station::est::EstErrorClassifier;
using station::est::EstFailureContext;
using station::est::EstOperation;

Q_DECLARE_METATYPE(station::ErrorCode)

namespace {
EstFailureContext context(EstFailureContext::Auth auth = EstFailureContext::Auth::ClientCertificate)
{
    EstFailureContext c;
    c.operation = EstOperation::SimpleEnroll;
    c.url = QUrl(QStringLiteral("https://est.example.com/.well-known/est/dms-1/simpleenroll"));
    c.auth = auth;
    c.clientCertificateSubject = QStringLiteral("CN=bootstrap-7");
    c.clientCertificateNotAfter = QDateTime(QDate(2020, 1, 1), QTime(0, 0), QTimeZone::utc());
    c.csrCommonName = QStringLiteral("device-001");
    c.basicUser = QStringLiteral("line3");
    c.now = QDateTime(QDate(2026, 1, 1), QTime(0, 0), QTimeZone::utc());
    return c;
}
} // namespace

class TestEstErrorClassifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void serverText_extractsTheServersWords_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QString>("text");
        QTest::newRow("lamassu json") << QByteArray("{\"err\":\"DMS not found\"}") << QByteArray("application/json")
                                      << QStringLiteral("DMS not found");
        QTest::newRow("json error member")
            << QByteArray("{ \"error\": \"bad thing\", \"code\": 3 }") << QByteArray() << QStringLiteral("bad thing");
        QTest::newRow("nested json") << QByteArray("{\"error\":{\"message\":\"deep\"}}") << QByteArray()
                                     << QStringLiteral("deep");
        QTest::newRow("plain text") << QByteArray("  body payload must be base64 encoded\n") << QByteArray("text/plain")
                                    << QStringLiteral("body payload must be base64 encoded");
        QTest::newRow("html") << QByteArray("<html><head><style>x{}</style></head><body><h1>502 Bad &amp; Gateway</h1>"
                                            "</body></html>")
                              << QByteArray("text/html") << QStringLiteral("502 Bad & Gateway");
        QTest::newRow("binary") << QByteArray("\x30\x82\x01\x00\x02", 5) << QByteArray()
                                << QStringLiteral("<5 bytes of binary data>");
        QTest::newRow("empty") << QByteArray() << QByteArray() << QString();
        QTest::newRow("json without known member")
            << QByteArray("{\"x\":1}") << QByteArray() << QStringLiteral("{\"x\":1}");
    }
    void serverText_extractsTheServersWords()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(QString, text);
        QCOMPARE(EstErrorClassifier::serverText(body, contentType), text);
    }

    void serverText_longBody_isCapped()
    {
        const QString text = EstErrorClassifier::serverText(QByteArray(5000, 'a'));
        QCOMPARE(text.size(), 300);
        QVERIFY(text.endsWith(QStringLiteral("...")));
    }

    void classifyHttp_mapsStatusAndKnownMessages_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("messagePart");
        QTest::addColumn<QString>("remedyPart");
        QTest::newRow("400") << 400 << QByteArray("body payload must be base64 encoded") << ErrorCode::Http
                             << QStringLiteral("malformed") << QStringLiteral("PKCS#10");
        QTest::newRow("400 missing dms") << 400 << QByteArray("{\"err\":\"missing DMS id\"}") << ErrorCode::Http
                                         << QStringLiteral("malformed") << QStringLiteral("DMS id");
        QTest::newRow("401 names the certificate and its expiry")
            << 401 << QByteArray() << ErrorCode::Authentication << QStringLiteral("CN=bootstrap-7")
            << QStringLiteral("client certificate");
        QTest::newRow("401 expired cert flagged")
            << 401 << QByteArray() << ErrorCode::Authentication << QStringLiteral("EXPIRED on 2020-01-01") << QString();
        QTest::newRow("403") << 403 << QByteArray("forbidden") << ErrorCode::Authentication
                             << QStringLiteral("forbidden") << QString();
        QTest::newRow("404") << 404 << QByteArray() << ErrorCode::NotFound << QStringLiteral("dms-1/simpleenroll")
                             << QStringLiteral("DMS id");
        QTest::newRow("500 dms not found") << 500 << QByteArray("{\"err\":\"DMS not found\"}") << ErrorCode::NotFound
                                           << QStringLiteral("DMS named in the EST URL") << QStringLiteral("DMS id");
        QTest::newRow("500 auth mode") << 500 << QByteArray("{\"err\":\"DMS auth mode not supported\"}")
                                       << ErrorCode::Authentication << QStringLiteral("no client certificate")
                                       << QStringLiteral("--client-cert");
        QTest::newRow("500 invalid certificate")
            << 500 << QByteArray("{\"err\":\"invalid certificate\"}") << ErrorCode::Authentication
            << QStringLiteral("CN=bootstrap-7") << QStringLiteral("validation CAs");
        QTest::newRow("500 revoked") << 500 << QByteArray("{\"err\":\"certificate is revoked\"}")
                                     << ErrorCode::Authentication << QStringLiteral("revoked") << QString();
        QTest::newRow("500 expired") << 500 << QByteArray("{\"err\":\"expired certificate\"}")
                                     << ErrorCode::Authentication << QStringLiteral("expired")
                                     << QStringLiteral("clock");
        QTest::newRow("500 webhook") << 500 << QByteArray("{\"err\":\"external webhook denied enrollment\"}")
                                     << ErrorCode::Authentication << QStringLiteral("webhook") << QString();
        QTest::newRow("500 csr signature")
            << 500 << QByteArray("{\"err\":\"invalid CSR signature\"}") << ErrorCode::Verification
            << QStringLiteral("signature") << QStringLiteral("generate it again");
        QTest::newRow("500 not preregistered")
            << 500 << QByteArray("{\"err\":\"device not preregistered\"}") << ErrorCode::NotFound
            << QStringLiteral("device-001") << QStringLiteral("manifest upload");
        QTest::newRow("500 forbidden new enrollment")
            << 500 << QByteArray("{\"err\":\"forbiddenNewEnrollment\"}") << ErrorCode::Authentication
            << QStringLiteral("already exists") << QStringLiteral("replaceable");
        QTest::newRow("500 other dms") << 500 << QByteArray("{\"err\":\"device already registered to another DMS\"}")
                                       << ErrorCode::Authentication << QStringLiteral("different DMS") << QString();
        QTest::newRow("500 keygen off") << 500 << QByteArray("{\"err\":\"server key generation not enabled\"}")
                                        << ErrorCode::Unsupported << QStringLiteral("key generation")
                                        << QStringLiteral("enroll");
        QTest::newRow("500 unknown") << 500 << QByteArray("{\"err\":\"database is on fire\"}") << ErrorCode::Http
                                     << QStringLiteral("failed to process") << QStringLiteral("Retry later");
        QTest::newRow("503") << 503 << QByteArray("maintenance") << ErrorCode::Http << QStringLiteral("failed")
                             << QString();
        QTest::newRow("504") << 504 << QByteArray() << ErrorCode::Timeout << QStringLiteral("timed out") << QString();
        QTest::newRow("415") << 415 << QByteArray() << ErrorCode::Http << QStringLiteral("content type") << QString();
    }
    void classifyHttp_mapsStatusAndKnownMessages()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(ErrorCode, code);
        QFETCH(QString, messagePart);
        QFETCH(QString, remedyPart);
        const station::Error e = EstErrorClassifier::classifyHttp(status, body, "application/json", context());
        QCOMPARE(e.code, code);
        QCOMPARE(e.httpStatus, status);
        QVERIFY2(e.message.contains(messagePart, Qt::CaseInsensitive), qPrintable(e.message));
        QVERIFY2(e.remedy.contains(remedyPart, Qt::CaseInsensitive), qPrintable(e.remedy));
        QVERIFY(!e.remedy.isEmpty());
        QVERIFY2(e.detail.contains(QStringLiteral("HTTP %1").arg(status)), qPrintable(e.detail));
        const QString said = EstErrorClassifier::serverText(body, "application/json");
        if (!said.isEmpty())
            QVERIFY2(e.detail.contains(said), qPrintable(e.detail));
    }

    void classifyHttp_401WithoutCredentials_suggestsAuthOptions()
    {
        const station::Error e = EstErrorClassifier::classifyHttp(401, {}, {}, context(EstFailureContext::Auth::None));
        QVERIFY(e.remedy.contains(QStringLiteral("--client-cert")));
        QVERIFY(e.remedy.contains(QStringLiteral("--user")));
        const station::Error b = EstErrorClassifier::classifyHttp(401, {}, {}, context(EstFailureContext::Auth::Basic));
        QVERIFY(b.message.contains(QStringLiteral("line3")));
        QVERIFY(b.remedy.contains(QStringLiteral("password")));
    }

    void classifyNetwork_mapsTransportFailures_data()
    {
        QTest::addColumn<int>("error");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("refused") << int(QNetworkReply::ConnectionRefusedError) << ErrorCode::Network
                                 << QStringLiteral("refused");
        QTest::newRow("host not found") << int(QNetworkReply::HostNotFoundError) << ErrorCode::Network
                                        << QStringLiteral("not found");
        QTest::newRow("timeout") << int(QNetworkReply::TimeoutError) << ErrorCode::Timeout << QStringLiteral("in time");
        QTest::newRow("closed") << int(QNetworkReply::RemoteHostClosedError) << ErrorCode::Network
                                << QStringLiteral("closed the connection");
        QTest::newRow("handshake") << int(QNetworkReply::SslHandshakeFailedError) << ErrorCode::Tls
                                   << QStringLiteral("handshake");
        QTest::newRow("proxy") << int(QNetworkReply::ProxyConnectionRefusedError) << ErrorCode::Network
                               << QStringLiteral("proxy");
    }
    void classifyNetwork_mapsTransportFailures()
    {
        QFETCH(int, error);
        QFETCH(ErrorCode, code);
        QFETCH(QString, messagePart);
        const station::Error e = EstErrorClassifier::classifyNetwork(QNetworkReply::NetworkError(error),
                                                                     QStringLiteral("qt says"), {}, context());
        QCOMPARE(e.code, code);
        QVERIFY2(e.message.contains(messagePart, Qt::CaseInsensitive), qPrintable(e.message));
        QVERIFY(!e.remedy.isEmpty());
        QCOMPARE(e.detail, QStringLiteral("qt says"));
    }

    void classifyNetwork_sslErrors_explainTheCertificateProblem_data()
    {
        QTest::addColumn<int>("sslError");
        QTest::addColumn<QString>("messagePart");
        QTest::addColumn<QString>("remedyPart");
        QTest::newRow("untrusted") << int(QSslError::UnableToGetLocalIssuerCertificate) << QStringLiteral("not trusted")
                                   << QStringLiteral("--trust");
        QTest::newRow("self-signed") << int(QSslError::SelfSignedCertificate) << QStringLiteral("not trusted")
                                     << QStringLiteral("--bootstrap-fingerprint");
        QTest::newRow("host mismatch") << int(QSslError::HostNameMismatch) << QStringLiteral("est.example.com")
                                       << QStringLiteral("subjectAltName");
        QTest::newRow("expired") << int(QSslError::CertificateExpired) << QStringLiteral("expired")
                                 << QStringLiteral("clock");
        QTest::newRow("not yet valid") << int(QSslError::CertificateNotYetValid) << QStringLiteral("not valid yet")
                                       << QStringLiteral("clock");
    }
    void classifyNetwork_sslErrors_explainTheCertificateProblem()
    {
        QFETCH(int, sslError);
        QFETCH(QString, messagePart);
        QFETCH(QString, remedyPart);
        const QList<QSslError> errors{QSslError(QSslError::SslError(sslError))};
        const station::Error e = EstErrorClassifier::classifyNetwork(
            QNetworkReply::SslHandshakeFailedError, QStringLiteral("handshake failed"), errors, context());
        QCOMPARE(e.code, ErrorCode::Tls);
        QVERIFY2(e.message.contains(messagePart), qPrintable(e.message));
        QVERIFY2(e.remedy.contains(remedyPart), qPrintable(e.remedy));
    }
};

QTEST_GUILESS_MAIN(TestEstErrorClassifier)
#include "tst_esterrorclassifier.moc"
