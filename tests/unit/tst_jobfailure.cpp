// Every failure code has a stable name and an operator message with a cause and a remedy, and a step's
// error maps to the failure an operator can act on.
#include "est/EstErrorClassifier.h"
#include "provisioning/JobFailure.h"

#include <QSet>
#include <QTest>

using namespace station;
using namespace station::provisioning;

Q_DECLARE_METATYPE(JobState)
Q_DECLARE_METATYPE(JobFailure)
Q_DECLARE_METATYPE(ErrorCode)

class TestJobFailure : public QObject
{
    Q_OBJECT
private slots:
    void everyFailure_hasANameACauseAndARemedy()
    {
        QSet<QString> names;
        for (int f = int(JobFailure::DeviceUnplugged); f <= int(JobFailure::Internal); ++f) {
            const auto failure = JobFailure(f);
            const QString name = jobFailureName(failure);
            QVERIFY(!name.isEmpty());
            names.insert(name);
            const OperatorMessage m = operatorMessage(failure, JobState::WritingChain);
            QVERIFY2(!m.cause.isEmpty() && !m.remedy.isEmpty(), qPrintable(name));
        }
        QCOMPARE(names.size(), int(JobFailure::Internal));
    }

    void classify_data()
    {
        QTest::addColumn<JobState>("step");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<int>("http");
        QTest::addColumn<JobFailure>("failure");
        QTest::newRow("unplug anywhere") << JobState::Enrolling << ErrorCode::DeviceGone << 0
                                         << JobFailure::DeviceUnplugged;
        QTest::newRow("device silent") << JobState::WritingChain << ErrorCode::DeviceTimeout << 0
                                       << JobFailure::DeviceNotResponding;
        QTest::newRow("device refuses keygen")
            << JobState::GeneratingKey << ErrorCode::Device << 0 << JobFailure::KeyGenFailed;
        QTest::newRow("device refuses write")
            << JobState::WritingChain << ErrorCode::Device << 0 << JobFailure::DeviceRefused;
        QTest::newRow("readback digest") << JobState::Verifying << ErrorCode::Verification << 0
                                         << JobFailure::ReadBackMismatch;
        QTest::newRow("est down") << JobState::Enrolling << ErrorCode::Network << 0 << JobFailure::EstUnreachable;
        QTest::newRow("est tls") << JobState::Enrolling << ErrorCode::Tls << 0 << JobFailure::EstTrust;
        QTest::newRow("est 401") << JobState::Enrolling << ErrorCode::Authentication << 401
                                 << JobFailure::EstAuthentication;
        QTest::newRow("est 400") << JobState::Enrolling << ErrorCode::Http << 400 << JobFailure::EstRefused;
        QTest::newRow("est 500") << JobState::ServerKeygen << ErrorCode::Http << 500 << JobFailure::EstServerError;
        QTest::newRow("est garbage") << JobState::Enrolling << ErrorCode::Parse << 200 << JobFailure::EstBadAnswer;
        QTest::newRow("post lost") << JobState::Enrolling << ErrorCode::OutcomeUnknown << 0
                                   << JobFailure::EstOutcomeUnknown;
        QTest::newRow("disk") << JobState::Recording << ErrorCode::Database << 0 << JobFailure::ManifestWrite;
        QTest::newRow("cancel") << JobState::Committing << ErrorCode::Cancelled << 0 << JobFailure::Cancelled;
    }
    void classify()
    {
        QFETCH(JobState, step);
        QFETCH(ErrorCode, code);
        QFETCH(int, http);
        QFETCH(JobFailure, failure);
        Error e(code, QStringLiteral("x"));
        e.httpStatus = http;
        QCOMPARE(jobFailureName(classifyFailure(step, e)), jobFailureName(failure));
    }

    void classify_dmsRefusalsByTheirOwnWords_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("failure");
        QTest::newRow("pre-registration")
            << QByteArray("{\"err\":\"device not preregistered\"}") << QStringLiteral("est-not-preregistered");
        QTest::newRow("replaceable off") << QByteArray("{\"err\":\"forbiddenNewEnrollment\"}")
                                         << QStringLiteral("est-enrollment-forbidden");
        QTest::newRow("webhook") << QByteArray("{\"err\":\"external webhook denied enrollment\"}")
                                 << QStringLiteral("est-authentication");
        QTest::newRow("bad csr signature")
            << QByteArray("{\"err\":\"invalid CSR signature\"}") << QStringLiteral("est-refused");
        QTest::newRow("a real internal error")
            << QByteArray("{\"err\":\"pq: connection refused\"}") << QStringLiteral("est-server-error");
    }
    void classify_dmsRefusalsByTheirOwnWords()
    {
        // Lamassu answers every refusal with 500: the DMS's words, not the status, say what happened.
        QFETCH(QByteArray, body);
        QFETCH(QString, failure);
        est::EstFailureContext context;
        context.csrCommonName = QStringLiteral("SN-1");
        const Error e = est::EstErrorClassifier::classifyHttp(500, body, "application/json", context);
        QCOMPARE(jobFailureName(classifyFailure(JobState::Enrolling, e)), failure);
        if (failure == QLatin1String("est-not-preregistered")) {
            const OperatorMessage m = operatorMessage(classifyFailure(JobState::Enrolling, e), JobState::Enrolling);
            QVERIFY2(m.text().contains(QStringLiteral("provctl manifest upload")), qPrintable(m.text()));
        }
    }

    void classify_wrongKeyVersusOtherCa()
    {
        QCOMPARE(
            classifyFailure(JobState::Enrolling,
                            Error(ErrorCode::Verification,
                                  QStringLiteral("The issued certificate's public key is not the key that was sent"))),
            JobFailure::CertificateWrongKey);
        QCOMPARE(classifyFailure(JobState::Enrolling, Error(ErrorCode::Verification,
                                                            QStringLiteral("unable to get local issuer certificate"))),
                 JobFailure::CertificateUntrusted);
    }
};

QTEST_GUILESS_MAIN(TestJobFailure)
#include "tst_jobfailure.moc"
