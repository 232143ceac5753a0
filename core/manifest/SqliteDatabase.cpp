#include "SqliteDatabase.h"

#include <sqlite3.h>

#include <QDir>
#include <QFileInfo>

namespace station::manifest {

SqliteStatement::~SqliteStatement()
{
    if (!m_stmt)
        return;
    if (m_cached)
        m_db->giveBack(m_stmt);
    else
        sqlite3_finalize(m_stmt);
}

SqliteStatement::SqliteStatement(SqliteStatement &&other) noexcept
    : m_db(other.m_db), m_stmt(std::exchange(other.m_stmt, nullptr)), m_cached(other.m_cached)
{}

void SqliteStatement::bind(const char *name, const QVariant &value)
{
    const int index = sqlite3_bind_parameter_index(m_stmt, name);
    if (index == 0)
        return; // the statement does not use it
    if (value.isNull()) {
        sqlite3_bind_null(m_stmt, index);
        return;
    }
    switch (value.typeId()) {
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong: sqlite3_bind_int64(m_stmt, index, value.toLongLong()); break;
    case QMetaType::QByteArray: {
        const QByteArray b = value.toByteArray();
        sqlite3_bind_blob64(m_stmt, index, b.constData(), sqlite3_uint64(b.size()), SQLITE_TRANSIENT);
        break;
    }
    default: {
        const QByteArray utf8 = value.toString().toUtf8();
        sqlite3_bind_text64(m_stmt, index, utf8.constData(), sqlite3_uint64(utf8.size()), SQLITE_TRANSIENT,
                            SQLITE_UTF8);
    }
    }
}

Result<bool> SqliteStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return fail(m_db->lastError(QStringLiteral("Reading or writing the manifest")));
}

Result<void> SqliteStatement::exec()
{
    return forEachRow([](const SqliteStatement &) {});
}

Result<void> SqliteStatement::forEachRow(const std::function<void(const SqliteStatement &)> &row)
{
    for (;;) {
        auto more = step();
        if (!more)
            return fail(more.error());
        if (!*more)
            return {};
        row(*this);
    }
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

qint64 SqliteStatement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

QString SqliteStatement::text(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!p)
        return {};
    return QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, column));
}

bool SqliteStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

int SqliteStatement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

QString SqliteStatement::columnName(int column) const
{
    return QString::fromUtf8(sqlite3_column_name(m_stmt, column));
}

SqliteDatabase::~SqliteDatabase()
{
    for (sqlite3_stmt *stmt : std::as_const(m_cache))
        sqlite3_finalize(stmt);
    if (m_db)
        sqlite3_close_v2(m_db);
}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const QString &path, Mode mode)
{
    if (mode == Mode::ReadWrite) {
        const QString dir = QFileInfo(path).absolutePath();
        if (!QDir().mkpath(dir))
            return fail(ErrorCode::Database, QStringLiteral("Cannot create the manifest folder %1").arg(dir), {},
                        QStringLiteral("Check that the folder is writable, or choose another manifest with "
                                       "--manifest."));
    } else if (!QFileInfo::exists(path)) {
        return fail(ErrorCode::NotFound, QStringLiteral("There is no manifest at %1").arg(path), {},
                    QStringLiteral("Give the manifest file with --manifest, or provision a unit first."));
    }
    sqlite3 *db = nullptr;
    const int flags = (mode == Mode::ReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) |
                      SQLITE_OPEN_FULLMUTEX;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &db, flags, nullptr);
    std::unique_ptr<SqliteDatabase> wrapped(new SqliteDatabase(db, path));
    if (rc != SQLITE_OK)
        return fail(wrapped->lastError(QStringLiteral("Opening the manifest %1").arg(path)));
    sqlite3_extended_result_codes(db, 1);
    // A reader (provctl manifest list) and the station may touch the file at the same moment.
    sqlite3_busy_timeout(db, 5000);
    return wrapped;
}

Result<SqliteStatement> SqliteDatabase::prepare(const QString &sql)
{
    sqlite3_stmt *stmt = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    if (sqlite3_prepare_v2(m_db, utf8.constData(), int(utf8.size()), &stmt, nullptr) != SQLITE_OK)
        return fail(lastError(QStringLiteral("Preparing a manifest query")));
    return SqliteStatement(this, stmt);
}

Result<SqliteStatement> SqliteDatabase::prepareCached(const QString &sql)
{
    if (sqlite3_stmt *cached = m_cache.value(sql); cached && !m_lent.contains(cached)) {
        m_lent.insert(cached);
        return SqliteStatement(this, cached, true);
    }
    if (m_cache.contains(sql))
        return prepare(sql); // in use: a fresh one, finalized after use
    sqlite3_stmt *stmt = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    if (sqlite3_prepare_v3(m_db, utf8.constData(), int(utf8.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK)
        return fail(lastError(QStringLiteral("Preparing a manifest query")));
    m_cache.insert(sql, stmt);
    m_lent.insert(stmt);
    return SqliteStatement(this, stmt, true);
}

void SqliteDatabase::giveBack(sqlite3_stmt *stmt)
{
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    m_lent.remove(stmt);
}

Result<void> SqliteDatabase::exec(const QString &sql)
{
    char *message = nullptr;
    if (sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, &message) != SQLITE_OK) {
        sqlite3_free(message);
        return fail(lastError(QStringLiteral("Writing the manifest")));
    }
    return {};
}

qint64 SqliteDatabase::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int SqliteDatabase::changes() const
{
    return sqlite3_changes(m_db);
}

Error SqliteDatabase::lastError(const QString &what) const
{
    const int rc = m_db ? sqlite3_extended_errcode(m_db) : SQLITE_CANTOPEN;
    const QString detail = QStringLiteral("%1 (SQLite %2: %3)")
                               .arg(m_path)
                               .arg(rc)
                               .arg(QString::fromUtf8(m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc)));
    QString message = what + QStringLiteral(" failed");
    QString remedy;
    switch (rc & 0xff) {
    case SQLITE_FULL:
        message = what + QStringLiteral(" failed: the disk is full");
        remedy = QStringLiteral("Free space on the disk that holds the manifest, then provision the unit again.");
        break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        message = what + QStringLiteral(" failed: the manifest cannot be written");
        remedy = QStringLiteral("Check that the manifest file and its folder are writable (and the disk is not "
                                "mounted read-only), then provision the unit again.");
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        message = what + QStringLiteral(" failed: another program holds the manifest");
        remedy = QStringLiteral("Close other programs using the manifest, then try again.");
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        message = what + QStringLiteral(" failed: the file is not a readable manifest");
        remedy = QStringLiteral("Keep a copy of the file for the supervisor and start a new manifest.");
        break;
    case SQLITE_IOERR:
        message = what + QStringLiteral(" failed: the disk reported an I/O error");
        remedy = QStringLiteral("Check the disk (space, health, mount), then provision the unit again.");
        break;
    default: break;
    }
    return Error(ErrorCode::Database, message, detail, remedy);
}

SqliteTransaction::~SqliteTransaction()
{
    if (m_open)
        sqlite3_exec(m_db.native(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<void> SqliteTransaction::begin()
{
    if (auto r = m_db.exec(QStringLiteral("BEGIN IMMEDIATE")); !r)
        return r;
    m_open = true;
    return {};
}

Result<void> SqliteTransaction::commit()
{
    if (auto r = m_db.exec(QStringLiteral("COMMIT")); !r)
        return r; // still open: the destructor rolls back
    m_open = false;
    return {};
}

} // namespace station::manifest
