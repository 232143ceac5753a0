#include "DmsRunner.h"

#include "FileUtil.h"
#include "crypto/Certificate.h"
#include "manifest/Manifest.h"
#include "outbound/DmsApi.h"
#include "outbound/ManifestReconciler.h"
#include "outbound/ManifestUploader.h"
#include "outbound/TokenSource.h"

namespace station::ui {

using namespace station::outbound;

namespace {

/// Everything one run needs, owned together on the worker thread.
struct Run : QObject {
    std::unique_ptr<manifest::Manifest> manifest;
    std::unique_ptr<TokenSource> tokens;
    std::unique_ptr<DmsApi> api;
    DmsBatch *batch = nullptr;
};

QString uploadSummary(const UploadSummary &s, bool dryRun)
{
    if (dryRun)
        return DmsRunner::tr("Dry run: %n unit(s) would be uploaded; nothing was sent.", nullptr, int(s.wouldUpload));
    QStringList lines;
    lines << DmsRunner::tr("%1 created, %2 already present, %3 failed").arg(s.created).arg(s.present).arg(s.failed);
    if (s.alreadyUploaded)
        lines << DmsRunner::tr("%n unit(s) were uploaded by an earlier run.", nullptr, int(s.alreadyUploaded));
    for (const UploadUnitResult &f : s.failures)
        lines << DmsRunner::tr("FAILED %1: %2").arg(f.deviceId, f.text);
    if (s.stopped)
        lines << DmsRunner::tr("Stopped: %1").arg(s.stopped->toString());
    if (s.cancelled)
        lines << DmsRunner::tr("Interrupted; upload again for the rest.");
    return lines.join(QLatin1Char('\n'));
}

QString reconcileSummary(const ReconcileReport &r)
{
    QStringList lines;
    lines << DmsRunner::tr("Checked %1 unit(s): %2 enrolled with the manifest's certificate")
                 .arg(r.checked)
                 .arg(r.enrolledAsRecorded);
    const auto list = [&lines](const QString &title, const QList<ReconcileItem> &items) {
        if (items.isEmpty())
            return;
        lines << QStringLiteral("%1 (%2):").arg(title).arg(items.size());
        for (const ReconcileItem &i : items)
            lines << QStringLiteral("  %1: %2").arg(i.deviceId, i.detail);
    };
    list(DmsRunner::tr("Registered but never enrolled"), r.neverEnrolled);
    list(DmsRunner::tr("Enrolled with another certificate"), r.otherCertificate);
    list(DmsRunner::tr("Unknown to the DMS"), r.unknown);
    list(DmsRunner::tr("Could not be read"), r.unreadable);
    if (r.stopped)
        lines << DmsRunner::tr("Stopped: %1").arg(r.stopped->toString());
    return lines.join(QLatin1Char('\n'));
}

} // namespace

DmsRunner::DmsRunner(QObject *parent) : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("dms-upload"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
}

DmsRunner::~DmsRunner()
{
    cancel();
    m_thread.quit();
    if (!m_thread.wait(10000))
        qWarning("DMS runner: the upload thread did not stop within 10 s");
}

void DmsRunner::cancel()
{
    QMetaObject::invokeMethod(m_context, [ctx = m_context] {
        for (Run *run : ctx->findChildren<Run *>(Qt::FindDirectChildrenOnly))
            if (run->batch)
                run->batch->cancel();
    });
}

void DmsRunner::start(const DmsRequest &request)
{
    if (m_running)
        return;
    m_running = true;
    QMetaObject::invokeMethod(m_context, [this, request, ctx = m_context] {
        auto *run = new Run;
        run->setParent(ctx);
        const auto finish = [this, run](bool ok, const QString &summary) {
            QMetaObject::invokeMethod(this, [this, ok, summary] {
                m_running = false;
                emit finished(ok, summary);
            });
            run->deleteLater();
        };
        auto m = manifest::Manifest::open(request.manifestPath);
        if (!m)
            return finish(false, m.error().toString());
        run->manifest = std::move(*m);
        QList<crypto::Certificate> anchors;
        if (!request.trustFile.isEmpty()) {
            auto pem = readFileBounded(request.trustFile, 4 * 1024 * 1024);
            auto certs =
                pem ? crypto::Certificate::listFromAny(*pem) : Result<QList<crypto::Certificate>>(fail(pem.error()));
            if (!certs || certs->isEmpty())
                return finish(false, tr("The DMS trust file %1 holds no certificate.").arg(request.trustFile));
            anchors = *certs;
        }
        const bool dryRun = request.kind == DmsRequest::Kind::DryRun;
        if (!dryRun) {
            if (!request.secret || request.secret->isEmpty())
                return finish(false, tr("Give the DMS token or the OIDC client secret."));
            if (request.tokenUrl.isEmpty()) {
                run->tokens = std::make_unique<FixedTokenSource>(request.secret->clone());
            } else {
                OidcClientCredentials o;
                o.tokenUrl = request.tokenUrl;
                o.clientId = request.clientId;
                o.clientSecret = request.secret->clone();
                o.trustAnchors = anchors;
                run->tokens = std::make_unique<OidcTokenSource>(std::move(o));
            }
            run->api = std::make_unique<DmsApi>(DmsEndpoint{request.dmsUrl, anchors, 15000}, run->tokens.get());
        }
        if (request.kind == DmsRequest::Kind::Reconcile) {
            auto *rec = new ManifestReconciler(*run->manifest, run->api.get(), BatchOptions{}, request.dmsId, run);
            run->batch = rec;
            connect(rec, &ManifestReconciler::finished, rec,
                    [rec, finish] { finish(rec->report().ok(), reconcileSummary(rec->report())); });
            rec->start();
            return;
        }
        UploadOptions o;
        o.dmsId = request.dmsId;
        o.device = request.device;
        o.profileKeyOrigin = request.keyOrigin;
        o.dryRun = dryRun;
        auto *up = new ManifestUploader(*run->manifest, run->api.get(), o, run);
        run->batch = up;
        connect(up, &ManifestUploader::note, this, &DmsRunner::line, Qt::QueuedConnection);
        connect(
            up, &ManifestUploader::unitFinished, this,
            [this](const UploadUnitResult &r) {
                const QString text = QStringLiteral("%1: %2").arg(r.deviceId, r.text);
                QMetaObject::invokeMethod(this, [this, text] { emit line(text); });
            },
            Qt::DirectConnection);
        connect(up, &ManifestUploader::finished, up,
                [up, finish, dryRun] { finish(dryRun || up->summary().ok(), uploadSummary(up->summary(), dryRun)); });
        up->start();
    });
}

} // namespace station::ui
