#include "ProvisioningJob.h"

#include "JobSupport.h"

#include "CsrAttrsPrefetch.h"
#include "JobChecks.h"
#include "SlotWriter.h"
#include "UnitTemplate.h"

#include "est/CsrAttributesPolicy.h"
#include "est/EstClient.h"
#include "est/EstReply.h"
#include "manifest/Manifest.h"

#include "crypto/AsyncKeyGeneration.h"
#include "crypto/Encoding.h"
#include "crypto/PrivateKey.h"

namespace station::provisioning {

// ---- device steps ----

void ProvisioningJob::doOpen()
{
    m_driver->open(guarded<void>([this](Result<void> r) {
        if (!r)
            return failStep(classifyFailure(m_state, r.error()), r.error());
        succeedStep();
    }));
}

void ProvisioningJob::doIdentify()
{
    m_driver->identify(guarded<device::DeviceIdentity>([this](Result<device::DeviceIdentity> r) {
        if (!r)
            return failStep(classifyFailure(m_state, r.error()), r.error());
        m_identity = *r;
        if (!m_identity.identityPublicKeyDer.isEmpty() && !m_identity.evidenceVerified)
            return failStep(
                JobFailure::IdentityInvalid,
                jobError(QStringLiteral("The unit's identity proof over the station's nonce did not verify")));
        if (m_identity.serialNumber.isEmpty())
            return failStep(JobFailure::IdentityInvalid,
                            jobError(QStringLiteral("The unit reported no serial number")));
        m_record.serial = m_identity.serialNumber;
        m_record.hardwareId = m_identity.hardwareId;
        m_record.deviceUuid = m_identity.deviceUuid;
        m_record.imei = m_identity.imei;
        m_record.model = m_identity.model;
        m_record.firmware = m_identity.firmwareVersion;
        m_record.evidence = evidenceJson();
        // A previous attempt of this unit that was cut off is closed before this one opens.
        if (auto sealed = m_ctx.manifest->sealAbandoned(m_record.serial); !sealed)
            return failStep(JobFailure::ManifestWrite, sealed.error());
        m_record.step = jobStateName(m_state);
        if (auto id = m_ctx.manifest->begin(m_record); !id)
            return failStep(JobFailure::ManifestWrite, id.error());
        m_recordOpen = true;
        succeedStep();
    }));
}

void ProvisioningJob::doCheckRecord()
{
    auto previous = m_ctx.manifest->findPass(m_record.serial, {});
    if (!previous)
        return failStep(JobFailure::ManifestWrite, previous.error());
    // A unit that holds committed credentials but whose last attempt here did not pass holds ours from
    // that attempt (cut off after committing): it is retried. Without any attempt on record it was
    // provisioned elsewhere, and the policy decides.
    bool ownUnfinished = false;
    if (!previous->has_value() && m_identity.provisioned) {
        manifest::ManifestQuery earlier;
        earlier.serial = m_record.serial;
        earlier.beforeId = m_record.id; // not this attempt's own row
        earlier.newestFirst = true;
        earlier.limit = 1;
        auto latest = m_ctx.manifest->list(earlier);
        ownUnfinished = latest && !latest->isEmpty();
    }
    const bool provisioned = previous->has_value() || (m_identity.provisioned && !ownUnfinished);
    if (provisioned && !m_reprovisionConfirmed) {
        const QString where = previous->has_value() ? QStringLiteral("PASS on record (manifest row %1, certificate %2)")
                                                          .arg((*previous)->id)
                                                          .arg((*previous)->certSerial)
                                                    : QStringLiteral("the unit reports committed credentials");
        switch (m_ctx.profile->alreadyProvisioned) {
        case AlreadyProvisionedPolicy::Refuse:
            return failStep(JobFailure::AlreadyProvisioned,
                            Error(ErrorCode::InvalidArgument,
                                  QStringLiteral("Unit %1 is already provisioned").arg(m_record.serial), where));
        case AlreadyProvisionedPolicy::Reprovision: dispatch(JobEvent::NeedsConfirmation); return;
        case AlreadyProvisionedPolicy::Renew: m_renew = true; break;
        }
    }
    succeedStep();
}

void ProvisioningJob::doFetchCsrAttrs()
{
    if (!m_ctx.est) {
        return failStep(JobFailure::Configuration,
                        Error(ErrorCode::InvalidArgument, QStringLiteral("The station has no EST client")));
    }
    const JobState at = m_state;
    m_csrAttrs->whenReady(m_ctx.est, [this, at](const Result<crypto::CsrAttributes> &r) {
        if (m_state != at || m_destroying)
            return;
        if (!r)
            return failStep(classifyFailure(m_state, r.error()), r.error());
        m_csrAttributes = *r;
        succeedStep();
    });
}

void ProvisioningJob::doInjectTrust()
{
    if (m_ctx.trustAnchorsToInject.isEmpty())
        return failStep(JobFailure::Configuration,
                        Error(ErrorCode::InvalidArgument, QStringLiteral("No trust anchors to write to the unit")));
    m_driver->writeTrustAnchors(m_ctx.trustAnchorsToInject, guarded<void>([this](Result<void> r) {
                                    if (!r)
                                        return failStep(classifyFailure(m_state, r.error()), r.error());
                                    succeedStep();
                                }));
}

void ProvisioningJob::doInjectBootstrap()
{
    // A key made here (in memory, off the event loop), a certificate for it from the bootstrap endpoint,
    // both written to the bootstrap slot and checked there; the key is wiped once it is on the unit.
    const BootstrapCredentialSettings &b = m_ctx.profile->inject.bootstrap;
    auto subject = UnitTemplate::subject(b.subjectTemplate, UnitTemplate::fields(m_identity, m_scan));
    if (!subject)
        return failStep(JobFailure::Configuration, subject.error());
    const JobState at = m_state;
    const crypto::DistinguishedName dn = *subject;
    crypto::generateKeyAsync(b.keyType, this, [this, at, dn](Result<crypto::PrivateKey> key) {
        if (m_state != at || m_destroying)
            return;
        if (!key)
            return failStep(JobFailure::Internal, key.error());
        crypto::CsrSpec spec;
        spec.subject = dn;
        auto csr = crypto::CertificateRequest::create(spec, *key);
        if (!csr)
            return failStep(JobFailure::Internal, csr.error());
        const crypto::PrivateKey bootstrapKey = *key;
        runEst([this, csr = *csr] { return m_ctx.bootstrapEst->simpleEnroll(csr); },
               [this, bootstrapKey](est::EstReply *reply) {
                   writeBootstrap(bootstrapKey, reply->certificate(), reply->chain());
               });
    });
}

void ProvisioningJob::writeBootstrap(const crypto::PrivateKey &key, const crypto::Certificate &certificate,
                                     const QList<crypto::Certificate> &chain)
{
    auto pkcs8 = key.toPkcs8Der();
    if (!pkcs8)
        return failStep(JobFailure::Internal, pkcs8.error());
    m_bootstrapCertificate = certificate;
    m_record.evidence = evidenceJson();
    journal();
    // A child of the job: a cancel or timeout destroys it, and the driver addresses the main slot again.
    delete m_slotWriter;
    m_slotWriter = new SlotWriter(m_driver.get(), m_ctx.profile->inject.bootstrap.slot, this);
    const JobState at = m_state;
    m_slotWriter->write(std::move(*pkcs8), chainForUnit(certificate, chain),
                        [this, at](std::optional<ReadBackProblem> problem) {
                            m_slotWriter->deleteLater();
                            m_slotWriter = nullptr;
                            if (m_state != at || m_destroying)
                                return;
                            if (problem)
                                return failStep(problem->failure, problem->error);
                            succeedStep();
                        });
}

void ProvisioningJob::doGenerateKey()
{
    const ProductProfile &p = *m_ctx.profile;
    const auto fields = UnitTemplate::fields(m_identity, m_scan);
    auto subject = UnitTemplate::subject(p.enrollment.subjectTemplate, fields);
    if (!subject)
        return failStep(JobFailure::Configuration, subject.error());
    device::KeyGenRequest request;
    request.keyType = crypto::keyTypeName(p.enrollment.keyType);
    request.subject = subject->toString();
    const crypto::DistinguishedName expected = *subject;
    m_driver->generateKey(
        request, guarded<device::GeneratedKey>([this, expected](Result<device::GeneratedKey> r) {
            if (!r)
                return failStep(classifyFailure(m_state, r.error()), r.error());
            m_generated = *r;
            auto csr = crypto::CertificateRequest::fromDer(m_generated.csrDer);
            if (!csr)
                return failStep(JobFailure::CsrInvalid, csr.error());
            if (auto sig = csr->verifySignature(); !sig)
                return failStep(JobFailure::CsrInvalid, sig.error());
            if (!m_generated.publicKeyDer.isEmpty() && m_generated.publicKeyDer != csr->publicKeyDer())
                return failStep(
                    JobFailure::CsrInvalid,
                    jobError(QStringLiteral("The unit's CSR carries another key than the one it reported")));
            if (csr->subject() != expected)
                return failStep(JobFailure::CsrInvalid,
                                jobError(QStringLiteral("The unit's CSR names '%1', not '%2'")
                                             .arg(csr->subject().toString(), expected.toString())));
            if (!m_generated.attestation.isEmpty() && !m_generated.attestationChecked)
                return failStep(JobFailure::AttestationInvalid,
                                jobError(QStringLiteral("The unit's key attestation does not cover this CSR")));
            m_csr = *csr;
            m_expectedPublicKey = csr->publicKeyDer();
            m_record.csrSha256 = csr->sha256Hex();
            m_record.csrSubject = csr->subject().toString();
            m_record.publicKeySha256 = crypto::Encoding::sha256Hex(m_expectedPublicKey);
            m_csrAttrsUnmet = est::CsrAttributesPolicy::check(m_csrAttributes, *csr);
            m_record.evidence = evidenceJson();
            auto duplicate = m_ctx.manifest->findPass({}, m_record.publicKeySha256);
            if (!duplicate)
                return failStep(JobFailure::ManifestWrite, duplicate.error());
            if (duplicate->has_value())
                return failStep(JobFailure::DuplicateKey,
                                jobError(QStringLiteral("Unit %1's public key is already recorded for unit %2 (row %3)")
                                             .arg(m_record.serial, (*duplicate)->serial)
                                             .arg((*duplicate)->id)));
            succeedStep();
        }));
}

void ProvisioningJob::doEnroll()
{
    const crypto::CertificateRequest csr = m_csr;
    runEst([this, csr] { return m_renew ? m_ctx.enrollEst->simpleReenroll(csr) : m_ctx.enrollEst->simpleEnroll(csr); },
           [this](est::EstReply *reply) {
               // Journal what the CA issued at once: if the job is cut off now, the record names it.
               noteCertificate(reply->certificate(), reply->chain());
               journal();
               if (auto ok = checkIssued(reply->certificate()); !ok)
                   return failStep(JobFailure::CertificateContent, ok.error());
               succeedStep();
           });
}

void ProvisioningJob::doServerKeygen()
{
    const ProductProfile &p = *m_ctx.profile;
    const auto fields = UnitTemplate::fields(m_identity, m_scan);
    auto subject = UnitTemplate::subject(p.enrollment.subjectTemplate, fields);
    if (!subject)
        return failStep(JobFailure::Configuration, subject.error());
    auto sans = UnitTemplate::subjectAltNames(p.enrollment.sanTemplates, fields);
    if (!sans)
        return failStep(JobFailure::Configuration, sans.error());
    crypto::CsrSpec wanted;
    wanted.subject = *subject;
    wanted.subjectAltNames = *sans;
    // The server's CSR attributes shape the request (key type, extensions); what cannot be honoured is
    // recorded with the unit.
    const est::CsrPlan plan = est::CsrAttributesPolicy::apply(m_csrAttributes, wanted, p.enrollment.keyType, false);
    const crypto::CsrSpec spec = plan.spec;
    m_csrAttrsUnmet = plan.notHonoured;
    const crypto::KeyType keyType = plan.keyType.value_or(p.enrollment.keyType);
    // The CSR of a serverkeygen request only carries what to put in the certificate and the key type;
    // its signing key is generated off the event loop (RSA takes long) and thrown away.
    const JobState at = m_state;
    crypto::generateKeyAsync(keyType, this, [this, at, spec](Result<crypto::PrivateKey> key) {
        if (m_state != at || m_destroying)
            return;
        if (!key)
            return failStep(JobFailure::Internal, key.error());
        auto csr = crypto::CertificateRequest::create(spec, *key);
        if (!csr)
            return failStep(JobFailure::Internal, csr.error());
        sendServerKeygen(*csr);
    });
}

void ProvisioningJob::sendServerKeygen(const crypto::CertificateRequest &csr)
{
    m_record.csrSha256 = csr.sha256Hex();
    m_record.csrSubject = csr.subject().toString();
    runEst([this, csr] { return m_ctx.enrollEst->serverKeygen(csr); },
           [this](est::EstReply *reply) {
               m_serverKey = reply->takePrivateKey();
               noteCertificate(reply->certificate(), reply->chain());
               journal();
               if (m_serverKey.isEmpty())
                   return failStep(JobFailure::EstBadAnswer,
                                   Error(ErrorCode::Parse, QStringLiteral("The serverkeygen answer carried no key")));
               m_expectedPublicKey = m_certificate.publicKeyDer();
               m_record.publicKeySha256 = crypto::Encoding::sha256Hex(m_expectedPublicKey);
               m_serverKeyDigest = m_driver->storedKeyDigest(m_serverKey);
               if (auto ok = checkIssued(m_certificate); !ok)
                   return failStep(JobFailure::CertificateContent, ok.error());
               succeedStep();
           });
}

void ProvisioningJob::doWriteKey()
{
    m_driver->writePrivateKey(m_serverKey, guarded<void>([this](Result<void> r) {
                                  // The key lives only until it is on the unit.
                                  m_serverKey.clear();
                                  if (!r)
                                      return failStep(classifyFailure(m_state, r.error()), r.error());
                                  succeedStep();
                              }));
}

void ProvisioningJob::doWriteChain()
{
    m_driver->writeCertificateChain(m_chainToWrite, guarded<void>([this](Result<void> r) {
                                        if (!r)
                                            return failStep(classifyFailure(m_state, r.error()), r.error());
                                        succeedStep();
                                    }));
}

void ProvisioningJob::doCommit()
{
    m_driver->commit(guarded<void>([this](Result<void> r) {
        if (!r)
            return failStep(classifyFailure(m_state, r.error()), r.error());
        succeedStep();
    }));
}

void ProvisioningJob::doVerify()
{
    // The unit's own SHA-256 of each object against what was written: the content itself need not
    // cross the (slow) line again.
    m_driver->readBack(
        device::ReadBackDepth::Digests, guarded<device::StoredCredentials>([this](Result<device::StoredCredentials> r) {
            if (!r)
                return failStep(classifyFailure(m_state, r.error()), r.error());
            using K = device::CredentialKind;
            QList<ReadBackExpectation> expected{
                {K::CertificateChain, m_driver->storedDigest(K::CertificateChain, m_chainToWrite)}};
            if (m_plan.injectTrust)
                expected.append({K::TrustAnchors, m_driver->storedDigest(K::TrustAnchors, m_ctx.trustAnchorsToInject)});
            if (m_plan.serverKeygen)
                expected.append({K::PrivateKey, m_serverKeyDigest});
            if (auto problem = checkReadBack(*r, expected))
                return failStep(problem->failure, problem->error);
            succeedStep();
        }));
}

void ProvisioningJob::doRecord()
{
    m_record.outcome = manifest::Outcome::Pass;
    m_record.step = jobStateName(JobState::Passed);
    m_record.errorCode.clear();
    m_record.errorMessage.clear();
    m_record.finishedAt = QDateTime::currentDateTimeUtc();
    if (auto r = m_ctx.manifest->finish(m_record); !r) {
        // The row stays open (INCOMPLETE at "recording"): no PASS without its record.
        m_record.outcome = manifest::Outcome::Incomplete;
        m_record.step = jobStateName(JobState::Recording);
        m_recordOpen = false; // the manifest cannot take the failure either
        return failStep(JobFailure::ManifestWrite, r.error());
    }
    m_recordOpen = false;
    succeedStep();
}

// ---- EST ----

void ProvisioningJob::runEst(std::function<est::EstReply *()> send, std::function<void(est::EstReply *)> done)
{
    if (!m_ctx.est) {
        return failStep(JobFailure::Configuration,
                        Error(ErrorCode::InvalidArgument, QStringLiteral("The station has no EST client")));
    }
    const JobState at = m_state;
    m_est->run(std::move(send), std::move(done), [this, at](const Error &error) {
        if (m_state == at && !m_destroying)
            failStep(classifyFailure(m_state, error), error);
    });
}

Result<void> ProvisioningJob::checkIssued(const crypto::Certificate &certificate) const
{
    return checkIssuedCertificate(certificate, m_expectedPublicKey, m_ctx.profile->enrollment,
                                  UnitTemplate::fields(m_identity, m_scan));
}

void ProvisioningJob::noteCertificate(const crypto::Certificate &certificate, const QList<crypto::Certificate> &chain)
{
    m_certificate = certificate;
    m_chainToWrite = chainForUnit(certificate, chain);
    m_record.certSerial = certificate.serialHex();
    m_record.certFingerprint = certificate.fingerprintSha256();
    m_record.certSubject = certificate.subject().toString();
    m_record.certIssuer = certificate.issuer().toString();
    m_record.certNotBefore = certificate.notBefore();
    m_record.certNotAfter = certificate.notAfter();
    m_record.certPem = QString::fromLatin1(certificate.toPem());
}

} // namespace station::provisioning
