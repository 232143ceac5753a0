#include "Manifest.h"

#include "StationPaths.h"
#include "crypto/Certificate.h"
#include "crypto/Encoding.h"

#include <QCryptographicHash>
#include <QHostInfo>
#include <QLoggingCategory>
#include <QScopeGuard>
#include <QTimeZone>
#include <QUuid>

#include <functional>

#ifdef Q_OS_WIN
#include <windows.h>
#else
#include <cerrno>
#include <csignal>
#include <unistd.h>
#endif

namespace station::manifest {

Q_LOGGING_CATEGORY(lcManifest, "station.manifest")

QString outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Pass: return QStringLiteral("PASS");
    case Outcome::Fail: return QStringLiteral("FAIL");
    case Outcome::Incomplete: return QStringLiteral("INCOMPLETE");
    }
    return QStringLiteral("INCOMPLETE");
}

std::optional<Outcome> parseOutcome(const QString &text)
{
    const QString t = text.trimmed().toUpper();
    if (t == QLatin1String("PASS"))
        return Outcome::Pass;
    if (t == QLatin1String("FAIL"))
        return Outcome::Fail;
    if (t == QLatin1String("INCOMPLETE"))
        return Outcome::Incomplete;
    return std::nullopt;
}

namespace {

QString isoTime(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime parseTime(const QString &s)
{
    if (s.isEmpty())
        return {};
    QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
    t.setTimeSpec(Qt::UTC);
    return t;
}

/// One column of the attempts table and how it maps to the record. The order is the hash order.
/// A column added by a later schema (`since` > 1) enters a row's hash only when it holds a value, so
/// rows recorded before it existed keep their hashes.
struct Column {
    const char *name;
    std::function<QString(const ManifestRecord &)> get;
    std::function<void(ManifestRecord &, const QString &)> set;
    int since = 1;
};

#define STATION_TEXT_COLUMN(col, field)                                                                                \
    Column                                                                                                             \
    {                                                                                                                  \
        col, [](const ManifestRecord &r) { return r.field; }, [](ManifestRecord &r, const QString &v) { r.field = v; } \
    }
#define STATION_TIME_COLUMN(col, field)                                                                                \
    Column                                                                                                             \
    {                                                                                                                  \
        col, [](const ManifestRecord &r) { return isoTime(r.field); },                                                 \
            [](ManifestRecord &r, const QString &v) { r.field = parseTime(v); }                                        \
    }

const QList<Column> &columns()
{
    static const QList<Column> c{
        STATION_TEXT_COLUMN("attempt_id", attemptId),
        STATION_TEXT_COLUMN("serial", serial),
        STATION_TEXT_COLUMN("barcode", barcode),
        STATION_TEXT_COLUMN("hardware_id", hardwareId),
        STATION_TEXT_COLUMN("device_uuid", deviceUuid),
        STATION_TEXT_COLUMN("imei", imei),
        STATION_TEXT_COLUMN("model", model),
        STATION_TEXT_COLUMN("firmware", firmware),
        STATION_TEXT_COLUMN("port_path", portPath),
        STATION_TEXT_COLUMN("profile_name", profileName),
        STATION_TEXT_COLUMN("profile_sha256", profileSha256),
        STATION_TEXT_COLUMN("est_url", estUrl),
        STATION_TEXT_COLUMN("key_origin", keyOrigin),
        STATION_TEXT_COLUMN("key_type", keyType),
        STATION_TEXT_COLUMN("csr_sha256", csrSha256),
        STATION_TEXT_COLUMN("public_key_sha256", publicKeySha256),
        STATION_TEXT_COLUMN("evidence", evidence),
        STATION_TEXT_COLUMN("cert_serial", certSerial),
        STATION_TEXT_COLUMN("cert_fingerprint", certFingerprint),
        STATION_TEXT_COLUMN("cert_subject", certSubject),
        STATION_TEXT_COLUMN("cert_issuer", certIssuer),
        STATION_TIME_COLUMN("cert_not_before", certNotBefore),
        STATION_TIME_COLUMN("cert_not_after", certNotAfter),
        STATION_TEXT_COLUMN("cert_pem", certPem),
        STATION_TEXT_COLUMN("orphan_cert_serial", orphanCertSerial),
        Column{"outcome", [](const ManifestRecord &r) { return outcomeName(r.outcome); },
               [](ManifestRecord &r, const QString &v) { r.outcome = parseOutcome(v).value_or(Outcome::Incomplete); }},
        STATION_TEXT_COLUMN("step", step),
        STATION_TEXT_COLUMN("error_code", errorCode),
        STATION_TEXT_COLUMN("error_message", errorMessage),
        STATION_TEXT_COLUMN("error_detail", errorDetail),
        STATION_TEXT_COLUMN("operator", operatorName),
        STATION_TEXT_COLUMN("station_id", stationId),
        STATION_TIME_COLUMN("started_at", startedAt),
        STATION_TIME_COLUMN("finished_at", finishedAt),
        Column{"duration_ms", [](const ManifestRecord &r) { return QString::number(r.durationMs); },
               [](ManifestRecord &r, const QString &v) { r.durationMs = v.toLongLong(); }},
        Column{"csr_subject", [](const ManifestRecord &r) { return r.csrSubject; },
               [](ManifestRecord &r, const QString &v) { r.csrSubject = v; }, 3},
    };
    return c;
}

#undef STATION_TEXT_COLUMN
#undef STATION_TIME_COLUMN

/// The columns to read from a file of schema `version`: a column it does not have yet reads as empty.
QString selectList(int version)
{
    QStringList names{QStringLiteral("id"), QStringLiteral("seq"), QStringLiteral("prev_hash"),
                      QStringLiteral("row_hash")};
    for (const Column &c : columns())
        names << (c.since <= version ? QString::fromLatin1(c.name)
                                     : QStringLiteral("'' AS %1").arg(QString::fromLatin1(c.name)));
    return names.join(QStringLiteral(", "));
}

ManifestRecord readRecord(const SqliteStatement &s)
{
    ManifestRecord r;
    r.id = s.int64(0);
    if (!s.isNull(1))
        r.seq = s.int64(1);
    r.prevHash = s.text(2);
    r.rowHash = s.text(3);
    int i = 4;
    for (const Column &c : columns())
        c.set(r, s.text(i++));
    return r;
}

bool processAlive(qint64 pid)
{
#ifdef Q_OS_WIN
    HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, DWORD(pid));
    if (!h)
        return false;
    DWORD code = 0;
    const bool alive = GetExitCodeProcess(h, &code) && code == STILL_ACTIVE;
    CloseHandle(h);
    return alive;
#else
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM);
#endif
}

qint64 currentPid()
{
#ifdef Q_OS_WIN
    return qint64(GetCurrentProcessId());
#else
    return qint64(::getpid());
#endif
}

const QString kGenesis = QString(64, QLatin1Char('0'));

} // namespace

Manifest::Manifest(std::unique_ptr<SqliteDatabase> db, QString session)
    : m_db(std::move(db)), m_session(std::move(session))
{}

Manifest::~Manifest() = default;

QString Manifest::defaultPath()
{
    // One manifest per station, shared by provstation and provctl (not per executable).
    return paths::manifestFile();
}

const QString &Manifest::path() const
{
    return m_db->path();
}

QStringList Manifest::migration(int version)
{
    switch (version) {
    case 1: {
        QStringList cols;
        for (const Column &c : columns())
            if (c.since == 1)
                cols << QStringLiteral("%1 TEXT NOT NULL DEFAULT ''").arg(QString::fromLatin1(c.name));
        return {
            QStringLiteral("CREATE TABLE attempts (id INTEGER PRIMARY KEY, seq INTEGER UNIQUE, prev_hash TEXT, "
                           "row_hash TEXT, session TEXT NOT NULL DEFAULT '', host TEXT NOT NULL DEFAULT '', "
                           "pid INTEGER NOT NULL DEFAULT 0, %1, "
                           "CHECK (outcome IN ('PASS', 'FAIL', 'INCOMPLETE')), "
                           "CHECK (outcome <> 'PASS' OR (cert_pem <> '' AND cert_fingerprint <> '')))")
                .arg(cols.join(QStringLiteral(", "))),
            QStringLiteral("CREATE INDEX attempts_serial ON attempts(serial)"),
            QStringLiteral("CREATE INDEX attempts_public_key ON attempts(public_key_sha256)"),
            QStringLiteral("CREATE INDEX attempts_started ON attempts(started_at)"),
            QStringLiteral("CREATE INDEX attempts_open ON attempts(seq) WHERE seq IS NULL"),
            // Append-only: a finished row never changes and no row disappears.
            QStringLiteral("CREATE TRIGGER attempts_no_delete BEFORE DELETE ON attempts "
                           "BEGIN SELECT RAISE(ABORT, 'manifest rows are append-only'); END"),
            QStringLiteral("CREATE TRIGGER attempts_sealed BEFORE UPDATE ON attempts WHEN OLD.seq IS NOT NULL "
                           "BEGIN SELECT RAISE(ABORT, 'a finished manifest row cannot change'); END"),
        };
    }
    case 2:
        // What left the station: one row per export or upload, and per unit what the DMS was sent.
        return {
            QStringLiteral("CREATE TABLE exports (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, format TEXT NOT NULL, "
                           "destination TEXT NOT NULL, created_at TEXT NOT NULL, row_count INTEGER NOT NULL, "
                           "last_attempt_id INTEGER NOT NULL, sha256 TEXT NOT NULL DEFAULT '')"),
            QStringLiteral("CREATE TABLE uploads (attempt_id INTEGER NOT NULL REFERENCES attempts(id), "
                           "destination TEXT NOT NULL, device_id TEXT NOT NULL, state TEXT NOT NULL, "
                           "http_status INTEGER NOT NULL DEFAULT 0, answer TEXT NOT NULL DEFAULT '', "
                           "updated_at TEXT NOT NULL, PRIMARY KEY (attempt_id, destination))"),
            QStringLiteral("CREATE INDEX attempts_cert_serial ON attempts(cert_serial)"),
        };
    case 3: {
        // The CSR's subject (the DMS device id of a unit that has no certificate yet); where an export
        // stopped in the chain, and what it was filtered by.
        QStringList sql;
        for (const Column &c : columns())
            if (c.since == 3)
                sql << QStringLiteral("ALTER TABLE attempts ADD COLUMN %1 TEXT NOT NULL DEFAULT ''")
                           .arg(QString::fromLatin1(c.name));
        sql << QStringLiteral("ALTER TABLE exports ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0")
            << QStringLiteral("ALTER TABLE exports ADD COLUMN filter TEXT NOT NULL DEFAULT ''")
            << QStringLiteral("CREATE INDEX uploads_device ON uploads(destination, device_id)");
        return sql;
    }
    case 4:
        // The browser's and the exports' result filter: a page of FAIL or INCOMPLETE rows in a million
        // without scanning the table.
        return {QStringLiteral("CREATE INDEX attempts_outcome ON attempts(outcome, id)")};
    default: return {};
    }
}

Result<std::unique_ptr<Manifest>> Manifest::open(const QString &path, Access access)
{
    auto db = SqliteDatabase::open(path, access == Access::ReadWrite ? SqliteDatabase::Mode::ReadWrite
                                                                     : SqliteDatabase::Mode::ReadOnly);
    if (!db)
        return fail(db.error());
    std::unique_ptr<Manifest> m(new Manifest(std::move(*db), QUuid::createUuid().toString(QUuid::WithoutBraces)));
    {
        auto version = m->m_db->prepare(QStringLiteral("PRAGMA user_version"));
        if (!version)
            return fail(version.error());
        if (auto row = version->step(); !row)
            return fail(row.error().withRemedy(
                QStringLiteral("The file is not a readable manifest: keep it for the supervisor, start a new one.")));
        m->m_version = int(version->int64(0));
    } // finalized: an open statement would hold a read transaction
    if (m->m_version > kSchemaVersion)
        return fail(ErrorCode::Database,
                    QStringLiteral("The manifest %1 was written by a newer station (schema %2; this one knows %3)")
                        .arg(path)
                        .arg(m->m_version)
                        .arg(kSchemaVersion),
                    {}, QStringLiteral("Update the station software before using this manifest."));
    if (access == Access::ReadWrite) {
        // WAL: readers never block the station, and a cut-off write leaves the last commit intact.
        if (auto r = m->m_db->exec(QStringLiteral("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                                  "PRAGMA foreign_keys=ON"));
            !r)
            return fail(r.error());
        if (auto r = m->migrate(); !r)
            return fail(r.error());
    } else if (m->m_version == 0) {
        return fail(ErrorCode::Database, QStringLiteral("%1 is not a station manifest").arg(path), {},
                    QStringLiteral("Give the manifest file with --manifest."));
    }
    return m;
}

Result<void> Manifest::migrate()
{
    while (m_version < kSchemaVersion) {
        const int next = m_version + 1;
        SqliteTransaction tx(*m_db);
        if (auto r = tx.begin(); !r)
            return r;
        for (const QString &sql : migration(next)) {
            if (auto r = m_db->exec(sql); !r)
                return fail(r.error().withContext(QStringLiteral("Migrating the manifest to schema %1").arg(next)));
        }
        if (auto r = m_db->exec(QStringLiteral("PRAGMA user_version=%1").arg(next)); !r)
            return r;
        if (auto r = tx.commit(); !r)
            return r;
        qCInfo(lcManifest) << "manifest" << m_db->path() << "migrated to schema" << next;
        m_version = next;
    }
    return {};
}

Result<void> Manifest::write(const ManifestRecord &record, bool insert)
{
    // Built once: the same two statements serve every step of every job (prepared once, cached).
    static const auto [insertSql, updateSql] = [] {
        QStringList names, values, assignments;
        for (const Column &c : columns()) {
            const QString n = QString::fromLatin1(c.name);
            names << n;
            values << QLatin1Char(':') + n;
            assignments << n + QStringLiteral(" = :") + n;
        }
        return std::pair{
            QStringLiteral("INSERT INTO attempts (session, host, pid, %1) VALUES (:session, :host, :pid, %2)")
                .arg(names.join(QStringLiteral(", ")), values.join(QStringLiteral(", "))),
            QStringLiteral("UPDATE attempts SET %1 WHERE id = :id AND seq IS NULL")
                .arg(assignments.join(QStringLiteral(", ")))};
    }();
    auto stmt = m_db->prepareCached(insert ? insertSql : updateSql);
    if (!stmt)
        return fail(stmt.error());
    for (const Column &c : columns()) {
        const QByteArray name = QByteArray(":") + c.name;
        stmt->bind(name.constData(), c.get(record));
    }
    stmt->bind(":session", m_session);
    if (insert)
        stmt->bind(":host", QHostInfo::localHostName());
    stmt->bind(":pid", currentPid());
    stmt->bind(":id", record.id);
    if (auto r = stmt->exec(); !r)
        return r;
    if (!insert && m_db->changes() != 1)
        return fail(ErrorCode::Database, QStringLiteral("Manifest row %1 is not open for writing").arg(record.id));
    return {};
}

Result<qint64> Manifest::begin(ManifestRecord &record)
{
    if (record.attemptId.isEmpty())
        record.attemptId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    record.outcome = Outcome::Incomplete;
    record.seq.reset();
    if (!record.startedAt.isValid())
        record.startedAt = QDateTime::currentDateTimeUtc();
    if (auto r = write(record, true); !r)
        return fail(r.error());
    record.id = m_db->lastInsertRowId();
    return record.id;
}

Result<void> Manifest::journal(const ManifestRecord &record)
{
    return write(record, false);
}

QString Manifest::chainHash(const ManifestRecord &record, const QString &prevHash)
{
    // Length-prefixed fields: no value can be shifted into its neighbour.
    QCryptographicHash h(QCryptographicHash::Sha256);
    auto add = [&h](const QByteArray &name, const QString &value) {
        const QByteArray v = value.toUtf8();
        h.addData(name);
        h.addData(QByteArray::number(v.size()) + ':');
        h.addData(v);
        h.addData(QByteArrayView("\n"));
    };
    add("manifest-chain-v1", prevHash);
    add("id", QString::number(record.id));
    add("seq", QString::number(record.seq.value_or(0)));
    for (const Column &c : columns()) {
        const QString value = c.get(record);
        if (c.since == 1 || !value.isEmpty())
            add(c.name, value);
    }
    return QString::fromLatin1(h.result().toHex());
}

Result<void> Manifest::finish(ManifestRecord &record)
{
    if (record.outcome == Outcome::Pass) {
        // A unit is never PASS without the certificate it was verified with: the PEM must be exactly the
        // certificate of the recorded fingerprint (its DER digest; no second parse of what was verified).
        auto blocks = crypto::Encoding::parsePem(record.certPem.toUtf8());
        const bool one = blocks && blocks->size() == 1 && blocks->first().label == "CERTIFICATE";
        if (!one || record.certFingerprint.isEmpty() ||
            crypto::Encoding::sha256Hex(blocks->first().der) != record.certFingerprint)
            return fail(ErrorCode::Internal,
                        QStringLiteral("Refusing to record PASS without its verified certificate"));
    }
    if (!record.finishedAt.isValid())
        record.finishedAt = QDateTime::currentDateTimeUtc();
    if (record.startedAt.isValid())
        record.durationMs = record.startedAt.msecsTo(record.finishedAt);

    // The outcome must survive a power cut the moment it is reported.
    if (auto r = m_db->exec(QStringLiteral("PRAGMA synchronous=FULL")); !r)
        return r;
    auto restore = qScopeGuard([this] { (void)m_db->exec(QStringLiteral("PRAGMA synchronous=NORMAL")); });

    SqliteTransaction tx(*m_db);
    if (auto r = tx.begin(); !r)
        return r;
    auto last = m_db->prepareCached(QStringLiteral("SELECT seq, row_hash FROM attempts WHERE seq IS NOT NULL "
                                                   "ORDER BY seq DESC LIMIT 1"));
    if (!last)
        return fail(last.error());
    auto has = last->step();
    if (!has)
        return fail(has.error());
    const qint64 seq = *has ? last->int64(0) + 1 : 1;
    const QString prev = *has ? last->text(1) : kGenesis;

    // Write the final fields first (the row is still open), then seal it with its chain position.
    if (auto r = write(record, false); !r)
        return r;
    ManifestRecord sealed = record;
    sealed.seq = seq;
    const QString hash = chainHash(sealed, prev);
    auto stmt =
        m_db->prepareCached(QStringLiteral("UPDATE attempts SET seq = :seq, prev_hash = :prev, row_hash = :hash "
                                           "WHERE id = :id AND seq IS NULL"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(":seq", seq);
    stmt->bind(":prev", prev);
    stmt->bind(":hash", hash);
    stmt->bind(":id", record.id);
    if (auto r = stmt->exec(); !r)
        return r;
    if (auto r = tx.commit(); !r)
        return r;
    record.seq = seq;
    record.prevHash = prev;
    record.rowHash = hash;
    return {};
}

Result<void> Manifest::seal(ManifestRecord record, const QString &why)
{
    record.outcome = Outcome::Incomplete;
    if (record.errorCode.isEmpty())
        record.errorCode = QStringLiteral("interrupted");
    QString message = why.arg(record.step.isEmpty() ? QStringLiteral("start") : record.step);
    // A certificate that came back but was never confirmed on the unit exists at the CA: keep its serial.
    if (!record.certSerial.isEmpty() && record.orphanCertSerial.isEmpty()) {
        record.orphanCertSerial = record.certSerial;
        message += QStringLiteral(" The CA issued certificate %1 that the unit never confirmed: revoke it.")
                       .arg(record.certSerial);
    }
    record.errorMessage = message;
    // The end time of a cut-off attempt is unknown; the row records when it was found.
    record.finishedAt = QDateTime::currentDateTimeUtc();
    return finish(record);
}

Result<int> Manifest::sealAbandoned(const QString &serial)
{
    auto open = select(QStringLiteral("seq IS NULL AND session <> :session"), {{":session", m_session}}, {});
    if (!open)
        return fail(open.error());
    // host and pid are not in the record: read them for the liveness check.
    auto owners = m_db->prepare(QStringLiteral("SELECT id, host, pid FROM attempts WHERE seq IS NULL"));
    if (!owners)
        return fail(owners.error());
    QHash<qint64, QPair<QString, qint64>> owner;
    if (auto r = owners->forEachRow([&owner](const SqliteStatement &row) {
            owner.insert(row.int64(0), {row.text(1), row.int64(2)});
        });
        !r)
        return fail(r.error());
    const QString host = QHostInfo::localHostName();
    int sealed = 0;
    for (const ManifestRecord &r : *open) {
        const auto [rowHost, pid] = owner.value(r.id);
        const bool ownerGone = rowHost == host && !processAlive(pid);
        const bool sameUnit = !serial.isEmpty() && r.serial == serial;
        if (!ownerGone && !sameUnit)
            continue;
        if (auto s = seal(r, ownerGone ? QStringLiteral("The attempt was cut off at step '%1' (the station stopped, "
                                                        "crashed or lost power).")
                                       : QStringLiteral("The attempt was abandoned at step '%1' when the unit was "
                                                        "provisioned again."));
            !s)
            return fail(s.error());
        ++sealed;
    }
    return sealed;
}

Result<QList<ManifestRecord>> Manifest::select(const QString &where, const QList<QPair<QByteArray, QVariant>> &binds,
                                               const QString &tail) const
{
    QString sql = QStringLiteral("SELECT %1 FROM attempts").arg(selectList(m_version));
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where;
    if (!tail.isEmpty())
        sql += QLatin1Char(' ') + tail;
    auto stmt = m_db->prepare(sql);
    if (!stmt)
        return fail(stmt.error());
    for (const auto &[name, value] : binds)
        stmt->bind(name.constData(), value);
    QList<ManifestRecord> out;
    if (auto r = stmt->forEachRow([&out](const SqliteStatement &row) { out.append(readRecord(row)); }); !r)
        return fail(r.error());
    return out;
}

namespace {

struct Where {
    QStringList clauses;
    QList<QPair<QByteArray, QVariant>> binds;
};

Where whereOf(const ManifestQuery &q)
{
    Where w;
    if (q.since.isValid()) {
        w.clauses << QStringLiteral("started_at >= :since");
        w.binds.append({":since", isoTime(q.since)});
    }
    if (q.outcome) {
        w.clauses << QStringLiteral("outcome = :outcome");
        w.binds.append({":outcome", outcomeName(*q.outcome)});
    }
    if (!q.serial.isEmpty()) {
        w.clauses << QStringLiteral("serial = :serial");
        w.binds.append({":serial", q.serial});
    }
    if (q.latestPerSerial)
        w.clauses << QStringLiteral("seq IS NOT NULL AND NOT EXISTS (SELECT 1 FROM attempts later WHERE "
                                    "later.serial = attempts.serial AND later.seq > attempts.seq)");
    return w;
}

/// Rows are numbered in the order they started, so a `since` filter has a lowest row id: found with one
/// seek in the started_at index and added as an id bound, it keeps a filter that matches few rows from
/// scanning the whole file. The seek starts a day early: a clock set back (NTP, a time zone fix) can give
/// a later row an earlier start, and such a row must still match.
void addSinceFloor(SqliteDatabase &db, const ManifestQuery &q, Where &w)
{
    if (!q.since.isValid())
        return;
    auto seek =
        db.prepare(QStringLiteral("SELECT id FROM attempts WHERE started_at >= :floor ORDER BY started_at LIMIT 1"));
    if (!seek)
        return; // only an optimisation: the started_at condition alone is still right
    seek->bind(":floor", isoTime(q.since.addDays(-1)));
    auto row = seek->step();
    if (!row || !*row) {
        w.clauses << QStringLiteral("0"); // nothing started that late: no row matches
        return;
    }
    w.clauses << QStringLiteral("id >= :since_floor");
    w.binds.append({":since_floor", seek->int64(0)});
}

} // namespace

Result<QList<ManifestRecord>> Manifest::list(const ManifestQuery &query) const
{
    Where w = whereOf(query);
    addSinceFloor(*m_db, query, w);
    if (query.afterId > 0) {
        w.clauses << QStringLiteral("id > :after");
        w.binds.append({":after", query.afterId});
    }
    if (query.beforeId > 0) {
        w.clauses << QStringLiteral("id < :before");
        w.binds.append({":before", query.beforeId});
    }
    const QString tail = QStringLiteral("ORDER BY id %1 LIMIT %2")
                             .arg(query.newestFirst ? QStringLiteral("DESC") : QStringLiteral("ASC"))
                             .arg(qMax(1, query.limit));
    return select(w.clauses.join(QStringLiteral(" AND ")), w.binds, tail);
}

Result<qint64> Manifest::count(const ManifestQuery &query) const
{
    Where w = whereOf(query);
    addSinceFloor(*m_db, query, w);
    QString sql = QStringLiteral("SELECT count(*) FROM attempts");
    if (!w.clauses.isEmpty())
        sql += QStringLiteral(" WHERE ") + w.clauses.join(QStringLiteral(" AND "));
    auto stmt = m_db->prepare(sql);
    if (!stmt)
        return fail(stmt.error());
    for (const auto &[name, value] : w.binds)
        stmt->bind(name.constData(), value);
    auto row = stmt->step();
    if (!row)
        return fail(row.error());
    return stmt->int64(0);
}

Result<qint64> Manifest::forEachFinished(const ManifestQuery &query, qint64 afterSeq,
                                         const std::function<bool(const ManifestRecord &)> &row) const
{
    Where w = whereOf(query);
    addSinceFloor(*m_db, query, w);
    w.clauses << QStringLiteral("seq > :after_seq");
    w.binds.append({":after_seq", afterSeq});
    auto stmt = m_db->prepare(QStringLiteral("SELECT %1 FROM attempts WHERE %2 ORDER BY seq")
                                  .arg(selectList(m_version), w.clauses.join(QStringLiteral(" AND "))));
    if (!stmt)
        return fail(stmt.error());
    for (const auto &[name, value] : w.binds)
        stmt->bind(name.constData(), value);
    qint64 passed = 0;
    for (;;) {
        auto next = stmt->step();
        if (!next)
            return fail(next.error());
        if (!*next)
            break;
        ++passed;
        if (!row(readRecord(*stmt)))
            break;
    }
    return passed;
}

namespace {

/// The first row of a query, or nullopt.
Result<std::optional<ManifestRecord>> firstOf(Result<QList<ManifestRecord>> rows)
{
    if (!rows)
        return fail(rows.error());
    if (rows->isEmpty())
        return std::optional<ManifestRecord>();
    return std::optional<ManifestRecord>(rows->first());
}

} // namespace

Result<std::optional<ManifestRecord>> Manifest::get(qint64 id) const
{
    return firstOf(select(QStringLiteral("id = :id"), {{":id", id}}, {}));
}

Result<std::optional<ManifestRecord>> Manifest::latestForSerial(const QString &serial) const
{
    return firstOf(
        select(QStringLiteral("serial = :serial"), {{":serial", serial}}, QStringLiteral("ORDER BY id DESC LIMIT 1")));
}

Result<std::optional<ManifestRecord>> Manifest::findPass(const QString &serial, const QString &publicKeySha256) const
{
    QStringList either;
    QList<QPair<QByteArray, QVariant>> binds;
    if (!serial.isEmpty()) {
        either << QStringLiteral("serial = :serial");
        binds.append({":serial", serial});
    }
    if (!publicKeySha256.isEmpty()) {
        either << QStringLiteral("public_key_sha256 = :key");
        binds.append({":key", publicKeySha256});
    }
    if (either.isEmpty())
        return std::optional<ManifestRecord>();
    return firstOf(select(QStringLiteral("outcome = 'PASS' AND (%1)").arg(either.join(QStringLiteral(" OR "))), binds,
                          QStringLiteral("ORDER BY id DESC LIMIT 1")));
}

Result<VerifyReport> Manifest::verify() const
{
    VerifyReport report;
    // Stream in id order of the chain without loading the file into memory.
    auto stmt = m_db->prepare(
        QStringLiteral("SELECT %1 FROM attempts WHERE seq IS NOT NULL ORDER BY seq").arg(selectList(m_version)));
    if (!stmt)
        return fail(stmt.error());
    QString prev = kGenesis;
    qint64 expectedSeq = 1;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        const ManifestRecord r = readRecord(*stmt);
        ++report.finishedRows;
        const qint64 seq = r.seq.value_or(0);
        if (seq != expectedSeq) {
            report.problems.append(
                {r.id, r.serial,
                 seq > expectedSeq
                     ? QStringLiteral("%1 finished row(s) missing before this one (deleted)").arg(seq - expectedSeq)
                     : QStringLiteral("chain position %1 appears twice (inserted)").arg(seq)});
        } else if (r.prevHash != prev) {
            report.problems.append(
                {r.id, r.serial, QStringLiteral("does not follow the row before it (inserted, deleted or reordered)")});
        }
        if (chainHash(r, r.prevHash) != r.rowHash)
            report.problems.append({r.id, r.serial, QStringLiteral("its content was edited after it was recorded")});
        else if (r.outcome == Outcome::Pass) {
            auto cert = crypto::Certificate::fromPem(r.certPem.toUtf8());
            if (!cert || cert->fingerprintSha256() != r.certFingerprint)
                report.problems.append({r.id, r.serial, QStringLiteral("PASS without its verified certificate")});
        }
        prev = r.rowHash;
        expectedSeq = seq + 1;
    }
    auto open = count(ManifestQuery{});
    if (!open)
        return fail(open.error());
    report.openRows = *open - report.finishedRows;
    return report;
}

} // namespace station::manifest
