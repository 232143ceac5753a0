#include "OutboundLedger.h"

namespace station::outbound {

using manifest::SqliteStatement;

QString uploadStateName(UploadState state)
{
    switch (state) {
    case UploadState::Sending: return QStringLiteral("sending");
    case UploadState::Created: return QStringLiteral("created");
    case UploadState::Present: return QStringLiteral("present");
    case UploadState::Failed: return QStringLiteral("failed");
    }
    return QStringLiteral("sending");
}

std::optional<UploadState> parseUploadState(const QString &text)
{
    for (UploadState s : {UploadState::Sending, UploadState::Created, UploadState::Present, UploadState::Failed})
        if (uploadStateName(s) == text)
            return s;
    return std::nullopt;
}

namespace {

QString isoTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime parseTime(const QString &s)
{
    QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
    t.setTimeSpec(Qt::UTC);
    return t;
}

UploadEntry readUpload(const SqliteStatement &s)
{
    UploadEntry e;
    e.attemptId = s.int64(0);
    e.destination = s.text(1);
    e.deviceId = s.text(2);
    e.state = parseUploadState(s.text(3)).value_or(UploadState::Sending);
    e.httpStatus = int(s.int64(4));
    e.answer = s.text(5);
    e.updatedAt = parseTime(s.text(6));
    return e;
}

const char kUploadColumns[] = "attempt_id, destination, device_id, state, http_status, answer, updated_at";

} // namespace

Result<qint64> OutboundLedger::lastExportedSeq(const QString &format) const
{
    auto stmt = m_manifest.database().prepare(
        QStringLiteral("SELECT coalesce(max(last_seq), 0) FROM exports WHERE kind = 'file' AND format = :format"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(":format", format);
    if (auto row = stmt->step(); !row)
        return fail(row.error());
    return stmt->int64(0);
}

Result<qint64> OutboundLedger::recordExport(const ExportEntry &e)
{
    auto stmt = m_manifest.database().prepare(
        QStringLiteral("INSERT INTO exports (kind, format, destination, created_at, row_count, last_attempt_id, "
                       "sha256, last_seq, filter) VALUES ('file', :format, :destination, :created, :rows, "
                       ":last_id, :sha, :last_seq, :filter)"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(":format", e.format);
    stmt->bind(":destination", e.destination);
    stmt->bind(":created", isoTime(e.createdAt.isValid() ? e.createdAt : QDateTime::currentDateTimeUtc()));
    stmt->bind(":rows", e.rowCount);
    stmt->bind(":last_id", e.lastAttemptId);
    stmt->bind(":sha", e.sha256);
    stmt->bind(":last_seq", e.lastSeq);
    stmt->bind(":filter", e.filter);
    if (auto r = stmt->exec(); !r)
        return fail(r.error());
    return m_manifest.database().lastInsertRowId();
}

Result<QList<ExportEntry>> OutboundLedger::exports() const
{
    auto stmt = m_manifest.database().prepare(
        QStringLiteral("SELECT id, format, destination, created_at, row_count, last_attempt_id, sha256, last_seq, "
                       "filter FROM exports WHERE kind = 'file' ORDER BY id"));
    if (!stmt)
        return fail(stmt.error());
    QList<ExportEntry> out;
    if (auto r = stmt->forEachRow([&out](const SqliteStatement &s) {
            out.append({s.int64(0), s.text(1), s.text(2), parseTime(s.text(3)), s.int64(4), s.int64(5), s.int64(7),
                        s.text(6), s.text(8)});
        });
        !r)
        return fail(r.error());
    return out;
}

Result<void> OutboundLedger::recordUpload(const UploadEntry &e)
{
    auto stmt = m_manifest.database().prepare(
        QStringLiteral("INSERT OR REPLACE INTO uploads (%1) VALUES (:attempt, :destination, :device, :state, "
                       ":status, :answer, :updated)")
            .arg(QLatin1StringView(kUploadColumns)));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(":attempt", e.attemptId);
    stmt->bind(":destination", e.destination);
    stmt->bind(":device", e.deviceId);
    stmt->bind(":state", uploadStateName(e.state));
    stmt->bind(":status", e.httpStatus);
    stmt->bind(":answer", e.answer);
    stmt->bind(":updated", isoTime(e.updatedAt.isValid() ? e.updatedAt : QDateTime::currentDateTimeUtc()));
    return stmt->exec();
}

Result<std::optional<UploadEntry>> OutboundLedger::uploadOf(const QString &destination, const QString &deviceId) const
{
    auto stmt = m_manifest.database().prepare(
        QStringLiteral("SELECT %1 FROM uploads WHERE destination = :destination AND device_id = :device "
                       "ORDER BY attempt_id DESC LIMIT 1")
            .arg(QLatin1StringView(kUploadColumns)));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(":destination", destination);
    stmt->bind(":device", deviceId);
    auto row = stmt->step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return std::optional<UploadEntry>();
    return std::optional<UploadEntry>(readUpload(*stmt));
}

Result<void> OutboundLedger::forEachUpload(const QString &destination,
                                           const std::function<bool(const UploadEntry &)> &row) const
{
    auto stmt = m_manifest.database().prepare(
        QStringLiteral("SELECT %1 FROM uploads WHERE destination = :destination ORDER BY attempt_id")
            .arg(QLatin1StringView(kUploadColumns)));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(":destination", destination);
    for (;;) {
        auto next = stmt->step();
        if (!next)
            return fail(next.error());
        if (!*next || !row(readUpload(*stmt)))
            return {};
    }
}

QString OutboundLedger::boundedAnswer(const QByteArray &answer)
{
    constexpr qsizetype kMax = 4096;
    QString text = QString::fromUtf8(answer.left(kMax));
    if (answer.size() > kMax)
        text += QStringLiteral("… (%1 bytes)").arg(answer.size());
    return text;
}

} // namespace station::outbound
