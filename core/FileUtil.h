// Small file helpers with the station's rules: whole-file writes are atomic (temp file + rename), files
// holding secrets are created 0600 before a byte is written, and reads of user files are size-bounded.
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

/// Writes `data` to `path` atomically; creates missing parent folders.
[[nodiscard]] Result<void> writeFileAtomically(const QString &path, QByteArrayView data,
                                               FileSecrecy secrecy = FileSecrecy::Public);

/// Reads a whole file, failing with an Io error (naming the file) when it is missing, unreadable or
/// larger than `maxBytes`.
[[nodiscard]] Result<QByteArray> readFileBounded(const QString &path, qint64 maxBytes = 16 * 1024 * 1024);

} // namespace station
