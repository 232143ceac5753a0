// provctl manifest list | show | verify: read the station's manifest (never writes it).
#include "Commands.h"
#include "ManifestCommands.h"

#include "manifest/Manifest.h"
#include "manifest/RecordFields.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace station::cli {

using namespace station::manifest;

namespace {

void printUsage(QTextStream &s)
{
    s << "Usage: provctl manifest list   [--manifest FILE] [--since ISO8601] [--status PASS|FAIL|INCOMPLETE] "
         "[--serial S] [--format table|json] [--limit N]\n"
         "       provctl manifest show   SERIAL|ROWID [--manifest FILE]   (a serial: its PASS, else its latest "
         "attempt)\n"
         "       provctl manifest verify [--manifest FILE]\n"
         "       provctl manifest export --format csv|json|lamassu --out FILE [--since ISO8601] [--status S]\n"
         "                               [--serial S] [--only-not-exported] [--profile FILE] [--dms-id ID]\n"
         "                               [--sign-cert FILE --sign-key FILE | --sign-p12 FILE] [--sign-pass-env VAR]\n"
         "       provctl manifest verify-export FILE [--signature FILE.p7s] [--trust CA.pem]\n"
         "       provctl manifest upload    --dms-url URL --dms-id ID (--token-env VAR | --oidc-token-url URL\n"
         "                                  --client-id ID --client-secret-env VAR) [--trust CA.pem] [--dry-run]\n"
         "                                  [--jobs N] [--profile FILE] [--since ISO8601] [--status S]\n"
         "       provctl manifest reconcile --dms-url URL --dms-id ID (token options as for upload) [--trust "
         "CA.pem]\n\n"
         "The manifest is one SQLite file per station (default "
      << Manifest::defaultPath()
      << ").\nverify walks the hash chain of the finished rows and names every row that was edited, deleted,\n"
         "inserted or moved; exit status 1 when it finds one.\n";
}

/// A row of `manifest list --format json`: the fields that identify an attempt and how it ended.
QJsonObject summaryJson(const ManifestRecord &r)
{
    return QJsonObject{{QStringLiteral("id"), double(r.id)},
                       {QStringLiteral("serial"), r.serial},
                       {QStringLiteral("status"), outcomeName(r.outcome)},
                       {QStringLiteral("step"), r.step},
                       {QStringLiteral("cert_serial"), r.certSerial},
                       {QStringLiteral("started_at"), r.startedAt.toString(Qt::ISODateWithMs)},
                       {QStringLiteral("duration_ms"), double(r.durationMs)},
                       {QStringLiteral("error_code"), r.errorCode}};
}

Result<std::unique_ptr<Manifest>> openFrom(const QCommandLineParser &p)
{
    const QString path =
        p.isSet(QStringLiteral("manifest")) ? p.value(QStringLiteral("manifest")) : Manifest::defaultPath();
    return Manifest::open(path, Manifest::Access::ReadOnly);
}

int runList(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("manifest"), QStringLiteral("Manifest file."), QStringLiteral("file")});
    p.addOption({QStringLiteral("since"), QStringLiteral("Attempts started at or after."), QStringLiteral("iso8601")});
    p.addOption({QStringLiteral("status"), QStringLiteral("PASS, FAIL or INCOMPLETE."), QStringLiteral("status")});
    p.addOption({QStringLiteral("serial"), QStringLiteral("One unit."), QStringLiteral("serial")});
    p.addOption({QStringLiteral("format"), QStringLiteral("table or json."), QStringLiteral("format"),
                 QStringLiteral("table")});
    p.addOption({QStringLiteral("limit"), QStringLiteral("At most N rows (newest last)."), QStringLiteral("n"),
                 QStringLiteral("0")});
    if (!p.parse(args)) {
        err << "provctl manifest list: " << p.errorText() << '\n';
        return 2;
    }
    ManifestQuery q;
    if (p.isSet(QStringLiteral("since"))) {
        q.since = QDateTime::fromString(p.value(QStringLiteral("since")), Qt::ISODate);
        if (!q.since.isValid()) {
            err << "provctl manifest list: --since wants an ISO 8601 time (2026-12-01 or 2026-12-01T08:00:00Z)\n";
            return 2;
        }
    }
    if (p.isSet(QStringLiteral("status"))) {
        q.outcome = parseOutcome(p.value(QStringLiteral("status")));
        if (!q.outcome) {
            err << "provctl manifest list: --status is PASS, FAIL or INCOMPLETE\n";
            return 2;
        }
    }
    q.serial = p.value(QStringLiteral("serial"));
    const QString format = p.value(QStringLiteral("format"));
    if (format != QLatin1String("table") && format != QLatin1String("json")) {
        err << "provctl manifest list: --format is table or json\n";
        return 2;
    }
    auto m = openFrom(p);
    if (!m) {
        err << "provctl manifest list: " << m.error().toString() << '\n';
        return 1;
    }
    const qint64 limit = p.value(QStringLiteral("limit")).toLongLong();
    QJsonArray json;
    if (format == QLatin1String("table")) {
        out << "Manifest: " << (*m)->path() << '\n';
        out << QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                   .arg(QStringLiteral("ROW"), 6)
                   .arg(QStringLiteral("SERIAL"), -20)
                   .arg(QStringLiteral("STATUS"), -10)
                   .arg(QStringLiteral("CERT SERIAL"), -42)
                   .arg(QStringLiteral("STARTED (UTC)"), -24)
                   .arg(QStringLiteral("TIME"));
    }
    // Keyset pages: never the whole file in memory.
    qint64 printed = 0;
    for (q.afterId = 0;;) {
        q.limit = 1000;
        auto page = (*m)->list(q);
        if (!page) {
            err << "provctl manifest list: " << page.error().toString() << '\n';
            return 1;
        }
        for (const ManifestRecord &r : *page) {
            if (limit > 0 && printed >= limit)
                break;
            ++printed;
            if (format == QLatin1String("json"))
                json.append(summaryJson(r));
            else
                out << QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                           .arg(r.id, 6)
                           .arg(r.serial.isEmpty() ? QStringLiteral("-") : r.serial, -20)
                           .arg(outcomeName(r.outcome), -10)
                           .arg(r.certSerial.isEmpty() ? QStringLiteral("-") : r.certSerial, -42)
                           .arg(r.startedAt.toString(Qt::ISODate), -24)
                           .arg(QString::number(double(r.durationMs) / 1000.0, 'f', 1) + QStringLiteral(" s"));
        }
        if (page->size() < q.limit || (limit > 0 && printed >= limit))
            break;
        q.afterId = page->last().id;
    }
    if (format == QLatin1String("json"))
        out << QJsonDocument(json).toJson(QJsonDocument::Indented);
    return 0;
}

int runShow(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("manifest"), QStringLiteral("Manifest file."), QStringLiteral("file")});
    p.addPositionalArgument(QStringLiteral("unit"), QStringLiteral("serial or row id"));
    if (!p.parse(args) || p.positionalArguments().size() != 1) {
        err << "provctl manifest show: give one SERIAL or ROWID\n";
        return 2;
    }
    auto m = openFrom(p);
    if (!m) {
        err << "provctl manifest show: " << m.error().toString() << '\n';
        return 1;
    }
    const QString key = p.positionalArguments().first();
    // A unit's attempt that counts: its PASS if it has one, else its latest attempt.
    auto row = (*m)->findPass(key, {});
    if (row && !row->has_value())
        row = (*m)->latestForSerial(key);
    bool isNumber = false;
    const qint64 id = key.toLongLong(&isNumber);
    if (row && !row->has_value() && isNumber)
        row = (*m)->get(id);
    if (!row) {
        err << "provctl manifest show: " << row.error().toString() << '\n';
        return 1;
    }
    if (!row->has_value()) {
        err << "provctl manifest show: no attempt of '" << key << "' in " << (*m)->path() << '\n';
        return 1;
    }
    out << QJsonDocument(recordToJson(**row)).toJson(QJsonDocument::Indented);
    return 0;
}

int runVerify(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("manifest"), QStringLiteral("Manifest file."), QStringLiteral("file")});
    if (!p.parse(args)) {
        err << "provctl manifest verify: " << p.errorText() << '\n';
        return 2;
    }
    auto m = openFrom(p);
    if (!m) {
        err << "provctl manifest verify: " << m.error().toString() << '\n';
        return 1;
    }
    auto report = (*m)->verify();
    if (!report) {
        err << "provctl manifest verify: " << report.error().toString() << '\n';
        return 1;
    }
    for (const ChainProblem &c : report->problems)
        out << "row " << c.id << " (" << (c.serial.isEmpty() ? QStringLiteral("no serial") : c.serial)
            << "): " << c.what << '\n';
    out << (*m)->path() << ": " << report->finishedRows << " finished row(s), " << report->openRows << " open; "
        << (report->ok() ? QStringLiteral("the hash chain is intact")
                         : QStringLiteral("%1 problem(s) found").arg(report->problems.size()))
        << '\n';
    return report->ok() ? 0 : 1;
}

} // namespace

int runManifest(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (args.size() < 2 || args.at(1) == QLatin1String("--help") || args.at(1) == QLatin1String("-h")) {
        printUsage(args.size() < 2 ? err : out);
        return args.size() < 2 ? 2 : 0;
    }
    const QString sub = args.at(1);
    QStringList rest = args.mid(2);
    rest.prepend(args.at(0) + QLatin1Char(' ') + sub);
    if (sub == QLatin1String("list"))
        return runList(rest, out, err);
    if (sub == QLatin1String("show"))
        return runShow(rest, out, err);
    if (sub == QLatin1String("verify"))
        return runVerify(rest, out, err);
    if (sub == QLatin1String("export"))
        return runExport(rest, out, err);
    if (sub == QLatin1String("verify-export"))
        return runVerifyExport(rest, out, err);
    if (sub == QLatin1String("upload"))
        return runUpload(rest, out, err);
    if (sub == QLatin1String("reconcile"))
        return runReconcile(rest, out, err);
    err << "provctl manifest: unknown subcommand '" << sub << "'\n";
    printUsage(err);
    return 2;
}

} // namespace station::cli
