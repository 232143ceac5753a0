// provctl manifest upload | reconcile: pre-register the manifest's units in a Lamassu DMS, and check at
// the end of a shift what the DMS knows about them. Both are safe to interrupt (Ctrl+C lets the
// exchanges in flight finish; kill -9 is recovered on the next run) and to repeat.
#include "ManifestCommands.h"
#include "SignalWatcher.h"

#include "FileUtil.h"
#include "crypto/SecretBytes.h"
#include "outbound/DmsApi.h"
#include "outbound/ManifestReconciler.h"
#include "outbound/ManifestUploader.h"
#include "outbound/TokenSource.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QTimer>

namespace station::cli {

using namespace station::manifest;
using namespace station::outbound;

namespace {

void addDmsOptions(QCommandLineParser &p)
{
    addSelectionOptions(p);
    p.addOption({QStringLiteral("dms-url"), QStringLiteral("The DMS's API gateway (https://host[:port])."),
                 QStringLiteral("url")});
    p.addOption({QStringLiteral("token-env"), QStringLiteral("Environment variable with a bearer token."),
                 QStringLiteral("var")});
    p.addOption({QStringLiteral("oidc-token-url"), QStringLiteral("OIDC token endpoint (client-credentials grant)."),
                 QStringLiteral("url")});
    p.addOption({QStringLiteral("client-id"), QStringLiteral("OIDC client id."), QStringLiteral("id")});
    p.addOption({QStringLiteral("client-secret-env"), QStringLiteral("Environment variable with the client secret."),
                 QStringLiteral("var")});
    p.addOption({QStringLiteral("scope"), QStringLiteral("OIDC scope to ask for."), QStringLiteral("scope")});
    p.addOption({QStringLiteral("trust"),
                 QStringLiteral("CA certificate(s) for the DMS's TLS certificate (PEM); "
                                "default: the system store."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("jobs"), QStringLiteral("Requests in flight at once."), QStringLiteral("n"),
                 QStringLiteral("4")});
    p.addOption({QStringLiteral("timeout"), QStringLiteral("Seconds one request may take."), QStringLiteral("s"),
                 QStringLiteral("15")});
    p.addOption({QStringLiteral("attempts"), QStringLiteral("Tries per unit on transient failures."),
                 QStringLiteral("n"), QStringLiteral("5")});
}

struct DmsConnection {
    std::unique_ptr<TokenSource> tokens;
    std::unique_ptr<DmsApi> api;
    QString dmsId;
    BatchOptions batch;
    std::unique_ptr<Manifest> manifest;
};

Result<DmsConnection> connectionFrom(const QCommandLineParser &p, bool needNetwork)
{
    DmsConnection c;
    const QUrl url(p.value(QStringLiteral("dms-url")));
    if (!url.isValid() || url.scheme() != QLatin1String("https") || url.host().isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("--dms-url must be an https URL (got '%1')").arg(p.value(QStringLiteral("dms-url"))),
                    {}, QStringLiteral("e.g. --dms-url https://lamassu.example.com"));
    auto dms = dmsSettingsFrom(p);
    if (!dms)
        return fail(dms.error());
    c.dmsId = dms->dmsId;
    if (c.dmsId.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Which DMS? Give --dms-id (or a --profile with dms.dms_id)"));
    auto query = selectionFrom(p);
    if (!query)
        return fail(query.error());
    c.batch.filter = *query;
    c.batch.jobs = p.value(QStringLiteral("jobs")).toInt();
    c.batch.attempts = p.value(QStringLiteral("attempts")).toInt();
    if (c.batch.jobs < 1 || c.batch.jobs > 64 || c.batch.attempts < 1)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("--jobs is 1..64 and --attempts at least 1"));
    const int timeoutMs = int(p.value(QStringLiteral("timeout")).toDouble() * 1000);
    QList<crypto::Certificate> anchors;
    if (p.isSet(QStringLiteral("trust"))) {
        auto pem = readFileBounded(p.value(QStringLiteral("trust")), 4 * 1024 * 1024);
        if (!pem)
            return fail(pem.error().withContext(QStringLiteral("--trust")));
        auto certs = crypto::Certificate::listFromAny(*pem);
        if (!certs || certs->isEmpty())
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("--trust: %1 holds no certificate").arg(p.value(QStringLiteral("trust"))));
        anchors = *certs;
    }
    const bool fixed = p.isSet(QStringLiteral("token-env"));
    const bool oidc = p.isSet(QStringLiteral("oidc-token-url"));
    if (needNetwork) {
        if (fixed == oidc)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("Give either --token-env VAR or --oidc-token-url URL --client-id ID "
                                       "--client-secret-env VAR"));
        if (fixed) {
            auto token =
                crypto::secretFromEnvironment(p.value(QStringLiteral("token-env")), QStringLiteral("DMS bearer token"));
            if (!token)
                return fail(token.error());
            c.tokens = std::make_unique<FixedTokenSource>(std::move(*token));
        } else {
            OidcClientCredentials o;
            o.tokenUrl = QUrl(p.value(QStringLiteral("oidc-token-url")));
            o.clientId = p.value(QStringLiteral("client-id"));
            o.scope = p.value(QStringLiteral("scope"));
            if (o.tokenUrl.scheme() != QLatin1String("https") || o.clientId.isEmpty() ||
                !p.isSet(QStringLiteral("client-secret-env")))
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("--oidc-token-url (https) needs --client-id and --client-secret-env"));
            auto secret = crypto::secretFromEnvironment(p.value(QStringLiteral("client-secret-env")),
                                                        QStringLiteral("OIDC client secret"));
            if (!secret)
                return fail(secret.error());
            o.clientSecret = std::move(*secret);
            o.trustAnchors = anchors;
            o.timeoutMs = timeoutMs;
            c.tokens = std::make_unique<OidcTokenSource>(std::move(o));
        }
        c.api = std::make_unique<DmsApi>(DmsEndpoint{url, anchors, timeoutMs}, c.tokens.get());
    }
    const QString path =
        p.isSet(QStringLiteral("manifest")) ? p.value(QStringLiteral("manifest")) : Manifest::defaultPath();
    if (!QFileInfo::exists(path))
        return fail(ErrorCode::NotFound, QStringLiteral("No manifest at %1").arg(path), {},
                    QStringLiteral("Give --manifest FILE."));
    auto m = Manifest::open(path);
    if (!m)
        return fail(m.error());
    c.manifest = std::move(*m);
    return c;
}

int parseOrUsage(QCommandLineParser &p, const QStringList &args, QTextStream &err, const QString &me)
{
    if (!p.parse(args)) {
        err << me << p.errorText() << '\n';
        return 2;
    }
    return 0;
}

void printItems(QTextStream &out, const QString &title, const QList<ReconcileItem> &items)
{
    if (items.isEmpty())
        return;
    out << title << " (" << items.size() << "):\n";
    for (const ReconcileItem &i : items)
        out << "  " << i.deviceId << (i.serial != i.deviceId ? QStringLiteral(" (serial %1)").arg(i.serial) : QString())
            << ": " << i.detail << '\n';
}

} // namespace

int runUpload(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    addDmsOptions(p);
    p.addOption({QStringLiteral("dry-run"), QStringLiteral("List what would be uploaded; send and write nothing.")});
    const QString me = QStringLiteral("provctl manifest upload: ");
    if (int rc = parseOrUsage(p, args, err, me))
        return rc;
    const bool dryRun = p.isSet(QStringLiteral("dry-run"));
    auto c = connectionFrom(p, !dryRun);
    if (!c) {
        err << me << c.error().toString() << '\n';
        return 2;
    }
    UploadOptions o;
    o.batch = c->batch;
    o.dmsId = c->dmsId;
    o.dryRun = dryRun;
    if (auto dms = dmsSettingsFrom(p); dms)
        o.device = *dms;
    if (p.isSet(QStringLiteral("profile"))) {
        if (auto profile = provisioning::ProductProfile::load(p.value(QStringLiteral("profile"))); profile)
            o.profileKeyOrigin = profile->enrollment.keyOrigin;
    }
    out << "Manifest: " << c->manifest->path() << '\n';
    ManifestUploader uploader(*c->manifest, c->api.get(), o);
    QObject::connect(&uploader, &ManifestUploader::note, [&out](const QString &text) {
        out << text << '\n' << Qt::flush;
    });
    QObject::connect(&uploader, &ManifestUploader::unitFinished, [&out](const UploadUnitResult &r) {
        out << "  " << r.deviceId << ": " << r.text << '\n' << Qt::flush;
    });
    SignalWatcher signals_;
    QObject::connect(&signals_, &SignalWatcher::terminationRequested, &uploader, [&](int) {
        err << me << "stopping: the requests in flight get 3 s to finish, the rest is left for the next run\n"
            << Qt::flush;
        uploader.cancel();
        // A DMS that does not answer does not hold the line: what is still open is aborted and stays
        // "sending" in the manifest, for the next run to check.
        QTimer::singleShot(3000, c->api.get(), [api = c->api.get()] { api->abortAll(); });
    });
    QObject::connect(&uploader, &ManifestUploader::finished, qApp, &QCoreApplication::quit, Qt::QueuedConnection);
    uploader.start();
    QCoreApplication::exec();
    const UploadSummary &s = uploader.summary();
    if (dryRun) {
        out << "Dry run: " << s.wouldUpload << " unit(s) would be uploaded to DMS '" << o.dmsId << "'; " << s.noDeviceId
            << " attempt(s) have no device id yet. Nothing was sent.\n";
        return 0;
    }
    out << "Upload to DMS '" << o.dmsId << "' at " << p.value(QStringLiteral("dms-url")) << ": " << s.created
        << " created, " << s.present << " already present, " << s.failed << " failed";
    if (s.alreadyUploaded)
        out << ", " << s.alreadyUploaded << " done by an earlier run";
    if (s.noDeviceId)
        out << ", " << s.noDeviceId << " without a device id (no CSR yet)";
    if (s.unanswered)
        out << ", " << s.unanswered << " interrupted before the DMS answered";
    out << '\n';
    for (const UploadUnitResult &f : s.failures)
        out << "  FAILED " << f.deviceId << ": " << f.text << '\n';
    if (s.stopped)
        err << me << "stopped: " << s.stopped->toString() << '\n';
    if (s.cancelled)
        err << me << "interrupted; run it again to upload the rest\n";
    return s.ok() ? 0 : 1;
}

int runReconcile(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    addDmsOptions(p);
    const QString me = QStringLiteral("provctl manifest reconcile: ");
    if (int rc = parseOrUsage(p, args, err, me))
        return rc;
    auto c = connectionFrom(p, true);
    if (!c) {
        err << me << c.error().toString() << '\n';
        return 2;
    }
    out << "Manifest: " << c->manifest->path() << '\n';
    ManifestReconciler reconciler(*c->manifest, c->api.get(), c->batch, c->dmsId);
    SignalWatcher signals_;
    QObject::connect(&signals_, &SignalWatcher::terminationRequested, &reconciler, [&](int) { reconciler.cancel(); });
    QObject::connect(&reconciler, &ManifestReconciler::finished, qApp, &QCoreApplication::quit, Qt::QueuedConnection);
    reconciler.start();
    QCoreApplication::exec();
    const ReconcileReport &r = reconciler.report();
    out << "Checked " << r.checked << " unit(s) against DMS '" << c->dmsId << "': " << r.enrolledAsRecorded
        << " enrolled with the manifest's certificate\n";
    printItems(out, QStringLiteral("Registered but never enrolled"), r.neverEnrolled);
    printItems(out, QStringLiteral("Enrolled with another certificate than the manifest's"), r.otherCertificate);
    printItems(out, QStringLiteral("Unknown to the DMS"), r.unknown);
    printItems(out, QStringLiteral("Could not be read"), r.unreadable);
    if (r.stopped)
        err << me << "stopped: " << r.stopped->toString() << '\n';
    if (r.ok())
        out << "All units are enrolled as the manifest records them.\n";
    return r.ok() ? 0 : 1;
}

} // namespace station::cli
