// provctl manifest export | verify-export: write the manifest's rows to a file a PKI administrator or a
// DMS imports (optionally with a detached CMS signature), and check such a file and its signature.
#include "ManifestCommands.h"

#include "crypto/CmsSignature.h"
#include "est/ClientIdentity.h"
#include "manifest/Manifest.h"
#include "outbound/ManifestExport.h"
#include "provisioning/ProductProfile.h"

#include "FileUtil.h"

#include <QCommandLineParser>
#include <QFileInfo>

namespace station::cli {

using namespace station::manifest;
using namespace station::outbound;

namespace {

/// --sign-cert/--sign-key [--sign-key-pass-env] or --sign-p12 [--sign-pass-env]; nullopt when not signing.
Result<std::optional<est::ClientIdentity>> signingIdentity(const QCommandLineParser &p)
{
    const QString cert = p.value(QStringLiteral("sign-cert"));
    const QString key = p.value(QStringLiteral("sign-key"));
    const QString p12 = p.value(QStringLiteral("sign-p12"));
    if (cert.isEmpty() && key.isEmpty() && p12.isEmpty())
        return std::optional<est::ClientIdentity>();
    if (!p12.isEmpty() && (!cert.isEmpty() || !key.isEmpty()))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Give --sign-p12, or --sign-cert with --sign-key, not both"));
    if (p12.isEmpty() && (cert.isEmpty() || key.isEmpty()))
        return fail(ErrorCode::InvalidArgument, QStringLiteral("--sign-cert and --sign-key go together"));
    auto pass = crypto::secretFromEnvironment(p.value(QStringLiteral("sign-pass-env")),
                                              QStringLiteral("passphrase of the signing key"));
    if (!pass)
        return fail(pass.error());
    auto id = p12.isEmpty() ? est::ClientIdentity::fromFiles(cert, key, *pass)
                            : est::ClientIdentity::fromPkcs12File(p12, *pass);
    if (!id)
        return fail(id.error().withContext(QStringLiteral("Loading the signing identity")));
    return std::optional<est::ClientIdentity>(std::move(*id));
}

} // namespace

Result<ManifestQuery> selectionFrom(const QCommandLineParser &p)
{
    ManifestQuery q;
    if (p.isSet(QStringLiteral("since"))) {
        q.since = QDateTime::fromString(p.value(QStringLiteral("since")), Qt::ISODate);
        if (!q.since.isValid())
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("--since wants an ISO 8601 time (2026-12-01 or 2026-12-01T08:00:00Z)"));
    }
    if (p.isSet(QStringLiteral("status"))) {
        q.outcome = parseOutcome(p.value(QStringLiteral("status")));
        if (!q.outcome)
            return fail(ErrorCode::InvalidArgument, QStringLiteral("--status is PASS, FAIL or INCOMPLETE"));
    }
    q.serial = p.value(QStringLiteral("serial"));
    return q;
}

Result<provisioning::DmsSettings> dmsSettingsFrom(const QCommandLineParser &p)
{
    provisioning::DmsSettings dms;
    if (p.isSet(QStringLiteral("profile"))) {
        auto profile = provisioning::ProductProfile::load(p.value(QStringLiteral("profile")));
        if (!profile)
            return fail(profile.error());
        dms = profile->dms;
    }
    if (p.isSet(QStringLiteral("dms-id")))
        dms.dmsId = p.value(QStringLiteral("dms-id"));
    return dms;
}

void addSelectionOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("manifest"), QStringLiteral("Manifest file."), QStringLiteral("file")});
    p.addOption({QStringLiteral("since"), QStringLiteral("Attempts started at or after."), QStringLiteral("iso8601")});
    p.addOption({QStringLiteral("status"), QStringLiteral("PASS, FAIL or INCOMPLETE."), QStringLiteral("status")});
    p.addOption({QStringLiteral("serial"), QStringLiteral("One unit."), QStringLiteral("serial")});
    p.addOption({QStringLiteral("profile"), QStringLiteral("Product profile (its dms section: icon, tags, DMS id)."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("dms-id"), QStringLiteral("The DMS the units enroll through."), QStringLiteral("id")});
}

int runExport(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    addSelectionOptions(p);
    p.addOption({QStringLiteral("format"), QStringLiteral("csv, json or lamassu."), QStringLiteral("format")});
    p.addOption({QStringLiteral("out"), QStringLiteral("The file to write."), QStringLiteral("file")});
    p.addOption({QStringLiteral("only-not-exported"), QStringLiteral("Rows after the last export of this format.")});
    p.addOption({QStringLiteral("sign-cert"), QStringLiteral("Signing certificate (PEM)."), QStringLiteral("file")});
    p.addOption({QStringLiteral("sign-key"), QStringLiteral("Its private key (PEM/DER)."), QStringLiteral("file")});
    p.addOption({QStringLiteral("sign-p12"), QStringLiteral("Or a PKCS#12 with both."), QStringLiteral("file")});
    p.addOption({QStringLiteral("sign-pass-env"), QStringLiteral("Environment variable with the key's passphrase."),
                 QStringLiteral("var")});
    const QString me = QStringLiteral("provctl manifest export: ");
    if (!p.parse(args)) {
        err << me << p.errorText() << '\n';
        return 2;
    }
    const auto format = parseExportFormat(p.value(QStringLiteral("format")));
    if (!format || !p.isSet(QStringLiteral("out"))) {
        err << me << "give --format csv|json|lamassu and --out FILE\n";
        return 2;
    }
    auto query = selectionFrom(p);
    if (!query) {
        err << me << query.error().toString() << '\n';
        return 2;
    }
    auto dms = dmsSettingsFrom(p);
    if (!dms) {
        err << me << dms.error().toString() << '\n';
        return 2;
    }
    auto signer = signingIdentity(p);
    if (!signer) {
        err << me << signer.error().toString() << '\n';
        return 2;
    }
    // Exports are recorded in the manifest: it is opened for writing (WAL: the station may run meanwhile).
    const QString path =
        p.isSet(QStringLiteral("manifest")) ? p.value(QStringLiteral("manifest")) : Manifest::defaultPath();
    if (!QFileInfo::exists(path)) {
        err << me << "no manifest at " << path << " (give --manifest FILE)\n";
        return 1;
    }
    auto m = Manifest::open(path);
    if (!m) {
        err << me << m.error().toString() << '\n';
        return 1;
    }
    ExportRequest req;
    req.format = *format;
    req.outPath = p.value(QStringLiteral("out"));
    req.filter = *query;
    req.onlyNotExported = p.isSet(QStringLiteral("only-not-exported"));
    req.dms = *dms;
    auto summary = exportManifest(**m, req);
    if (!summary) {
        err << me << summary.error().toString() << '\n';
        return 1;
    }
    out << "Manifest: " << (*m)->path() << '\n'
        << "Wrote " << summary->rows << " row(s) to " << summary->path << " (" << exportFormatName(*format)
        << ", sha256 " << summary->sha256 << ')';
    if (summary->rows > 0)
        out << ", chain positions " << summary->firstSeq << ".." << summary->lastSeq;
    out << '\n';
    if (summary->skipped > 0)
        out << summary->skipped << " attempt(s) left out: they never got as far as a CSR, so they have no device id\n";
    if (*signer) {
        const QString sig = summary->path + QStringLiteral(".p7s");
        auto signedOk = crypto::CmsSignature::signFile(summary->path, sig, (*signer)->certificate, (*signer)->key,
                                                       (*signer)->chain);
        if (!signedOk) {
            err << me << "the export is written but not signed: " << signedOk.error().toString() << '\n';
            return 1;
        }
        out << "Signed by " << (*signer)->certificate.subject().toString() << ": " << sig << '\n';
    }
    return 0;
}

int runVerifyExport(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.addOption(
        {QStringLiteral("signature"), QStringLiteral("The signature (default FILE.p7s)."), QStringLiteral("file")});
    p.addOption({QStringLiteral("trust"), QStringLiteral("CA certificate(s) the signer must chain to (PEM)."),
                 QStringLiteral("file")});
    p.addPositionalArgument(QStringLiteral("file"), QStringLiteral("The exported file."));
    const QString me = QStringLiteral("provctl manifest verify-export: ");
    if (!p.parse(args) || p.positionalArguments().size() != 1) {
        err << me << "give the exported FILE [--signature FILE.p7s] [--trust CA.pem]\n";
        return 2;
    }
    const QString file = p.positionalArguments().first();
    const QString sig =
        p.isSet(QStringLiteral("signature")) ? p.value(QStringLiteral("signature")) : file + QStringLiteral(".p7s");
    QList<crypto::Certificate> anchors;
    if (p.isSet(QStringLiteral("trust"))) {
        auto pem = readFileBounded(p.value(QStringLiteral("trust")), 4 * 1024 * 1024);
        auto certs =
            pem ? crypto::Certificate::listFromAny(*pem) : Result<QList<crypto::Certificate>>(fail(pem.error()));
        if (!certs || certs->isEmpty()) {
            err << me
                << "--trust: " << (certs ? QStringLiteral("no certificate in the file") : certs.error().toString())
                << '\n';
            return 2;
        }
        anchors = *certs;
    }
    auto check = crypto::CmsSignature::verifyFile(file, sig, anchors);
    if (!check) {
        err << me << "NOT VALID: " << check.error().toString() << '\n';
        return 1;
    }
    out << file << ": the signature is valid; the file is unchanged since it was signed\n"
        << "Signed by: " << check->signer.subject().toString() << '\n'
        << "Issuer:    " << check->signer.issuer().toString() << '\n'
        << "Serial:    " << check->signer.serialHex() << '\n'
        << "SHA-256:   " << check->signer.fingerprintSha256Colon() << '\n'
        << "Signed at: "
        << (check->signingTime.isValid() ? check->signingTime.toString(Qt::ISODate) : QStringLiteral("(not stated)"))
        << '\n';
    if (check->signerTrusted) {
        out << "The signer chains to the given trust anchor(s).\n";
    } else {
        out << "WARNING: the signer was not checked against a trust anchor: anyone can make a valid signature.\n"
               "         Give --trust CA.pem to know who signed it.\n";
    }
    return 0;
}

} // namespace station::cli
