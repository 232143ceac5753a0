// What left the station, kept in the manifest file itself (not in a side file): one row per export
// (format, where, when, how many rows, up to which chain position, the file's SHA-256) and, per DMS and
// unit, what the upload sent and what the DMS answered. The export cursor lets `--only-not-exported`
// pick up where the last export of a format stopped; the upload rows let an interrupted upload resume.
#pragma once

#include "Error.h"
#include "manifest/Manifest.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace station::outbound {

struct ExportEntry {
    qint64 id = 0;
    QString format;      ///< "csv", "json", "lamassu"
    QString destination; ///< absolute path of the file
    QDateTime createdAt;
    qint64 rowCount = 0;
    qint64 lastAttemptId = 0; ///< highest row id in the file
    qint64 lastSeq = 0;       ///< highest chain position the export covered (its cursor)
    QString sha256;           ///< of the file's bytes
    QString filter;           ///< the selection, as JSON text
};

enum class UploadState {
    Sending, ///< the create request may have gone out; the answer was not recorded (resume checks it)
    Created, ///< the DMS created the device
    Present, ///< the device already existed in this DMS (confirmed by reading it back)
    Failed,  ///< refused; the answer says why
};
[[nodiscard]] QString uploadStateName(UploadState state);
[[nodiscard]] std::optional<UploadState> parseUploadState(const QString &text);

struct UploadEntry {
    qint64 attemptId = 0;
    QString destination; ///< "<DMS URL>#<DMS id>"
    QString deviceId;
    UploadState state = UploadState::Sending;
    int httpStatus = 0;
    QString answer; ///< the DMS's answer (body or error), bounded
    QDateTime updatedAt;
};

class OutboundLedger
{
public:
    explicit OutboundLedger(manifest::Manifest &manifest) : m_manifest(manifest) {}

    /// The chain position the last export of `format` reached (0 when there was none).
    [[nodiscard]] Result<qint64> lastExportedSeq(const QString &format) const;
    /// Records an export; returns its id. Call inside the transaction that publishes the file.
    [[nodiscard]] Result<qint64> recordExport(const ExportEntry &entry);
    /// Every export, oldest first.
    [[nodiscard]] Result<QList<ExportEntry>> exports() const;

    /// Inserts or replaces the upload row of (attempt, destination).
    [[nodiscard]] Result<void> recordUpload(const UploadEntry &entry);
    /// The newest upload row of a device at a destination, if any.
    [[nodiscard]] Result<std::optional<UploadEntry>> uploadOf(const QString &destination,
                                                              const QString &deviceId) const;
    /// Every upload row of a destination, in attempt order, streamed (bounded memory); `row` returns false
    /// to stop.
    [[nodiscard]] Result<void> forEachUpload(const QString &destination,
                                             const std::function<bool(const UploadEntry &)> &row) const;

    /// An answer as it is stored: at most 4 KiB of text.
    [[nodiscard]] static QString boundedAnswer(const QByteArray &answer);

private:
    manifest::Manifest &m_manifest;
};

} // namespace station::outbound
