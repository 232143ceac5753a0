// The CSR attributes of a job, asked for as soon as the job starts: the request then travels while the
// station opens and identifies the unit, and the job's "fetching-csrattrs" step usually finds the answer
// waiting instead of paying a round trip to the EST server (tens of milliseconds to a cloud CA). The
// answer is only used in that step, and a failure is reported there, with the same retry policy and
// error classification as any other EST operation of the job.
#pragma once

#include "EstAttempts.h"

#include "Error.h"
#include "crypto/CsrAttributes.h"

#include <QObject>

#include <functional>
#include <optional>

namespace station::est {
class EstClient;
}

namespace station::provisioning {

class CsrAttrsPrefetch : public QObject
{
    Q_OBJECT
public:
    using Ready = std::function<void(const Result<crypto::CsrAttributes> &)>;

    CsrAttrsPrefetch(const EstSettings &settings, QObject *parent = nullptr);

    /// Sends the request (with the profile's retries) unless one was sent already.
    void start(est::EstClient *client);
    /// `ready` gets the answer: at once when it is in, else when it comes. Starts the request if start()
    /// was not called. Only one caller waits at a time.
    void whenReady(est::EstClient *client, Ready ready);
    /// Drops the request in flight; nobody is called back.
    void cancel();
    [[nodiscard]] bool started() const { return m_started; }
    [[nodiscard]] EstAttempts *attempts() const { return m_attempts; }

private:
    void settle(Result<crypto::CsrAttributes> result);

    EstAttempts *m_attempts;
    bool m_started = false;
    std::optional<Result<crypto::CsrAttributes>> m_result;
    Ready m_ready;
};

} // namespace station::provisioning
