// A thin RAII layer over the SQLite C API for the manifest: one connection, prepared statements with
// named parameters, and every failure turned into a station::Error that says what to do (a full disk,
// a read-only folder, a locked or corrupt file are different remedies).
#pragma once

#include "Error.h"

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QString>
#include <QVariant>

#include <functional>
#include <memory>

struct sqlite3;
struct sqlite3_stmt;

namespace station::manifest {

class SqliteDatabase;

/// A prepared statement; bind by name (":serial"), step, read columns by index.
class SqliteStatement
{
public:
    SqliteStatement(SqliteDatabase *db, sqlite3_stmt *stmt, bool cached = false)
        : m_db(db), m_stmt(stmt), m_cached(cached)
    {}
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;
    SqliteStatement(SqliteStatement &&other) noexcept;

    /// QString → TEXT, qint64/int/bool → INTEGER, QByteArray → BLOB, null QVariant/QString → NULL.
    void bind(const char *name, const QVariant &value);
    /// Steps once: true when a row is available, false when done.
    [[nodiscard]] Result<bool> step();
    /// Steps to completion (INSERT/UPDATE/DDL).
    [[nodiscard]] Result<void> exec();
    /// Steps through every row, calling `row` for each (the statement is positioned on it).
    [[nodiscard]] Result<void> forEachRow(const std::function<void(const SqliteStatement &)> &row);
    void reset();

    [[nodiscard]] qint64 int64(int column) const;
    [[nodiscard]] QString text(int column) const;
    [[nodiscard]] bool isNull(int column) const;
    [[nodiscard]] int columnCount() const;
    [[nodiscard]] QString columnName(int column) const;

private:
    SqliteDatabase *m_db;
    sqlite3_stmt *m_stmt;
    bool m_cached = false; ///< owned by the database's cache: reset and handed back, not finalized
};

class SqliteDatabase
{
public:
    enum class Mode { ReadWrite, ReadOnly };

    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase &) = delete;
    SqliteDatabase &operator=(const SqliteDatabase &) = delete;

    /// Opens (ReadWrite: creates) the file; sets a busy timeout so a reader and a writer can share it.
    [[nodiscard]] static Result<std::unique_ptr<SqliteDatabase>> open(const QString &path, Mode mode);

    [[nodiscard]] Result<SqliteStatement> prepare(const QString &sql);
    /// Like prepare(), but the statement is kept for the next call with the same text (the manifest's
    /// per-step writes: parsing a 40-column UPDATE costs more than running it). One user at a time; a
    /// second one while the first still holds it gets a fresh statement.
    [[nodiscard]] Result<SqliteStatement> prepareCached(const QString &sql);
    /// Runs one or more statements without results.
    [[nodiscard]] Result<void> exec(const QString &sql);
    [[nodiscard]] qint64 lastInsertRowId() const;
    [[nodiscard]] int changes() const;
    [[nodiscard]] const QString &path() const { return m_path; }

    /// The last SQLite failure as an Error, with a remedy that fits its cause.
    [[nodiscard]] Error lastError(const QString &what) const;
    [[nodiscard]] sqlite3 *native() const { return m_db; }

private:
    friend class SqliteStatement;
    SqliteDatabase(sqlite3 *db, QString path) : m_db(db), m_path(std::move(path)) {}
    void giveBack(sqlite3_stmt *stmt);

    sqlite3 *m_db;
    QString m_path;
    QHash<QString, sqlite3_stmt *> m_cache;
    QSet<sqlite3_stmt *> m_lent;
};

/// BEGIN IMMEDIATE … COMMIT; rolls back when destroyed uncommitted.
class SqliteTransaction
{
public:
    explicit SqliteTransaction(SqliteDatabase &db) : m_db(db) {}
    ~SqliteTransaction();
    SqliteTransaction(const SqliteTransaction &) = delete;
    SqliteTransaction &operator=(const SqliteTransaction &) = delete;

    [[nodiscard]] Result<void> begin();
    [[nodiscard]] Result<void> commit();

private:
    SqliteDatabase &m_db;
    bool m_open = false;
};

} // namespace station::manifest
