#include "ManifestExport.h"

#include "LamassuDevice.h"
#include "OutboundLedger.h"

#include "manifest/RecordFields.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace station::outbound {

using namespace station::manifest;

QString exportFormatName(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Csv: return QStringLiteral("csv");
    case ExportFormat::Json: return QStringLiteral("json");
    case ExportFormat::Lamassu: return QStringLiteral("lamassu");
    }
    return QStringLiteral("csv");
}

std::optional<ExportFormat> parseExportFormat(const QString &text)
{
    for (ExportFormat f : {ExportFormat::Csv, ExportFormat::Json, ExportFormat::Lamassu})
        if (exportFormatName(f) == text.trimmed().toLower())
            return f;
    return std::nullopt;
}

QByteArray csvField(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    if (!utf8.contains(',') && !utf8.contains('"') && !utf8.contains('\n') && !utf8.contains('\r'))
        return utf8;
    QByteArray quoted;
    quoted.reserve(utf8.size() + 8);
    quoted += '"';
    for (const char c : utf8) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

namespace {

/// Buffers output, hashes every byte and reports the first write error.
class ExportSink
{
public:
    explicit ExportSink(QSaveFile &file) : m_file(file) { m_buffer.reserve(kChunk + 4096); }

    void write(const QByteArray &bytes)
    {
        m_buffer += bytes;
        if (m_buffer.size() >= kChunk)
            flush();
    }
    bool flush()
    {
        if (m_buffer.isEmpty() || m_failed)
            return !m_failed;
        m_hash.addData(m_buffer);
        if (m_file.write(m_buffer) != m_buffer.size())
            m_failed = true;
        m_buffer.clear();
        return !m_failed;
    }
    [[nodiscard]] bool failed() const { return m_failed; }
    [[nodiscard]] QString sha256() const { return QString::fromLatin1(m_hash.result().toHex()); }

private:
    static constexpr qsizetype kChunk = 256 * 1024;
    QSaveFile &m_file;
    QByteArray m_buffer;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
    bool m_failed = false;
};

QByteArray csvHeader()
{
    QByteArrayList names;
    for (const RecordField &f : recordFields())
        names << QByteArray(f.name);
    return names.join(',') + "\r\n";
}

QByteArray csvRow(const ManifestRecord &r)
{
    QByteArrayList cells;
    for (const RecordField &f : recordFields())
        cells << csvField(f.text(r));
    return cells.join(',') + "\r\n";
}

QString filterText(const ExportRequest &req, qint64 afterSeq)
{
    QJsonObject f;
    if (req.filter.since.isValid())
        f.insert(QStringLiteral("since"), req.filter.since.toUTC().toString(Qt::ISODate));
    if (req.filter.outcome)
        f.insert(QStringLiteral("status"), outcomeName(*req.filter.outcome));
    if (!req.filter.serial.isEmpty())
        f.insert(QStringLiteral("serial"), req.filter.serial);
    if (req.onlyNotExported)
        f.insert(QStringLiteral("after_seq"), double(afterSeq));
    if (req.format == ExportFormat::Lamassu)
        f.insert(QStringLiteral("dms_id"), req.dms.dmsId);
    return QString::fromUtf8(QJsonDocument(f).toJson(QJsonDocument::Compact));
}

Error fileError(const QSaveFile &file, const QString &what)
{
    return Error(ErrorCode::Io, QStringLiteral("%1 %2: %3").arg(what, file.fileName(), file.errorString()), {},
                 QStringLiteral("Check that the folder exists, is writable and has free space."));
}

} // namespace

Result<ExportSummary> exportManifest(Manifest &manifest, const ExportRequest &req)
{
    if (req.format == ExportFormat::Lamassu && req.dms.dmsId.trimmed().isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("A lamassu export needs the DMS id the units belong to"),
                    {}, QStringLiteral("Give --dms-id, or set dms.dms_id in the product profile."));
    OutboundLedger ledger(manifest);
    const QString format = exportFormatName(req.format);
    qint64 afterSeq = 0;
    if (req.onlyNotExported) {
        auto last = ledger.lastExportedSeq(format);
        if (!last)
            return fail(last.error());
        afterSeq = *last;
    }

    ExportSummary summary;
    summary.path = QFileInfo(req.outPath).absoluteFilePath();
    QSaveFile file(summary.path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(fileError(file, QStringLiteral("Cannot create")));
    ExportSink sink(file);

    ManifestQuery query = req.filter;
    query.latestPerSerial = req.format == ExportFormat::Lamassu;
    qint64 lastId = 0;
    bool cancelled = false;
    bool first = true;
    if (req.format == ExportFormat::Csv)
        sink.write(csvHeader());
    else
        sink.write("[");
    auto streamed = manifest.forEachFinished(query, afterSeq, [&](const ManifestRecord &r) {
        // The cursor moves over every row the selection covered, also one that is not written.
        summary.lastSeq = qMax(summary.lastSeq, r.seq.value_or(0));
        if (summary.firstSeq == 0)
            summary.firstSeq = r.seq.value_or(0);
        lastId = qMax(lastId, r.id);
        switch (req.format) {
        case ExportFormat::Csv: sink.write(csvRow(r)); break;
        case ExportFormat::Json:
            sink.write((first ? "\n" : ",\n") + QJsonDocument(recordToJson(r)).toJson(QJsonDocument::Compact));
            break;
        case ExportFormat::Lamassu:
            if (lamassuDeviceId(r).isEmpty()) {
                ++summary.skipped;
                return true;
            }
            sink.write((first ? "\n" : ",\n") +
                       QJsonDocument(lamassuCreateBody(r, req.dms)).toJson(QJsonDocument::Compact));
            break;
        }
        first = false;
        ++summary.rows;
        if (req.progress && summary.rows % qMax<qint64>(1, req.progressEvery) == 0 && !req.progress(summary.rows)) {
            cancelled = true;
            return false;
        }
        return !sink.failed();
    });
    if (!streamed)
        return fail(streamed.error().withContext(QStringLiteral("Reading the manifest for the export")));
    if (cancelled)
        return fail(ErrorCode::Cancelled, QStringLiteral("The export was cancelled; no file was written"));
    if (req.format != ExportFormat::Csv)
        sink.write(first ? "]\n" : "\n]\n");
    if (!sink.flush())
        return fail(fileError(file, QStringLiteral("Cannot write")));
    summary.sha256 = sink.sha256();

    // Publish the file and record it together: a failure of either leaves neither.
    SqliteTransaction tx(manifest.database());
    if (auto r = tx.begin(); !r)
        return fail(r.error());
    auto id = ledger.recordExport({0, format, summary.path, QDateTime::currentDateTimeUtc(), summary.rows, lastId,
                                   summary.lastSeq == 0 ? afterSeq : summary.lastSeq, summary.sha256,
                                   filterText(req, afterSeq)});
    if (!id)
        return fail(id.error().withContext(QStringLiteral("Recording the export in the manifest")));
    if (!file.commit())
        return fail(fileError(file, QStringLiteral("Cannot finish")));
    if (auto r = tx.commit(); !r)
        return fail(
            r.error().withContext(QStringLiteral("%1 was written but the manifest could not record it; the next "
                                                 "--only-not-exported export repeats its rows")
                                      .arg(summary.path)));
    summary.exportId = *id;
    return summary;
}

} // namespace station::outbound
