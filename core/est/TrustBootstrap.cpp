#include "TrustBootstrap.h"

#include "crypto/ChainVerifier.h"

#include <QRegularExpression>

namespace station::est {

QString TrustBootstrap::normalizeFingerprint(const QString &text)
{
    QString t = text.trimmed();
    const qsizetype eq = t.lastIndexOf(QLatin1Char('='));
    if (eq >= 0)
        t = t.mid(eq + 1); // "SHA256 Fingerprint=AB:CD..."
    t.remove(QRegularExpression(QStringLiteral("^\\s*sha-?256\\s*:?"), QRegularExpression::CaseInsensitiveOption));
    t.remove(QRegularExpression(QStringLiteral("[\\s:\\-]")));
    t = t.toLower();
    static const QRegularExpression kHex(QStringLiteral("^[0-9a-f]{64}$"));
    return kHex.match(t).hasMatch() ? t : QString();
}

QString TrustBootstrap::describe(const QList<crypto::Certificate> &certificates)
{
    QString out;
    int n = 0;
    for (const crypto::Certificate &c : certificates) {
        out += QStringLiteral("Certificate %1 of %2\n").arg(++n).arg(certificates.size());
        out += QStringLiteral("  Subject:  %1\n").arg(c.subject().toString());
        out += QStringLiteral("  Issuer:   %1\n").arg(c.issuer().toString());
        out += QStringLiteral("  Valid:    %1 to %2\n")
                   .arg(c.notBefore().toString(Qt::ISODate), c.notAfter().toString(Qt::ISODate));
        out += QStringLiteral("  CA:       %1%2\n")
                   .arg(c.isCa() ? QStringLiteral("yes") : QStringLiteral("no"),
                        c.isSelfSigned() ? QStringLiteral(" (self-signed root)") : QString());
        out += QStringLiteral("  SHA-256:  %1\n").arg(c.fingerprintSha256Colon());
    }
    return out;
}

Result<BootstrapDecision> TrustBootstrap::accept(const QList<crypto::Certificate> &fetched,
                                                 const QString &confirmedFingerprint)
{
    const QString wanted = normalizeFingerprint(confirmedFingerprint);
    if (wanted.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("'%1' is not a SHA-256 fingerprint").arg(confirmedFingerprint), {},
                    QStringLiteral("Give 64 hex digits, with or without colons (as 'openssl x509 -fingerprint "
                                   "-sha256' prints them)"));
    qsizetype confirmed = -1;
    for (qsizetype i = 0; i < fetched.size(); ++i) {
        if (fetched[i].fingerprintSha256() == wanted) {
            confirmed = i;
            break;
        }
    }
    if (confirmed < 0) {
        QStringList got;
        for (const crypto::Certificate &c : fetched)
            got << c.subject().toString() + QStringLiteral(": ") + c.fingerprintSha256Colon();
        return fail(ErrorCode::Verification,
                    QStringLiteral("None of the CA certificates the server sent has the confirmed fingerprint"),
                    got.join(QStringLiteral("; ")),
                    QStringLiteral("Do not trust this server: the connection may be intercepted, or the fingerprint "
                                   "is for another CA. Check the fingerprint with the server's operator"));
    }
    BootstrapDecision decision;
    const crypto::Certificate anchor = fetched[confirmed];
    decision.accepted.append(anchor);
    QList<crypto::Certificate> others = fetched;
    others.removeAt(confirmed);
    const crypto::ChainVerifier verifier({anchor}, others);
    for (const crypto::Certificate &c : others) {
        if (verifier.verify(c))
            decision.accepted.append(c);
        else
            decision.rejected.append(c);
    }
    return decision;
}

} // namespace station::est
