// Small file helpers with the station's rules: whole-file writes are atomic (temp file + rename), files
// holding secrets are created 0600 before a byte is written, and reads of user files are size-bounded.
// A batch that writes many files may defer durability: each write is still atomic, and one syncFolder()
// at the end makes them all durable instead of an fsync per file.
#pragma once

#include "Error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace station {

enum class FileSecrecy {
    Public, ///< certificates, CSRs: 0644 (umask applies)
    Secret, ///< private keys: 0600, owner only
};

enum class FileDurability {
    Synced,   ///< on disk when the write returns (fsync before the rename)
    Deferred, ///< atomic, but durable only after syncFolder() on its folder: for batches of files
};

/// Writes `data` to `path` atomically; creates missing parent folders.
[[nodiscard]] Result<void> writeFileAtomically(const QString &path, QByteArrayView data,
                                               FileSecrecy secrecy = FileSecrecy::Public,
                                               FileDurability durability = FileDurability::Synced);

/// Makes the files written into `folder` with FileDurability::Deferred, and their names, durable: one
/// syncfs() of the folder's file system on Linux (one journal commit for the whole batch).
[[nodiscard]] Result<void> syncFolder(const QString &folder);

/// Reads a whole file, failing with an Io error (naming the file) when it is missing, unreadable or
/// larger than `maxBytes`.
[[nodiscard]] Result<QByteArray> readFileBounded(const QString &path, qint64 maxBytes = 16 * 1024 * 1024);

} // namespace station
