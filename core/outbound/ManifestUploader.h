// Pre-registers the manifest's units in a Lamassu DMS: one POST /api/devmanager/v1/devices per unit (its
// last attempt that has a device id), safe to repeat, interrupt and resume:
// - it reads the DMS first (GET /api/dmsmanager/v1/dms/{id}): a DMS that does not exist stops it; the
//   registration mode, replaceable enrollment and server-keygen settings are checked against the profile;
// - before each POST the unit is marked "sending" in the manifest, after it the DMS's answer is recorded
//   ("created", "present", "failed"); a unit already created or present at this DMS is not sent again;
// - a 500 (Lamassu's answer to a duplicate id) or an unreadable 201 is confirmed with a GET: a device that
//   exists in this DMS counts as present, not failed — so a run cut off after its POST (kill -9, network
//   loss) resumes without duplicates;
// - transient failures (no answer, timeouts, 502/503/504) are retried with back-off; a refused token is
//   refreshed once per request (OIDC), and an upload the DMS will not authorize stops at once.
// A dry run reads the manifest only: nothing is sent and nothing is written.
#pragma once

#include "DmsBatch.h"
#include "OutboundLedger.h"

#include "provisioning/ProductProfile.h"

namespace station::outbound {

struct UploadOptions {
    BatchOptions batch;
    QString dmsId;
    provisioning::DmsSettings device;                        ///< icon, colour, tags
    std::optional<provisioning::KeyOrigin> profileKeyOrigin; ///< to check against the DMS's keygen settings
    bool dryRun = false;
};

struct UploadUnitResult {
    QString deviceId;
    QString serial;
    UploadState state = UploadState::Failed;
    QString text; ///< the DMS's answer in one line
};

struct UploadSummary {
    qint64 created = 0;
    qint64 present = 0; ///< already in the DMS (confirmed by reading it back)
    qint64 failed = 0;
    qint64 alreadyUploaded = 0; ///< recorded as created/present by an earlier run: not sent again
    qint64 noDeviceId = 0;      ///< attempts that never got as far as a CSR
    qint64 wouldUpload = 0;     ///< dry run
    qint64 unanswered = 0;      ///< interrupted while the DMS had not answered: checked on the next run
    QList<UploadUnitResult> failures;
    QStringList notes;            ///< what the DMS's settings mean for these units
    std::optional<Error> stopped; ///< why the upload stopped early (DMS missing, not authorized, …)
    bool cancelled = false;
    [[nodiscard]] bool ok() const { return failed == 0 && !stopped && !cancelled; }
};

class ManifestUploader : public DmsBatch
{
    Q_OBJECT
public:
    /// `api` may be null for a dry run.
    ManifestUploader(manifest::Manifest &manifest, DmsApi *api, UploadOptions options, QObject *parent = nullptr);

    void start();
    [[nodiscard]] const UploadSummary &summary() const { return m_summary; }
    /// The key the ledger files this upload's rows under: "<DMS URL>#<DMS id>".
    [[nodiscard]] static QString destination(const QUrl &dmsUrl, const QString &dmsId);

Q_SIGNALS:
    void note(const QString &text);
    void unitFinished(const station::outbound::UploadUnitResult &result);
    void finished();

protected:
    bool accept(const manifest::ManifestRecord &record, const QString &deviceId) override;
    void process(Unit unit) override;
    void allDone() override;

private:
    void checkDms(int attempt);
    void readSettings(const QJsonObject &dms);
    void post(Unit unit);
    void confirm(Unit unit, const DmsAnswer &postAnswer);
    void settle(const Unit &unit, UploadState state, const DmsAnswer &answer, const QString &text);
    void leaveUnanswered(const Unit &unit, const DmsAnswer &answer);
    void addNote(const QString &text);

    UploadOptions m_upload;
    OutboundLedger m_ledger;
    QString m_destination;
    UploadSummary m_summary;
};

} // namespace station::outbound
