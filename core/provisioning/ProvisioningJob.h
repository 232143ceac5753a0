// One unit's provisioning job: runs the JobMachine's transitions against the unit's driver, the shared
// EstClient and the manifest. Each step has a deadline and a cancel path; each completion is bound to
// this object (a destroyed job is never called back); every failure ends in one JobFailure with the
// operator's cause and remedy, and the manifest row is journaled at every step so a cut-off job reads
// INCOMPLETE where it stopped. A unit is PASS only when its certificate's key is the unit's (or the
// server-generated one), it chains to the CA set, its subject and SANs are the profile's, and the
// unit's read-back digests equal what was written and are committed.
#pragma once

#include "EstAttempts.h"
#include "JobFailure.h"
#include "JobMachine.h"
#include "ProductProfile.h"

#include "device/DeviceDriver.h"
#include "device/DiscoveredDevice.h"
#include "manifest/ManifestRecord.h"

#include "crypto/Certificate.h"
#include "crypto/CertificateRequest.h"
#include "crypto/CsrAttributes.h"
#include "crypto/SecretBytes.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>

namespace station::est {
class EstClient;
class EstReply;
} // namespace station::est
namespace station::manifest {
class Manifest;
}

namespace station::provisioning {

class CsrAttrsPrefetch;

class SlotWriter;

/// What a job needs from the station; the station outlives its jobs.
struct JobContext {
    const ProductProfile *profile = nullptr;
    est::EstClient *est = nullptr;          ///< cacerts, csrattrs
    est::EstClient *enrollEst = nullptr;    ///< enroll / reenroll / serverkeygen (the cert-auth URL, or `est`)
    est::EstClient *bootstrapEst = nullptr; ///< enrolls bootstrap credentials (or `enrollEst`)
    manifest::Manifest *manifest = nullptr;
    QList<crypto::Certificate> caCertificates; ///< the CA set issued certificates chain to
    QList<crypto::Certificate> trustAnchorsToInject;
    QString operatorName;
    QString stationId;
};

struct JobResult {
    JobState finalState = JobState::Failed;
    JobFailure failure = JobFailure::None;
    OperatorMessage message;
    QString detail;
    QString serial;
    QString certSerial;
    qint64 durationMs = 0;
    qint64 manifestId = 0;
    [[nodiscard]] bool passed() const { return finalState == JobState::Passed; }
};

class ProvisioningJob : public QObject
{
    Q_OBJECT
public:
    ProvisioningJob(JobContext context, device::DiscoveredDevice port, std::unique_ptr<device::DeviceDriver> driver,
                    QObject *parent = nullptr);
    ~ProvisioningJob() override;

    void start();
    /// A scan that names this unit; ignored unless the job waits for one.
    void scanned(const ScannedCode &code);
    /// A scan that arrived before the job could take it (a retry started by scanning the unit again): the
    /// job takes it as soon as it waits for a scan.
    void setPendingScan(const ScannedCode &code) { m_pendingScan = code; }
    /// A scan that was meant for this unit and names another: the unit fails (barcode-mismatch).
    void scanMismatched(const ScannedCode &code);
    /// The supervisor confirmed re-provisioning an already provisioned unit.
    void confirm();
    void cancel();
    /// The unit's port disappeared.
    void unplugged();

    [[nodiscard]] JobState state() const { return m_state; }
    /// For a finished job: the working state it ended in.
    [[nodiscard]] JobState endedAt() const { return m_endedAt; }
    [[nodiscard]] const device::DiscoveredDevice &port() const { return m_port; }
    [[nodiscard]] const device::DeviceIdentity &identity() const { return m_identity; }
    [[nodiscard]] bool isFinished() const { return isTerminal(m_state); }
    [[nodiscard]] const JobResult &result() const { return m_result; }
    [[nodiscard]] qint64 elapsedMs() const { return m_elapsed.isValid() ? m_elapsed.elapsed() : 0; }
    /// The serial the unit reported (empty before identification).
    [[nodiscard]] QString serial() const { return m_identity.serialNumber; }

signals:
    void stateChanged(station::provisioning::JobState state);
    /// `done` of `total` for long transfers; `text` names what is happening.
    void progress(qint64 done, qint64 total, const QString &text);
    void finished(const station::provisioning::JobResult &result);

private:
    void dispatch(JobEvent event);
    void apply(const JobTransition &t);
    void runStep();
    void failStep(JobFailure failure, const Error &error);
    void succeedStep();
    /// A continuation that runs only while this job still exists and is still in `state`.
    template <typename T> device::DeviceDriver::Done<T> guarded(std::function<void(Result<T>)> next);

    void doOpen();
    void doIdentify();
    void doCheckRecord();
    void doFetchCsrAttrs();
    void doInjectTrust();
    void doInjectBootstrap();
    void writeBootstrap(const crypto::PrivateKey &key, const crypto::Certificate &certificate,
                        const QList<crypto::Certificate> &chain);
    void doGenerateKey();
    void doEnroll();
    void doServerKeygen();
    void sendServerKeygen(const crypto::CertificateRequest &csr);
    void doWriteKey();
    void doWriteChain();
    void doCommit();
    void doVerify();
    void doRecord();
    /// Runs one EST operation with the profile's retries (back-off, deadline); `done` on success.
    void runEst(std::function<est::EstReply *()> send, std::function<void(est::EstReply *)> done);
    [[nodiscard]] Result<void> checkIssued(const crypto::Certificate &certificate) const;
    void noteCertificate(const crypto::Certificate &certificate, const QList<crypto::Certificate> &chain);
    void journal();
    void record();
    void finishJob();
    [[nodiscard]] std::chrono::milliseconds timeoutOf(JobState state) const;
    [[nodiscard]] QString evidenceJson() const;

    JobContext m_ctx;
    JobPlan m_plan;
    device::DiscoveredDevice m_port;
    std::unique_ptr<device::DeviceDriver> m_driver;
    JobState m_state = JobState::Detected;
    QTimer m_deadline;
    QElapsedTimer m_elapsed;
    EstAttempts *m_est = nullptr;           ///< the EST operation in flight, with its retries
    CsrAttrsPrefetch *m_csrAttrs = nullptr; ///< asked for at the start, used in FetchingCsrAttrs
    SlotWriter *m_slotWriter = nullptr;     ///< the bootstrap credential's write, while it runs

    // What the job learned
    device::DeviceIdentity m_identity;
    ScannedCode m_scan;
    std::optional<ScannedCode> m_pendingScan;
    crypto::CsrAttributes m_csrAttributes;
    device::GeneratedKey m_generated;
    crypto::CertificateRequest m_csr;
    QByteArray m_expectedPublicKey; ///< SubjectPublicKeyInfo the certificate must carry
    crypto::SecretBytes m_serverKey;
    QByteArray m_serverKeyDigest;
    crypto::Certificate m_certificate;
    QList<crypto::Certificate> m_chainToWrite;
    bool m_renew = false;
    bool m_reprovisionConfirmed = false;
    bool m_destroying = false;
    QStringList m_csrAttrsUnmet;
    crypto::Certificate m_bootstrapCertificate;

    manifest::ManifestRecord m_record;
    bool m_recordOpen = false;
    JobFailure m_failure = JobFailure::None;
    JobState m_endedAt = JobState::Detected; ///< the working state the job ended in
    QString m_manifestError;
    Error m_error;
    JobResult m_result;
};

} // namespace station::provisioning
