// Exports the manifest's finished rows to a file a PKI administrator or a DMS imports:
// - csv: a header row, then one row per attempt, RFC 4180 (CRLF, fields with a comma, quote, CR or LF
//   quoted, quotes doubled), UTF-8;
// - json: an array of objects (recordFields() names);
// - lamassu: an array of Lamassu create-device bodies, one per unit (each serial's last attempt that has
//   a device id), as POST /api/devmanager/v1/devices takes them.
// Rows stream from SQLite to the file in chain order (bounded memory for any manifest size); the file is
// written under a temporary name and renamed when complete, in the same transaction that records the
// export in the manifest: an interrupted export leaves no file under the final name and no record.
#pragma once

#include "Error.h"
#include "manifest/Manifest.h"
#include "provisioning/ProductProfile.h"

#include <QString>

#include <functional>
#include <optional>

namespace station::outbound {

enum class ExportFormat { Csv, Json, Lamassu };
[[nodiscard]] QString exportFormatName(ExportFormat format);
[[nodiscard]] std::optional<ExportFormat> parseExportFormat(const QString &text);

struct ExportRequest {
    ExportFormat format = ExportFormat::Csv;
    QString outPath;
    manifest::ManifestQuery filter; ///< since / outcome / serial (paging fields are ignored)
    bool onlyNotExported = false;   ///< rows after the last export of this format
    provisioning::DmsSettings dms;  ///< lamassu: icon, colour, tags, DMS id
    /// Called every `progressEvery` rows with the count so far; returning false cancels the export.
    std::function<bool(qint64 rows)> progress;
    qint64 progressEvery = 5000;
};

struct ExportSummary {
    QString path;
    qint64 rows = 0;    ///< rows written
    qint64 skipped = 0; ///< lamassu: attempts without a device id (no CSR yet)
    qint64 firstSeq = 0;
    qint64 lastSeq = 0;
    QString sha256;
    qint64 exportId = 0; ///< the ledger row
};

/// Writes the export and records it. `manifest` must be open read-write (the export is recorded in it).
[[nodiscard]] Result<ExportSummary> exportManifest(manifest::Manifest &manifest, const ExportRequest &request);

/// One CSV field, RFC 4180 quoted when it needs to be.
[[nodiscard]] QByteArray csvField(const QString &value);

} // namespace station::outbound
