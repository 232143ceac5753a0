#include "CsrAttrsPrefetch.h"

#include "est/EstClient.h"
#include "est/EstReply.h"

namespace station::provisioning {

CsrAttrsPrefetch::CsrAttrsPrefetch(const EstSettings &settings, QObject *parent)
    : QObject(parent), m_attempts(new EstAttempts(settings, this))
{}

void CsrAttrsPrefetch::start(est::EstClient *client)
{
    if (m_started || !client)
        return;
    m_started = true;
    m_attempts->run([client] { return client->fetchCsrAttrs(); },
                    [this](est::EstReply *reply) { settle(reply->csrAttributes()); },
                    [this](const Error &error) { settle(std::unexpected(error)); });
}

void CsrAttrsPrefetch::whenReady(est::EstClient *client, Ready ready)
{
    start(client);
    if (m_result) {
        ready(*m_result);
        return;
    }
    m_ready = std::move(ready);
}

void CsrAttrsPrefetch::cancel()
{
    m_attempts->cancel();
    m_ready = nullptr;
}

void CsrAttrsPrefetch::settle(Result<crypto::CsrAttributes> result)
{
    m_result = std::move(result);
    if (auto ready = std::exchange(m_ready, nullptr))
        ready(*m_result);
}

} // namespace station::provisioning
