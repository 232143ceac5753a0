// The station's manifest: one SQLite file (WAL) with one row per provisioning attempt, written as the job
// goes (short transactions) so that a job cut off by an unplug, kill -9 or power loss leaves a row that
// reads INCOMPLETE at its last step. Finished rows are append-only (triggers refuse UPDATE and DELETE)
// and hash-chained in the order they finished: verify() names a row that was edited, deleted, inserted
// or moved. A PASS row always carries its verified certificate (checked here and by a CHECK constraint).
// Never holds a private key.
#pragma once

#include "ManifestRecord.h"
#include "SqliteDatabase.h"

#include "Error.h"

#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace station::manifest {

struct ManifestQuery {
    QDateTime since;                ///< attempts started at or after (UTC); invalid = any
    std::optional<Outcome> outcome; ///< only this outcome
    QString serial;                 ///< only this unit
    qint64 afterId = 0;             ///< keyset pagination: rows with id > afterId
    qint64 beforeId = 0;            ///< rows with id < beforeId (0 = no bound); with newestFirst
    bool newestFirst = false;
    int limit = 1000;
    /// Only each serial's last finished attempt (what a unit's record in a DMS should reflect).
    bool latestPerSerial = false;
};

struct ChainProblem {
    qint64 id = 0; ///< the row where the chain breaks
    QString serial;
    QString what; ///< "edited", "deleted before this row", ...
};

struct VerifyReport {
    qint64 finishedRows = 0;
    qint64 openRows = 0; ///< attempts still running or cut off and not yet sealed
    QList<ChainProblem> problems;
    [[nodiscard]] bool ok() const { return problems.isEmpty(); }
};

class Manifest
{
public:
    static constexpr int kSchemaVersion = 4;

    enum class Access { ReadWrite, ReadOnly };

    ~Manifest();

    /// Opens or creates the manifest and migrates it to kSchemaVersion (ReadWrite). A ReadOnly manifest
    /// of an older version is read as it is.
    [[nodiscard]] static Result<std::unique_ptr<Manifest>> open(const QString &path, Access access = Access::ReadWrite);
    /// The XDG data location shared by provstation and provctl: ~/.local/share/provisioning-station/
    /// manifest.sqlite on Linux (QStandardPaths::GenericDataLocation; %LOCALAPPDATA% on Windows).
    [[nodiscard]] static QString defaultPath();
    /// The statements that create schema version `version` from version - 1 (1 = from nothing).
    [[nodiscard]] static QStringList migration(int version);

    [[nodiscard]] const QString &path() const;
    [[nodiscard]] int schemaVersion() const { return m_version; }

    /// Inserts a new INCOMPLETE row for `record` (id, seq and hashes are assigned) and returns its id.
    [[nodiscard]] Result<qint64> begin(ManifestRecord &record);
    /// Rewrites the open row `record.id` with the record's current fields (the job's journal).
    [[nodiscard]] Result<void> journal(const ManifestRecord &record);
    /// Seals the row: outcome, end time, chain position and hash, with synchronous=FULL. A PASS needs
    /// the certificate's PEM, and its fingerprint must match it.
    [[nodiscard]] Result<void> finish(ManifestRecord &record);

    /// Seals rows left open by sessions that are gone (a killed or crashed process on this host), and
    /// open rows of `serial` from any other session: the unit's next attempt starts clean. Returns how
    /// many it sealed.
    [[nodiscard]] Result<int> sealAbandoned(const QString &serial = {});

    [[nodiscard]] Result<QList<ManifestRecord>> list(const ManifestQuery &query) const;
    [[nodiscard]] Result<std::optional<ManifestRecord>> get(qint64 id) const;
    /// The newest attempt of `serial`, or nullopt.
    [[nodiscard]] Result<std::optional<ManifestRecord>> latestForSerial(const QString &serial) const;
    /// The PASS row of a unit with this serial or this public key (SHA-256 hex), if any.
    [[nodiscard]] Result<std::optional<ManifestRecord>> findPass(const QString &serial,
                                                                 const QString &publicKeySha256) const;
    [[nodiscard]] Result<qint64> count(const ManifestQuery &query) const;
    /// Streams the finished rows that match `query` (its since / outcome / serial) and come after chain
    /// position `afterSeq`, in chain order, one at a time (bounded memory for any file size); `row`
    /// returns false to stop. Returns how many rows it passed on.
    [[nodiscard]] Result<qint64> forEachFinished(const ManifestQuery &query, qint64 afterSeq,
                                                 const std::function<bool(const ManifestRecord &)> &row) const;
    /// The connection, for the ledgers that keep what left the station (exports, uploads) in this file.
    [[nodiscard]] SqliteDatabase &database() const { return *m_db; }

    /// Walks the hash chain and reports every break.
    [[nodiscard]] Result<VerifyReport> verify() const;

    /// The chain hash of a finished record (what row_hash holds), given the previous row's hash.
    [[nodiscard]] static QString chainHash(const ManifestRecord &record, const QString &prevHash);

private:
    Manifest(std::unique_ptr<SqliteDatabase> db, QString session);
    [[nodiscard]] Result<void> migrate();
    [[nodiscard]] Result<void> write(const ManifestRecord &record, bool insert);
    [[nodiscard]] Result<void> seal(ManifestRecord record, const QString &why);
    [[nodiscard]] Result<QList<ManifestRecord>>
    select(const QString &where, const QList<QPair<QByteArray, QVariant>> &binds, const QString &tail) const;

    std::unique_ptr<SqliteDatabase> m_db;
    QString m_session;
    int m_version = 0;
};

} // namespace station::manifest
