// The end-of-shift check: reads each unit back from the DMS (GET /api/devmanager/v1/devices/{id}) —
// every unit uploaded to this DMS and every unit the manifest has as PASS, each serial's last attempt —
// and reports units registered but never enrolled, units enrolled with another certificate than the
// manifest's (compared by serial number), and units the DMS does not know.
#pragma once

#include "DmsBatch.h"
#include "OutboundLedger.h"

namespace station::outbound {

struct ReconcileItem {
    QString deviceId;
    QString serial;
    QString detail;
};

struct ReconcileReport {
    qint64 checked = 0;
    qint64 enrolledAsRecorded = 0; ///< the DMS's active certificate is the manifest's
    QList<ReconcileItem> neverEnrolled;
    QList<ReconcileItem> otherCertificate;
    QList<ReconcileItem> unknown;
    QList<ReconcileItem> unreadable; ///< no usable answer after the retries
    std::optional<Error> stopped;
    bool cancelled = false;
    [[nodiscard]] bool ok() const
    {
        return neverEnrolled.isEmpty() && otherCertificate.isEmpty() && unknown.isEmpty() && unreadable.isEmpty() &&
               !stopped && !cancelled;
    }
};

class ManifestReconciler : public DmsBatch
{
    Q_OBJECT
public:
    ManifestReconciler(manifest::Manifest &manifest, DmsApi *api, BatchOptions options, QString dmsId,
                       QObject *parent = nullptr);
    void start() { startUnits(); }
    [[nodiscard]] const ReconcileReport &report() const { return m_report; }

Q_SIGNALS:
    void finished();

protected:
    bool accept(const manifest::ManifestRecord &record, const QString &deviceId) override;
    void process(Unit unit) override;
    void allDone() override;

private:
    void classify(const Unit &unit, const QJsonObject &device);

    QString m_dmsId;
    OutboundLedger m_ledger;
    QString m_destination;
    ReconcileReport m_report;
};

} // namespace station::outbound
