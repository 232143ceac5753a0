#include "ManifestReconciler.h"

#include "LamassuDevice.h"
#include "ManifestUploader.h"

namespace station::outbound {

using manifest::ManifestRecord;
using manifest::Outcome;

ManifestReconciler::ManifestReconciler(manifest::Manifest &manifest, DmsApi *api, BatchOptions options, QString dmsId,
                                       QObject *parent)
    : DmsBatch(manifest, api, std::move(options), parent), m_dmsId(std::move(dmsId)), m_ledger(manifest),
      m_destination(ManifestUploader::destination(api->endpoint().baseUrl, m_dmsId))
{}

bool ManifestReconciler::accept(const ManifestRecord &record, const QString &deviceId)
{
    if (deviceId.isEmpty())
        return false;
    if (record.outcome == Outcome::Pass)
        return true;
    auto upload = m_ledger.uploadOf(m_destination, deviceId);
    if (!upload) {
        readFailed(upload.error());
        return false;
    }
    return upload->has_value() &&
           ((*upload)->state == UploadState::Created || (*upload)->state == UploadState::Present);
}

void ManifestReconciler::process(Unit unit)
{
    m_api->getDevice(unit.deviceId, this, [this, unit](const DmsAnswer &a) {
        if (a.status == 200) {
            if (auto device = a.json(); device && device->value(QStringLiteral("id")).toString() == unit.deviceId) {
                classify(unit, *device);
                return unitDone();
            }
        }
        if (a.status == 401 || a.status == 403) {
            abort(Error(ErrorCode::Authentication,
                        QStringLiteral("The DMS refused the credentials (%1)").arg(a.describe()), {},
                        QStringLiteral("Check --token-env or the OIDC client settings.")));
            return unitDone();
        }
        const bool notFound = (a.status == 400 || a.status == 404) &&
                              a.errorText().contains(QStringLiteral("not found"), Qt::CaseInsensitive);
        if (notFound) {
            ++m_report.checked;
            m_report.unknown.append({unit.deviceId, unit.record.serial,
                                     unit.record.outcome == Outcome::Pass
                                         ? QStringLiteral("PASS in the manifest, unknown to the DMS")
                                         : QStringLiteral("uploaded earlier, unknown to the DMS now")});
            return unitDone();
        }
        if (!retry(unit)) {
            ++m_report.checked;
            m_report.unreadable.append({unit.deviceId, unit.record.serial, a.describe()});
            unitDone();
        }
    });
}

void ManifestReconciler::classify(const Unit &unit, const QJsonObject &device)
{
    ++m_report.checked;
    const QString owner = device.value(QStringLiteral("dms_owner")).toString();
    const QJsonObject identity = device.value(QStringLiteral("identity")).toObject();
    const QJsonObject versions = identity.value(QStringLiteral("versions")).toObject();
    const QString active =
        versions.value(QString::number(identity.value(QStringLiteral("active_version")).toInt())).toString();
    const QString status = device.value(QStringLiteral("status")).toString();
    const QString ownerNote =
        owner == m_dmsId ? QString() : QStringLiteral(" (registered to DMS '%1', not '%2')").arg(owner, m_dmsId);
    if (active.isEmpty()) {
        m_report.neverEnrolled.append(
            {unit.deviceId, unit.record.serial,
             QStringLiteral("DMS status %1, no certificate%2%3")
                 .arg(status.isEmpty() ? QStringLiteral("unknown") : status, ownerNote,
                      unit.record.outcome == Outcome::Pass ? QStringLiteral("; the manifest has it as PASS")
                                                           : QString())});
        return;
    }
    if (unit.record.outcome != Outcome::Pass) {
        m_report.otherCertificate.append(
            {unit.deviceId, unit.record.serial,
             QStringLiteral("enrolled with certificate %1, but the manifest's last attempt is %2 (no certificate)%3")
                 .arg(active, manifest::outcomeName(unit.record.outcome), ownerNote)});
        return;
    }
    if (normalizedSerial(active) != normalizedSerial(unit.record.certSerial)) {
        m_report.otherCertificate.append({unit.deviceId, unit.record.serial,
                                          QStringLiteral("the DMS's active certificate is %1, the manifest's is %2%3")
                                              .arg(active, unit.record.certSerial, ownerNote)});
        return;
    }
    ++m_report.enrolledAsRecorded;
}

void ManifestReconciler::allDone()
{
    m_report.stopped = abortReason();
    m_report.cancelled = isCancelled();
    Q_EMIT finished();
}

} // namespace station::outbound
