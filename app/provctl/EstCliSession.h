// One `provctl est` run on the event loop: an optional RFC 7030 bootstrap of the trust anchors, then the
// operation (cacerts, csrattrs, enroll with csrattrs applied, reenroll, serverkeygen), then the output
// files and a summary. Emits done(exitCode) once; interrupt() cancels what is in flight.
#pragma once

#include "EstCliOptions.h"

#include "est/EstClient.h"

#include "crypto/CertificateRequest.h"
#include "crypto/CsrAttributes.h"
#include "crypto/PrivateKey.h"

#include <QObject>
#include <QTextStream>

#include <functional>

namespace station::cli {

class EstBatchEnroller;

class EstCliSession : public QObject
{
    Q_OBJECT
public:
    EstCliSession(EstCliOptions options, est::EstClientConfig config, QTextStream &out, QTextStream &err,
                  QObject *parent = nullptr);

    /// Starts on the next event-loop turn.
    void start();
    /// Ctrl+C: cancel everything in flight; done(130) follows.
    void interrupt();

signals:
    void done(int exitCode);

private:
    void bootstrapThen(std::function<void()> next);
    void withCsrAttributes(std::function<void(const crypto::CsrAttributes &)> next);
    void runCaCerts();
    void runCsrAttrs();
    void runEnroll();
    void runReenroll();
    void runServerKeygen();
    void submitIssue(est::EstReply *reply, const crypto::PrivateKey &generatedKey);
    /// Calls `then` when `reply` finishes successfully; reports the error and ends the run otherwise.
    void await(est::EstReply *reply, std::function<void(est::EstReply *)> then);
    void finish(int code);
    void failWith(const Error &error);
    /// The CSR subject and subjectAltNames from --subject / --san.
    [[nodiscard]] Result<crypto::CsrSpec> csrSpecFromOptions() const;

    EstCliOptions m_options;
    est::EstClient *m_client = nullptr;
    EstBatchEnroller *m_batch = nullptr;
    QTextStream &m_out;
    QTextStream &m_err;
    bool m_finished = false;
    bool m_interrupted = false;
};

} // namespace station::cli
