#include "ProvisioningJob.h"

#include "JobSupport.h"

#include "manifest/Manifest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace station::provisioning {

// ---- the record ----

void ProvisioningJob::journal()
{
    if (!m_recordOpen)
        return;
    if (auto r = m_ctx.manifest->journal(m_record); !r)
        qCWarning(lcJob) << m_port.id << "journal failed:" << r.error().toString();
}

void ProvisioningJob::record()
{
    const JobFailure failure = m_failure == JobFailure::None ? JobFailure::Internal : m_failure;
    const OperatorMessage message = operatorMessage(failure, m_endedAt);
    m_result.message = message;
    if (!m_recordOpen) {
        // Nothing is known of a unit that went away or was cancelled before it said who it is.
        if (m_record.serial.isEmpty() && (failure == JobFailure::DeviceUnplugged || failure == JobFailure::Cancelled))
            return;
        if (m_record.id != 0)
            return; // the row could not be sealed before (manifest failure): the next start seals it
        // A unit that failed before it was identified still gets its row (port, time, cause).
        if (auto id = m_ctx.manifest->begin(m_record); !id) {
            m_result.message = operatorMessage(JobFailure::ManifestWrite, m_endedAt);
            m_manifestError = id.error().toString();
            return;
        }
        m_recordOpen = true;
    }
    m_record.outcome = m_state == JobState::Incomplete ? manifest::Outcome::Incomplete : manifest::Outcome::Fail;
    m_record.step = jobStateName(m_endedAt);
    m_record.errorCode = jobFailureName(failure);
    m_record.errorMessage = message.text();
    QStringList detail;
    if (!m_error.message.isEmpty())
        detail << m_error.toString();
    if (!m_record.errorDetail.isEmpty() && !detail.contains(m_record.errorDetail))
        detail << m_record.errorDetail;
    if (failure == JobFailure::EstOutcomeUnknown)
        detail << QStringLiteral("the EST server may have issued a certificate for CSR %1").arg(m_record.csrSha256);
    if (!m_certificate.isNull()) {
        // The CA issued a certificate the unit does not hold confirmed: it must be revoked.
        m_record.orphanCertSerial = m_certificate.serialHex();
        detail << QStringLiteral("certificate %1 was issued but not confirmed on the unit: revoke it")
                      .arg(m_record.orphanCertSerial);
    }
    m_record.errorDetail = detail.join(QStringLiteral("; "));
    m_record.finishedAt = QDateTime::currentDateTimeUtc();
    if (auto r = m_ctx.manifest->finish(m_record); !r) {
        qCWarning(lcJob) << m_port.id << "recording the outcome failed:" << r.error().toString();
        m_result.message = operatorMessage(JobFailure::ManifestWrite, m_endedAt);
        m_manifestError = r.error().toString();
        return;
    }
    m_recordOpen = false;
}

void ProvisioningJob::finishJob()
{
    m_deadline.stop();
    m_result.finalState = m_state;
    m_result.serial = m_record.serial;
    m_result.certSerial = m_state == JobState::Passed ? m_record.certSerial : QString();
    m_result.durationMs = elapsedMs();
    m_result.manifestId = m_record.id;
    if (m_state != JobState::Passed) {
        m_result.failure = m_failure == JobFailure::None ? JobFailure::Internal : m_failure;
        m_result.detail = m_record.errorDetail.isEmpty() ? m_error.toString() : m_record.errorDetail;
        if (!m_manifestError.isEmpty())
            m_result.detail += QStringLiteral("; the manifest could not record it: ") + m_manifestError;
        if (m_result.message.cause.isEmpty())
            m_result.message = operatorMessage(m_result.failure, m_endedAt);
    }
    emit finished(m_result);
}

QString ProvisioningJob::evidenceJson() const
{
    QJsonObject e;
    if (!m_identity.identityPublicKeyDer.isEmpty()) {
        e[QStringLiteral("identity_proof")] = QJsonObject{
            {QStringLiteral("public_key"), QString::fromLatin1(m_identity.identityPublicKeyDer.toBase64())},
            {QStringLiteral("nonce"), QString::fromLatin1(m_identity.nonce.toHex())},
            {QStringLiteral("signature"), QString::fromLatin1(m_identity.nonceSignature.toBase64())},
            {QStringLiteral("verified"), m_identity.evidenceVerified},
        };
    }
    if (!m_generated.attestation.isEmpty()) {
        e[QStringLiteral("keygen_attestation")] = QJsonObject{
            {QStringLiteral("cose_sign1"), QString::fromLatin1(m_generated.attestation.toBase64())},
            {QStringLiteral("payload_checked"), m_generated.attestationChecked},
            {QStringLiteral("signature_verified"), m_generated.attestationSignatureVerified},
        };
    }
    if (!m_csrAttrsUnmet.isEmpty())
        e[QStringLiteral("csrattrs_unmet")] = QJsonArray::fromStringList(m_csrAttrsUnmet);
    if (!m_bootstrapCertificate.isNull()) {
        e[QStringLiteral("bootstrap_credential")] = QJsonObject{
            {QStringLiteral("slot"), double(m_ctx.profile->inject.bootstrap.slot)},
            {QStringLiteral("cert_serial"), m_bootstrapCertificate.serialHex()},
            {QStringLiteral("cert_fingerprint"), m_bootstrapCertificate.fingerprintSha256()},
            {QStringLiteral("cert_subject"), m_bootstrapCertificate.subject().toString()},
        };
    }
    if (e.isEmpty())
        return {};
    return QString::fromUtf8(QJsonDocument(e).toJson(QJsonDocument::Compact));
}

} // namespace station::provisioning
