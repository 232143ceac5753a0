// A large manifest for benchmarks and paging tests, written fast: the schema comes from Manifest::open
// (the real migrations), the rows go in with one prepared INSERT in one transaction (raw SQL that names
// the real columns), each row finished and sealed with a valid hash chain (Manifest::chainHash), so that
// Manifest::verify() accepts the file. PASS rows carry real certificates and fingerprints, drawn from a
// small pool (issuing a million certificates would take longer than the benchmark), so cert serials
// repeat across rows. About 2.2 KB per row: 1,000,000 rows are ~2.2 GB (about two minutes to write).
#pragma once

#include "Error.h"

#include "manifest/ManifestRecord.h"

#include <QDateTime>
#include <QString>

namespace station::test {

struct ManifestGeneratorOptions {
    qint64 rows = 1000;
    QDateTime firstStart = QDateTime(QDate(2024, 1, 8), QTime(6, 0), Qt::UTC);
    int secondsBetweenUnits = 7; ///< started_at of row i = firstStart + i * this
    int failEvery = 50;          ///< every 50th row FAIL (2 %)
    int incompleteEvery = 997;   ///< every 997th row INCOMPLETE (cut off; about 0.1 %)
    int certificatePool = 16;
};

struct GeneratedManifest {
    qint64 rows = 0;
    qint64 pass = 0;
    qint64 fail = 0;
    qint64 incomplete = 0;
    qint64 elapsedMs = 0;
    qint64 fileBytes = 0;
};

/// The serial of generated row `id` (1-based): "SN-00000042".
[[nodiscard]] QString generatedSerial(qint64 id);
/// The outcome generated row `id` gets.
[[nodiscard]] manifest::Outcome generatedOutcome(qint64 id, const ManifestGeneratorOptions &options);

/// Creates `path` (it must not exist) with options.rows finished attempts.
[[nodiscard]] Result<GeneratedManifest> generateManifest(const QString &path, const ManifestGeneratorOptions &options);

} // namespace station::test
