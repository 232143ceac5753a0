// The manifest browser's reading side: its own read-only connection to the manifest (Manifest::Access::
// ReadOnly) on a worker thread, so that no query — a filter that matches few of a million rows, a count
// over the whole file — ever runs on the operator screen's thread. Requests return a ticket at once; the
// answer arrives later as a signal on the GUI thread with that ticket. Requests older than a call to
// dropPending() are skipped by the worker (a filter typed letter by letter asks once, not six times).
#pragma once

#include "Error.h"
#include "manifest/Manifest.h"

#include <QDateTime>
#include <QList>
#include <QObject>

#include <atomic>
#include <memory>
#include <optional>

class QThread;

namespace station::ui {

/// What one row of the browser's table shows (the full record is read for the details pane only).
struct ManifestRow {
    qint64 id = 0;
    QDateTime startedAt;
    QString serial;
    manifest::Outcome outcome = manifest::Outcome::Incomplete;
    bool finished = false; ///< sealed; an open row is a job still running (or cut off, not yet sealed)
    QString step;
    QString errorCode;
    QString errorMessage;
    QString certSerial;
    qint64 durationMs = 0;
    QString operatorName;
    QString stationId;

    [[nodiscard]] static ManifestRow of(const manifest::ManifestRecord &record);
};

class ManifestReader : public QObject
{
    Q_OBJECT
public:
    explicit ManifestReader(QObject *parent = nullptr);
    /// Stops the worker; a query still running is waited for (bounded).
    ~ManifestReader() override;

    /// Opens `path` read-only on the worker (closing the manifest it had): opened() or failed(0, ...).
    void open(const QString &path);
    [[nodiscard]] QString path() const { return m_path; }

    /// Manifest::list(query), summarised: rowsFetched(ticket, ...) or failed(ticket, ...).
    quint64 fetchRows(const manifest::ManifestQuery &query);
    /// Manifest::get(id): recordFetched(ticket, ...) or failed(ticket, ...).
    quint64 fetchRecord(qint64 id);
    /// Manifest::count(query): counted(ticket, ...) or failed(ticket, ...).
    quint64 count(const manifest::ManifestQuery &query);
    /// Requests made before this call that the worker has not started are skipped without an answer.
    void dropPending();

signals:
    void opened(const QString &path);
    void rowsFetched(quint64 ticket, const QList<station::ui::ManifestRow> &rows);
    void recordFetched(quint64 ticket, const std::optional<station::manifest::ManifestRecord> &record);
    void counted(quint64 ticket, qint64 count);
    void failed(quint64 ticket, const station::Error &error);

private:
    class Worker;
    /// Runs `work` on the worker thread unless dropped by then.
    quint64 post(std::function<void(quint64 ticket)> work);

    QThread *m_thread;
    Worker *m_worker;
    QString m_path;
    quint64 m_nextTicket = 0;
    std::shared_ptr<std::atomic<quint64>> m_dropBelow;
};

} // namespace station::ui
