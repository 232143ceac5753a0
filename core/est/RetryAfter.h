// Parsing of the HTTP Retry-After header (RFC 9110 §10.2.3) that EST servers send with 202 Accepted
// (RFC 7030 §4.2.3): either a delay in seconds or an HTTP-date in any of the three historic formats.
#pragma once

#include <QByteArrayView>
#include <QDateTime>

#include <chrono>
#include <optional>

namespace station::est {

class RetryAfter
{
public:
    /// The delay the header asks for, measured from `now` (UTC). A date in the past gives zero.
    /// nullopt when the value is neither a non-negative integer nor an HTTP-date.
    [[nodiscard]] static std::optional<std::chrono::seconds> parse(QByteArrayView value, const QDateTime &now);
    /// Parses an HTTP-date: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850
    /// ("Sunday, 06-Nov-94 08:49:37 GMT") or asctime ("Sun Nov  6 08:49:37 1994"). Invalid QDateTime if not.
    [[nodiscard]] static QDateTime parseHttpDate(QByteArrayView value);
    /// IMF-fixdate of `when` (what servers send; the test server uses it).
    [[nodiscard]] static QByteArray formatHttpDate(const QDateTime &when);
};

} // namespace station::est
