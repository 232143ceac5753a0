#include "EstAttempts.h"

#include "est/EstReply.h"

namespace station::provisioning {

EstAttempts::EstAttempts(const EstSettings &settings, QObject *parent) : QObject(parent), m_settings(settings)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &EstAttempts::send);
}

EstAttempts::~EstAttempts()
{
    cancel();
}

void EstAttempts::run(Send send, Done done, Failed failed)
{
    cancel();
    m_send = std::move(send);
    m_done = std::move(done);
    m_failed = std::move(failed);
    m_attempt = 0;
    m_started.start();
    this->send();
}

void EstAttempts::cancel()
{
    m_retry.stop();
    dropReply();
    m_send = nullptr;
    m_done = nullptr;
    m_failed = nullptr;
}

void EstAttempts::dropReply()
{
    if (!m_reply)
        return;
    m_reply->disconnect(this);
    m_reply->cancel();
    m_reply->deleteLater();
    m_reply = nullptr;
}

void EstAttempts::send()
{
    if (!m_send)
        return;
    ++m_attempt;
    est::EstReply *reply = m_send();
    m_reply = reply;
    connect(reply, &est::EstReply::finished, this, [this, reply] { onFinished(reply); });
}

void EstAttempts::onFinished(est::EstReply *reply)
{
    reply->deleteLater();
    if (m_reply == reply)
        m_reply = nullptr;
    if (reply->isSuccess()) {
        const Done done = std::exchange(m_done, nullptr);
        m_send = nullptr;
        m_failed = nullptr;
        if (done)
            done(reply);
        return;
    }
    const Error error = reply->error();
    const auto backoff = m_settings.retryBackoff * (1 << std::min(m_attempt - 1, 10));
    const auto deadline = std::chrono::duration_cast<std::chrono::milliseconds>(m_settings.pendingDeadline);
    const bool inTime = m_started.elapsed() + backoff.count() < deadline.count();
    if (error.isRetryable() && error.code != ErrorCode::OutcomeUnknown && m_attempt < m_settings.retryAttempts &&
        inTime) {
        emit retrying(m_attempt, m_settings.retryAttempts, backoff.count(), error);
        m_retry.start(backoff);
        return;
    }
    const Failed failed = std::exchange(m_failed, nullptr);
    m_send = nullptr;
    m_done = nullptr;
    if (failed)
        failed(error);
}

} // namespace station::provisioning
