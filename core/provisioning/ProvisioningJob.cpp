#include "ProvisioningJob.h"

#include "JobSupport.h"

#include "CsrAttrsPrefetch.h"
#include "SlotWriter.h"

#include "est/EstClient.h"

namespace station::provisioning {

Q_LOGGING_CATEGORY(lcJob, "station.provisioning.job")

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

} // namespace station::provisioning
