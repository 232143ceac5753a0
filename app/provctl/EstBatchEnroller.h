// Batch relay for `provctl est enroll --csr-dir DIR --out-dir DIR [--jobs K]`: the factory case where
// device CSRs were collected beforehand. Every CSR file (PEM, DER or base64) is checked and enrolled over
// one EstClient (kept-alive connections), at most K at once; each issued certificate is verified and
// written as <name>.pem (atomically; the batch syncs them to disk once, before its summary); one bad CSR
// never stops the others; a summary says what was issued and why the rest failed.
#pragma once

#include "est/EstClient.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QString>
#include <QTextStream>

namespace station::cli {

class EstBatchEnroller : public QObject
{
    Q_OBJECT
public:
    EstBatchEnroller(est::EstClient *client, QString csrDir, QString outDir, int jobs, QTextStream &out,
                     QTextStream &err, QObject *parent = nullptr);

    void start();
    void cancel();

signals:
    /// 0 when every CSR was enrolled, 1 otherwise.
    void done(int exitCode);

private:
    struct Item {
        QString name; ///< file name in the CSR folder
        QString outPath;
        crypto::CertificateRequest csr;
        bool ok = false;
        Error error;
        qint64 latencyMs = 0;
    };
    void pump();
    void onFinished(int index, est::EstReply *reply, qint64 startedMs);
    void summarize();

    est::EstClient *m_client;
    QString m_csrDir;
    QString m_outDir;
    int m_jobs;
    QTextStream &m_out;
    QTextStream &m_err;
    QList<Item> m_items;
    QQueue<int> m_pending;
    QList<est::EstReply *> m_inFlight;
    QElapsedTimer m_clock;
    bool m_cancelled = false;
    bool m_done = false;
};

} // namespace station::cli
