#include "Station.h"

#include "manifest/Manifest.h"

#include <QDateTime>
#include <QLoggingCategory>

namespace station::provisioning {

Q_LOGGING_CATEGORY(lcStation, "station.provisioning.station")

Station::Station(ProductProfile profile, StationConfig config, device::DeviceSource *source, DriverProvider drivers,
                 manifest::Manifest *manifest, SecretPrompt askSecret, QObject *parent)
    : QObject(parent), m_profile(std::move(profile)), m_config(std::move(config)), m_source(source),
      m_drivers(std::move(drivers)), m_manifest(manifest)
{
    m_est = new EstSetup(m_profile, std::move(askSecret), this);
    connect(m_est, &EstSetup::status, this, &Station::status);
    connect(m_est, &EstSetup::failed, this, &Station::setupFailed);
    connect(m_est, &EstSetup::secretNeeded, this, &Station::secretNeeded);
    connect(m_est, &EstSetup::ready, this, [this] {
        m_ready = true;
        emit ready();
        const QList<device::DiscoveredDevice> waiting = std::exchange(m_waitingForSetup, {});
        for (const device::DiscoveredDevice &d : waiting)
            onArrived(d);
    });
    if (m_source) {
        connect(m_source, &device::DeviceSource::deviceArrived, this, &Station::onArrived);
        connect(m_source, &device::DeviceSource::deviceLeft, this, &Station::onLeft);
        connect(m_source, &device::DeviceSource::notice, this, &Station::notice);
    }
}

Station::~Station()
{
    for (Slot &s : m_slots) {
        delete s.job; // jobs cancel their own operations; nothing calls back into this station
        s.job = nullptr;
    }
}

void Station::start()
{
    // A previous run that was killed left rows open: close them before new attempts.
    if (auto sealed = m_manifest->sealAbandoned(); sealed && *sealed > 0)
        emit notice(tr("%n cut-off attempt(s) from an earlier run are recorded as INCOMPLETE.", nullptr, *sealed));
    m_est->prepare();
    if (m_source) {
        for (const device::DiscoveredDevice &d : m_source->devices())
            onArrived(d);
    }
}

void Station::provideSecret(crypto::SecretBytes secret)
{
    m_est->provideSecret(std::move(secret));
}

est::EstClient *Station::estClient() const
{
    return m_est->client();
}

int Station::findSlot(const std::function<bool(const Slot &)> &pred) const
{
    for (int i = 0; i < m_slots.size(); ++i) {
        if (pred(m_slots[i]))
            return i;
    }
    return -1;
}

QString Station::placeOf(const device::DiscoveredDevice &device)
{
    // A slot is a place on the bench: a USB port path ("1-2.3", stable behind hubs) where there is one,
    // else the port's name. /dev/ttyACM numbers change on re-plug; the USB path does not.
    return device.busPath.isEmpty() ? device.id : QStringLiteral("usb:") + device.busPath;
}

int Station::slotFor(const device::DiscoveredDevice &device)
{
    const QString place = placeOf(device);
    const int existing = findSlot([&place](const Slot &s) { return s.info.portId == place; });
    if (existing >= 0)
        return existing;
    Slot s;
    s.info.index = int(m_slots.size());
    s.info.portId = place;
    s.info.portPath = device.path.isEmpty() ? QStringLiteral("usb ") + device.busPath : device.path;
    m_slots.append(s);
    emit slotAdded(s.info.index);
    return s.info.index;
}

void Station::onArrived(const device::DiscoveredDevice &device)
{
    if (!m_profile.device.filter.matches(device))
        return;
    if (device.path.isEmpty())
        return; // a raw USB device without a serial interface: not a unit this station can talk to
    const int index = slotFor(device);
    Slot &s = m_slots[index];
    if (s.job && !s.job->isFinished() && s.info.present)
        return; // already working on it
    s.info.present = true;
    s.device = device;
    if (!device.path.isEmpty())
        s.info.portPath = device.path; // a re-plugged unit may come back as another ttyACM
    s.info.result.reset();
    s.info.serial.clear();
    s.info.state = JobState::Detected;
    s.info.stepText = jobStateLabel(JobState::Detected);
    emit slotChanged(index);
    if (!m_ready) {
        m_waitingForSetup.append(device);
        return;
    }
    startJob(index, device);
}

void Station::startJob(int index, const device::DiscoveredDevice &device)
{
    Slot &s = m_slots[index];
    if (s.job) {
        s.job->deleteLater();
        s.job = nullptr;
    }
    auto driver = m_drivers(device, m_profile);
    if (!driver) {
        JobResult r;
        r.finalState = JobState::Failed;
        r.failure = JobFailure::Configuration;
        r.message = {tr("The station cannot talk to the unit on %1.").arg(s.info.portPath),
                     tr("Call the supervisor: %1").arg(driver.error().message)};
        r.detail = driver.error().toString();
        s.info.state = JobState::Failed;
        s.info.result = r;
        emit slotChanged(index);
        emit jobFinished(index, r);
        return;
    }
    JobContext ctx;
    ctx.profile = &m_profile;
    ctx.est = m_est->client();
    ctx.enrollEst = m_est->enrollClient();
    ctx.bootstrapEst = m_est->bootstrapClient();
    ctx.manifest = m_manifest;
    ctx.caCertificates = m_est->caCertificates();
    ctx.trustAnchorsToInject = m_est->trustAnchorsToInject();
    ctx.operatorName = m_config.operatorName;
    ctx.stationId = m_config.stationId;
    auto *job = new ProvisioningJob(std::move(ctx), device, std::move(*driver), this);
    s.job = job;
    s.info.startedMsSinceEpoch = QDateTime::currentMSecsSinceEpoch();
    connect(job, &ProvisioningJob::stateChanged, this, [this, job](JobState state) {
        const int i = findSlot([job](const Slot &x) { return x.job == job; });
        if (i < 0)
            return;
        SlotInfo &info = m_slots[i].info;
        info.state = state;
        info.serial = job->serial();
        info.stepText = jobStateLabel(state);
        info.progressDone = info.progressTotal = 0;
        emit slotChanged(i);
    });
    connect(job, &ProvisioningJob::progress, this, [this, job](qint64 done, qint64 total, const QString &text) {
        const int i = findSlot([job](const Slot &x) { return x.job == job; });
        if (i < 0)
            return;
        SlotInfo &info = m_slots[i].info;
        info.progressDone = done;
        info.progressTotal = total;
        if (!text.isEmpty())
            info.stepText = text;
        emit slotChanged(i);
    });
    connect(job, &ProvisioningJob::finished, this, [this, job](const JobResult &result) {
        const int i = findSlot([job](const Slot &x) { return x.job == job; });
        if (i < 0)
            return;
        SlotInfo &info = m_slots[i].info;
        info.state = result.finalState;
        info.result = result;
        if (!result.serial.isEmpty())
            info.serial = result.serial;
        emit slotChanged(i);
        emit jobFinished(i, result);
    });
    job->start();
}

void Station::onLeft(const device::DiscoveredDevice &device)
{
    const QString place = placeOf(device);
    const int index = findSlot([&place](const Slot &s) { return s.info.portId == place; });
    if (index < 0)
        return;
    Slot &s = m_slots[index];
    s.info.present = false;
    m_waitingForSetup.removeIf([&device](const device::DiscoveredDevice &d) { return d.id == device.id; });
    const bool cutOff = s.job && !s.job->isFinished();
    if (s.job) {
        if (cutOff)
            s.job->unplugged(); // records INCOMPLETE and reports (the result lands in s.info.result)
        s.job->deleteLater();
        s.job = nullptr;
    }
    s.info.progressDone = s.info.progressTotal = 0;
    // A unit pulled out mid-job leaves its failure on the tile (what happened, what to do) until the next
    // unit arrives there; a unit removed after its result clears the tile for the next one.
    const bool removalFailedIt = cutOff || (s.info.result && s.info.result->failure == JobFailure::DeviceUnplugged);
    if (!removalFailedIt) {
        s.info.result.reset();
        s.info.serial.clear();
        s.info.state = JobState::Detected;
        s.info.stepText.clear();
    }
    emit slotChanged(index);
}

ScanAnswer Station::scan(const QString &text)
{
    ScanAnswer answer;
    auto code = m_profile.barcode.parse(text);
    if (!code) {
        answer.message = code.error().message + QStringLiteral(". ") + code.error().remedy;
        return answer;
    }
    const QString serial = code->serial;
    int waiting = 0, waitingIndex = -1;
    QStringList waitingSerials;
    for (int i = 0; i < m_slots.size(); ++i) {
        const Slot &s = m_slots[i];
        if (!s.job)
            continue;
        if (s.job->serial() == serial) {
            if (s.job->state() == JobState::AwaitingScan) {
                s.job->scanned(*code);
                answer.accepted = true;
                answer.slot = i;
                answer.message = tr("Unit %1 in slot %2: provisioning.").arg(serial).arg(i + 1);
                return answer;
            }
            answer.slot = i;
            if (s.job->isFinished() && !s.job->result().passed() && s.info.present) {
                // "Scan it again" after a failure: a new attempt on the same unit, in the same slot.
                startJob(i, m_slots[i].device);
                if (m_slots[i].job)
                    m_slots[i].job->setPendingScan(*code);
                answer.accepted = true;
                answer.message = tr("Unit %1 in slot %2: trying again.").arg(serial).arg(i + 1);
                return answer;
            }
            answer.message = s.job->isFinished()
                                 ? tr("Unit %1 in slot %2 is finished: remove it.").arg(serial).arg(i + 1)
                                 : tr("Unit %1 in slot %2 is already being provisioned; the scan is ignored.")
                                       .arg(serial)
                                       .arg(i + 1);
            return answer;
        }
        if (s.job->state() == JobState::AwaitingScan) {
            ++waiting;
            waitingIndex = i;
            waitingSerials << s.job->serial();
        }
    }
    if (m_profile.scanStartsOnlyWaitingUnit && waiting == 1) {
        m_slots[waitingIndex].job->scanned(*code);
        answer.accepted = true;
        answer.slot = waitingIndex;
        answer.message =
            tr("Label %1 assigned to the unit in slot %2: provisioning.").arg(serial).arg(waitingIndex + 1);
        return answer;
    }
    if (auto pass = m_manifest->findPass(serial, {}); pass && pass->has_value()) {
        answer.message = tr("Unit %1 is already provisioned (PASS on record), and it is not attached.").arg(serial);
        return answer;
    }
    answer.message = waitingSerials.isEmpty()
                         ? tr("No attached unit has serial %1. Plug the unit in, then scan its label.").arg(serial)
                         : tr("No attached unit has serial %1 (waiting: %2). Scan the label of a unit in a slot.")
                               .arg(serial, waitingSerials.join(QStringLiteral(", ")));
    return answer;
}

ScanAnswer Station::scanForSlot(int slot, const QString &text)
{
    ScanAnswer answer;
    if (slot < 0 || slot >= m_slots.size() || !m_slots[slot].job ||
        m_slots[slot].job->state() != JobState::AwaitingScan) {
        answer.message = tr("No unit waits for a scan in slot %1.").arg(slot + 1);
        return answer;
    }
    auto code = m_profile.barcode.parse(text);
    ProvisioningJob *job = m_slots[slot].job;
    if (!code) {
        ScannedCode raw;
        raw.raw = text.trimmed().left(BarcodeRule::kMaxLength);
        job->scanMismatched(raw);
        answer.message = code.error().message + QStringLiteral(". ") + code.error().remedy;
        return answer;
    }
    answer.slot = slot;
    if (code->serial == job->serial() || m_profile.scanStartsOnlyWaitingUnit) {
        job->scanned(*code);
        answer.accepted = true;
        answer.message = tr("Unit %1 in slot %2: provisioning.").arg(code->serial).arg(slot + 1);
    } else {
        job->scanMismatched(*code);
        answer.message =
            tr("The label names %1, but the unit in slot %2 is %3.").arg(code->serial).arg(slot + 1).arg(job->serial());
    }
    return answer;
}

void Station::confirm(int slot)
{
    if (slot >= 0 && slot < m_slots.size() && m_slots[slot].job)
        m_slots[slot].job->confirm();
}

void Station::cancel(int slot)
{
    if (slot >= 0 && slot < m_slots.size() && m_slots[slot].job)
        m_slots[slot].job->cancel();
}

void Station::cancelAll()
{
    for (Slot &s : m_slots) {
        if (s.job)
            s.job->cancel();
    }
}

QList<SlotInfo> Station::allSlots() const
{
    QList<SlotInfo> out;
    for (const Slot &s : m_slots)
        out.append(s.info);
    return out;
}

SlotInfo Station::slotInfo(int index) const
{
    return index >= 0 && index < m_slots.size() ? m_slots[index].info : SlotInfo{};
}

int Station::activeJobs() const
{
    int n = 0;
    for (const Slot &s : m_slots)
        n += s.job && !s.job->isFinished() ? 1 : 0;
    return n;
}

} // namespace station::provisioning
