// The shared engine of the DMS upload and the reconciliation: walks the manifest's units (each serial's
// last finished attempt, in chain order, a page at a time so memory stays bounded for any manifest),
// runs at most N exchanges at once, retries transient failures with exponential back-off, stops taking
// new units when cancelled (the ones in flight finish), and says when everything is done. Subclasses
// decide which units take part and what one unit's exchange is.
#pragma once

#include "DmsApi.h"

#include "manifest/Manifest.h"

#include <QObject>

namespace station::outbound {

struct BatchOptions {
    manifest::ManifestQuery filter; ///< since / outcome / serial
    int jobs = 4;                   ///< exchanges in flight at once
    int attempts = 5;               ///< per unit, for transient failures
    int backoffMs = 500;            ///< first retry delay, doubled each time
    int maxBackoffMs = 8000;
};

class DmsBatch : public QObject
{
    Q_OBJECT
public:
    struct Unit {
        manifest::ManifestRecord record;
        QString deviceId;
        int attempt = 0; ///< transient failures so far
        int stage = 0;   ///< the subclass's own progress through the unit's exchanges
    };

    DmsBatch(manifest::Manifest &manifest, DmsApi *api, BatchOptions options, QObject *parent = nullptr);

    /// Stops taking new units; the ones in flight finish, then finished() follows.
    void cancel();
    [[nodiscard]] bool isCancelled() const { return m_cancelled; }

Q_SIGNALS:
    void progress(qint64 unitsDone);

protected:
    /// Starts walking the manifest (call once the subclass is ready, e.g. after checking the DMS).
    void startUnits();
    /// Whether `record` (with its DMS device id, maybe empty) takes part; a unit left out is counted by
    /// the subclass. Runs synchronously while the page is read.
    [[nodiscard]] virtual bool accept(const manifest::ManifestRecord &record, const QString &deviceId) = 0;
    /// One exchange for `unit`; call unitDone() or retry() exactly once when it is over.
    virtual void process(Unit unit) = 0;
    /// Everything is done (or cancelled/aborted).
    virtual void allDone() = 0;

    void unitDone();
    /// Sends `unit` again after a back-off, or returns false when it has used up its attempts.
    [[nodiscard]] bool retry(Unit unit);
    /// Stops everything at once (e.g. the DMS refuses the credentials): no further unit is started.
    void abort(const Error &why);
    [[nodiscard]] const std::optional<Error> &abortReason() const { return m_abort; }
    /// Retries an exchange that is not a unit's (the DMS settings read), with the same back-off.
    void afterBackoff(int attempt, std::function<void()> again);
    /// A manifest read failed: reported once through abort().
    void readFailed(const Error &error);

    manifest::Manifest &m_manifest;
    DmsApi *m_api;
    BatchOptions m_options;

private:
    void refill();
    void pump();
    void maybeFinish();

    QList<Unit> m_queue;
    qint64 m_cursorSeq = 0;
    bool m_exhausted = false;
    bool m_started = false;
    bool m_cancelled = false;
    bool m_finished = false;
    int m_active = 0; ///< exchanges in flight or waiting for a retry
    qint64 m_done = 0;
    std::optional<Error> m_abort;
};

} // namespace station::outbound
