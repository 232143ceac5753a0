#include "ManifestUploader.h"

#include "LamassuDevice.h"

#include <QJsonDocument>
#include <QTimer>

namespace station::outbound {

using manifest::ManifestRecord;

QString ManifestUploader::destination(const QUrl &dmsUrl, const QString &dmsId)
{
    return dmsUrl.adjusted(QUrl::StripTrailingSlash | QUrl::RemoveUserInfo | QUrl::RemoveQuery).toString() +
           QLatin1Char('#') + dmsId;
}

ManifestUploader::ManifestUploader(manifest::Manifest &manifest, DmsApi *api, UploadOptions options, QObject *parent)
    : DmsBatch(manifest, api, options.batch, parent), m_upload(std::move(options)), m_ledger(manifest),
      m_destination(destination(api ? api->endpoint().baseUrl : QUrl(), m_upload.dmsId))
{}

void ManifestUploader::start()
{
    if (m_upload.dryRun || !m_api)
        return startUnits(); // nothing is sent: not even the settings read
    checkDms(0);
}

void ManifestUploader::addNote(const QString &text)
{
    m_summary.notes << text;
    Q_EMIT note(text);
}

void ManifestUploader::checkDms(int attempt)
{
    m_api->getDms(m_upload.dmsId, this, [this, attempt](const DmsAnswer &a) {
        const QString where = m_api->endpoint().baseUrl.toString();
        if (a.transient() && attempt + 1 < m_options.attempts && !isCancelled()) {
            addNote(QStringLiteral("Reading the DMS settings failed (%1); trying again").arg(a.describe()));
            afterBackoff(attempt + 1, [this, attempt] { checkDms(attempt + 1); });
            return;
        }
        if (a.status == 200) {
            if (auto dms = a.json(); dms && dms->contains(QStringLiteral("settings"))) {
                readSettings(*dms);
                return startUnits();
            }
            return abort(Error(ErrorCode::Parse,
                               QStringLiteral("%1 answered the DMS settings request with something that is not a "
                                              "DMS (%2)")
                                   .arg(where, a.describe()),
                               {}, QStringLiteral("Check --dms-url: it must be the DMS's API gateway.")));
        }
        if (a.status == 401 || a.status == 403)
            return abort(Error(ErrorCode::Authentication,
                               QStringLiteral("The DMS refused the credentials (%1)").arg(a.describe()), {},
                               QStringLiteral("The token must belong to a client with the pki-admin role; check "
                                              "--token-env or the OIDC client settings.")));
        // Lamassu answers an unknown DMS id with 500 and an empty error object ({}): its not-found error
        // does not survive the JSON encoding. A 500 with a reason is a real server error.
        const QString said = a.errorText();
        const bool opaque500 = a.status == 500 && (said.isEmpty() || said == QLatin1String("{}"));
        if (a.status == 404 || opaque500 || said.contains(QStringLiteral("not found"), Qt::CaseInsensitive))
            return abort(Error(
                ErrorCode::NotFound,
                QStringLiteral("The DMS '%1' does not exist at %2 (%3)").arg(m_upload.dmsId, where, a.describe()), {},
                QStringLiteral("Check --dms-id (the DMS's id in the Lamassu console, not its name); "
                               "nothing was uploaded.")));
        abort(Error(a.transient() ? ErrorCode::Network : ErrorCode::Http,
                    QStringLiteral("Cannot read the DMS '%1' at %2: %3").arg(m_upload.dmsId, where, a.describe()), {},
                    QStringLiteral("Check --dms-url, --trust and the network; nothing was uploaded.")));
    });
}

void ManifestUploader::readSettings(const QJsonObject &dms)
{
    const QJsonObject settings = dms.value(QStringLiteral("settings")).toObject();
    const QJsonObject enrollment = settings.value(QStringLiteral("enrollment_settings")).toObject();
    const QString mode = enrollment.value(QStringLiteral("registration_mode")).toString();
    const bool replaceable = enrollment.value(QStringLiteral("enable_replaceable_enrollment")).toBool();
    const QString name = dms.value(QStringLiteral("name")).toString(m_upload.dmsId);
    if (mode == QLatin1String("PRE_REGISTRATION") && !replaceable)
        addNote(QStringLiteral("WARNING: DMS '%1' is in PRE_REGISTRATION mode without enable_replaceable_enrollment: "
                               "it refuses to enroll a device that already exists (forbiddenNewEnrollment), also one "
                               "that was uploaded and never enrolled — so the units uploaded now cannot enroll, and "
                               "a unit can never enroll again. Turn on replaceable enrollment in the DMS settings.")
                    .arg(name));
    else if (mode == QLatin1String("PRE_REGISTRATION"))
        addNote(QStringLiteral("DMS '%1' is in PRE_REGISTRATION mode: only uploaded units may enroll.").arg(name));
    else if (mode == QLatin1String("JITP"))
        addNote(QStringLiteral("DMS '%1' is in JITP mode: it creates devices when they first enroll; uploading "
                               "first adds their alias, tags and metadata.")
                    .arg(name));
    const QJsonObject keygen = settings.value(QStringLiteral("server_keygen_settings")).toObject();
    const bool keygenOn = keygen.value(QStringLiteral("enabled")).toBool();
    const QJsonObject key = keygen.value(QStringLiteral("key")).toObject();
    const QString keyText = QStringLiteral("%1 %2").arg(key.value(QStringLiteral("type")).toString(),
                                                        QString::number(key.value(QStringLiteral("bits")).toInt()));
    if (m_upload.profileKeyOrigin == provisioning::KeyOrigin::Server && !keygenOn)
        addNote(QStringLiteral("WARNING: the profile generates keys on the server (serverkeygen), but DMS '%1' has "
                               "server key generation off: enrollment will be refused with 'server key generation "
                               "not enabled'. Turn it on in the DMS or use key_origin device.")
                    .arg(name));
    else if (m_upload.profileKeyOrigin == provisioning::KeyOrigin::Server)
        addNote(QStringLiteral("DMS '%1' generates server keys as %2 (its settings decide, not the profile).")
                    .arg(name, keyText.trimmed()));
    else if (m_upload.profileKeyOrigin == provisioning::KeyOrigin::Device && keygenOn)
        addNote(QStringLiteral("DMS '%1' also offers server key generation (%2); the profile keeps keys on the units.")
                    .arg(name, keyText.trimmed()));
}

bool ManifestUploader::accept(const ManifestRecord &record, const QString &deviceId)
{
    if (deviceId.isEmpty()) {
        ++m_summary.noDeviceId;
        return false;
    }
    if (m_upload.dryRun) {
        ++m_summary.wouldUpload;
        Q_EMIT unitFinished({deviceId, record.serial, UploadState::Sending, QStringLiteral("would be uploaded")});
        return false;
    }
    auto earlier = m_ledger.uploadOf(m_destination, deviceId);
    if (!earlier) {
        readFailed(earlier.error());
        return false;
    }
    if (earlier->has_value() &&
        ((*earlier)->state == UploadState::Created || (*earlier)->state == UploadState::Present)) {
        ++m_summary.alreadyUploaded;
        return false;
    }
    return true;
}

void ManifestUploader::process(Unit unit)
{
    if (unit.stage == 1)
        return confirm(unit, {});
    post(unit);
}

void ManifestUploader::post(Unit unit)
{
    // Mark first: a run cut off from here on leaves "sending", and the next run confirms what happened.
    if (unit.attempt == 0) {
        if (auto r =
                m_ledger.recordUpload({unit.record.id, m_destination, unit.deviceId, UploadState::Sending, 0, {}, {}});
            !r) {
            abort(r.error().withContext(QStringLiteral("Recording the upload in the manifest")));
            return unitDone();
        }
    }
    const QJsonObject body = lamassuCreateBody(unit.record, m_upload.device, m_upload.dmsId);
    m_api->createDevice(body, this, [this, unit](const DmsAnswer &a) mutable {
        if (a.status == 201) {
            const auto device = a.json();
            if (device && device->value(QStringLiteral("id")).toString() == unit.deviceId)
                return settle(unit, UploadState::Created, a, QStringLiteral("created"));
            unit.stage = 1; // created, says the status; the body says nothing: read it back
            return confirm(unit, a);
        }
        if (a.status == 500 || a.status == 409) {
            unit.stage = 1; // Lamassu's answer to an id that exists (or to a body it refuses): read it back
            return confirm(unit, a);
        }
        if (a.transient()) {
            if (isCancelled())
                return leaveUnanswered(unit, a);
            if (!retry(unit))
                settle(unit, UploadState::Failed, a,
                       QStringLiteral("gave up after %1 attempts: %2").arg(m_options.attempts).arg(a.describe()));
            return;
        }
        if (a.status == 401 || a.status == 403) {
            abort(Error(ErrorCode::Authentication,
                        QStringLiteral("The DMS refused to create devices (%1)").arg(a.describe()), {},
                        QStringLiteral("The token must belong to a client with the pki-admin role.")));
            return settle(unit, UploadState::Failed, a, a.describe());
        }
        settle(unit, UploadState::Failed, a, a.describe());
    });
}

void ManifestUploader::confirm(Unit unit, const DmsAnswer &postAnswer)
{
    m_api->getDevice(unit.deviceId, this, [this, unit, postAnswer](const DmsAnswer &a) mutable {
        if (a.status == 200) {
            const auto device = a.json();
            const QString owner = device ? device->value(QStringLiteral("dms_owner")).toString() : QString();
            if (!device || device->value(QStringLiteral("id")).toString() != unit.deviceId) {
                if (!retry(unit))
                    settle(unit, UploadState::Failed, a,
                           QStringLiteral("the DMS's answers cannot be read: %1").arg(a.describe()));
                return;
            }
            if (owner != m_upload.dmsId)
                return settle(unit, UploadState::Failed, a,
                              QStringLiteral("the device is registered to another DMS ('%1')").arg(owner));
            const bool createdNow = postAnswer.status == 201;
            return settle(unit, createdNow ? UploadState::Created : UploadState::Present, a,
                          createdNow ? QStringLiteral("created") : QStringLiteral("already present"));
        }
        if (a.transient()) {
            if (isCancelled())
                return leaveUnanswered(unit, a);
            if (!retry(unit))
                settle(unit, UploadState::Failed, a,
                       QStringLiteral("could not confirm after %1 attempts: %2")
                           .arg(m_options.attempts)
                           .arg(a.describe()));
            return;
        }
        // Not there: the POST was refused for what it said (validation), not for a duplicate.
        const DmsAnswer &why = postAnswer.status != 0 ? postAnswer : a;
        settle(unit, UploadState::Failed, why,
               postAnswer.status == 201 ? QStringLiteral("the DMS said it created the device but does not know it")
                                        : why.describe());
    });
}

void ManifestUploader::leaveUnanswered(const Unit &unit, const DmsAnswer &answer)
{
    // Interrupted while the DMS had not answered: the row stays "sending" (the DMS may have created the
    // device), and the next run confirms it with a GET. Not a failure of the unit.
    ++m_summary.unanswered;
    Q_EMIT unitFinished(
        {unit.deviceId, unit.record.serial, UploadState::Sending,
         QStringLiteral("interrupted before the DMS answered (%1); the next run checks it").arg(answer.describe())});
    unitDone();
}

void ManifestUploader::settle(const Unit &unit, UploadState state, const DmsAnswer &answer, const QString &text)
{
    if (auto r = m_ledger.recordUpload(
            {unit.record.id,
             m_destination,
             unit.deviceId,
             state,
             answer.status,
             OutboundLedger::boundedAnswer(answer.status ? answer.body : answer.networkError.toUtf8()),
             {}});
        !r)
        abort(r.error().withContext(QStringLiteral("Recording the upload in the manifest")));
    switch (state) {
    case UploadState::Created: ++m_summary.created; break;
    case UploadState::Present: ++m_summary.present; break;
    case UploadState::Failed:
        ++m_summary.failed;
        m_summary.failures.append({unit.deviceId, unit.record.serial, state, text});
        break;
    case UploadState::Sending: break;
    }
    Q_EMIT unitFinished({unit.deviceId, unit.record.serial, state, text});
    unitDone();
}

void ManifestUploader::allDone()
{
    m_summary.stopped = abortReason();
    m_summary.cancelled = isCancelled();
    Q_EMIT finished();
}

} // namespace station::outbound
