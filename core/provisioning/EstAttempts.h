// One EST operation of a job with the product profile's retry policy: sent again after a back-off that
// doubles, within the attempt limit and the deadline, when the failure is transient (network, 408, 429,
// 5xx). An enrollment whose outcome is unknown (the POST went out, the answer never came) is never sent
// again blindly. Owns the reply in flight; cancel() or destruction drops it without calling back.
#pragma once

#include "ProductProfile.h"

#include "Error.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace station::est {
class EstReply;
}

namespace station::provisioning {

class EstAttempts : public QObject
{
    Q_OBJECT
public:
    using Send = std::function<est::EstReply *()>;
    using Done = std::function<void(est::EstReply *)>;
    using Failed = std::function<void(const Error &)>;

    EstAttempts(const EstSettings &settings, QObject *parent = nullptr);
    ~EstAttempts() override;

    /// Starts `send` (again, after a previous operation). `done` gets the successful reply (deleted after
    /// it returns); `failed` the last error. Exactly one of them is called, unless cancel() comes first.
    void run(Send send, Done done, Failed failed);
    void cancel();
    [[nodiscard]] int attempts() const { return m_attempt; }

signals:
    /// A transient failure; the operation is sent again after `delayMs`.
    void retrying(int attempt, int maxAttempts, qint64 delayMs, const station::Error &error);

private:
    void send();
    void onFinished(est::EstReply *reply);
    void dropReply();

    EstSettings m_settings;
    Send m_send;
    Done m_done;
    Failed m_failed;
    QPointer<est::EstReply> m_reply;
    QTimer m_retry;
    QElapsedTimer m_started;
    int m_attempt = 0;
};

} // namespace station::provisioning
