// Shared fixtures of the EST client tests: a client configured for a MisbehavingEstServer.
#pragma once

#include "MisbehavingEstServer.h"

#include "est/EstClient.h"

#include <QTest>

#include <memory>

namespace station::test {

inline est::EstClientConfig configFor(const MisbehavingEstServer &server, const QString &label = {})
{
    est::EstClientConfig c;
    c.baseUrl = server.baseUrl(label);
    c.trustAnchors = {server.pki().caCertificate()};
    c.requestTimeout = std::chrono::milliseconds(5000);
    c.proxyMode = est::EstProxyMode::None;
    c.defaultRetryDelay = std::chrono::seconds(1);
    return c;
}

/// Waits (event loop running) until the reply finished; false on timeout.
inline bool waitFinished(est::EstReply *reply, int timeoutMs = 15000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!reply->isFinished() && !deadline.hasExpired())
        QTest::qWait(5);
    return reply->isFinished();
}

/// The caller owns every EstReply; tests hold theirs in a unique_ptr.
inline bool waitFinished(const std::unique_ptr<est::EstReply> &reply, int timeoutMs = 15000)
{
    return waitFinished(reply.get(), timeoutMs);
}

} // namespace station::test
