#include "JobChecks.h"

#include "UnitTemplate.h"

namespace station::provisioning {

Result<void> checkIssuedCertificate(const crypto::Certificate &certificate, const QByteArray &expectedPublicKey,
                                    const EnrollmentSettings &enrollment, const QMap<QString, QString> &fields)
{
    if (certificate.isNull())
        return fail(ErrorCode::Verification, QStringLiteral("The EST server returned no certificate"));
    if (!expectedPublicKey.isEmpty() && certificate.publicKeyDer() != expectedPublicKey)
        return fail(ErrorCode::Verification, QStringLiteral("The issued certificate's public key is not the unit's"));
    auto subject = UnitTemplate::subject(enrollment.subjectTemplate, fields);
    if (!subject)
        return fail(subject.error());
    if (certificate.subject() != *subject)
        return fail(ErrorCode::Verification, QStringLiteral("The certificate names '%1', the profile requires '%2'")
                                                 .arg(certificate.subject().toString(), subject->toString()));
    auto sans = UnitTemplate::subjectAltNames(enrollment.sanTemplates, fields);
    if (!sans)
        return fail(sans.error());
    const QList<crypto::SubjectAltName> present = certificate.subjectAltNames();
    for (const crypto::SubjectAltName &san : *sans) {
        if (!present.contains(san))
            return fail(ErrorCode::Verification,
                        QStringLiteral("The certificate lacks the subjectAltName %1").arg(san.toString()));
    }
    return {};
}

QList<crypto::Certificate> chainForUnit(const crypto::Certificate &leaf, const QList<crypto::Certificate> &chain)
{
    QList<crypto::Certificate> out = chain.isEmpty() ? QList<crypto::Certificate>{leaf} : chain;
    if (out.size() > 1 && out.last().isSelfSigned())
        out.removeLast();
    return out;
}

std::optional<ReadBackProblem> checkReadBack(const device::StoredCredentials &stored,
                                             const QList<ReadBackExpectation> &expected)
{
    for (const ReadBackExpectation &e : expected) {
        const device::StoredItem *item = stored.find(e.kind);
        const QString name = device::credentialKindName(e.kind);
        if (!item)
            return ReadBackProblem{JobFailure::ReadBackMismatch,
                                   Error(ErrorCode::Verification,
                                         QStringLiteral("The unit does not report its %1 after writing it").arg(name))};
        if (item->sha256 != e.sha256)
            return ReadBackProblem{
                JobFailure::ReadBackMismatch,
                Error(ErrorCode::Verification,
                      QStringLiteral("The unit's %1 digest differs from what was written").arg(name),
                      QStringLiteral("slot %1: unit %2, written %3")
                          .arg(item->location)
                          .arg(QString::fromLatin1(item->sha256.toHex()), QString::fromLatin1(e.sha256.toHex())))};
        if (!item->committed)
            return ReadBackProblem{
                JobFailure::NotCommitted,
                Error(ErrorCode::Verification, QStringLiteral("The unit has not committed its %1").arg(name))};
    }
    return std::nullopt;
}

} // namespace station::provisioning
