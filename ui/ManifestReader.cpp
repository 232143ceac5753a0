#include "ManifestReader.h"

#include <QLoggingCategory>
#include <QThread>

namespace station::ui {

Q_LOGGING_CATEGORY(lcBrowser, "station.ui.browser")

ManifestRow ManifestRow::of(const manifest::ManifestRecord &record)
{
    ManifestRow r;
    r.id = record.id;
    r.startedAt = record.startedAt;
    r.serial = record.serial;
    r.outcome = record.outcome;
    r.finished = record.isFinished();
    r.step = record.step;
    r.errorCode = record.errorCode;
    r.errorMessage = record.errorMessage;
    r.certSerial = record.certSerial;
    r.durationMs = record.durationMs;
    r.operatorName = record.operatorName;
    r.stationId = record.stationId;
    return r;
}

/// Lives on the reader's thread and owns the connection there.
class ManifestReader::Worker : public QObject
{
public:
    std::unique_ptr<manifest::Manifest> manifest;

    /// `query(manifest)`, or an error while no manifest is open.
    template <typename F> auto ask(F query) const -> decltype(query(manifest.get()))
    {
        if (!manifest)
            return fail(ErrorCode::Database, ManifestReader::tr("The manifest is not open"), {},
                        ManifestReader::tr("Check the manifest path in the message bar."));
        return query(manifest.get());
    }
};

ManifestReader::ManifestReader(QObject *parent)
    : QObject(parent), m_thread(new QThread(this)), m_worker(new Worker),
      m_dropBelow(std::make_shared<std::atomic<quint64>>(0))
{
    m_thread->setObjectName(QStringLiteral("manifest-reader"));
    m_worker->moveToThread(m_thread);
    // The worker (and the SQLite connection it owns) is destroyed on its own thread as it stops.
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start(QThread::LowPriority);
}

ManifestReader::~ManifestReader()
{
    dropPending();
    m_thread->quit();
    if (!m_thread->wait(10000))
        qCWarning(lcBrowser) << "the manifest reader is still busy with a query after 10 s";
}

void ManifestReader::open(const QString &path)
{
    m_path = path;
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker,
        [this, worker, path] {
            worker->manifest.reset();
            auto readOnly = manifest::Manifest::open(path, manifest::Manifest::Access::ReadOnly);
            if (!readOnly) {
                const Error e = readOnly.error();
                QMetaObject::invokeMethod(
                    this, [this, e] { emit failed(0, e); }, Qt::QueuedConnection);
                return;
            }
            worker->manifest = std::move(*readOnly);
            QMetaObject::invokeMethod(
                this, [this, path] { emit opened(path); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

quint64 ManifestReader::post(std::function<void(quint64)> work)
{
    const quint64 ticket = ++m_nextTicket;
    auto dropBelow = m_dropBelow;
    QMetaObject::invokeMethod(
        m_worker,
        [ticket, dropBelow, work = std::move(work)] {
            if (ticket < dropBelow->load())
                return;
            work(ticket);
        },
        Qt::QueuedConnection);
    return ticket;
}

void ManifestReader::dropPending()
{
    m_dropBelow->store(m_nextTicket + 1);
}

quint64 ManifestReader::fetchRows(const manifest::ManifestQuery &query)
{
    Worker *worker = m_worker;
    return post([this, worker, query](quint64 ticket) {
        auto rows = worker->ask([&](const manifest::Manifest *m) { return m->list(query); });
        if (!rows) {
            const Error e = rows.error();
            QMetaObject::invokeMethod(
                this, [this, ticket, e] { emit failed(ticket, e); }, Qt::QueuedConnection);
            return;
        }
        QList<ManifestRow> out;
        out.reserve(rows->size());
        for (const manifest::ManifestRecord &r : std::as_const(*rows))
            out.append(ManifestRow::of(r));
        QMetaObject::invokeMethod(
            this, [this, ticket, out] { emit rowsFetched(ticket, out); }, Qt::QueuedConnection);
    });
}

quint64 ManifestReader::fetchRecord(qint64 id)
{
    Worker *worker = m_worker;
    return post([this, worker, id](quint64 ticket) {
        auto record = worker->ask([&](const manifest::Manifest *m) { return m->get(id); });
        if (!record) {
            const Error e = record.error();
            QMetaObject::invokeMethod(
                this, [this, ticket, e] { emit failed(ticket, e); }, Qt::QueuedConnection);
            return;
        }
        QMetaObject::invokeMethod(
            this, [this, ticket, r = *record] { emit recordFetched(ticket, r); }, Qt::QueuedConnection);
    });
}

quint64 ManifestReader::count(const manifest::ManifestQuery &query)
{
    Worker *worker = m_worker;
    return post([this, worker, query](quint64 ticket) {
        auto n = worker->ask([&](const manifest::Manifest *m) { return m->count(query); });
        if (!n) {
            const Error e = n.error();
            QMetaObject::invokeMethod(
                this, [this, ticket, e] { emit failed(ticket, e); }, Qt::QueuedConnection);
            return;
        }
        QMetaObject::invokeMethod(
            this, [this, ticket, c = *n] { emit counted(ticket, c); }, Qt::QueuedConnection);
    });
}

} // namespace station::ui
