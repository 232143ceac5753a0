// CsrAttributesPolicy: applying a server's csrattrs (RFC 7030 §4.5.2 / RFC 9908) to the CSR the station
// builds, and reporting — not dropping — what cannot be honoured; checking a finished CSR against them.
#include "TestPki.h"

#include "est/CsrAttributesPolicy.h"

#include <QTest>

using namespace station;
using station::est::CsrAttributesPolicy;

namespace {

const QString kChallenge = QStringLiteral("1.2.840.113549.1.9.7");
const QString kEcPublicKey = QStringLiteral("1.2.840.10045.2.1");
const QString kSecp384r1 = QStringLiteral("1.3.132.0.34");
const QString kEcdsaSha384 = QStringLiteral("1.2.840.10045.4.3.3");
const QString kSan = QStringLiteral("2.5.29.17");

QByteArray derOid(const QString &dotted)
{
    // Small DER encoder for OIDs used as attribute values in these tests.
    const QStringList parts = dotted.split(QLatin1Char('.'));
    QByteArray body;
    body.append(char(parts[0].toInt() * 40 + parts[1].toInt()));
    for (int i = 2; i < parts.size(); ++i) {
        quint64 v = parts[i].toULongLong();
        QByteArray chunk;
        chunk.prepend(char(v & 0x7f));
        v >>= 7;
        while (v) {
            chunk.prepend(char(0x80 | (v & 0x7f)));
            v >>= 7;
        }
        body += chunk;
    }
    return QByteArray(1, 0x06) + char(body.size()) + body;
}

crypto::CsrAttributes rfcStyleAttributes()
{
    // RFC 7030 §4.5.2 example shape: challengePassword, EC P-384 key, ecdsa-with-SHA384, SAN wanted.
    crypto::CsrAttributes attrs;
    attrs.addOid(kChallenge);
    attrs.addAttribute(kEcPublicKey, {derOid(kSecp384r1)});
    attrs.addOid(kEcdsaSha384);
    attrs.addOid(kSan);
    return attrs;
}

crypto::CsrSpec subject(const QString &cn)
{
    crypto::CsrSpec spec;
    spec.subject.append(QStringLiteral("CN"), cn);
    return spec;
}

} // namespace

class TestCsrAttributesPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void apply_noAttributes_changesNothing()
    {
        const est::CsrPlan plan = CsrAttributesPolicy::apply({}, subject(QStringLiteral("d")), std::nullopt, false);
        QVERIFY(!plan.keyType.has_value());
        QVERIFY(plan.applied.isEmpty());
        QVERIFY(plan.notHonoured.isEmpty());
        QCOMPARE(plan.spec.subject, subject(QStringLiteral("d")).subject);
    }

    void apply_noKeyPreference_takesServersKeyTypeAndChallenge()
    {
        const est::CsrPlan plan = CsrAttributesPolicy::apply(rfcStyleAttributes(), subject(QStringLiteral("d")),
                                                             std::nullopt, false, QStringLiteral("otp-123"));
        QCOMPARE(plan.keyType, std::optional(crypto::KeyType::EcP384));
        QCOMPARE(plan.spec.challengePassword, QStringLiteral("otp-123"));
        QVERIFY(plan.applied.join(QLatin1Char(' ')).contains(QStringLiteral("p384")));
        // The SAN was asked for and none was given: reported, with a hint.
        QCOMPARE(plan.notHonoured.size(), 1);
        QVERIFY(plan.notHonoured.first().contains(QStringLiteral("subjectAltName")));
        QVERIFY(plan.notHonoured.first().contains(QStringLiteral("--san")));
    }

    void apply_conflictsAreReportedNotDropped()
    {
        crypto::CsrSpec spec = subject(QStringLiteral("d"));
        spec.subjectAltNames.append({crypto::SubjectAltName::Type::Dns, QStringLiteral("d.local"), {}});
        const est::CsrPlan plan =
            CsrAttributesPolicy::apply(rfcStyleAttributes(), spec, crypto::KeyType::Rsa2048, false);
        QCOMPARE(plan.keyType, std::optional(crypto::KeyType::Rsa2048)); // the caller's explicit choice stands
        const QString notes = plan.notHonoured.join(QLatin1Char('\n'));
        QVERIFY2(notes.contains(QStringLiteral("p384 key; rsa2048 is used")), qPrintable(notes));
        QVERIFY2(notes.contains(QStringLiteral("challengePassword")), qPrintable(notes));
        QVERIFY2(notes.contains(QStringLiteral("ecdsa-with-SHA384")), qPrintable(notes));
        QVERIFY2(!notes.contains(QStringLiteral("subjectAltName")), qPrintable(notes));
    }

    void apply_fixedKey_reportsKeyTypeWish()
    {
        const est::CsrPlan plan = CsrAttributesPolicy::apply(rfcStyleAttributes(), subject(QStringLiteral("d")),
                                                             std::nullopt, true, QStringLiteral("x"));
        QVERIFY(!plan.keyType.has_value());
        QVERIFY(plan.notHonoured.join(QLatin1Char(' ')).contains(QStringLiteral("given key is used")));
    }

    void apply_unknownOid_isReported()
    {
        crypto::CsrAttributes attrs;
        attrs.addOid(QStringLiteral("1.3.6.1.4.1.99999.1"));
        const est::CsrPlan plan = CsrAttributesPolicy::apply(attrs, subject(QStringLiteral("d")), std::nullopt, false);
        QVERIFY(plan.notHonoured.join(QLatin1Char(' ')).contains(QStringLiteral("1.3.6.1.4.1.99999.1")));
    }

    void check_existingCsr_listsShortfalls()
    {
        auto csr = test::TestPki::makeCsr(QStringLiteral("dev")); // P-256, no SAN, no challenge
        QVERIFY(csr.has_value());
        const QStringList notes = CsrAttributesPolicy::check(rfcStyleAttributes(), *csr);
        const QString all = notes.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("challengePassword")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("p384")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("subjectAltName")), qPrintable(all));
        QVERIFY(CsrAttributesPolicy::check({}, *csr).isEmpty());
    }

    void describeOid_namesKnownOids()
    {
        QCOMPARE(CsrAttributesPolicy::describeOid(kSan), QStringLiteral("subjectAltName (2.5.29.17)"));
        QCOMPARE(CsrAttributesPolicy::describeOid(QStringLiteral("1.2.3")), QStringLiteral("1.2.3"));
    }
};

QTEST_GUILESS_MAIN(TestCsrAttributesPolicy)
#include "tst_csrattributespolicy.moc"
