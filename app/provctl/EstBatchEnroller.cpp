#include "EstBatchEnroller.h"

#include "EstCliReport.h"

#include "FileUtil.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace station::cli {

EstBatchEnroller::EstBatchEnroller(est::EstClient *client, QString csrDir, QString outDir, int jobs, QTextStream &out,
                                   QTextStream &err, QObject *parent)
    : QObject(parent), m_client(client), m_csrDir(std::move(csrDir)), m_outDir(std::move(outDir)),
      m_jobs(std::max(1, jobs)), m_out(out), m_err(err)
{}

void EstBatchEnroller::start()
{
    m_clock.start();
    const QDir dir(m_csrDir);
    if (!dir.exists()) {
        printEstError(m_err, QStringLiteral("enroll"),
                      Error(ErrorCode::NotFound, QStringLiteral("The CSR folder '%1' does not exist").arg(m_csrDir), {},
                            QStringLiteral("Check --csr-dir")));
        m_done = true;
        emit done(2);
        return;
    }
    QSet<QString> outNames;
    const QFileInfoList files = dir.entryInfoList(QDir::Files | QDir::Readable | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &info : files) {
        Item item;
        item.name = info.fileName();
        const QString base = info.completeBaseName().isEmpty() ? info.fileName() : info.completeBaseName();
        item.outPath = QDir(m_outDir).filePath(base + QStringLiteral(".pem"));
        auto data = readFileBounded(info.filePath(), 1024 * 1024);
        if (!data) {
            item.error = data.error();
        } else if (auto csr = crypto::CertificateRequest::fromAny(*data); !csr) {
            item.error = csr.error().withContext(QStringLiteral("not a CSR"));
        } else if (auto sig = csr->verifySignature(); !sig) {
            item.error = sig.error().withContext(QStringLiteral("the CSR's signature does not verify"));
        } else if (outNames.contains(item.outPath)) {
            item.error =
                Error(ErrorCode::InvalidArgument, QStringLiteral("another CSR already writes %1").arg(item.outPath), {},
                      QStringLiteral("Give the CSR files distinct base names"));
        } else {
            // Moved, never copied: an X509_REQ has no reference count, so a copy is a full re-encode and re-parse.
            item.csr = std::move(*csr);
            outNames.insert(item.outPath);
            m_pending.enqueue(int(m_items.size()));
        }
        m_items.append(std::move(item));
    }
    if (m_items.isEmpty()) {
        printEstError(m_err, QStringLiteral("enroll"),
                      Error(ErrorCode::NotFound, QStringLiteral("The CSR folder '%1' holds no files").arg(m_csrDir), {},
                            QStringLiteral("Put the device CSRs (PEM or DER) in the folder")));
        m_done = true;
        emit done(1);
        return;
    }
    m_out << "Enrolling " << m_pending.size() << " CSR(s) from " << m_csrDir << " with up to " << m_jobs
          << " request(s) at once\n";
    m_out.flush();
    pump();
}

void EstBatchEnroller::cancel()
{
    m_cancelled = true;
    m_pending.clear();
    const QList<est::EstReply *> inFlight = m_inFlight;
    for (est::EstReply *r : inFlight)
        r->cancel();
}

void EstBatchEnroller::pump()
{
    while (!m_cancelled && m_inFlight.size() < m_jobs && !m_pending.isEmpty()) {
        const int index = m_pending.dequeue();
        est::EstReply *reply = m_client->simpleEnroll(m_items[index].csr);
        m_inFlight.append(reply);
        const qint64 started = m_clock.elapsed();
        connect(reply, &est::EstReply::finished, this,
                [this, index, reply, started] { onFinished(index, reply, started); });
    }
    if (m_inFlight.isEmpty() && (m_pending.isEmpty() || m_cancelled))
        summarize();
}

void EstBatchEnroller::onFinished(int index, est::EstReply *reply, qint64 startedMs)
{
    m_inFlight.removeOne(reply);
    reply->deleteLater();
    Item &item = m_items[index];
    item.latencyMs = m_clock.elapsed() - startedMs;
    if (!reply->isSuccess()) {
        item.error = reply->error();
        m_err << "failed  " << item.name << ": " << item.error.message << '\n';
        m_err.flush();
    } else if (auto w = writeCertificates(item.outPath, {reply->certificate()}, FileDurability::Deferred); !w) {
        item.error = w.error();
        m_err << "failed  " << item.name << ": " << item.error.message << '\n';
    } else {
        item.ok = true;
        m_out << "issued  " << item.name << " -> " << item.outPath << " (" << reply->certificate().subject().toString()
              << ", serial " << reply->certificate().serialHex() << ")\n";
        m_out.flush();
    }
    pump();
}

void EstBatchEnroller::summarize()
{
    if (m_done)
        return;
    m_done = true;
    int issued = 0;
    QList<const Item *> failed;
    for (const Item &item : m_items) {
        if (item.ok)
            ++issued;
        else
            failed.append(&item);
    }
    // The certificates were written atomically but not synced one by one: one sync for the batch.
    Result<void> synced;
    if (issued > 0)
        synced = syncFolder(m_outDir);
    if (!synced)
        printEstError(m_err, QStringLiteral("enroll"), synced.error());
    const double seconds = double(m_clock.elapsed()) / 1000.0;
    m_out << "\nSummary: " << m_items.size() << " file(s), " << issued << " issued, " << failed.size() << " failed, in "
          << QString::number(seconds, 'f', 2) << " s";
    if (issued > 0 && seconds > 0)
        m_out << " (" << QString::number(issued / seconds, 'f', 1) << " enrollments/s, "
              << m_client->tlsHandshakeCount() << " TLS handshake(s))";
    m_out << '\n';
    if (!failed.isEmpty()) {
        m_out << "Failed:\n";
        for (const Item *item : failed) {
            const Error &e = item->error;
            m_out << "  " << item->name << ": "
                  << (e.message.isEmpty() ? QStringLiteral("not attempted (cancelled)") : e.message);
            if (!e.detail.isEmpty())
                m_out << " (" << e.detail << ')';
            if (!e.remedy.isEmpty())
                m_out << ". Remedy: " << e.remedy;
            m_out << '\n';
        }
    }
    m_out.flush();
    emit done(failed.isEmpty() && synced ? 0 : 1);
}

} // namespace station::cli
