#include "ProvisioningJob.h"

#include "CsrAttrsPrefetch.h"
#include "JobChecks.h"
#include "SlotWriter.h"
#include "UnitTemplate.h"

#include "est/CsrAttributesPolicy.h"
#include "est/EstClient.h"
#include "est/EstReply.h"
#include "manifest/Manifest.h"

#include "crypto/AsyncKeyGeneration.h"
#include "crypto/PrivateKey.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

namespace station::provisioning {

Q_LOGGING_CATEGORY(lcJob, "station.provisioning.job")

namespace {

QString sha256Hex(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

Error jobError(const QString &message, const QString &detail = {})
{
    return Error(ErrorCode::Verification, message, detail);
}

} // namespace

ProvisioningJob::ProvisioningJob(JobContext context, device::DiscoveredDevice port,
                                 std::unique_ptr<device::DeviceDriver> driver, QObject *parent)
    : QObject(parent), m_ctx(std::move(context)), m_port(std::move(port)), m_driver(std::move(driver))
{
    const ProductProfile &p = *m_ctx.profile;
    m_plan.needsScan = p.start == StartMode::Scan;
    m_plan.fetchCsrAttrs = p.est.fetchCsrAttrs;
    m_plan.injectTrust = p.inject.trustAnchors;
    m_plan.serverKeygen = p.enrollment.keyOrigin == KeyOrigin::Server;
    m_plan.injectBootstrap = p.inject.bootstrap.enabled;
    if (!m_ctx.enrollEst)
        m_ctx.enrollEst = m_ctx.est;
    if (!m_ctx.bootstrapEst)
        m_ctx.bootstrapEst = m_ctx.enrollEst;

    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        m_failure =
            classifyFailure(m_state, Error(ErrorCode::Timeout,
                                           QStringLiteral("No result within %1 ms").arg(timeoutOf(m_state).count())));
        if (isDeviceState(m_state))
            m_failure = JobFailure::DeviceNotResponding;
        else if (!isEstState(m_state))
            m_failure = JobFailure::Timeout;
        m_error = Error(ErrorCode::Timeout, QStringLiteral("Step '%1' did not finish within %2 ms")
                                                .arg(jobStateName(m_state))
                                                .arg(timeoutOf(m_state).count()));
        dispatch(JobEvent::TimedOut);
    });
    m_est = new EstAttempts(p.est, this);
    m_csrAttrs = new CsrAttrsPrefetch(p.est, this);
    for (EstAttempts *a : {m_est, m_csrAttrs->attempts()}) {
        connect(
            a, &EstAttempts::retrying, this, [this](int attempt, int maxAttempts, qint64 delayMs, const Error &error) {
                qCInfo(lcJob) << m_port.id << "EST attempt" << attempt << "failed, retrying in" << delayMs
                              << "ms:" << error.toString();
                emit progress(0, 0, tr("EST server not answering; retry %1 of %2").arg(attempt).arg(maxAttempts - 1));
            });
    }

    connect(m_driver.get(), &device::DeviceDriver::progress, this, &ProvisioningJob::progress);
    connect(m_driver.get(), &device::DeviceDriver::connectionLost, this, [this](const Error &e) {
        if (isTerminal(m_state))
            return;
        m_error = e;
        m_failure = JobFailure::DeviceUnplugged;
        dispatch(JobEvent::Unplugged);
    });

    const ProductProfile &prof = *m_ctx.profile;
    m_record.portPath = m_port.path.isEmpty() ? m_port.busPath : m_port.path;
    m_record.profileName = prof.name;
    m_record.profileSha256 = prof.sha256;
    m_record.estUrl = prof.est.url.toString();
    m_record.keyOrigin = keyOriginName(prof.enrollment.keyOrigin);
    m_record.keyType = crypto::keyTypeName(prof.enrollment.keyType);
    m_record.operatorName = m_ctx.operatorName;
    m_record.stationId = m_ctx.stationId;
}

ProvisioningJob::~ProvisioningJob()
{
    // Nothing below may call back into this half-destroyed job.
    m_destroying = true;
    m_est->cancel();
    m_csrAttrs->cancel();
    delete m_slotWriter;
    m_slotWriter = nullptr;
    m_serverKey.clear();
    if (m_driver) {
        m_driver->disconnect(this);
        m_driver->cancel();
        m_driver->close();
        m_driver.reset();
    }
}

void ProvisioningJob::start()
{
    m_elapsed.start();
    m_record.startedAt = QDateTime::currentDateTimeUtc();
    // The CSR attributes travel while the unit is opened and identified.
    if (m_plan.fetchCsrAttrs && m_ctx.est)
        m_csrAttrs->start(m_ctx.est);
    dispatch(JobEvent::Start);
}

void ProvisioningJob::scanned(const ScannedCode &code)
{
    if (m_state != JobState::AwaitingScan)
        return;
    m_scan = code;
    m_record.barcode = code.raw;
    dispatch(JobEvent::Scanned);
}

void ProvisioningJob::scanMismatched(const ScannedCode &code)
{
    if (m_state != JobState::AwaitingScan)
        return;
    m_record.barcode = code.raw;
    failStep(JobFailure::BarcodeMismatch,
             Error(ErrorCode::InvalidArgument, QStringLiteral("The label names unit %1; the unit says it is %2")
                                                   .arg(code.serial, m_identity.serialNumber)));
}

void ProvisioningJob::confirm()
{
    if (m_state != JobState::AwaitingConfirmation)
        return;
    m_reprovisionConfirmed = true;
    dispatch(JobEvent::Confirmed);
}

void ProvisioningJob::cancel()
{
    if (isTerminal(m_state))
        return;
    m_failure = JobFailure::Cancelled;
    m_error = Error(ErrorCode::Cancelled, QStringLiteral("Cancelled by the operator"));
    dispatch(JobEvent::Cancel);
}

void ProvisioningJob::unplugged()
{
    if (isTerminal(m_state))
        return;
    m_failure = JobFailure::DeviceUnplugged;
    if (m_error.message.isEmpty() || m_error.code != ErrorCode::DeviceGone)
        m_error = Error(ErrorCode::DeviceGone, QStringLiteral("The unit's port %1 disappeared").arg(m_port.path));
    dispatch(JobEvent::Unplugged);
}

void ProvisioningJob::dispatch(JobEvent event)
{
    if (m_destroying)
        return;
    const JobState before = m_state;
    const JobTransition t = transition(m_plan, m_state, event);
    qCDebug(lcJob) << m_port.id << jobStateName(before) << "--" << jobEventName(event) << "->" << jobStateName(t.next);
    if (t.next == before && t.actions == NoAction)
        return;
    if (isTerminal(t.next) && !isTerminal(before))
        m_endedAt = before;
    m_state = t.next;
    if (m_state != before)
        emit stateChanged(m_state);
    apply(t);
}

void ProvisioningJob::apply(const JobTransition &t)
{
    if (t.actions & CancelPending) {
        m_est->cancel();
        m_csrAttrs->cancel();
        delete m_slotWriter; // back to the main slot before anything else talks to the unit
        m_slotWriter = nullptr;
        if (m_driver && m_driver->isBusy())
            m_driver->cancel();
    }
    if (t.actions & StopTimer)
        m_deadline.stop();
    if (t.actions & Journal) {
        m_record.step = jobStateName(m_state);
        journal();
    }
    if (t.actions & StartTimer) {
        const auto timeout = timeoutOf(m_state);
        if (timeout.count() > 0)
            m_deadline.start(timeout);
    }
    if (t.actions & WipeSecrets)
        m_serverKey.clear();

    const bool ends = isTerminal(m_state);
    auto close = [this, t, ends] {
        if ((t.actions & CloseDevice) && m_driver)
            m_driver->close();
        if (t.actions & Record)
            record();
        if (ends)
            finishJob();
    };
    if ((t.actions & ProbeDevice) && m_driver && m_failure != JobFailure::DeviceUnplugged) {
        // The interrupted write may have reached the unit: record what it holds now.
        auto done = std::make_shared<bool>(false);
        auto after = [this, close, done](const QString &holds) {
            if (*done || m_destroying)
                return;
            *done = true;
            if (!holds.isEmpty())
                m_record.errorDetail = holds;
            close();
        };
        QTimer::singleShot(m_ctx.profile->device.driver.exchangeTimeout * 3, this, [after] { after({}); });
        QPointer<ProvisioningJob> self(this);
        m_driver->readBack(device::ReadBackDepth::Digests, [self, after](Result<device::StoredCredentials> r) {
            if (!self || self->m_destroying)
                return;
            QStringList items;
            if (r) {
                for (const device::StoredItem &i : r->items)
                    items << QStringLiteral("%1 (%2)").arg(device::credentialKindName(i.kind),
                                                           i.committed ? QStringLiteral("committed")
                                                                       : QStringLiteral("staged"));
            }
            after(r ? QStringLiteral("after the interruption the unit holds: %1")
                          .arg(items.isEmpty() ? QStringLiteral("nothing") : items.join(QStringLiteral(", ")))
                    : QString());
        });
        return;
    }
    if (t.actions & RunStep) {
        if (t.actions & (CloseDevice | Record))
            close();
        runStep();
        return;
    }
    close();
}

template <typename T> device::DeviceDriver::Done<T> ProvisioningJob::guarded(std::function<void(Result<T>)> next)
{
    QPointer<ProvisioningJob> self(this);
    const JobState at = m_state;
    return [self, at, next = std::move(next)](Result<T> result) {
        if (!self || self->m_destroying || self->m_state != at)
            return; // the job moved on (timeout, unplug, cancel) or is gone
        next(std::move(result));
    };
}

void ProvisioningJob::succeedStep()
{
    dispatch(JobEvent::StepDone);
}

void ProvisioningJob::failStep(JobFailure failure, const Error &error)
{
    m_failure = failure;
    m_error = error;
    qCInfo(lcJob) << m_port.id << "failed at" << jobStateName(m_state) << jobFailureName(failure) << error.toString();
    dispatch(JobEvent::StepFailed);
}

std::chrono::milliseconds ProvisioningJob::timeoutOf(JobState state) const
{
    const StationTimeouts &t = m_ctx.profile->timeouts;
    switch (state) {
    case JobState::AwaitingScan: return t.scan;
    case JobState::AwaitingConfirmation: return std::chrono::milliseconds(0);
    case JobState::Opening: return m_ctx.profile->device.driver.openTimeout + t.step;
    case JobState::GeneratingKey: return std::max(t.keyGen, m_ctx.profile->device.driver.keyGenTimeout + t.step);
    case JobState::FetchingCsrAttrs:
    case JobState::Enrolling:
    case JobState::ServerKeygen: return t.est;
    default: return t.step;
    }
}

void ProvisioningJob::runStep()
{
    switch (m_state) {
    case JobState::Opening: doOpen(); break;
    case JobState::Identifying: doIdentify(); break;
    case JobState::CheckingRecord: doCheckRecord(); break;
    case JobState::FetchingCsrAttrs: doFetchCsrAttrs(); break;
    case JobState::InjectingTrust: doInjectTrust(); break;
    case JobState::InjectingBootstrap: doInjectBootstrap(); break;
    case JobState::GeneratingKey: doGenerateKey(); break;
    case JobState::Enrolling: doEnroll(); break;
    case JobState::ServerKeygen: doServerKeygen(); break;
    case JobState::WritingKey: doWriteKey(); break;
    case JobState::WritingChain: doWriteChain(); break;
    case JobState::Committing: doCommit(); break;
    case JobState::Verifying: doVerify(); break;
    case JobState::Recording: doRecord(); break;
    case JobState::AwaitingScan:
        if (m_pendingScan) {
            QTimer::singleShot(0, this, [this] {
                if (m_pendingScan)
                    scanned(*std::exchange(m_pendingScan, std::nullopt));
            });
        }
        break;
    default: break; // waiting states: their events move them
    }
}

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
            m_record.publicKeySha256 = sha256Hex(m_expectedPublicKey);
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
               m_record.publicKeySha256 = sha256Hex(m_expectedPublicKey);
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
