// Runs a DMS upload or reconciliation for the GUI on a thread of its own (its own manifest connection,
// network and SQLite writes never on the GUI thread) and reports back through queued signals: one line
// per unit and a summary at the end. The engine is core's (outbound/ManifestUploader, ManifestReconciler),
// the same as `provctl manifest upload | reconcile`.
#pragma once

#include "crypto/SecretBytes.h"
#include "provisioning/ProductProfile.h"

#include <QObject>
#include <QThread>
#include <QUrl>

#include <memory>

namespace station::ui {

struct DmsRequest {
    enum class Kind { Upload, DryRun, Reconcile } kind = Kind::Upload;
    QString manifestPath;
    QUrl dmsUrl;
    QString dmsId;
    QUrl tokenUrl;                               ///< OIDC token endpoint; empty: `secret` is a bearer token
    QString clientId;                            ///< OIDC client
    std::shared_ptr<crypto::SecretBytes> secret; ///< the client secret or the bearer token (never stored)
    QString trustFile;                           ///< PEM anchors for the DMS; empty: the system store
    provisioning::DmsSettings device;
    std::optional<provisioning::KeyOrigin> keyOrigin;
};

class DmsRunner : public QObject
{
    Q_OBJECT
public:
    explicit DmsRunner(QObject *parent = nullptr);
    ~DmsRunner() override; ///< cancels a run and waits for the thread (bounded)

    [[nodiscard]] bool isRunning() const { return m_running; }
    void start(const DmsRequest &request);
    /// Stops taking new units; those in flight finish, then finished() follows.
    void cancel();

Q_SIGNALS:
    void line(const QString &text);
    /// `ok`: nothing failed and nothing stopped the run; `summary` says what happened, one line per fact.
    void finished(bool ok, const QString &summary);

private:
    QThread m_thread;
    QObject *m_context = nullptr; ///< lives on m_thread; parent of the run's objects
    bool m_running = false;
};

} // namespace station::ui
