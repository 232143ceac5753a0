// How Lamassu's HTTP layer (Gin) shapes answers, for the stand-in: JSON bodies, {"err": ...} errors, the
// "{}" a Go error value marshals to, and the router's plain 404. Also Go's time.Time text form, which
// Lamassu's JSON uses for every timestamp.
#pragma once

#include "est/HttpMessage.h"

#include <QJsonValue>
#include <QString>

namespace station::testing::lamassu {

/// `ctx.JSON(status, value)`: compact JSON, "application/json; charset=utf-8".
[[nodiscard]] est::HttpResponse ginJson(int status, const QJsonValue &value);
/// `ctx.JSON(status, gin.H{"err": message})`.
[[nodiscard]] est::HttpResponse ginError(int status, const QString &message);
/// `ctx.JSON(500, err)` with a Go error value: its fields are unexported, so the body is "{}".
[[nodiscard]] est::HttpResponse ginOpaqueError(int status = 500);
/// The router's answer for a path or method it has no route for: 404 "404 page not found".
[[nodiscard]] est::HttpResponse ginNotFound();

/// Go's RFC 3339 form of a UTC instant with nanoseconds, trailing zeros of the fraction dropped
/// ("2024-05-01T10:00:00.1234Z", "2024-05-01T10:00:00Z").
[[nodiscard]] QString goTime(qint64 nanosSinceEpoch);

/// Strictly increasing timestamps (nanoseconds since the epoch) for events: Lamassu keys a device's
/// events by time, so two events must never share one.
class EventClock
{
public:
    [[nodiscard]] qint64 next();

private:
    qint64 m_last = 0;
};

} // namespace station::testing::lamassu
